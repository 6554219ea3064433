"""A test client that fills forms the way a browser does, and the demo records the tests use."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from finans.demo import DEMO_PASSWORD
from finans.services.actor import Actor, Role
from finans.store.timestamps import local, now

CASEWORKER = Actor("raadgiver.bfh", Role.CASEWORKER, "BFH")
YEAR = local(now()).date().year
_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_token(html: str) -> str:
    """The CSRF token a page's forms carry."""
    match = _TOKEN.search(html)
    assert match is not None, "the page has a form with a CSRF token"
    return match.group(1)


class Client:
    """A test client that posts forms with the CSRF token of the page they are on."""

    def __init__(self, client: FlaskClient) -> None:
        self.client = client
        self.token = ""

    def get(self, path: str, **kwargs: object) -> TestResponse:
        kwargs.setdefault("buffered", True)
        response = self.client.get(path, **kwargs)  # type: ignore[arg-type]
        if response.mimetype == "text/html" and "csrf_token" in response.text:
            self.token = csrf_token(response.text)
        return response

    def post(self, path: str, data: Mapping[str, object] | None = None,
             **kwargs: object) -> TestResponse:
        """Post with the token of the last page read (read the login page when there is none)."""
        return self.send("POST", path, data, **kwargs)

    def send(self, method: str, path: str, data: Mapping[str, object] | None = None,
             **kwargs: object) -> TestResponse:
        """A form sent with any method, with the CSRF token of the last page read."""
        if not self.token:
            self.get("/login")
        form = {"csrf_token": self.token, **(data or {})}
        # Read whole, as a browser does: the work the app does after a response (sending the
        # mails a change queued) runs when the response is closed.
        kwargs.setdefault("buffered", True)
        return self.client.open(path, method=method, data=form, **kwargs)  # type: ignore[arg-type]

    def login(self, username: str, password: str = DEMO_PASSWORD) -> TestResponse:
        self.get("/login")
        response = self.post("/login", {"username": username, "password": password})
        assert response.status_code == 302, f"{username} logs in"
        self.get("/")
        return response


@dataclass(frozen=True)
class DemoFacts:
    """Records of the demo the tests act on, found through the services."""

    case: str
    """A case the BFH caseworker coordinates or shares, with interventions."""
    intervention: str
    """An intervention of that case."""
    split: int
    """A proposed split version waiting for a department's answer."""
    awaiting: str
    """A department whose controller that split waits for."""




def weighted(responsibility_job: str = "1", **extra: str) -> dict[str, str]:
    """The "Ny fordeling" form filled for a weighted split of BFH and JOB from 1 January."""
    return {
        "effective_from": f"01-01-{YEAR}", "method": "weighted", "alpha": "50",
        "responsibility.BFH": "2", "responsibility.JOB": responsibility_job,
        "benefit.BFH": "1", "benefit.JOB": "1", "rationale": "Ansvar og gevinst", **extra,
    }
