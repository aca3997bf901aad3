"""Raw partner files -> one row per submitted table row, with where it came from.

Reads every visible sheet of every spreadsheet and every text file in the raw folder, read-only
(`sheets.read_file` does the formats). Then it reads each sheet's structure the way a person
does:

- the header row under title rows, matched with data/reference/headers.yaml (notes after a line
  break or `*` ignored), a unit note such as `(x € 1.000)` as the column's scale, and a header
  over two rows (`Kosten` merged over `Structureel | Incidenteel`);
- rows that are not proposals: blank, hidden, a template example (`Voorbeeld: …`), a total or
  subtotal (by its words anywhere in the row, or an untitled row that adds up the rows above it),
  a section row (`Thema: Opvang`) that sets the theme of the rows below, a remark;
- numbers typed as numbers are passed on as numbers (`cost_values`), never re-read as text;
- one partner's older file beside its corrected version (`… v2 DEFINITIEF`) gives way to it.

What cannot be read becomes a `Problem` naming file, sheet, row and column; the rest goes on.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from stmh_analysis.paths import raw_inputs
from stmh_analysis.problems import Problem
from stmh_analysis.reference import Reference
from stmh_analysis.sheets import (
    SPREADSHEET_SUFFIXES,
    TEXT_SUFFIXES,
    ErrorValue,
    Formula,
    Sheet,
    cell_text,
    read_file,
)
from stmh_analysis.store import sha256_file
from stmh_analysis.structures import (
    apply_cost_columns,
    apply_unit_price,
    cell_pairs,
    copy_sheets,
    flag_cost_note,
    flag_unread_columns,
    is_detail_row,
    row_status,
    settle_details,
    year_of,
)
from stmh_analysis.template import HELPER_SHEETS
from stmh_analysis.text import match_key, normalise_whitespace
from stmh_analysis.workbook_words import WorkbookWords, read_workbook_words

DEFAULT_WORKBOOK_WORDS = (
    Path(__file__).resolve().parents[2] / "data" / "reference" / "workbook_words.yaml"
)

SUBMISSION_SUFFIXES = (*SPREADSHEET_SUFFIXES, *TEXT_SUFFIXES)
ACCEPTED_FORMATS = ", ".join(SUBMISSION_SUFFIXES)  # the one list, in messages and documents
APPRAISAL_STEM = "appreciaties"
DECISIONS_STEM = "beoordeling"  # beoordelingen.xlsx: the analyst's review decisions
HEADER_SEARCH_ROWS = 30
MAX_TEXT_CHARS = 5_000  # longer cell text is cut (and said so): a report cannot show 100,000 chars
FIELDS = (
    "organisation",
    "theme",
    "title",
    "summary",
    "cost",
    "cost_structural",
    "cost_incidental",
    "basis",
    "duration",
    "cost_note",
    "contact_person",
    "contact_email",
    "number",
    "year",
    "cost_total",
    "own_contribution",
    "unit",
    "first_year",
    "last_year",
    "status",
)
SUBMISSION_COLUMNS = [
    "source_file",
    "source_sheet",
    "source_row",
    *FIELDS,
    "organisation_hint",
    "theme_hint",
    "cost_scale",
    "cost_columns",
    "cost_values",
    "cost_years",
    "ingest_flags",
]
_UNIT_RE = re.compile(
    r"[\(\[]?\s*(?:x|×|in)\s*(?:€|euro'?s?|eur)?\s*(1[.,\s]?000[.,\s]?000|1[.,\s]?000|(?:1\s*)?mln|(?:1\s*)?miljoen\w*|duizend\w*|k€|k)(?!\w)\s*(?:€|euro'?s?|eur)?\s*[\)\]]?",
    re.I,
)
# A total's own label: 'Totaal', 'Subtotaal opvang', 'Totale kosten', 'Som:', 'Eindtotaal'. A
# title that only starts with such a word ('Totale herziening meldproces') or an organisation
# called SOM is not one.
_TOTAL_RE = re.compile(
    r"^(?:sub\s?-?)?totaa?l(?:en)?\b(?!\s+(?:herziening|aanpak|verbod|plan|pakket|programma)\b)"
    r"|^totale\s+(?:kosten|bedrag|som|begroting|raming)\b|^eindtotaal\b|^totaal\s?generaal\b"
    r"|^som\s*:?\s*$|^som\s+(?:van\s+(?:de\s+)?)?(?:kosten|bedragen|regels|totalen)\b|^grand total\b",
    re.I,
)
_EXAMPLE_RE = re.compile(r"^(?:voorbeeld|bijvoorbeeld|bijv\.|vb\.|example|e\.g\.)(?:\b|:)", re.I)
_SECTION_PREFIX = re.compile(r"^\s*(?:thema|theme|onderwerp|categorie)\s*[:\-–]\s*", re.I)


@dataclass
class Submissions:
    """What the raw folder held: data rows, rows skipped with a reason, problems, files read."""

    rows: pd.DataFrame
    skipped: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    files: pd.DataFrame = field(default_factory=pd.DataFrame)


# --- headers ---------------------------------------------------------------------------------------


_K_EURO_RE = re.compile(r"[\(\[]\s*(?:k€|keur|k euro|€\s*(?:x|×)\s*1[.,]?000)\s*[\)\]]", re.I)


def header_unit_scale(header: str) -> tuple[str, float]:
    """'Kosten (x € 1.000)' -> ('Kosten', 1000.0); a header without a unit note keeps scale 1."""
    k = _K_EURO_RE.search(header)
    if k:
        return (header[: k.start()] + header[k.end() :]).strip(), 1e3
    m = _UNIT_RE.search(header)
    if not m:
        return re.sub(r"\(\s*(?:€|eur|euro)\s*\)", "", header, flags=re.I).strip(), 1.0
    unit = match_key(m.group(1)).replace(" ", "")
    scale = 1e6 if unit in ("1000000", "mln", "1mln") or "miljoen" in unit else 1e3
    return (header[: m.start()] + header[m.end() :]).strip(), scale


def header_name(cell: str) -> str:
    """'Thema*\\n(kies uit lijst)' -> 'Thema': the first line, without a marker or a note."""
    first = cell.strip().splitlines()[0] if cell.strip() else ""
    first = first.replace("*", " ")
    return re.sub(
        r"\((?![^)]*(?:€|eur|x\s|1\.000|mln|duizend))[^)]*\)", " ", first, flags=re.I
    ).strip()


_YEAR_HEADER = re.compile(
    r"^(?:(?:indicatieve |geraamde )?(?:kosten|bedrag|raming|budget|begroting) )?((?:19|20)\d\d)$"
)


def field_of(header: str, reference: Reference) -> str | None:
    """The template field a header names: an exact alias first, else the first word rule that fits.
    A year ('2025', 'Kosten 2025') is the cost column of that year: 'year:2025'."""
    key = match_key(header)
    if not key:
        return None
    year = _YEAR_HEADER.match(key)
    if year:
        return f"year:{year.group(1)}"
    exact = reference.header_aliases.get(key)
    if exact:
        return exact
    padded = f" {key} "
    for fieldname, words in reference.header_words:
        if all(f" {w} " in padded for w in words):
            return fieldname
    return None


def map_header(cells: list[str], reference: Reference) -> dict[int, tuple[str, float]]:
    """Column index -> (field, scale) for the cells that name a known field (first one wins)."""
    mapping: dict[int, tuple[str, float]] = {}
    seen: set[str] = set()
    items = _cost_item_headers(cells, reference)
    for i, cell in enumerate(cells):
        if not cell or i in items:
            continue
        _, scale = header_unit_scale(cell.replace("\n", " "))  # a unit note on any line
        name, _ = header_unit_scale(cell)  # keeps the line break: header_name takes line one
        fieldname = field_of(header_name(name) or name, reference)
        if fieldname and fieldname not in seen:
            mapping[i] = (fieldname, scale)
            seen.add(fieldname)
    return mapping


def _cost_item_headers(cells: list[str], reference: Reference) -> set[int]:
    """Columns that are cost items of a budget written across ('Personeelskosten | Materiële
    kosten | Overige kosten'): with two or more of them, none is the proposal's cost column (each
    is read as a cost line beside it); one alone ('Programmakosten') may be."""
    words = workbook_words(reference)
    items = {
        i
        for i, cell in enumerate(cells)
        if cell
        and _is_cost_item(header_unit_scale(header_name(cell))[0], words)
        and not _COUNTS_NOT_EUROS.search(match_key(cell))
    }
    return items if len(items) >= 2 else set()


# 'Personeel (fte)', 'Inhuur (uren)': a count beside the items, never euros to add to them
_COUNTS_NOT_EUROS = re.compile(r"\b(?:fte|uren|uur|aantal|dagen|personen)\b")


@dataclass
class _Header:
    row: int  # index in the grid of the (first) header row
    data_start: int  # index of the first row under the header
    cells: list[str]
    mapping: dict[int, tuple[str, float]]


def _is_header(fields: set[str]) -> bool:
    """A row is a header when it names the title column and at least one other known column."""
    return "title" in fields and len(fields) >= 2


def _find_header(sheet: Sheet, texts: list[list[str]], reference: Reference) -> _Header | None:
    for r, cells in enumerate(texts[:HEADER_SEARCH_ROWS]):
        mapping = map_header(cells, reference)
        fields = {f for f, _ in mapping.values()}
        if not _is_header(fields):
            continue
        header = list(cells)
        data_start = r + 1
        # a group header above an unmapped sub-header: 'Kosten' over 'Structureel'
        if r > 0:
            above = texts[r - 1]
            for c, cell in enumerate(header):
                top = above[c] if c < len(above) else ""
                combined = f"{header_name(top)} {header_name(cell)}"
                if (
                    c not in mapping
                    and cell
                    and top
                    and top != cell
                    and field_of(combined, reference)
                ):
                    header[c] = f"{header_name(top)} {cell}"
        # a merged group header with its sub-columns in the row below
        if r + 1 < len(texts):
            spread = {c for (i, c), (i0, _) in sheet.merged_from.items() if i == r and i0 == r}
            spread |= {c0 for (i, _), (i0, c0) in sheet.merged_from.items() if i == r and i0 == r}
            below = texts[r + 1]
            below_raw = sheet.cells[r + 1] if r + 1 < len(sheet.cells) else []
            # numbers below are data, unless they are the years of a group ('Kosten' over
            # '2025 | 2026 | 2027 | Totaal')
            numeric = any(
                isinstance(v, int | float) and not isinstance(v, bool)
                and not (j in spread and 1990 <= v <= 2100 and float(v).is_integer())
                for j, v in enumerate(below_raw)
            )  # fmt: skip
            subs = {
                c: below[c] for c in spread if c < len(below) and below[c] and below[c] != header[c]
            }
            if subs and not numeric and len(set(subs.values())) == len(subs):
                for c, sub in subs.items():
                    name, scale = header_unit_scale(header[c])
                    unit = f" (x {scale:g})" if scale != 1 else ""  # the group's unit stays
                    header[c] = f"{header_name(name)} {sub}{unit}"
                data_start = r + 2
        return _Header(r, data_start, header, map_header(header, reference))
    return None


# --- rows ------------------------------------------------------------------------------------------


def _org_hint(texts: Iterable[str], reference: Reference) -> str:
    """A canonical organisation named in title rows or the file name, for rows that leave it out."""
    for text in texts:
        key = f" {match_key(text)} "
        for alias, canonical in sorted(reference.org_aliases.items(), key=lambda kv: -len(kv[0])):
            if len(alias) >= 3 and f" {alias} " in key:
                return canonical
    return ""


def _theme_named(text: str, reference: Reference) -> str:
    """The theme slug a section row or sheet name names ('Thema: Opvang', 'Criminele uitbuiting')."""
    return reference.theme_aliases.get(match_key(_SECTION_PREFIX.sub("", text)), "")


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _distinct_filled(row: list) -> list:
    out: list = []
    for v in row:
        if v not in (None, "") and v not in out:
            out.append(v)
    return out


def _cost_fields(fields: dict[str, tuple[int, float]], reference: Reference) -> list[str]:
    """The amount columns of a table: the template's cost columns, else its year columns."""
    named = [f for f in reference.cost_fields if f in fields]
    return named or sorted(f for f in fields if f.startswith("year:"))


def _is_total_row(
    cells: list[str], raw: list, fields: dict[str, tuple[int, float]], reference: Reference
) -> bool:
    """'Totaal', 'Subtotaal opvang' in a naming column (title, organisation, theme, the first filled
    cell), or anywhere in a row without a title. Free text ('Totaal over drie jaar' as a cost note)
    does not make a proposal a total."""
    naming = {fields[f][0] for f in ("title", "organisation", "theme") if f in fields}
    first = next((j for j, c in enumerate(cells) if c), None)
    title_col = fields["title"][0]
    untitled = title_col >= len(cells) or not cells[title_col]
    orgs = {fields[f][0] for f in ("organisation",) if f in fields}
    for j, c in enumerate(cells):
        is_text = isinstance(raw[j] if j < len(raw) else None, str)
        if j in orgs and match_key(c) in reference.org_aliases:
            continue  # an organisation in the list (SOM) is never a total's label
        if c and is_text and _TOTAL_RE.match(c) and (untitled or j in naming or j == first):
            return True
    return False


def workbook_words(reference: Reference) -> WorkbookWords:
    """The reference's workbook words; the repository's file for a Reference made by hand."""
    return reference.workbook_words or read_workbook_words(DEFAULT_WORKBOOK_WORDS)


def _is_cost_item(text: str, words: WorkbookWords) -> bool:
    key = match_key(text)
    return any(key == w or key.startswith(w + " ") for w in words.cost_items)


@dataclass
class _Table:
    """One sheet's table while it is read row by row: its columns, the theme a section row set,
    the amounts since the last (sub)total, and what came out so far."""

    sheet: Sheet
    file: str
    reference: Reference
    words: WorkbookWords
    header: _Header
    hint: str
    sheet_theme: str
    fields: dict[str, tuple[int, float]] = field(default_factory=dict)
    cost_fields: list[str] = field(default_factory=list)
    section_theme: str = ""
    block: list[float] = field(default_factory=list)  # amounts since the last section or total
    below_total: bool = False
    data: list[dict] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    item_columns: set[int] = field(default_factory=set)  # cost items written across (ingest)

    def use_header(self, header: _Header) -> None:
        self.header = header
        self.fields = {f: (i, s) for i, (f, s) in header.mapping.items()}
        self.cost_fields = _cost_fields(self.fields, self.reference)
        self.item_columns = _cost_item_headers(header.cells, self.reference)
        self.block = []

    @property
    def title_col(self) -> int:
        return self.fields["title"][0]

    def column_name(self, j: int) -> str:
        cells = self.header.cells
        return cells[j] if j < len(cells) and cells[j] else f"kolom {j + 1}"

    def skip(
        self, row: _Row, reason: str, code: str = "", message: str = "", value: str = ""
    ) -> None:
        self.skipped.append({**row.where, "reason": reason})
        if code:
            self.problems.append(
                Problem("skipped", self.file, code, message, self.sheet.name, row.row_no, value=value[:200])
            )  # fmt: skip


@dataclass
class _Row:
    """One row of a table: its cells as text and as typed, and its cells by field."""

    i: int
    row_no: int
    cells: list[str]
    raw: list
    where: dict
    values: dict[str, str]  # field -> text
    extra: dict[str, str]  # column name -> text, for the columns no field reads
    numbers: dict[str, object]  # cost field -> value typed as a number

    @property
    def filled(self) -> list[str]:
        return [c for c in self.cells if c]

    @property
    def shown(self) -> str:
        return " | ".join(self.filled)

    @property
    def amount_total(self) -> float:
        return sum(float(v) for v in self.numbers.values())


def _row_at(table: _Table, i: int, texts: list[list[str]]) -> _Row:
    cells, raw = texts[i], table.sheet.cells[i]
    row_no = table.sheet.row_numbers[i]
    mapped = {c for c, _ in table.fields.values()}
    return _Row(
        i, row_no, cells, raw,
        {"source_file": table.file, "source_sheet": table.sheet.name, "source_row": row_no},
        {f: (cells[c] if c < len(cells) else "") for f, (c, _) in table.fields.items()},
        {table.column_name(j): cells[j] for j in range(len(cells)) if j not in mapped and cells[j]},
        {f: raw[c] for f, (c, _) in table.fields.items()
         if f in table.cost_fields and c < len(raw) and _is_number(raw[c])},
    )  # fmt: skip


# what a row that is no proposal is, and what the analyst is told (no code: nothing to say)
_SKIPS = {
    "blank": ("blank", "", ""),
    "hidden": ("hidden", "hidden_row", "verborgen regel; niet gelezen (maak de regel zichtbaar als hij meetelt)"),
    "header": ("section", "repeated_header", "nieuwe kopregel; de regels eronder zijn met deze kolommen gelezen"),
    "example": ("example", "example_row", "voorbeeldregel uit het sjabloon; niet gelezen"),
    "totals": ("totals", "totals_row", "totaalregel; niet als voorstel gelezen"),
    "withdrawn": ("withdrawn", "withdrawn_row", "de partner heeft dit voorstel ingetrokken of laten vervallen; niet meegeteld"),
    "subtotal": ("totals", "subtotal_row", "regel zonder titel die de regels erboven optelt; als subtotaal overgeslagen"),
    "note": ("note", "note_row", "opmerkingsregel, geen voorstel"),
    "detail": ("detail", "", ""),
}  # fmt: skip


def classify_row(table: _Table, row: _Row) -> str:
    """What one row is: a kind of _SKIPS, 'section', or 'proposal'. One question per line."""
    if not row.filled:
        return "blank"
    if row.row_no in table.sheet.hidden_rows:
        return "hidden"
    if _second_header(table, row) is not None:
        return "header"
    texts = [c for c, v in zip(row.cells, row.raw, strict=False) if c and isinstance(v, str)]
    if any(_EXAMPLE_RE.match(c) for c in texts):
        return "example"
    if _is_total_row(row.cells, row.raw, table.fields, table.reference):
        return "totals"
    if _section_theme(table, row) is not None:
        return "section"
    if row.row_no in table.sheet.struck_rows:
        return "withdrawn"
    if row_status(row.values, row.extra, table.words) == "withdrawn":
        return "withdrawn"
    if _is_cost_line(table, row):
        return "detail"
    if _sums_the_block(table, row) and not row.values.get("title"):
        return "subtotal"
    has_cost = any(row.values.get(f) for f in table.cost_fields)
    if not row.values.get("title") and not has_cost and (table.below_total or len(row.filled) == 1):
        return "note"
    return "proposal"


def _second_header(table: _Table, row: _Row) -> dict | None:
    """A second table on the sheet: a row that names the title column again and another field."""
    again = map_header(row.cells, table.reference)
    named_title = again.get(table.title_col, ("",))[0] == "title"
    return again if _is_header({f for f, _ in again.values()}) and named_title else None


def _section_theme(table: _Table, row: _Row) -> str | None:
    """'Thema: Opvang' or a theme's name alone in a row: the theme of the rows below ('' when the
    section names no known theme), else None."""
    distinct = _distinct_filled(row.raw)
    if len(distinct) != 1 or not isinstance(distinct[0], str) or len(distinct[0]) > 100:
        return None
    named = _theme_named(distinct[0], table.reference)
    return named if named or _SECTION_PREFIX.match(distinct[0]) else None


def _is_cost_line(table: _Table, row: _Row) -> bool:
    """A cost line of the proposal above it (structures.is_detail_row), with an amount."""
    return (
        bool(table.data)
        and table.data[-1]["source_sheet"] == table.sheet.name
        and is_detail_row(row.values, row.extra, table.words)
        and any(row.values.get(f) for f in table.cost_fields)
        and not row.values.get("summary")
    )


def _sums_the_block(table: _Table, row: _Row) -> bool:
    """The row's amount is the sum of two or more rows above it since the last (sub)total."""
    total = row.amount_total
    return (
        bool(row.numbers)
        and len(table.block) >= 2
        and abs(total - sum(table.block)) < 0.5
        and total > 0
    )


def _table_rows(
    sheet: Sheet, *, file: str, reference: Reference, file_stem: str
) -> tuple[list[dict], list[dict], list[Problem]]:
    """One sheet -> data rows, skipped rows (with reason) and problems."""
    texts = [
        [normalise_whitespace(cell_text(v)) if not isinstance(v, str) or "\n" not in v else v.strip() for v in row]
        for row in sheet.cells
    ]  # fmt: skip
    last = max((i for i, cells in enumerate(texts) if any(cells)), default=-1)
    if last < 0:
        return (
            [],
            [],
            [Problem("notice", file, "empty_sheet", "het blad is leeg; niets gelezen", sheet.name)],
        )
    trailing, texts = len(texts) - 1 - last, texts[: last + 1]
    header = _find_header(sheet, texts, reference)
    if header is None:
        return [], [], _no_table(sheet, texts, file)
    table = _Table(
        sheet, file, reference, workbook_words(reference),
        header, _org_hint([*(c for cells in texts[: header.row] for c in cells if c), file_stem, sheet.name], reference),
        _theme_named(sheet.name, reference) if sheet.name else "",
    )  # fmt: skip
    table.use_header(header)
    table.problems += _header_notices(table, trailing)
    for i in range(header.data_start, len(texts)):
        row = _row_at(table, i, texts)
        _READ[classify_row(table, row)](table, row, i)
    for row in table.data:
        if row.get("_item_columns"):
            table.problems += _settle_item_columns(table, row, row.pop("_item_columns"))
        if row.get("_details"):
            table.problems += settle_details(
                row, row.pop("_details"), table.cost_fields or ["cost"]
            )
    table.problems += _table_notices(table)
    return table.data, table.skipped, table.problems


def _no_table(sheet: Sheet, texts: list[list[str]], file: str) -> list[Problem]:
    first = next((c for c in texts[0] if c), "") if texts else ""
    if HELPER_SHEETS.get(sheet.name) == first:  # our own template's instructions and lists
        return []
    best = max(texts[:HEADER_SEARCH_ROWS], key=lambda cells: sum(bool(c) for c in cells))
    seen = ", ".join(repr(c) for c in best if c)[:300]
    return [
        Problem(
            "notice", file, "no_table",
            "geen herkenbare tabel: geen kopregel met een titelkolom en nog een bekende kolom in "
            f"de eerste {HEADER_SEARCH_ROWS} regels. Gevonden kolommen: {seen or 'geen'}. Voeg de "
            "kolomnamen van de partner toe aan data/reference/headers.yaml als dit een inzending is.",
            sheet.name,
        )
    ]  # fmt: skip


def _header_notices(table: _Table, trailing: int) -> list[Problem]:
    header, name = table.header, table.sheet.name
    out = []
    items = set(table.item_columns)  # read as cost lines beside the proposal
    if items:
        items |= {i for i, c in enumerate(header.cells) if match_key(c).startswith("totaal")}
    unused = [c for i, c in enumerate(header.cells) if c and i not in header.mapping.keys() | items]
    if unused:
        out.append(Problem("notice", table.file, "columns_unused", f"kolommen niet gebruikt: {', '.join(map(repr, unused))}", name, table.sheet.row_numbers[header.row]))  # fmt: skip
    if trailing > 0:
        out.append(Problem("notice", table.file, "trailing_blank_rows", f"{trailing} lege regels onder de tabel genegeerd", name))  # fmt: skip
    return out


def _table_notices(table: _Table) -> list[Problem]:
    out = []
    if not table.data:
        out.append(Problem("notice", table.file, "no_data_rows", "kopregel gevonden, maar geen gegevens eronder", table.sheet.name))  # fmt: skip
    if not table.cost_fields and not all(r.get("cost_scale") for r in table.data):
        out.append(Problem(
            "notice", table.file, "missing_cost_column",
            "geen kostenkolom gevonden (zoals 'Indicatieve kosten'); aanwezige kolommen: "
            + ", ".join(repr(c) for c in table.header.cells if c),
            table.sheet.name, table.sheet.row_numbers[table.header.row],
        ))  # fmt: skip
    return out


# --- what each kind of row does ---------------------------------------------------------------------


def _read_skip(table: _Table, row: _Row, i: int, kind: str) -> None:
    reason, code, message = _SKIPS[kind]
    value = (
        row.values.get("status") or row.values.get("title", "")
        if kind == "withdrawn"
        else row.shown
    )
    table.skip(row, reason, code, message, (row.filled[0] if kind == "note" else value))
    if kind in ("totals", "subtotal"):
        table.block = []
        table.below_total = table.below_total or kind == "totals"


def _read_header(table: _Table, row: _Row, i: int) -> None:
    again = _second_header(table, row)
    assert again is not None
    table.use_header(_Header(i, i + 1, list(row.cells), again))
    _read_skip(table, row, i, "header")


def _read_section(table: _Table, row: _Row, i: int) -> None:
    named = _section_theme(table, row) or ""
    table.section_theme, table.block = named, []
    table.skip(row, "section", "section_row",
               f"tussenkop; geldt als thema voor de regels eronder ({named or 'onbekend thema'})",
               _distinct_filled(row.raw)[0])  # fmt: skip


def _read_cost_line(table: _Table, row: _Row, i: int) -> None:
    """Keep the line with the proposal above; settle_details sums or checks them at the end."""
    label = row.values.get("title") or next(
        (v for v in row.extra.values() if _is_cost_item(v, table.words)), ""
    )
    first_cost = next(f for f in table.cost_fields if row.values.get(f))
    c, scale = table.fields[first_cost]
    number = float(row.raw[c]) * scale if c < len(row.raw) and _is_number(row.raw[c]) else None
    table.data[-1].setdefault("_details", []).append(
        {"label": label, "text": row.values[first_cost], "number": number, "row": row.row_no}
    )
    _read_skip(table, row, i, "detail")


def _read_proposal(table: _Table, row: _Row, i: int) -> None:
    flags: list[str] = []
    if _sums_the_block(table, row):
        flags.append("possible_subtotal")
        table.problems.append(Problem(
            "warning", table.file, "possible_subtotal",
            "het bedrag is gelijk aan de som van de regels erboven: is dit een subtotaal?",
            table.sheet.name, row.row_no, table.header.cells[table.fields[table.cost_fields[0]][0]],
            row.cells[table.title_col][:80],
        ))  # fmt: skip
    record = {**row.where, **{f: row.values.get(f, "") for f in FIELDS}}
    flags += _truncate_and_repair(table, row, record)
    record["organisation_hint"] = table.hint
    record["theme_hint"] = table.section_theme or table.sheet_theme
    record.update(_cost_cells(table, row))
    if row_status(row.values, row.extra, table.words) == "confidential":
        flags.append("confidential")
        table.problems.append(Problem("warning", table.file, "confidential", "door de partner als vertrouwelijk gemarkeerd; niet in de openbare bijlage", table.sheet.name, row.row_no, "Status", row.values.get("status", "")[:80]))  # fmt: skip
    record["ingest_flags"] = ";".join(dict.fromkeys(flags))
    _apply_structures(table, row, record)
    table.data.append(record)
    if row.numbers:
        table.block.append(row.amount_total)


def _truncate_and_repair(table: _Table, row: _Row, record: dict) -> list[str]:
    """Overlong text cut (said so); repaired characters named. Returns the flags raised."""
    flags = []
    for f in FIELDS:
        if len(record[f]) > MAX_TEXT_CHARS:
            table.problems.append(Problem(
                "warning", table.file, "value_truncated",
                f"tekst van {len(record[f]):,} tekens ingekort tot {MAX_TEXT_CHARS:,}".replace(",", "."),
                table.sheet.name, row.row_no, table.header.cells[table.fields[f][0]], record[f][:80],
            ))  # fmt: skip
            record[f] = record[f][:MAX_TEXT_CHARS]
    for j, before, after in ((j, b, a) for (ri, j, b, a) in table.sheet.repaired if ri == row.i):
        flags.append("text_repaired")
        table.problems.append(Problem("warning", table.file, "text_repaired", f"beschadigde tekens hersteld: {before[:60]!r} wordt {after[:60]!r}", table.sheet.name, row.row_no, table.column_name(j) if j < len(table.header.cells) else "", before[:80]))  # fmt: skip
    return flags


def _cost_cells(table: _Table, row: _Row) -> dict[str, str]:
    """The record of a proposal's cost cells: per cost field its unit (scale), column name and
    typed number, and the year columns as JSON."""
    fields, cells = table.fields, table.header.cells
    years = {f: row.values[f] for f in table.cost_fields if f.startswith("year:") and row.values[f]}
    named = [f for f in table.cost_fields if not f.startswith("year:")]
    out = {
        "cost_scale": ";".join(f"{f}={fields[f][1]:g}" for f in named)
        or ("cost=1" if years or table.cost_fields else ""),
        "cost_columns": ";".join(f"{f}={cells[fields[f][0]]}" for f in named)
        or ("cost=" + ", ".join(cells[fields[f][0]] for f in table.cost_fields)),
        "cost_values": ";".join(
            f"{f}={float(v)!r}" for f, v in row.numbers.items() if not f.startswith("year:")
        ),
        "cost_years": _years_cell(years, row.numbers, fields),
    }
    if years and not any(row.values.get(f) for f in table.reference.cost_fields):
        out["cost"] = "; ".join(f"{f[5:]}: {t}" for f, t in years.items())
    for f in table.cost_fields:
        c = fields[f][0]
        value = row.raw[c] if c < len(row.raw) else None
        if isinstance(value, dt.date | dt.datetime | dt.time | ErrorValue | Formula):
            out[f] = cell_text(value)  # the amount reader rejects these with the reason
    return out


def _apply_structures(table: _Table, row: _Row, record: dict) -> None:
    """Columns of their own that change the cost (structures.py), and the cells no field reads."""
    fields, raw = table.fields, row.raw
    raw_numbers = {
        f: float(raw[c]) * sc
        for f, (c, sc) in fields.items()
        if f in ("cost", "cost_total", "own_contribution") and c < len(raw) and _is_number(raw[c])
    }
    table.problems.extend(apply_cost_columns(record, raw_numbers, table.words))
    table.problems.extend(flag_cost_note(record))
    mapped = {c for c, _ in fields.values()}
    unread = {
        table.column_name(j): raw[j]
        for j in range(len(raw))
        if j not in mapped and raw[j] not in (None, "")
    }
    unused_years = [f for f in fields if f.startswith("year:") and f not in table.cost_fields]
    if unused_years and _years_make_the_total(raw, fields, unused_years, table.cost_fields):
        # a multi-year total beside its yearly columns: the years are read, never both
        in_years = {f: row.values[f] for f in unused_years if row.values[f]}
        record["cost_years"] = _years_cell(
            in_years, {f: raw[fields[f][0]] for f in in_years}, fields
        )
        unused_years = []
    for f in unused_years:  # 'Bedrag 2024 (oud)' beside the cost column
        c = fields[f][0]
        if c < len(raw) and raw[c] not in (None, ""):
            unread[table.header.cells[c]] = raw[c]
    named = [f for f in table.cost_fields if not f.startswith("year:")]
    if named:
        table.problems.extend(
            apply_unit_price(record, table.header.cells[fields[named[0]][0]], unread)
        )
    items = _cost_item_columns(table, row, unread)
    if items:
        record["_item_columns"] = items
    record["_unread"] = unread


def _cost_item_columns(table: _Table, row: _Row, unread: dict) -> dict | None:
    """Columns of cost items beside the proposal ('Personeelskosten', 'Materiële kosten',
    'Inhuur'): its cost lines written across instead of below. Each holds an amount; taken out of
    the unread cells, they are added up or checked against the row's own cost, or against a
    'Totaal' column beside them (which is then the row's cost)."""
    if not table.item_columns:
        return None
    across = {table.column_name(j) for j in table.item_columns}
    items = []
    for header, value in list(unread.items()):
        name, scale = header_unit_scale(header)
        if header not in across or match_key(name).startswith(("waarvan", "btw")):
            continue  # a part of another figure, or VAT: never added as a cost item of its own
        if not (_is_number(value) or re.search(r"€|\beur|\d{3}|mln|\bton\b", str(value), re.I)):
            continue
        number = float(value) * scale if _is_number(value) else None
        items.append(
            {"label": header, "text": cell_text(value), "number": number, "row": row.row_no}
        )
        del unread[header]
    if not items:
        return None
    total = next(
        (h for h in unread if match_key(h).startswith("totaal") and _is_number(unread[h])), None
    )
    if total is None or any(row.values.get(f) for f in table.cost_fields):
        return {"items": items, "total": None}  # beside a cost of its own, a total stays unread
    _, scale = header_unit_scale(total)
    value = unread.pop(total)
    return {
        "items": items,
        "total": {"label": total, "text": cell_text(value), "number": float(value) * scale},
    }


def _settle_item_columns(table: _Table, row: dict, found: dict) -> list[Problem]:
    """The cost from its item columns: checked against the row's own cost or its 'Totaal' column
    (which then is the cost), else their sum; into the structural or incidental field when every
    header says so ('per jaar', 'eenmalig')."""
    items, total = found["items"], found["total"]
    kinds = {_header_basis(d["label"], table.reference) for d in [*items, *filter(None, [total])]}
    target = kinds.pop() if len(kinds) == 1 and "" not in kinds else "cost"
    fields = [target, *(f for f in table.cost_fields if f != target and not f.startswith("year:"))]
    if total is not None and not any(row.get(f) for f in fields):
        row[target] = total["text"]
        row["cost_values"] = ";".join(
            filter(None, [row.get("cost_values", ""), f"{target}={total['number']!r}"])
        )
    columns = ", ".join(d["label"] for d in [*filter(None, [total]), *items])
    problems = settle_details(row, items, fields, across=True)
    if row.get(target) and f"{target}=" not in row.get("cost_scale", ""):
        row["cost_scale"] = ";".join(filter(None, [row.get("cost_scale", ""), f"{target}=1"]))
        named = {k: v for k, v in cell_pairs(row.get("cost_columns", "")).items() if v}
        row["cost_columns"] = ";".join(f"{k}={v}" for k, v in (named | {target: columns}).items())
    return problems


def _header_basis(header: str, reference: Reference) -> str:
    """'cost_structural' for 'Personeelskosten per jaar', 'cost_incidental' for 'Eenmalige
    inhuur', '' when the header names no period (the amount reader's words decide)."""
    from stmh_analysis.amounts.parse import _basis_keywords

    keywords, _, _ = _basis_keywords(header, reference.amount_words)
    if keywords & {"PERYEAR", "STRUCTURAL"} and not keywords & {"ONEOFF", "TEMPORARY"}:
        return "cost_structural"
    if keywords & {"ONEOFF"} and not keywords & {"PERYEAR", "STRUCTURAL"}:
        return "cost_incidental"
    return ""


_READ = {
    **{kind: (lambda t, r, i, k=kind: _read_skip(t, r, i, k)) for kind in _SKIPS},
    "header": _read_header,
    "section": _read_section,
    "detail": _read_cost_line,
    "proposal": _read_proposal,
}


def _years_make_the_total(
    raw: list, fields: dict[str, tuple[int, float]], years: list[str], cost_fields: list[str]
) -> bool:
    """The yearly columns of a row add up to its total column (both typed as numbers)."""

    def number(f: str) -> float | None:
        c, scale = fields[f]
        v = raw[c] if c < len(raw) else None
        return float(v) * scale if _is_number(v) else None

    named = [number(f) for f in cost_fields if not f.startswith("year:")]
    yearly = [number(f) for f in years]
    if len(named) != 1 or named[0] is None or not any(y is not None for y in yearly):
        return False
    return abs(sum(y for y in yearly if y is not None) - named[0]) <= 0.5


def _years_cell(years: dict[str, str], numbers: dict, fields: dict[str, tuple[int, float]]) -> str:
    """Year columns of one row as JSON: {"2025": {"number": 1.5, "scale": 1000}} or {"text": ...}."""
    if not years:
        return ""
    out = {}
    for f, text in years.items():
        scale = fields[f][1]
        out[f[5:]] = (
            {"number": float(numbers[f]), "scale": scale}
            if f in numbers
            else {"text": text, "scale": scale}
        )
    return json.dumps(out, ensure_ascii=False, sort_keys=True)


def read_workbook(
    path: Path, reference: Reference, name: str | None = None
) -> tuple[list[dict], list[dict], list[Problem], bool]:
    """Every visible sheet of one file. Returns rows, skipped, problems and whether it could be read."""
    file = name or path.name
    result = read_file(path, reference.limits)
    if result.error_code:
        message = f"bestand niet gelezen: {result.error_message}"
        return [], [], [Problem("error", file, result.error_code, message)], False
    problems = _file_notices(result, file)
    rows: list[dict] = []
    skipped: list[dict] = []
    budget_lines: dict[str, list[dict]] = {}
    for sheet in (s for s in result.sheets if not s.hidden):
        lines = read_budget_sheet(sheet, reference)
        if lines is not None:  # cost lines keyed by proposal number, on a sheet of their own
            for line in lines:
                budget_lines.setdefault(line["key"], []).append(line)
                skipped.append({"source_file": file, "source_sheet": sheet.name,
                                "source_row": line["row"], "reason": "detail"})  # fmt: skip
            problems.append(Problem("notice", file, "budget_sheet",
                                    f"begrotingsblad: {len(lines)} kostenregels bij de voorstellen met hetzelfde nummer gelezen",
                                    sheet.name))  # fmt: skip
            continue
        if any("\ufffd" in c for row in sheet.cells for c in row if isinstance(c, str)):
            problems.append(
                Problem("warning", file, "encoding_damaged", "het bestand bevat beschadigde tekens (\ufffd); controleer de accenten", sheet.name)
            )  # fmt: skip
        d, s, p = _table_rows(sheet, file=file, reference=reference, file_stem=path.stem)
        rows += d
        skipped += s
        problems += p
    rows, more_skipped, more_problems = _across_sheets(rows, budget_lines, file, reference)
    return rows, skipped + more_skipped, problems + more_problems, True


def _file_notices(result, file: str) -> list[Problem]:
    """What the reader says of the file as a whole: a guessed encoding, each hidden sheet."""
    problems = []
    if result.encoding == "latin-1":
        problems.append(
            Problem(
                "warning", file, "encoding_guessed", "tekenset niet herkend; gelezen als Latin-1"
            )
        )
    for sheet in result.sheets:
        if sheet.hidden:
            problems.append(
                Problem("notice", file, "hidden_sheet", "verborgen blad; niet gelezen (maak het blad zichtbaar als het meetelt)", sheet.name)
            )  # fmt: skip
    return problems


def _across_sheets(
    rows: list[dict], budget_lines: dict[str, list[dict]], file: str, reference: Reference
) -> tuple[list[dict], list[dict], list[Problem]]:
    """What is decided over all sheets of a file: budget lines onto their proposals, year rows
    joined, copies of a sheet dropped, and per sheet the columns no field used."""
    problems = _apply_budget_lines(rows, budget_lines, file)
    rows, year_rows, year_problems = _join_year_rows(rows, file)
    rows, copied, copy_problems = _drop_copy_sheets(rows, file, workbook_words(reference))
    problems += year_problems + copy_problems
    for sheet_name in dict.fromkeys(r["source_sheet"] for r in rows):
        mine = [r for r in rows if r["source_sheet"] == sheet_name]
        problems += flag_unread_columns(mine, file, sheet_name)
    for r in rows:
        r.pop("_unread", None)
    return rows, year_rows + copied, problems


def read_budget_sheet(sheet: Sheet, reference: Reference) -> list[dict] | None:
    """A sheet of cost lines keyed by proposal number ('Nr | Kostenpost | Bedrag'), without a
    title column: its lines, or None when the sheet is not one."""

    def text_of(i: int) -> list[str]:
        return [normalise_whitespace(cell_text(v)) for v in sheet.cells[i]]

    for r in range(min(HEADER_SEARCH_ROWS, len(sheet.cells))):
        cells = text_of(r)
        mapping = map_header(cells, reference)
        fields = {f: (c, sc) for c, (f, sc) in mapping.items()}
        costs = [f for f in reference.cost_fields if f in fields]
        if "number" not in fields or "title" in fields or not costs:
            continue
        key_col, (cost_col, scale) = fields["number"][0], fields[costs[0]]
        label_cols = [j for j in range(len(cells)) if j not in mapping and cells[j]]
        lines = []
        for i in range(r + 1, len(sheet.cells)):
            raw, row = sheet.cells[i], text_of(i)
            key = match_key(row[key_col]) if key_col < len(row) else ""
            text = row[cost_col] if cost_col < len(row) else ""
            if not key or not text or _TOTAL_RE.match(row[key_col]):
                continue
            value = raw[cost_col] if cost_col < len(raw) else None
            lines.append({
                "key": key.removesuffix(".0"), "row": sheet.row_numbers[i], "text": text,
                "sheet": sheet.name,
                "number": float(value) * scale if _is_number(value) else None,
                "label": " ".join(row[j] for j in label_cols if j < len(row) and row[j]),
            })  # fmt: skip
        return lines
    return None


def _apply_budget_lines(rows: list[dict], lines: dict[str, list[dict]], file: str) -> list[Problem]:
    """Each proposal's cost lines from the budget sheet, by its number; lines whose number no
    proposal has are named, never dropped silently."""
    problems: list[Problem] = []
    used = set()
    for row in rows:
        key = match_key(row.get("number", "")).removesuffix(".0")
        if not key or key not in lines:
            continue
        used.add(key)
        row["cost_scale"] = row["cost_scale"] or "cost=1"
        row["cost_columns"] = row["cost_columns"] or "cost=begrotingsblad"
        problems += settle_details(row, lines[key], ["cost"])
    for key in sorted(set(lines) - used):
        for line in lines[key]:
            problems.append(Problem("warning", file, "budget_line_unmatched",
                                    f"kostenregel bij voorstelnummer {key!r}, maar geen voorstel heeft dat nummer; niet meegeteld",
                                    line["sheet"], line["row"], "Nr", line["text"][:80]))  # fmt: skip
    return problems


def _join_year_rows(rows: list[dict], file: str) -> tuple[list[dict], list[dict], list[Problem]]:
    """One row per proposal per year ('Jaar' column): the rows of one organisation's title on a
    sheet are one proposal whose amounts stand per year, as in year columns."""
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        year = year_of(r.get("year", ""))
        if year is not None:
            key = (r["source_sheet"], match_key(r["organisation"]), match_key(r["title"]))
            groups.setdefault(key, []).append(r)
    joined, skipped, problems = set(), [], []
    for members in groups.values():
        years = [year_of(m["year"]) for m in members]
        first = members[0]
        if len(members) == 1:
            first["duration"] = f"{first['duration']} {years[0]}".strip()
            continue
        if len(set(years)) != len(years):
            continue  # two rows for one year: left to the duplicate check, which flags them
        by_year = {}
        for m, y in zip(members, years, strict=True):
            values = cell_pairs(m["cost_values"])
            scales = cell_pairs(m["cost_scale"])
            field = next(
                (f for f in ("cost", "cost_structural", "cost_incidental") if m.get(f)), "cost"
            )
            scale = float(scales.get(field, 1))
            by_year[str(y)] = (
                {"number": float(values[field]), "scale": scale}
                if field in values
                else {"text": m.get(field, ""), "scale": scale}
            )
        first["cost_years"] = json.dumps(by_year, ensure_ascii=False, sort_keys=True)
        for m in members[1:]:
            joined.add(id(m))
            skipped.append(
                {k: m[k] for k in ("source_file", "source_sheet", "source_row")}
                | {"reason": "detail"}
            )
        problems.append(Problem("notice", file, "year_rows",
                                f"{len(members)} regels met jaren {min(years)}–{max(years)} gelezen als één voorstel met bedragen per jaar",
                                first["source_sheet"], first["source_row"], "Jaar", first["title"][:80]))  # fmt: skip
    return [r for r in rows if id(r) not in joined], skipped, problems


def _drop_copy_sheets(
    rows: list[dict], file: str, words: WorkbookWords
) -> tuple[list[dict], list[dict], list[Problem]]:
    """An overview sheet that repeats the other sheets is a copy: its rows that stand on the
    other sheets are skipped (named), the rest are kept and flagged."""
    by_sheet: dict[str, list[dict]] = {}
    for r in rows:
        by_sheet.setdefault(r["source_sheet"], []).append(r)
    copies = copy_sheets(by_sheet, words)
    if not copies:
        return rows, [], []
    problems, skipped, kept = [], [], []
    for sheet, sources in copies.items():
        problems.append(Problem("notice", file, "copy_sheet",
                                f"overzichtsblad: herhaalt de bladen {', '.join(map(repr, sources))}; de regels die daar staan zijn niet dubbel gelezen",
                                sheet))  # fmt: skip
    elsewhere = {
        match_key(r["title"]) for r in rows if r["source_sheet"] not in copies and r["title"]
    }
    for r in rows:
        if r["source_sheet"] in copies and match_key(r["title"]) in elsewhere:
            skipped.append(
                {k: r[k] for k in ("source_file", "source_sheet", "source_row")}
                | {"reason": "copy"}
            )
        else:
            if r["source_sheet"] in copies:
                problems.append(Problem("warning", file, "only_in_overview",
                                        "dit voorstel staat alleen op het overzichtsblad, niet op een blad van een partner",
                                        r["source_sheet"], r["source_row"], "Titel voorstel", r["title"][:80]))  # fmt: skip
            kept.append(r)
    return kept, skipped, problems


# --- versions of one partner's file ------------------------------------------------------------------

_VERSION_WORDS = re.compile(
    r"\b(?:definitief|def|final|herzien|gecorrigeerd|correctie|update|nieuw|aangepast)\b", re.I
)
_VERSION_NO = re.compile(r"(?:\bv|versie\s*|version\s*|_v)(\d{1,3})\b", re.I)
_NAME_DATE = re.compile(
    r"(20\d\d)[-_.]?(0[1-9]|1[0-2])[-_.]?([0-2]\d|3[01])|([0-2]\d|3[01])[-_.](0[1-9]|1[0-2])[-_.](20\d\d)"
)


def version_key(path: Path) -> tuple:
    """How new a file says it is: a date in its name, then a version number or word, then its
    modification time. Larger is newer."""
    stem = path.stem.replace("_", " ")
    m = _NAME_DATE.search(path.stem)
    date = ""
    if m:
        date = "".join(m.group(1, 2, 3)) if m.group(1) else "".join(m.group(6, 5, 4))
    number = max((int(n) for n in _VERSION_NO.findall(stem)), default=0)
    word = 1 if _VERSION_WORDS.search(stem) else 0
    return (date, number, word, path.stat().st_mtime)


def supersede_versions(
    rows: list[dict], paths: dict[str, Path], reference: Reference
) -> tuple[list[dict], list[dict], list[Problem]]:
    """One partner's older file beside a newer one holding the same proposals gives way to it.

    Files are versions of each other when they share an organisation and at least half of the
    smaller file's proposal titles. When the newer file holds at least half of the older one's
    proposals it is a full resubmission: every row of the older file gives way. Otherwise it is a
    partial correction: only the proposals it repeats give way.
    """
    keys: dict[str, set[tuple[str, str]]] = {}
    for r in rows:
        org = (
            reference.org_aliases.get(match_key(r["organisation"]))
            or r["organisation_hint"]
            or match_key(r["organisation"])
        )
        keys.setdefault(r["source_file"], set()).add((org, match_key(r["title"])))
    files = sorted(keys, key=lambda f: version_key(paths[f]))
    dropped_files: dict[str, str] = {}
    dropped_keys: dict[tuple[str, tuple[str, str]], str] = {}
    problems: list[Problem] = []
    for i, old in enumerate(files):
        for new in files[i + 1 :]:
            common = keys[old] & keys[new]
            if not common or len(common) < 0.5 * min(len(keys[old]), len(keys[new])):
                continue
            if len(common) >= 0.5 * len(keys[old]):
                dropped_files.setdefault(old, new)
            else:
                for k in common:
                    dropped_keys.setdefault((old, k), new)
            problems.append(
                Problem(
                    "warning", old, "superseded_version",
                    f"oudere versie van {new} (zelfde partner, {len(common)} dezelfde voorstellen); "
                    f"{new} is gebruikt" + ("" if old in dropped_files else " voor die voorstellen"),
                )
            )  # fmt: skip
    kept: list[dict] = []
    skipped: list[dict] = []
    for r in rows:
        org = (
            reference.org_aliases.get(match_key(r["organisation"]))
            or r["organisation_hint"]
            or match_key(r["organisation"])
        )
        newer = dropped_files.get(r["source_file"]) or dropped_keys.get(
            (r["source_file"], (org, match_key(r["title"])))
        )
        if newer:
            skipped.append(
                {k: r[k] for k in ("source_file", "source_sheet", "source_row")}
                | {"reason": "superseded"}
            )
        else:
            kept.append(r)
    return kept, skipped, problems


# --- the raw folder ----------------------------------------------------------------------------------


def submission_files(raw_dir: Path) -> list[Path]:
    """Every raw input of the folder (paths.is_raw_input), sorted by name."""
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"map met ruwe bestanden niet gevonden: {raw_dir}")
    return raw_inputs(raw_dir)


