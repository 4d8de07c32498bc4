"""Every new password takes one path: ``rlib.auth.credentials.set_new_password``."""

from __future__ import annotations

import re
from pathlib import Path

from rlib.auth.credentials import RULES, PasswordReason

ROOT = Path(__file__).resolve().parents[2]
# Where hashing a password is allowed: the path itself, the hashing modules, sign-in's
# rehash of the password just verified, and the demo seed's fixed demo passwords.
ALLOWED = {
    "rlib/src/rlib/auth/credentials.py",
    "rlib/src/rlib/auth/hashing.py",
    "rlib/src/rlib/auth/passwords.py",
    "esensi/src/esensi/seed/world.py",
}
HASHING = re.compile(r"\bhasher\.hash\(|\bhash_password\(")


def test_the_rules_follow_security_md_s6_and_p5():
    assert RULES[PasswordReason.CHANGE].revoke == "others"
    assert RULES[PasswordReason.RESET].revoke == "all"
    assert RULES[PasswordReason.CREATE].revoke == "none"
    assert [reason for reason, rule in RULES.items() if rule.notify] == [
        PasswordReason.CHANGE,
        PasswordReason.RESET,
    ]


def test_no_other_module_hashes_a_new_password():
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("rlib/src", "esensi/src")
        for path in (ROOT / folder).rglob("*.py")
        if str(path.relative_to(ROOT)) not in ALLOWED and HASHING.search(path.read_text())
    ]
    assert offenders == [], "set passwords through rlib.auth.credentials.set_new_password"
