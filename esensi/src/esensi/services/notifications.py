"""esensi's notifier: ``send_notif`` / ``broadcast`` over the ``notif`` table.

Services call these with their scope; the row joins the caller's transaction and is pushed to
the recipient's sockets after commit (``spec/workflows.md`` section 6 lists every event).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from esensi.models.affiliate import Affiliate
from esensi.models.auth import AuthUser
from esensi.models.author import Author
from esensi.models.customer import Customer
from esensi.models.internal import Internal
from esensi.models.notif import Notif
from esensi.models.publisher import Publisher
from rlib.notify import Notifier

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