def linked_files(raw_dir: Path) -> list[Path]:
    """Symbolic links in the raw folder: reported, never followed."""
    return sorted(p for p in raw_dir.iterdir() if p.is_symlink())


def is_decisions_file(path: Path) -> bool:
    """data/raw/beoordelingen.xlsx (.csv, .ods): the analyst's decisions, not a submission."""
    return (
        path.stem.lower().startswith(DECISIONS_STEM) and path.suffix.lower() in SUBMISSION_SUFFIXES
    )


def is_appraisal_file(path: Path) -> bool:
    return (
        path.stem.lower().startswith(APPRAISAL_STEM) and path.suffix.lower() in SUBMISSION_SUFFIXES
    )


def _within_time(name: str, seconds: float, read: tuple, limit: float) -> tuple:
    """A file that took longer to read than `limit` seconds is an error naming it and the limit,
    its rows unused (the size limits bound how long reading can take; this names the file)."""
    if seconds <= limit:
        return read
    message = (
        f"het lezen duurde {seconds:.0f} s, langer dan de grens van {limit:g} s "
        "(settings.yaml: limits.seconds); de voorstellen erin zijn niet meegeteld"
    )
    return [], [], [Problem("error", name, "over_limit", message)], False


def read_submissions(raw_dir: Path, reference: Reference) -> Submissions:
    """All submissions in `raw_dir` (never written to). The appraisal file is left to read_appraisals."""
    rows: list[dict] = []
    skipped: list[dict] = []
    problems: list[Problem] = []
    files: list[dict] = []
    paths: dict[str, Path] = {}
    seen_hashes: dict[str, str] = {}
    for link in linked_files(raw_dir):
        problems.append(
            Problem("error", link.name, "linked_file", "een koppeling (symbolische link) naar een ander bestand; niet gevolgd en niet gelezen")
        )  # fmt: skip
    for path in submission_files(raw_dir):
        digest = sha256_file(path)
        role, refusal = _file_role(path, digest, seen_hashes)
        info = {"file": path.name, "sha256": digest, "bytes": path.stat().st_size, "role": role}
        files.append(info | {"read": False})
        if role != "submission" or refusal is not None:
            problems += [refusal] if refusal else []
            continue
        seen_hashes[digest] = path.name
        paths[path.name] = path
        d, s, p, readable = _read_in_time(path, reference)
        files[-1]["read"] = readable and bool(d or s)
        rows += d
        skipped += s
        problems += p
    rows, superseded, version_problems = supersede_versions(rows, paths, reference)
    return Submissions(
        _submission_frame(rows),
        pd.DataFrame(
            skipped + superseded, columns=["source_file", "source_sheet", "source_row", "reason"]
        ),
        version_problems + problems,
        pd.DataFrame(files),
    )


