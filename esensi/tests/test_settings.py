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


def test_the_fast_paths_are_on_unless_switched_off(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("ESENSI_DB__FAST_PATH", raising=False)
    assert load_settings().rlib_config().database.fast_path
    monkeypatch.setenv("ESENSI_DB__FAST_PATH", "false")
    assert not load_settings().rlib_config().database.fast_path


def test_invalid_values_fail_at_start_up(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("ESENSI_HOSTS", '{"x.id": "shop"}')
    with pytest.raises(ValidationError):
        load_settings()


def test_google_is_off_without_a_client_id(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("ESENSI_AUTH__GOOGLE__CLIENT_ID", raising=False)
    assert dict(load_settings().auth_config().oidc) == {}


def test_google_settings_reach_the_provider_config(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("ESENSI_AUTH__BASE_URLS", '{"auth": "https://auth.esensi.online"}')
    monkeypatch.setenv("ESENSI_AUTH__GOOGLE__CLIENT_ID", "123.apps.googleusercontent.com")
    monkeypatch.setenv("ESENSI_AUTH__GOOGLE__CLIENT_SECRET", "rahasia-google")
    google = load_settings().auth_config().oidc["google"]
    assert google.client_id == "123.apps.googleusercontent.com"
    assert google.client_secret == "rahasia-google"
    assert google.discovery_url == "https://accounts.google.com/.well-known/openid-configuration"
    assert google.issuer_aliases == ("accounts.google.com",)


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"CLIENT_ID": "x"}, "CLIENT_SECRET"),
        ({"CLIENT_ID": "x", "CLIENT_SECRET": "y"}, "BASE_URLS"),
    ],
)
def test_a_half_configured_google_fails_at_start_up(
    monkeypatch: pytest.MonkeyPatch, variables: dict[str, str], message: str
):
    monkeypatch.delenv("ESENSI_AUTH__BASE_URLS", raising=False)
    for name, value in variables.items():
        monkeypatch.setenv("ESENSI_AUTH__GOOGLE__" + name, value)
    with pytest.raises(ValidationError, match=message):
        load_settings()


def test_production_wants_an_https_discovery_url(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("ESENSI_ENV", "production")
    monkeypatch.setenv("ESENSI_AUTH__SECRET_KEY", "k" * 40)
    monkeypatch.setenv("ESENSI_AUTH__GOOGLE__CLIENT_ID", "x")
    monkeypatch.setenv("ESENSI_AUTH__GOOGLE__CLIENT_SECRET", "y")
    monkeypatch.setenv("ESENSI_AUTH__GOOGLE__REDIRECT_URI", "https://auth.esensi.online/cb")
    monkeypatch.setenv("ESENSI_AUTH__GOOGLE__DISCOVERY_URL", "http://idp.test/.well-known/x")
    with pytest.raises(ValidationError, match="https"):
        load_settings()


def test_midtrans_defaults_to_the_sandbox_and_reads_its_variables(monkeypatch: pytest.MonkeyPatch):
    default = load_settings().midtrans
    assert default.snap_url == "https://app.sandbox.midtrans.com/snap/v1"
    assert default.api_url == "https://api.sandbox.midtrans.com"
    assert (default.snap_timeout_s, default.status_timeout_s) == (10.0, 5.0)
    monkeypatch.setenv("ESENSI_MIDTRANS__SERVER_KEY", "SB-Mid-server-x")
    monkeypatch.setenv("ESENSI_MIDTRANS__API_URL", "http://127.0.0.1:8021")
    monkeypatch.setenv("ESENSI_MIDTRANS__STATUS_TIMEOUT_S", "2.5")
    midtrans = load_settings().midtrans
    assert midtrans.server_key.get_secret_value() == "SB-Mid-server-x"
    assert "SB-Mid-server-x" not in repr(midtrans)  # a SecretStr: never printed
    assert midtrans.api_url == "http://127.0.0.1:8021"
    assert midtrans.status_timeout_s == 2.5
    monkeypatch.setenv("ESENSI_MIDTRANS__SNAP_TIMEOUT_S", "0")
    with pytest.raises(ValidationError):
        load_settings()
