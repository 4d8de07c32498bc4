"""Settings come from ESENSI_ variables, nested with __, and reach the framework config."""

import pytest
from pydantic import ValidationError

from esensi.settings import load_settings


def test_defaults_work_for_the_demo(monkeypatch: pytest.MonkeyPatch):
    for name in ("ESENSI_DATABASE_URL", "ESENSI_HOSTS", "ESENSI_ENV"):
        monkeypatch.delenv(name, raising=False)
    settings = load_settings()
    assert settings.database_url == "sqlite+aiosqlite:///var/esensi.sqlite3"
    assert settings.rlib_config().database.is_sqlite
    assert settings.port == 8000


def test_nested_and_json_values(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("ESENSI_DATABASE_URL", "postgresql+asyncpg://u@db/esensi")
    monkeypatch.setenv("ESENSI_POOL__SIZE", "20")
    monkeypatch.setenv("ESENSI_LIMITS__MAX_BODY_BYTES", "2097152")
    monkeypatch.setenv(
        "ESENSI_HOSTS", '{"Esensi.Online": "main", "chapter.esensi.online": "chapter"}'
    )
    config = load_settings().rlib_config()
    assert config.database.pool_size == 20
    assert not config.database.is_sqlite
    assert config.limits.max_body_bytes == 2 * 1024 * 1024
    assert config.hosts.key_for("esensi.online:443") == "main"
    assert config.hosts.key_for("chapter.esensi.online") == "chapter"


def test_invalid_values_fail_at_start_up(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("ESENSI_HOSTS", '{"x.id": "shop"}')
    with pytest.raises(ValidationError):
        load_settings()
