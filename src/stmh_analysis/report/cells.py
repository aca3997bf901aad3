"""The cells of the workbooks: a column (Dutch header, the frame's column, its kind) and the
value a cell gets. Light on purpose: the clean step writes the review workbook with these without
loading the documents."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

KINDS = ("text", "long", "eur", "int")


@dataclass(frozen=True)
class Col:
    """A column of a sheet: Dutch header, the frame's column, and its kind (KINDS)."""

    header: str
    source: str
    kind: str = "text"


def cell_value(value: object, kind: str) -> object:
    """What a cell of `kind` holds: whole euros, an integer, or text without control characters."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if kind == "eur":
        return round(float(value))
    if kind == "int":
        return int(value)
    return _CONTROL.sub("", str(value))  # a control character cannot stand in a worksheet


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
