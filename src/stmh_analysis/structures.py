"""How partners build their workbooks, beyond one row per proposal (ingest calls these).

Each function here decides one thing about a sheet's rows, from the words in
data/reference/workbook_words.yaml:

- `row_status`: a status cell or mark that withdraws a row, or keeps it out of public documents;
- `is_detail_row` and `settle_details`: cost lines under a proposal (personeel, materieel), or
  item columns beside it (ingest finds them), are its cost, never proposals of their own, and
  never counted twice;
- `apply_cost_columns`: a unit column (k€, mln, ton), start and end years, and total project cost
  with own contribution beside the contribution asked;
- `flag_unread_columns`: a column nobody reads that holds amounts, years, units, fte, a status
  or a second title flags every proposal whose figure or presence it could change;
- `copy_sheets`: an overview sheet that repeats the workbook's other sheets is a copy.
"""

from __future__ import annotations

import re
from typing import Any

from stmh_analysis.problems import Problem
from stmh_analysis.sheets import Formula
from stmh_analysis.text import match_key
from stmh_analysis.workbook_words import WorkbookWords


def cell_pairs(text: str) -> dict[str, str]:
    """'cost=1000.0;cost_structural=1' (the field=value cells ingest hands to clean: cost_scale,
    cost_values, cost_columns) -> {'cost': '1000.0', 'cost_structural': '1'}."""
    return dict(p.split("=", 1) for p in text.split(";") if "=" in p)


def _starts_with(key: str, words: tuple[str, ...]) -> str:
    return next((w for w in words if w and (key == w or key.startswith(w + " "))), "")


# --- status ------------------------------------------------------------------------------------


def row_status(values: dict[str, str], extra: dict[str, str], words: WorkbookWords) -> str:
    """'withdrawn', 'confidential' or '' for one row: from its status cell, a mark at the start
    of its title ('VERVALLEN: ...'), or a yes/no column such as 'Vertrouwelijk' or 'Openbaar'."""
    status = match_key(values.get("status", ""))
    title = match_key(values.get("title", ""))
    if _starts_with(status, words.withdrawn) or _starts_with(title, words.withdrawn):
        return "withdrawn"
    if _starts_with(status, words.confidential) or _starts_with(title, words.confidential):
        return "confidential"
    for header, value in extra.items():
        h, v = match_key(header), match_key(value)
        if h in words.confidential_columns and v in ("ja", "yes", "j", "x", "1", "waar"):
            return "confidential"
        if h in words.public_columns and v in ("nee", "no", "n", "0", "onwaar"):
            return "confidential"
    return ""


# --- cost lines under a proposal ---------------------------------------------------------------


def is_detail_row(values: dict[str, str], extra: dict[str, str], words: WorkbookWords) -> bool:
    """A cost line of the proposal above: no organisation or theme of its own, and a title that
    is empty or a cost item ('Personeel', 'waarvan communicatie'), or an empty title with a cost
    item in a column of its own ('Kostenpost')."""
    if values.get("organisation") or values.get("theme"):
        return False
    title = match_key(values.get("title", ""))
    if title and not _starts_with(title, words.cost_items):
        return False
    if title:
        return True
    return any(_starts_with(match_key(v), words.cost_items) for v in extra.values() if v)


def settle_details(
    row: dict, details: list[dict], cost_fields: list[str], across: bool = False
) -> list[Problem]:
    """The proposal's cost from its cost lines (below it, or `across` in columns beside it):
    their sum when it gives none itself; checked against it when it does (equal: nothing counted
    twice; different: flagged)."""
    lines = "kostenkolommen ernaast" if across else "kostenregels eronder"
    numbers = [d["number"] for d in details if d["number"] is not None]
    labels = "; ".join(f"{d['label'] or 'regel ' + str(d['row'])}: {d['text']}" for d in details)
    own = [f for f in cost_fields if row.get(f)]
    problems: list[Problem] = []
    where = (row["source_file"], row["source_sheet"], row["source_row"])
    if not own and numbers and len(numbers) == len(details):
        total = sum(numbers)
        field = cost_fields[0]
        row[field] = f"{total:g}"
        values = [p for p in row["cost_values"].split(";") if p and not p.startswith(field + "=")]
        row["cost_values"] = ";".join([*values, f"{field}={float(total)!r}"])
        _add_flag(row, "cost_from_details")
        problems.append(Problem("warning", where[0], "cost_from_details",
                                f"kosten opgeteld uit {len(details)} {lines} ({labels})",
                                where[1], where[2], value=f"{total:g}"))  # fmt: skip
    elif not own:
        texts = " + ".join(d["text"] for d in details)
        row[cost_fields[0]] = texts
        _add_flag(row, "cost_from_details")
        problems.append(Problem("warning", where[0], "cost_from_details",
                                f"kosten gelezen uit {len(details)} {lines} ({labels})",
                                where[1], where[2], value=texts[:200]))  # fmt: skip
    else:
        own_numbers = _row_numbers(row, cost_fields)
        if (
            own_numbers is None
            or len(numbers) != len(details)
            or abs(own_numbers - sum(numbers)) > 0.5
        ):
            _add_flag(row, "detail_rows_differ")
            problems.append(Problem("warning", where[0], "detail_rows_differ",
                                    f"de {lines} ({labels}) tellen niet op tot het bedrag van het voorstel; het bedrag van het voorstel is gebruikt",
                                    where[1], where[2], value=labels[:200]))  # fmt: skip
    return problems


