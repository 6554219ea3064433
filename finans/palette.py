"""One fixed, colour-blind-safe colour per department, shared by every chart and web page.

The demo municipality's departments have fixed colours from the Okabe–Ito palette (plus a grey),
so a department looks the same in the pie, the bars and the dashboard. Any other department code
gets a colour from a second colour-blind-safe list (Paul Tol's "muted"), chosen by a hash of the
code. ``hashlib`` is used rather than ``hash()`` because ``hash()`` of a string changes between
processes, and a department must not change colour when the server restarts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

# Okabe & Ito (2008), "Color Universal Design", plus a neutral grey for the ninth department.
KNOWN_COLOURS: dict[str, str] = {
    "BFH": "#E69F00",  # orange
    "BFA": "#D55E00",  # vermillion
    "DAG": "#009E73",  # bluish green
    "SKO": "#F0E442",  # yellow
    "JOB": "#0072B2",  # blue
    "UNG": "#56B4E9",  # sky blue
    "VOK": "#CC79A7",  # reddish purple
    "SUN": "#000000",  # black
    "HJM": "#999999",  # grey
}

# Paul Tol's "muted" scheme: colour-blind safe and apart from the colours above.
HASHED_COLOURS: tuple[str, ...] = (
    "#332288",  # indigo
    "#88CCEE",  # cyan
    "#44AA99",  # teal
    "#117733",  # green
    "#999933",  # olive
    "#DDCC77",  # sand
    "#CC6677",  # rose
    "#882255",  # wine
    "#AA4499",  # purple
)


def _hash_index(code: str) -> int:
    """Stable position of ``code`` in :data:`HASHED_COLOURS`, the same in every process."""
    digest = hashlib.sha256(code.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") % len(HASHED_COLOURS)


def department_colour(code: str) -> str:
    """The department's colour as ``"#RRGGBB"``: fixed for known codes, hash-derived otherwise."""
    known = KNOWN_COLOURS.get(code)
    if known is not None:
        return known
    return HASHED_COLOURS[_hash_index(code)]


def colours_for(codes: Iterable[str]) -> dict[str, str]:
    """Colours for the departments shown together in one chart or page, keyed by code.

    Known codes keep their fixed colour. Two unknown codes whose hashes meet on the same colour
    would be indistinguishable side by side, so the later one (in code order, never input order)
    moves on to the next colour not yet taken while the list has one left.
    """
    result: dict[str, str] = {}
    taken: set[str] = set()
    for code in sorted(set(codes)):
        if code in KNOWN_COLOURS:
            result[code] = KNOWN_COLOURS[code]
            continue
        start = _hash_index(code)
        colour = HASHED_COLOURS[start]
        for step in range(len(HASHED_COLOURS)):
            candidate = HASHED_COLOURS[(start + step) % len(HASHED_COLOURS)]
            if candidate not in taken:
                colour = candidate
                break
        result[code] = colour
        taken.add(colour)
    return result
