"""Tables as an analyst sees them in JupyterLab: Dutch column names, euros the Dutch way, codes in
words. The frames themselves keep their contract names; only what is shown changes.

    from stmh_analysis.report.show import tabel
    tabel(result.proposals, ["theme", "title", "structural_low_eur"])
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from stmh_analysis.problems import DUTCH_TEXT
from stmh_analysis.report.format import euro, number
from stmh_analysis.report.html import Column, Html, table

LABELS = {
    "proposal_id": "Id",
    "theme": "Thema",
    "label": "Thema",
    "organisation": "Organisatie",
    "co_submitters": "Mede-indieners",
    "title": "Titel",
    "summary": "Omschrijving",
    "cost_text": "Kosten zoals ingediend",
    "structural_low_eur": "Structureel per jaar (laag)",
    "structural_high_eur": "Structureel per jaar (hoog)",
    "incidental_low_eur": "Incidenteel totaal (laag)",
    "incidental_high_eur": "Incidenteel totaal (hoog)",
    "shortfall_structural_low_eur": "Tekort structureel (laag)",
    "shortfall_structural_high_eur": "Tekort structureel (hoog)",
    "shortfall_incidental_low_eur": "Tekort incidenteel (laag)",
    "shortfall_incidental_high_eur": "Tekort incidenteel (hoog)",
    "structural_eur": "Structureel per jaar",
    "incidental_eur": "Incidenteel totaal",
    "budget_structural_eur": "Budget structureel",
    "budget_incidental_eur": "Budget incidenteel",
    "first_year": "Vanaf",
    "last_year": "Tot en met",
    "fte": "Fte",
    "cost_status": "Raming",
    "appraisal": "Appreciatie",
    "data_issues": "Opmerkingen",
    "source_file": "Bestand",
    "source_sheet": "Blad",
    "source_row": "Regel",
    "level": "Soort",
    "column": "Kolom",
    "value": "Waarde",
    "code": "Code",
    "message": "Toelichting",
    "reason": "Reden",
    "rows_in": "Regels",
    "in_proposals": "In voorstellen",
    "merged": "Samengevoegd",
    "rejected": "Afgewezen",
    "skipped_blank": "Leeg",
    "skipped_totals": "Totalen",
    "skipped_note": "Opmerking",
    "skipped_hidden": "Verborgen",
    "skipped_example": "Voorbeeld",
    "skipped_section": "Tussenkop",
    "skipped_superseded": "Oudere versie",
    "skipped_detail": "Kostenregel",
    "skipped_withdrawn": "Ingetrokken",
    "skipped_copy": "Kopie (overzicht)",
    "proposals": "Voorstellen",
    "pm": "p.m.",
    "rank_overall": "Rang",
    "rank_in_theme": "Rang in thema",
    "in_optimal_low": "Beste combinatie (laag)",
    "in_optimal_high": "Beste combinatie (hoog)",
    "in_greedy_low": "Op volgorde (laag)",
    "in_greedy_high": "Op volgorde (hoog)",
    "fits": "Past binnen budget",
    "scenario": "Scenario",
    "method": "Methode",
    "costs": "Raming",
    "themes_unmet": "Thema's zonder keuze",
    "unspent_structural_eur": "Niet besteed (structureel)",
    "unspent_incidental_eur": "Niet besteed (incidenteel)",
    "enters": "Erbij t.o.v. de basis",
    "leaves": "Eraf t.o.v. de basis",
}
WORDS = {
    "cost_status": {"estimated": "geraamd", "pm": "p.m."},
    "level": {
        "error": "fout",
        "rejected": "afgewezen",
        "skipped": "overgeslagen",
        "warning": "let op",
        "notice": "melding",
    },
    "fits": {
        "beide_ramingen": "bij beide ramingen",
        "alleen_lage_raming": "alleen bij de lage raming",
    },
    "costs": {"low": "laag", "high": "hoog"},
    "method": {"optimal": "beste combinatie", "greedy": "in volgorde van de rangschikking"},
}


def _reference_labels() -> dict[str, dict[str, str]]:
    """The words for the codes the reference files define: appraisals and themes."""
    from stmh_analysis.paths import Paths
    from stmh_analysis.reference import load_reference

    reference = load_reference(Paths.default().reference)
    return {"appraisal": reference.appraisal_labels, "theme": reference.theme_labels}


def _cell(column: str, value: object, labels: dict[str, dict[str, str]]) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return ""
    if column.endswith("_eur"):
        return euro(float(value))
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if column in labels:  # an appraisal or a theme: its label, not its code
        return labels[column].get(str(value), str(value))
    if column in WORDS:
        return WORDS[column].get(str(value), str(value))
    if column == "code":
        return DUTCH_TEXT.get(str(value), str(value))
    if column in ("first_year", "last_year", "source_row"):
        return str(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return number(float(value), 0 if float(value).is_integer() else 1)
    return str(value)


def tabel(
    frame: pd.DataFrame,
    columns: Sequence[str] | None = None,
    headings: dict[str, str] | None = None,
    rows: int = 200,
) -> Html:
    """`frame` (its first `rows` rows) with Dutch headings and values, escaped, as in the reports;
    `headings` names columns whose meaning depends on the table (a `label` of a scenario)."""
    names = {**LABELS, **(headings or {})}
    cols = list(columns) if columns is not None else list(frame.columns)
    labels = _reference_labels() if {"appraisal", "theme"} & set(cols) else {}  # once per table
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
