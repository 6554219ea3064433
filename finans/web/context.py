"""What any page may show beside its own data: the departments, read once per request."""

from __future__ import annotations

from flask import Flask, g

from finans.services import departments as department_service
from finans.services.dashboard import MONTH_NAMES, period_word
from finans.services.views import DepartmentView
from finans.web.database import db


def departments() -> list[DepartmentView]:
    """Every department (active or not), by code, read once per request."""
    if "departments" not in g:
        g.departments = department_service.list_departments(db())
    found: list[DepartmentView] = g.departments
    return found


def active_departments() -> list[DepartmentView]:
    """The departments that can take a share or grant and pay interventions."""
    return [department for department in departments() if department.active]


def department_name(code: str | None) -> str:
    """The department's name for people; an unknown code as it is."""
    for department in departments():
        if department.code == code:
            return department.name
    return code or ""


def register_context(app: Flask) -> None:
    app.jinja_env.globals.update(
        departments=departments,
        active_departments=active_departments,
        department_name=department_name,
        period_word=period_word,
        month_names=MONTH_NAMES,
    )
