"""The app served on a free local port against a temporary SQLite database with the demo
municipality, and Debian's Chromium driven by Playwright (never a downloaded browser).

Screenshots of key pages go to ``test-artifacts/screenshots/`` at the repository root.
``FINANS_SKIP_BROWSER=1`` skips these tests on purpose; without Chromium they fail and say how
to install it.

Pages are Danish (``locale="da-DK"``: the language the app is asked for, and JavaScript's dates and
numbers). Chromium draws date fields in its own interface language, so it is started in Danish too;
that takes Debian's ``chromium-l10n`` (without it the fields show ``mm/dd/yyyy``, and the tests
still pass).
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from playwright.sync_api import Browser, Page, Playwright, ViewportSize, sync_playwright
from werkzeug.serving import make_server

from finans.cli.db import demo
from finans.web import create_app
from finans.web.database import ENGINE_KEY

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
VIEWPORT: ViewportSize = {"width": 1366, "height": 900}
LOCALE = "da-DK"
INTERFACE_LANGUAGE = {"LANGUAGE": "da"}
"""Chromium's interface language, which sets how date fields show (``23.11.2026``)."""


@pytest.fixture(scope="session")
def demo_database(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The URL of a SQLite database holding the demo municipality, loaded by ``finans demo``."""
    folder = tmp_path_factory.mktemp("browser")
    path = folder / "finans.db"
    shutil.copyfile(sqlite_template, path)
    url = f"sqlite:///{path}"
    result = CliRunner().invoke(demo, env={"FINANS_DATABASE_URL": url,
                                           "FINANS_INSTANCE": str(folder)})
    assert result.exit_code == 0, result.output
    return url


@pytest.fixture(scope="session")
def base_url(demo_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app on the demo database, served in a thread on a free 127.0.0.1 port."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FINANS_INSTANCE", str(tmp_path_factory.mktemp("instance")))
        patch.delenv("FINANS_ENV", raising=False)
        app = create_app({"DATABASE_URL": demo_database, "SECRET_KEY": "browser-tests"})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    app.extensions[ENGINE_KEY].dispose()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if os.environ.get("FINANS_SKIP_BROWSER") == "1":
        pytest.skip("FINANS_SKIP_BROWSER=1")
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"The browser tests drive Debian's Chromium at {CHROMIUM}: install it with "
            "'apt-get install chromium', or set FINANS_SKIP_BROWSER=1 to skip them on purpose.",
            pytrace=False,
        )
    driver = sync_playwright().start()
    yield driver
    driver.stop()


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    chromium = playwright.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True,
        env={**os.environ, **INTERFACE_LANGUAGE},
    )
    yield chromium
    chromium.close()


@pytest.fixture
def page(browser: Browser, base_url: str) -> Iterator[Page]:
    """A fresh browser window (Danish locale) on the app; nothing shared with other tests."""
    context = browser.new_context(base_url=base_url, locale=LOCALE, viewport=VIEWPORT)
    context.set_default_timeout(10_000)
    window = context.new_page()
    yield window
    context.close()


@pytest.fixture
def page_without_javascript(browser: Browser, base_url: str) -> Iterator[Page]:
    """A browser window with JavaScript turned off."""
    context = browser.new_context(base_url=base_url, locale=LOCALE, viewport=VIEWPORT,
                                  java_script_enabled=False)
    context.set_default_timeout(10_000)
    window = context.new_page()
    yield window
    context.close()


@pytest.fixture(scope="session")
def screenshots(pytestconfig: pytest.Config) -> Path:
    folder = pytestconfig.rootpath / "test-artifacts" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
