"""The redirect validator (K1, T3.9): Django's unsafe URLs plus our host rules."""

from __future__ import annotations

import pytest

from rlib.auth.redirects import require_redirect, safe_redirect
from rlib.errors import ValidationError

ORIGINS = frozenset({"https://testserver", "https://auth.esensi.test"})
DEFAULT = "https://auth.esensi.test"

UNSAFE = [
    "http://example.com",
    "http:///example.com",
    "https://example.com",
    "ftp://example.com",
    r"\\example.com",
    r"\\\example.com",
    r"/\\/example.com",
    r"\\//example.com",
    r"/\/example.com",
    r"\/example.com",
    r"/\example.com",
    r"http:/\//example.com",
    r"http:\/example.com",
    r"http:/\example.com",
    'javascript:alert("XSS")',
    "\njavascript:alert(x)",
    "\x08//example.com",
    r"http://otherserver\@example.com",
    r"http:\\testserver\@example.com",
    r"http://testserver\me:pass@example.com",
    r"http://testserver\@example.com",
    r"http:\\testserver\confirm\me@example.com",
    "http:999999999",
    "ftp:9999999999",
    "\n",
    "http://[2001:cdba:0000:0000:0000:0000:3257:9652/",
    "http://2001:cdba:0000:0000:0000:0000:3257:9652]/",
    "//example.com",
    "///example.com",
    "https://testserver@example.com/",
    "https://user:pass@testserver/",
    # Our host rules: plain http, another port, a look-alike host, a relative path.
    "http://testserver/",
    "https://testserver:8443/",
    "https://testserver.evil.test/",
    "view/?param=//example.com",
    "//testserver/",
    "",
]

SAFE = [
    ("/view/?param=http://example.com", DEFAULT + "/view/?param=http://example.com"),
    ("/view/?param=https://example.com", DEFAULT + "/view/?param=https://example.com"),
    ("/view?param=ftp://example.com", DEFAULT + "/view?param=ftp://example.com"),
    ("https://testserver/", "https://testserver/"),
    ("HTTPS://testserver/", "HTTPS://testserver/"),
    ("https://testserver/confirm?email=me@example.com", None),
    ("/url%20with%20spaces/", DEFAULT + "/url%20with%20spaces/"),
    ("https://auth.esensi.test", "https://auth.esensi.test"),
    ("https://auth.esensi.test/account#top", None),
    ("/", DEFAULT + "/"),
]


@pytest.mark.parametrize("url", UNSAFE)
def test_unsafe_targets_are_refused(url):
    assert safe_redirect(url, origins=ORIGINS, default_origin=DEFAULT) is None


@pytest.mark.parametrize(("url", "expected"), SAFE)
def test_safe_targets_resolve(url, expected):
    assert safe_redirect(url, origins=ORIGINS, default_origin=DEFAULT) == (expected or url)


def test_a_refused_field_is_a_422_naming_it():
    with pytest.raises(ValidationError) as raised:
        require_redirect("https://evil.test", origins=ORIGINS, default_origin=DEFAULT, field="to")
    assert raised.value.errors[0].loc == ("body", "to")
    assert require_redirect(None, origins=ORIGINS, default_origin=DEFAULT, field="to") is None
