"""Password policy (P4): length in characters, any Unicode, the common-password list."""

from __future__ import annotations

import pytest

from rlib.auth.rules import check_new_password, common_passwords
from rlib.errors import ValidationError


def test_the_list_holds_thousands_of_common_passwords():
    assert len(common_passwords()) >= 3000
    assert {"password", "12345678", "iloveyou"} <= common_passwords()


@pytest.mark.parametrize("password", ["kata sandiku", "  spasi  ", "日本語のパスワード", "x" * 128])
def test_any_unicode_of_8_to_128_characters_is_accepted(password):
    check_new_password(password)


@pytest.mark.parametrize(
    ("password", "key"),
    [
        ("1234567", "auth.password_length"),
        ("x" * 129, "auth.password_length"),
        ("baseball", "auth.password_common"),
        ("QWERTYUIOP", "auth.password_common"),
    ],
)
def test_short_long_and_common_passwords_are_422(password, key):
    with pytest.raises(ValidationError) as raised:
        check_new_password(password, field="newPassword")
    assert raised.value.errors[0].key == key
    assert raised.value.errors[0].loc == ("body", "newPassword")
