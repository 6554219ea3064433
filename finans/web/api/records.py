"""The scenario's records over HTTP: departments, cases, interventions and split versions.

Each resource is read, created and updated through its service, which checks the caller's role;
updates carry the ``version`` the client read and are refused with 409 when it is stale.
"""

from __future__ import annotations

from flask import Blueprint, Response, request, url_for

from finans.services import cases, departments, interventions, splits
from finans.web.api.common import (
    actor,
    created,
    invalid,
    json_body,
    json_response,
    page,
    query_text,
    row_id,
    split_version,
)
from finans.web.database import db

bp = Blueprint("records", __name__)
SPLIT_ID = "<int:split_id>"


# --- departments --------------------------------------------------------------------------------


@bp.get("/departments")
def list_departments() -> Response:
    return page(departments.list_departments(db()))


@bp.get("/departments/<code>")
def get_department(code: str) -> Response:
    return json_response(departments.get_department(db(), code=code))


@bp.post("/departments")
def create_department() -> Response:
    made = departments.create_department(db(), actor=actor(), data=json_body())
    return created(made, url_for(".get_department", code=made["code"]))


@bp.route("/departments/<code>", methods=["PUT", "PATCH"])
def update_department(code: str) -> Response:
    version, data = split_version(json_body())
    return json_response(
        departments.update_department(db(), actor=actor(), code=code, version=version, data=data)
    )


# --- cases --------------------------------------------------------------------------------------


@bp.get("/cases")
def list_cases() -> Response:
    return page(cases.listing(db(), actor=actor()))


@bp.get("/cases/<ref>")
def get_case(ref: str) -> Response:
    return json_response(cases.get_case(db(), actor=actor(), ref=ref))


@bp.post("/cases")
def create_case() -> Response:
    made = cases.create_case(db(), actor=actor(), data=json_body())
    return created(made, url_for(".get_case", ref=made["ref"]))


@bp.route("/cases/<ref>", methods=["PUT", "PATCH"])
def update_case(ref: str) -> Response:
    version, data = split_version(json_body())
    return json_response(
        cases.update_case(db(), actor=actor(), ref=ref, version=version, data=data)
    )


# --- interventions ------------------------------------------------------------------------------


@bp.get("/interventions")
def list_interventions() -> Response:
    return page(interventions.listing(db(), actor=actor(), case=query_text("case")))


@bp.get("/interventions/<id>")
def get_intervention(id: str) -> Response:  # noqa: A002 - the resource's field is called id
    return json_response(interventions.get_intervention(db(), actor=actor(), id=id))


@bp.post("/interventions")
def create_intervention() -> Response:
    made = interventions.create_intervention(db(), actor=actor(), data=json_body())
    return created(made, url_for(".get_intervention", id=made["id"]))


@bp.route("/interventions/<id>", methods=["PUT", "PATCH"])
def update_intervention(id: str) -> Response:  # noqa: A002
    version, data = split_version(json_body())
    return json_response(
        interventions.update_intervention(db(), actor=actor(), id=id, version=version, data=data)
    )


# --- split versions -----------------------------------------------------------------------------


@bp.get("/interventions/<id>/splits")
def list_splits(id: str) -> Response:  # noqa: A002
    return page(interventions.get_intervention(db(), actor=actor(), id=id)["splits"])


@bp.post("/interventions/<id>/splits")
def propose_split(id: str) -> Response:  # noqa: A002
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
    return created(made, url_for(".get_split", split_id=made["id"]))


@bp.get(f"/splits/{SPLIT_ID}")
def get_split(split_id: int) -> Response:
    return json_response(splits.get_split(db(), actor=actor(), split_id=row_id(split_id)))


@bp.route(f"/splits/{SPLIT_ID}", methods=["PUT", "PATCH"])
def update_split(split_id: int) -> Response:
    version, data = split_version(json_body())
    return json_response(
        splits.update_split(db(), actor=actor(), split_id=row_id(split_id), version=version,
                            data=data)
    )


def _decision_body() -> tuple[str, int | None]:
    """``reason`` and the optional ``version`` of an approval or rejection (body optional)."""
    data = json_body() if request.get_data(cache=True).strip() else {}
    reason = data.get("reason", "")
    if not isinstance(reason, str):
        raise invalid("wrong_type", "Begrundelsen skal være tekst", "reason")
    version = split_version(data)[0] if "version" in data else None
    return reason, version


@bp.post(f"/splits/{SPLIT_ID}/approve")
def approve(split_id: int) -> Response:
    """The calling controller's department approves its share."""
    reason, version = _decision_body()
    return json_response(splits.decide(
        db(), actor=actor(), split_id=row_id(split_id), decision="approve", reason=reason,
        version=version,
    ))


@bp.post(f"/splits/{SPLIT_ID}/reject")
def reject(split_id: int) -> Response:
    """The calling controller's department rejects its share (``reason`` required)."""
    reason, version = _decision_body()
    return json_response(splits.decide(
        db(), actor=actor(), split_id=row_id(split_id), decision="reject", reason=reason,
        version=version,
    ))
