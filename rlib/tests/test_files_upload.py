"""rlib.files through HTTP: streamed multipart, limits, re-encoded images, safe serving."""

from __future__ import annotations

import asyncio
import io
import re

import pytest
from files_helpers import MAX_FILE, files_app, image_bytes, leftovers
from PIL import Image

from rlib.testing import app_client, fresh_database, sqlite_url

NAME = re.compile(r"^2026-12/05/[A-Za-z0-9_-]{22}\.(png|jpg|pdf)$")
PDF = b"%PDF-1.7\n" + b"0" * 100


@pytest.fixture
async def http(tmp_path):
    async with (
        fresh_database(sqlite_url(tmp_path)) as db,
        app_client(files_app(tmp_path, db)) as client,
    ):
        yield client


def multipart(*parts: tuple[str, str | None, bytes], boundary: str = "b0und") -> tuple[bytes, dict]:
    body = b""
    for name, filename, content in parts:
        disposition = f'form-data; name="{name}"'
        if filename is not None:
            disposition += f'; filename="{filename}"'
        body += f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode()
        body += content + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    return body, {"content-type": f"multipart/form-data; boundary={boundary}"}


async def send(http, *parts, **kwargs):
    body, headers = multipart(*parts, **kwargs)
    return await http.post("/upload", content=body, headers=headers)


async def test_an_image_is_stored_under_a_generated_name_without_its_metadata(http, tmp_path):
    sent = image_bytes("JPEG", exif=True)
    assert b"SecretCamera" in sent
    response = await send(http, ("kind", None, b"avatar"), ("file", "../../me.svg", sent))
    assert response.status_code == 200, response.text
    data = response.json()["data"]
    assert NAME.match(data["name"])
    assert data["name"].endswith(".jpg")
    assert data["fields"] == {"kind": "avatar"}
    kept = (tmp_path / "public" / data["name"]).read_bytes()
    assert b"SecretCamera" not in kept
    assert Image.open(io.BytesIO(kept)).size == (40, 30)
    assert leftovers(tmp_path) == []


async def test_the_client_name_never_reaches_the_disk(http, tmp_path):
    response = await send(http, ("file", "evil.php.png", image_bytes()))
    name = response.json()["data"]["name"]
    assert "evil" not in name
    assert name.endswith(".png")


async def test_a_declared_body_over_the_limit_is_413_before_reading(http, tmp_path):
    body, headers = multipart(("file", "a.pdf", PDF + b"0" * (MAX_FILE + 100_000)))
    response = await http.post("/upload", content=body, headers=headers)
    assert response.status_code == 413
    assert response.json()["code"] == "payload_too_large"
    assert leftovers(tmp_path) == []


async def test_a_streamed_file_over_the_limit_is_413_and_leaves_nothing(http, tmp_path):
    body, headers = multipart(("file", "a.pdf", PDF + b"0" * (MAX_FILE + 1)))

    async def chunks():  # no Content-Length: counted while it streams
        for start in range(0, len(body), 8192):
            yield body[start : start + 8192]

    response = await http.post("/upload", content=chunks(), headers=headers)
    assert response.status_code == 413
    assert leftovers(tmp_path) == []


async def test_a_file_of_exactly_the_limit_is_accepted(http):
    response = await send(http, ("file", "a.pdf", PDF + b"0" * (MAX_FILE - len(PDF))))
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    "content_type", ["application/json", "multipart/form-data", "text/plain", None]
)
async def test_a_body_that_is_not_multipart_with_a_boundary_is_415(http, content_type):
    headers = {"content-type": content_type} if content_type else {}
    response = await http.post("/upload", content=b"{}", headers=headers)
    assert response.status_code == 415
    assert response.json()["message"] == "Kirim berkas sebagai multipart/form-data"


async def test_two_files_are_refused_and_both_removed(http, tmp_path):
    response = await send(http, ("a", "1.pdf", PDF), ("b", "2.pdf", PDF))
    assert response.status_code == 400
    assert response.json()["code"] == "multipart_one_file"
    assert leftovers(tmp_path) == []


async def test_a_truncated_body_is_400_and_leaves_nothing(http, tmp_path):
    body, headers = multipart(("file", "a.pdf", PDF))
    response = await http.post("/upload", content=body[:-40], headers=headers)
    assert response.status_code == 400
    assert response.json()["code"] == "multipart_malformed"
    assert leftovers(tmp_path) == []


async def test_garbage_after_the_content_type_is_400(http):
    response = await http.post(
        "/upload",
        content=b"not a multipart body at all",
        headers={"content-type": "multipart/form-data; boundary=xyz"},
    )
    assert response.status_code == 400


