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
