"""Client address behind trusted proxies, IPv6 buckets, and the CSRF rule (R4, C1, C2)."""

from __future__ import annotations

import pytest

from rlib.auth.csrf import check_csrf
from rlib.auth.errors import CsrfRejectedError
from rlib.throttle import client_ip, ip_bucket, parse_networks

PROXIES = parse_networks(["10.0.0.0/8"])


@pytest.mark.parametrize(
    ("peer", "xff", "trusted", "expected"),
    [
        ("203.0.113.9", "1.2.3.4", (), "203.0.113.9"),  # spoofed header, no trusted proxy
        ("203.0.113.9", "1.2.3.4", PROXIES, "203.0.113.9"),  # peer is not a proxy
        ("10.0.0.2", "1.2.3.4", PROXIES, "1.2.3.4"),
        ("10.0.0.2", "6.6.6.6, 1.2.3.4, 10.0.0.7", PROXIES, "1.2.3.4"),
        ("10.0.0.2", "garbage", PROXIES, "10.0.0.2"),
        ("10.0.0.2", None, PROXIES, "10.0.0.2"),
    ],
)
def test_client_ip(peer, xff, trusted, expected):
    assert client_ip(peer, xff, trusted) == expected


def test_one_ipv6_64_shares_a_bucket():
    assert ip_bucket("2001:db8:1:2::1") == ip_bucket("2001:db8:1:2:ffff::9")
    assert ip_bucket("2001:db8:1:3::1") != ip_bucket("2001:db8:1:2::1")
    assert ip_bucket("192.0.2.1") == "192.0.2.1"


OWN = "https://esensi.online"
TRUSTED = frozenset({"https://publish.esensi.online"})


@pytest.mark.parametrize(
    ("origin", "site", "allowed"),
    [
        ("https://evil.test", "cross-site", False),
        ("https://sub.esensi.online", "same-site", False),
        (OWN, "same-origin", True),
        ("https://evil.test", None, False),
        ("null", None, False),
        ("null", "same-origin", False),
        (None, None, True),  # non-browser client
        (None, "none", True),  # typed in the address bar
        (OWN, None, True),
        ("https://publish.esensi.online", "same-site", True),  # trusted origin
    ],
)
def test_csrf_rule(origin, site, allowed):
    def run():
        check_csrf(method="POST", origin=origin, fetch_site=site, own_origin=OWN, trusted=TRUSTED)

    if allowed:
        run()
    else:
        with pytest.raises(CsrfRejectedError):
            run()


def test_safe_methods_skip_the_csrf_rule():
    check_csrf(method="GET", origin="null", fetch_site="cross-site", own_origin=OWN, trusted=())
