"""The demo's two-factor staff signs in with a TOTP code computed from the README's secret,
and the seeded secret is stored sealed, never readable."""

from __future__ import annotations

import re
from pathlib import Path

import pyotp
from sqlalchemy import select

from esensi.app import build_app
from esensi.models.auth import AuthTwoFactor
from esensi.seed.people import PASSWORDS
from esensi.settings import Settings
from rlib.testing import app_client

README = Path(__file__).resolve().parents[3] / "README.md"
EMAIL = "keamanan@esensi.online"


def _readme_secret() -> str:
    row = next(line for line in README.read_text().splitlines() if f"`{EMAIL}`" in line)
    found = re.search(r"TOTP secret `([A-Z2-7]+)`", row)
    assert found is not None, row
    return found.group(1)


async def test_demo_two_factor_staff_signs_in_with_the_readme_secret(seeded_url):
    secret = _readme_secret()
    app = build_app(Settings(env="test", database_url=seeded_url))
    async with app_client(app) as web:
        signed = await web.post(
            "/api/auth/sign-in/email", json={"email": EMAIL, "password": PASSWORDS["internal"]}
        )
        assert signed.json()["twoFactorRedirect"] is True
        half = {"authorization": "Bearer " + signed.headers["set-auth-token"]}
        web.cookies.clear()
        code = pyotp.TOTP(secret).now()
        verified = await web.post(
            "/api/auth/two-factor/verify-totp", json={"code": code}, headers=half
        )
        assert verified.status_code == 200, verified.text
        full = {"authorization": "Bearer " + verified.json()["token"]}
        web.cookies.clear()
        staff_only = await web.get("/api/internal/cfg?limit=1", headers=full)
        assert staff_only.status_code == 200, staff_only.text


async def test_demo_two_factor_secret_is_sealed(seeded):
    stored = (await seeded.execute(select(AuthTwoFactor.secret))).scalar_one()
    assert _readme_secret() not in stored
    assert stored.startswith("v1.")


async def test_demo_backup_code_from_the_readme_works(seeded_url):
    row = next(line for line in README.read_text().splitlines() if f"`{EMAIL}`" in line)
    last = re.findall(r"`(esensi-\d{4})`", row)[-1]
    app = build_app(Settings(env="test", database_url=seeded_url))
    async with app_client(app) as web:
        signed = await web.post(
            "/api/auth/sign-in/email", json={"email": EMAIL, "password": PASSWORDS["internal"]}
        )
        half = {"authorization": "Bearer " + signed.headers["set-auth-token"]}
        web.cookies.clear()
        used = await web.post(
            "/api/auth/two-factor/verify-backup-code", json={"code": last}, headers=half
        )
        assert used.status_code == 200, used.text
