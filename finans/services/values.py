"""The value types of the services' results, and how each reads as JSON.

Results are frozen dataclasses holding Python values (øre as ``int``, shares as ``Fraction``,
days as ``date``); the edges turn them into text. The annotations here tell pydantic, which the
API uses to write JSON and to describe it in the OpenAPI document (docs/api.md), how: amounts as
kroner text with two decimals and a dot, decimals as plain text, moments as local time without an
offset, shares as exact fractions (``"7/12"``). People's formats (``1.234,50 kr.``,
``23-11-2026``) are :mod:`finans.formatting`'s.

:data:`OMITTED_IF_EMPTY` marks a field the JSON leaves out when it holds nothing, as the scenario
JSON does (docs/scenario.md).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Annotated, Any

from pydantic import Field, PlainSerializer, WithJsonSchema

from finans.allocation.money import format_ore
from finans.store.mapping import decimal_text
from finans.store.timestamps import to_text

AMOUNT_PATTERN = r"^-?[0-9]+\.[0-9]{2}$"

Money = Annotated[
    int,
    PlainSerializer(format_ore, return_type=str),
    WithJsonSchema({"type": "string", "pattern": AMOUNT_PATTERN,
                    "description": "Kroner with two decimals and a dot"}, mode="serialization"),
]
"""An amount in øre; in JSON kroner text, ``"1234.50"``."""

DecimalText = Annotated[
    Decimal,
    PlainSerializer(decimal_text, return_type=str),
    WithJsonSchema({"type": "string", "description": "Decimal text, e.g. \"33.50\""},
                   mode="serialization"),
]
"""A decimal input as it was given (``"33.50"`` stays ``"33.50"``), never in exponent form."""

Moment = Annotated[
    datetime,
    PlainSerializer(to_text, return_type=str),
    WithJsonSchema({"type": "string", "description": "Local time, ISO without offset"},
                   mode="serialization"),
]
"""A point in time; in JSON local time without an offset, ``"2026-01-12T10:03:00"``."""

Share = Annotated[
    Fraction,
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "pattern": r"^[0-9]+(/[0-9]+)?$",
                    "description": "Exact share as a fraction, e.g. 7/12"}, mode="serialization"),
]
"""A department's exact share of one; in JSON ``"7/12"`` (or ``"1"``)."""


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == () or value == {}


def _never_null(schema: dict[str, Any]) -> None:
    """An omitted field is absent, never ``null``: its schema is the value's alone."""
    schema.pop("default", None)
    choices = schema.pop("anyOf", None)
    if choices is not None:
        schema.update(next(choice for choice in choices if choice != {"type": "null"}))


OMITTED_IF_EMPTY: Any = Field(exclude_if=_empty, json_schema_extra=_never_null)
"""``Annotated[T, OMITTED_IF_EMPTY]``: the field is left out of JSON when it is ``None``, empty
text or an empty collection."""
