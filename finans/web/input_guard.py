"""One check at the edge of the app for every text that reaches it, before any view runs.

Form fields (the log-in form included), query parameters and the strings of JSON bodies may not
hold control characters (tab and line breaks are allowed: reasons and rationales have several
lines) nor be longer than :data:`MAX_VALUE` characters. A refusal names the field: a Danish page
with 422 for forms and links, the API's JSON ``errors`` with ``where`` (``cost.amount``,
``core_team[0]``, or the query parameter's name) for the API. Each field's own, stricter limit is
checked where the field is read; this check only makes sure nothing unstorable or absurdly large
gets that far.
Path segments that break these rules name nothing and answer 404.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from flask import Flask, abort, request
from werkzeug.datastructures import MultiDict

from finans.allocation.problems import Problem
from finans.services.audit import FIELD_NAMES
from finans.services.text import bad_characters, has_bad_characters, too_long
from finans.web.errors import Page, error_page

MAX_VALUE = 10_000
"""No text field of finans is longer; each field's own limit is lower."""
MAX_KEY = 200
"""Field names, JSON keys and path segments."""
API_PREFIX = "/api/"
FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _value_problems(value: str, where: str, limit: int = MAX_VALUE) -> Iterator[Problem]:
    if len(value) > limit:
        yield too_long(where, limit)
    if has_bad_characters(value, multiline=True):
        yield bad_characters(where)


def _pairs_problems(pairs: Iterable[tuple[str, str]]) -> Iterator[Problem]:
    for key, value in pairs:
        if len(key) > MAX_KEY or has_bad_characters(key):
            yield Problem("bad_field", "Et feltnavn er ugyldigt", "")
            continue
        yield from _value_problems(value, key)


def json_problems(value: object, where: str = "") -> Iterator[Problem]:
    """The strings (and keys) of a parsed JSON document that break the rules, by JSON path."""
    pending = [(value, where)]
    while pending:
        item, path = pending.pop()
        if isinstance(item, str):
            yield from _value_problems(item, path)
        elif isinstance(item, dict):
            for key, inner in item.items():
                if len(key) > MAX_KEY or has_bad_characters(key):
                    yield Problem("bad_characters", "Nøglen indeholder ugyldige tegn", path)
                else:
                    pending.append((inner, f"{path}.{key}" if path else str(key)))
        elif isinstance(item, list):
            pending.extend((inner, f"{path}[{index}]") for index, inner in enumerate(item))


def _form_problems(form: MultiDict[str, str]) -> list[Problem]:
    problems = list(_pairs_problems(form.items(multi=True)))
    for name, upload in request.files.items(multi=True):
        filename = upload.filename or ""
        if len(filename) > MAX_KEY or has_bad_characters(filename):
            problems.append(Problem("bad_file_name", "Filnavnet er for langt eller ugyldigt", name))
    return problems


def _path_ok() -> bool:
    return all(
        not isinstance(value, str) or (len(value) <= MAX_KEY and not has_bad_characters(value))
        for value in (request.view_args or {}).values()
    )


def _for_people(problem: Problem) -> Problem:
    """The field named as people know it (``familie``) on a Danish page."""
    return Problem(problem.code, problem.message, FIELD_NAMES.get(problem.where, problem.where))


def request_problems(body: object = None) -> list[Problem]:
    """What breaks the rules in the request's query, form and (parsed JSON) ``body``.

    A path segment that breaks them names nothing: 404 at once.
    """
    if not _path_ok():
        abort(404)
    problems = list(_pairs_problems(request.args.items(multi=True)))
    if request.method in BODY_METHODS and request.mimetype in FORM_TYPES:
        problems += _form_problems(request.form)
    if body is not None:
        problems += json_problems(body)
    return problems


def _check_page_request() -> Page | None:
    """The check for pages (the API runs it from its own blueprint, answering in JSON)."""
    if request.path.startswith(API_PREFIX):
        return None
    problems = request_problems()
    if not problems:
        return None
    return error_page(422, problems=[_for_people(problem) for problem in problems])


def register_input_guard(app: Flask) -> None:
    """Check every page request's texts before anything else reads them."""
    app.before_request(_check_page_request)
