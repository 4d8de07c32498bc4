"""argon2id password hashing: parameters, verification, rehash detection."""

import pytest
from argon2 import PasswordHasher, Type

from rlib.auth.passwords import hash_password, needs_rehash, verify_password


def test_hash_is_argon2id_with_the_owasp_parameters():
    hashed = hash_password("rahasia-123")
    assert hashed.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert "rahasia-123" not in hashed


def test_the_right_password_verifies_and_a_wrong_one_does_not():
    hashed = hash_password("Kata sandi ✓ 123")
    assert verify_password(hashed, "Kata sandi ✓ 123") is True
    assert verify_password(hashed, "kata sandi ✓ 123") is False
    assert verify_password(hashed, "") is False


def test_each_hash_has_its_own_salt():
    first, second = hash_password("sama"), hash_password("sama")
    assert first != second
    assert verify_password(first, "sama")
    assert verify_password(second, "sama")


@pytest.mark.parametrize("stored", ["", "plaintext", "$argon2id$v=19$m=19456,t=2,p=1$broken"])
def test_a_corrupt_stored_hash_denies_instead_of_raising(stored):
    assert verify_password(stored, "plaintext") is False


def test_needs_rehash_only_for_other_parameters():
    assert needs_rehash(hash_password("x")) is False
    weaker = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1, type=Type.ID)
    assert needs_rehash(weaker.hash("x")) is True
    argon2i = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1, type=Type.I)
    assert needs_rehash(argon2i.hash("x")) is True


def test_a_hash_from_other_parameters_still_verifies():
    weaker = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1, type=Type.ID)
    assert verify_password(weaker.hash("lama"), "lama") is True


def test_a_non_argon2_string_needs_rehashing():
    # A legacy or corrupt hash is replaced at the next successful sign-in.
    assert needs_rehash("not a hash") is True


# Made by Node's crypto.scrypt exactly as better-auth's generateKey does (salt hex text as the
# salt, NFKC password, N=16384 r=16 p=1 dkLen=64) for ORIGINAL_PASSWORD (a full-width s and
# the fi ligature, which NFKC folds to "Kata sandi fi 123").
ORIGINAL_PASSWORD = "Kata \uff53andi \ufb01 123"
BETTER_AUTH_HASH = (
    "8f1e3a5c7b9d0f2e4a6c8e0b1d3f5a7c:"
    "8dcd9e67e835894ac305ef0bcecb90633f47c32be40923a4c1f2d46fc694f225"
    "b4e3d65d1b77c929d01ebeb8c0e924312aa76ccf39c71080fc974457e43fb6ba"
)


def test_a_better_auth_scrypt_hash_verifies_with_the_original_password():
    assert verify_password(BETTER_AUTH_HASH, ORIGINAL_PASSWORD) is True
    assert verify_password(BETTER_AUTH_HASH, "Kata sandi fi 123") is True  # NFKC-equal
    assert verify_password(BETTER_AUTH_HASH, "Kata sandi fi 124") is False


def test_a_better_auth_scrypt_hash_always_needs_a_rehash():
    assert needs_rehash(BETTER_AUTH_HASH) is True


def test_a_tampered_better_auth_hash_denies():
    tampered = BETTER_AUTH_HASH[:-1] + ("0" if BETTER_AUTH_HASH[-1] != "0" else "1")
    assert verify_password(tampered, ORIGINAL_PASSWORD) is False