def _file_role(path: Path, digest: str, seen_hashes: dict[str, str]) -> tuple[str, Problem | None]:
    """What a file in the raw folder is (a submission, the appraisals, the analyst's decisions)
    and, for a submission that will not be read, why: not a table, or a copy of another file."""
    if is_appraisal_file(path):
        return "appraisals", None
    if is_decisions_file(path):
        return "decisions", None  # the analyst's review, read by review.read_decisions
    suffix = path.suffix.lower()
    if suffix not in SUBMISSION_SUFFIXES:
        return "submission", Problem("error", path.name, "not_a_submission", f"'{suffix or 'geen extensie'}' is geen tabel die de run kan lezen (leesbaar: {ACCEPTED_FORMATS}); de voorstellen erin zijn niet meegeteld")  # fmt: skip
    if digest in seen_hashes:
        message = f"zelfde inhoud als {seen_hashes[digest]}; niet dubbel gelezen"
        return "submission", Problem("notice", path.name, "duplicate_file", message)
    return "submission", None


def _read_in_time(path: Path, reference: Reference) -> tuple[list, list, list, bool]:
    """One submission file read (within the time limit); a readable file without a table of
    proposals is an error, so its proposals are not silently missing."""
    started = time.perf_counter()
    d, s, p, readable = read_workbook(path, reference)
    d, s, p, readable = _within_time(
        path.name, time.perf_counter() - started, (d, s, p, readable), reference.limits.seconds
    )
    if readable and not (d or s) and path.stat().st_size > 0:
        p.append(
            Problem("error", path.name, "no_table_in_file", "geen tabel met voorstellen herkend in dit bestand; de voorstellen erin zijn niet meegeteld")
        )  # fmt: skip
    return d, s, p, readable


