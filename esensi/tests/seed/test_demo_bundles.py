"""Demo bundles follow the portal's rules, so the demo author can manage them through HTTP."""

from sqlalchemy import text


async def _rows(seeded, sql):
    return (await seeded.execute(text(sql))).all()


async def test_bundles_hold_only_products_of_their_own_author(seeded):
    foreign = await _rows(
        seeded,
        "SELECT b.id FROM bundle_product bp JOIN bundle b ON b.id = bp.id_bundle "
        "JOIN product p ON p.id = bp.id_product WHERE p.id_author <> b.id_author",
    )
    assert foreign == []


async def test_published_bundles_hold_only_published_products(seeded):
    wrong = await _rows(
        seeded,
        "SELECT b.id FROM bundle b WHERE b.status = 'published' AND b.deleted_at IS NULL AND ("
        "NOT EXISTS (SELECT 1 FROM bundle_product bp WHERE bp.id_bundle = b.id) OR EXISTS ("
        "SELECT 1 FROM bundle_product bp JOIN product p ON p.id = bp.id_product "
        "WHERE bp.id_bundle = b.id AND (p.status <> 'published' OR p.deleted_at IS NOT NULL)))",
    )
    assert wrong == []


async def test_the_demo_author_has_a_sold_bundle_with_products(seeded):
    found = await _rows(
        seeded,
        "SELECT b.id FROM bundle b JOIN author a ON a.id = b.id_author "
        "JOIN auth_user u ON u.id = a.id_user "
        "WHERE u.email = 'penulis@esensi.online' AND b.status = 'published' "
        "AND EXISTS (SELECT 1 FROM bundle_product bp WHERE bp.id_bundle = b.id) "
        "AND EXISTS (SELECT 1 FROM t_sales_line l JOIN t_sales s ON s.id = l.id_sales "
        "WHERE l.id_bundle = b.id AND s.status = 'paid')",
    )
    assert len(found) == 1
