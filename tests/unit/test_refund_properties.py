"""Properties of the state refund on random small valid scenarios, against the naive reference."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from finans.allocation import Period, Scenario, allocate, refunds
from finans.allocation.refund import Refunds
from tests.reference import reference_refunds, round_half_up
from tests.unit.strategies import CODES, PROPERTY_SETTINGS, periods, scenarios, split_versions


def refunded(scenario: Scenario, period: Period) -> Refunds:
    return refunds(scenario, allocate(scenario, period))


@PROPERTY_SETTINGS
@given(scenarios(), periods())
def test_refunds_equal_the_naive_reference_exactly(scenario: Scenario, period: Period) -> None:
    result = refunded(scenario, period)
    expected, missing = reference_refunds(scenario, period)
    assert [
        (r.case, r.month, r.basis, r.amount, dict(r.departments)) for r in result.refunds
    ] == expected
    assert list(result.missing_years) == missing
    totals: dict[str, int] = {}
    for *_, parts in expected:
        for code, part in parts.items():
            totals[code] = totals.get(code, 0) + part
    assert result.totals == dict(sorted(totals.items()))


@PROPERTY_SETTINGS
@given(scenarios(), periods())
def test_the_department_parts_of_a_months_refund_sum_to_it(
    scenario: Scenario, period: Period
) -> None:
    for refund in refunded(scenario, period).refunds:
        assert refund.amount > 0
        assert all(part > 0 for _, part in refund.departments)
        assert sum(part for _, part in refund.departments) == refund.amount


@PROPERTY_SETTINGS
@given(scenarios(), periods())
def test_a_household_under_a_twelfth_of_the_first_threshold_gets_nothing_that_month(
    scenario: Scenario, period: Period
) -> None:
    firsts = {rates.year: rates.thresholds[0] for rates in scenario.refund_rates}
    for refund in refunded(scenario, period).refunds:
        assert refund.basis > Fraction(firsts[int(refund.month[:4])], 12)


@PROPERTY_SETTINGS
@given(scenarios(), periods())
def test_the_refund_is_never_more_than_the_top_percent_of_the_basis(
    scenario: Scenario, period: Period
) -> None:
    # With the statutory tiers the top percent is 75 %.
    tops = {rates.year: max(rates.percents) for rates in scenario.refund_rates}
    for refund in refunded(scenario, period).refunds:
        top = Fraction(tops[int(refund.month[:4])]) / 100
        assert refund.amount <= round_half_up(top * refund.basis)


@PROPERTY_SETTINGS
@given(scenarios(), periods(), st.data())
def test_the_refund_never_depends_on_how_the_cost_is_split_only_its_share_back_does(
    scenario: Scenario, period: Period, data: st.DataObject
) -> None:
    resplit = replace(
        scenario,
        interventions=tuple(
            replace(
                iv,
                paid_by=data.draw(st.sampled_from(CODES)),
                splits=tuple(
                    replace(data.draw(split_versions(list(CODES))), effective_from=s.effective_from,
                            status=s.status)
                    for s in iv.splits
                ),
            )
            for iv in scenario.interventions
        ),
    )
    def without_parts(result: Refunds) -> list[tuple[str, str, Fraction, int]]:
        return [(r.case, r.month, r.basis, r.amount) for r in result.refunds]

    first, second = refunded(scenario, period), refunded(resplit, period)
    assert without_parts(first) == without_parts(second)
    assert first.missing_years == second.missing_years
    assert sum(first.totals.values()) == sum(second.totals.values())


@PROPERTY_SETTINGS
@given(scenarios(), periods(), periods())
def test_a_months_refund_is_the_same_whatever_period_is_asked(
    scenario: Scenario, one: Period, other: Period
) -> None:
    first = {(r.case, r.month): r for r in refunded(scenario, one).refunds}
    second = {(r.case, r.month): r for r in refunded(scenario, other).refunds}
    for key in first.keys() & second.keys():
        assert first[key] == second[key]