def _submission_frame(rows: list[dict]) -> pd.DataFrame:
    """The rows read, as the submissions table: text columns as strings, the row number an int."""
    frame = pd.DataFrame(rows, columns=SUBMISSION_COLUMNS)
    for col in SUBMISSION_COLUMNS:
        if col != "source_row":
            frame[col] = frame[col].fillna("").astype("string")
    frame["source_row"] = frame["source_row"].astype("int64")
    return frame


# --- the analysts' appraisals --------------------------------------------------------------------------

APPRAISAL_FIELDS = {
    "proposal_id": "proposal_id",
    "proposal id": "proposal_id",
    "id": "proposal_id",
    "organisatie": "organisation",
    "organisation": "organisation",
    "titel voorstel": "title",
    "titel": "title",
    "voorstel": "title",
    "title": "title",
    "appreciatie": "appraisal",
    "appraisal": "appraisal",
    "oordeel": "appraisal",
    "toelichting": "appraisal_note",
    "toelichting appreciatie": "appraisal_note",
    "note": "appraisal_note",
}


APPRAISAL_COLUMNS = [
    "source_file", "source_row", "proposal_id", "organisation", "title", "appraisal",
    "appraisal_note",
]  # fmt: skip


def read_appraisals(raw_dir: Path) -> tuple[pd.DataFrame, list[Problem]]:
    """The analysts' appraisal file (appreciaties.csv, .xlsx or .ods), if there is one."""
    found = [p for p in submission_files(raw_dir) if is_appraisal_file(p)]
    if not found:
        return pd.DataFrame(columns=APPRAISAL_COLUMNS).astype("string"), []
    problems: list[Problem] = []
    if len(found) > 1:
        problems.append(
            Problem("warning", found[1].name, "appraisal_file_ignored", f"meer dan één appreciatiebestand; alleen {found[0].name} is gebruikt")
        )  # fmt: skip
    path = found[0]
    result = read_file(path)
    visible = [s for s in result.sheets if not s.hidden]
    if result.error_code or not visible:
        return pd.DataFrame(columns=APPRAISAL_COLUMNS), [
            *problems,
            Problem("error", path.name, result.error_code or "unreadable_file", f"appreciatiebestand niet gelezen: {result.error_message}"),
        ]  # fmt: skip
    grid = [[normalise_whitespace(cell_text(v)) for v in row] for row in visible[0].cells]
    header_at = next(
        (
            i
            for i, row in enumerate(grid[:HEADER_SEARCH_ROWS])
            if "appraisal" in {APPRAISAL_FIELDS.get(match_key(c)) for c in row}
        ),
        None,
    )
    if header_at is None:
        message = "het appreciatiebestand heeft geen kolom 'Appreciatie'; niet gebruikt"
        return pd.DataFrame(columns=APPRAISAL_COLUMNS), [
            *problems,
            Problem("notice", path.name, "no_table", message),
        ]
    records = _appraisal_records(path.name, visible[0].row_numbers, grid, header_at)
    return pd.DataFrame(records, columns=APPRAISAL_COLUMNS), problems


def _appraisal_records(file: str, row_numbers: list[int], grid: list[list[str]], header_at: int):
    """One record per filled row under the header, each field from the first column its header
    names (an unnamed field is empty)."""
    index: dict[str, int] = {}
    for i, c in enumerate(grid[header_at]):
        f = APPRAISAL_FIELDS.get(match_key(c))
        if f and f not in index:
            index[f] = i
    records = []
    for row_no, row in zip(row_numbers[header_at + 1 :], grid[header_at + 1 :], strict=True):
        if not any(row):
            continue
        rec = {"source_file": file, "source_row": row_no}
        for f in APPRAISAL_COLUMNS[2:]:
            i = index.get(f)
            rec[f] = row[i] if i is not None and i < len(row) else ""
        records.append(rec)
    return records
