"""Reading a JSON input file exactly (decimals as ``Decimal``), with syntax errors in Danish.

Kept apart from the database helpers so that ``finans calc`` starts without loading them.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from finans.allocation.problems import Problem

JSON_SYNTAX = {
    "Expecting value": "der mangler en værdi",
    "Expecting property name enclosed in double quotes": (
        "der mangler et feltnavn i dobbelte anførselstegn"
    ),
    "Expecting ':' delimiter": "der mangler et kolon",
    "Expecting ',' delimiter": "der mangler et komma",
    "Unterminated string starting at": "en tekst slutter ikke med et anførselstegn",
    "Invalid control character at": "en tekst indeholder et kontroltegn",
    "Invalid \\escape": "en tekst indeholder en ugyldig \\-sekvens",
    "Invalid \\uXXXX escape": "en tekst indeholder en ugyldig \\u-sekvens",
    "Extra data": "der står mere efter JSON-værdien",
}
"""Python's JSON syntax errors in Danish, keyed by the error's ``msg``."""


def read_json_file(path: Path) -> tuple[Any, list[Problem]]:
    """The JSON in ``path`` (decimals as ``Decimal``), or a problem located at the file (and at
    ``file:line:column`` for a syntax error)."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, [Problem("file_encoding", "Filen er ikke en UTF-8-tekstfil", str(path))]
    except OSError:
        return None, [Problem("file_unreadable", "Filen kan ikke læses", str(path))]
    try:
        return json.loads(text, parse_float=Decimal), []
    except json.JSONDecodeError as error:
        reason = JSON_SYNTAX.get(error.msg, "teksten kan ikke læses som JSON")
        where = f"{path}:{error.lineno}:{error.colno}"
        return None, [Problem("json_syntax", f"Ugyldig JSON: {reason}", where)]
