"""Raw partner files -> one row per submitted table row, with where it came from.

Reads every sheet of every .xlsx and every .csv in the raw folder, read-only. Finds the header
row under title rows with the header aliases of data/reference/headers.yaml, fills merged cells,
reads numbers stored as numbers or text, notes a `x € 1.000` unit in a header as the column's
scale, and decodes UTF-8 (with or without BOM) and Windows-1252. What cannot be read becomes a
`Problem` naming file, sheet and reason; the rest goes on.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from stmh_analysis.problems import Problem
from stmh_analysis.reference import Reference
from stmh_analysis.store import sha256_file
from stmh_analysis.text import match_key, normalise_whitespace

SUBMISSION_SUFFIXES = (".xlsx", ".xlsm", ".csv")
APPRAISAL_STEM = "appreciaties"
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
)
SUBMISSION_COLUMNS = [
    "source_file",
    "source_sheet",
    "source_row",
    *FIELDS,
    "organisation_hint",
    "cost_scale",
    "cost_columns",
]
_UNIT_RE = re.compile(
    r"[\(\[]?\s*(?:x|×|in)\s*(?:€|eur|euro)?\s*(1[.,\s]?000[.,\s]?000|1[.,\s]?000|(?:1\s*)?mln|(?:1\s*)?miljoen\w*|duizend\w*|k€|k)\s*(?:€|eur|euro)?\s*[\)\]]?",
    re.I,
)
_TOTAL_RE = re.compile(r"^(?:sub)?(?:totaal|totalen|total|som|totaal generaal)\b", re.I)


@dataclass
class Submissions:
    """What the raw folder held: data rows, rows skipped with a reason, problems, files read."""

    rows: pd.DataFrame
    skipped: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    files: pd.DataFrame = field(default_factory=pd.DataFrame)


def header_unit_scale(header: str) -> tuple[str, float]:
    """'Kosten (x € 1.000)' -> ('Kosten', 1000.0); a header without a unit note keeps scale 1."""
    m = _UNIT_RE.search(header)
    if not m:
        return re.sub(r"\(\s*(?:€|eur|euro)\s*\)", "", header, flags=re.I).strip(), 1.0
    unit = match_key(m.group(1)).replace(" ", "")
    scale = 1e6 if unit in ("1000000", "mln", "1mln") or "miljoen" in unit else 1e3
    return (header[: m.start()] + header[m.end() :]).strip(), scale


def map_header(cells: list[str], reference: Reference) -> dict[int, tuple[str, float]]:
    """Column index -> (field, scale) for the cells that name a known field (first one wins)."""
    mapping: dict[int, tuple[str, float]] = {}
    seen: set[str] = set()
    for i, cell in enumerate(cells):
        if not cell:
            continue
        name, scale = header_unit_scale(cell)
        fieldname = reference.header_aliases.get(match_key(name))
        if fieldname and fieldname not in seen:
            mapping[i] = (fieldname, scale)
            seen.add(fieldname)
    return mapping


def _cell_text(value: object) -> str:
    """A cell as text: numbers without a spurious '.0', dates as ISO (the parser rejects those)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value:
            return ""
        if value.is_integer():
            return str(int(value))
        return repr(value).replace(".", ",")  # a Dutch reader sees 1,5
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    return str(value)


def _find_header(
    grid: list[list[str]], reference: Reference
) -> tuple[int, dict[int, tuple[str, float]]] | None:
    for r, cells in enumerate(grid[:HEADER_SEARCH_ROWS]):
        mapping = map_header(cells, reference)
        fields = {f for f, _ in mapping.values()}
        if "title" in fields and len(fields) >= 2:
            return r, mapping
    return None


def _org_hint(texts: Iterable[str], reference: Reference) -> str:
    """A canonical organisation named in title rows or the file name, for rows that leave it out."""
    for text in texts:
        key = f" {match_key(text)} "
        for alias, canonical in sorted(reference.org_aliases.items(), key=lambda kv: -len(kv[0])):
            if len(alias) >= 3 and f" {alias} " in key:
                return canonical
    return ""


