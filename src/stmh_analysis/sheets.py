"""Raw files -> typed grids. Every spreadsheet and text format partners send, read one way.

A `Sheet` keeps each cell for what it is: a number stays a number (never re-read as text), a
date is a date, an Excel error (`#REF!`) and a formula without a stored value are marked as
such, text is text with mojibake repaired (ftfy) and noted. Hidden sheets and hidden rows are
known, and merged ranges are filled from their top-left cell (and remembered, for two-row
headers).

Formats: `.xlsx`/`.xlsm` through openpyxl (it knows hidden rows, error cells and formulas;
calamine does not), `.xls`, `.ods` and `.xlsb` through python-calamine, `.csv` and `.txt` in
UTF-8 (with or without BOM), UTF-16 and Windows-1252, separated by `;`, `,` or tabs.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from stmh_analysis.limits import Limits

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".xlsb")
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")
_EXCEL_ERRORS = re.compile(
    r"^#(?:REF!|N/?A|VALUE!|DIV/0!|NAME\?|NUM!|NULL!|GETTING_DATA|SPILL!|CALC!)$", re.I
)


@dataclass(frozen=True)
class ErrorValue:
    """An Excel error in a cell, such as `#REF!`."""

    code: str

    def __str__(self) -> str:
        return self.code


@dataclass(frozen=True)
class Formula:
    """A formula whose value was never stored (the file was not recalculated before saving)."""

    text: str

    def __str__(self) -> str:
        return self.text


Cell = str | int | float | bool | dt.date | dt.datetime | dt.time | ErrorValue | Formula | None


@dataclass
class Sheet:
    """One sheet as a grid of typed cells. Row i of `cells` is spreadsheet row `row_numbers[i]`."""

    name: str
    cells: list[list[Cell]]
    row_numbers: list[int]
    hidden: bool = False
    hidden_rows: set[int] = field(default_factory=set)  # spreadsheet row numbers
    merged_from: dict[tuple[int, int], tuple[int, int]] = field(
        default_factory=dict
    )  # (i, j) -> top-left
    repaired: list[tuple[int, int, str, str]] = field(default_factory=list)  # (i, j, before, after)
    struck_rows: set[int] = field(default_factory=set)  # rows whose text is all struck through


@dataclass
class ReadResult:
    """What one file gave: its sheets, or why it could not be read at all."""

    sheets: list[Sheet]
    error_code: str = ""  # set when the file could not be read at all
    error_message: str = ""
    encoding: str = ""


class UnreadableFile(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


# --- text -------------------------------------------------------------------------------------------


def repair_text(text: str) -> str:
    """Undo mojibake (UTF-8 read as Windows-1252, once or twice): 'CoÃ¶rdinatie' -> 'Coördinatie'."""
    if text.isascii():
        return text
    import ftfy

    return ftfy.fix_encoding(text)


def _typed(value: object) -> Cell:
    """A value from a reader -> Cell. Strings that are Excel errors or formulas are marked."""
    if isinstance(value, str):
        text = value.strip()
        if _EXCEL_ERRORS.match(text):
            return ErrorValue(text.upper())
        if text.startswith("=") and len(text) > 1:
            return Formula(text)
        return text
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, dt.timedelta):
        return str(value)
    return value  # type: ignore[return-value]


def _finish(sheet: Sheet) -> Sheet:
    """Repair mojibake in every text cell, remembering what changed."""
    for i, row in enumerate(sheet.cells):
        for j, value in enumerate(row):
            if isinstance(value, str) and _CONTROL.search(value):
                row[j] = _CONTROL.sub("", value)  # a bell or escape from a pasted terminal text
                sheet.repaired.append((i, j, value, row[j]))
                value = row[j]
            if isinstance(value, str) and not value.isascii():
                fixed = repair_text(value)
                if fixed != value:
                    row[j] = fixed
                    sheet.repaired.append((i, j, value, fixed))
    return sheet


# --- spreadsheets -----------------------------------------------------------------------------------


def _read_openpyxl(path: Path) -> list[Sheet]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(path, data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise UnreadableFile("unreadable_file", f"{type(exc).__name__}: {exc}") from exc
    cached = None
    sheets = []
    for ws in wb.worksheets:
        merged: dict[tuple[int, int], tuple[int, int]] = {}
        for rng in ws.merged_cells.ranges:
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    if (r, c) != (rng.min_row, rng.min_col):
                        merged[(r - 1, c - 1)] = (rng.min_row - 1, rng.min_col - 1)
        cells: list[list[Cell]] = []
        struck: set[int] = set()
        for r_idx, row in enumerate(ws.iter_rows(), start=1):
            out: list[Cell] = []
            texts = [c for c in row if isinstance(c.value, str) and c.value.strip()]
            if texts and all(c.font is not None and c.font.strike for c in texts):
                struck.add(r_idx)  # a partner strikes a withdrawn proposal through
            for c_idx, value in enumerate((c.value for c in row), start=1):
                cell = _typed(value)
                if isinstance(cell, Formula):
                    if cached is None:
                        cached = load_workbook(path, data_only=True)
                    stored = cached[ws.title].cell(r_idx, c_idx).value
                    cell = _typed(stored) if stored is not None else cell
                out.append(cell)
            cells.append(out)
        for (i, j), (i0, j0) in merged.items():
            if i < len(cells) and i0 < len(cells):
                row = cells[i]
                while len(row) <= j:
                    row.append(None)
                top = cells[i0][j0] if j0 < len(cells[i0]) else None
                if row[j] in (None, ""):
                    row[j] = top
        hidden_rows = {r for r, dim in ws.row_dimensions.items() if dim.hidden}
        sheets.append(
            _finish(
                Sheet(
                    name=ws.title,
                    cells=cells,
                    row_numbers=list(range(1, len(cells) + 1)),
                    hidden=ws.sheet_state != "visible",
                    hidden_rows=hidden_rows,
                    merged_from=merged,
                    struck_rows=struck,
                )
            )
        )
    return sheets


def _read_calamine(path: Path) -> list[Sheet]:
    import python_calamine as pc

    try:
        wb = pc.CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own kinds and ValueError on damaged files
        raise UnreadableFile("unreadable_file", f"{type(exc).__name__}: {exc}") from exc
    sheets = []
    for meta in wb.sheets_metadata:
        if meta.typ != pc.SheetTypeEnum.WorkSheet:
            continue  # chart and macro sheets hold no table
        try:
            sheet = wb.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=False)
        except Exception as exc:
            raise UnreadableFile("unreadable_file", f"{type(exc).__name__}: {exc}") from exc
        cells = [[_typed(v if v != "" else None) for v in row] for row in rows]
        merged: dict[tuple[int, int], tuple[int, int]] = {}
        for (r0, c0), (r1, c1) in getattr(sheet, "merged_cell_ranges", None) or []:
            for r in range(r0, r1 + 1):
                for c in range(c0, c1 + 1):
                    if (r, c) != (r0, c0):
                        merged[(r, c)] = (r0, c0)
                        if r < len(cells) and c < len(cells[r]) and cells[r][c] is None:
                            cells[r][c] = cells[r0][c0] if c0 < len(cells[r0]) else None
        sheets.append(
            _finish(
                Sheet(
                    name=meta.name,
                    cells=cells,
                    row_numbers=list(range(1, len(cells) + 1)),
                    hidden=meta.visible != pc.SheetVisibleEnum.Visible,
                    merged_from=merged,
                )
            )
        )
    return sheets


# --- text files ------------------------------------------------------------------------------------


def decode_text(raw: bytes) -> tuple[str, str]:
    """Bytes of a text file -> (text, encoding): UTF-8 with or without BOM, UTF-16 (with a BOM or
    recognised by its zero bytes), else Windows-1252, else Latin-1."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace"), "utf-16"
    head = raw[:4096]
    if len(head) >= 4 and head.count(b"\x00") >= len(head) // 4:
        # UTF-16 without a BOM: every other byte of ASCII text is zero
        even_zeros = head[0::2].count(b"\x00")
        odd_zeros = head[1::2].count(b"\x00")
        codec = "utf-16-le" if odd_zeros > even_zeros else "utf-16-be"
        return raw.decode(codec, errors="replace"), codec
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"


