"""The directly written MIME message: parses back to what was queued, and refuses injection."""

import datetime as dt

import pytest

from rlib.mail.mime import compose

DATE = dt.datetime(2026, 11, 25, 8, 30, tzinfo=dt.UTC)


def _compose(**kw):
    values = {
        "from_address": "Toko <toko@example.com>",
        "to": ["pembaca@example.com"],
        "subject": "Pesanan sudah dibayar",
        "message_id": "<m1@shop.test>",
        "date": DATE,
        "headers": {},
        "text": "Halo",
        "html": "<p>Halo</p>",
    } | kw
    return compose(**values)


def test_text_and_html_make_a_multipart_alternative_that_parses_back():
    mail = _compose(text="Halo Sari,\n. titik di awal baris\n", html="<p>Halo Sari</p>")
    message = mail.parsed()
    assert message.get_content_type() == "multipart/alternative"
    parts = {part.get_content_type(): part.get_content() for part in message.iter_parts()}
    assert parts == {
        "text/plain": "Halo Sari,\n. titik di awal baris\n",
        "text/html": "<p>Halo Sari</p>\n",
    }
    assert (message["From"], message["To"]) == ("Toko <toko@example.com>", "pembaca@example.com")
    assert (message["Message-ID"], message["Date"]) == (
        "<m1@shop.test>",
        "Wed, 25 Nov 2026 08:30:00 +0000",
    )
    assert (mail.sender, mail.recipients, mail.smtputf8) == (
        "toko@example.com",
        ("pembaca@example.com",),
        False,
    )
    assert b"\r\n" in mail.data
    assert b"\n" not in mail.data.replace(b"\r\n", b"")


def test_non_ascii_text_is_encoded_and_decodes_to_the_same_text():
    subject = "Terima kasih — pesanan №42 sudah dibayar, selamat membaca bukunya ya " * 2
    mail = _compose(
        from_address="Tökö Buku <toko@example.com>",
        subject=subject,
        text="Halo Sári " + "x" * 1200,
        html="<p>Halo Sári</p>",
    )
    assert mail.data.isascii()
    assert max(len(line) for line in mail.data.split(b"\r\n")) <= 998
    message = mail.parsed()
    assert message["Subject"] == subject
    assert message["From"] == "Tökö Buku <toko@example.com>"
    text = message.get_body(("plain",))
    assert text is not None
    assert text.get_content() == "Halo Sári " + "x" * 1200 + "\n"


def test_single_part_messages():
    only_html = _compose(text=None, html="<p>Hanya HTML</p>").parsed()
    assert only_html.get_content_type() == "text/html"
    only_text = _compose(html=None, text="Hanya teks").parsed()
    assert only_text.get_content_type() == "text/plain"
    assert only_text.get_content() == "Hanya teks\n"


def test_extra_headers_are_written_and_address_lists_fold():
    recipients = [f"pembaca{n}@example.com" for n in range(6)]
    mail = _compose(to=recipients, headers={"X-Stream": "outbound", "Reply-To": "cs@example.com"})
    message = mail.parsed()
    assert message["X-Stream"] == "outbound"
    assert message["Reply-To"] == "cs@example.com"
    assert [a.addr_spec for a in message["To"].addresses] == recipients
    assert mail.recipients == tuple(recipients)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("subject", "Halo\r\nBcc: korban@example.com"),
        ("to", ["a@example.com\nBcc: korban@example.com"]),
        ("headers", {"X-Note": "a\nb"}),
        ("headers", {"Subject": "second subject"}),
        ("headers", {"Bad Name": "x"}),
    ],
)
def test_header_injection_and_repeated_own_headers_are_refused(field, value):
    with pytest.raises(ValueError, match="mail header"):
        _compose(**{field: value})


def test_a_non_ascii_address_goes_out_as_smtputf8():
    mail = _compose(to=["pembáca@example.com"])
    assert mail.smtputf8
    assert mail.recipients == ("pembáca@example.com",)
    assert mail.parsed()["To"] == "pembáca@example.com"
