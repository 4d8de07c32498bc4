"""Giving a login a profile: the store's customer at registration, an author or publisher
profile on request (spec/workflows.md 2). One profile of each type per login."""

from __future__ import annotations

import uuid
from typing import Literal

from sqlalchemy import select

from esensi.models.auth import AuthUser
from esensi.models.author import Author
from esensi.models.customer import Customer
from esensi.models.enums import ActorType
from esensi.models.publisher import Publisher
from esensi.services import audit
from rlib import ConflictError, NotFoundError, Scope

PublishRole = Literal["author", "publisher"]


class ProfileExistsError(ConflictError):
    """409: the login already has a profile of that type."""

    code = "profile_exists"
    key = "auth.profile_exists"


async def add_customer(
    scope: Scope, actor: audit.Actor, *, user_id: uuid.UUID, name: str, email: str
) -> uuid.UUID:
    """Create the customer profile of a new login (audited); returns its id."""
    customer = Customer(name=name, email=email, id_user=user_id)
    scope.db.add(customer)
    await scope.db.flush()
    await audit.profile_linked(
        scope, actor, profile_type="customer", profile_id=customer.id, user_id=user_id
    )
    return customer.id


async def add_customer_to_new_login(
    scope: Scope, *, user_id: uuid.UUID, name: str, email: str
) -> uuid.UUID:
    """rlib's ``on_new_login`` hook: a login created by a first social sign-in gets the same
    customer profile as ``register`` gives, audited with the new login as the actor."""
    actor = audit.Actor(user_id, ActorType.CUSTOMER)
    return await add_customer(scope, actor, user_id=user_id, name=name, email=email)


async def become(
    scope: Scope, actor: audit.Actor, *, user_id: uuid.UUID, role: PublishRole, name: str | None
) -> uuid.UUID:
    """Create the login's author or publisher profile (name and picture from the login) and
    audit the link (``user.profile_link``).

    Raises:
        ProfileExistsError: 409 "Profil sudah ada" when the login already has that profile.
        NotFoundError: the login is gone.
    """
    user = await scope.db.get(AuthUser, user_id)
    if user is None:
        raise NotFoundError()
    model = Author if role == "author" else Publisher
    existing = await scope.db.scalar(select(model.id).where(model.id_user == user_id))
    if existing is not None:
        raise ProfileExistsError()
    profile: Author | Publisher
    if role == "author":
        profile = Author(name=name or user.name, avatar=user.image, id_user=user_id)
    else:
        profile = Publisher(name=name or user.name, logo=user.image, id_user=user_id)
    scope.db.add(profile)
    await scope.db.flush()
    await audit.profile_linked(
        scope, actor, profile_type=role, profile_id=profile.id, user_id=user_id
    )
    return profile.id
