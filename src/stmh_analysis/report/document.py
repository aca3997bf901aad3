"""What the document notebooks show: the facade they import (`from stmh_analysis.report import
document as d`), in front of the modules that make each part.

The words of each briefing live in its own notebook (`notebooks/nota.ipynb`, `bijlage.ipynb`,
`thema.ipynb`, `kamerbrief.ipynb`): markdown cells for fixed text an analyst edits, short code
cells for tables and charts. This module gives those cells what they need:

- `load(...)` (here): the processed data and the options of one document, with a Dutch message
  saying which notebook or command makes a missing input;
- report.briefing_data: the data a briefing reads, its options, `public_view` (publishable
  columns only, e-mail addresses and phone numbers masked);
- report.figures: `key_figures(data, options, theme)`, every number a sentence may state,
  formatted and marked (`data-figure`) so tests can check it against the data;
- report.tables: tables and charts (escaped, Dutch words from labels.yaml), the same in
  JupyterLab as in the report;
- report.sentences: `zin` and `punten`, a sentence or a list written in the notebook, and the
  documents' headers.

Text meant for one audience lives in that audience's notebook, so nothing written for the nota
can reach the public bijlage.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, fields
from pathlib import Path

from stmh_analysis.outputs import (
    PUBLIC_DOCUMENTS,
)
from stmh_analysis.reference import load_reference
from stmh_analysis.releases import ReleaseError, find_release
from stmh_analysis.report.briefing_data import (
    PUBLIC_COLUMNS,
    BriefingData,
    BriefingOptions,
    DocumentError,
    load_briefing_data,
    provenance_here,
    public_view,
)
from stmh_analysis.report.facts import FACTS_MIME
from stmh_analysis.report.figures import (
    PUBLIC_FIGURES,
    EscapedText,
    Figures,
    appraisal_values_text,
    choice_figures,
    counted,
    dutch_timestamp,
    figure,
    key_figures,
    merge_figures,
    parameter_sources,
    public_figures,
    ranking_rule,
    review_figures,
    shortfalls,
    themes_asked,
    themes_unmet,
    unread_files,
    value_text,
)
from stmh_analysis.report.html import (
    Html,
)
from stmh_analysis.report.sentences import (
    blok,
    brief_kop,
    classification,
    kop,
    nota_kop,
    punten,
    rounding_note,
    zin,
)
from stmh_analysis.report.tables import (
    MAX_NAMES,
    accounting_table,
    change_words,
    changes,
    changes_table,
    charts,
    chosen_table,
    cost_per_theme_table,
    cost_phrase,
    frontier_chart,
    frontier_values_table,
    incidental_words,
    inputs_table,
    not_read_list,
    open_questions_table,
    public_tables,
    ranked_tables,
    reason_text,
    rejected_table,
    scenario_table,
    scenarios_table,
    warnings_list,
)


@dataclass
class Document:
    """What one document notebook works with: its data, options and key figures.

    Shown as the load cell's output, it is the document's header block, and it carries the
    figures and conditions its markdown names (report.facts), invisible in Lab and the report."""

    data: BriefingData
    options: BriefingOptions
    figures: Figures

    def header(self) -> Html:
        audience, reference = self.options.audience, self.data.reference
        if audience == "nota":
            return nota_kop(self.options, reference)
        if audience == "kamerbrief":
            return brief_kop(self.options, reference)
        if audience == "bijlage":
            return kop(*DOCUMENT_HEADINGS["bijlage"], self.options)
        label = self.data.theme_label(audience)
        kind, title = DOCUMENT_HEADINGS["thema"]
        return kop(kind.format(thema=label), title.format(thema=label), self.options)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:
        public = self.options.audience in PUBLIC_DOCUMENTS
        facts = text_facts(self.figures, PUBLIC_FIGURES if public else None)
        return {"text/html": self.header().markup, FACTS_MIME: facts}


# The kind and title of each document's header block ({thema}: the theme's label).
DOCUMENT_HEADINGS = {
    "bijlage": (
        "Bijlage bij de Kamerbrief",
        "Overzicht voorstellen samenwerkingspartners Samen tegen mensenhandel",
    ),
    "thema": ("Themabriefing: {thema} (intern)", "Voorstellen thema {thema}"),
}


def text_facts(figures: Figures, only: Sequence[str] | None = None) -> dict[str, dict]:
    """What the markdown of a document may name: every figure (``{eval}`f.proposals` ``, its
    HTML) and every condition (cell tag ``als:NAAM``): a flag of its own (`require_each_theme`),
    and `has_X` for each count `n_X` above zero and each text figure `X` that is not empty.
    `only`: the names a public document may use (PUBLIC_FIGURES); the rest are not there."""
    values: dict[str, str] = {}
    conditions: dict[str, bool] = {}
    for item in fields(figures):
        if only is not None and item.name not in only:
            continue
        value = getattr(figures, item.name)
        if isinstance(value, bool):
            conditions[item.name] = value
        elif isinstance(value, int):
            conditions["has_" + item.name.removeprefix("n_")] = value > 0
        else:
            values[item.name] = str(value)
            if isinstance(value, str):
                conditions["has_" + item.name] = bool(value.strip())
    return {"values": values, "conditions": conditions}


def load(
    audience: str,
    *,
    processed_dir: str | Path | None = None,
    reference_dir: str | Path | None = None,
    releases_dir: str | Path | None = None,
    compare_with: str = "",
    title: str = "",
    reference_code: str = "",
    date: str = "",
    public_appraisals: Sequence[str] | None = None,
    run_date: str = "",
    provenance_json: str = "{}",
) -> Document:
    """Everything a document notebook needs, from its parameters cell (None: the repository's own
    folders). 'What changed' compares with release `compare_with`, or the last release when empty.
    Raises DocumentError in Dutch when an input is missing or a parameter is unusable."""
    from stmh_analysis.paths import Paths

    paths = Paths.default().with_overrides(
        processed=processed_dir, reference=reference_dir, releases=releases_dir
    )
    reference = load_reference(paths.reference)
    if audience not in ("nota", "bijlage", "kamerbrief", *reference.theme_labels):
        raise DocumentError(
            f"onbekend document {audience!r}: kies nota, kamerbrief, bijlage of een thema uit "
            f"data/reference/themes.yaml ({', '.join(reference.theme_labels)})"
        )
    if public_appraisals is None:  # the publication rule as data/reference/appraisals.yaml has it
        public_appraisals = reference.public_appraisals
    bad = [a for a in public_appraisals if a not in (*reference.appraisal_codes, "")]
    if bad:
        raise DocumentError(
            f"public_appraisals: onbekende appreciatie {bad[0]!r}; kies uit "
            f"{', '.join(reference.appraisal_codes)} (data/reference/appraisals.yaml)"
        )
    options = BriefingOptions(
        audience=audience,
        title=title,
        reference_code=reference_code,
        date=date,
        public_appraisals=tuple(public_appraisals),
        run_date=run_date,
    )
    try:
        baseline = find_release(paths.releases, compare_with)
    except ReleaseError as exc:
        raise DocumentError(str(exc)) from None
    provenance = json.loads(provenance_json or "{}") or provenance_here()
    data = load_briefing_data(paths.processed, reference, provenance, baseline)
    theme = audience if audience in reference.theme_labels else None
    return Document(data, options, key_figures(data, options, theme))


# The facade the notebooks import (`from stmh_analysis.report import document as d`): every
# part of a document, from the module that makes it.
__all__ = [
    "BriefingData",
    "BriefingOptions",
    "DOCUMENT_HEADINGS",
    "Document",
    "DocumentError",
    "EscapedText",
    "Figures",
    "MAX_NAMES",
    "PUBLIC_COLUMNS",
    "PUBLIC_FIGURES",
    "accounting_table",
    "appraisal_values_text",
    "blok",
    "brief_kop",
    "change_words",
    "changes",
    "changes_table",
    "charts",
    "choice_figures",
    "chosen_table",
    "classification",
    "cost_per_theme_table",
    "cost_phrase",
    "counted",
    "dutch_timestamp",
    "figure",
    "frontier_chart",
    "frontier_values_table",
    "incidental_words",
    "inputs_table",
    "key_figures",
    "kop",
    "load",
    "load_briefing_data",
    "merge_figures",
    "not_read_list",
    "nota_kop",
    "open_questions_table",
    "parameter_sources",
    "provenance_here",
    "public_figures",
    "public_tables",
    "public_view",
    "punten",
    "ranked_tables",
    "ranking_rule",
    "reason_text",
    "rejected_table",
    "review_figures",
    "rounding_note",
    "scenario_table",
    "scenarios_table",
    "shortfalls",
    "text_facts",
    "themes_asked",
    "themes_unmet",
    "unread_files",
    "value_text",
    "warnings_list",
    "zin",
]
