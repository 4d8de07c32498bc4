"""Short codes, their digests, TOTP steps and sealed secrets (rlib.auth.codes, .totp,
.secretbox)."""

from __future__ import annotations

import base64
import datetime as dt
import re

import pyotp
import pytest

from rlib.auth.codes import CodeHasher, new_backup_codes, new_otp, normalize_backup_code
from rlib.auth.secretbox import SealError, SecretBox, derive_key
from rlib.auth.totp import accepted_step, code_at, new_secret, provisioning_uri, step_at

KEY = derive_key("a-test-secret-of-enough-length-0123", "test")


def test_otps_are_six_digits_and_vary():
    codes = {new_otp() for _ in range(200)}
    assert all(re.fullmatch(r"[0-9]{6}", code) for code in codes)
    assert len(codes) > 190


def test_backup_codes_are_ten_distinct_codes_of_ten_characters():
    codes = new_backup_codes()
    assert len(codes) == len(set(codes)) == 10
    assert all(re.fullmatch(r"[a-z2-9]{5}-[a-z2-9]{5}", code) for code in codes)
    assert normalize_backup_code(" ABCDE-fghjk ") == "abcdefghjk"


def test_digest_is_keyed_and_counts_comparisons():
    one, other = CodeHasher(KEY), CodeHasher(derive_key("another-secret", "test"))
    assert one.digest("a", "123456") != other.digest("a", "123456")
    assert one.digest("a", "123456") != one.digest("b", "123456")
    stored = one.digest("a", "123456")
    assert one.matches(stored, "a", "123456")
    assert not one.matches(stored, "a", "123457")
    assert one.comparisons == 2


def test_a_backup_code_is_removed_once():
    hasher = CodeHasher(KEY)
    stored = [hasher.backup_digest("me", code) for code in ("aaaaa-bbbbb", "ccccc-ddddd")]
    left = hasher.without_backup_code(stored, "me", "AAAAABBBBB")
    assert left == stored[1:]
    assert hasher.without_backup_code(left or [], "me", "aaaaa-bbbbb") is None
    assert hasher.without_backup_code(stored, "someone-else", "aaaaa-bbbbb") is None


def test_sealed_secret_opens_only_for_its_owner_and_key():
    box = SecretBox(KEY)
    sealed = box.seal("JBSWY3DPEHPK3PXP", owner="user-1")
    assert "JBSWY3DPEHPK3PXP" not in sealed
    assert box.seal("JBSWY3DPEHPK3PXP", owner="user-1") != sealed  # a fresh nonce each time
    assert box.open(sealed, owner="user-1") == "JBSWY3DPEHPK3PXP"
    with pytest.raises(SealError):
        box.open(sealed, owner="user-2")
    with pytest.raises(SealError):
        SecretBox(derive_key("another-secret", "test")).open(sealed, owner="user-1")
    # Flip a bit of the tag itself: editing a base64 character may change only padding bits.
    raw = bytearray(base64.urlsafe_b64decode(sealed[3:]))
    raw[-1] ^= 0x01
    tampered = "v1." + base64.urlsafe_b64encode(bytes(raw)).decode("ascii")
    with pytest.raises(SealError):
        box.open(tampered, owner="user-1")
    with pytest.raises(SealError):
        box.open("v0." + sealed[3:], owner="user-1")


def test_totp_codes_match_pyotp_and_the_window_is_one_step():
    secret = new_secret()
    now = dt.datetime(2026, 1, 1, 12, 0, 10, tzinfo=dt.UTC)
    step = step_at(now)
    assert code_at(secret, step) == pyotp.TOTP(secret).at(now)
    assert accepted_step(secret, code_at(secret, step), now=now, after=None) == step
    assert accepted_step(secret, code_at(secret, step + 1), now=now, after=None) == step + 1
    assert accepted_step(secret, code_at(secret, step - 1), now=now, after=None) == step - 1
    assert accepted_step(secret, code_at(secret, step + 2), now=now, after=None) is None
    assert accepted_step(secret, code_at(secret, step), now=now, after=step) is None
    assert accepted_step(secret, " " + code_at(secret, step), now=now, after=step - 1) == step


def test_provisioning_uri_names_account_and_issuer():
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    uri = provisioning_uri(secret, account="sari@contoh.id", issuer="Esensi Online")
    assert uri.startswith("otpauth://totp/Esensi%20Online:sari%40contoh.id?secret=" + secret)
