"""What a reading is: the result, the flags with their reasons, one counted part."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass


class AmountError(ValueError):
    """The text cannot be read as a cost. `reason` is a short code, the message says why."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Amount:
    """One cost text read as euros. Structural is per year; incidental is the total over its period."""

    structural_low_eur: float = 0.0
    structural_high_eur: float = 0.0
    incidental_low_eur: float = 0.0
    incidental_high_eur: float = 0.0
    first_year: int | None = None
    last_year: int | None = None
    fte: float | None = None
    cost_status: str = "estimated"  # or "pm"
    flags: tuple[str, ...] = ()
    reading: str = ""  # the relation seen between the figures, e.g. "total with breakdown"
    notes: tuple[str, ...] = ()  # why each flag was raised, in Dutch
    evidence: tuple[str, ...] = ()  # each figure with its role, each cue with its effect (Dutch)

    def to_json(self) -> str:
        data = asdict(self)
        data["data_issues"] = ";".join(data.pop("flags"))
        data["notes"] = list(self.notes)
        data["evidence"] = list(self.evidence)
        return json.dumps(data, ensure_ascii=False)


# --- one mention read on its own -----------------------------------------------------------------


@dataclass
class _Part:
    kind: str  # "structural", "incidental"
    low: float
    high: float
    start: int | None = None  # first year
    end: int | None = None  # last year (incidental only)
    is_total: bool = False


def _kind(keywords: set[str]) -> str:
    """The basis the period words give: structural, oneoff, or none. A plain one-off word
    ('eenmalig') wins; a weak one ('investering', 'opstart') and 'tijdelijk' give way to a
    recurrence word (the evidence rule flags the disagreement)."""
    if "ONEOFF" in keywords:
        return "oneoff"
    if keywords & RECURRENCE:
        return "structural"
    if keywords & {"ONEOFFWEAK", "TEMPORARY", "TOTAL"}:
        return "oneoff"
    return "none"


RECURRENCE = frozenset({"PERYEAR", "PERMONTH", "PERQUARTER", "PERWEEK", "STRUCTURAL"})


class _Reader:
    """Collects flags with their Dutch reasons while one text is read."""

    def __init__(self) -> None:
        self.flags: list[str] = []
        self.notes: list[str] = []
        self.used: set[str] = set()  # relation words a step of the reading acted on

    def flag(self, code: str, note: str) -> None:
        if code not in self.flags:
            self.flags.append(code)
        if note not in self.notes:
            self.notes.append(note)
