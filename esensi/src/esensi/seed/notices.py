"""Demo notifications, mail outbox rows and audit trail of what happened in a block.

``notif`` and ``audit_log`` have bigint identity keys; the seed gives them explicit ids (one range
per block, so a run is repeatable) and ``seed_sequences`` moves PostgreSQL's identity past them.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from esensi.models.audit import AuditLog
from esensi.models.enums import ActorType, ApprovalStatus, LinkStatus, NotifType, SalesStatus
from esensi.models.enums import WithdrawalStatus as W
from esensi.models.notif import Notif
from esensi.models.outbox import MailOutbox
from esensi.seed.audit import Trail, audit_rows
from esensi.seed.clock import at
from esensi.seed.community import follow_pairs, plan_reviews
from esensi.seed.keys import FIRST_BLOCK_ID, SPAN, rng, seed_id
from esensi.seed.mail import mail_rows
from esensi.seed.orders import Owner
from esensi.seed.people import (
    PUBLISHERS,
    STAFF,
    publisher_id,
    publisher_login,
    staff_id,
    staff_login,
)
from esensi.seed.runner import Tables, insert_rows
from rlib import Scope

if TYPE_CHECKING:
    from esensi.seed.world import Block, Seeding

REVIEWER_USERS = (0, 1, 2, 5)
BOOK_EVENTS = {
    ApprovalStatus.PUBLISHED: (NotifType.BOOK_APPROVE, "Buku {book} telah disetujui dan terbit"),
    ApprovalStatus.REJECTED: (NotifType.BOOK_REJECT, "Buku {book} ditolak: {comment}"),
    ApprovalStatus.REVISE: (NotifType.BOOK_REVISE, "Buku {book} perlu revisi: {comment}"),
    ApprovalStatus.UNPUBLISHED: (NotifType.BOOK_REVISE, "Buku {book} perlu revisi: {comment}"),
}
ORDER_LABELS = {
    SalesStatus.EXPIRED: "kedaluwarsa",
    SalesStatus.CANCELLED: "dibatalkan",
    SalesStatus.DENIED: "ditolak",
    SalesStatus.REFUNDED: "dikembalikan",
}
PAYOUT_LABELS = {
    W.PENDING: "menunggu",
    W.PAID: "dibayarkan",
    W.REJECTED: "ditolak",
    W.CANCELLED: "dibatalkan",
}


def rupiah(amount: object) -> str:
    """``Rp 49.000``."""
    return "Rp " + f"{int(str(amount).split('.')[0]):,}".replace(",", ".")


def owner_users(block: Block) -> dict[Owner, uuid.UUID]:
    """Ledger owner -> the login that owns it."""
    users: dict[Owner, uuid.UUID] = {(None, a.id): a.login.id for a in block.authors}
    for i in range(len(PUBLISHERS)):
        users[(publisher_id(i), None)] = publisher_login(i).id
    return users


class Inbox:
    """Collects notification rows of a block with consecutive explicit ids."""

    def __init__(self, block: int) -> None:
        self.next_id = FIRST_BLOCK_ID + block * SPAN
        self.rows: list[dict[str, Any]] = []

    def add(self, user: uuid.UUID, kind: NotifType, message: str, day: float, url: str) -> None:
        read = rng("notif", self.next_id).random() < 0.5
        self.rows.append(
            {
                "id": self.next_id,
                "id_user": user,
                "type": kind.value,
                "message": message[:1000],
                "status": "read" if read else "unread",
                "url": url,
                "data": None,
                "thumbnail": None,
                "read_at": at(day + 0.1) if read else None,
                "created_at": at(day),
            }
        )
        self.next_id += 1


def _books(inbox: Inbox, block: Block) -> None:
    for book in block.books:
        for event in book.history:
            if event.status == ApprovalStatus.SUBMITTED:
                for staff in REVIEWER_USERS:
                    inbox.add(
                        staff_login(staff).id,
                        NotifType.BOOK_SUBMIT,
                        f"Buku baru menunggu review: {book.title}",
                        event.day,
                        f"/book/{book.id}",
                    )
            elif event.status in BOOK_EVENTS:
                kind, text = BOOK_EVENTS[event.status]
                comment = "lihat catatan reviewer"
                inbox.add(
                    book.author.login.id,
                    kind,
                    text.format(book=book.title, comment=comment),
                    event.day,
                    f"/book/{book.id}",
                )


def _orders(inbox: Inbox, block: Block) -> None:
    for order in block.orders:
        short = order.id.hex[:8].upper()
        if order.status == SalesStatus.PAID:
            inbox.add(
                order.customer.login.id,
                NotifType.PAYMENT_SUCCESS,
                f"Pembayaran pesanan {short} berhasil",
                order.day,
                f"/trx/{order.id}",
            )
        elif order.status in ORDER_LABELS:
            inbox.add(
                order.customer.login.id,
                NotifType.ORDER_UPDATE,
                f"Status pesanan {short}: {ORDER_LABELS[order.status]}",
                order.day + 1,
                f"/trx/{order.id}",
            )
    users = owner_users(block)
    for entry in block.ledger.entries:
        if entry.kind == "sale" and entry.info:
            inbox.add(
                users[entry.owner],
                NotifType.ORDER_UPDATE,
                f"{entry.info['item']} terjual ({rupiah(entry.amount)})",
                entry.day,
                "/transactions",
            )


def _people(inbox: Inbox, block: Block) -> None:
    reviews = plan_reviews(block)
    for review in reviews:
        name, title = review.writer.login.name, review.book.title
        url = f"/title/{review.book.slug}"
        inbox.add(
            review.book.author.login.id,
            NotifType.COMMENT,
            f"{name} mengulas buku {title}",
            review.day,
            url,
        )
        if review.reply:
            inbox.add(
                review.writer.login.id,
                NotifType.COMMENT,
                f"{review.book.author.name} membalas ulasan Anda",
                review.day + 1,
                url,
            )
    authors = {a.id: a for a in block.authors}
    for reader, author_id, day in follow_pairs(block):
        inbox.add(
            authors[author_id].login.id,
            NotifType.FOLLOW,
            f"{reader.login.name} mulai mengikuti Anda",
            day,
            "/dashboard",
        )
    for author in block.authors:
        if author.link and author.link[1] == LinkStatus.INVITED:
            inbox.add(
                author.login.id,
                NotifType.MESSAGE,
                "Penerbit mengundang Anda bergabung sebagai penulis",
                5 + author.index,
                "/publisher",
            )
    _chapters(inbox, block)


def _chapters(inbox: Inbox, block: Block) -> None:
    followers: dict[uuid.UUID, list[uuid.UUID]] = {}
    for reader, author_id, _ in follow_pairs(block):
        followers.setdefault(author_id, []).append(reader.login.id)
    latest = {c.book.id: c for c in block.chapters if c.published}
    for chapter in latest.values():
        book = chapter.book
        for user in followers.get(book.author.id, []):
            inbox.add(
                user,
                NotifType.CHAPTER_NEW,
                f"Bab baru {book.title}: Bab {chapter.number}",
                chapter.day,
                f"/chapter/{book.slug}/{chapter.number}/bab-{chapter.number}",
            )


def _payouts(inbox: Inbox, block: Block) -> None:
    users = owner_users(block)
    for payout in block.ledger.payouts:
        amount = rupiah(payout.amount)
        inbox.add(
            users[payout.owner],
            NotifType.WITHDRAWAL_UPDATE,
            f"Penarikan {amount}: {PAYOUT_LABELS[payout.status]}",
            payout.day,
            "/withdrawal",
        )
        for staff in (0, 1, 5):
            inbox.add(
                staff_login(staff).id,
                NotifType.MESSAGE,
                f"Permintaan penarikan {amount} dari {payout.holder}",
                payout.day,
                f"/withdrawal/{payout.id}",
            )


def notif_rows(block: Block) -> list[dict[str, Any]]:
    inbox = Inbox(block.number)
    for part in (_books, _orders, _people, _payouts):
        part(inbox, block)
    assert len(inbox.rows) < SPAN, "a block outgrew its notification id range"
    return inbox.rows


def seed_notices(block: Block) -> Tables:
    """Notifications, the audit trail and the mail outbox of the block."""
    tables: Tables = [(Notif, notif_rows(block))]
    tables.append((AuditLog, audit_rows(block)))
    return [*tables, (MailOutbox, mail_rows(block))]


ANNOUNCED = (
    "admin@esensi.online",
    "penerbit@esensi.online",
    "penulis@esensi.online",
    "pembaca@esensi.online",
)


async def seed_announcements(scope: Scope, seeding: Seeding) -> int:
    """A staff announcement to the demo accounts, and the audit rows of creating the staff."""
    inbox = Inbox(0)
    inbox.next_id = 1
    for email in ANNOUNCED:
        inbox.add(
            seed_id("auth_user", email),
            NotifType.ANNOUNCEMENT,
            "Selamat datang di esensi! Nikmati diskon 10% dengan kode ESENSI10.",
            365,
            "/",
        )
    trail = Trail(0)
    trail.next_id = 1
    for i in range(1, len(STAFF)):
        trail.add(
            staff_login(0).id,
            ActorType.INTERNAL,
            "staff.create",
            ("internal", staff_id(i)),
            (None, "active"),
            0.5 + i * 0.01,
        )
    added = await insert_rows(scope, Notif, inbox.rows)
    return added + await insert_rows(scope, AuditLog, trail.rows)
