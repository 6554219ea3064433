"""The scenario's records over HTTP: departments, cases, interventions and split versions.

Each resource is read, created and updated through its service, which checks the caller's role;
updates carry the ``version`` the client read and are refused with 409 when it is stale.
"""

from __future__ import annotations

from flask import Blueprint, request, url_for

from finans.services import cases, departments, interventions, splits
from finans.services.views import CaseView, DepartmentView, InterventionView, SplitView
from finans.web.api import bodies
from finans.web.api.common import (
    actor,
    invalid,
    json_body,
    query_text,
    row_id,
    split_version,
)
from finans.web.api.operations import (
    INVALID,
    PAGED,
    READ_ONE,
    UNAUTHORIZED,
    UPDATE,
    WRITE,
    Created,
    Page,
    Query,
    operation,
    page,
)
from finans.web.database import db

bp = Blueprint("records", __name__)
SPLIT_ID = "<int:split_id>"
DEPARTMENTS, CASES, INTERVENTIONS, SPLITS = "Afdelinger", "Sager", "Indsatser", "Fordelinger"


# --- departments --------------------------------------------------------------------------------


@bp.get("/departments")
@operation("List departments", tag=DEPARTMENTS, answer=Page[DepartmentView], query=PAGED,
           refusals=(UNAUTHORIZED, INVALID))
def list_departments() -> Page[DepartmentView]:
    return page(departments.list_departments(db()))


@bp.get("/departments/<code>")
@operation("One department", tag=DEPARTMENTS, answer=DepartmentView, refusals=READ_ONE)
def get_department(code: str) -> DepartmentView:
    return departments.get_department(db(), code=code)


@bp.post("/departments")
@operation("Create a department", tag=DEPARTMENTS, answer=DepartmentView, status=201,
           body=bodies.DepartmentInput, refusals=WRITE)
def create_department() -> Created[DepartmentView]:
    made = departments.create_department(db(), actor=actor(), data=json_body())
    return Created(made, url_for(".get_department", code=made.code))


@bp.route("/departments/<code>", methods=["PUT", "PATCH"])
@operation("Change a department (send the version you read)", tag=DEPARTMENTS,
           answer=DepartmentView, body=bodies.DepartmentUpdate, refusals=UPDATE)
def update_department(code: str) -> DepartmentView:
    version, data = split_version(json_body())
    return departments.update_department(
        db(), actor=actor(), code=code, version=version, data=data
    )


# --- cases --------------------------------------------------------------------------------------


@bp.get("/cases")
@operation("List the cases the caller may see", tag=CASES, answer=Page[CaseView], query=PAGED,
           refusals=(UNAUTHORIZED, INVALID))
def list_cases() -> Page[CaseView]:
    return page(cases.listing(db(), actor=actor()))


@bp.get("/cases/<ref>")
@operation("One case", tag=CASES, answer=CaseView, refusals=READ_ONE)
def get_case(ref: str) -> CaseView:
    return cases.get_case(db(), actor=actor(), ref=ref)


@bp.post("/cases")
@operation("Create a case", tag=CASES, answer=CaseView, status=201, body=bodies.CaseInput,
           refusals=WRITE)
def create_case() -> Created[CaseView]:
    made = cases.create_case(db(), actor=actor(), data=json_body())
    return Created(made, url_for(".get_case", ref=made.ref))


@bp.route("/cases/<ref>", methods=["PUT", "PATCH"])
@operation("Change a case (send the version you read)", tag=CASES, answer=CaseView,
           body=bodies.CaseUpdate, refusals=UPDATE)
def update_case(ref: str) -> CaseView:
    version, data = split_version(json_body())
    return cases.update_case(db(), actor=actor(), ref=ref, version=version, data=data)


# --- interventions ------------------------------------------------------------------------------

CASE_QUERY = Query("case", {"type": "string"}, "Only this case's interventions (journal number)")


@bp.get("/interventions")
@operation("List the interventions the caller may see", tag=INTERVENTIONS,
           answer=Page[InterventionView], query=(CASE_QUERY, *PAGED),
           refusals=(UNAUTHORIZED, 404, INVALID))
def list_interventions() -> Page[InterventionView]:
    return page(interventions.listing(db(), actor=actor(), case=query_text("case")))


@bp.get("/interventions/<id>")
@operation("One intervention", tag=INTERVENTIONS, answer=InterventionView, refusals=READ_ONE)
def get_intervention(id: str) -> InterventionView:  # noqa: A002 - the resource's field is id
    return interventions.get_intervention(db(), actor=actor(), id=id)


