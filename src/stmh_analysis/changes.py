"""What changed between two versions of the proposals: new, withdrawn and changed, field by field.

Proposals are matched by `proposal_id`. Because the id derives from organisation and title, a
proposal its partner retitled gets a new id; such a pair (one withdrawn, one new, same partner) is
recognised as one changed proposal when the evidence says so, and the evidence is shown:

- the same description (at least RETITLE_SUMMARY_SIMILARITY alike), or
- the same cost text in the same row of the same file, or
- titles at least RETITLE_TITLE_SIMILARITY alike.
"""

from __future__ import annotations

import collections
import difflib
import functools
from collections.abc import Callable, Sequence

import pandas as pd

from stmh_analysis.outputs import AMOUNT_COLUMNS
from stmh_analysis.text import match_key

RETITLE_SUMMARY_SIMILARITY = 0.85
RETITLE_TITLE_SIMILARITY = 0.7
CHANGE_COLUMNS = [
    "kind",  # new, withdrawn, changed
    "proposal_id",
    "title",
    "organisation",
    "theme",
    "old_theme",
    "field",  # for 'changed': cost, appraisal, theme, title
    "old",
    "new",
    "evidence",  # why a retitled proposal counts as the same one ('' when matched by id)
]
COST_FIELDS = ("cost_status", *AMOUNT_COLUMNS, "first_year", "last_year")


