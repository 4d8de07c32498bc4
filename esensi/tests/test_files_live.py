"""Uploads against a real ``esensi serve`` (uvicorn, real sockets): the limits of security.md
section 10 hold on the wire, and the file URL cannot be walked out of, even with a raw request
line that no HTTP client would normalise."""

from __future__ import annotations

import io
import socket
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from live_server import live_server
from PIL import Image

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("live_server")]

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
PDF = b"%PDF-1.7\n" + b"0" * 100


def png(size: tuple[int, int] = (300, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (1, 2, 3)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    quiet = {"ESENSI_MAIL__WORKER": "false"}  # no second writer on the SQLite file
    with live_server(tmp_path_factory.mktemp("files-live"), quiet) as found:
        yield found


@pytest.fixture(scope="module")
def staff(origin: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=origin, timeout=60) as client:
        signed_in = _sign_in(client)
        assert signed_in.status_code == 200, signed_in.text
        client.headers["Authorization"] = f"Bearer {signed_in.json()['token']}"
        client.cookies.clear()
        yield client


def _sign_in(client: httpx.Client) -> httpx.Response:
    # 503 is the documented "busy, try again" of a SQLite write under load: retry it briefly.
    for _ in range(5):
        answer = client.post(
            "/api/auth/sign-in/email",
            json={"email": "admin@esensi.online", "password": "Staf-Esensi-2025"},
        )
        if answer.status_code != 503:
            break
        time.sleep(1)
    return answer


def upload(client: httpx.Client, kind: str, content: bytes, filename: str) -> httpx.Response:
    return client.post(
        "/api/upload", data={"kind": kind}, files={"file": (filename, content, "image/png")}
    )


def raw_get(origin: str, target: str) -> int:
    """The status of ``GET <target>`` sent byte for byte (no client-side path clean-up)."""
    parts = urlsplit(origin)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        sock.sendall(
            f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode()
        )
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return int(answer.split(b" ", 2)[1])


def test_an_image_round_trips_resized(staff: httpx.Client):
    stored = upload(staff, "image", png(), "cover.png")
    assert stored.status_code == 200, stored.text
    served = staff.get("/" + stored.json()["data"]["name"], params={"w": 150})
    assert served.status_code == 200
    assert Image.open(io.BytesIO(served.content)).size == (150, 100)


def test_an_avatar_over_five_mib_is_413(staff: httpx.Client):
    response = upload(staff, "avatar", png() + b"\x00" * (5 * 1024 * 1024), "big.png")
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"


@pytest.mark.parametrize(
    ("content", "filename"), [(PDF, "photo.png"), (SVG, "logo.svg"), (SVG, "logo.png")]
)
def test_a_lying_extension_or_svg_is_415(staff: httpx.Client, content: bytes, filename: str):
    response = upload(staff, "avatar", content, filename)
    assert response.status_code == 415


@pytest.mark.parametrize(
    "target",
    [
        "/_file/upload/../../../etc/passwd",
        "/_file/upload/..%2f..%2f..%2fetc%2fpasswd",
        "/_file/upload/%2e%2e/%2e%2e/live.sqlite3",
        "/_file/upload/2026-12/05/..%5c..%5clive.sqlite3",
        "/_file/book/../upload/x.png",
    ],
)
def test_the_file_url_cannot_leave_the_upload_root(origin: str, target: str):
    assert raw_get(origin, target) == 404


@pytest.mark.parametrize("query", [{"w": 2049}, {"h": 0}, {"w": "x"}])
def test_resize_bounds_are_422(staff: httpx.Client, query: dict[str, object]):
    name = upload(staff, "image", png((20, 20)), "s.png").json()["data"]["name"]
    assert staff.get("/" + name, params=query).status_code == 422
