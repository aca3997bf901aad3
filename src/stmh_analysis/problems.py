"""Problems found in the input: what, where (file, sheet, row, column) and why.

Every reader and cleaning step collects these instead of stopping at the first; `stmh check`
prints them, `stmh run` writes them to data/processed/issues.csv and the nota's annex.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

# level: "error" (a whole file could not be read: a partner's proposals are missing),
# "rejected" (the row is not used), "skipped" (not a data row: blank, totals, a note),
# "warning" (used, but look at it), "notice" (a sheet or column not read, with the reason).
LEVELS = ("error", "rejected", "skipped", "warning", "notice")


@dataclass(frozen=True)
class ProblemCode:
    """One row of data/reference/problems.csv."""

    code: str
    level: str  # the level it usually has
    in_data_issues: bool  # a code in the proposals' data_issues column
    text: str  # Dutch, for analysts and partners
    action: str  # what to do about it, in Dutch


def _reference_folder() -> Path:
    from stmh_analysis.paths import Paths

    return Paths.default().reference


def problem_codes(folder: Path | None = None) -> dict[str, ProblemCode]:
    """Every problem code with its Dutch text and advice, from data/reference/problems.csv."""
    path = (folder or _reference_folder()) / "problems.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if not line.startswith("#")]
    table = {}
    for row in csv.DictReader(lines):
        table[row["code"]] = ProblemCode(
            row["code"],
            row["niveau"],
            row["in_data_issues"] == "ja",
            row["tekst"],
            row["wat_te_doen"],
        )
    return table


def flag_codes(codes: Mapping[str, ProblemCode] | None = None) -> list[str]:
    """The codes of the data_issues column, in the order problems.csv lists them (`codes`: the
    run's table, Reference.problems; None: the repository's own)."""
    table = problem_codes() if codes is None else codes
    return [c.code for c in table.values() if c.in_data_issues]


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


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    import pandas as pd  # here, not at the top: the runner reads the codes without pandas

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
