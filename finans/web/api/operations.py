"""How an API route declares what it takes and answers, and how its answer becomes JSON.

Every ``/api/v1`` route carries one :func:`operation` under its Flask route decorator. It names the
types of the request body and of the answer — the services' result types (frozen dataclasses),
pages of them, or the contract documents of :mod:`finans.services.documents` — and the refusals it
may give. The route returns a value of that type (or :class:`Created`, or a ready ``Response``);
the operation writes it as JSON through pydantic, from the same type that the OpenAPI document
(:mod:`finans.web.api.openapi`) describes. docs/api.md says how to add a route.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import wraps
from typing import Any, Generic, ParamSpec, TypeVar

from flask import Response

from finans.web.api.common import (
    DEFAULT_PER_PAGE,
    MAX_ID,
    MAX_PER_PAGE,
    json_response,
    query_int,
    to_json,
)

P = ParamSpec("P")
T = TypeVar("T")
ItemT = TypeVar("ItemT")

UNAUTHORIZED, FORBIDDEN, NOT_FOUND, CONFLICT, INVALID = 401, 403, 404, 409, 422
READ_ONE = (UNAUTHORIZED, FORBIDDEN, NOT_FOUND)
WRITE = (UNAUTHORIZED, FORBIDDEN, NOT_FOUND, INVALID)
UPDATE = (*WRITE, CONFLICT)
FIGURES = (UNAUTHORIZED, FORBIDDEN, INVALID)


@dataclass(frozen=True, slots=True)
class Query:
    """A query parameter: its name, JSON schema and what it does."""

    name: str
    schema: dict[str, Any]
    description: str


PAGE = Query("page", {"type": "integer", "minimum": 1, "maximum": MAX_ID, "default": 1},
             "Page number, from 1")
PER_PAGE = Query("per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE,
                              "default": DEFAULT_PER_PAGE}, "Items per page")
PAGED = (PAGE, PER_PAGE)
PERIOD_ONLY = (
    Query("from", {"type": "string", "format": "date"},
          "First day of the period (default 1 January this year)"),
    Query("to", {"type": "string", "format": "date"},
          "Last day of the period, inclusive (default 31 December)"),
)
PERIOD = (
    *PERIOD_ONLY,
    Query("mode", {"type": "string", "enum": ["pairwise", "minimal"], "default": "pairwise"},
          "Settlement netted per pair, or the fewest transfers"),
)


@dataclass(frozen=True, slots=True)
class Page(Generic[ItemT]):
    """One page of a list (``?page=&per_page=``) and how many items the whole list has."""

    items: Sequence[ItemT]
    page: int
    per_page: int
    total: int


def page(items: Sequence[ItemT]) -> Page[ItemT]:
    """The page of ``items`` that ``?page=&per_page=`` asks for (a lazy listing reads only it)."""
    number = query_int("page", 1, 1, MAX_ID)
    size = query_int("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    first = (number - 1) * size
    return Page(list(items[first:first + size]), number, size, len(items))


@dataclass(frozen=True, slots=True)
class Created(Generic[T]):
    """A record a POST made: answered 201 with its address in ``Location``."""

    value: T
    location: str


@dataclass(frozen=True, slots=True)
class Operation:
    """What the OpenAPI document says of a route's method.

    Attributes:
      answer: the type of a successful answer (``None``: a binary download of ``content``).
      status: the status of a successful answer (201 for a creation).
      body: the type of the JSON request body, if any; ``upload`` for a workbook instead.
      content: the media type of a binary answer or upload.
      files: media types of text files the route answers with instead of JSON, as asked.
      also: other statuses answered with the same type, and when.
      refusals: the statuses it may refuse with beside 503 (each with the ``errors`` list).
      public: needs no token (and so never answers 401 or 503).
    """

    summary: str
    tag: str
    answer: Any
    status: int = 200
    body: Any = None
    body_required: bool = True
    upload: bool = False
    content: str = "application/json"
    files: tuple[str, ...] = ()
    query: tuple[Query, ...] = ()
    also: tuple[tuple[int, str], ...] = ()
    refusals: tuple[int, ...] = (UNAUTHORIZED,)
    public: bool = False


OPERATION_ATTRIBUTE = "api_operation"
"""Where a route function keeps its :class:`Operation`, for the document to find."""


def operation(
    summary: str, *, tag: str, answer: Any, **details: Any
) -> Callable[[Callable[P, object]], Callable[P, Response]]:
    """Declare a route's operation (see :class:`Operation`) and write its answers as JSON of the
    declared ``answer`` type."""
    declared = Operation(summary, tag, answer, **details)

    def decorate(view: Callable[P, object]) -> Callable[P, Response]:
        @wraps(view)
        def answered(*args: P.args, **kwargs: P.kwargs) -> Response:
            result = view(*args, **kwargs)
            if isinstance(result, Response):
                return result
            if isinstance(result, Created):
                return json_response(to_json(result.value, declared.answer), 201,
                                     {"Location": result.location})
            return json_response(to_json(result, declared.answer), declared.status)

        setattr(answered, OPERATION_ATTRIBUTE, declared)
        return answered

    return decorate


def declared_operation(view: Callable[..., object]) -> Operation | None:
    found: Operation | None = getattr(view, OPERATION_ATTRIBUTE, None)
    return found
