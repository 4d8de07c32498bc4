"""esensi's ``/metrics``: the outbox gauges, the token setting, request series by endpoint."""

import datetime as dt
import re

import httpx
import pytest
from sqlalchemy import update

from esensi.app import build_app
from esensi.emails import send_main_email
from esensi.models.outbox import MailOutbox
from esensi.settings import Settings
from rlib import Scope
from rlib.testing import app_client

_SAMPLE = re.compile(r"^([a-z_]+)(?:\{(.*)\})? (\S+)$")


def gauge(text: str, name: str) -> float:
    for line in text.splitlines():
        found = _SAMPLE.match(line)
        if found and found[1] == name:
            return float(found[3])
    raise AssertionError(f"{name} missing")


async def _queue(database, *, age_s: float = 0, status: str = "queued"):
    unit = database.unit()
    try:
        row_id = await send_main_email(Scope(unit), to="a@contoh.id", subject="Halo", text="Isi")
        created = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=age_s)
        await unit.session.execute(
            update(MailOutbox)
            .where(MailOutbox.id == row_id)
            .values(created_at=created, status=status)
        )
        await unit.commit()
    finally:
        await unit.close()


async def test_outbox_gauges_follow_queued_mail(client, database):
    empty = (await client.get("/metrics")).text
    assert gauge(empty, "outbox_queued") == 0
    assert gauge(empty, "outbox_oldest_age_seconds") == 0
    await _queue(database, age_s=120)
    await _queue(database)
    await _queue(database, age_s=9999, status="sent")  # delivered: neither counted nor aged
    text = (await client.get("/metrics")).text
    assert gauge(text, "outbox_queued") == 2
    assert 119 <= gauge(text, "outbox_oldest_age_seconds") < 180


async def test_requests_are_labelled_by_registry_name(client):
    await client.get("/api/health")
    await client.get("/api/check")  # the alias counts under the endpoint it serves
    text = (await client.get("/metrics")).text
    line = next(
        x
        for x in text.splitlines()
        if x.startswith('http_requests_total{domain="root",endpoint="health",status="200"')
    )
    assert line.endswith(" 2")
    assert gauge(text, "ws_connections") == 0


@pytest.mark.parametrize(("given", "status"), [(None, 401), ("Bearer wrong", 401)])
async def test_token_setting_guards_production(database, monkeypatch, given, status):
    monkeypatch.setenv("ESENSI_METRICS__TOKEN", "scrape-" + "x" * 24)
    settings = Settings(
        env="production", database_url=database.config.url, auth={"secret_key": "k" * 40}
    )
    assert settings.metrics.token is not None
    app = build_app(settings)
    app.use_database(database)
    async with app_client(app) as http:
        headers = {} if given is None else {"Authorization": given}
        assert (await http.get("/metrics", headers=headers)).status_code == status
        ok = await http.get("/metrics", headers={"Authorization": "Bearer scrape-" + "x" * 24})
    assert ok.status_code == 200
    assert gauge(ok.text, "outbox_queued") == 0


async def test_production_without_a_token_is_403(database):
    settings = Settings(
        env="production", database_url=database.config.url, auth={"secret_key": "k" * 40}
    )
    app = build_app(settings)
    app.use_database(database)
    async with app_client(app) as http:
        assert (await http.get("/metrics")).status_code == 403


async def test_remote_callers_in_test_need_the_token(app):
    await app.startup()
    try:
        transport = httpx.ASGITransport(app=app, client=("192.0.2.7", 4000))
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            assert (await http.get("/metrics")).status_code == 403
    finally:
        await app.shutdown()