def _ratio(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _at_least(a: str, b: str, threshold: float) -> bool:
    """ratio(a, b) >= threshold, with the cheap upper bounds tried first (most pairs fail them)."""
    if not a or not b:
        return False
    total = len(a) + len(b)
    if 2 * min(len(a), len(b)) < threshold * total:  # difflib's real_quick_ratio, without it
        return False
    ca, cb = _letters(a), _letters(b)
    shared = sum(min(n, cb[c]) for c, n in ca.items() if c in cb)
    if 2 * shared < threshold * total:  # difflib's quick_ratio: the letters in common
        return False
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() >= threshold


@functools.lru_cache(maxsize=65536)
def _letters(text: str) -> collections.Counter:
    return collections.Counter(text)


def _retitle_evidence(new: dict, old: dict) -> tuple[float, str]:
    """How sure we are that `new` is `old` retitled (0: not), and the words that say why."""
    new_summary, old_summary = match_key(new.get("summary")), match_key(old.get("summary"))
    new_title, old_title = match_key(new.get("title")), match_key(old.get("title"))
    summary_alike = _at_least(new_summary, old_summary, RETITLE_SUMMARY_SIMILARITY)
    title_alike = _at_least(new_title, old_title, RETITLE_TITLE_SIMILARITY)
    same_place = (
        str(new.get("source_file")) == str(old.get("source_file"))
        and str(new.get("source_row")) == str(old.get("source_row"))
        and str(new.get("cost_text") or "") == str(old.get("cost_text") or "")
        and bool(new.get("cost_text"))
    )
    reasons = []
    if summary_alike:
        reasons.append("zelfde omschrijving")
    if same_place:
        reasons.append("zelfde regel en kosten in het bestand")
    if title_alike:
        reasons.append("titel grotendeels gelijk")
    if not reasons:
        return 0.0, ""
    summary, title = _ratio(new_summary, old_summary), _ratio(new_title, old_title)
    return summary + title + (0.5 if same_place else 0.0), "herkend aan: " + ", ".join(reasons)


_EVIDENCE_COLUMNS = (
    "proposal_id", "organisation", "title", "summary", "source_file", "source_row", "cost_text"
)  # fmt: skip


def match_retitled(
    new: pd.DataFrame, gone: pd.DataFrame, *, unique: bool = False
) -> list[tuple[str, str, str]]:
    """(new id, old id, evidence) for proposals of the same partner that are one proposal renamed;
    each proposal pairs at most once, the most alike first. With `unique`, an old proposal that
    more than one new proposal resembles is left unpaired: which one it became is not evident
    (the search for it then stops at the second, so this stays cheap at any scale)."""

    def records(frame: pd.DataFrame) -> list[dict]:
        return frame[[c for c in _EVIDENCE_COLUMNS if c in frame.columns]].to_dict("records")

    gone = gone[gone["organisation"].isin(new["organisation"])]
    new = new[new["organisation"].isin(gone["organisation"])]
    by_partner: dict[object, list[dict]] = {}
    for n in records(new):  # grouped once: linear in the proposals, not quadratic
        by_partner.setdefault(n["organisation"], []).append(n)
    candidates = []
    for o in records(gone):
        found = []
        for n in by_partner.get(o["organisation"], ()):
            score, evidence = _retitle_evidence(n, o)
            if score > 0:
                found.append((score, n["proposal_id"], o["proposal_id"], evidence))
                if unique and len(found) > 1:
                    break
        if not unique or len(found) == 1:
            candidates += found
    pairs, used_new, used_old = [], set(), set()
    for _, new_id, old_id, evidence in sorted(candidates, key=lambda c: (-c[0], c[1], c[2])):
        if new_id not in used_new and old_id not in used_old:
            pairs.append((new_id, old_id, evidence))
            used_new.add(new_id)
            used_old.add(old_id)
    return pairs


def _same(a: object, b: object) -> bool:
    if pd.isna(a) and pd.isna(b):
        return True
    if isinstance(a, int | float) and isinstance(b, int | float):
        return float(a) == float(b)
    return str(a if not pd.isna(a) else "") == str(b if not pd.isna(b) else "")


def compare_proposals(
    current: pd.DataFrame,
    baseline: pd.DataFrame,
    fields: Sequence[str] = ("cost", "appraisal", "theme", "title"),
    describe: Callable[[str, dict], str] | None = None,
) -> pd.DataFrame:
    """One row per new or withdrawn proposal and per changed field of a proposal in both
    (CHANGE_COLUMNS). `describe(field, record)` gives a field's value in words (default: as is)."""
    describe = describe or (lambda f, r: str(r.get(f, "")))
    new = current[~current["proposal_id"].isin(baseline["proposal_id"])]
    gone = baseline[~baseline["proposal_id"].isin(current["proposal_id"])]
    renamed = match_retitled(new, gone)
    matched_new = {p[0] for p in renamed}
    matched_old = {p[1] for p in renamed}
    cost = "cost" in fields
    rows = [
        *(
            _change_row("new", rec, new=describe("cost", rec) if cost else "")
            for rec in new[~new["proposal_id"].isin(matched_new)].to_dict("records")
        ),
        *(
            _change_row("withdrawn", rec, old=describe("cost", rec) if cost else "")
            for rec in gone[~gone["proposal_id"].isin(matched_old)].to_dict("records")
        ),
        *_field_changes(_paired(current, baseline, renamed), fields, describe),
    ]
    return _in_reading_order(pd.DataFrame(rows, columns=CHANGE_COLUMNS))


def _paired(current: pd.DataFrame, baseline: pd.DataFrame, renamed: list) -> pd.DataFrame:
    """Each proposal in both versions (same id, or retitled with the evidence for it), its
    baseline's columns beside it with the suffix '_old'."""
    pairs = pd.DataFrame(renamed, columns=["proposal_id", "old_id", "evidence"])
    same = current[current["proposal_id"].isin(baseline["proposal_id"])][["proposal_id"]].assign(
        old_id=lambda f: f["proposal_id"], evidence=""
    )
    links = pd.concat([same, pairs], ignore_index=True)
    assert links["proposal_id"].is_unique and links["old_id"].is_unique
    return links.merge(current, on="proposal_id", validate="1:1").merge(
        baseline, left_on="old_id", right_on="proposal_id", suffixes=("", "_old"), validate="1:1"
    )


def _field_changes(both: pd.DataFrame, fields: Sequence[str], describe: Callable) -> list[dict]:
    """A 'changed' row for every field whose value differs between the two versions (the
    cost counts as one field over its amount columns)."""
    rows = []
    for rec in both.to_dict("records"):
        old = {k.removesuffix("_old"): v for k, v in rec.items() if k.endswith("_old")}
        for name in fields:
            columns = COST_FIELDS if name == "cost" else (name,)
            if all(_same(rec.get(c), old.get(c)) for c in columns if c in old):
                continue
            rows.append(
                _change_row(
                    "changed", rec, old_theme=old["theme"], field=name,
                    old=describe(name, old), new=describe(name, rec), evidence=rec["evidence"],
                )
            )  # fmt: skip
    return rows


def _change_row(kind: str, rec: dict, **more: object) -> dict:
    """One line of the changes table about the proposal `rec`."""
    return {
        "kind": kind,
        "proposal_id": rec["proposal_id"],
        "title": rec["title"],
        "organisation": rec["organisation"],
        "theme": rec["theme"],
        "old_theme": more.pop("old_theme", rec["theme"]),
        "field": "",
        "old": "",
        "new": "",
        "evidence": "",
        **more,
    }


def _in_reading_order(changes: pd.DataFrame) -> pd.DataFrame:
    """New first, then withdrawn, then changed; within each by theme, title and field."""
    if changes.empty:
        return changes
    order = {"new": 0, "withdrawn": 1, "changed": 2}
    return changes.sort_values(
        ["kind", "theme", "title", "field"], key=lambda s: s.map(order) if s.name == "kind" else s
    ).reset_index(drop=True)


def count_changes(changes: pd.DataFrame) -> dict[str, int]:
    """Proposals per kind (a changed proposal counts once, however many of its fields changed)."""
    per = changes.drop_duplicates(["kind", "proposal_id"])["kind"].value_counts()
    return {k: int(per.get(k, 0)) for k in ("new", "withdrawn", "changed")}
