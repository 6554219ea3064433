"""The OpenAPI 3.1 description of the API, served at ``/api/v1/openapi.json``, made from the app.

Paths and methods come from the app's URL map, and each route's :class:`Operation` (its
:func:`~finans.web.api.operations.operation` decorator) says what it takes and answers. Schemas
are pydantic's JSON schemas of the very types the routes answer with (the services' results) and
of the request body types (:mod:`finans.web.api.bodies`), so the document cannot drift from the
code: a route without an operation stops the document from being made.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from pydantic import TypeAdapter
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaMode
from pydantic_core import CoreSchema, core_schema
from werkzeug.routing import Map

from finans.services.budgets import FIRST_YEAR, LAST_YEAR
from finans.web.api.common import (
    MAX_ID,
    METHODS,
    ConflictRefusal,
    Refusal,
    adapter,
    is_undocumented,
)
from finans.web.api.operations import Operation, declared_operation

Json = dict[str, Any]
PREFIX = "/api/v1"
COMPONENTS = "#/components/schemas/{model}"
BINARY = {"type": "string", "format": "binary"}

PATH_PARAMETERS: Mapping[str, tuple[Json, str]] = {
    "code": ({"type": "string", "minLength": 1, "example": "JOB"}, "Department code, e.g. JOB"),
    "ref": ({"type": "string", "minLength": 1, "example": "S-2025-0001"},
            "Journal number, e.g. S-2025-0001"),
    "id": ({"type": "string", "minLength": 1, "example": "I-1"}, "Intervention id, e.g. I-1"),
    "split_id": ({"type": "integer", "minimum": 1, "maximum": MAX_ID, "example": 1},
                 "The split version's id"),
    "department": ({"type": "string", "minLength": 1, "example": "JOB"}, "Department code"),
    "year": ({"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR, "example": 2026},
             "Calendar year"),
    "token_id": ({"type": "integer", "minimum": 1, "maximum": MAX_ID, "example": 1},
                 "The token's id"),
}
"""What each path parameter holds; a parameter not named here is described by its converter."""

REFUSALS: Mapping[int, tuple[str, str, type]] = {
    401: ("Unauthorized", "No token, or one that is unknown, expired or revoked", Refusal),
    403: ("Forbidden", "The caller's role or department may not do this", Refusal),
    404: ("NotFound", "No such record", Refusal),
    409: ("Conflict", "Someone else changed the record since the given version",
          ConflictRefusal),
    413: ("TooLarge", "The upload is larger than the server takes", Refusal),
    422: ("Invalid", "Invalid input; every problem with where it is", Refusal),
    503: ("Unavailable", "The database does not answer; try again after Retry-After seconds",
          Refusal),
}
"""The refusals an operation may give, as reusable responses (every one an ``errors`` list)."""

DESCRIPTION = (
    "Joint financing of family interventions across municipal departments. "
    "Authenticate with `Authorization: Bearer TOKEN` (tokens from `finans token create`). "
    "Amounts are kroner as decimal text with two decimals and a dot. Updates send the "
    "`version` they read and answer 409 with `changes` when someone saved in between. "
    "Every refusal has an `errors` list of `{code, message, where}`."
)

_PARAMETER = re.compile(r"<(?:([a-z]+)(?:\([^)]*\))?:)?([a-z_]+)>")


class UndocumentedRoute(LookupError):
    """An API route without an operation: the document would be incomplete."""


class _Schemas(GenerateJsonSchema):
    """pydantic's JSON schemas without a title on every field, and with every field an answer
    always holds marked required (fields left out when empty are not)."""

    def field_title_should_be_set(self, schema: CoreSchema) -> bool:
        return False

    def field_is_required(
        self,
        field: core_schema.ModelField | core_schema.DataclassField | core_schema.TypedDictField,
        total: bool,
    ) -> bool:
        if self.mode == "serialization" and field["type"] != "typed-dict-field":
            return field.get("serialization_exclude_if") is None
        return super().field_is_required(field, total)


def _path(rule: str) -> tuple[str, list[Json]]:
    """An OpenAPI path (``/splits/{split_id}``) and its parameters from a Flask rule."""
    parameters = []
    for converter, name in _PARAMETER.findall(rule):
        schema, description = PATH_PARAMETERS.get(
            name, ({"type": "integer"} if converter == "int" else {"type": "string"}, name)
        )
        parameters.append({"name": name, "in": "path", "required": True, "schema": schema,
                           "description": description})
    return _PARAMETER.sub(r"{\2}", rule).removeprefix(PREFIX), parameters


def operations(
    url_map: Map, views: Mapping[str, Callable[..., object]]
) -> list[tuple[str, str, list[Json], Operation]]:
    """(path, method, path parameters, operation) of every API route of the URL map."""
    found = []
    for rule in url_map.iter_rules():
        if not rule.rule.startswith(f"{PREFIX}/"):
            continue
        view = views[rule.endpoint]
        if is_undocumented(view):
            continue
        declared = declared_operation(view)
        if declared is None:
            raise UndocumentedRoute(f"{rule.rule} ({rule.endpoint}) declares no operation")
        path, parameters = _path(rule.rule)
        for method in sorted(set(rule.methods or ()) & set(METHODS)):
            found.append((path, method.lower(), parameters, declared))
    return found


def _schemas(
    declared: Iterable[Operation],
) -> tuple[dict[tuple[Any, JsonSchemaMode], Json], Json]:
    """The JSON schema (or reference) of every answer and body type, and the shared ones."""
    wanted: dict[tuple[Any, JsonSchemaMode], TypeAdapter[Any]] = {}
    for kind in (Refusal, ConflictRefusal):
        wanted[kind, "serialization"] = adapter(kind)
    for item in declared:
        if item.answer is not None:
            wanted[item.answer, "serialization"] = adapter(item.answer)
        if item.body is not None:
            wanted[item.body, "validation"] = adapter(item.body)
    keys, definitions = TypeAdapter.json_schemas(
        [(key, key[1], found) for key, found in wanted.items()],
        ref_template=COMPONENTS, schema_generator=_Schemas,
    )
    return {key: schema for (key, _mode), schema in keys.items()}, definitions.get("$defs", {})


def _json(schema: Json) -> Json:
    return {"application/json": {"schema": schema}}


def _operation(declared: Operation, parameters: list[Json],
               schemas: Mapping[tuple[Any, JsonSchemaMode], Json]) -> Json:
    if declared.answer is None:
        content: Json = {declared.content: {"schema": BINARY}}
    else:
        content = _json(schemas[declared.answer, "serialization"])
        content.update({media: {"schema": {"type": "string"}} for media in declared.files})
    described = "Created" if declared.status == 201 else "OK"
    result: Json = {
        "summary": declared.summary,
        "tags": [declared.tag],
        "responses": {str(declared.status): {"description": described, "content": content}},
    }
    for status, description in declared.also:
        result["responses"][str(status)] = {"description": description, "content": content}
    query = [{"name": q.name, "in": "query", "required": False, "schema": q.schema,
              "description": q.description} for q in declared.query]
    if parameters or query:
        result["parameters"] = [*parameters, *query]
    if declared.body is not None:
        result["requestBody"] = {"required": declared.body_required,
                                 "content": _json(schemas[declared.body, "validation"])}
    if declared.upload:
        result["requestBody"] = {"required": True, "content": {
            declared.content: {"schema": BINARY},
            "multipart/form-data": {"schema": {"type": "object", "properties": {"file": BINARY},
                                               "required": ["file"]}},
        }}
    refusals = list(declared.refusals)
    if declared.public:
        result["security"] = []
    else:
        refusals.append(503)
    for status in refusals:
        if str(status) not in result["responses"]:
            result["responses"][str(status)] = {
                "$ref": f"#/components/responses/{REFUSALS[status][0]}"
            }
    return result


def _responses(schemas: Mapping[tuple[Any, JsonSchemaMode], Json]) -> Json:
    responses: Json = {}
    for name, description, kind in REFUSALS.values():
        responses[name] = {"description": description,
                           "content": _json(schemas[kind, "serialization"])}
    responses["Unavailable"]["headers"] = {"Retry-After": {"schema": {"type": "integer"}}}
    return responses


def build_document(url_map: Map, views: Mapping[str, Callable[..., object]]) -> Json:
    """The OpenAPI document of the API routes in ``url_map``."""
    found = operations(url_map, views)
    schemas, definitions = _schemas(declared for _path, _method, _parameters, declared in found)
    paths: Json = {}
    for path, method, parameters, declared in sorted(found, key=lambda item: item[:2]):
        paths.setdefault(path, {})[method] = _operation(declared, parameters, schemas)
    return {
        "openapi": "3.1.0",
        "info": {"title": "finans API", "version": "1", "description": DESCRIPTION},
        "servers": [{"url": PREFIX}],
        "security": [{"bearerAuth": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "schemas": definitions,
            "responses": _responses(schemas),
        },
    }
