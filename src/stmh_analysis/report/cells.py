"""The cells of the workbooks: a column (Dutch header, the frame's column, its kind) and the
value a cell gets. Light on purpose: the clean step writes the review workbook with these without
loading the documents."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

KINDS = ("text", "long", "eur", "int", "row")


@dataclass(frozen=True)
class Col:
    """A column of a sheet: Dutch header, the frame's column, and its kind (KINDS)."""

    header: str
    source: str
    kind: str = "text"


# A proposal's figures as every workbook shows them: amounts in whole euros, the years.
FIGURES = (
    Col("Structureel laag (€ per jaar)", "structural_low_eur", "eur"),
    Col("Structureel hoog (€ per jaar)", "structural_high_eur", "eur"),
    Col("Incidenteel laag (€ totaal)", "incidental_low_eur", "eur"),
    Col("Incidenteel hoog (€ totaal)", "incidental_high_eur", "eur"),
    Col("Eerste jaar", "first_year", "int"),
    Col("Laatste jaar", "last_year", "int"),
)
# Where a row stands in a partner's file, as every workbook shows it.
PLACE = (
    Col("Bestand", "source_file"),
    Col("Blad", "source_sheet"),
    Col("Regel", "source_row", "row"),
)


def cell_value(value: object, kind: str) -> object:
    """What a cell of `kind` holds: whole euros, an integer, or text without control characters."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if kind == "eur":
        return round(float(value))
    if kind == "int":
        return int(value)
    if kind == "row":  # a row number is a number (sorts as one); '12, 14' stays text
        text = str(value).strip()
        return int(float(text)) if re.fullmatch(r"\d+(\.0)?", text) else _CONTROL.sub("", text)
    return _CONTROL.sub("", str(value))  # a control character cannot stand in a worksheet


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def write_instructions(sheet, lines: Sequence[str]) -> None:
    """An instructions sheet: the first line a title, short lines that are no bullet headings,
    the rest wrapped text in one wide column (the template's and the review workbook's)."""
    from openpyxl.styles import Alignment, Font

    sheet.column_dimensions["A"].width = 110
    for i, line in enumerate(lines, start=1):
        cell = sheet.cell(row=i, column=1, value=line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if i == 1:
            cell.font = Font(bold=True, size=14, color="154273")
        elif line and not line.startswith("•") and i > 2 and len(line) < 40:
            cell.font = Font(bold=True)
