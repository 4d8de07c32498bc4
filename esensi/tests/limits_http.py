"""L1-L8, L11-L13: oversized, chunked and lying bodies, deep JSON, huge pages and bulks, long
queries and heads, uploads over the limit, slow-loris clients — each refusal timed on the wire."""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
import uuid

import httpx
from battery_support import Battery
from limits_live import (
    AVATAR_LIMIT,
    BODY_LIMIT,
    BODY_TIMEOUT_S,
    BULK,
    DETECTION_MS,
    HEAD_LIMIT,
    HEAD_TIMEOUT_S,
    LIST,
    MIB,
    QUERY_LIMIT,
    Answer,
    Live,
    Raw,
    head,
    timed,
    worst,
)
from notify_live import bearer


async def bodies(live: Live, battery: Battery, token: str) -> None:
    sign_in = "/api/auth/sign-in/email"
    json_head = ["Content-Type: application/json", f"Authorization: {token}"]

    # L1: the declared length alone is over: refused before a body byte is sent.
    declared, declared_ms = await timed(
        live.port, head("POST", sign_in, *json_head, f"Content-Length: {BODY_LIMIT + 1}")
    )
    battery.check(
        "L1",
        "declared Content-Length 1 MiB + 1: status, ms after the head",
        f"413, <= {DETECTION_MS:.0f} ms",
        f"{declared.status}, {declared_ms:.1f} ms",
        declared.status == 413 and declared_ms <= DETECTION_MS,
    )

    # L2: chunked, no length: refused on the chunk that crosses the limit.
    raw = await Raw.open(live.port)
    try:
        await raw.send(head("POST", sign_in, *json_head, "Transfer-Encoding: chunked"))
        chunk = 64 * 1024
        for _ in range(BODY_LIMIT // chunk):  # exactly the limit: still accepted
            await raw.send(b"%x\r\n" % chunk + b" " * chunk + b"\r\n")
        await asyncio.sleep(0.3)  # the server has read it all: the next byte is the detection
        crossed = await raw.send(b"1\r\n \r\n")
        chunked = await raw.answer()
    finally:
        raw.close()
    chunked_ms = (chunked.at - crossed) * 1000
    battery.check(
        "L2",
        "chunked body 1 MiB + 1: status, ms after the crossing chunk",
        f"413, <= {DETECTION_MS:.0f} ms",
        f"{chunked.status}, {chunked_ms:.1f} ms",
        chunked.status == 413 and chunked_ms <= DETECTION_MS,
    )

    # L3: declares 2 bytes, sends 2 MiB: the server takes 2 bytes of body; the rest is a
    # malformed next request, refused (uvicorn's 400) and the connection closed.
    raw = await Raw.open(live.port)
    try:
        sent = await raw.send(
            head("POST", sign_in, *json_head, "Content-Length: 2") + b"{}" + b"x" * (2 * MIB)
        )
        answers = [await raw.answer()]
        with contextlib.suppress(AssertionError, ConnectionError, asyncio.IncompleteReadError):
            answers.append(await raw.answer(timeout=5))
        closed = await raw.eof(5.0)
    finally:
        raw.close()
    longer_ms = (time.monotonic() - sent) * 1000
    statuses = [answer.status for answer in answers]
    battery.check(
        "L3",
        "Content-Length 2, 2 MiB sent: statuses, closed, ms to the close",
        "4xx only, closed",
        f"{statuses}, closed={closed}, {longer_ms:.0f} ms",
        all(400 <= status < 500 for status in statuses) and closed,
    )

    # L4: declares 1000 bytes, sends 10 and waits: 408 once the body timeout ends.
    raw = await Raw.open(live.port)
    try:
        sent = time.monotonic()  # before the write: the server's timer cannot start earlier
        await raw.send(head("POST", sign_in, *json_head, "Content-Length: 1000") + b'{"email":')
        short = await raw.answer(timeout=BODY_TIMEOUT_S + 10)
    finally:
        raw.close()
    short_ms = (short.at - sent - BODY_TIMEOUT_S) * 1000
    battery.check(
        "L4",
        f"Content-Length 1000, 10 bytes sent: status, ms after the {BODY_TIMEOUT_S:.0f} s timeout",
        f"408, <= {DETECTION_MS:.0f} ms",
        f"{short.status}, {short_ms:.1f} ms",
        short.status == 408 and short_ms <= DETECTION_MS,
    )

    # L5: deep JSON, just over the limit and absurdly deep (an envelope route: the sign-in
    # routes speak better-auth's wire, which answers validation with 400).
    statuses, times = [], []
    for depth in (65, 1000, 100_000):
        body = b'{"ids": ' + b"[" * depth + b"]" * depth + b"}"
        answer, ms = await timed(
            live.port,
            head("POST", BULK, *json_head, f"Content-Length: {len(body)}") + body,
        )
        statuses.append(answer.status)
        times.append(ms)
    battery.check(
        "L5",
        "JSON depth 65 / 1000 / 100000: statuses, worst ms",
        f"422 x 3, <= {DETECTION_MS:.0f} ms",
        f"{statuses}, {worst(times)}",
        statuses == [422] * 3 and max(times) <= DETECTION_MS,
    )


async def shapes(live: Live, battery: Battery, token: str) -> None:
    auth = f"Authorization: {token}"
    refused, times = [], []  # (status, the fields the 422 names)
    targets = [
        ("/api/internal/author?page=1000000000", "page"),
        ("/api/internal/author?page=" + "9" * 40, "page"),
        ("/api/internal/author?limit=1000000000", "limit"),
        ("/api/internal/author?page=1&limit=101", "limit"),
        (f"{LIST}?page=1000000000&limit=1000000000", "page"),
    ]
    wanted = [(422, [field]) for _, field in targets] + [(422, ["ids"])]
    for target, _ in targets:
        answer, ms = await timed(live.port, head("GET", target, auth))
        refused.append((answer.status, answer_fields(answer)))
        times.append(ms)
    body = json.dumps({"ids": [str(uuid.uuid4()) for _ in range(101)]}).encode()
    bulk, bulk_ms = await timed(
        live.port,
        head(
            "POST",
            BULK,
            auth,
            "Content-Type: application/json",
            f"Content-Length: {len(body)}",
        )
        + body,
    )
    refused.append((bulk.status, answer_fields(bulk)))
    times.append(bulk_ms)
    battery.check(
        "L6",
        "page 10^9 / 10^40, limit 10^9 / 101, public list page 10^9, bulk 101 ids: "
        "statuses and fields named, worst ms",
        f"422 on page/page/limit/limit/page/ids, <= {DETECTION_MS:.0f} ms",
        f"{refused}, {worst(times)}",
        refused == wanted and max(times) <= DETECTION_MS,
    )


def answer_fields(answer: Answer) -> list[str]:
    errors = answer.json().get("errors") or []
    assert isinstance(errors, list)
    return sorted({str(error["field"]) for error in errors})


async def queries(live: Live, battery: Battery) -> None:
    query, query_ms = await timed(live.port, head("GET", "/api/health?q=" + "a" * QUERY_LIMIT))
    huge_query, huge_ms = await timed(live.port, head("GET", "/api/health?q=" + "a" * MIB))
    battery.check(
        "L7",
        "query 8 KiB + 3 / 1 MiB: statuses, worst ms",
        f"413 / 431, <= {DETECTION_MS:.0f} ms",
        f"{query.status} / {huge_query.status}, {worst([query_ms, huge_ms])}",
        query.status == 413 and huge_query.status == 431 and max(query_ms, huge_ms) <= DETECTION_MS,
    )


async def heads(live: Live, battery: Battery) -> None:
    many = [f"X-Pad-{n}: " + "p" * 100 for n in range(HEAD_LIMIT // 100 + 1)]
    results = []
    for request in (
        head("GET", "/api/health", *many),  # whole, in one go
        head("GET", "/api/health", "X-Big: " + "b" * MIB),  # one header, never ending in time
    ):
        results.append(await timed(live.port, request))
    statuses = [answer.status for answer, _ in results]
    closed = [answer.closed for answer, _ in results]
    times = [ms for _, ms in results]
    battery.check(
        "L8",
        "headers 64 KiB + (many) / 1 MiB (one): statuses, closed, worst ms",
        f"431 x 2, closed, <= {DETECTION_MS:.0f} ms",
        f"{statuses}, {closed}, {worst(times)}",
        statuses == [431, 431] and all(closed) and max(times) <= DETECTION_MS,
    )


async def upload(live: Live, battery: Battery) -> None:
    png = (
        b"\x89PNG\r\n\x1a\n" + b"\x00" * (AVATAR_LIMIT + 1)  # sniffed as PNG, one byte too many
    )
    async with httpx.AsyncClient(base_url=live.server.http, timeout=30) as client:
        started = time.monotonic()
        answer = await client.post(
            "/api/upload",
            data={"kind": "avatar"},
            files={"file": ("a.png", png, "image/png")},
            headers=bearer(live.users[2]),
        )
        ms = (time.monotonic() - started) * 1000
    battery.check(
        "L11",
        "avatar upload 5 MiB + 9 bytes: status, ms for the whole exchange",
        "413",
        f"{answer.status_code}, {ms:.0f} ms",
        answer.status_code == 413,
    )


async def slow_loris(live: Live) -> list[tuple[Answer, float]]:
    """Both at once: the head dribbled a byte at a time, and a body dribbled after a whole head."""

    async def dribble_head() -> tuple[Answer, float]:
        opened = time.monotonic()  # the server's head timer starts at its accept
        raw = await Raw.open(live.port)
        try:
            request = head("GET", "/api/health", "X-Slow: " + "s" * 100)
            reading = asyncio.create_task(raw.answer(timeout=HEAD_TIMEOUT_S + 10))
            for byte in request[:-4]:
                if reading.done():
                    break
                with contextlib.suppress(ConnectionError):
                    await raw.send(bytes([byte]))
                await asyncio.sleep(0.5)
            answer = await reading
            return answer, (answer.at - opened - HEAD_TIMEOUT_S) * 1000
        finally:
            raw.close()

    async def dribble_body() -> tuple[Answer, float]:
        raw = await Raw.open(live.port)
        try:
            sent = time.monotonic()  # before the write: the server's timer cannot start earlier
            await raw.send(
                head(
                    "POST",
                    "/api/auth/sign-in/email",
                    "Content-Type: application/json",
                    "Content-Length: 100",
                )
            )
            reading = asyncio.create_task(raw.answer(timeout=BODY_TIMEOUT_S + 10))
            for byte in b'{"email": "a@b.c", "password": "x"':
                if reading.done():
                    break
                with contextlib.suppress(ConnectionError):
                    await raw.send(bytes([byte]))
                await asyncio.sleep(0.5)
            answer = await reading
            return answer, (answer.at - sent - BODY_TIMEOUT_S) * 1000
        finally:
            raw.close()

    return await asyncio.gather(dribble_head(), dribble_body())


def record_slow_loris(
    battery: Battery, heads: tuple[Answer, float], bodies: tuple[Answer, float]
) -> None:
    (head_answer, head_ms), (body_answer, body_ms) = heads, bodies
    battery.check(
        "L12",
        f"slow-loris head, 2 bytes/s: status, closed, ms after the {HEAD_TIMEOUT_S:.0f} s timeout",
        f"408, closed, <= {DETECTION_MS:.0f} ms",
        f"{head_answer.status}, closed={head_answer.closed}, {head_ms:.1f} ms",
        head_answer.status == 408 and head_answer.closed and head_ms <= DETECTION_MS,
    )
    battery.check(
        "L13",
        f"slow-loris body, 2 bytes/s: status, ms after the {BODY_TIMEOUT_S:.0f} s timeout",
        f"408, <= {DETECTION_MS:.0f} ms",
        f"{body_answer.status}, {body_ms:.1f} ms",
        body_answer.status == 408 and body_ms <= DETECTION_MS,
    )
