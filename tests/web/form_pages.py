"""Every form of the app, found the way a person finds them: by following the links of each
role's pages (one page per route), and reading each page's forms with their fields as filled in."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from flask import Flask
from werkzeug.exceptions import HTTPException

from tests.web.webclient import Client

SKIPPED_PREFIXES = ("/static/", "/api/", "/logout")
MAX_PAGES = 80


@dataclass
class Form:
    """A form as a page shows it: where it goes and what it sends unchanged."""

    page: str
    method: str
    action: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    @property
    def text_fields(self) -> list[str]:
        return sorted({name for name, _ in self.fields if name != "csrf_token"})

    def has(self, name: str) -> bool:
        return any(existing == name for existing, _ in self.fields)


class _FormParser(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__()
        self.page = page
        self.forms: list[Form] = []
        self.links: list[str] = []
        self._select: str | None = None
        self._select_value: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.page, a["href"]))
        elif tag == "form":
            action = urljoin(self.page, a.get("action") or self.page)
            self.forms.append(Form(self.page, (a.get("method") or "get").upper(), action))
        elif not self.forms:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind == "file":
                self.forms[-1].files.append(a["name"])
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.forms[-1].fields.append((a["name"], a.get("value", "on")))
            elif kind not in ("submit", "button", "reset", "image"):
                self.forms[-1].fields.append((a["name"], a.get("value", "")))
        elif tag == "button" and a.get("name") and not self.forms[-1].has(a["name"]):
            self.forms[-1].fields.append((a["name"], a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select, self._select_value = a["name"], None
        elif tag == "option" and self._select is not None:
            if self._select_value is None or "selected" in a:
                self._select_value = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self.forms[-1].fields.append((a["name"], ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None and self.forms:
            self.forms[-1].fields.append((self._select, self._select_value or ""))
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None and self.forms:
            name, value = self.forms[-1].fields[-1]
            self.forms[-1].fields[-1] = (name, value + data)


def _endpoint(app: Flask, path: str, method: str = "GET") -> str | None:
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _ = adapter.match(path, method=method)
    except HTTPException:
        return None
    return str(endpoint)


def crawl(app: Flask, client: Client, start: Iterable[str] = ("/",)) -> list[Form]:
    """The forms on every page ``client`` reaches from ``start``, one page per route."""
    seen_endpoints: set[str] = set()
    queue = list(start)
    forms: dict[tuple[str, str | None], Form] = {}
    visited = 0
    while queue and visited < MAX_PAGES:
        url = queue.pop(0)
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost") or parts.path.startswith(SKIPPED_PREFIXES):
            continue
        endpoint = _endpoint(app, parts.path)
        if endpoint is None or endpoint in seen_endpoints:
            continue
        seen_endpoints.add(endpoint)
        response = client.get(url if not parts.query else f"{parts.path}?{parts.query}")
        visited += 1
        if response.status_code in (301, 302, 303) and response.headers.get("Location"):
            queue.append(response.headers["Location"])  # a role's start page, say
            continue
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        parser = _FormParser(f"http://localhost{parts.path}")
        parser.feed(response.text)
        queue.extend(parser.links)
        for form in parser.forms:
            target = urlsplit(form.action).path
            key = (form.method, _endpoint(app, target, form.method))
            if key[1] is not None and key[1] != "auth.logout":
                form.action = target
                forms.setdefault(key, form)
    return list(forms.values())
