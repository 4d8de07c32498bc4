"""Rules a credential change must pass: the password policy (security.md P4) and the
fresh-sign-in window of sensitive actions (S7)."""

from __future__ import annotations

import datetime as dt
from functools import cache

from zxcvbn.frequency_lists import FREQUENCY_LISTS  # type: ignore[import-untyped]  # no stubs

from rlib.auth.errors import ReauthRequiredError
from rlib.auth.kit import AuthKit
from rlib.auth.users import current_user
from rlib.errors import FieldError, ValidationError
from rlib.scope import Scope

MIN_LENGTH = 8
MAX_LENGTH = 128


@cache
def common_passwords() -> frozenset[str]:
    """The 30000 most common passwords of zxcvbn's list (lower case), loaded once on first use."""
    return frozenset(FREQUENCY_LISTS["passwords"])


def check_new_password(password: str, *, field: str = "password") -> None:
    """Refuse (422) a new password outside 8-128 characters or on the common-password list.

    The password is never trimmed or case-folded for storage; only the list lookup ignores
    case, so ``Password1`` counts as common like ``password1``.
    """
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise ValidationError([FieldError(loc=("body", field), key="auth.password_length")])
    if password.lower() in common_passwords():
        raise ValidationError([FieldError(loc=("body", field), key="auth.password_common")])


def require_fresh(scope: Scope, kit: AuthKit) -> None:
    """403 ``reauth_required`` unless the caller entered their password (or a second factor)
    within the last ``fresh_s`` seconds; 401 without a session."""
    user = current_user(scope)
    signed_in = user.authenticated_at
    window = dt.timedelta(seconds=kit.config.fresh_s)
    if not isinstance(signed_in, dt.datetime) or kit.now() - signed_in > window:
        raise ReauthRequiredError()
