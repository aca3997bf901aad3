"""Tables as an analyst sees them in JupyterLab: Dutch column names, euros the Dutch way, codes in
words. The frames themselves keep their contract names; only what is shown changes.

    from stmh_analysis.report.show import tables_in
    tabel = tables_in(reference)
    tabel(result.proposals, ["theme", "title", "structural_low_eur"])
"""

from __future__ import annotations

import functools
import numbers
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from stmh_analysis.report.format import euro, number
from stmh_analysis.report.html import Column, Html, table

if TYPE_CHECKING:
    from stmh_analysis.reference import Reference

# columns whose codes labels.yaml words (the kind of code each column holds)
_CODE_COLUMNS = {
    "cost_status": "cost_status",
    "level": "level",
    "fits": "fits",
    "costs": "costs",
    "method": "method",
}


def tables_in(reference: Reference) -> Callable[..., Html]:
    """`tabel` with this run's reference (its --reference folder): the notebooks' tables."""
    return functools.partial(tabel, reference=reference)


def _code_words(reference: Reference) -> dict[str, dict[str, str]]:
    """Per column the word for each code: appraisals and themes from their own files, the rest
    from labels.yaml, problem codes from problems.csv."""
    words = {c: reference.labels.words(kind) for c, kind in _CODE_COLUMNS.items()}
    words["code"] = reference.problem_texts
    return {"appraisal": reference.appraisal_labels, "theme": reference.theme_labels, **words}


def _cell(column: str, value: object, labels: dict[str, dict[str, str]]) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    # text in an amount column (a question's empty reading) stays text
    if column.endswith("_eur") and _is_number(value):
        return euro(float(value))
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if column in labels:  # a code: its word (labels.yaml, themes, appraisals, problems)
        return labels[column].get(str(value), str(value))
    if column in ("first_year", "last_year", "source_row"):
        return str(value)
    if _is_number(value):
        return number(float(value), 0 if float(value).is_integer() else 1)
    return str(value)


def _is_number(value: object) -> bool:
    """A number, numpy's included; not a bool (ja/nee) and not text."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


def tabel(
    frame: pd.DataFrame,
    columns: Sequence[str] | None = None,
    headings: dict[str, str] | None = None,
    rows: int = 200,
    reference: Reference | None = None,
) -> Html:
    """`frame` (its first `rows` rows) with Dutch headings and values, escaped, as in the reports;
    `headings` names columns whose meaning depends on the table (a `label` of a scenario). The
    words come from `reference` (None: the repository's data/reference)."""
    if reference is None:
        from stmh_analysis.paths import Paths
        from stmh_analysis.reference import load_reference

        reference = load_reference(Paths.default().reference)
    names = {**reference.labels.columns, **(headings or {})}
    cols = list(columns) if columns is not None else list(frame.columns)
    labels = _code_words(reference)  # once per table
    shown = [
        Column(
            names.get(c, c),
            lambda r, c=c: _cell(c, r[c], labels),
            "num" if c.endswith("_eur") or c in ("rows_in", "proposals", "pm") else "",
        )
        for c in cols
    ]
    more = len(frame) - rows
    note = Html(f"<p>… en nog {number(more)} regels.</p>") if more > 0 else Html("")
    return table(frame.head(rows).to_dict("records"), shown) + note
