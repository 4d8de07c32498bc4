"""Demo mail outbox: sent confirmations, a queued payout notice, a message that kept failing."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from esensi.models.enums import MailContext, MailStatus, SalesStatus, WithdrawalStatus
from esensi.seed.clock import at
from esensi.seed.keys import seed_id
from esensi.seed.people import stamps

if TYPE_CHECKING:
    from esensi.seed.world import Block

SIGN_OFF = "Salam hangat,\nTim esensi — PT. Meraih Ilmu Semesta"


def _mail(
    key: str, to: str, subject: str, body: str, day: float, alias: str, **extra: Any
) -> dict[str, Any]:
    sent = extra.pop("status", MailStatus.SENT) == MailStatus.SENT
    row = {
        "id": seed_id("mail_outbox", key),
        "context": MailContext.MAIN.value,
        "account": "main" if sent else None,
        "to_addrs": [to],
        "subject": subject,
        "html": f"<p>{body}</p><p>{SIGN_OFF.replace(chr(10), '<br>')}</p>",
        "text": f"{body}\n\n{SIGN_OFF}",
        "template_alias": alias,
        "template_model": None,
        "locale": "id",
        "headers": None,
        "dedupe_key": key,
        "status": MailStatus.SENT.value if sent else MailStatus.QUEUED.value,
        "attempts": 1 if sent else 0,
        "next_attempt_at": at(day),
        "lease_until": None,
        "last_error": None,
        "message_id": f"<{uuid.uuid5(uuid.NAMESPACE_URL, key).hex}@esensi.online>"
        if sent
        else None,
        "sent_at": at(day + 0.001) if sent else None,
        **stamps(at(day)),
    }
    return row | extra


def mail_rows(block: Block) -> list[dict[str, Any]]:
    rows = []
    for order in block.orders:
        login, short = order.customer.login, order.id.hex[:8].upper()
        if order.status == SalesStatus.PAID:
            rows.append(
                _mail(
                    f"payment-success:{order.id}",
                    login.email,
                    f"Pembayaran pesanan {short} berhasil",
                    f"Halo {login.name}, terima kasih! Buku Anda sudah ada di perpustakaan.",
                    order.day,
                    "payment-success",
                )
            )
        elif order.status == SalesStatus.EXPIRED:
            rows.append(
                _mail(
                    f"payment-expired:{order.id}",
                    login.email,
                    f"Pesanan {short} kedaluwarsa",
                    f"Halo {login.name}, waktu pembayaran pesanan Anda telah habis.",
                    order.day + 1,
                    "payment-expired",
                )
            )
    for book in block.books:
        if book.published_day is not None:
            author = book.author.login
            rows.append(
                _mail(
                    f"book-approved:{book.id}",
                    author.email,
                    f"Buku {book.title} telah terbit",
                    f"Halo {author.name}, buku Anda telah disetujui dan kini dijual.",
                    book.published_day,
                    "book-approved",
                )
            )
    for payout in block.ledger.payouts:
        if payout.status == WithdrawalStatus.PENDING:
            rows.append(
                _mail(
                    f"withdrawal-requested:{payout.id}",
                    payout.email,
                    "Permintaan penarikan diterima",
                    f"Halo {payout.holder}, permintaan penarikan Anda sedang kami proses.",
                    payout.day,
                    "withdrawal-requested",
                    status=MailStatus.QUEUED,
                )
            )
    if rows and block.number == 0:
        # One message the SMTP server kept refusing: the worker gave up after 12 attempts.
        rows[0] |= {
            "status": MailStatus.FAILED.value,
            "attempts": 12,
            "sent_at": None,
            "message_id": None,
            "last_error": "550 5.1.1 mailbox unavailable",
        }
    return rows
