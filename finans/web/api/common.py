"""What every API endpoint shares: token authentication, JSON in and out, errors, pages.

The API authenticates by ``Authorization: Bearer TOKEN`` only; a log-in cookie is never looked at,
so a browser session cannot be used to write through the API and the API needs no CSRF token.
Every refusal is JSON with an ``errors`` list of ``{code, message, where}`` (the located problems of
invalid input, or one entry saying why), and a 409 adds ``changes``: what someone else changed.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Annotated, Any, ParamSpec, TypeVar

from flask import Blueprint, Response, current_app, g, request
from pydantic import Field, TypeAdapter
from sqlalchemy import exc
from werkzeug.exceptions import HTTPException

from finans.allocation.periods import MAX_DAYS, parse_period, year_period
from finans.allocation.problems import Problem
from finans.allocation.records import Period
from finans.allocation.settlement import SettlementMode
from finans.services import tokens
from finans.services.actor import Actor
from finans.services.budgets import FIRST_YEAR, LAST_YEAR
from finans.services.errors import Conflict, Forbidden, NotFound, ServiceError
from finans.web.database import db
from finans.web.errors import RETRY_AFTER_SECONDS, note_outage
from finans.web.input_guard import request_problems

log = logging.getLogger(__name__)

JSON_TYPE = "application/json"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MODES = ("pairwise", "minimal")
MAX_PER_PAGE = 200
DEFAULT_PER_PAGE = 50
MAX_ID = 2**31 - 1
"""Row ids in paths are at most this (larger numbers are no id and answer 404)."""
PUBLIC_ENDPOINTS = {"api.health", "api.openapi_document"}
MAX_TOKEN = 200
TOKEN_REFUSALS = {
    "unknown": "API-nøglen er ukendt.",
    "expired": "API-nøglen er udløbet. Opret en ny med 'finans token create'.",
    "revoked": "API-nøglen er tilbagekaldt.",
    "inactive": "API-nøglen tilhører en deaktiveret bruger.",
}
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")

STATUS_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    500: "server_error",
    503: "unavailable",
}
MESSAGES = {
    400: "Forespørgslen kunne ikke forstås.",
    401: "Log ind med en API-nøgle: send headeren 'Authorization: Bearer <nøgle>'.",
    403: "Din rolle giver ikke adgang til dette.",
    404: "Findes ikke.",
    405: "Metoden kan ikke bruges her.",
    413: "Forespørgslen er for stor.",
    503: "Databasen svarer ikke lige nu. Prøv igen om lidt.",
    500: "Der opstod en fejl hos os. Fejlen er logget.",
}

bp = Blueprint("api", __name__, url_prefix="/api/v1")
P = ParamSpec("P")
T = TypeVar("T")


class ApiRefusal(Exception):
    """Refuse the request with ``status`` and these problems."""

    def __init__(self, status: int, problems: Sequence[Problem]) -> None:
        super().__init__(status)
        self.status = status
        self.problems = list(problems)


def invalid(code: str, message: str, where: str) -> ApiRefusal:
    """A 422 with one located problem."""
    return ApiRefusal(422, [Problem(code, message, where)])


# --- JSON out -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a request is refused: every problem found, each located by ``where``."""

    errors: Annotated[tuple[Problem, ...], Field(min_length=1)]


@dataclass(frozen=True, slots=True)
class ConflictRefusal:
    """A refused change: someone else changed the record since the given ``version``;
    ``changes`` says what, oldest first, and who."""

    errors: Annotated[tuple[Problem, ...], Field(min_length=1)]
    changes: tuple[str, ...]


