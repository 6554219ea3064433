"""Single cells: safe text on the way out, what controllers type on the way in."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from finans.excel.cells import (
    MAX_TEXT,
    REPLACEMENT,
    RawCell,
    needs_text_guard,
    read_choice,
    read_date,
    read_number,
    read_text,
    safe_text,
)


def cell(value: object, *, percent: bool = False, formula: bool = False) -> RawCell:
    return RawCell(value, formula, percent, "Ark!A1")


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+45 12 34", "-1", "@SUM(A1)",
                                  "\tx", "\rx", "\nx", "#N/A", "#DIV/0!"])
def test_formula_like_text_is_guarded(text: str) -> None:
    assert needs_text_guard(text)


@pytest.mark.parametrize("text", ["Familie Jensen", "a=b", "50 %", "I-17", ""])
def test_ordinary_text_is_written_as_it_is(text: str) -> None:
    assert not needs_text_guard(text)
    assert safe_text(text) == text


def test_control_characters_are_replaced_not_refused() -> None:
    assert safe_text("Familie\x00 A\x1f\x0b") == f"Familie{REPLACEMENT} A{REPLACEMENT}{REPLACEMENT}"


def test_tabs_and_line_breaks_are_kept_with_line_breaks_as_excel_writes_them() -> None:
    assert safe_text("a\tb\nc\r\nd\re") == "a\tb\nc\nd\ne"


def test_lone_surrogates_are_replaced() -> None:
    assert safe_text("x\ud800y") == f"x{REPLACEMENT}y"


def test_text_is_cut_at_excels_cell_limit() -> None:
    assert len(safe_text("x" * (MAX_TEXT + 10))) == MAX_TEXT


@pytest.mark.parametrize(
    ("typed", "number"),
    [("1.234,50", "1234.50"), ("1 234,50 kr.", "1234.50"), ("40 %", "40"), ("12.5", "12.5")],
)
def test_danish_text_numbers_in_cells_read_exactly(typed: str, number: str) -> None:
    assert read_number(cell(typed)) == (Decimal(number), None)


def test_a_badly_grouped_text_number_is_no_number() -> None:
    assert read_number(cell("1.23,5")) == (None, "'1.23,5' er ikke et tal")


def test_an_excel_number_keeps_the_digits_it_shows() -> None:
    assert read_number(cell(0.1)) == (Decimal("0.1"), None)
    assert read_number(cell(609131505.68)) == (Decimal("609131505.68"), None)
    assert read_number(cell(12000)) == (Decimal(12000), None)


def test_a_percent_formatted_cell_reads_as_percent_in_a_percent_column() -> None:
    assert read_number(cell(0.4, percent=True), percent=True) == (Decimal("40.0"), None)


def test_a_plain_number_in_a_percent_column_is_already_percent() -> None:
    assert read_number(cell(40), percent=True) == (Decimal(40), None)


def test_percent_format_means_nothing_outside_percent_columns() -> None:
    assert read_number(cell(0.4, percent=True)) == (Decimal("0.4"), None)


def test_a_word_where_a_number_belongs_is_explained() -> None:
    assert read_number(cell("mange")) == (None, "'mange' er ikke et tal")


def test_a_date_is_not_a_number() -> None:
    assert read_number(cell(datetime(2026, 1, 1)))[1] == "skal være et tal"


def test_an_empty_cell_is_no_number_and_no_problem() -> None:
    assert read_number(cell(None)) == (None, None)
    assert read_number(cell("   ")) == (None, None)


def test_text_is_trimmed() -> None:
    assert read_text(cell("  BFH \u00a0")) == ("BFH", None)


def test_a_number_in_a_text_column_becomes_its_digits() -> None:
    assert read_text(cell(123)) == ("123", None)
    assert read_text(cell(5.5)) == ("5.5", None)
    assert read_text(cell(100.0)) == ("100", None)


@pytest.mark.parametrize(
    "typed",
    [datetime(2026, 11, 23), date(2026, 11, 23), "23-11-2026", "23.11.2026", "23/11/2026",
     "2026-11-23", " 23-11-2026 "],
)
def test_accepted_dates(typed: object) -> None:
    assert read_date(cell(typed)) == (date(2026, 11, 23), None)


@pytest.mark.parametrize("typed", ["31-02-2026", "næste år", "2026", 46000])
def test_refused_dates(typed: object) -> None:
    value, message = read_date(cell(typed))
    assert value is None and message is not None and "dato" in message


@pytest.mark.parametrize(
    ("vocabulary", "typed", "value"),
    [
        ("method", "vægtet", "weighted"),
        ("method", " Vægtet ", "weighted"),
        ("method", "VAEGTET", "weighted"),
        ("status", "foreslået", "proposed"),
        ("status", "foreslaaet", "proposed"),
        ("per", "måned", "month"),
        ("per", "år", "year"),
        ("consent", "Ja", True),
        ("consent", "nej", False),
        ("consent", True, True),
    ],
)
def test_vocabulary_words_in_any_case(vocabulary: str, typed: object, value: object) -> None:
    assert read_choice(cell(typed), vocabulary) == (value, None)


def test_an_unknown_word_names_the_allowed_ones() -> None:
    value, message = read_choice(cell("hver anden uge"), "per")
    assert value is None
    assert message == "'hver anden uge' er ikke en gyldig værdi; brug engang, uge, måned, år"


def test_echoed_input_never_shows_a_cpr_number() -> None:
    _, message = read_date(cell("010190-1234"))
    assert message is not None and "1234" not in message and "CPR" in message
