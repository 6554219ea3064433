"""Finance in the browser: preview a month's postings, close the months, see them closed.

Closing changes the database for good, so these tests serve the app on their own copy of the
demo database.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect
from werkzeug.serving import make_server

from finans.allocation.postings import month_of
from finans.services.closing import month_label
from finans.web import create_app
from finans.web.database import ENGINE_KEY
from tests.browser.conftest import LOCALE, VIEWPORT
from tests.browser.steps import log_in, screenshot

LAST_MONTH = month_of(date.today().replace(day=1) - timedelta(days=1))


@pytest.fixture(scope="module")
def own_base_url(demo_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("bookkeeping")
    copy = folder / "finans.db"
    shutil.copyfile(demo_database.removeprefix("sqlite:///"), copy)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FINANS_INSTANCE", str(folder / "instance"))
        patch.delenv("FINANS_ENV", raising=False)
        app = create_app({"DATABASE_URL": f"sqlite:///{copy}", "SECRET_KEY": "browser-tests"})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()
    app.extensions[ENGINE_KEY].dispose()


@pytest.fixture
def finance_page(browser: Browser, own_base_url: str) -> Iterator[Page]:
    context = browser.new_context(base_url=own_base_url, locale=LOCALE, viewport=VIEWPORT)
    context.set_default_timeout(10_000)
    window = context.new_page()
    yield window
    context.close()


def test_finance_previews_a_month_and_closes_it_after_confirming(
    finance_page: Page, screenshots: Path
) -> None:
    page = finance_page
    log_in(page, "okonomi")
    page.get_by_role("link", name="Bogføring").click()
    expect(page.get_by_role("heading", name="Bogføring", exact=True)).to_be_visible()
    expect(page.locator("#closing-status")).to_contain_text("Ingen måneder er lukket endnu")
    page.get_by_label("Måned", exact=True).fill(LAST_MONTH)
    page.get_by_role("button", name="Vis").click()
    expect(page.locator("#preview-heading")).to_contain_text(month_label(LAST_MONTH))
    expect(page.locator("#account-sums tbody tr").first).to_be_visible()
    screenshot(page, screenshots, "bogfoering-maaned")

    page.get_by_label("Luk alle måneder til og med").fill(LAST_MONTH)
    page.get_by_role("button", name="Luk måneder").click()
    expect(page.locator("#closing-status")).to_contain_text("Ingen måneder er lukket endnu")
    page.get_by_label("Jeg forstår, at lukkede måneder ikke kan genåbnes").check()
    page.get_by_role("button", name="Luk måneder").click()
    expect(page.locator(".flash .success")).to_contain_text(
        f"Bogføringen er lukket til og med {month_label(LAST_MONTH)}")
    expect(page.locator("#closed-months")).to_contain_text(month_label(LAST_MONTH))
    screenshot(page, screenshots, "bogfoering-lukket")