def dumps(data: object) -> bytes:
    """Compact UTF-8 JSON with the keys in the order the services give them."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


@cache
def adapter(kind: Any) -> TypeAdapter[Any]:
    """The pydantic adapter of a declared type, made once."""
    return TypeAdapter(kind)


def to_json(value: object, kind: Any) -> object:
    """``value`` of the declared type as JSON values (øre as kroner text, dates as ISO…)."""
    return adapter(kind).dump_python(value, mode="json", by_alias=True)


def json_bytes(value: object, kind: Any) -> bytes:
    """``value`` as the compact JSON text the API answers with."""
    return dumps(to_json(value, kind))


def json_response(data: object, status: int = 200, headers: Mapping[str, str] | None = None,
                  ) -> Response:
    return Response(dumps(data), status=status, mimetype=JSON_TYPE, headers=dict(headers or {}))


def error_response(
    status: int,
    problems: Sequence[Problem] = (),
    *,
    changes: Sequence[str] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """``{"errors": [...]}`` (and ``changes`` for a conflict) with ``status``."""
    if not problems:
        problems = [Problem(STATUS_CODES.get(status, "error"), MESSAGES.get(status, ""), "")]
    if changes is not None:
        conflict = ConflictRefusal(tuple(problems), tuple(changes))
        return json_response(to_json(conflict, ConflictRefusal), status, headers)
    return json_response(to_json(Refusal(tuple(problems)), Refusal), status, headers)


def _refused(message: str, status: int) -> list[Problem]:
    return [Problem(STATUS_CODES[status], message, "")]


@bp.errorhandler(ApiRefusal)
def _api_refusal(error: ApiRefusal) -> Response:
    return error_response(error.status, error.problems)


@bp.errorhandler(ServiceError)
def _service_error(error: ServiceError) -> Response:
    return error_response(422, error.problems)


@bp.errorhandler(NotFound)
def _not_found(error: NotFound) -> Response:
    return error_response(404, _refused(error.message, 404))


@bp.errorhandler(Forbidden)
def _forbidden(error: Forbidden) -> Response:
    return error_response(403, _refused(error.message, 403))


@bp.errorhandler(Conflict)
def _conflict(error: Conflict) -> Response:
    return error_response(409, _refused(error.message, 409), changes=error.changes)


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> Response:
    status = error.code or 500
    headers = {}
    if status == 405 and error.valid_methods:  # type: ignore[attr-defined]
        headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
    return error_response(status if status in STATUS_CODES else 400, headers=headers)


@bp.errorhandler(exc.OperationalError)
@bp.errorhandler(exc.InterfaceError)
@bp.errorhandler(exc.TimeoutError)
def _database_down(error: Exception) -> Response:
    note_outage(error)
    return error_response(503, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})


@bp.errorhandler(Exception)
def _unexpected(error: Exception) -> Response:
    log.exception("Unhandled API error on %s %s", request.method, request.path, exc_info=error)
    return error_response(500)


UNDOCUMENTED_ATTRIBUTE = "api_undocumented"


def undocumented(view: Callable[P, T]) -> Callable[P, T]:
    """Mark a route that is no operation of the API (the catch-all answering 404 and 405)."""
    setattr(view, UNDOCUMENTED_ATTRIBUTE, True)
    return view


def is_undocumented(view: Callable[..., object]) -> bool:
    return bool(getattr(view, UNDOCUMENTED_ATTRIBUTE, False))


@bp.route("/<path:_anything>", methods=list(METHODS))
@undocumented
def unknown(_anything: str) -> Response:
    """Paths under the API that name nothing: 405 if another method would do, else 404."""
    adapter = current_app.url_map.bind_to_environ(request.environ)
    allowed = []
    for method in METHODS:
        try:
            endpoint, _ = adapter.match(method=method)
        except HTTPException:
            continue
        if endpoint != request.endpoint:
            allowed.append(method)
    if allowed:
        return error_response(405, headers={"Allow": ", ".join(allowed)})
    return error_response(404)


# --- who is calling -----------------------------------------------------------------------------


def _bearer_token() -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        return None
    return token


@bp.before_request
def _check_input() -> Response | None:
    """Texts that break the rules of :mod:`finans.web.input_guard`: 422, before anything else."""
    body = parsed_json() if request.method in ("POST", "PUT", "PATCH") and request.is_json else None
    problems = request_problems(body)
    return error_response(422, problems) if problems else None


@bp.before_request
def _authenticate() -> Response | None:
    """Every endpoint but health and the API description needs a live token: not expired, not
    revoked, of an active user. A refusal says which, in Danish."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    token = _bearer_token()
    challenge = 'Bearer realm="finans"'
    if token is None:
        return error_response(401, headers={"WWW-Authenticate": challenge})
    check = tokens.TokenCheck(None, "unknown")
    if token.isascii() and token.isprintable() and len(token) <= MAX_TOKEN:
        check = tokens.check_token(db(), token=token)
    if check.actor is None:
        challenge += ', error="invalid_token"'
        return error_response(401, _refused(TOKEN_REFUSALS[check.refusal], 401),
                              headers={"WWW-Authenticate": challenge})
    g.api_actor = check.actor
    return None


