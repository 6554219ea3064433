"""The demo municipality's expensive households: the cases the state refund is about.

Three families whose yearly cost under Barnets lov and Serviceloven passes the refund's thresholds,
so the refund and its share-back show on the case page, in the overview, in the workbook and in
the quarterly claim. Costs follow the levels municipalities see (a specialised residential
placement, home training with lost earnings, an adult's long-term residential care) and each
family also has help under another act (school, employment, STU) that the refund does not cover.

The households are added after the drawn demo, without drawing from its random generator first,
so the rest of the demo stays exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import NamedTuple

from finans.allocation.legal_basis import refundable_by_default
from finans.demo.people import Json


class Help(NamedTuple):
    """One intervention of a household; ``shares`` is the agreed fixed split (none: unsplit)."""

    title: str
    legal_basis: str
    granted_by: str
    paid_by: str
    amount: str
    per: str
    months_ago: int
    shares: dict[str, str]
    rationale: str = ""


class Household(NamedTuple):
    """A family with expensive help; ``months_ago`` counts from the month before today's."""

    family: str
    lead: str
    months_ago: int
    help: tuple[Help, ...]


HOUSEHOLDS: tuple[Household, ...] = (
    Household("Familie Bruun", "BFA", 16, (
        Help("Anbringelse på specialiseret døgninstitution", "Barnets lov § 46", "BFA", "BFA",
             "148500.00", "month", 15, {"BFA": "80", "SKO": "20"},
             "Døgninstitutionen rummer også skoledelen; Skole og PPR betaler en femtedel, fordi "
             "anbringelsen gør skolegangen mulig."),
        Help("Intern specialskole på døgninstitutionen", "Folkeskoleloven § 20, stk. 2", "SKO",
             "SKO", "384000.00", "year", 15, {"SKO": "70", "BFA": "30"},
             "Undervisningen er tilrettelagt sammen med døgnbehandlingen; anbringelsesområdet "
             "bærer en del af den."),
        Help("Samvær med forældrene, transport", "Barnets lov § 83", "BFA", "BFA", "3500.00",
             "month", 15, {}),
    )),
    Household("Familie Lauridsen", "BFH", 20, (
        Help("Hjemmetræning", "Barnets lov § 85", "BFH", "BFH", "32000.00", "month", 19,
             {"BFH": "70", "SUN": "30"},
             "Træningen erstatter en del af den genoptræning, Sundhed og træning ellers skulle "
             "give."),
        Help("Tabt arbejdsfortjeneste", "Barnets lov §§ 87-88", "BFH", "BFH", "35000.00",
             "month", 19, {"BFH": "80", "JOB": "20"},
             "Moderen træner barnet hjemme; Jobcentret bidrager, så tilknytningen til "
             "arbejdsmarkedet holdes ved lige."),
        Help("Merudgifter", "Barnets lov § 86", "BFH", "BFH", "48000.00", "year", 19, {}),
        Help("Boligindretning, træningsrum og lift", "Serviceloven § 116 via Barnets lov § 90",
             "HJM", "HJM", "185000.00", "once", 8, {"HJM": "60", "BFH": "40"},
             "Indretningen gør hjemmetræningen mulig; Børnehandicap betaler en del."),
        Help("Mentor for forælder", "LAB, mentorstøtte", "JOB", "JOB", "1500.00", "week", 10,
             {}),
    )),
    Household("Familie Kjeldsen", "VOK", 22, (
        Help("Længerevarende botilbud", "Serviceloven § 108", "VOK", "VOK", "96000.00", "month",
             21, {"VOK": "90", "UNG": "10"},
             "Botilbuddet støtter den unges STU-forløb i hverdagen; Ungeindsatsen bidrager."),
        Help("STU", "STU-loven", "UNG", "UNG", "450000.00", "year", 21, {"UNG": "60", "VOK": "40"},
             "STU-forløbet er en del af den samlede plan for voksenlivet."),
        Help("Ledsagelse", "Serviceloven § 97", "VOK", "VOK", "3200.00", "month", 21, {}),
    )),
)


def first_of_month(today: date, months_ago: int) -> date:
    """The first day of the month ``months_ago`` months before today's month."""
    index = today.year * 12 + today.month - 1 - months_ago
    return date(index // 12, index % 12 + 1, 1)


def _intervention(help: Help, ref: str, start: date, decided: Callable[[Json], list[Json]],
                  ) -> Json:
    item: Json = {
        "case": ref, "title": help.title, "legal_basis": help.legal_basis,
        "granted_by": help.granted_by, "paid_by": help.paid_by,
        "cost": {"amount": help.amount, "per": help.per, "start": start.isoformat()},
        "refundable": refundable_by_default(help.legal_basis),
        "splits": [],
    }
    if help.shares:
        split: Json = {"effective_from": start.isoformat(), "method": "fixed",
                       "status": "agreed", "shares": dict(help.shares),
                       "rationale": help.rationale}
        split["decisions"] = decided(split)
        item["splits"].append(split)
    return item


def household_json(
    household: Household,
    ref: str,
    today: date,
    coordinator: str,
    decisions: Callable[[Json, str, int], list[Json]],
) -> tuple[Json, list[Json]]:
    """A household's case and interventions (ids still to give); ``decisions(split, lead,
    day offset)`` gives the approvals of an agreed split at the joint assessment."""
    assessed = first_of_month(today, household.months_ago)
    offset = (assessed - today).days

    def decided(split: Json) -> list[Json]:
        return decisions(split, household.lead, offset)

    team: set[str] = {household.lead}
    interventions = []
    for help in household.help:
        start = first_of_month(today, help.months_ago)
        item = _intervention(help, ref, start, decided)
        team.update((help.granted_by, help.paid_by, *help.shares))
        interventions.append(item)
    case = {"ref": ref, "family": household.family, "coordinator": coordinator, "consent": True,
            "assessed_on": assessed.isoformat(), "core_team": sorted(team)}
    return case, interventions


RATES_NOTE = "Demo: lovens 2022-niveau, ikke reguleret – indtast årets beløb"
"""The demo's refund rates are the statutory 2022 amounts, said so: finans never invents the
yearly regulated amounts."""


def demo_refund_rates(today: date) -> Json:
    """The refund rates of last year and this year (next year's are still to be entered)."""
    return {"years": {
        str(year): {"thresholds": ["860000.00", "1680000.00", "2120000.00"],
                    "percents": ["25", "50", "75"], "note": RATES_NOTE}
        for year in (today.year - 1, today.year)
    }}
