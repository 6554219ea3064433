"""The "Ny fordeling" form: its fields per department, reading them into split JSON, and filling
them from an earlier version.

Fields are named by JSON path (``shares.BFH``, ``responsibility.JOB``, ``meeting.SKO``) so the
services' problems land next to them. ``alpha`` is typed as a percentage (50 for half) and handed
on as the fraction the services take.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from werkzeug.datastructures import MultiDict

from finans.allocation.problems import Problem
from finans.formatting import format_number
from finans.services.views import SplitView
from finans.store.mapping import Json
from finans.web.forms import date_text, filled, number_text, text

METHODS = (
    ("fixed", "Fast", "Skriv hver afdelings andel i procent; de skal give 100 % i alt."),
    ("equal", "Lige", "Sæt kryds ved de afdelinger, der deler udgiften ligeligt."),
    ("weighted", "Vægtet", "Giv point for ansvar og for gevinst; vægten afgør, hvor meget ansvar "
                           "tæller i forhold til gevinst."),
    ("savings", "Besparelse", "Skriv hver afdelings forventede besparelse i kr.; andelene følger "
                              "besparelserne."),
)
WEIGHTS = {"fixed": ("shares",), "weighted": ("responsibility", "benefit"),
           "savings": ("savings",)}
MESSAGES = {
    "alpha_range": "Vægten på ansvar skal ligge mellem 0 % og 100 %",
}
"""Problems said in the form's own terms (the form takes the weight in percent)."""

DEFAULT_ALPHA_PERCENT = "50"


@dataclass(frozen=True, slots=True)
class SplitForm:
    """What the form shows: the typed (or prefilled) values by field name, and the departments
    in the order of their rows (the case's core team first)."""

    values: Mapping[str, str]
    codes: Sequence[str]
    checked: frozenset[str]

    def get(self, name: str) -> str:
        return self.values.get(name, "")


def field_names(codes: Iterable[str]) -> list[str]:
    """Every field a problem can be placed on."""
    names = ["effective_from", "method", "status", "alpha", "rationale", "departments", "meeting",
             "shares", "responsibility", "benefit", "savings"]
    for code in codes:
        names += [f"{key}.{code}" for key in ("shares", "responsibility", "benefit", "savings",
                                              "meeting")]
    return names


def row_order(departments: Iterable[str], core_team: Iterable[str]) -> list[str]:
    """The case's core team first, then the other departments, each group by code."""
    team = set(core_team)
    return sorted(departments, key=lambda code: (code not in team, code))


def _alpha(typed: str) -> str:
    """The weight on responsibility typed in percent, as the fraction text the services take
    (an emptied field is caught by :func:`form_problems`, never silently the default)."""
    value = number_text(typed)
    try:
        return format(Decimal(value).scaleb(-2), "f")
    except InvalidOperation:
        return value


def _alpha_percent(form: SplitForm) -> Decimal | None:
    try:
        return Decimal(number_text(form.get("alpha")))
    except InvalidOperation:
        return None


def form_problems(form: SplitForm) -> list[Problem]:
    """What is wrong in the form's own terms, before the services see it: the weight on
    responsibility is a percentage, so an empty field or ``0,5`` (which would be 0,5 %, not the
    half the writer almost surely meant) is refused with a hint."""
    if text(form.values, "method") != "weighted":
        return []
    typed = text(form.values, "alpha")
    if not typed:
        message = (f"Skriv vægten på ansvar i procent, fx {DEFAULT_ALPHA_PERCENT} for "
                   "halvt ansvar og halvt gevinst")
        return [Problem("alpha_missing", message, "alpha")]
    percent = _alpha_percent(form)
    if percent is not None and 0 < percent <= 1:
        shown = format_number(percent)
        suggestion = format_number(percent * 100)
        message = (f"Vægten skrives i procent: {shown} betyder {shown} %. Mente du "
                   f"{suggestion} %? Skriv {suggestion}.")
        return [Problem("alpha_fraction", message, "alpha")]
    return []


def weights_text(form: SplitForm) -> str:
    """``Ansvar vægter 40 %, gevinst 60 % (alpha 0,4)`` for a weighted split, else empty."""
    if text(form.values, "method") != "weighted":
        return ""
    percent = _alpha_percent(form)
    if percent is None or not 0 <= percent <= 100:
        return ""
    alpha = format_number(percent.scaleb(-2))
    responsibility = format_number(percent)
    benefit = format_number(100 - percent)
    return f"Ansvar vægter {responsibility} %, gevinst {benefit} % (alpha {alpha})."


def split_data(form: SplitForm, status: str) -> Json:
    """Split JSON (docs/scenario.md) for the chosen method from the form; empty fields are left
    out."""
    values = form.values
    method = text(values, "method")
    data: Json = {
        "effective_from": date_text(values.get("effective_from", "")),
        "method": method,
        "status": status,
        "rationale": text(values, "rationale"),
    }
    if method == "equal":
        data["departments"] = sorted(form.checked)
    if method == "weighted" and text(values, "alpha"):
        data["alpha"] = _alpha(values.get("alpha", ""))
    for key in WEIGHTS.get(method, ()):
        data[key] = {
            code: number_text(values.get(f"{key}.{code}", ""))
            for code in form.codes
            if text(values, f"{key}.{code}")
        }
    return filled(data)


def representatives(form: MultiDict[str, str], codes: Iterable[str]) -> dict[str, str]:
    """Department → the name of its representative who agreed at the meeting (filled ones)."""
    return {code: text(form, f"meeting.{code}") for code in codes if text(form, f"meeting.{code}")}


def typed(form: MultiDict[str, str], codes: Sequence[str]) -> SplitForm:
    """The form as it was posted."""
    values = {name: text(form, name) for name in form if name != "departments"}
    ticked = frozenset(code for code in form.getlist("departments") if code)
    return SplitForm(values, codes, ticked)


def _shown_number(value: str) -> str:
    return format_number(value, grouping=False)


def prefilled(
    split: SplitView | None, codes: Sequence[str], default_from: date, paid_by: str
) -> SplitForm:
    """The form filled from an earlier version (a re-assessment starts from it), or a first
    split putting everything on the paying department."""
    values = {"effective_from": default_from.isoformat(), "alpha": DEFAULT_ALPHA_PERCENT}
    if split is None:
        values.update({"method": "fixed", f"shares.{paid_by}": "100"})
        return SplitForm(values, codes, frozenset())
    values["method"] = split.method
    values["rationale"] = split.rationale
    if split.alpha is not None:
        values["alpha"] = _shown_number(format(split.alpha.scaleb(2), "f"))
    for key, weights in (("shares", split.shares), ("responsibility", split.responsibility),
                         ("benefit", split.benefit), ("savings", split.savings)):
        for code, value in (weights or {}).items():
            values[f"{key}.{code}"] = _shown_number(format(value, "f"))
    return SplitForm(values, codes, frozenset(split.departments or ()))


def in_form_terms(problems: Iterable[Problem]) -> list[Problem]:
    """The problems, with those about a value typed differently here said in the form's terms."""
    return [
        Problem(p.code, MESSAGES[p.code], p.where) if p.code in MESSAGES else p for p in problems
    ]
