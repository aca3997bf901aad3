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
