"""The database for a request: one engine per app, one session per request, closed at the end."""

from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy import Engine
from sqlmodel import Session

from finans.store.db import make_engine

ENGINE_KEY = "finans.engine"


def init_database(app: Flask, url: str) -> None:
    """Create the app's engine and close each request's session when the request ends."""
    app.extensions[ENGINE_KEY] = make_engine(url)
    app.teardown_appcontext(_close_session)


def engine() -> Engine:
    """The current app's engine."""
    found: Engine = current_app.extensions[ENGINE_KEY]
    return found


def db() -> Session:
    """The request's session, opened on first use."""
    if "db_session" not in g:
        g.db_session = Session(engine())
    session: Session = g.db_session
    return session


def _close_session(_error: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