def sniff_delimiter(text: str) -> str:
    lines = [ln for ln in text.splitlines()[:40] if ln.strip()]
    sample = "\n".join(lines)
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in ";,\t"}
        return max(counts, key=lambda d: counts[d])


def _read_text(path: Path, limits: Limits | None = None) -> tuple[list[Sheet], str]:
    raw = path.read_bytes()
    if not raw.strip():
        raise UnreadableFile("empty_file", "het bestand is leeg")
    limit = (limits or Limits()).line_chars
    longest = max((len(line) for line in raw.splitlines()), default=0)
    if longest > limit:
        raise UnreadableFile(
            "over_limit",
            f"een regel van {longest:,} tekens, meer dan de grens van {limit:,} (settings.yaml: "
            "limits); niet gelezen als tabel".replace(",", "."),
        )
    start = raw[:1024].lstrip().lower()
    if start.startswith((b"<!doctype", b"<html", b"<?xml", b"<table")) or b"<html" in start:
        raise UnreadableFile(
            "not_csv",
            "het bestand is een webpagina of XML, geen CSV (opgeslagen uit een browser of mail?); "
            "vraag de partner om het rekenblad zelf",
        )
    if start.startswith(b"pk\x03\x04"):
        raise UnreadableFile(
            "not_csv",
            "het bestand is een Excel-werkmap met de verkeerde extensie; hernoem naar .xlsx",
        )
    text, encoding = decode_text(raw)
    if "\x00" in text[:4096]:
        raise UnreadableFile("not_csv", "het bestand bevat binaire gegevens, geen tekst")
    delimiter = sniff_delimiter(text)
    try:
        with _long_csv_fields():
            grid = [
                [_typed(c) for c in row]
                for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
            ]
    except csv.Error as exc:
        raise UnreadableFile("unreadable_file", f"niet te lezen als CSV: {exc}") from exc
    sheet = Sheet(name="", cells=grid, row_numbers=list(range(1, len(grid) + 1)))
    return [_finish(sheet)], encoding


