"""What a person does in the browser, step by step."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from finans.demo import DEMO_PASSWORD


def log_in(page: Page, username: str) -> None:
    """Log in through the form, as a person does; the app opens the user's start page."""
    page.goto("/login")
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    expect(page.get_by_role("button", name="Log ud")).to_be_visible()


def page_width(page: Page) -> int:
    """How wide the page is laid out (wider than the window: it scrolls sideways)."""
    return int(page.evaluate("document.documentElement.scrollWidth"))


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log ud").click()
    page.wait_for_url("**/login")


def screenshot(page: Page, folder: Path, name: str) -> None:
    """Keep a picture of the whole page as a test artifact."""
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
