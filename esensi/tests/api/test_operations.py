"""Health, readiness and hosts on the esensi app."""

from esensi.app import build_app
from esensi.settings import Settings
from rlib.testing import app_client


async def test_health_and_ready(client):
    assert (await client.get("/api/health")).json()["data"] == {"ok": True}
    assert (await client.get("/api/check")).json()["data"] == {"ok": True}
    assert (await client.get("/api/ready")).json()["data"] == {"db": "ok"}


async def test_ready_is_503_when_the_database_is_unreachable():
    settings = Settings(env="test", database_url="postgresql+asyncpg://nobody@127.0.0.1:1/none")
    async with app_client(build_app(settings)) as client:
        response = await client.get("/api/ready")
    assert response.status_code == 503
    assert response.headers["retry-after"]
    assert response.json()["code"] == "service_unavailable"


async def test_domains_answer_on_their_hosts_when_hosts_are_configured(database):
    settings = Settings(
        env="test",
        database_url=database.config.url,
        hosts={"esensi.online": "main", "chapter.esensi.online": "chapter"},
    )
    app = build_app(settings)
    app.use_database(database)
    async with app_client(app, base_url="http://chapter.esensi.online") as client:
        assert (await client.get("/genre/x/1")).json()["code"] == "not_found"
        assert (await client.get("/chapter/genre/x/1")).status_code == 404
        assert (await client.get("/api/health")).status_code == 200
    async with app_client(app, base_url="http://esensi.online") as client:
        assert (await client.get("/genre/x/1")).json()["code"] == "route_not_found"