def actor() -> Actor:
    """The user the request's token belongs to."""
    found: Actor = g.api_actor
    return found


# --- JSON in ------------------------------------------------------------------------------------


def parsed_json() -> object:
    """The request body as JSON (decimals as ``Decimal``), parsed once; ``None`` if it is not."""
    if "api_json" not in g:
        raw = request.get_data(cache=True)
        try:
            g.api_json = json.loads(raw.decode("utf-8"), parse_float=Decimal)
        except (UnicodeDecodeError, ValueError, RecursionError):
            g.api_json = None
    return g.api_json


def json_body() -> dict[str, Any]:
    """The request body as a JSON object (its texts already checked by the input guard)."""
    data = parsed_json()
    if data is None:
        raise invalid("bad_json", "Forespørgslen skal være et gyldigt JSON-objekt", "")
    if not isinstance(data, dict):
        raise invalid("not_object", "Forespørgslen skal være et JSON-objekt", "")
    return data


def split_version(data: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """The ``version`` the client read and the remaining fields of an update."""
    version = data.get("version")
    if version is None:
        message = "Send den version af posten, du har læst ('version'), med ændringerne"
        raise invalid("version_missing", message, "version")
    if isinstance(version, bool) or not isinstance(version, int) or not 1 <= version <= MAX_ID:
        raise invalid("bad_version", "Versionen skal være et positivt helt tal", "version")
    return version, {key: value for key, value in data.items() if key != "version"}


def query_text(name: str) -> str | None:
    """A query parameter as text (checked by the input guard); ``None`` when absent or empty."""
    value = request.args.get(name)
    if value is None or value == "":
        return None
    return value


def query_int(name: str, default: int, low: int, high: int) -> int:
    text = query_text(name)
    if text is None:
        return default
    if not (text.isascii() and text.isdigit()) or not low <= int(text) <= high:
        raise invalid("bad_number", f"Skal være et helt tal fra {low} til {high}", name)
    return int(text)


def query_flag(name: str) -> bool:
    """``1``/``true``/``ja`` or ``0``/``false``/``nej``; absent is false."""
    text = (query_text(name) or "0").lower()
    if text in ("1", "true", "ja", "yes"):
        return True
    if text in ("0", "false", "nej", "no"):
        return False
    raise invalid("bad_flag", "Skal være 1 eller 0", name)


def query_choice(name: str, choices: Sequence[str], default: str) -> str:
    text = query_text(name) or default
    if text not in choices:
        raise invalid("bad_choice", f"Skal være en af: {', '.join(choices)}", name)
    return text


def query_mode() -> SettlementMode:
    """``mode``: the settlement netted per pair (default) or with the fewest transfers."""
    return "minimal" if query_choice("mode", MODES, "pairwise") == "minimal" else "pairwise"


def query_period() -> Period:
    """``from`` and ``to`` (ISO dates, inclusive); the current year when both are left out."""
    start, end = query_text("from"), query_text("to")
    if start is None and end is None:
        return year_period(date.today().year)
    period, problems = parse_period(start, end, "", max_days=MAX_DAYS)
    if problems or period is None:
        raise ApiRefusal(422, problems)
    return period


def row_id(value: int) -> int:
    """A row id from a path; a number no row can have names nothing (404)."""
    if not 1 <= value <= MAX_ID:
        raise ApiRefusal(404, [Problem("not_found", MESSAGES[404], "")])
    return value


def kept_year(year: int, kept: str) -> int:
    """A year from a path; one outside the years ``kept`` (budgets, refund rates) are kept for
    names nothing (404)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ApiRefusal(404, [Problem("not_found", f"{kept} føres for årene "
                                       f"{FIRST_YEAR}–{LAST_YEAR}.", "")])
    return year