def _row_numbers(row: dict, cost_fields: list[str]) -> float | None:
    values = cell_pairs(row["cost_values"])
    found = [float(values[f]) for f in cost_fields if f in values]
    return sum(found) if found else None


def _add_flag(row: dict, code: str) -> None:
    flags = [f for f in row.get("ingest_flags", "").split(";") if f]
    if code not in flags:
        flags.append(code)
    row["ingest_flags"] = ";".join(flags)


# --- unit, years, total and own contribution ----------------------------------------------------


def apply_cost_columns(
    row: dict, raw_numbers: dict[str, float], words: WorkbookWords
) -> list[Problem]:
    """Columns of their own that change how the cost reads: unit, start and end year, total
    project cost and own contribution. What cannot be understood is flagged, never ignored."""
    problems: list[Problem] = []
    where = (row["source_file"], row["source_sheet"], row["source_row"])
    unit = row.get("unit", "")
    if unit:
        factor = words.unit_factor(unit)
        if factor is None:
            _add_flag(row, "unread_column")
            problems.append(Problem("warning", where[0], "unread_column",
                                    f"eenheid {unit!r} niet herkend; het bedrag is gelezen zoals het er staat",
                                    where[1], where[2], "Eenheid", unit))  # fmt: skip
        elif factor != 1:
            scales = cell_pairs(row["cost_scale"])
            row["cost_scale"] = ";".join(f"{f}={float(s) * factor:g}" for f, s in scales.items())
    first, last = year_of(row.get("first_year", "")), year_of(row.get("last_year", ""))
    if (row.get("first_year") and first is None) or (row.get("last_year") and last is None):
        _add_flag(row, "unread_column")
        problems.append(Problem("warning", where[0], "unread_column",
                                "start- of eindjaar is geen jaartal; niet gebruikt",
                                where[1], where[2], "Startjaar/Eindjaar",
                                f"{row.get('first_year', '')} / {row.get('last_year', '')}"))  # fmt: skip
    span = ""
    if first and last:
        span = f"{first}" if first == last else f"{min(first, last)} t/m {max(first, last)}"
    elif first:
        span = f"vanaf {first}"
    elif last:
        span = f"t/m {last}"
    if span:
        row["duration"] = f"{row['duration']} {span}".strip()
    total, own = raw_numbers.get("cost_total"), raw_numbers.get("own_contribution")
    asked_given = any(row.get(f) for f in ("cost", "cost_structural", "cost_incidental"))
    if total is not None and not asked_given:
        asked = total - (own or 0.0)
        row["cost"] = f"{asked:g}"
        row["cost_values"] = ";".join(filter(None, [row["cost_values"], f"cost={float(asked)!r}"]))
        row["cost_scale"] = row["cost_scale"] or "cost=1"
        row["cost_columns"] = row["cost_columns"] or "cost=Totale projectkosten"
        _add_flag(row, "cost_is_total_less_own")
        problems.append(Problem("warning", where[0], "cost_is_total_less_own",
                                f"geen gevraagde bijdrage: totale kosten {total:g} min eigen bijdrage {own or 0:g} = {asked:g} als kosten voor het programma genomen",
                                where[1], where[2], "Totale projectkosten", f"{total:g}"))  # fmt: skip
    elif total is not None and own is not None:
        asked = raw_numbers.get("cost")
        if asked is not None and abs(total - own - asked) > 0.5:
            _add_flag(row, "unread_column")
            problems.append(Problem("warning", where[0], "unread_column",
                                    f"totale kosten {total:g} min eigen bijdrage {own:g} is niet de gevraagde bijdrage {asked:g}; de gevraagde bijdrage is gebruikt",
                                    where[1], where[2], "Totale projectkosten", f"{total:g}"))  # fmt: skip
    return problems


