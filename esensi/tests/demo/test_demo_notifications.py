"""The demo page in headless Chromium: a staff announcement in one browser appears in another
without a reload, and marking it read updates the count (development mode only)."""

from __future__ import annotations

import asyncio
import shutil
import uuid

import httpx
import pytest
from notify_live import launch, make_logins, server_env
from playwright.async_api import Page, async_playwright, expect

from conftest_helpers import empty_database_at
from factories.logins import PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture
async def db_url(migrated_urls):
    """The worker's SQLite database, emptied: an earlier test's failed sign-ins from 127.0.0.1
    (the limits battery makes 200) would otherwise leave this IP throttled (429)."""
    url = migrated_urls["sqlite"]
    await empty_database_at(url)
    return url


async def _sign_in(page: Page, base: str, email: str) -> None:
    await page.goto(f"{base}/demo/notifications")
    await page.fill("#email", email)
    await page.fill("#password", PASSWORD)
    async with page.expect_response("**/api/auth/sign-in/email", timeout=30_000) as signing_in:
        await page.click("#signin-button")
    response = await signing_in.value
    assert response.ok, f"sign-in answered {response.status}: {await response.text()}"
    await expect(page.locator("#status")).to_have_text("terhubung", timeout=30_000)


async def test_an_announcement_appears_live_and_is_marked_read(db_url, tmp_path):
    [staff] = await make_logins(db_url, staff=True)
    [reader] = await make_logins(db_url)
    env = server_env(db_url, redis_url=None, channel=f"f_{uuid.uuid4().hex}", env="development")
    server = await asyncio.to_thread(launch, env, tmp_path)
    try:
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox"]
            )
            try:
                reader_page = await (await browser.new_context()).new_page()
                staff_page = await (await browser.new_context()).new_page()
                await _sign_in(reader_page, server.http, reader.email)
                await _sign_in(staff_page, server.http, staff.email)
                await reader_page.evaluate("window.sameDocument = true")
                await staff_page.fill("#announce-text", "Pengumuman dari staf")
                await staff_page.click("#announce-button")
                item = reader_page.locator("#list li", has_text="Pengumuman dari staf")
                await expect(item).to_have_class("unread", timeout=10_000)
                await expect(reader_page.locator("#unread")).to_have_text("1")
                await item.get_by_role("button").click()
                await expect(item).to_have_class("read", timeout=10_000)
                await expect(reader_page.locator("#unread")).to_have_text("0")
                assert await reader_page.evaluate("window.sameDocument === true")  # no reload
            finally:
                await browser.close()
    finally:
        server.stop()


async def test_the_demo_page_exists_only_in_development(db_url, tmp_path):
    env = server_env(db_url, redis_url=None, channel=f"f_{uuid.uuid4().hex}")  # ESENSI_ENV=test
    server = await asyncio.to_thread(launch, env, tmp_path)
    try:
        async with httpx.AsyncClient() as client:
            response = await client.get(f"{server.http}/demo/notifications")
        assert response.status_code == 404
    finally:
        server.stop()