@contextlib.contextmanager
def _long_csv_fields(limit: int = 10_000_000):
    """A cell may hold a long text (a pasted memo): the csv module's 128 kB limit is raised while
    this file is read, and put back after, so no other reader in the process is changed."""
    before = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(before)


def check_limits(path: Path, limits: Limits) -> None:
    """Raise UnreadableFile when `path` is over a limit; reads no more than the zip directory."""
    size = path.stat().st_size
    if size > limits.file_mb * 1e6:
        raise UnreadableFile(
            "over_limit",
            f"het bestand is {size / 1e6:.0f} MB, meer dan de grens van {limits.file_mb:g} MB voor "
            "één inzending (settings.yaml: limits); niet gelezen",
        )
    if path.suffix.lower() in (".xlsx", ".xlsm", ".ods", ".xlsb") and zipfile.is_zipfile(path):
        try:
            with zipfile.ZipFile(path) as z:
                parts = z.infolist()
        except (zipfile.BadZipFile, OSError) as exc:
            raise UnreadableFile("unreadable_file", f"beschadigde werkmap: {exc}") from exc
        unpacked = sum(p.file_size for p in parts)
        blown = [
            p for p in parts
            if p.file_size > 10e6 and p.file_size > limits.ratio * max(p.compress_size, 1)
        ]  # fmt: skip
        if unpacked > limits.unpacked_mb * 1e6 or blown:
            raise UnreadableFile(
                "over_limit",
                f"de werkmap pakt uit tot {unpacked / 1e6:.0f} MB"
                + (f" ({blown[0].filename} {blown[0].file_size / max(blown[0].compress_size, 1):.0f}× groter dan ingepakt)" if blown else "")
                + f", meer dan de grens van {limits.unpacked_mb:g} MB of {limits.ratio:g}× (settings.yaml: limits); "
                "niet gelezen: vraag de partner om een gewone werkmap",
            )  # fmt: skip


def _check_cells(sheets: list[Sheet], limits: Limits) -> None:
    cells = sum(len(row) for sheet in sheets for row in sheet.cells)
    if cells > limits.cells:
        raise UnreadableFile(
            "over_limit",
            f"{cells:,} cellen, meer dan de grens van {limits.cells:,} (settings.yaml: limits); "
            "niet gelezen".replace(",", "."),
        )


def read_file(path: Path, limits: Limits | None = None) -> ReadResult:
    """Every sheet of one file, or the reason it cannot be read at all (never raises for bad input)."""
    suffix = path.suffix.lower()
    limits = limits or Limits()
    try:
        check_limits(path, limits)
        if suffix in TEXT_SUFFIXES:
            sheets, encoding = _read_text(path, limits)
            _check_cells(sheets, limits)
            return ReadResult(sheets, encoding=encoding)
        head = path.read_bytes()[:8]
        if suffix in (".xlsx", ".xlsm"):
            if head.startswith(b"\xd0\xcf\x11\xe0"):
                raise UnreadableFile(
                    "encrypted_or_xls",
                    "de werkmap is met een wachtwoord beveiligd (of een oud .xls-bestand met de "
                    "extensie .xlsx): vraag de partner om een onbeveiligde versie",
                )
            if not zipfile.is_zipfile(path):
                raise UnreadableFile(
                    "unreadable_file",
                    "geen leesbare Excel-werkmap (beschadigd of een ander formaat)",
                )
            sheets = _read_openpyxl(path)
            _check_cells(sheets, limits)
            return ReadResult(sheets)
        if suffix in (".xls", ".ods", ".xlsb"):
            sheets = _read_calamine(path)
            _check_cells(sheets, limits)
            return ReadResult(sheets)
    except UnreadableFile as exc:
        return ReadResult([], exc.code, str(exc))
    except OSError as exc:
        return ReadResult([], "unreadable_file", f"het bestand kan niet worden geopend: {exc}")
    return ReadResult(
        [], "not_a_submission", f"'{suffix or 'geen extensie'}' is geen inzendingsformaat"
    )


def cell_text(value: Cell) -> str:
    """A cell as a person reads it: numbers the Dutch way without a spurious ',0', dates as ISO."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value).replace(".", ",")  # a Dutch reader sees 1,125
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d") if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value).strip()
