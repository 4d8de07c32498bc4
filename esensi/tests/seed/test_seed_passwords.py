"""The demo seed hashes its fixed passwords directly (once per run); they still meet the policy."""

import pytest

from esensi.seed.people import PASSWORDS
from rlib.auth.rules import check_new_password


@pytest.mark.parametrize("kind", sorted(PASSWORDS))
def test_demo_passwords_meet_the_password_policy(kind):
    check_new_password(PASSWORDS[kind])
