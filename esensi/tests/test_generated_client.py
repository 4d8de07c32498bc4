"""The generated TypeScript client type-checks and works against a real server; /docs works in
a real browser (Debian's chromium driven by Playwright). One server for the module."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from live_server import CLIENT_DIR, ROOT, live_server, node_tools, require
from playwright.sync_api import sync_playwright

DEMO_STAFF = ("admin@esensi.online", "Staf-Esensi-2025")  # README "Demo accounts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DOMAINS = ("auth", "chapter", "internal", "main", "publish", "root")

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("live_server")]


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with live_server(tmp_path_factory.mktemp("live")) as found:
        yield found


def _tsc(tsc: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(tsc), *args], cwd=CLIENT_DIR, capture_output=True, text=True, timeout=300
    )


def test_the_client_type_checks():
    _, tsc = node_tools()
    done = _tsc(tsc, "--noEmit", "-p", "tsconfig.json")
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_smoke_script_signs_in_lists_creates_and_reads_an_error_code(origin: str):
    node, tsc = node_tools()
    built = _tsc(tsc, "-p", "smoke/tsconfig.json")
    assert built.returncode == 0, built.stdout + built.stderr
    script = CLIENT_DIR / "build-smoke" / "smoke" / "smoke.js"
    done = subprocess.run(
        [node, str(script), origin, *DEMO_STAFF], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "smoke: ok" in done.stdout


def test_docs_list_every_domain_and_try_it_works_in_a_browser(origin: str):
    require(CHROMIUM.exists(), "chromium (apt-get install chromium)")
    screenshot = ROOT / "var" / "docs.png"
    screenshot.parent.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(origin + "/docs")
            page.wait_for_selector(".opblock-tag", timeout=120_000)
            tags = [text.split("\n")[0] for text in page.locator(".opblock-tag").all_inner_texts()]
            assert tags == list(DOMAINS)
            for domain in DOMAINS:  # open each domain: its operations are listed under it
                page.locator(f"#operations-tag-{domain}").click()
                section = page.locator(f".opblock-tag-section:has(#operations-tag-{domain})")
                section.locator(".opblock").first.wait_for(timeout=10_000)
                ids = section.locator(".opblock-summary-operation-id").all_inner_texts()
                assert ids, domain
                assert all(op_id.startswith(f"{domain}.") for op_id in ids), (domain, ids)
            for path in ("/api/auth/sign-in/email", "/api/internal/cfg", "/api/health"):
                assert page.locator(f'.opblock-summary-path[data-path="{path}"]').count() >= 1
            health = page.locator('.opblock-get:has([data-path="/api/health"])')
            health.locator(".opblock-summary").click()
            health.locator("button.try-out__btn").click()
            health.locator("button.execute").click()
            live = health.locator(".live-responses-table")
            live.wait_for(timeout=20_000)
            assert live.locator("tr.response .response-col_status").inner_text().strip() == "200"
            assert '"ok": true' in live.locator(".microlight").first.inner_text()
            live.scroll_into_view_if_needed()
            page.screenshot(path=str(screenshot))
            assert errors == []
        finally:
            browser.close()
    assert screenshot.stat().st_size > 10_000
