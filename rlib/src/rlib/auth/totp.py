"""TOTP (RFC 6238, pyotp): 30-second steps, six digits, one step of clock drift either way.

A code is accepted only for a step later than the last accepted one, so a code seen on the
wire cannot be replayed within its window (the caller stores the returned step).
"""

from __future__ import annotations

import datetime as dt
import hmac

import pyotp

STEP_S = 30
DRIFT_STEPS = 1


def new_secret() -> str:
    """A random base32 secret of 32 characters (160 bits, RFC 4226's recommended size)."""
    return pyotp.random_base32()


def provisioning_uri(secret: str, *, account: str, issuer: str) -> str:
    """The ``otpauth://totp/...`` URI an authenticator app scans (it carries the secret)."""
    return pyotp.TOTP(secret, interval=STEP_S).provisioning_uri(name=account, issuer_name=issuer)


def step_at(moment: dt.datetime) -> int:
    """The TOTP step (counter) of ``moment``."""
    return int(moment.timestamp()) // STEP_S


def code_at(secret: str, step: int) -> str:
    """The code of ``step`` (tests and the demo compute codes with it)."""
    return pyotp.TOTP(secret, interval=STEP_S).generate_otp(step)


def accepted_step(secret: str, code: str, *, now: dt.datetime, after: int | None) -> int | None:
    """The step within +-1 of ``now`` whose code is ``code`` and which is later than ``after``
    (the last accepted step); None when there is none.

    Every candidate step is compared (no early exit), in constant time each.
    """
    typed = "".join(code.split())
    current = step_at(now)
    found = None
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        fresh = after is None or step > after
        if hmac.compare_digest(code_at(secret, step), typed) and fresh:
            found = step
    return found
