"""Indonesian by default, English with Accept-Language: en — framework and pydantic messages."""

import pytest

from rlib import NotFoundError, pick_lang, translate_error_message
from rlib.i18n import FRAMEWORK_MESSAGES, LANGS, VALIDATION_MESSAGES, Catalogue


@pytest.mark.parametrize(
    ("header", "lang"),
    [
        (None, "id"),
        ("en", "en"),
        ("en-US,en;q=0.9", "en"),
        ("id-ID,en;q=0.5", "id"),
        ("fr, en;q=0.8", "en"),
        ("fr", "id"),
        ("en;q=0.2, id;q=0.9", "id"),
        ("en;q=abc", "id"),
    ],
)
def test_language_choice(header, lang):
    assert pick_lang(header) == lang


def test_every_catalogue_key_has_both_languages():
    for messages in (FRAMEWORK_MESSAGES, VALIDATION_MESSAGES):
        for key, texts in messages.items():
            assert set(texts) == set(LANGS), key
            assert all(texts.values()), key


def test_translate_error_message_fills_parameters():
    catalogue = Catalogue()
    assert translate_error_message(catalogue, NotFoundError("Buku"), "id") == "Buku tidak ditemukan"
    assert translate_error_message(catalogue, NotFoundError("Book"), "en") == "Book not found"


def test_app_messages_extend_the_catalogue():
    catalogue = Catalogue({"book.locked": {"id": "Buku terkunci", "en": "Book locked"}})
    assert catalogue.text("book.locked", "en") == "Book locked"
    assert catalogue.text("error.forbidden", "id") == "Anda tidak memiliki akses ke fitur ini"


async def test_errors_in_english_on_request(client):
    response = await client.post("/api/shop/item/mine", headers={"accept-language": "en"})
    assert response.json()["message"] == "You must sign in to use this feature"


async def test_pydantic_messages_in_english_on_request(client):
    response = await client.post(
        "/api/shop/item/create", json={"name": "x"}, headers={"accept-language": "en-GB"}
    )
    body = response.json()
    assert body["message"] == "The data sent is invalid"
    assert body["errors"] == [
        {"field": "sku", "loc": ["body", "sku"], "message": "Field required", "type": "missing"}
    ]
