"""Every message of the auth layer speaks both languages."""

from __future__ import annotations

import pytest

from rlib.auth import errors
from rlib.auth.messages import AUTH_MESSAGES
from rlib.errors import RlibError


@pytest.mark.parametrize("key", sorted(AUTH_MESSAGES))
def test_each_key_has_indonesian_and_english(key):
    texts = AUTH_MESSAGES[key]
    assert set(texts) == {"id", "en"}
    assert texts["id"].strip()
    assert texts["en"].strip()
    assert texts["id"] != texts["en"] or key.startswith("resource.")


def test_every_auth_error_names_a_catalogue_key():
    classes = [
        value
        for value in vars(errors).values()
        if isinstance(value, type)
        and issubclass(value, RlibError)
        and value.__module__ == errors.__name__
    ]
    assert classes
    for cls in classes:
        assert cls.key in AUTH_MESSAGES, cls.__name__
