"""Browser fixtures of the page tests: Debian's Chromium through Playwright, never a downloaded browser."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
DOCS_SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"browser test needs Debian's Chromium at {CHROMIUM} (make browser-deps)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("browser test needs the playwright Python package (pip install -e '.[test]')")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM),
                                     args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield browser
        browser.close()


@pytest.fixture
def shots(tmp_path):
    """docs/screenshots when TAMBON_UPDATE_SCREENSHOTS=1, else a temporary folder, so an ordinary test run
    does not rewrite tracked files."""
    if os.environ.get("TAMBON_UPDATE_SCREENSHOTS") == "1":
        DOCS_SHOTS.mkdir(parents=True, exist_ok=True)
        return DOCS_SHOTS
    return tmp_path


def sarabun_ready(page) -> bool:
    """The bundled Thai font has loaded (a fresh Debian's Chromium draws boxes without it)."""
    return page.evaluate("document.fonts.ready.then(() => document.fonts.check('16px Sarabun'))")


def log_in(page, base_url: str, username: str, password: str = "demo-password") -> None:
    page.goto(f"{base_url}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("form button[type=submit], form input[type=submit]")