def year_of(text: object) -> int | None:
    """'2025' or 2025.0 typed in a cell -> 2025; anything else -> None."""
    m = re.fullmatch(r"\s*((?:19|20)\d\d)(?:\.0)?\s*", str(text))
    return int(m.group(1)) if m else None


# --- a price per unit ----------------------------------------------------------------------------

_PER_UNIT = re.compile(
    r"\bper\s+(?!jaar\b|jr\b|maand\b|kwartaal\b|week\b|fte\b|annum\b)([a-z]{3,})"
)


def apply_unit_price(row: dict, cost_header: str, unread: dict[str, Any]) -> list[Problem]:
    """'Bedrag per plek' beside 'Aantal plekken': the cost is count times price. Without a count
    the amount is per unit of an unknown number: flagged, never read as the whole cost."""
    unit = _PER_UNIT.search(match_key(cost_header))
    field = next((f for f in ("cost", "cost_structural", "cost_incidental") if row.get(f)), None)
    if not unit or field is None:
        return []
    where = (row["source_file"], row["source_sheet"], row["source_row"])
    counts = [(h, v) for h, v in unread.items() if match_key(h).startswith("aantal")]
    numbers = cell_pairs(row["cost_values"])
    if len(counts) == 1 and isinstance(counts[0][1], int | float) and field in numbers:
        header, count = counts[0]
        total = float(numbers[field]) * float(count)
        numbers[field] = repr(total)
        row["cost_values"] = ";".join(f"{k}={v}" for k, v in numbers.items())
        row[field] = f"{total:g}"
        unread.pop(header)
        _add_flag(row, "count_times_price")
        return [Problem("warning", where[0], "count_times_price",
                        f"{cost_header!r} is een bedrag per {unit.group(1)}: maal {header!r} ({count:g}) uitgerekend",
                        where[1], where[2], cost_header, f"{total:g}")]  # fmt: skip
    _add_flag(row, "unread_column")
    return [Problem("warning", where[0], "unread_column",
                    f"{cost_header!r} is een bedrag per {unit.group(1)}, maar het aantal is niet gelezen: het bedrag is één keer geteld",
                    where[1], where[2], cost_header, row[field][:80])]  # fmt: skip


# --- the cost note ------------------------------------------------------------------------------

_NOTE_PERIODS = {
    "PERYEAR", "PERMONTH", "PERQUARTER", "PERWEEK", "STRUCTURAL", "ONEOFF", "ONEOFFWEAK",
    "TEMPORARY", "TOTAL",
}  # fmt: skip
_NOTE_YEARS = {
    "YEARSPAN",
    "YEARLIST",
    "YEARBOTH",
    "FROMYEAR",
    "UNTILYEAR",
    "DURATION",
    "DURATIONMONTHS",
}
_NOTE_CHANGES = {"PM", "ZERO", "AVAILABLE", "COFUND", "OLD", "NEW"}


def flag_cost_note(row: dict) -> list[Problem]:
    """A 'Toelichting kosten' may say what the amount consists of (fte, assignments: the
    template asks for that). When it names a period or years the cost cells do not, or says the
    cost is unknown, zero, partly covered or replaced, it could change how the cost reads; the
    reader does not read notes, so the proposal is flagged."""
    from stmh_analysis.amounts.tokens import _normalise, _tokenise

    note = row.get("cost_note", "")
    if not note:
        return []

    def kinds(text: str) -> dict[str, str]:
        return {t.kind: t.text for t in _tokenise(_normalise(text))} if text else {}

    said = kinds(note)
    cells = kinds(
        " ; ".join(
            row.get(f, "")
            for f in ("cost", "cost_structural", "cost_incidental", "basis", "duration")
        )
    )
    new_periods = {k for k in said if k in _NOTE_PERIODS} - set(cells)
    new_years = {k for k in said if k in _NOTE_YEARS} if not set(cells) & _NOTE_YEARS else set()
    changes = {k for k in said if k in _NOTE_CHANGES}
    words = sorted({said[k] for k in new_periods | new_years | changes})
    if not words:
        return []
    _add_flag(row, "unread_column")
    return [
        Problem("warning", row["source_file"], "unread_column",
                f"de toelichting bij de kosten noemt {', '.join(map(repr, words[:4]))}; die is niet in het bedrag gelezen, controleer het bedrag",
                row["source_sheet"], row["source_row"], "Toelichting kosten", note[:80])
    ]  # fmt: skip


# --- columns nobody reads -----------------------------------------------------------------------

