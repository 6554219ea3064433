"""Yearly budgets: exact amounts, entered by administrators and the department's controller,
audited, and saved against the version that was read."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlmodel import Session, select

from finans.services import budgets
from finans.services.errors import Conflict, Forbidden, NotFound, ServiceError
from finans.store.models import AuditEntry
from tests.dashboard.overview_people import ADMIN, CASEWORKER, MANAGER, controller


def problems(error: pytest.ExceptionInfo[ServiceError]) -> list[tuple[str, str]]:
    return [(problem.where, problem.message) for problem in error.value.problems]


def test_a_budget_is_stored_exactly_in_ore_and_read_back_as_kroner(
    demo_everywhere: Session,
) -> None:
    made = budgets.create_budget(demo_everywhere, actor=ADMIN, data={
        "department": "BFH", "year": 2026, "amount": "12345678901.99",
    })
    assert made == budgets.BudgetView("BFH", 2026, 1234567890199, 1)
    assert budgets.budgets_by_department(demo_everywhere, year=2026) == {"BFH": 1234567890199}
    assert budgets.get_budget(demo_everywhere, actor=MANAGER, department="BFH", year=2026) == made


def test_amounts_may_be_integers_or_exact_decimals_but_never_floats(demo: Session) -> None:
    budgets.create_budget(demo, actor=ADMIN, data={"department": "BFH", "year": 2026,
                                                   "amount": 100})
    budgets.create_budget(demo, actor=ADMIN, data={"department": "JOB", "year": 2026,
                                                   "amount": Decimal("0.10")})
    assert budgets.budgets_by_department(demo, year=2026) == {"BFH": 10000, "JOB": 10}
    with pytest.raises(ServiceError) as error:
        budgets.create_budget(demo, actor=ADMIN, data={"department": "SKO", "year": 2026,
                                                       "amount": 0.1})
    assert [where for where, _ in problems(error)] == ["amount"]


def test_invalid_budgets_are_refused_with_every_problem_located(demo: Session) -> None:
    with pytest.raises(ServiceError) as error:
        budgets.create_budget(demo, actor=ADMIN, data={"department": "XYZ", "year": 1492,
                                                       "amount": "-5"})
    assert problems(error) == [
        ("department", "Afdelingen XYZ findes ikke"),
        ("year", "Året skal ligge mellem 1900 og 2999"),
        ("amount", "Beløbet må ikke være negativt"),
    ]
    with pytest.raises(ServiceError) as error:
        budgets.create_budget(demo, actor=ADMIN, data={"department": "BFH", "year": "2026",
                                                       "amount": "1.005"})
    assert [where for where, _ in problems(error)] == ["year", "amount"]
    assert budgets.list_budgets(demo, actor=ADMIN) == []


def test_a_second_budget_for_the_same_year_is_refused(demo: Session) -> None:
    data = {"department": "BFH", "year": 2026, "amount": "1.00"}
    budgets.create_budget(demo, actor=ADMIN, data=data)
    with pytest.raises(ServiceError) as error:
        budgets.create_budget(demo, actor=ADMIN, data=data)
    assert [where for where, _ in problems(error)] == ["year"]


def test_controllers_keep_only_their_own_departments_budget(demo: Session) -> None:
    made = budgets.create_budget(demo, actor=controller("JOB"), data={
        "department": "JOB", "year": 2026, "amount": "10.00",
    })
    assert made.amount == 1000
    with pytest.raises(Forbidden):
        budgets.create_budget(demo, actor=controller("JOB"), data={
            "department": "BFH", "year": 2026, "amount": "10.00",
        })
    with pytest.raises(Forbidden):
        budgets.update_budget(demo, actor=controller("BFH"), department="JOB", year=2026,
                              version=1, data={"amount": "1.00"})


@pytest.mark.parametrize("who", [MANAGER, CASEWORKER], ids=["manager", "caseworker"])
def test_managers_and_caseworkers_cannot_enter_budgets(demo: Session, who: object) -> None:
    with pytest.raises(Forbidden):
        budgets.create_budget(demo, actor=who, data={  # type: ignore[arg-type]
            "department": "BFH", "year": 2026, "amount": "10.00",
        })


def test_caseworkers_cannot_read_budgets(demo: Session) -> None:
    with pytest.raises(Forbidden):
        budgets.list_budgets(demo, actor=CASEWORKER)


def test_a_change_is_saved_against_the_version_read_and_a_stale_one_names_who_changed_it(
    demo: Session,
) -> None:
    budgets.create_budget(demo, actor=ADMIN, data={"department": "JOB", "year": 2026,
                                                   "amount": "10.00"})
    changed = budgets.update_budget(demo, actor=controller("JOB"), department="JOB", year=2026,
                                    version=1, data={"amount": "20.00"})
    assert changed.version == 2 and changed.amount == 2000
    with pytest.raises(Conflict) as conflict:
        budgets.update_budget(demo, actor=ADMIN, department="JOB", year=2026, version=1,
                              data={"amount": "30.00"})
    assert len(conflict.value.changes) == 1
    assert conflict.value.changes[0].startswith("controller.job ændrede beløb")
    assert budgets.budgets_by_department(demo, year=2026) == {"JOB": 2000}


def test_department_and_year_of_a_budget_cannot_be_changed(demo: Session) -> None:
    budgets.create_budget(demo, actor=ADMIN, data={"department": "JOB", "year": 2026,
                                                   "amount": "10.00"})
    with pytest.raises(ServiceError) as error:
        budgets.update_budget(demo, actor=ADMIN, department="JOB", year=2026, version=1,
                              data={"year": 2027, "amount": "1.00"})
    assert [where for where, _ in problems(error)] == ["year"]
    with pytest.raises(NotFound):
        budgets.update_budget(demo, actor=ADMIN, department="JOB", year=2027, version=1,
                              data={"amount": "1.00"})


def test_every_change_is_in_the_audit_log_with_before_and_after(demo: Session) -> None:
    budgets.create_budget(demo, actor=ADMIN, data={"department": "JOB", "year": 2026,
                                                   "amount": "10.00"})
    budgets.update_budget(demo, actor=ADMIN, department="JOB", year=2026, version=1,
                          data={"amount": "12.50"})
    budgets.update_budget(demo, actor=ADMIN, department="JOB", year=2026, version=2,
                          data={"amount": "12.50"})
    entries = demo.exec(select(AuditEntry).where(AuditEntry.entity == "budget")).all()
    assert [(e.actor, e.action, e.key) for e in entries] == [
        ("admin", "create", "JOB/2026"), ("admin", "update", "JOB/2026"),
    ]
    assert entries[1].before is not None and entries[1].after is not None
    assert (entries[1].before["amount"], entries[1].after["amount"]) == (1000, 1250)


def test_budgets_are_listed_by_year_and_department(demo: Session) -> None:
    for department, year in (("SKO", 2026), ("BFH", 2026), ("BFH", 2025)):
        budgets.create_budget(demo, actor=ADMIN, data={"department": department, "year": year,
                                                       "amount": "1.00"})
    listed = budgets.list_budgets(demo, actor=controller("SKO"))
    assert [(b.year, b.department) for b in listed] == [
        (2025, "BFH"), (2026, "BFH"), (2026, "SKO"),
    ]
    assert [b.department for b in budgets.list_budgets(demo, actor=MANAGER, year=2026,
                                                           department="SKO")] == ["SKO"]
