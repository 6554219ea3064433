"""The OpenAPI 3 description of the API, served at ``/api/v1/openapi.json``.

Written by hand beside the endpoints it describes and checked against them by the test suite
(schemathesis calls every operation and validates each answer against these schemas). Shapes follow
the scenario JSON (docs/scenario.md): amounts are decimal text with two decimals and a dot, dates
ISO.
"""

from __future__ import annotations

from typing import Any

from finans.services.budgets import FIRST_YEAR, LAST_YEAR
from finans.web.api.common import DEFAULT_PER_PAGE, MAX_ID, MAX_PER_PAGE, XLSX

Json = dict[str, Any]

AMOUNT_PATTERN = r"^-?[0-9]+\.[0-9]{2}$"


def ref(name: str) -> Json:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(properties: Json, required: tuple[str, ...] = ()) -> Json:
    schema: Json = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    return schema


def array(items: Json) -> Json:
    return {"type": "array", "items": items}


def text(**extra: Any) -> Json:
    return {"type": "string", **extra}


def string_map(values: Json | None = None) -> Json:
    return {"type": "object", "additionalProperties": values or text()}


DATE = text(format="date")
AMOUNT = text(pattern=AMOUNT_PATTERN, description="Kroner with two decimals and a dot")
AMOUNT_INPUT = text(description="Kroner as decimal text, e.g. \"12000.00\" (numbers are accepted)")
VERSION = {"type": "integer", "minimum": 1, "maximum": MAX_ID,
           "description": "The version of the record the client read"}
PER = text(enum=["once", "week", "month", "year"])
METHOD = text(enum=["fixed", "equal", "weighted", "savings"])
STATUS = text(enum=["draft", "proposed", "agreed", "rejected"])
WEIGHTS = string_map(text(description="Decimal text"))
PERIOD = obj({"from": DATE, "to": DATE}, ("from", "to"))
REFUNDABLE_INPUT = {"type": "boolean", "nullable": True,
                    "description": "Counts toward the state refund; null or left out on "
                                   "creation: the default of its legal basis"}
MONTH = text(pattern=r"^\d{4}-\d{2}$", description="A calendar month, YYYY-MM")
ACCOUNT = text(description="A municipal account string: hovedkonto.hovedfunktion.funktion "
                           "(5.28.21), optionally followed by groups of digits or letters after a "
                           "dot or a space")
DEBIT_CREDIT = obj({"debit": AMOUNT, "credit": AMOUNT}, ("debit", "credit"))


def page_of(name: str) -> Json:
    return obj(
        {
            "items": array(ref(name)),
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
            "total": {"type": "integer", "minimum": 0},
        },
        ("items", "page", "per_page", "total"),
    )


EXAMPLES: Json = {
    "DepartmentInput": {"code": "PSY", "name": "Psykiatri", "account": "5.38.40"},
    "DepartmentUpdate": {"version": 1, "account": "5.68.91"},
    "CaseInput": {"ref": "S-2026-0101", "family": "Familie Holm", "consent": True,
                  "assessed_on": "2026-03-02", "core_team": ["BFH", "JOB"]},
    "CaseUpdate": {"version": 1, "consent": True},
    "InterventionInput": {
        "case": "S-2025-0001", "title": "Aflastning", "legal_basis": "Barnets lov § 32",
        "granted_by": "BFH", "paid_by": "BFH",
        "cost": {"amount": "12000.00", "per": "month", "start": "2026-01-15", "end": "2026-12-31"},
        "account": "5.57.72",
    },
    "InterventionUpdate": {"version": 1, "title": "Aflastning i weekender"},
    "SplitInput": {"effective_from": "2027-01-01", "method": "fixed",
                   "shares": {"BFH": "60", "JOB": "40"}, "rationale": "Revurdering"},
    "SplitUpdate": {"version": 1, "rationale": "Ny begrundelse"},
    "DecisionInput": {"reason": "Andelen er for høj"},
    "BudgetInput": {"department": "JOB", "year": 2026, "amount": "1250000.00"},
    "BudgetUpdate": {"version": 1, "amount": "1300000.00"},
    "RefundRateInput": {"year": 2031, "thresholds": ["1050000.00", "2050000.00", "2590000.00"],
                        "percents": ["25", "50", "75"], "note": "Reguleret efter satsloven"},
    "RefundRateUpdate": {"version": 1, "note": "Bekræftet af økonomi"},
    "CloseInput": {"month": "2026-03"},
}
"""Request bodies that work on the demo municipality (``finans demo``)."""