_KIND_WORDS = (
    ("status", ("status", "vervallen", "ingetrokken", "vertrouwelijk", "openbaar", "stand")),
    ("jaren", ("jaar", "jaren", "start", "eind", "begin", "periode", "datum", "looptijd", "vanaf")),
    ("eenheid", ("eenheid", "unit", "valuta")),
    (
        "frequentie",
        ("frequentie", "periodiciteit", "jaarlijks", "eenmalig", "structureel", "incidenteel"),
    ),
    ("fte", ("fte", "formatie", "capaciteit", "vte")),
    ("aantallen", ("aantal", "stuks", "plekken", "deelnemers", "number", "volume")),
    (
        "bedragen",
        (
            "bedrag",
            "kosten",
            "begroting",
            "budget",
            "bijdrage",
            "subsidie",
            "totaal",
            "euro",
            "raming",
            "prijs",
            "tarief",
            "gevraagd",
            "toegekend",
            "aangevraagd",
            "dekking",
        ),
    ),
    ("titel", ("titel", "naam", "project", "voorstel", "maatregel", "actie")),
)


def column_kind(header: str, values: list[Any]) -> str:
    """What an unread column holds, from its header and its values: bedragen, jaren, eenheid,
    frequentie, fte, status, titel, or '' (free text that changes no figure)."""
    key = match_key(header)
    words = set(key.split())
    for kind, hints in _KIND_WORDS:
        if words & set(hints) or any(len(h) >= 4 and h in key for h in hints):
            return kind  # 'Projectnaam', 'Jaarbedrag': a hint inside a compound word
    numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    if numbers and all(1990 <= n <= 2100 and float(n).is_integer() for n in numbers):
        return "jaren"
    if numbers and max(numbers) >= 100:
        return "bedragen"
    texts = [match_key(str(v)) for v in values if isinstance(v, str)]
    if any(re.search(r"€|\beur\b|\d+\s*(?:mln|miljoen|ton|k)\b", str(v).lower()) for v in values):
        return "bedragen"
    if any(t in ("jaarlijks", "eenmalig", "structureel", "incidenteel") for t in texts):
        return "frequentie"
    return ""


def flag_unread_columns(rows: list[dict], file: str, sheet: str) -> list[Problem]:
    """Flag every proposal whose figure or presence an unread column could change (each row
    carries its unread cells as `_unread`: header -> value)."""
    problems: list[Problem] = []
    headers = dict.fromkeys(h for r in rows for h in r.get("_unread", {}))
    for header in headers:
        filled = [(r, r["_unread"][header]) for r in rows if header in r.get("_unread", {})]
        kind = column_kind(header, [v for _, v in filled])
        if not kind and header.startswith("kolom "):
            # text in a column without a header: not listed with the unused headers, so named here
            shown = ", ".join(repr(str(v)[:40]) for _, v in filled[:3])
            problems.append(Problem("notice", file, "cells_unread",
                                    f"{len(filled)} cel(len) in {header} (zonder kop) niet gelezen: {shown}",
                                    sheet, filled[0][0]["source_row"], header))  # fmt: skip
            continue
        if not kind:
            continue
        for row, value in filled:
            _add_flag(row, "unread_column")
            text = str(value.text if isinstance(value, Formula) else value)[:80]
            problems.append(Problem("warning", file, "unread_column",
                                    f"kolom {header!r} ({kind}) is niet gelezen, maar kan het bedrag of het voorstel veranderen",
                                    sheet, row["source_row"], header, text))  # fmt: skip
    return problems


# --- overview sheets -----------------------------------------------------------------------------


def copy_sheets(rows_by_sheet: dict[str, list[dict]], words: WorkbookWords) -> dict[str, list[str]]:
    """Sheets that repeat others of the workbook (an overview built from the partner tabs):
    sheet -> the sheets it repeats. A sheet is a copy when at least 80 % of its titles stand on
    other sheets and it is named as an overview or repeats two sheets or more."""
    keys = {
        s: {match_key(r["title"]) for r in rows if r["title"]} for s, rows in rows_by_sheet.items()
    }
    copies: dict[str, list[str]] = {}
    for sheet, mine in keys.items():
        if not mine:
            continue
        sources = [
            o for o, theirs in keys.items() if o != sheet and o not in copies and mine & theirs
        ]
        covered = set().union(*(keys[o] for o in sources)) & mine if sources else set()
        named = bool(_starts_with(match_key(sheet), words.overview_sheets))
        if len(covered) >= 0.8 * len(mine) and (named or len(sources) >= 2):
            copies[sheet] = sources
    return copies