@pytest.mark.parametrize("value", [b"a\x00b", b"\xff\xfe", b"x" * 2000])
async def test_bad_text_fields_are_400(http, value):
    response = await send(http, ("kind", None, value), ("file", "a.pdf", PDF))
    assert response.status_code == 400
    assert response.json()["code"] == "multipart_malformed"


async def test_too_many_fields_are_400(http):
    fields = [(f"f{i}", None, b"v") for i in range(17)]
    response = await send(http, *fields, ("file", "a.pdf", PDF))
    assert response.status_code == 400


async def test_a_client_that_stops_sending_is_cut_off(tmp_path):
    async with fresh_database(sqlite_url(tmp_path)) as db:
        app = files_app(tmp_path, db, idle_timeout_s=0.05)
        body, headers = multipart(("file", "a.pdf", PDF))
        sent: list[dict] = []
        messages = [{"type": "http.request", "body": body[:50], "more_body": True}]

        async def receive():
            if messages:
                return messages.pop(0)
            await asyncio.sleep(10)
            return {"type": "http.disconnect"}

        async def send_(message):
            sent.append(message)

        raw = [(k.encode(), v.encode()) for k, v in headers.items()]
        scope = {
            "type": "http",
            "method": "POST",
            "path": "/upload",
            "query_string": b"",
            "headers": raw,
        }
        await app.startup()
        try:
            await app(scope, receive, send_)
        finally:
            await app.shutdown()
    assert sent[0]["status"] == 408
    assert leftovers(tmp_path) == []


async def test_an_image_with_too_many_pixels_is_refused_before_decoding(http, tmp_path):
    huge = image_bytes("PNG", size=(1, 1))
    # Rewrite the IHDR size to 20000 x 20000 (the pixels are never there to decode).
    patched = huge[:16] + (20000).to_bytes(4, "big") * 2 + huge[24:]
    response = await send(http, ("file", "a.png", patched))
    assert response.status_code == 422
    assert leftovers(tmp_path) == []


async def test_a_broken_image_is_422(http):
    response = await send(http, ("file", "a.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 20))
    assert response.status_code == 422
    assert response.json()["errors"][0]["message"] == "Gambar tidak dapat dibaca atau terlalu besar"


async def _stored(http, content: bytes, filename: str = "x.png") -> str:
    response = await send(http, ("file", filename, content))
    assert response.status_code == 200, response.text
    return str(response.json()["data"]["name"])


async def test_an_image_is_served_with_safe_headers_and_a_year_of_cache(http):
    name = await _stored(http, image_bytes())
    response = await http.get(f"/f/{name}")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in response.headers["content-security-policy"]
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert "content-disposition" not in response.headers
    again = await http.get(f"/f/{name}", headers={"if-none-match": response.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""


async def test_a_document_is_an_attachment(http):
    name = await _stored(http, PDF, "a.pdf")
    response = await http.get(f"/f/{name}")
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("attachment")


async def test_resizing_fits_the_box_never_upscales_and_is_cached(http, tmp_path):
    name = await _stored(http, image_bytes(size=(400, 200)))
    small = await http.get(f"/f/{name}", params={"w": 100})
    assert Image.open(io.BytesIO(small.content)).size == (100, 50)
    big = await http.get(f"/f/{name}", params={"w": 2000, "h": 2000})
    assert Image.open(io.BytesIO(big.content)).size == (400, 200)
    cached = list((tmp_path / "public" / ".sizes").rglob("*.png"))
    assert len(cached) == 2


async def test_resizing_a_document_is_422(http):
    name = await _stored(http, PDF, "a.pdf")
    response = await http.get(f"/f/{name}", params={"w": 100})
    assert response.status_code == 422


@pytest.mark.parametrize(
    "path",
    [
        "2026-12/05/../../../../etc/passwd",
        "..%2F..%2Fetc%2Fpasswd",
        ".incoming/x.png",
        "2026-12/05/nope.png",
        "2026-12/05/AAAAAAAAAAAAAAAAAAAAAA.png",
    ],
)
async def test_anything_but_a_stored_name_is_404(http, path):
    response = await http.get(f"/f/{path}")
    assert response.status_code == 404
    assert response.json()["success"] is False


async def test_a_link_planted_in_the_root_does_not_lead_out(http, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(image_bytes())
    planted = tmp_path / "public" / "2026-12" / "05" / ("L" * 22 + ".png")
    planted.parent.mkdir(parents=True, exist_ok=True)
    planted.symlink_to(secret)
    response = await http.get(f"/f/2026-12/05/{'L' * 22}.png")
    assert response.status_code == 404
