"""Problems found in the input: what, where (file, sheet, row, column) and why.

Every reader and cleaning step collects these instead of stopping at the first; `stmh check`
prints them, `stmh run` writes them to data/processed/issues.csv and the nota's annex.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

# level: "rejected" (the row is not used), "skipped" (not a data row: blank, totals, a note),
# "warning" (used, but look at it), "notice" (a file or sheet not read, with the reason).
LEVELS = ("rejected", "skipped", "warning", "notice")
# What each data_issues code means, in words for the analyst (used in issues.csv and the nota).
ISSUE_TEXT = {
    "org_unknown": "organisation not in data/reference/organisations.yaml; kept as written",
    "org_fuzzy": "organisation matched to a close spelling; check",
    "org_inferred": "organisation cell empty; taken from the file's title rows or name",
    "theme_fuzzy": "theme matched to a close spelling",
    "theme_inferred": "theme empty or unknown; inferred from title and description",
    "theme_unknown": "theme empty or unknown and not inferable; set to overig",
    "basis_assumed": "no period given (per jaar, eenmalig, ...); read as a one-off total",
    "amount_ambiguous": "the cost text allows more than one reading; the most plausible is used",
    "amount_missing": "no cost given; counted as p.m.",
    "amount_partly_pm": "part of the cost is p.m.; only the known part is counted",
    "amount_computed": "cost computed as a count times a unit price",
    "fte_converted": "capacity in fte converted to euros with the reference FTE rate",
    "duplicate_merged": "submitted more than once (same or near-same title in the theme); merged",
    "duplicate_amounts_differ": "merged duplicates state different costs; the first organisation's is used",
    "possible_duplicate": "title resembles another proposal in the theme; not merged, check",
}
# Codes of rejected rows, in words.
REJECT_TEXT = {
    "missing_title": "no proposal title",
    "missing_organisation": "no organisation, and none in the file's title rows or name",
    "missing_cost_column": "the sheet has no cost column",
    "negative_amount": "a negative amount is not a cost",
    "range_reversed": "low estimate above the high estimate",
    "unknown_theme": "theme not a known slug",
}


PROBLEM_COLUMNS = [
    "level",
    "source_file",
    "source_sheet",
    "source_row",
    "column",
    "value",
    "code",
    "message",
]


@dataclass(frozen=True)
class Problem:
    level: str
    source_file: str
    code: str
    message: str
    source_sheet: str = ""
    source_row: int | None = None
    column: str = ""
    value: str = ""

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"unknown problem level {self.level!r}")

    def where(self) -> str:
        parts = [self.source_file]
        if self.source_sheet:
            parts.append(f"sheet {self.source_sheet!r}")
        if self.source_row is not None:
            parts.append(f"row {self.source_row}")
        if self.column:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)

    def describe(self) -> str:
        value = f" (value {self.value[:80]!r})" if self.value else ""
        return f"{self.level.upper():8} {self.where()}: {self.message}{value} [{self.code}]"


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """Problems as a table in a stable order (file, sheet, row, then level)."""
    if not problems:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in PROBLEM_COLUMNS})
    frame = pd.DataFrame([asdict(p) for p in problems])[PROBLEM_COLUMNS]
    frame["source_row"] = frame["source_row"].astype("Int64")
    order = {lvl: i for i, lvl in enumerate(LEVELS)}
    frame["_level"] = frame["level"].map(order)
    frame = frame.sort_values(
        ["source_file", "source_sheet", "source_row", "_level", "code"],
        na_position="first",
        kind="stable",
    )
    return frame.drop(columns="_level").reset_index(drop=True)