def _table_rows(
    grid: list[list[str]],
    *,
    file: str,
    sheet: str,
    row_numbers: list[int],
    reference: Reference,
    file_stem: str,
) -> tuple[list[dict], list[dict], list[Problem]]:
    """One sheet's grid -> data rows, skipped rows and problems."""
    problems: list[Problem] = []
    last = max((i for i, cells in enumerate(grid) if any(cells)), default=-1)
    if last < 0:
        return (
            [],
            [],
            [Problem("notice", file, "empty_sheet", "sheet is empty; nothing read", sheet)],
        )
    trailing = len(grid) - 1 - last
    grid = grid[: last + 1]
    row_numbers = row_numbers[: last + 1]
    found = _find_header(grid, reference)
    if found is None:
        best = max(grid[:HEADER_SEARCH_ROWS], key=lambda cells: sum(bool(c) for c in cells))
        seen = ", ".join(repr(c) for c in best if c)[:300]
        return (
            [],
            [],
            [
                Problem(
                    "notice",
                    file,
                    "no_table",
                    "no recognisable table: no header row with a title column and one other known "
                    f"column in the first {HEADER_SEARCH_ROWS} rows. Columns seen: {seen or 'none'}. "
                    "Add the partner's header names to data/reference/headers.yaml if this is a submission.",
                    sheet,
                )
            ],
        )
    header_index, mapping = found
    header_cells = grid[header_index]
    fields = {f: (i, s) for i, (f, s) in mapping.items()}
    cost_fields = [f for f in reference.cost_fields if f in fields]
    unused = [c for i, c in enumerate(header_cells) if c and i not in mapping]
    if unused:
        problems.append(
            Problem(
                "notice",
                file,
                "columns_unused",
                f"columns not used: {', '.join(map(repr, unused))}",
                sheet,
                row_numbers[header_index],
            )
        )
    if trailing > 0:
        problems.append(
            Problem(
                "notice",
                file,
                "trailing_blank_rows",
                f"{trailing} blank rows after the table ignored",
                sheet,
            )
        )
    hint = _org_hint(
        [*(c for cells in grid[:header_index] for c in cells if c), file_stem, sheet], reference
    )
    data: list[dict] = []
    skipped: list[dict] = []
    below_total = False
    for cells, row_no in zip(
        grid[header_index + 1 :], row_numbers[header_index + 1 :], strict=True
    ):
        where = {"source_file": file, "source_sheet": sheet, "source_row": row_no}
        filled = [c for c in cells if c]
        if not filled:
            skipped.append({**where, "reason": "blank"})
            continue
        if _TOTAL_RE.match(filled[0]):
            skipped.append({**where, "reason": "totals"})
            below_total = True
            continue
        values = {f: (cells[i] if i < len(cells) else "") for f, (i, _) in fields.items()}
        has_title = bool(values.get("title"))
        has_cost = any(values.get(f) for f in cost_fields)
        if not has_title and not has_cost and (below_total or len(filled) == 1):
            skipped.append({**where, "reason": "note"})
            problems.append(
                Problem(
                    "skipped",
                    file,
                    "note_row",
                    "a remark line, not a proposal",
                    sheet,
                    row_no,
                    value=filled[0][:200],
                )
            )
            continue
        row = {**where, **{f: values.get(f, "") for f in FIELDS}}
        for f in FIELDS:
            if len(row[f]) > MAX_TEXT_CHARS:
                problems.append(
                    Problem(
                        "warning",
                        file,
                        "value_truncated",
                        f"text of {len(row[f]):,} characters cut to {MAX_TEXT_CHARS:,}",
                        sheet,
                        row_no,
                        header_cells[fields[f][0]],
                        row[f][:80],
                    )
                )
                row[f] = row[f][:MAX_TEXT_CHARS]
        row["organisation_hint"] = hint
        row["cost_scale"] = ";".join(f"{f}={fields[f][1]:g}" for f in cost_fields)
        row["cost_columns"] = ";".join(f"{f}={header_cells[fields[f][0]]}" for f in cost_fields)
        data.append(row)
    if not data:
        problems.append(
            Problem("notice", file, "no_data_rows", "header found but no data rows below it", sheet)
        )
    if not cost_fields and data:
        problems.append(
            Problem(
                "notice",
                file,
                "missing_cost_column",
                "no cost column found (e.g. 'Indicatieve kosten'); columns present: "
                + ", ".join(repr(c) for c in header_cells if c),
                sheet,
                row_numbers[header_index],
            )
        )
    return data, skipped, problems


