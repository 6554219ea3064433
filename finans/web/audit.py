"""The audit log for managers and administrators: who changed what, when, before → after."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from finans.services import audit_log
from finans.services.policy import Action
from finans.web.access import actor, allowed
from finans.web.database import db
from finans.web.forms import positive_int, text

bp = Blueprint("audit", __name__)


@bp.route("/revisionslog")
@allowed(Action.READ_AUDIT)
def index() -> str:
    entity = text(request.args, "type")
    log = audit_log.read_log(
        db(),
        actor=actor(),
        entity=entity if entity in audit_log.ENTITY_NAMES else None,
        text=text(request.args, "q"),
        page=positive_int(request.args.get("side")) or 1,
    )
    return render_template(
        "audit/index.html", log=log, entity=entity, q=text(request.args, "q"),
        entity_names=audit_log.ENTITY_NAMES,
    )
