"""Staff accounts: a login with a password and an ``internal`` profile carrying role flags."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select

from esensi.models.auth import AuthUser
from esensi.models.internal import Internal
from esensi.services import audit
from esensi.users import STAFF_ROLES
from rlib import ConflictError, Scope, ValidationError
from rlib.auth.credentials import PasswordReason, set_new_password
from rlib.auth.kit import AuthKit
from rlib.errors import FieldError


async def create_staff(
    scope: Scope,
    kit: AuthKit,
    *,
    email: str,
    name: str,
    password: str,
    roles: Iterable[str],
    actor: audit.Actor = audit.SYSTEM,
) -> Internal:
    """Create a verified staff login with the given role flags; the profile link is audited
    with ``actor`` (the operator's command line: :data:`~esensi.services.audit.SYSTEM`).

    The password goes through rlib's one password path (``set_new_password``): the full
    policy, the bounded hasher.

    Raises:
        ValidationError: unknown role, no role, or a password the policy refuses.
        ConflictError: the email already has a login.
    """
    wanted = set(roles)
    unknown = wanted - set(STAFF_ROLES)
    if not wanted or unknown:
        raise ValidationError(
            [
                FieldError(
                    loc=("roles",),
                    key="v.choice",
                    params={"expected": ", ".join(sorted(STAFF_ROLES))},
                )
            ]
        )
    normalized = email.strip().lower()
    taken = await scope.db.scalar(
        select(AuthUser.id).where(func.lower(AuthUser.email) == normalized)
    )
    if taken is not None:
        raise ConflictError()
    user = AuthUser(name=name, email=normalized, email_verified=True)
    scope.db.add(user)
    await scope.db.flush()
    await set_new_password(scope, kit, user, password, reason=PasswordReason.CREATE)
    staff = Internal(name=name, id_user=user.id, **{STAFF_ROLES[r]: True for r in wanted})
    scope.db.add(staff)
    await scope.db.flush()
    await audit.profile_linked(
        scope, actor, profile_type="internal", profile_id=staff.id, user_id=user.id
    )
    return staff