SCHEMAS: Json = {
    "Problem": obj(
        {"code": text(), "message": text(), "where": text(
            description="Where the problem is: a JSON path (cost.amount), a query parameter or "
            "a workbook cell (Fordeling!E7); empty when it concerns the whole request")},
        ("code", "message", "where"),
    ),
    "Errors": obj({"errors": {**array(ref("Problem")), "minItems": 1}}, ("errors",)),
    "ConflictErrors": obj(
        {
            "errors": {**array(ref("Problem")), "minItems": 1},
            "changes": array(text(description="What someone else changed since, and who")),
        },
        ("errors", "changes"),
    ),
    "Department": obj(
        {"code": text(), "name": text(), "account": text(), "active": {"type": "boolean"},
         "version": VERSION},
        ("code", "name", "account", "active", "version"),
    ),
    "DepartmentInput": obj(
        {"code": text(minLength=1), "name": text(minLength=1), "account": text(),
         "active": {"type": "boolean"}},
        ("code", "name"),
    ),
    "DepartmentUpdate": obj(
        {"version": VERSION, "name": text(minLength=1), "account": text(),
         "active": {"type": "boolean"}},
        ("version",),
    ),
    "Case": obj(
        {"ref": text(), "family": text(), "coordinator": text(), "consent": {"type": "boolean"},
         "assessed_on": DATE, "core_team": array(text()), "version": VERSION},
        ("ref", "family", "coordinator", "consent", "core_team", "version"),
    ),
    "CaseInput": obj(
        {"ref": text(minLength=1), "family": text(), "coordinator": text(),
         "consent": {"type": "boolean"}, "assessed_on": DATE, "core_team": array(text())},
        ("ref",),
    ),
    "CaseUpdate": obj(
        {"version": VERSION, "family": text(), "coordinator": text(),
         "consent": {"type": "boolean"}, "assessed_on": DATE, "core_team": array(text())},
        ("version",),
    ),
    "Cost": obj({"amount": AMOUNT, "per": PER, "start": DATE, "end": DATE},
                ("amount", "per", "start")),
    "CostInput": obj({"amount": AMOUNT_INPUT, "per": PER, "start": DATE, "end": DATE},
                     ("amount", "per", "start")),
    "Decision": obj(
        {"department": text(), "decision": text(enum=["approve", "reject"]), "by": text(),
         "at": text(description="Local time, ISO without offset"),
         "at_meeting": {"type": "boolean"}, "reason": text()},
        ("department", "decision", "by", "at_meeting"),
    ),
    "Split": obj(
        {
            "id": {"type": "integer", "minimum": 1},
            "intervention": text(),
            "effective_from": DATE,
            "method": METHOD,
            "status": STATUS,
            "alpha": text(description="Weight on responsibility (weighted), decimal text"),
            "shares": WEIGHTS,
            "departments": array(text()),
            "responsibility": WEIGHTS,
            "benefit": WEIGHTS,
            "savings": WEIGHTS,
            "rationale": text(),
            "proposed_by": text(),
            "proposed_at": text(description="Local time, ISO without offset"),
            "decisions": array(ref("Decision")),
            "version": VERSION,
            "resolved": string_map(text(description="Exact share as a fraction, e.g. 7/12")),
            "awaiting": array(text(description="Departments that have not answered yet")),
        },
        ("id", "intervention", "effective_from", "method", "status", "proposed_by",
         "proposed_at", "version", "resolved", "awaiting"),
    ),
    "SplitInput": obj(
        {
            "effective_from": DATE,
            "method": METHOD,
            "status": text(enum=["draft", "proposed", "agreed"],
                           description="agreed only together with meeting"),
            "alpha": text(),
            "shares": WEIGHTS,
            "departments": array(text()),
            "responsibility": WEIGHTS,
            "benefit": WEIGHTS,
            "savings": WEIGHTS,
            "rationale": text(),
            "meeting": string_map(text(description="Who approved for the department at the "
                                                   "joint meeting")),
        },
        ("effective_from", "method"),
    ),
    "SplitUpdate": obj(
        {
            "version": VERSION,
            "effective_from": DATE,
            "method": METHOD,
            "status": text(enum=["draft", "proposed"]),
            "alpha": text(),
            "shares": WEIGHTS,
            "departments": array(text()),
            "responsibility": WEIGHTS,
            "benefit": WEIGHTS,
            "savings": WEIGHTS,
            "rationale": text(),
        },
        ("version",),
    ),
    "DecisionInput": obj(
        {"reason": text(description="Required for a rejection"), "version": VERSION},
    ),
    "Intervention": obj(
        {"id": text(), "case": text(), "title": text(), "legal_basis": text(),
         "granted_by": text(), "paid_by": text(), "cost": ref("Cost"),
         "refundable": {"type": "boolean",
                        "description": "Its cost counts toward the state refund"},
         "account": {**ACCOUNT, "description": "The account string the payer books it on, when "
                     "not the payer's own"},
         "splits": array(ref("Split")), "version": VERSION},
        ("id", "case", "title", "legal_basis", "granted_by", "paid_by", "cost", "refundable",
         "splits", "version"),
    ),
    "InterventionInput": obj(
        {"id": text(minLength=1, description="Left out: the next free I-<n>"),
         "case": text(), "title": text(minLength=1), "legal_basis": text(),
         "granted_by": text(), "paid_by": text(), "cost": ref("CostInput"),
         "refundable": REFUNDABLE_INPUT,
         "account": {**ACCOUNT, "description": "Left out: the paying department's own"}},
        ("case", "title", "granted_by", "paid_by", "cost"),
    ),
    "InterventionUpdate": obj(
        {"version": VERSION, "case": text(), "title": text(minLength=1), "legal_basis": text(),
         "granted_by": text(), "paid_by": text(), "cost": ref("CostInput"),
         "refundable": REFUNDABLE_INPUT,
         "account": {**ACCOUNT, "description": "Left out: kept; empty: the payer's own again"}},
        ("version",),
    ),
    "Budget": obj(
        {"department": text(), "year": {"type": "integer"}, "amount": AMOUNT,
         "version": VERSION},
        ("department", "year", "amount", "version"),
    ),
    "BudgetInput": obj(
        {"department": text(minLength=1),
         "year": {"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR},
         "amount": AMOUNT_INPUT},
        ("department", "year", "amount"),
    ),
    "BudgetUpdate": obj({"version": VERSION, "amount": AMOUNT_INPUT}, ("version", "amount")),
    "RefundRate": obj(
        {"year": {"type": "integer"},
         "thresholds": {**array(AMOUNT), "minItems": 3, "maxItems": 3,
                        "description": "The tiers' lower bounds per year, ascending"},
         "percents": {**array(text(description="Decimal text")), "minItems": 3, "maxItems": 3},
         "note": text(),
         "statutory": {"type": "boolean",
                       "description": "The amounts the law names (2022 level), unchanged"},
         "version": VERSION},
        ("year", "thresholds", "percents", "note", "statutory", "version"),
    ),
    "RefundRateInput": obj(
        {"year": {"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR},
         "thresholds": {**array(AMOUNT_INPUT), "minItems": 3, "maxItems": 3},
         "percents": {**array(text(description="Decimal text, 0 to 100")), "minItems": 3,
                      "maxItems": 3},
         "note": text()},
        ("year", "thresholds", "percents"),
    ),
    "RefundRateUpdate": obj(
        {"version": VERSION,
         "thresholds": {**array(AMOUNT_INPUT), "minItems": 3, "maxItems": 3},
         "percents": {**array(text(description="Decimal text, 0 to 100")), "minItems": 3,
                      "maxItems": 3},
         "note": text()},
        ("version",),
    ),
    "Transfer": obj({"from": text(), "to": text(), "amount": AMOUNT}, ("from", "to", "amount")),
    "Calculation": obj(
        {
            "period": PERIOD,
            "lines": array(obj(
                {"intervention": text(), "case": text(), "month": text(pattern=r"^\d{4}-\d{2}$"),
                 "department": text(), "amount": AMOUNT},
                ("intervention", "case", "month", "department", "amount"),
            )),
            "totals": string_map(AMOUNT),
            "total": AMOUNT,
            "settlement": array(ref("Transfer")),
            "unsplit": array(obj(
                {"intervention": text(), "case": text(), "paid_by": text(),
                 "days": {"type": "integer", "minimum": 1}},
                ("intervention", "case", "paid_by", "days"),
            )),
            "eligibility": string_map(obj(
                {"eligible": {"type": "boolean"}, "unmet": array(text())},
                ("eligible", "unmet"),
            )),
            "refunds": array(obj(
                {"case": text(), "month": text(pattern=r"^\d{4}-\d{2}$"), "basis": AMOUNT,
                 "amount": AMOUNT, "departments": string_map(AMOUNT)},
                ("case", "month", "basis", "amount", "departments"),
            )),
            "refund_totals": string_map(AMOUNT),
            "net_totals": string_map(AMOUNT),
            "refund_missing_years": array(text(pattern=r"^\d{4}$",
                                               description="Years without refund rates")),
            "errors": {"type": "array", "maxItems": 0},
        },
        ("period", "lines", "totals", "total", "settlement", "unsplit", "eligibility",
         "refunds", "refund_totals", "net_totals", "refund_missing_years", "errors"),
    ),
    "Settlement": obj(
        {"period": PERIOD, "mode": text(enum=["pairwise", "minimal"]),
         "settlement": array(ref("Transfer"))},
        ("period", "mode", "settlement"),
    ),
    "Scenario": obj(
        {"departments": array({"type": "object"}), "cases": array({"type": "object"}),
         "interventions": array({"type": "object"})},
        ("departments", "cases", "interventions"),
    ),
    "KindReport": obj(
        {"created": array(text()),
         "changed": array(obj({
             "key": text(), "fields": array(text()),
             "values": array(obj({"field": text(), "before": {}, "after": {}}, ("field",))),
         }, ("key", "fields"))),
         "unchanged": {"type": "integer", "minimum": 0}},
        ("created", "changed", "unchanged"),
    ),
    "ImportReport": obj(
        {"departments": ref("KindReport"), "cases": ref("KindReport"),
         "interventions": ref("KindReport"), "splits": ref("KindReport"),
         "refund_rates": ref("KindReport"),
         "problems": {"type": "array", "maxItems": 0}, "applied": {"type": "boolean"}},
        ("departments", "cases", "interventions", "splits", "refund_rates", "problems",
         "applied"),
    ),
    "Health": obj({"status": text(enum=["ok", "unavailable"])}, ("status",)),
    "Correction": obj(
        {"posted_in": MONTH, "month": MONTH,
         "kind": text(enum=["allocation", "refund"], description="An intervention's allocation, "
                      "or the household's state refund passed on from the payer paid_by"),
         "intervention": text(description="Empty for a refund"), "case": text(),
         "department": text(), "paid_by": text(),
         "amount": {**AMOUNT, "description": "What the closed month gives now minus what it "
                    "posted (negative: taken back, or more refund passed on)"}},
        ("posted_in", "month", "kind", "intervention", "case", "department", "paid_by",
         "amount"),
    ),
    "PostingSummary": obj(
        {
            "period": PERIOD,
            "months": array(MONTH),
            "closed_through": {**MONTH, "nullable": True},
            "legs": {"type": "integer", "minimum": 0},
            "balanced": {"type": "boolean"},
            "dates": string_map(DEBIT_CREDIT),
            "accounts": string_map(DEBIT_CREDIT),
            "departments": string_map({**AMOUNT, "description": "Debit − credit of the "
                                       "department's legs"}),
            "refunds": string_map({**AMOUNT, "description": "Debit − credit of the "
                                   "department's legs passing the state refund on: what it "
                                   "received as payer less its part of the refund"}),
            "corrections": array(ref("Correction")),
        },
        ("period", "months", "closed_through", "legs", "balanced", "dates", "accounts",
         "departments", "refunds", "corrections"),
    ),
    "Closing": obj(
        {
            "closed_through": {**MONTH, "nullable": True},
            "first_open": {**MONTH, "nullable": True},
            "months": array(obj(
                {"month": MONTH, "closed_at": text(description="Local time, ISO without offset"),
                 "closed_by": text()},
                ("month", "closed_at", "closed_by"),
            )),
        },
        ("closed_through", "first_open", "months"),
    ),
    "CloseInput": obj({"month": MONTH}, ("month",)),
    "CloseResult": obj(
        {"closed": array(MONTH), "closed_through": MONTH,
         "entries": {"type": "integer", "minimum": 0},
         "corrections": {"type": "integer", "minimum": 0}},
        ("closed", "closed_through", "entries", "corrections"),
    ),
    "Token": obj(
        {"id": {"type": "integer", "minimum": 1}, "user": text(), "label": text(),
         "prefix": text(description="The token's first characters, to recognise it"),
         "created_at": text(description="Local time, ISO without offset"),
         "expires_at": text(description="Local time, ISO without offset"),
         "last_used_at": text(nullable=True, description="To the minute; null if never used"),
         "revoked_at": text(nullable=True), "state": text(enum=["active", "expired", "revoked"])},
        ("id", "user", "label", "prefix", "created_at", "expires_at", "last_used_at",
         "revoked_at", "state"),
    ),
}
for _name in ("Department", "Case", "Intervention", "Split", "Budget", "RefundRate", "Token"):
    SCHEMAS[f"{_name}Page"] = page_of(_name)
for _name, _example in EXAMPLES.items():
    SCHEMAS[_name]["example"] = _example


def _error(description: str, schema: str = "Errors") -> Json:
    return {"description": description,
            "content": {"application/json": {"schema": ref(schema)}}}


RESPONSES: Json = {
    "Unauthorized": _error("No token, or one that is unknown, expired or revoked"),
    "Unavailable": {**_error("The database does not answer; try again after Retry-After "
                             "seconds"),
                    "headers": {"Retry-After": {"schema": {"type": "integer"}}}},
    "Forbidden": _error("The caller's role or department may not do this"),
    "NotFound": _error("No such record"),
    "Conflict": _error("Someone else changed the record since the given version",
                       "ConflictErrors"),
    "Invalid": _error("Invalid input; every problem with where it is"),
}


def _query(name: str, schema: Json, description: str) -> Json:
    return {"name": name, "in": "query", "required": False, "schema": schema,
            "description": description}


def _path(name: str, schema: Json, description: str) -> Json:
    return {"name": name, "in": "path", "required": True, "schema": schema,
            "description": description}


PARAMETERS: Json = {
    "page": _query("page", {"type": "integer", "minimum": 1, "maximum": MAX_ID, "default": 1},
                   "Page number, from 1"),
    "per_page": _query("per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE,
                                    "default": DEFAULT_PER_PAGE}, "Items per page"),
    "from": _query("from", DATE, "First day of the period (default 1 January this year)"),
    "to": _query("to", DATE, "Last day of the period, inclusive (default 31 December)"),
    "mode": _query("mode", text(enum=["pairwise", "minimal"], default="pairwise"),
                   "Settlement netted per pair, or the fewest transfers"),
    "code": _path("code", text(minLength=1, example="JOB"), "Department code, e.g. JOB"),
    "ref": _path("ref", text(minLength=1, example="S-2025-0001"),
                 "Journal number, e.g. S-2025-0001"),
    "id": _path("id", text(minLength=1, example="I-1"), "Intervention id, e.g. I-1"),
    "split_id": _path("split_id", {"type": "integer", "minimum": 1, "maximum": MAX_ID,
                                   "example": 1}, "The split version's id"),
    "department": _path("department", text(minLength=1, example="JOB"), "Department code"),
    "year": _path("year", {"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR,
                           "example": 2026}, "Calendar year"),
    "token_id": _path("token_id", {"type": "integer", "minimum": 1, "maximum": MAX_ID,
                                   "example": 1}, "The token's id"),
}


def param(name: str) -> Json:
    return {"$ref": f"#/components/parameters/{name}"}


def answer(name: str) -> Json:
    return {"$ref": f"#/components/responses/{name}"}


def ok(schema: str | Json, description: str = "OK") -> Json:
    content = ref(schema) if isinstance(schema, str) else schema
    return {"description": description, "content": {"application/json": {"schema": content}}}


def body(schema: str) -> Json:
    return {"required": True, "content": {"application/json": {"schema": ref(schema)}}}


def operation(
    summary: str,
    responses: Json,
    *,
    tag: str,
    parameters: tuple[Json, ...] = (),
    request: Json | None = None,
    errors: tuple[str, ...] = ("Unauthorized",),
    public: bool = False,
) -> Json:
    """One operation; every one but health and this document answers 401 without a token."""
    result: Json = {"summary": summary, "tags": [tag], "responses": dict(responses)}
    if parameters:
        result["parameters"] = list(parameters)
    if request is not None:
        result["requestBody"] = request
    for name in errors:
        status = {"Unauthorized": "401", "Forbidden": "403", "NotFound": "404",
                  "Conflict": "409", "Invalid": "422"}[name]
        result["responses"][status] = answer(name)
    if public:
        result["security"] = []
    else:
        result["responses"]["503"] = answer("Unavailable")
    return result


PAGED = (param("page"), param("per_page"))
READ = ("Unauthorized", "NotFound", "Invalid")
WRITE = ("Unauthorized", "Forbidden", "NotFound", "Invalid")
UPDATE = (*WRITE, "Conflict")
FIGURES = ("Unauthorized", "Forbidden", "Invalid")


def _resource(
    tag: str, name: str, plural: str, key: Json, *, list_params: tuple[Json, ...] = (),
    list_errors: tuple[str, ...] = ("Unauthorized", "Invalid"),
) -> tuple[Json, Json]:
    """The collection and item paths of a record type: list, create, read, update."""
    update = operation(f"Change a {name.lower()} (send the version you read)", {"200": ok(name)},
                       tag=tag, parameters=(key,), request=body(f"{name}Update"), errors=UPDATE)
    collection = {
        "get": operation(f"List {plural}", {"200": ok(f"{name}Page")}, tag=tag,
                         parameters=(*list_params, *PAGED), errors=list_errors),
        "post": operation(f"Create a {name.lower()}", {"201": ok(name, "Created")}, tag=tag,
                          request=body(f"{name}Input"), errors=WRITE),
    }
    item = {
        "get": operation(f"One {name.lower()}", {"200": ok(name)}, tag=tag, parameters=(key,),
                         errors=("Unauthorized", "Forbidden", "NotFound")),
        "put": update,
        "patch": update,
    }
    return collection, item


_departments, _department = _resource("Afdelinger", "Department", "departments", param("code"))
_cases, _case = _resource("Sager", "Case", "cases the caller may see", param("ref"))
_interventions, _intervention = _resource(
    "Indsatser", "Intervention", "interventions the caller may see", param("id"),
    list_params=(_query("case", text(), "Only this case's interventions (journal number)"),),
    list_errors=READ,
)
_budgets, _budget = _resource(
    "Budgetter", "Budget", "budgets", param("department"),
    list_params=(
        _query("year", {"type": "integer", "minimum": FIRST_YEAR, "maximum": LAST_YEAR},
               "Only this year"),
        _query("department", text(), "Only this department"),
    ),
    list_errors=FIGURES,
)
for _operation in _budget.values():
    _operation["parameters"] = [param("department"), param("year")]
_refund_rates, _refund_rate = _resource(
    "Refusion", "RefundRate", "the refund's yearly rates", param("year"),
)
_period = (param("from"), param("to"), param("mode"))
_decision_request = {"required": False,
                     "content": {"application/json": {"schema": ref("DecisionInput")}}}
_split = param("split_id")

PATHS: Json = {
    "/healthz": {"get": operation(
        "Whether the service and its database answer",
        {"200": ok("Health"), "503": ok("Health", "The database does not answer")},
        tag="Drift", errors=(), public=True,
    )},
    "/departments": _departments,
    "/departments/{code}": _department,
    "/cases": _cases,
    "/cases/{ref}": _case,
    "/interventions": _interventions,
    "/interventions/{id}": _intervention,
    "/interventions/{id}/splits": {
        "get": operation("The intervention's split versions", {"200": ok("SplitPage")},
                         tag="Fordelinger", parameters=(param("id"), *PAGED),
                         errors=("Unauthorized", "Forbidden", "NotFound", "Invalid")),
        "post": operation(
            "Add a split version: a proposal or draft, or with meeting a version agreed at the "
            "joint meeting",
            {"201": ok("Split", "Created")}, tag="Fordelinger", parameters=(param("id"),),
            request=body("SplitInput"), errors=WRITE,
        ),
    },
    "/splits/{split_id}": {
        "get": operation("One split version", {"200": ok("Split")}, tag="Fordelinger",
                         parameters=(_split,), errors=("Unauthorized", "Forbidden", "NotFound")),
        **{method: operation("Change a draft or proposal (its approvals are cleared)",
                             {"200": ok("Split")}, tag="Fordelinger", parameters=(_split,),
                             request=body("SplitUpdate"), errors=UPDATE)
           for method in ("put", "patch")},
    },
    "/splits/{split_id}/approve": {"post": operation(
        "The calling controller's department approves its share", {"200": ok("Split")},
        tag="Fordelinger", parameters=(_split,), request=_decision_request, errors=UPDATE,
    )},
    "/splits/{split_id}/reject": {"post": operation(
        "The calling controller's department rejects its share (reason required)",
        {"200": ok("Split")}, tag="Fordelinger", parameters=(_split,),
        request=_decision_request, errors=UPDATE,
    )},
    "/allocation": {"get": operation(
        "The calculator's result for the period, exactly as `finans calc` gives it",
        {"200": ok("Calculation")}, tag="Tal", parameters=_period, errors=FIGURES,
    )},
    "/settlement": {"get": operation(
        "The internal transfers that settle the period", {"200": ok("Settlement")},
        tag="Tal", parameters=_period, errors=FIGURES,
    )},
    "/scenario": {"get": operation(
        "The whole database as scenario JSON, as `finans dump` writes it",
        {"200": ok("Scenario")}, tag="Tal", errors=("Unauthorized", "Forbidden"),
    )},
    "/export.xlsx": {"get": operation(
        "The controller workbook for the period",
        {"200": {"description": "The workbook",
                 "content": {XLSX: {"schema": text(format="binary")}}}},
        tag="Regneark", parameters=_period, errors=FIGURES,
    )},
    "/import": {"post": operation(
        "Import a controller workbook or lagkage template: a dry run, or with apply=1 for real "
        "(all or nothing)",
        {"200": ok("ImportReport", "What is (or would be) created, changed and left alone"),
         "413": _error("The upload is larger than the server takes")},
        tag="Regneark",
        parameters=(_query("apply", text(enum=["0", "1"], default="0"),
                           "1 applies the import; otherwise a dry run"),),
        request={"required": True, "content": {
            XLSX: {"schema": text(format="binary")},
            "multipart/form-data": {"schema": obj({"file": text(format="binary")}, ("file",))},
        }},
        errors=("Unauthorized", "Forbidden", "Conflict", "Invalid"),
    )},
    "/budgets": _budgets,
    "/budgets/{department}/{year}": _budget,
    "/refund-rates": _refund_rates,
    "/refund-rates/{year}": _refund_rate,
    "/postings": {"get": operation(
        "The postings for the finance system of every month the period touches (finance and "
        "administrators): a csv file, a g69 (Prisme) file, or their sums as json",
        {"200": {"description": "The posting file, or its sums",
                 "content": {"text/csv": {"schema": text()},
                             "text/plain": {"schema": text(description="G69 records")},
                             "application/json": {"schema": ref("PostingSummary")}}}},
        tag="Bogføring",
        parameters=(param("from"), param("to"),
                    _query("format", text(enum=["csv", "g69", "json"], default="csv"),
                           "csv (Excel), g69 (Prisme) or json (the sums)")),
        errors=FIGURES,
    )},
    "/periods": {
        "get": operation("The months closed for postings", {"200": ok("Closing")},
                         tag="Bogføring", errors=("Unauthorized", "Forbidden")),
        "post": operation(
            "Close every month up to and including the one given (finance and administrators); "
            "closing again changes nothing",
            {"200": ok("CloseResult")}, tag="Bogføring", request=body("CloseInput"),
            errors=("Unauthorized", "Forbidden", "Conflict", "Invalid"),
        ),
    },
    "/tokens": {"get": operation(
        "The caller's own API tokens (never the secret)", {"200": ok("TokenPage")},
        tag="API-nøgler", parameters=PAGED, errors=("Unauthorized", "Invalid"),
    )},
    "/tokens/{token_id}": {"delete": operation(
        "Revoke one of the caller's own tokens", {"200": ok("Token")}, tag="API-nøgler",
        parameters=(param("token_id"),), errors=("Unauthorized", "NotFound"),
    )},
    "/tokens/{token_id}/revoke": {"post": operation(
        "Revoke one of the caller's own tokens (the same as DELETE)", {"200": ok("Token")},
        tag="API-nøgler", parameters=(param("token_id"),), errors=("Unauthorized", "NotFound"),
    )},
}

DOCUMENT: Json = {
    "openapi": "3.0.3",
    "info": {
        "title": "finans API",
        "version": "1",
        "description": (
            "Joint financing of family interventions across municipal departments. "
            "Authenticate with `Authorization: Bearer TOKEN` (tokens from `finans token create`). "
            "Amounts are kroner as decimal text with two decimals and a dot. Updates send the "
            "`version` they read and answer 409 with `changes` when someone saved in between. "
            "Every refusal has an `errors` list of `{code, message, where}`."
        ),
    },
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearerAuth": []}],
    "paths": PATHS,
    "components": {
        "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        "schemas": SCHEMAS,
        "responses": RESPONSES,
        "parameters": PARAMETERS,
    },
}
