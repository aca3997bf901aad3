"""Why a step of `stmh run` runs: a code with its arguments (as doit records a task's reasons),
decided from what the step read and wrote, and worded in Dutch in one place (labels.yaml,
`run_reason` and `table`). The runner acts on the codes; only people read the words."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stmh_analysis.labels import Labels


@dataclass(frozen=True)
class Reason:
    """One reason to run: `code` (new, code, notebook, notebook_parameter, parameter, raw, tables,
    missing, edited) and what it is about (file names, table names, a parameter)."""

    code: str
    args: tuple[str, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "args": list(self.args)}


def reasons_to_run(facts: dict, before: dict | None, outputs_now: dict[str, str]) -> list[Reason]:
    """Why a step must run; empty when it is up to date. A step is up to date only when its
    notebook, code, parameters and inputs are those of its last run and its outputs are still the
    files that run wrote."""
    if not before:
        return [Reason("new")]
    reasons = [Reason(k) for k in ("code", "notebook") if before.get(k) != facts[k]]
    old, new = before.get("notebook_defaults", {}), facts.get("notebook_defaults", {})
    reasons += [
        Reason("notebook_parameter", (k, facts.get("notebook_name", "")))
        for k in _changed(old, new)
    ]
    reasons += [
        Reason("parameter", (k,))
        for k in _changed(before.get("parameters", {}), facts["parameters"])
    ]
    changed = _changed(before.get("inputs", {}), facts["inputs"])
    files = tuple(_name(k) for k in changed if not k.startswith("processed/"))
    tables = tuple(_table(k) for k in changed if k.startswith("processed/"))
    reasons += [Reason("raw", files)] if files else []
    reasons += [Reason("tables", tuple(dict.fromkeys(tables)))] if tables else []
    recorded = before.get("outputs", {})
    missing = tuple(_name(k) for k, v in outputs_now.items() if v == "absent")
    edited = tuple(
        _name(k) for k, v in outputs_now.items() if v != "absent" and recorded.get(k) != v
    )
    reasons += [Reason("missing", missing)] if missing else []
    reasons += [Reason("edited", edited)] if edited else []
    return reasons


def in_words(reason: Reason, labels: Labels) -> str:
    """'invoer gewijzigd: vng.csv', 'kosten per thema, grafieken gewijzigd', ... (labels.yaml)."""
    template = labels.word("run_reason", reason.code)
    if reason.code == "notebook_parameter":
        return template.format(*reason.args)
    args = reason.args
    if reason.code == "tables":
        args = tuple(dict.fromkeys(labels.word("table", t) for t in args))
    return template.format(", ".join(args))


def why_line(reasons: list[Reason], labels: Labels) -> str:
    """All reasons of a step in one line, for the terminal and the manifest."""
    return "; ".join(in_words(r, labels) for r in reasons)


def _changed(old: dict, new: dict) -> list[str]:
    return [k for k in sorted(old.keys() | new.keys()) if old.get(k) != new.get(k)]


def _name(label: str) -> str:
    """'raw/vng.csv' -> 'vng.csv'."""
    return label.split("/", 1)[1]


def _table(label: str) -> str:
    """'processed/gap.csv' -> 'gap'; 'processed/keys/opvang.json' -> 'keys' (a theme's figures)."""
    rel = _name(label)
    return rel.split("/", 1)[0] if "/" in rel else Path(rel).stem