def read_xlsx(
    path: Path, reference: Reference, name: str | None = None
) -> tuple[list[dict], list[dict], list[Problem]]:
    """Every sheet of one workbook. Merged cells take the value of their top-left cell."""
    from openpyxl import load_workbook

    file = name or path.name
    head = path.read_bytes()[:8]
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return (
            [],
            [],
            [
                Problem(
                    "notice",
                    file,
                    "encrypted_or_xls",
                    "password-protected workbook or old .xls format: cannot be read; "
                    "ask the partner for an unprotected .xlsx",
                )
            ],
        )
    try:
        wb = load_workbook(path, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        return (
            [],
            [],
            [
                Problem(
                    "notice",
                    file,
                    "unreadable_file",
                    f"not a readable .xlsx workbook (corrupt or another format): {type(exc).__name__}",
                )
            ],
        )
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        return (
            [],
            [],
            [
                Problem(
                    "notice",
                    file,
                    "unreadable_file",
                    f"cannot open workbook: {type(exc).__name__}: {exc}",
                )
            ],
        )
    cached = None
    rows: list[dict] = []
    skipped: list[dict] = []
    problems: list[Problem] = []
    for ws in wb.worksheets:
        fill: dict[tuple[int, int], object] = {}
        for rng in ws.merged_cells.ranges:
            top_left = ws.cell(rng.min_row, rng.min_col).value
            for r in range(rng.min_row, rng.max_row + 1):
                for c in range(rng.min_col, rng.max_col + 1):
                    fill[(r, c)] = top_left
        grid: list[list[str]] = []
        numbers: list[int] = []
        for r_idx, row in enumerate(ws.iter_rows(values_only=True), start=1):
            cells = []
            for c_idx, value in enumerate(row, start=1):
                if value is None and (r_idx, c_idx) in fill:
                    value = fill[(r_idx, c_idx)]
                if isinstance(value, str) and value.startswith("="):
                    if cached is None:
                        cached = load_workbook(path, data_only=True)
                    stored = cached[ws.title].cell(r_idx, c_idx).value
                    value = stored if stored is not None else value
                cells.append(
                    normalise_whitespace(_cell_text(value))
                    if not isinstance(value, str)
                    else value.strip()
                )
            grid.append(cells)
            numbers.append(r_idx)
        d, s, p = _table_rows(
            grid,
            file=file,
            sheet=ws.title,
            row_numbers=numbers,
            reference=reference,
            file_stem=path.stem,
        )
        rows += d
        skipped += s
        problems += p
    return rows, skipped, problems


def decode_text(raw: bytes) -> tuple[str, str]:
    """Bytes of a text file -> (text, encoding): UTF-8 with or without BOM, UTF-16, else Windows-1252."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16"), "utf-16"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        return raw.decode("latin-1"), "latin-1"


def _sniff_delimiter(text: str) -> str:
    lines = [ln for ln in text.splitlines()[:40] if ln.strip()]
    sample = "\n".join(lines)
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t").delimiter
    except csv.Error:
        counts = {d: sample.count(d) for d in ";,\t"}
        return max(counts, key=lambda d: counts[d])


def read_csv(
    path: Path, reference: Reference, name: str | None = None
) -> tuple[list[dict], list[dict], list[Problem]]:
    """One CSV file, `;`, `,` or tab separated, in whatever encoding partners use."""
    file = name or path.name
    raw = path.read_bytes()
    if not raw.strip():
        return [], [], [Problem("notice", file, "empty_file", "file is empty; nothing read")]
    start = raw[:1024].lstrip().lower()
    if start.startswith((b"<!doctype", b"<html", b"<?xml", b"<table")) or b"<html" in start:
        return (
            [],
            [],
            [
                Problem(
                    "notice",
                    file,
                    "not_csv",
                    "file looks like HTML or XML, not CSV (saved from a web page or mail?); ask "
                    "the partner for the spreadsheet itself",
                )
            ],
        )
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return [], [], [Problem("notice", file, "not_csv", "file holds binary data, not CSV text")]
    text, encoding = decode_text(raw)
    problems: list[Problem] = []
    if encoding == "latin-1":
        problems.append(
            Problem("warning", file, "encoding_guessed", "encoding not recognised; read as Latin-1")
        )
    if "\ufffd" in text:
        problems.append(
            Problem(
                "warning",
                file,
                "encoding_damaged",
                "file contains damaged characters (shown as \ufffd); check accents",
            )
        )
    delimiter = _sniff_delimiter(text)
    csv.field_size_limit(10_000_000)
    try:
        grid = [
            [normalise_whitespace(c) if "\n" not in c else c.strip() for c in row]
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        ]
    except csv.Error as exc:
        return (
            [],
            [],
            [*problems, Problem("notice", file, "unreadable_file", f"not readable as CSV: {exc}")],
        )
    numbers = list(range(1, len(grid) + 1))
    d, s, p = _table_rows(
        grid, file=file, sheet="", row_numbers=numbers, reference=reference, file_stem=path.stem
    )
    return d, s, problems + p


def submission_files(raw_dir: Path) -> list[Path]:
    """Every file directly in the raw folder, sorted by name (hidden and lock files excluded)."""
    if not raw_dir.is_dir():
        raise FileNotFoundError(f"raw folder not found: {raw_dir}")
    return sorted(p for p in raw_dir.iterdir() if p.is_file())


def is_appraisal_file(path: Path) -> bool:
    return (
        path.stem.lower().startswith(APPRAISAL_STEM) and path.suffix.lower() in SUBMISSION_SUFFIXES
    )


def read_submissions(raw_dir: Path, reference: Reference) -> Submissions:
    """All submissions in `raw_dir` (never written to). The appraisal file is left to read_appraisals."""
    rows: list[dict] = []
    skipped: list[dict] = []
    problems: list[Problem] = []
    files: list[dict] = []
    seen_hashes: dict[str, str] = {}
    for path in submission_files(raw_dir):
        name = path.name
        if name.startswith((".", "~$")) or name.lower() == "readme.md":
            continue
        digest = sha256_file(path)
        info = {
            "file": name,
            "sha256": digest,
            "bytes": path.stat().st_size,
            "role": "submission",
            "read": False,
        }
        files.append(info)
        if is_appraisal_file(path):
            info["role"] = "appraisals"
            continue
        suffix = path.suffix.lower()
        if suffix not in SUBMISSION_SUFFIXES:
            problems.append(
                Problem(
                    "notice",
                    name,
                    "not_a_submission",
                    f"'{suffix or 'no extension'}' is not a submission format (.xlsx or .csv); skipped",
                )
            )
            continue
        if digest in seen_hashes:
            problems.append(
                Problem(
                    "notice",
                    name,
                    "duplicate_file",
                    f"identical to {seen_hashes[digest]} (same bytes); not read twice",
                )
            )
            continue
        seen_hashes[digest] = name
        reader = read_csv if suffix == ".csv" else read_xlsx
        d, s, p = reader(path, reference)
        info["read"] = bool(d or s)
        rows += d
        skipped += s
        problems += p
    frame = pd.DataFrame(rows, columns=SUBMISSION_COLUMNS)
    for col in SUBMISSION_COLUMNS:
        if col != "source_row":
            frame[col] = frame[col].fillna("").astype("string")
    frame["source_row"] = frame["source_row"].astype("int64")
    skipped_frame = pd.DataFrame(
        skipped, columns=["source_file", "source_sheet", "source_row", "reason"]
    )
    return Submissions(frame, skipped_frame, problems, pd.DataFrame(files))


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


def read_appraisals(raw_dir: Path) -> tuple[pd.DataFrame, list[Problem]]:
    """The analysts' appraisal file (appreciaties.csv or .xlsx), if there is one."""
    columns = [
        "source_file",
        "source_row",
        "proposal_id",
        "organisation",
        "title",
        "appraisal",
        "appraisal_note",
    ]
    found = [p for p in submission_files(raw_dir) if is_appraisal_file(p)]
    if not found:
        return pd.DataFrame(columns=columns).astype("string"), []
    problems: list[Problem] = []
    if len(found) > 1:
        problems.append(
            Problem(
                "warning",
                found[1].name,
                "appraisal_file_ignored",
                f"more than one appraisal file; only {found[0].name} is used",
            )
        )
    path = found[0]
    grid: list[list[str]]
    if path.suffix.lower() == ".csv":
        text, _ = decode_text(path.read_bytes())
        grid = [
            [c.strip() for c in row]
            for row in csv.reader(io.StringIO(text), delimiter=_sniff_delimiter(text))
        ]
    else:
        from openpyxl import load_workbook

        try:
            ws = load_workbook(path, data_only=True).worksheets[0]
        except Exception as exc:
            return pd.DataFrame(columns=columns), [
                Problem(
                    "notice",
                    path.name,
                    "unreadable_file",
                    f"cannot open appraisal workbook: {type(exc).__name__}",
                )
            ]
        grid = [[_cell_text(v).strip() for v in row] for row in ws.iter_rows(values_only=True)]
    header_at = next(
        (
            i
            for i, row in enumerate(grid[:HEADER_SEARCH_ROWS])
            if "appraisal" in {APPRAISAL_FIELDS.get(match_key(c)) for c in row}
        ),
        None,
    )
    if header_at is None:
        return pd.DataFrame(columns=columns), [
            Problem(
                "notice",
                path.name,
                "no_table",
                "appraisal file has no 'Appreciatie' column; not used",
            )
        ]
    index = {}
    for i, c in enumerate(grid[header_at]):
        f = APPRAISAL_FIELDS.get(match_key(c))
        if f and f not in index:
            index[f] = i
    records = []
    for row_no, row in enumerate(grid[header_at + 1 :], start=header_at + 2):
        if not any(row):
            continue
        rec = {"source_file": path.name, "source_row": row_no}
        for f in columns[2:]:
            i = index.get(f)
            rec[f] = normalise_whitespace(row[i]) if i is not None and i < len(row) else ""
        records.append(rec)
    frame = pd.DataFrame(records, columns=columns)
    return frame, problems
