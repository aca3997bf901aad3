"""The words the amount reader knows, read from data/reference/amount_words.yaml.

Each list in that file names what its words say about a cost (`per_year`, `one_off`, `new`, ...);
the tokeniser turns each list into one token kind. A new spelling is a change to that file.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

WORDS_FILE = "amount_words.yaml"
DEFAULT_FILE = Path(__file__).resolve().parents[3] / "data" / "reference" / WORDS_FILE

# the lists of the file -> the token kind the reader uses for them
KINDS = {
    "per_year": "PERYEAR",
    "per_quarter": "PERQUARTER",
    "per_month": "PERMONTH",
    "per_week": "PERWEEK",
    "one_year": "ONEYEAR",
    "from_year": "FROMLEAD",  # not a token: the words before the year of FROMYEAR
    "structural": "STRUCTURAL",
    "one_off": "ONEOFF",
    "one_off_weak": "ONEOFFWEAK",
    "temporary": "TEMPORARY",
    "total": "TOTAL",
    "unknown": "PM",
    "zero": "ZERO",
    "fte": "FTE",
    "old": "OLD",
    "new": "NEW",
    "ramp": "RAMP",
    "then": "THEN",
    "breakdown": "BREAKDOWN",
    "restate": "RESTATE",
    "each": "EACH",
    "fraction": "FRACTION",
    "existing": "EXISTING",
    "available": "AVAILABLE",
    "cofund": "COFUND",
    "at_least": "ATLEAST",
    "at_most": "ATMOST",
    "vat_included": "VATINCL",
    "vat_excluded": "VATEXCL",
}


class AmountWordsError(ValueError):
    """amount_words.yaml cannot be used; the message names the list and the entry."""


@dataclass(frozen=True)
class AmountWords:
    """One token kind -> its patterns, as the file lists them."""

    patterns: tuple[tuple[str, tuple[str, ...]], ...]  # (kind, patterns): hashable, so cacheable
    path: Path | None = None

    def pattern(self, kind: str) -> str:
        return "|".join(dict(self.patterns).get(kind, ())) or r"(?!x)x"


def read_amount_words(path: Path) -> AmountWords:
    """Read and check one amount_words.yaml; every list must be known, every entry a pattern."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise AmountWordsError(f"{path.name}: niet te lezen: {exc}") from exc
    patterns: dict[str, tuple[str, ...]] = {}
    for name, entries in doc.items():
        if name not in KINDS:
            known = ", ".join(KINDS)
            raise AmountWordsError(f"{path.name}: onbekende lijst {name!r} (bekend zijn: {known})")
        if not isinstance(entries, list) or not entries:
            raise AmountWordsError(f"{path.name}: de lijst {name!r} moet woorden bevatten")
        for entry in entries:
            if not isinstance(entry, str):
                raise AmountWordsError(
                    f"{path.name}: in {name!r} is {entry!r} geen tekst: zet het patroon tussen "
                    "aanhalingstekens (een ': ' of '#' in een patroon leest YAML anders)"
                )
            try:
                groups = re.compile(str(entry)).groups
            except re.error as exc:
                raise AmountWordsError(
                    f"{path.name}: in {name!r} is {entry!r} geen geldig patroon ({exc})"
                ) from exc
            if groups:
                raise AmountWordsError(
                    f"{path.name}: in {name!r} heeft {entry!r} een groep '(...)': schrijf "
                    "'(?:...)', dan blijft de rest van de lezer kloppen"
                )
            if re.fullmatch(str(entry), ""):
                raise AmountWordsError(f"{path.name}: in {name!r} past {entry!r} op lege tekst")
        patterns[KINDS[name]] = tuple(str(e) for e in entries)
    missing = [name for name in KINDS if KINDS[name] not in patterns]
    if missing:
        raise AmountWordsError(f"{path.name}: de lijst(en) {', '.join(missing)} ontbreken")
    return AmountWords(tuple(patterns.items()), path)


@functools.lru_cache(maxsize=8)
def _cached(path: str, _mtime_ns: int, _size: int) -> AmountWords:
    return read_amount_words(Path(path))


def load_amount_words(path: Path | None = None) -> AmountWords:
    """The words of `path` (default: the repository's data/reference file), read once per
    version of the file: an edit is seen by the next reading."""
    path = Path(path or DEFAULT_FILE)
    try:
        stat = path.stat()
    except OSError as exc:
        raise AmountWordsError(f"{path.name}: niet gevonden in {path.parent}") from exc
    return _cached(str(path), stat.st_mtime_ns, stat.st_size)
