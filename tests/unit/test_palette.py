"""Department colours: fixed for the known departments, stable and distinct for the rest."""

import os
import re
import subprocess
import sys

from finans.palette import HASHED_COLOURS, KNOWN_COLOURS, colours_for, department_colour

KNOWN_CODES = ("BFH", "BFA", "DAG", "SKO", "JOB", "UNG", "VOK", "SUN", "HJM")
OKABE_ITO = {
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
    "#000000",
}
HEX_COLOUR = re.compile(r"#[0-9A-F]{6}")


def test_each_known_department_has_its_own_fixed_colour():
    colours = [department_colour(code) for code in KNOWN_CODES]
    assert len(set(colours)) == len(KNOWN_CODES)
    assert department_colour("BFH") == "#E69F00"
    assert department_colour("JOB") == "#0072B2"


def test_known_colours_are_the_okabe_ito_palette_plus_one_grey():
    assert set(KNOWN_COLOURS) == set(KNOWN_CODES)
    assert set(KNOWN_COLOURS.values()) - OKABE_ITO == {"#999999"}


def test_every_colour_is_written_as_hash_and_six_hex_digits():
    for colour in (*KNOWN_COLOURS.values(), *HASHED_COLOURS):
        assert HEX_COLOUR.fullmatch(colour)


def test_an_unknown_department_gets_a_colour_no_known_department_has():
    colour = department_colour("KUL")
    assert colour in HASHED_COLOURS
    assert colour not in KNOWN_COLOURS.values()


def test_unknown_codes_spread_over_the_second_list():
    colours = {department_colour(f"X{number:02d}") for number in range(60)}
    assert colours == set(HASHED_COLOURS)


def test_an_unknown_department_keeps_its_colour_in_another_process():
    script = "from finans.palette import department_colour; print(department_colour('KUL'))"
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in ("1", "2")
    }
    assert outputs == {department_colour("KUL")}


def test_colours_for_gives_known_departments_their_fixed_colours():
    assert colours_for(["JOB", "BFH"]) == {"BFH": "#E69F00", "JOB": "#0072B2"}


def test_colours_for_separates_unknown_departments_whose_hashes_meet():
    codes = [f"X{number:02d}" for number in range(60)]
    first = codes[0]
    twin = next(code for code in codes[1:] if department_colour(code) == department_colour(first))
    colours = colours_for([twin, first])
    assert colours[first] == department_colour(first)
    assert colours[twin] != colours[first]
    assert colours[twin] in HASHED_COLOURS


def test_colours_for_does_not_depend_on_the_order_of_the_codes():
    codes = [f"X{number:02d}" for number in range(12)] + ["BFH", "SUN"]
    assert colours_for(codes) == colours_for(reversed(codes))
