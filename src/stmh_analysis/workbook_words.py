"""The words that tell how a partner's workbook is built: data/reference/workbook_words.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from stmh_analysis.text import match_key

WORDS_FILE = "workbook_words.yaml"


@dataclass(frozen=True)
class WorkbookWords:
    """The words of workbook_words.yaml, as match keys."""

    withdrawn: tuple[str, ...]
    confidential: tuple[str, ...]
    confidential_columns: tuple[str, ...]
    public_columns: tuple[str, ...]
    cost_items: tuple[str, ...]
    units: tuple[tuple[str, float], ...]
    overview_sheets: tuple[str, ...]

    def unit_factor(self, text: str) -> float | None:
        key = match_key(text.replace("€", " euro ")).replace("euro", "").strip() or "euro"
        for word, factor in self.units:
            w = match_key(word.replace("€", " euro ")).replace("euro", "").strip() or "euro"
            if key == w:
                return factor
        return None


def read_workbook_words(path: Path) -> WorkbookWords:
    doc: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8")) or {}

    def keys(name: str) -> tuple[str, ...]:
        return tuple(match_key(str(w)) for w in doc.get(name) or ())

    return WorkbookWords(
        withdrawn=keys("withdrawn"),
        confidential=keys("confidential"),
        confidential_columns=keys("confidential_columns"),
        public_columns=keys("public_columns"),
        cost_items=keys("cost_items"),
        units=tuple((str(k), float(v)) for k, v in (doc.get("units") or {}).items()),
        overview_sheets=keys("overview_sheets"),
    )
