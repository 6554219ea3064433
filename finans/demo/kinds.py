"""The kinds of help a demo family gets: title, legal basis, who grants and pays, and cost level."""

from __future__ import annotations

from typing import NamedTuple


class InterventionKind(NamedTuple):
    """A kind of help with its legal basis, usual granting and paying department and cost level.

    Amounts are whole kroner per ``per``, drawn from ``low``..``high`` in steps of ``step``.
    ``account`` is the function the payer books it on when that is not the payer's own (cash
    benefits to families under Barnets lov §§ 85–88 go on 5.57.72, not 5.28.21).
    """

    title: str
    legal_basis: str
    granted_by: str
    paid_by: str
    per: str
    low: int
    high: int
    step: int
    account: str = ""


CASH_BENEFITS = "5.57.72"


INTERVENTION_KINDS: tuple[InterventionKind, ...] = (
    InterventionKind("Aflastning i weekender", "Barnets lov § 32, stk. 1, nr. 7", "BFH", "BFH",
                     "month", 9000, 18500, 500),
    InterventionKind("Støtteophold", "Barnets lov § 32, stk. 1, nr. 7", "BFH", "BFH",
                     "week", 4600, 9200, 100),
    InterventionKind("Merudgifter", "Barnets lov § 86", "BFH", "BFH", "year", 6000, 42000, 500,
                     CASH_BENEFITS),
    InterventionKind("Tabt arbejdsfortjeneste", "Barnets lov §§ 87-88", "BFH", "BFH",
                     "month", 14000, 35000, 500, CASH_BENEFITS),
    InterventionKind("Hjemmetræning", "Barnets lov § 85", "BFH", "BFH", "month", 6000, 16000, 500,
                     CASH_BENEFITS),
    InterventionKind("Praktisk pædagogisk støtte i hjemmet", "Barnets lov § 32, stk. 1, nr. 2",
                     "BFH", "BFH", "week", 1800, 4200, 100),
    InterventionKind("Fast kontaktperson", "Barnets lov § 32, stk. 1, nr. 3", "BFH", "BFH",
                     "week", 1200, 3000, 100),
    InterventionKind("Familiebehandling", "Barnets lov § 32, stk. 1, nr. 5", "BFH", "BFH",
                     "month", 15600, 22500, 100),
    InterventionKind("Døgnophold for hele familien", "Barnets lov § 32, stk. 1, nr. 6", "BFH",
                     "BFH", "month", 55000, 90000, 1000),
    InterventionKind("Ledsagelse", "Barnets lov § 89", "BFH", "BFH", "month", 1800, 4500, 100),
    InterventionKind("Merudgifter, ferieophold med ledsager", "Barnets lov § 86", "BFH", "BFH",
                     "once", 4000, 15000, 250, CASH_BENEFITS),
    InterventionKind("Efterskoleophold, økonomisk støtte", "Barnets lov § 35", "BFH", "BFH",
                     "once", 25000, 60000, 500),
    InterventionKind("Anbringelse på børne- og ungehjem", "Barnets lov § 46", "BFA", "BFA",
                     "month", 74000, 101000, 500),
    InterventionKind("Anbringelse i plejefamilie", "Barnets lov § 46", "BFA", "BFA",
                     "month", 28000, 46000, 500),
    InterventionKind("Særligt dagtilbud", "Barnets lov § 83", "DAG", "DAG", "month",
                     12000, 24000, 500),
    InterventionKind("Ophold i dagtilbud som støtte", "Barnets lov § 32, stk. 1, nr. 1", "DAG",
                     "SKO", "month", 4500, 9000, 100),
    InterventionKind("Specialklasse", "Folkeskoleloven § 20, stk. 2", "SKO", "SKO", "year",
                     240000, 400000, 5000),
    InterventionKind("Specialskole", "Folkeskoleloven § 20, stk. 2", "SKO", "SKO", "month",
                     26000, 40000, 500),
    InterventionKind("Specialpædagogisk bistand", "Folkeskoleloven § 3, stk. 2", "SKO", "SKO",
                     "month", 4000, 12000, 250),
    InterventionKind("Mentor for forælder", "LAB, mentorstøtte", "JOB", "JOB", "week",
                     900, 2400, 50),
    InterventionKind("Ressourceforløb for forælder", "LAB, ressourceforløb", "JOB", "JOB",
                     "month", 9000, 16000, 500),
    InterventionKind("STU", "STU-loven", "UNG", "UNG", "year", 380000, 500000, 5000),
    InterventionKind("STU med praktikforløb", "STU-loven", "UNG", "UNG", "month",
                     32000, 42000, 500),
    InterventionKind("Botilbud efter 18 år", "Serviceloven § 107", "VOK", "VOK", "month",
                     48000, 60000, 500),
    InterventionKind("Aktivitets- og samværstilbud", "Serviceloven § 104", "VOK", "VOK", "week",
                     1200, 3800, 50),
    InterventionKind("Ekstra sundhedspleje", "Sundhedsloven § 120", "SUN", "SUN", "month",
                     1200, 3200, 100),
    InterventionKind("Genoptræning og fysioterapi", "Sundhedsloven § 140", "SUN", "SUN", "week",
                     900, 2100, 50),
    InterventionKind("Boligindretning", "Serviceloven § 116 via Barnets lov § 90", "HJM", "HJM",
                     "once", 40000, 250000, 1000),
    InterventionKind("Kommunikationshjælpemiddel", "Serviceloven § 112 via Barnets lov § 90",
                     "HJM", "HJM", "once", 8000, 60000, 500),
)
