"""esensi's emails: a typed context model per template and the three context-bound senders.

Every template lives in ``templates/mail/<alias>/`` (``subject.txt``, ``body.html``,
``body.txt``, optional ``en/``). Services call the sender of the mail's context, e.g.::

    await send_auth_email(scope, to=user.email, template_alias="reset-password",
                          template_model=ResetPassword(name=user.name, url=link))
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from esensi.models.outbox import MailOutbox
from rlib.mail import Mailer, TemplateSet, make_context_sender

TEMPLATES = Path(__file__).parent / "templates" / "mail"


class MailModel(BaseModel):
    """Base of every template context: unknown fields are refused, like request input."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Welcome(MailModel):
    name: str
    store_url: str
    library_url: str


class EmailVerification(MailModel):
    name: str
    url: str
    expires_hours: int = 24


class AccountExists(MailModel):
    name: str
    sign_in_url: str
    reset_url: str


class ResetPassword(MailModel):
    name: str
    url: str
    expires_minutes: int = 60


class PasswordChanged(MailModel):
    name: str
    time: dt.datetime
    ip: str
    support_url: str


class OtpCode(MailModel):
    name: str
    otp: str = Field(pattern=r"^[0-9]{6}$")
    expires_minutes: int = 10
    url: str


class TwoFactorChanged(MailModel):
    name: str
    enabled: bool
    time: dt.datetime


class ChangeEmailVerification(MailModel):
    name: str
    new_email: str
    url: str


class ChangeEmailNotice(MailModel):
    name: str
    new_email: str
    support_url: str


class DeleteAccountConfirm(MailModel):
    name: str
    url: str


class AccountDeleted(MailModel):
    name: str


class OrderItem(MailModel):
    name: str
    qty: int = Field(ge=1)
    price: Decimal


class OrderCreated(MailModel):
    name: str
    order_id: str
    items: list[OrderItem]
    subtotal: Decimal
    discount: Decimal
    total: Decimal
    pay_url: str
    expires_at: dt.datetime


class PaymentSuccess(MailModel):
    name: str
    order_id: str
    items: list[OrderItem]
    total: Decimal
    paid_at: dt.datetime
    library_url: str


class PaymentFailed(MailModel):
    name: str
    order_id: str
    reason: str
    cart_url: str


class PaymentExpired(MailModel):
    name: str
    order_id: str
    cart_url: str


class RefundProcessed(MailModel):
    name: str
    order_id: str
    amount: Decimal


class BookSubmitted(MailModel):
    reviewer_name: str
    book: str
    author: str
    review_url: str


class BookApproved(MailModel):
    name: str
    book: str
    product_url: str


class BookReviewed(MailModel):
    """Rejection or revision request: the reviewer's comment and where to edit."""

    name: str
    book: str
    comment: str
    edit_url: str


class NewChapter(MailModel):
    name: str
    book: str
    chapter: str
    author: str
    url: str
    unsubscribe_url: str


class WithdrawalRequested(MailModel):
    name: str
    amount: Decimal
    bank_masked: str
    requested_at: dt.datetime


class WithdrawalPaid(MailModel):
    name: str
    amount: Decimal
    reference: str
    processed_at: dt.datetime


class WithdrawalRejected(MailModel):
    name: str
    amount: Decimal
    note: str


MODELS: dict[str, type[MailModel]] = {
    "welcome": Welcome,
    "email-verification": EmailVerification,
    "account-exists": AccountExists,
    "reset-password": ResetPassword,
    "password-changed": PasswordChanged,
    "otp-code": OtpCode,
    "two-factor-enabled": TwoFactorChanged,
    "change-email-verification": ChangeEmailVerification,
    "change-email-notice": ChangeEmailNotice,
    "delete-account-confirm": DeleteAccountConfirm,
    "account-deleted": AccountDeleted,
    "order-created": OrderCreated,
    "payment-success": PaymentSuccess,
    "payment-failed": PaymentFailed,
    "payment-expired": PaymentExpired,
    "refund-processed": RefundProcessed,
    "book-submitted": BookSubmitted,
    "book-approved": BookApproved,
    "book-rejected": BookReviewed,
    "book-revision": BookReviewed,
    "new-chapter": NewChapter,
    "withdrawal-requested": WithdrawalRequested,
    "withdrawal-paid": WithdrawalPaid,
    "withdrawal-rejected": WithdrawalRejected,
}


def rupiah(amount: Decimal | int) -> str:
    """``Rp 150.000``: Indonesian thousands separator, no cents (the store sells whole rupiah)."""
    return "Rp " + f"{int(amount):,}".replace(",", ".")


def when(moment: dt.datetime) -> str:
    """``25-11-2026 14:05 UTC``: one unambiguous format for both languages."""
    return moment.astimezone(dt.UTC).strftime("%d-%m-%Y %H:%M UTC")


templates = TemplateSet(TEMPLATES, MODELS, filters={"rupiah": rupiah, "when": when})
mailer = Mailer(outbox=MailOutbox, templates=templates, message_id_domain="esensi.online")

send_main_email = make_context_sender("main", mailer=mailer)
send_chapter_email = make_context_sender("chapter", mailer=mailer)
send_auth_email = make_context_sender("auth", mailer=mailer)
