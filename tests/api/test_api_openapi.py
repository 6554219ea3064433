"""The OpenAPI document describes exactly the operations the API has."""

from __future__ import annotations

import re

import schemathesis
from flask import Flask

from finans.web.api.openapi import DOCUMENT

UNDESCRIBED = {"/openapi.json", "/<path:_anything>"}
"""The document itself, and the catch-all that answers 404/405 for paths that name nothing."""
METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}


def served_operations(app: Flask) -> set[tuple[str, str]]:
    operations = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        path = rule.rule.removeprefix("/api/v1")
        if path in UNDESCRIBED:
            continue
        path = re.sub(r"<(?:[a-z]+(?:\([^)]*\))?:)?([a-z_]+)>", r"{\1}", path)
        operations |= {(path, method.lower()) for method in (rule.methods or set()) & METHODS}
    return operations


def described_operations() -> set[tuple[str, str]]:
    return {(path, method) for path, item in DOCUMENT["paths"].items() for method in item}


def test_every_operation_served_is_described_and_every_described_one_is_served(
    app: Flask,
) -> None:
    assert served_operations(app) == described_operations()


def test_every_operation_but_health_requires_the_bearer_token() -> None:
    public = {
        (path, method)
        for path, item in DOCUMENT["paths"].items()
        for method, operation in item.items()
        if operation.get("security") == []
    }
    assert public == {("/healthz", "get")}
    assert DOCUMENT["security"] == [{"bearerAuth": []}]


def test_every_described_path_parameter_is_declared() -> None:
    for path, item in DOCUMENT["paths"].items():
        names = set(re.findall(r"{([a-z_]+)}", path))
        for method, operation in item.items():
            declared = {
                DOCUMENT["components"]["parameters"][p["$ref"].rsplit("/", 1)[1]]["name"]
                for p in operation.get("parameters", [])
                if "$ref" in p
                and DOCUMENT["components"]["parameters"][p["$ref"].rsplit("/", 1)[1]]["in"]
                == "path"
            }
            assert declared == names, (path, method)


def test_the_document_is_a_valid_openapi_3_document(app: Flask) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == len(described_operations())
