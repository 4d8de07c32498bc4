"""The demo data set: every table filled, idempotent, and consistent with the business rules."""

from decimal import Decimal

from sqlalchemy import func, select, text

from esensi.models import metadata
from esensi.models.auth import AuthAccount, AuthUser
from esensi.models.enums import BookStatus, MailStatus, SalesStatus, WithdrawalStatus
from esensi.models.outbox import MailOutbox
from esensi.seed.demo import seed_demo
from esensi.seed.people import PASSWORDS
from esensi.seed.world import Seeding
from esensi.settings import Settings
from rlib import DatabaseConfig
from rlib.auth.passwords import verify_password
from rlib.db.engine import Database
from rlib.mail.worker import build_message


async def _rows(seeded, sql):
    return (await seeded.execute(text(sql))).all()


async def test_every_table_holds_demo_rows(seeded):
    empty = [
        name
        for name, table in metadata.tables.items()
        if (await seeded.execute(select(func.count()).select_from(table))).scalar_one() == 0
    ]
    assert empty == []


async def test_seeding_again_adds_nothing(seeded_url):
    database = Database(DatabaseConfig(url=seeded_url, pool_size=2))
    try:
        added = await seed_demo(database, quiet=True)
    finally:
        await database.dispose()
    assert set(added.values()) == {0}


async def test_every_status_of_books_orders_and_withdrawals_appears(seeded):
    for table, vocabulary in (
        ("book", BookStatus),
        ("t_sales", SalesStatus),
        ("withdrawal", WithdrawalStatus),
    ):
        found = {
            status for (status,) in await _rows(seeded, f"SELECT DISTINCT status FROM {table}")
        }
        assert found == {v.value for v in vocabulary}, table


async def test_ledger_balances_equal_their_rows_and_never_go_negative(seeded):
    balances = await _rows(
        seeded,
        "SELECT coalesce(id_publisher, id_author), round(sum(amount), 2), count(*)"
        ' FROM "transaction" GROUP BY coalesce(id_publisher, id_author)',
    )
    assert balances
    assert all(Decimal(str(balance)) >= 0 for _, balance, _ in balances)
    # Each withdrawal still pending or paid is covered: its debit is in the ledger.
    uncovered = await _rows(
        seeded,
        'SELECT w.id FROM withdrawal w LEFT JOIN "transaction" t'
        " ON t.id_withdrawal = w.id AND t.type = 'withdrawal' AND t.amount = -w.amount"
        " WHERE t.id IS NULL",
    )
    assert uncovered == []


async def test_a_demo_publisher_login_has_a_balance_and_a_pending_withdrawal(seeded):
    # What the money back office shows first: a payout to process, a balance to request from.
    found = await _rows(
        seeded,
        "SELECT p.id FROM publisher p"
        " JOIN withdrawal w ON w.id_publisher = p.id AND w.status = 'pending'"
        " WHERE p.id_user IS NOT NULL AND p.bank_account_number IS NOT NULL"
        ' AND (SELECT sum(t.amount) FROM "transaction" t WHERE t.id_publisher = p.id) > 0',
    )
    assert found


async def test_sales_are_credited_to_the_product_owner_of_paid_lines_only(seeded):
    wrong = await _rows(
        seeded,
        'SELECT t.id FROM "transaction" t JOIN t_sales s ON s.id = t.id_sales'
        " JOIN t_sales_line l ON l.id = t.id_sales_line"
        " LEFT JOIN product p ON p.id = l.id_product"
        " WHERE t.type = 'sale' AND (s.status NOT IN ('paid', 'refunded')"
        "   OR round(t.amount, 2) <> round(l.total_price - l.discount_amount, 2)"
        "   OR coalesce(t.id_publisher, t.id_author) <> coalesce(p.id_publisher, p.id_author)"
        "   OR EXISTS (SELECT 1 FROM bundle_product bp JOIN product q ON q.id = bp.id_product"
        "     WHERE bp.id_bundle = l.id_bundle"
        "     AND coalesce(q.id_publisher, q.id_author) <> coalesce(t.id_publisher, t.id_author)))",
    )
    assert wrong == []
    refunds = await _rows(
        seeded,
        'SELECT round(sum(t.amount), 2) FROM "transaction" t JOIN t_sales s ON s.id = t.id_sales'
        " WHERE s.status = 'refunded'",
    )
    assert refunds[0][0] == 0