@bp.post("/interventions")
@operation("Create an intervention", tag=INTERVENTIONS, answer=InterventionView, status=201,
           body=bodies.InterventionInput, refusals=WRITE)
def create_intervention() -> Created[InterventionView]:
    made = interventions.create_intervention(db(), actor=actor(), data=json_body())
    return Created(made, url_for(".get_intervention", id=made.id))


@bp.route("/interventions/<id>", methods=["PUT", "PATCH"])
@operation("Change an intervention (send the version you read)", tag=INTERVENTIONS,
           answer=InterventionView, body=bodies.InterventionUpdate, refusals=UPDATE)
def update_intervention(id: str) -> InterventionView:  # noqa: A002
    version, data = split_version(json_body())
    return interventions.update_intervention(
        db(), actor=actor(), id=id, version=version, data=data
    )


# --- split versions -----------------------------------------------------------------------------


@bp.get("/interventions/<id>/splits")
@operation("The intervention's split versions", tag=SPLITS, answer=Page[SplitView],
           query=PAGED, refusals=(*READ_ONE, INVALID))
def list_splits(id: str) -> Page[SplitView]:  # noqa: A002
    return page(interventions.get_intervention(db(), actor=actor(), id=id).splits)


@bp.post("/interventions/<id>/splits")
@operation("Add a split version: a proposal or draft, or with meeting a version agreed at the "
           "joint meeting", tag=SPLITS, answer=SplitView, status=201, body=bodies.SplitInput,
           refusals=WRITE)
def propose_split(id: str) -> Created[SplitView]:  # noqa: A002
    """A new version: a proposal or draft, or with ``meeting`` (department → representative)
    a version agreed at the joint meeting."""
    data = json_body()
    meeting = data.pop("meeting", None)
    if meeting is not None and (
        not isinstance(meeting, dict) or not all(isinstance(v, str) for v in meeting.values())
    ):
        raise invalid("bad_meeting", "Skal være afdelingskode → navnet på den, der godkendte",
                      "meeting")
    made = splits.propose_split(db(), actor=actor(), intervention=id, data=data, meeting=meeting)
    return Created(made, url_for(".get_split", split_id=made.id))


@bp.get(f"/splits/{SPLIT_ID}")
@operation("One split version", tag=SPLITS, answer=SplitView, refusals=READ_ONE)
def get_split(split_id: int) -> SplitView:
    return splits.get_split(db(), actor=actor(), split_id=row_id(split_id))


@bp.route(f"/splits/{SPLIT_ID}", methods=["PUT", "PATCH"])
@operation("Change a draft or proposal (its approvals are cleared)", tag=SPLITS,
           answer=SplitView, body=bodies.SplitUpdate, refusals=UPDATE)
def update_split(split_id: int) -> SplitView:
    version, data = split_version(json_body())
    return splits.update_split(db(), actor=actor(), split_id=row_id(split_id), version=version,
                               data=data)


def _decision_body() -> tuple[str, int | None]:
    """``reason`` and the optional ``version`` of an approval or rejection (body optional)."""
    data = json_body() if request.get_data(cache=True).strip() else {}
    reason = data.get("reason", "")
    if not isinstance(reason, str):
        raise invalid("wrong_type", "Begrundelsen skal være tekst", "reason")
    version = split_version(data)[0] if "version" in data else None
    return reason, version


@bp.post(f"/splits/{SPLIT_ID}/approve")
@operation("The calling controller's department approves its share", tag=SPLITS,
           answer=SplitView, body=bodies.DecisionInput, body_required=False, refusals=UPDATE)
def approve(split_id: int) -> SplitView:
    """The calling controller's department approves its share."""
    reason, version = _decision_body()
    return splits.decide(
        db(), actor=actor(), split_id=row_id(split_id), decision="approve", reason=reason,
        version=version,
    )


@bp.post(f"/splits/{SPLIT_ID}/reject")
@operation("The calling controller's department rejects its share (reason required)",
           tag=SPLITS, answer=SplitView, body=bodies.DecisionInput, body_required=False,
           refusals=UPDATE)
def reject(split_id: int) -> SplitView:
    """The calling controller's department rejects its share (``reason`` required)."""
    reason, version = _decision_body()
    return splits.decide(
        db(), actor=actor(), split_id=row_id(split_id), decision="reject", reason=reason,
        version=version,
    )
