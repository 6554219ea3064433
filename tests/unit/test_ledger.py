"""The posting files: CSV that Danish Excel opens, and Prisme's G69 records."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from finans.allocation.postings import Leg
from finans.ledger import G69Settings, LedgerError, g69, write_csv, write_g69

JANUARY = date(2026, 1, 31)


def pair(amount: int, text: str = "Fælles finansiering 2026-01 I-1", day: date = JANUARY,
         intervention: str = "I-1") -> list[Leg]:
    return [
        Leg(day, "5.68.90", amount, 0, text, intervention, "S-2026-0001", "JOB", "BFH"),
        Leg(day, "5.28.21 1001", 0, amount, text, intervention, "S-2026-0001", "BFH", "JOB"),
    ]


def csv_bytes(legs: list[Leg]) -> bytes:
    target = io.BytesIO()
    assert write_csv(legs, target) == len(legs)
    return target.getvalue()


def test_the_csv_has_a_bom_a_danish_header_and_danish_numbers_and_dates() -> None:
    written = csv_bytes(pair(123_450))
    assert written.startswith(b"\xef\xbb\xbf")
    assert written.decode("utf-8-sig").split("\r\n") == [
        "Bilagsdato;Kontostreng;Debet;Kredit;Tekst;Indsats;Sag;Afdeling;Modpart",
        "31-01-2026;5.68.90;1234,50;;Fælles finansiering 2026-01 I-1;I-1;S-2026-0001;JOB;BFH",
        "31-01-2026;5.28.21 1001;;1234,50;Fælles finansiering 2026-01 I-1;I-1;S-2026-0001;BFH;JOB",
        "",
    ]


def test_large_amounts_have_no_thousands_separator_and_small_ones_keep_two_decimals() -> None:
    rows = list(csv.reader(io.StringIO(csv_bytes(pair(123_456_789_01) + pair(5))
                                       .decode("utf-8-sig")), delimiter=";"))
    assert [row[2] or row[3] for row in rows[1:]] == ["123456789,01", "123456789,01", "0,05",
                                                     "0,05"]


def test_text_that_a_spreadsheet_would_calculate_is_written_as_text() -> None:
    rows = list(csv.reader(io.StringIO(csv_bytes(pair(100, intervention="=1+1"))
                                       .decode("utf-8-sig")), delimiter=";"))
    assert rows[1][5] == "'=1+1"


def test_g69_records_follow_the_prisme_layout() -> None:
    target = io.BytesIO()
    count = write_g69(pair(123_450), target, G69Settings(machine_number=482, municipality=151),
                      date(2026, 3, 31))
    assert count == 2
    assert target.getvalue().decode("iso-8859-1").split("\n") == [
        "Z300 01516      0901",
        "000G6900001015101NORFLYD&10300482&1040000001&11020260131&1115.68.90"
        "&112000000123450+&113D&1142026&153Fælles finansiering 2026-01 I-1",
        "000G6900002015101NORFLYD&10300482&1040000002&11020260131&1115.28.21 1001"
        "&112000000123450+&113K&1142026&153Fælles finansiering 2026-01 I-1",
        "SLUTD00002",
        "",
    ]


def test_g69_fields_stand_in_ascending_order_and_expeditions_count_up() -> None:
    target = io.BytesIO()
    legs = pair(100) + pair(200, day=date(2026, 2, 28)) + pair(300, day=date(2026, 2, 28))
    write_g69(legs, target, G69Settings(), date(2026, 2, 28))
    records = target.getvalue().decode("iso-8859-1").splitlines()[1:-1]
    expeditions = []
    for record in records:
        numbers = [field[:3] for field in record.split("&")[1:]]
        assert numbers == sorted(numbers) == ["103", "104", "110", "111", "112", "113", "114",
                                              "153"]
        expeditions.append(int(record.split("&104")[1][:7]))
    assert expeditions == list(range(1, 7))


def test_a_large_g69_file_holds_several_balanced_deliveries(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(g69, "MAX_RECORDS", 4)
    target = io.BytesIO()
    legs = [leg for amount in (100, 200, 300, 400, 500) for leg in pair(amount)]
    assert write_g69(legs, target, G69Settings(), JANUARY) == 10
    lines = target.getvalue().decode("iso-8859-1").splitlines()
    assert [line[:5] for line in lines if not line.startswith("000G69")] == [
        "Z300 ", "SLUTD", "Z300 ", "SLUTD", "Z300 ", "SLUTD"]
    assert [line for line in lines if line.startswith("SLUTD")] == [
        "SLUTD00004", "SLUTD00004", "SLUTD00002"]
    deliveries = "\n".join(lines).split("Z300")[1:]
    for delivery in deliveries:
        records = [line for line in delivery.splitlines() if line.startswith("000G69")]
        debit = sum(int(r.split("&112")[1][:12]) for r in records if "&113D" in r)
        credit = sum(int(r.split("&112")[1][:12]) for r in records if "&113K" in r)
        assert debit == credit
        assert [r[6:11] for r in records] == [f"{n:05d}" for n in range(1, len(records) + 1)]


def test_an_empty_g69_file_is_a_preamble_and_a_zero_trailer() -> None:
    target = io.BytesIO()
    assert write_g69([], target, G69Settings(1, 101), date(2026, 1, 5)) == 0
    assert target.getvalue() == b"Z300 01016      0051\nSLUTD00000\n"


@pytest.mark.parametrize("intervention", ["I&1", "I-€", "I-\n1"])
def test_text_g69_cannot_hold_is_refused_with_the_intervention_named(intervention: str) -> None:
    text = f"Fælles finansiering 2026-01 {intervention}"
    with pytest.raises(LedgerError) as refused:
        write_g69(pair(100, text=text, intervention=intervention), io.BytesIO(), G69Settings(),
                  JANUARY)
    assert refused.value.problems[0].code == "g69_unwritable"
    assert intervention in refused.value.problems[0].where


def test_machine_and_municipality_numbers_must_fit_their_fields() -> None:
    with pytest.raises(ValueError):
        G69Settings(machine_number=100_000)
    with pytest.raises(ValueError):
        G69Settings(municipality=10_000)
