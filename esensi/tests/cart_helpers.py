"""A small store and a signed-in customer for the cart and promo tests."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from esensi.models.bundle import Bundle
from esensi.models.customer import Customer
from esensi.models.product import Product
from esensi.models.publisher import Publisher
from factories import login_as, make_author, make_user
from factories.catalogue import make_bundle, make_customer, make_product, make_publisher


@dataclass
class Shop:
    customer: Customer
    other: Customer
    publisher: Publisher
    novel: Product  # 50 000, the publisher's
    poems: Product  # 30 000, the author's own
    bundle: Bundle  # 90 000, both books


async def open_shop(database, auth) -> Shop:
    """Two customers (the first signed in), a publisher, two books and a bundle of both."""
    async with database.sessionmaker() as db:
        user = await make_user(db)
        customer = await make_customer(db, id_user=user.id)
        other = await make_customer(db)
        author = await make_author(db)
        publisher = await make_publisher(db)
        novel = await make_product(
            db, author, real_price=Decimal(50000), id_publisher=publisher.id, cover="/n.webp"
        )
        poems = await make_product(db, author, real_price=Decimal(30000))
        bundle = await make_bundle(db, author, [novel, poems])
        await db.commit()
    login_as(auth, user.id, customer=customer.id)
    return Shop(customer, other, publisher, novel, poems, bundle)


async def add(client, item: Product | Bundle, qty: int = 1):
    key = "id_product" if isinstance(item, Product) else "id_bundle"
    return await client.post("/api/cart/add", json={key: str(item.id), "qty": qty})
