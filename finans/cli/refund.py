"""``finans refund-claim``: the quarterly claim of the state refund as a workbook.

The claim comes from :func:`finans.services.refund_claim.quarter_claim` on the configured
database, computed by the engine, as the claim page shows it. Exit status: 0 written, 1 refused,
2 a quarter that cannot be read.
"""

from __future__ import annotations

from pathlib import Path

import click

from finans.cli.common import cli_actor, database_session, fail, fail_problems
from finans.excel.claim import write_claim_workbook
from finans.excel.refund_sheets import missing_note
from finans.formatting import format_money
from finans.services.errors import Refusal
from finans.services.refund_claim import parse_quarter, quarter_claim


@click.command("refund-claim")
@click.option("--quarter", "text", required=True, metavar="ÅÅÅÅQn",
              help="Kvartalet, fx 2026Q2.")
@click.argument("out", metavar="OUT.xlsx", type=click.Path(dir_okay=False, path_type=Path))
def refund_claim(text: str, out: Path) -> None:
    """Skriv kvartalets anmodning om statsrefusion pr. husstand til OUT.xlsx."""
    quarter, problems = parse_quarter(text, "--quarter")
    if quarter is None:
        fail_problems(problems)
    with database_session() as session:
        try:
            claim = quarter_claim(session, actor=cli_actor(), quarter=quarter)
        except Refusal as refusal:
            fail(refusal.message)
    write_claim_workbook(out, claim)
    households = len(claim.rows)
    click.echo(f"Skrev {out}: {quarter.label}, {households} "
               f"{'husstand' if households == 1 else 'husstande'}, anmodning i alt "
               f"{format_money(claim.totals.claim)}.")
    if claim.missing_years:
        click.echo(missing_note(claim.missing_years), err=True)