async def test_orders_add_up_and_paid_orders_grant_their_products(seeded):
    unbalanced = await _rows(
        seeded,
        "SELECT s.id FROM t_sales s JOIN t_sales_line l ON l.id_sales = s.id GROUP BY s.id,"
        " s.subtotal, s.discount_total HAVING round(sum(l.total_price), 2) <> round(s.subtotal, 2)"
        " OR round(sum(l.discount_amount), 2) <> round(s.discount_total, 2)",
    )
    assert unbalanced == []
    without_lines = await _rows(
        seeded,
        "SELECT s.id FROM t_sales s WHERE NOT EXISTS"
        " (SELECT 1 FROM t_sales_line l WHERE l.id_sales = s.id)",
    )
    assert without_lines == []
    ungranted = await _rows(
        seeded,
        "SELECT l.id FROM t_sales_line l JOIN t_sales s ON s.id = l.id_sales"
        " WHERE s.status = 'paid' AND l.id_product IS NOT NULL AND NOT EXISTS"
        " (SELECT 1 FROM t_sales_download d WHERE d.id_sales = s.id"
        "  AND d.id_product = l.id_product AND d.revoked_at IS NULL)",
    )
    assert ungranted == []


async def test_only_paid_orders_grant_and_refunds_revoke(seeded):
    wrong = await _rows(
        seeded,
        "SELECT d.id FROM t_sales_download d JOIN t_sales s ON s.id = d.id_sales"
        " WHERE s.status NOT IN ('paid', 'refunded')"
        " OR (s.status = 'refunded' AND d.revoked_at IS NULL)"
        " OR (s.status = 'paid' AND d.revoked_at IS NOT NULL)",
    )
    assert wrong == []


async def test_book_status_matches_its_last_review_event_and_product(seeded):
    books = await _rows(
        seeded,
        "SELECT b.status, b.id_product, (SELECT a.status FROM book_approval a"
        " WHERE a.id_book = b.id ORDER BY a.created_at DESC LIMIT 1) FROM book b",
    )
    expected_last = {
        "published": {"published"},
        "submitted": {"submitted"},
        "rejected": {"rejected"},
        "draft": {None, "revise", "unpublished"},
    }
    for status, product, last in books:
        assert last in expected_last[status], (status, last)
        assert (product is not None) == (status == "published" or last == "unpublished")


async def test_chapters_are_numbered_from_one_without_gaps(seeded):
    gaps = await _rows(
        seeded,
        "SELECT id_book FROM chapter GROUP BY id_book"
        " HAVING min(number) <> 1 OR max(number) <> count(*)",
    )
    assert gaps == []


async def test_promo_counts_match_their_live_usages(seeded):
    wrong = await _rows(
        seeded,
        "SELECT p.code FROM promo_code p WHERE p.used_count <> (SELECT count(*)"
        " FROM promo_code_usage u WHERE u.id_promo_code = p.id AND u.released_at IS NULL)",
    )
    assert wrong == []


async def test_demo_accounts_sign_in_with_the_documented_passwords(seeded):
    for email, kind in (
        ("admin@esensi.online", "internal"),
        ("penerbit@esensi.online", "publisher"),
        ("penulis@esensi.online", "author"),
        ("pembaca@esensi.online", "customer"),
        ("afiliasi@esensi.online", "affiliate"),
    ):
        stored = (
            await seeded.execute(
                select(AuthAccount.password)
                .join(AuthUser, AuthUser.id == AuthAccount.id_user)
                .where(AuthUser.email == email, AuthAccount.id_provider == "credential")
            )
        ).scalar_one()
        assert verify_password(stored, PASSWORDS[kind]), email


def test_a_block_is_the_same_at_every_scale():
    small, large = Seeding(1).block(0), Seeding(50).block(0)
    assert small.orders == large.orders
    assert small.ledger == large.ledger
    assert Seeding(3).block(2).orders != small.orders


async def test_every_queued_demo_mail_can_be_built_for_sending(seeded):
    # The demo's worker sends these on `make demo`; a row the message builder chokes on would
    # fail permanently there (seeded rows are written without send_email).
    account = next(iter(Settings(env="test").mail.rlib_config().accounts.values()))
    rows = (
        await seeded.execute(select(MailOutbox).where(MailOutbox.status == MailStatus.QUEUED))
    ).all()
    assert rows
    for row in rows:
        assert build_message(row, account).data
