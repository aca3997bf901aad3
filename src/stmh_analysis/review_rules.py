"""data/reference/review.yaml: which flags ask the analyst which question, and what an analyst
can decide. Free of pandas: the runner loads the reference before it knows it needs the data stack.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from stmh_analysis.text import match_key

RULES_FILE = "review.yaml"
# the kinds of question review.py knows how to settle (review.yaml may relabel, not invent)
KINDS = ("bedrag", "thema", "organisatie", "dubbel", "subtotaal")
DECISIONS = ("akkoord", "aangepast", "samenvoegen", "intrekken")


class ReviewRulesError(ValueError):
    """review.yaml is unusable; the message says where, in Dutch."""


@dataclass(frozen=True)
class QuestionKind:
    name: str
    label: str
    ask: str
    flags: tuple[str, ...]
    decisions: tuple[str, ...]
    touches_public_figure: bool


@dataclass(frozen=True)
class ReviewRules:
    kinds: Mapping[str, QuestionKind]
    decision_labels: Mapping[str, str]  # code -> what the dropdown says

    def kind_of(self, code: str) -> str | None:
        return next((k.name for k in self.kinds.values() if code in k.flags), None)

    def decision_code(self, text: object) -> str | None:
        key = match_key(text)
        for code, label in self.decision_labels.items():
            if key in (match_key(code), match_key(label)):
                return code
        return None


def read_review_rules(path: Path, known_codes: set[str] | None = None) -> ReviewRules:
    """data/reference/review.yaml, checked: known kinds, decisions and flag codes."""
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ReviewRulesError(f"{path.name}: niet te lezen: {exc}") from exc
    labels = {str(k): str(v) for k, v in (doc.get("decisions") or {}).items()}
    if set(labels) != set(DECISIONS):
        raise ReviewRulesError(
            f"{path.name}: 'decisions' moet precies {', '.join(DECISIONS)} noemen"
        )
    kinds = {}
    for name, entry in (doc.get("questions") or {}).items():
        if name not in KINDS:
            raise ReviewRulesError(
                f"{path.name}: onbekende soort vraag {name!r}; bekend: {', '.join(KINDS)}"
            )
        kind = QuestionKind(
            name,
            str(entry.get("label", name)),
            str(entry.get("ask", "")),
            tuple(str(c) for c in entry.get("flags") or ()),
            tuple(str(d) for d in entry.get("decisions") or ()),
            bool(entry.get("touches_public_figure", True)),
        )
        unknown = [d for d in kind.decisions if d not in DECISIONS] + [
            c for c in kind.flags if known_codes is not None and c not in known_codes
        ]
        if unknown:
            raise ReviewRulesError(f"{path.name}: {name}: onbekend besluit of code {unknown[0]!r}")
        kinds[name] = kind
    flags = [c for k in kinds.values() for c in k.flags]
    if len(flags) != len(set(flags)):
        raise ReviewRulesError(f"{path.name}: een code staat bij twee soorten vragen")
    return ReviewRules(kinds, labels)
