"""Property-based run of the whole API against its OpenAPI document (schemathesis).

Every operation is called with generated valid and invalid input, as an administrator, a
controller and a caseworker: no answer may be a server error, and every answer must match the
schema the document gives for its status.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from finans.web.api import document
from finans.web.api.common import XLSX

EXAMPLES = 12
"""Generated cases per operation and role; enough to reach every branch of input checking
without making the suite slow."""

# A workbook upload is a binary body, sent as it is.
schemathesis.serializer.alias(XLSX, "application/octet-stream")
schema = schemathesis.openapi.from_dict(document())


@pytest.fixture(params=["admin", "controller", "caseworker"])
def role(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],
)
def test_the_api_answers_every_request_as_documented_and_never_with_a_server_error(
    case: schemathesis.Case, app: Flask, role: str, auth: Callable[[str], dict[str, str]]
) -> None:
    case.call_and_validate(
        app=app, headers=auth(role), checks=[not_a_server_error, response_schema_conformance]
    )
