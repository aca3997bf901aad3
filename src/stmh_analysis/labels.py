"""The words shown for codes (data/reference/labels.yaml), in one table every surface reads: the
notebooks' tables, the documents, the workbooks, the command line and the runner's why-lines."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LABELS_FILE = "labels.yaml"

# What the code reads from the file; a kind missing there is a mistake in the file, said at once.
KINDS = (
    "level",
    "cost_status",
    "cost_status_explained",
    "fits",
    "costs",
    "method",
    "scenario",
    "change_kind",
    "change_kind_public",
    "changed_field",
    "run_reason",
    "table",
)


class LabelsError(ValueError):
    """labels.yaml lacks a kind of code or has the wrong shape; the message says which."""


@dataclass(frozen=True)
class Labels:
    """Column headings, and per kind of code the word for each code."""

    columns: dict[str, str] = field(default_factory=dict)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)

    def heading(self, column: str) -> str:
        return self.columns.get(column, column)

    def words(self, kind: str) -> dict[str, str]:
        """Every code of `kind` with its word (a KeyError for an unknown kind is a code bug)."""
        return self.codes[kind]

    def word(self, kind: str, code: object) -> str:
        """The word for `code`; a code the file does not know is shown as it is."""
        return self.codes[kind].get(str(code), str(code))


def labels_from(doc: dict[str, Any]) -> Labels:
    """labels.yaml as read (reference._read_yaml) -> Labels; LabelsError in Dutch when a section
    or a kind of code is missing."""
    columns, codes = doc.get("columns"), doc.get("codes")
    if not isinstance(columns, dict) or not isinstance(codes, dict):
        raise LabelsError(f"{LABELS_FILE}: 'columns:' en 'codes:' zijn allebei nodig")
    missing = [k for k in KINDS if not isinstance(codes.get(k), dict)]
    if missing:
        raise LabelsError(
            f"{LABELS_FILE}: onder 'codes:' ontbreekt {missing[0]!r} (nodig: {', '.join(KINDS)})"
        )
    return Labels(
        columns={str(k): str(v) for k, v in columns.items()},
        codes={kind: _words(words) for kind, words in codes.items()},
    )


def _words(words: dict[Any, Any]) -> dict[str, str]:
    return {("" if k is None else str(k)): str(v) for k, v in words.items()}
