"""esensi's notifier: ``send_notif`` / ``broadcast`` over the ``notif`` table.

Services call these with their scope; the row joins the caller's transaction and is pushed to
the recipient's sockets after commit (``spec/workflows.md`` section 6 lists every event).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, func, or_, select

from esensi.models.affiliate import Affiliate
from esensi.models.auth import AuthUser
from esensi.models.author import Author
from esensi.models.customer import Customer
from esensi.models.internal import Internal
from esensi.models.notif import Notif
from esensi.models.publisher import Publisher
from rlib.auth import mailer as auth_mail
from rlib.auth.mailer import AuthEmail, AuthMailer
from rlib.notify import Notifier
from rlib.scope import Scope

PROFILE_TABLES: dict[str, Any] = {
    "customer": Customer,
    "author": Author,
    "publisher": Publisher,
    "internal": Internal,
    "affiliate": Affiliate,
}


def audience(user_type: str | None) -> Select[Any]:
    """Ids of the live logins holding ``user_type`` (every live login when None)."""
    live = AuthUser.deleted_at.is_(None)
    if user_type is None:
        return select(AuthUser.id).where(live)
    profile = PROFILE_TABLES.get(user_type)
    if profile is None:
        raise ValueError(f"unknown user type {user_type!r}")
    return select(AuthUser.id).where(
        live, AuthUser.id.in_(select(profile.id_user).where(profile.id_user.is_not(None)))
    )


notifier = Notifier(Notif, audience=audience)
send_notif = notifier.send_notif
send_many = notifier.send_many
broadcast = notifier.broadcast


# Account notices also shown in the app (the email goes out as well), per language.
ACCOUNT_NOTICES: dict[str, dict[str, str]] = {
    auth_mail.PASSWORD_CHANGED: {
        "id": "Kata sandi akun Anda telah diubah",
        "en": "Your account password was changed",
    },
    auth_mail.EMAIL_CHANGED: {
        "id": "Email akun Anda telah diubah menjadi {new_email}",
        "en": "Your account email was changed to {new_email}",
    },
    auth_mail.TWO_FACTOR_ENABLED: {
        "id": "Verifikasi dua langkah diaktifkan",
        "en": "Two-step verification was turned on",
    },
    auth_mail.TWO_FACTOR_DISABLED: {
        "id": "Verifikasi dua langkah dinonaktifkan",
        "en": "Two-step verification was turned off",
    },
}


class AccountNotices:
    """An auth mailer that sends through ``inner`` and also notifies the account's owner in
    the app for the notices above (same transaction: a rolled-back change notifies nobody)."""

    def __init__(self, inner: AuthMailer) -> None:
        self.inner = inner

    def __getattr__(self, name: str) -> Any:
        # The wrapped mailer's own attributes (a test's memory mailer: ``sent``, ``last``).
        return getattr(self.inner, name)

    async def __call__(self, scope: Scope, email: AuthEmail) -> None:
        await self.inner(scope, email)
        texts = ACCOUNT_NOTICES.get(email.template)
        if texts is None:
            return
        user_id = await _owner(scope, email.to)
        if user_id is None:
            return
        message = texts.get(email.lang, texts["id"]).format_map(dict(email.context))
        await send_notif(scope, user_id, {"notif": {"type": "message", "message": message}})


async def _owner(scope: Scope, address: str) -> Any:
    """The signed-in user, else the live login with that address."""
    if scope.user is not None:
        return scope.user.id
    return await scope.db.scalar(
        select(AuthUser.id).where(
            func.lower(AuthUser.email) == address.lower(), AuthUser.deleted_at.is_(None)
        )
    )


def by_locale(logins: Sequence[Any]) -> dict[str, list[Any]]:
    """Recipients (rows with ``locale``) grouped by language: texts are stored rendered."""
    groups: dict[str, list[Any]] = defaultdict(list)
    for login in logins:
        groups["en" if login.locale == "en" else "id"].append(login)
    return groups


SUBMITTED = {
    "id": "Buku baru menunggu review: {title}",
    "en": "New book awaiting review: {title}",
}


async def reviewer_logins(scope: Scope) -> list[Any]:
    """The live logins of every reviewer (management or support staff): id, name, email,
    locale."""
    rows = await scope.db.execute(
        select(AuthUser.id, AuthUser.name, AuthUser.email, AuthUser.locale)
        .join(Internal, Internal.id_user == AuthUser.id)
        .where(or_(Internal.is_management, Internal.is_support), AuthUser.deleted_at.is_(None))
        .order_by(AuthUser.id)
    )
    return list(rows.all())


async def notify_reviewers_of_submission(
    scope: Scope,
    *,
    book_id: uuid.UUID,
    title: str,
    reviewers: Sequence[Any] | None = None,
) -> int:
    """``book-submit`` to every reviewer (management or support staff), one multi-row insert
    per language (``spec/workflows.md`` section 6). ``reviewers``: their :func:`reviewer_logins`
    rows when the caller looked them up already. Returns how many were notified."""
    if reviewers is None:
        reviewers = await reviewer_logins(scope)
    for lang, group in by_locale(reviewers).items():
        content = {
            "type": "book-submit",
            "message": SUBMITTED[lang].format(title=title)[:1000],
            "url": f"/book/{book_id}",
        }
        await send_many(scope, [login.id for login in group], content)
    return len(reviewers)
