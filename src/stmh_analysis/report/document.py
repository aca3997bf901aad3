"""What the document notebooks show: the data a briefing reads, its key figures, its tables.

The words of each briefing live in its own notebook (`notebooks/nota.ipynb`, `bijlage.ipynb`,
`thema.ipynb`): markdown cells for fixed text an analyst edits, short code cells for sentences
with figures. This module gives those cells what they need and nothing else:

- `load(...)`: the processed data and the options of one document, with a Dutch message saying
  which notebook or command makes a missing input;
- `key_figures(data, theme)`: every number a sentence may state, formatted and marked
  (`data-figure`) so tests can check it against the data;
- tables and charts (escaped, Dutch labels), the same in JupyterLab as in the report;
- `zin` and `punten`: a sentence or a list written in the notebook, with figures in it.

Text meant for one audience lives in that audience's notebook, so nothing written for the nota
can reach the public bijlage, which is built from `public_view` (publishable columns only,
e-mail addresses and phone numbers masked).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path

import pandas as pd

from stmh_analysis import store
from stmh_analysis.labels import Labels
from stmh_analysis.outputs import (
    ACCOUNTING_COUNTS,
    AMOUNT_COLUMNS,
    PUBLIC_DOCUMENTS,
    SKIPPED_COUNTS,
)
from stmh_analysis.parameters import check_date
from stmh_analysis.privacy import known_names, mask_personal
from stmh_analysis.problems import flag_codes
from stmh_analysis.publication import published
from stmh_analysis.reference import FALLBACK_THEME, Reference, load_reference
from stmh_analysis.releases import Release, ReleaseError, find_release
from stmh_analysis.report.facts import FACTS_MIME
from stmh_analysis.report.format import dutch_date, euro, euro_range, euro_short, number
from stmh_analysis.report.html import (
    EMPTY,
    Column,
    Html,
    breakable,
    bullet_list,
    esc,
    join,
    scrolling,
    table,
    tag,
)

PUBLIC_COLUMNS = (
    "proposal_id",
    "theme",
    "title",
    "summary",
    "organisation",
    "co_submitters",
    "cost_status",
    "structural_low_eur",
    "structural_high_eur",
    "incidental_low_eur",
    "incidental_high_eur",
    "first_year",
    "last_year",
    "appraisal",
)


class DocumentError(ValueError):
    """A document cannot be made as asked; the message says why and what to do, in Dutch."""


@dataclass(frozen=True)
class BriefingOptions:
    audience: str = "nota"  # nota, bijlage, or a theme slug
    title: str = ""
    reference_code: str = ""
    date: str = ""  # ISO date of the document; empty: today
    public_appraisals: tuple[str, ...] = ()  # load() fills in appraisals.yaml's `public: true`
    run_date: str = ""  # ISO timestamp of the run, for provenance only

    def __post_init__(self) -> None:
        try:
            check_date(self.date)
        except ValueError as exc:
            raise DocumentError(f"datum: {self.date!r} is geen datum zoals 2024-01-29") from exc

    @property
    def day(self) -> dt.date:
        return dt.date.fromisoformat(self.date) if self.date else dt.date.today()


@dataclass
class BriefingData:
    """Everything the documents read from data/processed."""

    proposals: pd.DataFrame
    ranking: pd.DataFrame
    portfolio: pd.DataFrame
    portfolio_summary: pd.DataFrame
    gap: pd.DataFrame
    issues: pd.DataFrame
    rejected: pd.DataFrame
    accounting: pd.DataFrame
    inputs: pd.DataFrame
    baseline: pd.DataFrame | None  # the proposals of the release compared with (None: no release)
    rank_parameters: dict
    reference: Reference
    provenance: dict = field(default_factory=dict)
    scenarios: pd.DataFrame = field(default_factory=pd.DataFrame)
    scenario_choices: pd.DataFrame = field(default_factory=pd.DataFrame)
    frontier: pd.DataFrame = field(default_factory=pd.DataFrame)
    baseline_release: Release | None = None
    charts: dict[str, str] = field(default_factory=dict)  # name -> inline SVG (charts.json)
    review: pd.DataFrame = field(
        default_factory=pd.DataFrame
    )  # the analyst's questions (review.csv)

    def theme_label(self, slug: str) -> str:
        return self.reference.theme_labels.get(slug, slug)


_MADE_BY = {
    "proposals": "notebook 01-clean-submissions",
    "rejected": "notebook 01-clean-submissions",
    "issues": "notebook 01-clean-submissions",
    "accounting": "notebook 01-clean-submissions",
    "inputs": "notebook 01-clean-submissions",
    "review": "notebook 01-clean-submissions",
    "ranking": "notebook 02-rank-proposals",
    "portfolio": "notebook 02-rank-proposals",
    "portfolio_summary": "notebook 02-rank-proposals",
    "gap": "notebook 02-rank-proposals",
    "rank_parameters": "notebook 02-rank-proposals",
    "scenarios": "notebook 02-rank-proposals",
    "scenario_choices": "notebook 02-rank-proposals",
    "frontier": "notebook 02-rank-proposals",
    "charts": "notebook 02-rank-proposals",
}


def load_briefing_data(
    processed: Path,
    reference: Reference,
    provenance: dict | None = None,
    baseline: Release | None = None,
) -> BriefingData:
    """The processed tables, and the proposals of the `baseline` release when given; a missing
    table raises DocumentError naming what makes it."""
    missing = [
        name
        for name, path in (
            *(
                (n, processed / f"{n}.csv")
                for n in _MADE_BY
                if n not in ("rank_parameters", "charts")
            ),
            ("rank_parameters", processed / "rank_parameters.json"),
            ("charts", processed / "charts.json"),
        )
        if not path.exists()
    ]
    if missing:
        makers = sorted({_MADE_BY[n] for n in missing})
        raise DocumentError(
            f"In {processed} ontbreekt {', '.join(missing)}. Voer eerst {' en '.join(makers)} uit "
            "(in JupyterLab of met papermill), of in één keer: stmh run."
        )

    def csv(name: str) -> pd.DataFrame:
        return pd.read_csv(
            processed / f"{name}.csv",
            encoding="utf-8-sig",
            keep_default_na=False,
            dtype={"source_row": "string"},
        )

    return BriefingData(
        proposals=store.read_table(processed / "proposals"),
        ranking=store.read_table(processed / "ranking"),
        portfolio=store.read_table(processed / "portfolio"),
        portfolio_summary=csv("portfolio_summary"),
        gap=csv("gap"),
        issues=csv("issues"),
        rejected=csv("rejected"),
        accounting=csv("accounting"),
        inputs=csv("inputs"),
        baseline=pd.read_parquet(baseline.proposals) if baseline is not None else None,
        baseline_release=baseline,
        charts=json.loads((processed / "charts.json").read_text(encoding="utf-8")),
        rank_parameters=json.loads(
            (processed / "rank_parameters.json").read_text(encoding="utf-8")
        ),
        reference=reference,
        provenance=provenance or {},
        scenarios=store.read_table(processed / "scenarios"),
        scenario_choices=csv("scenario_choices"),
        frontier=csv("frontier"),
        review=csv("review"),
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


def provenance_here() -> dict[str, str]:
    """The provenance of a document run by hand (in JupyterLab), where no `stmh run` gave one:
    now, this package's version and the checkout's commit, so the sentence is whole there too."""
    from importlib import metadata

    from stmh_analysis.pipeline import git_commit

    return {
        "run_date": dt.datetime.now().isoformat(timespec="seconds"),
        "package_version": metadata.version("stmh-analysis"),
        "git_commit": git_commit(),
    }


def public_view(proposals: pd.DataFrame) -> pd.DataFrame:
    """Only publishable columns; e-mail addresses, phone numbers and person names in the title,
    summary and organisation are masked by the one privacy filter (privacy.mask_personal)."""
    return _masked(proposals)[[c for c in PUBLIC_COLUMNS if c in proposals.columns]].copy()


# --- sentences written in the notebook ----------------------------------------------------------


def zin(markup: str, cls: str = "") -> Html:
    """A paragraph the analyst wrote in a code cell, with figures in it (f-string). The analyst's
    own words are trusted; figures are made here and partner text never enters a sentence."""
    attribute = f' class="{esc(cls)}"' if cls else ""
    return Html(f"<p{attribute}>{markup}</p>")


def blok(*parts: Html) -> Html:
    """Parts printed together on one page (a short list and its table, such as the provenance),
    so no page holds only the tail of them."""
    return tag("section", join(parts), cls="keep-together")


def punten(items: Sequence[str | Html]) -> Html:
    """A bullet list of such sentences (empty items left out)."""
    return Html("<ul>" + "".join(f"<li>{i}</li>" for i in items if str(i).strip()) + "</ul>")


def classification(options: BriefingOptions) -> str:
    """'Openbaar' for the public documents, 'Intern' for everything else; on every page."""
    return "Openbaar" if options.audience in PUBLIC_DOCUMENTS else "Intern"


def _running_strings(options: BriefingOptions) -> Html:
    """What every printed page repeats: classification (top right), date and kenmerk (bottom)."""
    meta = [f"Datum: {dutch_date(options.day)}"]
    if options.reference_code:
        meta.append(f"Kenmerk: {options.reference_code}")
    return tag("p", classification(options), cls="classification") + tag(
        "p", " · ".join(meta), cls="doc-meta"
    )


def kop(kind: str, title: str, options: BriefingOptions) -> Html:
    """A briefing's header block: its kind, its title, date, kenmerk and classification."""
    return tag(
        "header",
        tag("p", kind, cls="doc-kind")
        + tag("h1", options.title or title, cls="doc-title")
        + _running_strings(options),
        cls="doc-header",
    )


def nota_kop(options: BriefingOptions, reference: Reference) -> Html:
    """The nota's header block in the ministry's form: Aan, Van, Datum, Kenmerk, Onderwerp, with
    the directorate, date, kenmerk and classification in the margin (settings.yaml: nota)."""
    memo = reference.memo
    subject = options.title or memo.subject
    kenmerk = options.reference_code or "(nog toe te kennen)"
    fields = [
        ("Aan", memo.to),
        ("Van", memo.sender),
        ("Datum", dutch_date(options.day)),
        ("Kenmerk", kenmerk),
        ("Onderwerp", subject),
    ]
    margin = (
        _margin(options, reference, kenmerk)
        + tag("p", "Classificatie", cls="label")
        + tag("p", classification(options))
    )
    return _memo_header("Nota", subject, _fields(fields), margin, options)


def _fields(fields: list[tuple[str, str]]) -> Html:
    rows = join(tag("tr", tag("th", k, scope="row") + tag("td", v)) for k, v in fields if v)
    return tag("table", rows, cls="memo-fields")


def _memo_header(
    kind: str, subject: str, main: Html, margin: Html, options: BriefingOptions
) -> Html:
    """A header block on the ministry's paper: kind, title, the main block beside the margin
    (CSS columns that stack on a narrow screen), and what every printed page repeats."""
    return tag(
        "header",
        tag("p", kind, cls="doc-kind")
        + tag("h1", subject, cls="doc-title")
        + tag(
            "div",
            tag("div", main, cls="memo-main") + tag("div", margin, cls="memo-margin"),
            cls="memo-head",
        )
        + _running_strings(options),
        cls=f"doc-header memo{' letter' if kind == 'Kamerbrief' else ''}",
    )


def _margin(options: BriefingOptions, reference: Reference, kenmerk: str) -> Html:
    return (
        join(tag("p", line, cls="org-line") for line in reference.memo.margin)
        + tag("p", "Datum", cls="label")
        + tag("p", dutch_date(options.day))
        + tag("p", "Ons kenmerk", cls="label")
        + tag("p", kenmerk)
    )


def brief_kop(options: BriefingOptions, reference: Reference) -> Html:
    """The Kamerbrief's head in the form of a letter to Parliament: the address, place and date,
    Betreft, with the directorate and kenmerk in the margin (settings.yaml: kamerbrief)."""
    letter = reference.letter
    subject = options.title or letter.subject
    kenmerk = options.reference_code or "(nog toe te kennen)"
    address = tag("address", join(tag("p", line) for line in letter.to), cls="letter-to")
    fields = [
        ("Datum", f"{letter.place}, {dutch_date(options.day)}" if letter.place else ""),
        ("Betreft", subject),
    ]
    margin = _margin(options, reference, kenmerk)
    return _memo_header("Kamerbrief", subject, address + _fields(fields), margin, options)


def rounding_note() -> Html:
    """How short amounts are rounded (the units of format.SHORT_UNITS), for every document."""
    from stmh_analysis.report.format import SHORT_FORM_NOTE

    return tag("p", SHORT_FORM_NOTE, cls="note")


# --- key figures ---------------------------------------------------------------------------------


def figure(name: str, text: str) -> Html:
    """A key figure, marked so tests and readers can find it."""
    return tag("span", text, cls="figure", data_figure=name)


@dataclass(frozen=True)
class Figures:
    """Every number a document's sentences may state, formatted the Dutch way. Html values are
    marked with `data-figure`; plain values are for conditions (`if f.n_pm:`)."""

    proposals: Html
    partners: Html
    pm: Html
    n_pm: int
    structural: Html
    incidental: Html
    budget_structural: Html
    budget_incidental: Html
    budget_incidental_note: str
    budget_structural_exact: Html
    budget_incidental_exact: Html
    shortfall_structural: Html
    shortfall_incidental: Html
    fit_low: Html
    fit_low_structural: Html
    fit_low_incidental: Html
    fit_high: Html
    fit_both: Html
    fit_only_low: Html
    horizon_years: Html
    ranking_rule: str
    appraisal_values: str
    public_appraisals: str
    themes_without_proposals: str
    themes_asked: str
    unread_files: str
    n_unread_files: int
    public_count: Html
    rows_in: Html
    rows_in_proposals: Html
    rows_merged: Html
    rows_rejected: Html
    rows_skipped: Html
    merge_similarity: Html
    flag_similarity: Html
    fte_rate: Html
    fte_rate_source: str
    max_amount: Html
    review_decided: Html  # questions an analyst answered ('3 vragen')
    review_decided_amounts: Html  # of which about an amount ('2 bedragen')
    review_decided_other: Html  # the rest ('1 andere vraag')
    review_open: Html  # questions still open (open again after a partner's change included)
    n_review_decided: int
    n_review_open: int
    n_review_reopened: int
    n_followed_retitle: int  # appraisals and decisions that followed a retitled proposal
    followed_retitle: Html
    run_moment: str
    package_version: str
    git_commit: str
    document_date: Html
    rounding_rule: str  # how short amounts are rounded (format.SHORT_UNITS), for the nota
    require_each_theme: bool  # the budget scenario asks at least one proposal per theme
    themes_unmet: str  # themes that rule could not serve
    chosen_unappraised: Html  # proposals in the best combination (low) without an appraisal
    n_chosen_unappraised: int
    kansrijk_left_out: Html  # kansrijk proposals with a cost estimate left out of it
    n_kansrijk_left_out: int
    kansrijk_left_out_titles: str
    budget_structural_source: str  # where the budget came from, in words (provenance)
    budget_incidental_source: str
    require_each_theme_text: str  # 'ja' / 'nee'
    review_reopened: Html
    # what the public documents state: the published proposals only (publication rule)
    public_structural: Html
    public_incidental: Html
    public_pm: Html
    n_public_pm: int
    public_shortfall_structural: Html
    n_public_shortfall: int  # > 0: the published proposals cost more than the structural budget
    signature: Html  # the Kamerbrief's signatory (settings.yaml: kamerbrief)
    merged_proposals: Html  # proposals that hold more than one submitted row ('2 voorstellen')

    def __post_init__(self) -> None:
        # A text figure is escaped HTML: JupyterLab shows it as HTML too (not '&#x27;').
        for item in fields(self):
            value = getattr(self, item.name)
            if type(value) is str:
                object.__setattr__(self, item.name, EscapedText(value))


class EscapedText(str):
    """A text figure, already escaped: shown as HTML wherever a notebook displays it."""

    def _repr_html_(self) -> str:
        return str(self)


def key_figures(data: BriefingData, options: BriefingOptions, theme: str | None = None) -> Figures:
    """The key figures of all proposals, or of one theme."""
    props = data.proposals if theme is None else data.proposals[data.proposals["theme"] == theme]
    gap = data.gap.set_index("theme").loc["totaal" if theme is None else theme]
    params = data.rank_parameters
    partners = set(props["organisation"]) | {
        c for cs in props["co_submitters"] for c in str(cs).split(";") if c
    }
    pm = int((props["cost_status"] == "pm").sum())
    summary = data.portfolio_summary.set_index("scenario")
    port = data.portfolio if theme is None else data.portfolio[data.portfolio["theme"] == theme]
    low = summary.loc["optimal_low"]
    short_low, short_high, inc_low, inc_high = shortfalls(gap, params)
    acc = data.accounting
    totals = {k: int(acc[k].sum()) for k in ACCOUNTING_COUNTS} if len(acc) else {}
    empty_themes = [  # the fallback theme is no theme the Kamer asked about
        label
        for slug, label in data.reference.theme_labels.items()
        if not (data.proposals["theme"] == slug).any() and slug != FALLBACK_THEME
    ]
    unread = unread_files(data.issues, data.reference)
    public = published(data.proposals, options.public_appraisals)
    prov = data.provenance
    return Figures(
        proposals=figure("proposals", number(len(props))),
        partners=figure("partners", number(len(partners))),
        pm=figure("pm", number(pm)),
        n_pm=pm,
        structural=figure(
            "structural",
            euro_range(gap["structural_low_eur"], gap["structural_high_eur"], short=False),
        ),
        incidental=figure(
            "incidental",
            euro_range(gap["incidental_low_eur"], gap["incidental_high_eur"], short=False),
        ),
        budget_structural=figure("budget_structural", euro_short(params["budget_structural_eur"])),
        budget_incidental=figure("budget_incidental", euro_short(params["budget_incidental_eur"])),
        budget_incidental_note=esc(params.get("budget_incidental_note", "")),
        budget_structural_exact=figure(
            "budget_structural_exact", euro(params["budget_structural_eur"])
        ),
        budget_incidental_exact=figure(
            "budget_incidental_exact", euro(params["budget_incidental_eur"])
        ),
        shortfall_structural=figure(
            "shortfall_structural", euro_range(short_low, short_high, short=False)
        ),
        shortfall_incidental=figure(
            "shortfall_incidental", euro_range(inc_low, inc_high, short=False)
        ),
        fit_low=figure("fit_low", number(int(low["proposals"]))),
        fit_low_structural=figure("fit_low_structural", euro(low["structural_eur"])),
        fit_low_incidental=figure("fit_low_incidental", euro(low["incidental_eur"])),
        fit_high=figure("fit_high", number(int(summary.loc["optimal_high", "proposals"]))),
        fit_both=figure("fit_both", number(int((port["fits"] == "beide_ramingen").sum()))),
        fit_only_low=figure(
            "fit_only_low", number(int((port["fits"] == "alleen_lage_raming").sum()))
        ),
        horizon_years=figure("horizon_years", number(params["horizon_years"])),
        ranking_rule=esc(ranking_rule(params)),
        appraisal_values=esc(appraisal_values_text(params["appraisal_values"], data.reference)),
        public_appraisals=esc(
            ", ".join(data.reference.appraisal_labels.get(a, a) for a in options.public_appraisals)
        ),
        themes_without_proposals=esc(", ".join(empty_themes)),
        themes_asked=esc(themes_asked(data.reference)),
        unread_files=esc("; ".join(f"{f} ({reason})" for f, reason in unread)),
        n_unread_files=len(unread),
        public_count=figure("public_count", number(int(public.sum()))),
        rows_in=figure("rows_in", number(totals.get("rows_in", 0))),
        rows_in_proposals=figure("rows_in_proposals", number(totals.get("in_proposals", 0))),
        rows_merged=figure("rows_merged", number(totals.get("merged", 0))),
        rows_rejected=figure("rows_rejected", number(totals.get("rejected", 0))),
        rows_skipped=figure("rows_skipped", number(sum(totals.get(c, 0) for c in SKIPPED_COUNTS))),
        merge_similarity=figure("merge_similarity", number(data.reference.merge_similarity * 100)),
        flag_similarity=figure("flag_similarity", number(data.reference.flag_similarity * 100)),
        fte_rate=figure("fte_rate", euro(data.reference.fte_rate_eur)),
        fte_rate_source=esc(data.reference.fte_rate_source),
        max_amount=figure("max_amount", euro_short(data.reference.max_amount_eur)),
        **review_figures(
            data.review if theme is None else data.review[data.review["theme"] == theme],
            data.issues,
        ),
        run_moment=esc(dutch_timestamp(options.run_date or prov.get("run_date", ""))),
        package_version=esc(prov.get("package_version", "")),
        git_commit=esc(prov.get("git_commit", "onbekend")),
        document_date=figure("document_date", dutch_date(options.day)),
        **choice_figures(data, port) | public_figures(data, options) | merge_figures(props),
    )


# The figures a public document may name (the Kamerbrief, the bijlage): none of them says
# anything about appraisals, contacts, the ranking or the analyst's work.
PUBLIC_FIGURES = (
    "public_count",
    "public_structural",
    "public_incidental",
    "public_pm",
    "n_public_pm",
    "public_shortfall_structural",
    "n_public_shortfall",
    "budget_structural",
    "budget_incidental",
    "budget_structural_exact",
    "budget_incidental_exact",
    "budget_incidental_note",
    "themes_asked",
    "document_date",
    "signature",
)


def public_figures(data: BriefingData, options: BriefingOptions) -> dict[str, object]:
    """The totals of the proposals the public bijlage shows, as the Kamerbrief and the bijlage
    state them; and the letter's signatory."""
    shown = data.proposals[published(data.proposals, options.public_appraisals)]
    costed = shown[shown["cost_status"] != "pm"]
    total = {c: float(costed[c].sum()) for c in AMOUNT_COLUMNS}
    shortfall = shortfalls(total, data.rank_parameters)[:2]
    pm = int((shown["cost_status"] == "pm").sum())
    letter = data.reference.letter
    return {
        "public_structural": figure(
            "public_structural",
            euro_range(total["structural_low_eur"], total["structural_high_eur"], short=False),
        ),
        "public_incidental": figure(
            "public_incidental",
            euro_range(total["incidental_low_eur"], total["incidental_high_eur"], short=False),
        ),
        "public_pm": figure("public_pm", counted(pm, "voorstel", "voorstellen")),
        "n_public_pm": pm,
        "public_shortfall_structural": figure(
            "public_shortfall_structural", euro_range(*shortfall, short=False)
        ),
        "n_public_shortfall": int(shortfall[1] > 0),
        "signature": Html(
            "<br>".join(esc(line) for line in (letter.signatory_name, letter.signatory) if line)
        ),
    }


def merge_figures(proposals: pd.DataFrame) -> dict[str, object]:
    """Into how many proposals the double submissions were merged: the rows_merged rows went
    into these, so the two counts read together ('3 regels in 2 voorstellen')."""
    rows = pd.to_numeric(proposals["merged_rows"], errors="coerce").fillna(1)
    n = int((rows > 1).sum())
    return {"merged_proposals": figure("merged_proposals", counted(n, "voorstel", "voorstellen"))}


def shortfalls(costs, params: dict) -> tuple[float, float, float, float]:
    """What the costs (low and high, structural and incidental) exceed the budget by, never
    below zero: structural low, high, incidental low, high."""
    budget = (params["budget_structural_eur"], params["budget_incidental_eur"])
    return tuple(
        max(0.0, float(costs[f"{kind}_{level}_eur"]) - budget[i])
        for i, kind in enumerate(("structural", "incidental"))
        for level in ("low", "high")
    )


def choice_figures(data: BriefingData, port: pd.DataFrame) -> dict[str, object]:
    """What the budget scenario leans on: how many chosen proposals have no appraisal yet, and
    which kansrijk proposals it leaves out; the rule it worked under (each theme, rounding)."""
    from stmh_analysis.report.format import SHORT_FORM_NOTE

    chosen = port[port["in_optimal_low"]]
    unappraised = int((chosen["appraisal"].fillna("") == "").sum())
    left_out = port[(port["appraisal"] == "kansrijk") & port["candidate"] & ~port["in_optimal_low"]]
    return {
        "rounding_rule": esc(SHORT_FORM_NOTE),
        "budget_structural_source": esc(parameter_sources(data)["budget_structural_eur"]),
        "budget_incidental_source": esc(parameter_sources(data)["budget_incidental_eur"]),
        "require_each_theme_text": "ja"
        if data.rank_parameters.get("require_each_theme")
        else "nee",
        "require_each_theme": bool(data.rank_parameters.get("require_each_theme")),
        "themes_unmet": themes_unmet(data),
        "chosen_unappraised": figure(
            "chosen_unappraised", counted(unappraised, "voorstel", "voorstellen")
        ),
        "n_chosen_unappraised": unappraised,
        "kansrijk_left_out": figure(
            "kansrijk_left_out",
            counted(len(left_out), "kansrijk voorstel", "kansrijke voorstellen"),
        ),
        "n_kansrijk_left_out": len(left_out),
        "kansrijk_left_out_titles": esc("; ".join(left_out.sort_values("rank_overall")["title"])),
    }


def themes_asked(reference: Reference) -> str:
    """'klantaanpak, bescherming van minderjarigen, ... en technologie': the themes of
    themes.yaml (not the fallback), as a phrase."""
    labels = [
        label[0].lower() + label[1:] if not label[:2].isupper() else label
        for slug, label in reference.theme_labels.items()
        if slug != FALLBACK_THEME
    ]
    return ", ".join(labels[:-1]) + (" en " if len(labels) > 1 else "") + labels[-1]


def ranking_rule(params: dict) -> str:
    """The order the ranking used, as a phrase: 'appreciatie (kansrijk eerst), dan ...'."""
    names = {
        "appraisal": "appreciatie (kansrijk eerst)",
        "expected_cost": "lagere verwachte kosten",
        "cost_range": "smallere bandbreedte",
    }
    weights = params.get("ranking_weights") or {}
    if weights:
        return "gewogen score van " + ", ".join(
            f"{names.get(k, k)} (gewicht {number(v, 1)})" for k, v in weights.items()
        )
    return ", dan ".join(names.get(c, c) for c in params.get("ranking_criteria", []))


def value_text(value: float) -> str:
    """A value in appraisal points, the same in every table and sentence: '41', '38,5'."""
    return number(value, 1).removesuffix(",0")


def appraisal_values_text(values: dict[str, float], reference: Reference) -> str:
    """'kansrijk 3, nader uitwerken 1, geen appreciatie 0,5; niet kansrijk wordt niet gekozen'."""
    labels = {**reference.appraisal_labels, "none": reference.appraisal_labels.get("", "none")}
    chosen = [f"{labels.get(k, k)} {value_text(v)}" for k, v in values.items() if v > 0]
    never = [labels.get(k, k) for k, v in values.items() if v <= 0]
    return ", ".join(chosen) + (f"; {' en '.join(never)} wordt niet gekozen" if never else "")


def unread_files(issues: pd.DataFrame, reference: Reference) -> list[tuple[str, str]]:
    """(file, Dutch reason) for every submission file that could not be read at all."""
    errors = issues[issues["level"] == "error"].drop_duplicates("source_file")
    return [
        (r["source_file"], reference.problem_texts.get(r["code"], r["message"]))
        for r in errors.to_dict("records")
    ]


def dutch_timestamp(iso: str) -> str:
    """'2024-01-29T14:05:00+01:00' -> '29 januari 2024, 14:05 (UTC+01:00)'; unreadable text as is."""
    try:
        moment = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    zone = moment.strftime("%z")
    zone_text = f" (UTC{zone[:3]}:{zone[3:]})" if zone else ""
    return f"{dutch_date(moment.date())}, {moment:%H:%M}{zone_text}"


# --- cells of tables -----------------------------------------------------------------------------


def _cost_cells(rec: dict) -> tuple[str, str]:
    if rec.get("cost_status") == "pm":
        return "kosten onbekend (p.m.)", ""
    s = (
        euro_range(rec["structural_low_eur"], rec["structural_high_eur"])
        if rec["structural_high_eur"]
        else ""
    )
    i = (
        euro_range(rec["incidental_low_eur"], rec["incidental_high_eur"])
        if rec["incidental_high_eur"]
        else ""
    )
    return (f"{s} per jaar" if s else "—"), (incidental_words(i, rec) if i else "—")


def incidental_words(amount: str, rec: dict) -> str:
    """An incidental amount says what it is: the total over its years ('€ 1,2 mln in totaal
    over 2024–2027'), or a one-off ('€ 25.000 eenmalig (2025)', '€ 25.000 eenmalig')."""
    first, last = rec.get("first_year"), rec.get("last_year")
    known = [int(y) for y in (first, last) if y not in ("", None) and pd.notna(y)]
    if len(set(known)) == 2:
        return f"{amount} in totaal over {min(known)}–{max(known)}"
    return f"{amount} eenmalig" + (f" ({known[0]})" if known else "")


def _proposal_cell(rec: dict, long_names: dict[str, str] | None = None) -> Html:
    org = rec["organisation"]
    org_text = long_names.get(org, org) if long_names else org
    co = [c for c in str(rec.get("co_submitters") or "").split(";") if c]
    if co:
        org_text += (
            " (met " + ", ".join(long_names.get(c, c) if long_names else c for c in co) + ")"
        )
    return tag("strong", rec["title"]) + Html("<br>") + tag("span", org_text, cls="org")


# --- tables --------------------------------------------------------------------------------------


def cost_per_theme_table(data: BriefingData) -> Html:
    """Per theme: proposals, p.m., structural per year and incidental in total, exact as in the
    sentences above it (one way to show a figure in one place)."""
    cols = [
        Column("Thema", lambda r: r["label"]),
        Column("Voorstellen", lambda r: number(r["proposals"]), "num"),
        Column("p.m.", lambda r: number(r["pm"]), "num"),
        Column(
            "Structureel per jaar",
            lambda r: euro_range(r["structural_low_eur"], r["structural_high_eur"], short=False),
            "num",
        ),
        Column(
            "Incidenteel totaal",
            lambda r: euro_range(r["incidental_low_eur"], r["incidental_high_eur"], short=False),
            "num",
        ),
    ]
    gap = data.gap[~((data.gap["theme"] == FALLBACK_THEME) & (data.gap["proposals"] == 0))]
    return table(gap.to_dict("records"), cols, cls="data totals")


def ranked_tables(
    data: BriefingData,
    themes: Sequence[str] | None = None,
    *,
    with_appraisal: bool = True,
    heading: str = "h3",
) -> Html:
    """Per theme with proposals the ranked proposals: rank, proposal and organisation, costs, and
    (internal documents) appraisal and whether it fits the budget."""
    fits = data.portfolio.set_index("proposal_id")["fits"].to_dict()
    fit_label = data.reference.labels.words("fits")
    parts = []
    for slug in themes if themes is not None else list(data.reference.theme_labels):
        rows = data.ranking[data.ranking["theme"] == slug].sort_values("rank_in_theme")
        if rows.empty:
            continue
        cols = [
            Column("Nr.", lambda r: r["rank_in_theme"], "num narrow"),
            Column("Voorstel en indiener", _proposal_cell, "main"),
            Column("Structureel", lambda r: _cost_cells(r)[0], "num"),
            Column("Incidenteel", lambda r: _cost_cells(r)[1], "num"),
        ]
        if with_appraisal:
            cols.append(
                Column(
                    "Appreciatie",
                    lambda r: data.reference.appraisal_labels.get(
                        r["appraisal"] or "", r["appraisal"]
                    ),
                )
            )
            cols.append(
                Column(
                    "Binnen budget", lambda r: fit_label.get(fits.get(r["proposal_id"], ""), "nee")
                )
            )
        parts.append(
            tag(
                "section",
                tag(heading, data.theme_label(slug)) + table(rows.to_dict("records"), cols),
                cls="theme",
            )
        )
    return join(parts) if parts else EMPTY


def charts(data: BriefingData) -> Html:
    """Cost per theme against the budget, and the cumulative cost of the ranked proposals (drawn
    by the rank step, so every document shows the same chart and no document waits for it)."""
    return Html(data.charts["cost_per_theme"] + data.charts["cumulative_cost"])


def scenario_table(data: BriefingData) -> Html:
    """The budget scenarios side by side: proposals chosen, cost, value."""
    s = data.portfolio_summary.set_index("scenario")
    cols = [
        Column("Scenario", lambda r: r["name"]),
        Column("Voorstellen", lambda r: number(r["proposals"]), "num"),
        Column("Structureel per jaar", lambda r: euro(r["structural_eur"]), "num"),
        Column("Incidenteel totaal", lambda r: euro(r["incidental_eur"]), "num"),
        Column("Waarde", lambda r: value_text(r["value"]), "num"),
    ]
    names = data.reference.labels.words("scenario")
    records = [{**s.loc[k].to_dict(), "name": v} for k, v in names.items() if k in s.index]
    return table(records, cols)


def chosen_table(data: BriefingData, theme: str | None = None) -> Html:
    """The proposals within the budget (best combination), with the estimates they fit under."""
    port = data.portfolio if theme is None else data.portfolio[data.portfolio["theme"] == theme]
    chosen = port[port["fits"] != ""].sort_values("rank_overall")
    cols = [
        Column("Voorstel en indiener", _proposal_cell, "main"),
        Column("Thema", lambda r: data.theme_label(r["theme"])),
        Column("Past", lambda r: data.reference.labels.word("fits", r["fits"])),
    ]
    return table(chosen.to_dict("records"), cols) if len(chosen) else tag("p", "Geen.")


def themes_unmet(data: BriefingData) -> str:
    """Themes the 'each theme' scenario could not serve, in words (empty when none)."""
    s = data.portfolio_summary.set_index("scenario")
    return esc(str(s.loc["optimal_low"].get("themes_unmet", "") or "").replace(";", ", "))


def scenarios_table(data: BriefingData, theme: str | None = None) -> Html:
    """The named scenarios side by side, a column each (low estimate): proposals chosen, cost,
    value, what is left unspent, and by name which proposals enter or leave against the base."""
    low = data.scenarios[data.scenarios["costs"] == "low"].reset_index(drop=True)
    high = data.scenarios[data.scenarios["costs"] == "high"].set_index("scenario")
    if theme is not None:
        props = data.proposals.set_index("proposal_id")
        choice = data.scenario_choices.merge(
            props[["theme", "title", "structural_low_eur", "incidental_low_eur"]],
            left_on="proposal_id", right_index=True, how="left", validate="m:1",
        )  # fmt: skip
        mine = choice[(choice["theme"] == theme) & (choice["costs"] == "low")]
        base = set(mine[mine["scenario"] == low["scenario"].iloc[0]]["proposal_id"])
        rows = {
            "Voorstellen van dit thema gekozen": [],
            "Structureel per jaar (dit thema)": [],
            "Incidenteel totaal (dit thema)": [],
            "Erbij t.o.v. de basis": [],
            "Eraf t.o.v. de basis": [],
        }
        for name in low["scenario"]:
            chosen = mine[mine["scenario"] == name]
            ids = set(chosen["proposal_id"])
            rows["Voorstellen van dit thema gekozen"].append(number(len(ids)))
            rows["Structureel per jaar (dit thema)"].append(
                euro(chosen["structural_low_eur"].sum())
            )
            rows["Incidenteel totaal (dit thema)"].append(euro(chosen["incidental_low_eur"].sum()))
            titles = props["title"]
            rows["Erbij t.o.v. de basis"].append(
                "; ".join(sorted(titles[p] for p in ids - base)) or "—"
            )
            rows["Eraf t.o.v. de basis"].append(
                "; ".join(sorted(titles[p] for p in base - ids)) or "—"
            )
    else:
        rows = {
            "Structureel budget per jaar": [euro(v) for v in low["budget_structural_eur"]],
            "Voorstellen gekozen": [number(v) for v in low["proposals"]],
            "Voorstellen gekozen (hoge raming)": [
                number(high.loc[n, "proposals"]) if n in high.index else "—"
                for n in low["scenario"]
            ],
            "Structureel per jaar": [euro(v) for v in low["structural_eur"]],
            "Incidenteel totaal": [euro(v) for v in low["incidental_eur"]],
            "Waarde": [value_text(v) for v in low["value"]],
            "Niet besteed (structureel)": [euro(v) for v in low["unspent_structural_eur"]],
            "Erbij t.o.v. de basis": [str(v).replace(";", "; ") or "—" for v in low["enters"]],
            "Eraf t.o.v. de basis": [str(v).replace(";", "; ") or "—" for v in low["leaves"]],
        }
    # Who enters and leaves is a list of names: under the table, per scenario, not in narrow columns.
    enters, leaves = rows.pop("Erbij t.o.v. de basis"), rows.pop("Eraf t.o.v. de basis")
    head = tag(
        "tr",
        tag("td", "") + join(tag("th", lbl, cls="num", scope="col") for lbl in low["label"]),
    )
    body = join(
        tag("tr", tag("th", name, scope="row") + join(tag("td", v, cls="num") for v in values))
        for name, values in rows.items()
    )
    moves = [
        tag("strong", label)
        + Html(": ")
        + Html(esc(f"erbij {_names(come)}" if come != "—" else "niets erbij"))
        + Html("; ")
        + Html(esc(f"eraf {_names(go)}" if go != "—" else "niets eraf"))
        + Html(".")
        for label, come, go in zip(low["label"][1:], enters[1:], leaves[1:], strict=True)
    ]
    changes = (
        tag("p", "Ten opzichte van de basis (lage raming):", cls="note")
        + bullet_list(moves, cls="moves")
        if moves
        else EMPTY
    )
    return (
        scrolling(tag("table", tag("thead", head) + tag("tbody", body), cls="data scenarios keep"))
        + changes
    )


MAX_NAMES = 12  # longer lists of proposals are cut in the text; the workbook has them all


def _names(joined: str) -> str:
    """'a; b; c' as written, or its first MAX_NAMES and how many more (all in voorstellen.xlsx)."""
    names = [n.strip() for n in joined.split(";") if n.strip()]
    if len(names) <= MAX_NAMES:
        return "; ".join(names)
    rest = len(names) - MAX_NAMES
    return "; ".join(names[:MAX_NAMES]) + f" en {rest} andere (alle in voorstellen.xlsx)"


def frontier_chart(data: BriefingData) -> Html:
    """The value of the next euro: best value per structural budget, with each scenario's budget."""
    if "frontier" not in data.charts:
        return tag(
            "p",
            "Niet berekend: voor zoveel kandidaat-voorstellen met zulke fijne bedragen duurt de "
            "exacte berekening te lang.",
            cls="note",
        )
    return Html(data.charts["frontier"])


def frontier_values_table(data: BriefingData, rows: int = 12) -> Html:
    """The frontier's values as text, beside its chart: the best value at budgets in round steps
    (€ 0,5 mln, or larger so that about `rows` rows cover every budget where it still rises)."""
    frontier = data.frontier
    if frontier is None or frontier.empty:
        return EMPTY
    top = float(frontier["budget_eur"].max())
    step = next(s for s in (250_000, 500_000, 1_000_000, 2_000_000, 5_000_000, 10**7, 10**8)
                if top / s <= rows) if top > 0 else 1.0  # fmt: skip
    budgets = [step * k for k in range(int(top // step) + 2)]
    ordered = frontier.sort_values("budget_eur")
    records = [
        {"budget": b, "value": float(ordered[ordered["budget_eur"] <= b + 1e-6]["value"].max())}
        for b in budgets
    ]
    cols = [
        Column("Structureel budget per jaar", lambda r: euro(r["budget"]), "num"),
        Column("Beste haalbare waarde", lambda r: value_text(r["value"]), "num"),
    ]
    params = data.rank_parameters
    reach = "" if params.get("frontier_complete", True) else (
        f" (berekend tot {euro_short(params['frontier_max_budget_eur'])} per jaar)"
    )  # fmt: skip
    caption = "De waarde van de volgende euro in getallen" + reach
    return table(records, cols, cls="data small", caption=caption)


def cost_phrase(rec: dict) -> str:
    """A proposal's indicative cost in words: '€ 100.000 – € 200.000 per jaar + € 50.000
    incidenteel', 'p.m.' or '€ 0'."""
    if rec.get("cost_status") == "pm":
        return "p.m."
    parts = []
    if rec.get("structural_high_eur"):
        low, high = rec["structural_low_eur"], rec["structural_high_eur"]
        parts.append(euro_range(low, high, short=False) + " per jaar")
    if rec.get("incidental_high_eur"):
        low, high = rec["incidental_low_eur"], rec["incidental_high_eur"]
        parts.append(euro_range(low, high, short=False) + " incidenteel")
    return " + ".join(parts) or "€ 0"


def change_words(rec: dict, public: bool, labels: Labels) -> str:
    """What changed about a proposal, in words: 'nieuw', 'vervallen' ('niet meer opgenomen' in
    public), or the field ('kosten', 'titel (zelfde indiener, ...)')."""
    if rec["kind"] != "changed":
        return labels.word("change_kind_public" if public else "change_kind", rec["kind"])
    note = f" ({rec['evidence']})" if rec["evidence"] and rec["field"] == "title" else ""
    return f"{labels.word('changed_field', rec['field'])}{note}"


def changes(
    data: BriefingData, theme: str | None = None, public: Sequence[str] = ()
) -> pd.DataFrame:
    """The changes against the release compared with (changes.CHANGE_COLUMNS); for the public
    annex (`public` appraisals) only proposals it shows, and never the appraisal."""
    from stmh_analysis.changes import compare_proposals

    cur, old = data.proposals, data.baseline
    if old is None:
        return pd.DataFrame()
    fields: tuple[str, ...] = ("cost", "appraisal", "theme", "title")
    if public:
        cur = cur[published(cur, public)]
        old = old[published(old, public)]
        fields = ("cost", "theme", "title")
        cur, old = _masked(cur), _masked(old)  # the public filter, as in public_view

    def describe(name: str, rec: dict) -> str:
        if name == "cost":
            return cost_phrase(rec)
        if name == "theme":
            return data.theme_label(rec["theme"])
        if name == "appraisal":
            return data.reference.appraisal_labels.get(rec.get("appraisal") or "", "geen")
        return str(rec.get(name) or "")

    found = compare_proposals(cur, old, fields, describe)
    if theme is not None and len(found):
        found = found[(found["theme"] == theme) | (found["old_theme"] == theme)]
    return found


def _masked(proposals: pd.DataFrame) -> pd.DataFrame:
    """The proposals with their title, summary and organisation through the privacy filter."""
    names = known_names(
        proposals.get("contact_person", pd.Series(dtype=str)).fillna("").astype(str)
    )
    out = proposals.copy()
    for col in ("title", "summary", "organisation"):
        if col in out.columns:
            out[col] = [mask_personal(t, names)[0] for t in out[col].fillna("").astype(str)]
    return out


def changes_table(data: BriefingData, theme: str | None = None, public: Sequence[str] = ()) -> Html:
    """New, withdrawn and changed proposals against the last release (or the one asked for),
    with old and new values and the counts; one sentence when there is no release or no change."""
    from stmh_analysis.changes import count_changes

    release = data.baseline_release
    if release is None:
        if public:
            return tag("p", "Dit is de eerste versie van deze bijlage.")
        return tag(
            "p",
            "Er is nog geen verzonden versie om mee te vergelijken. Zodra deze versie is "
            "verzonden en vastgelegd, noemt de volgende versie wat er sindsdien veranderde.",
        )
    since = (
        f"de versie van {dutch_date(release.day)}"
        if public
        else f"de verzonden versie {release.name} van {dutch_date(release.day)}"
    )
    found = changes(data, theme, public)
    if found.empty:
        return tag("p", f"Geen wijzigingen ten opzichte van {since}.")
    n = count_changes(found)
    kinds = data.reference.labels.words("change_kind_public" if public else "change_kind")
    counts = (
        f"Ten opzichte van {since}: {n['new']} {kinds['new']}, {n['withdrawn']} "
        f"{kinds['withdrawn']}, {n['changed']} {kinds['changed']}."
    )
    records = found.to_dict("records")
    for previous, rec in zip([None, *records], records, strict=False):
        rec["first"] = previous is None or previous["proposal_id"] != rec["proposal_id"]

    def what(r: dict) -> str:
        return change_words(r, bool(public), data.reference.labels)

    cols = [
        Column(
            "Voorstel",
            lambda r: _proposal_cell(r) if r["first"] else Html(""),
            "main",
        ),
        Column("Wijziging", what),
        Column("Was", lambda r: r["old"]),  # a cost, a theme or a title: read left to right
        Column("Wordt", lambda r: r["new"]),
    ]
    return tag("p", counts, cls="note") + table(records, cols, cls="data changes")


def review_figures(review: pd.DataFrame, issues: pd.DataFrame) -> dict[str, object]:
    """How many of the analyst's questions are decided (amounts among them) and still open, and
    how many appraisals and decisions followed a retitled proposal; each with its noun in the
    right number ('1 bedrag', '12 bedragen')."""
    followed = int((issues["code"] == "followed_retitle").sum()) if len(issues) else 0
    status = review["status"] if len(review) else pd.Series(dtype=str)
    decided = review[status == "besloten"] if len(review) else review
    amounts = int((decided["kind"] == "bedrag").sum()) if len(decided) else 0
    still_open = int(status.isin(["open", "opnieuw open"]).sum())
    return {
        "review_decided": figure("review_decided", counted(len(decided), "vraag", "vragen")),
        "review_decided_amounts": figure(
            "review_decided_amounts", counted(amounts, "bedrag", "bedragen")
        ),
        "review_decided_other": figure(
            "review_decided_other",
            counted(len(decided) - amounts, "andere vraag", "andere vragen"),
        ),
        "review_open": figure("review_open", counted(still_open, "vraag", "vragen")),
        "n_review_decided": len(decided),
        "n_review_open": still_open,
        "n_review_reopened": int((status == "opnieuw open").sum()),
        "review_reopened": figure("review_reopened", number(int((status == "opnieuw open").sum()))),
        "n_followed_retitle": followed,
        "followed_retitle": figure(
            "followed_retitle",
            counted(followed, "appreciatie of beoordeling", "appreciaties of beoordelingen"),
        ),
    }


def counted(n: int, one: str, many: str) -> str:
    """'1 bedrag', '12 bedragen': a count with its noun in the right number."""
    return f"{number(n)} {one if n == 1 else many}"


def open_questions_table(data: BriefingData) -> Html:
    """Every question still open, with the partner and the place (internal)."""
    review = data.review
    still_open = review[review["status"].isin(["open", "opnieuw open"])] if len(review) else review
    if not len(still_open):
        return tag("p", "Geen open vragen: elke vraag is door de analist beantwoord.")
    kinds = data.reference.review.kinds
    cols = [
        Column("Partner", lambda r: r["organisation"]),
        Column("Voorstel", lambda r: r["title"]),
        Column(
            "Vraag",
            lambda r: (
                kinds[r["kind"]].label
                + (
                    " (opnieuw: de partner wijzigde de tekst)"
                    if r["status"] == "opnieuw open"
                    else ""
                )
            ),
        ),
        Column(
            "Plaats",
            lambda r: breakable(
                f"{r['source_file']} {r['source_sheet']} r{r['source_row']}".replace("  ", " ")
            ),
        ),
        Column("Gebruikte lezing", lambda r: r["reading"]),
    ]
    order = still_open.sort_values(["organisation", "title", "kind"], kind="stable")
    return table(order.to_dict("records"), cols)


def accounting_table(data: BriefingData) -> Html:
    """Per file and sheet: rows read, in proposals, merged, flagged, rejected, skipped."""
    acc = data.accounting.copy()
    warn = data.issues[data.issues["level"] == "warning"]
    flagged = warn.groupby(["source_file", "source_sheet"])["source_row"].nunique()
    acc["flagged"] = [
        int(flagged.get((f, s), 0))
        for f, s in zip(acc["source_file"], acc["source_sheet"], strict=True)
    ]
    cols = [
        Column(
            "Bestand",
            lambda r: breakable(
                r["source_file"] + (f" ({r['source_sheet']})" if r["source_sheet"] else "")
            ),
        ),
        Column("Regels", lambda r: number(r["rows_in"]), "num"),
        Column("In voorstellen", lambda r: number(r["in_proposals"]), "num"),
        Column("Samengevoegd", lambda r: number(r["merged"]), "num"),
        Column("Met opmerking", lambda r: number(r["flagged"]), "num"),
        Column("Afgewezen", lambda r: number(r["rejected"]), "num"),
        Column("Overgeslagen", lambda r: number(sum(r[c] for c in SKIPPED_COUNTS)), "num"),
    ]
    return table(acc.to_dict("records"), cols)


def warnings_list(data: BriefingData) -> Html:
    """What cleaning noticed, per kind, with how often; and each appraisal or decision that
    followed a proposal its partner retitled."""
    warn = data.issues[data.issues["level"] == "warning"]
    counts = warn.groupby("code").size().sort_values(ascending=False)
    texts = data.reference.problem_texts
    items = [f"{texts.get(code, code)}: {n}×" for code, n in counts.items()]
    followed = data.issues[data.issues["code"] == "followed_retitle"]
    items += [f"{r['source_file']}: {r['message']}" for r in followed.to_dict("records")]
    return bullet_list(items) if items else EMPTY


def rejected_table(data: BriefingData) -> Html:
    """The rejected rows with their reason and whom to call (internal)."""
    rej = data.rejected
    if not len(rej):
        return tag("p", "Geen regels afgewezen.")
    props = data.proposals
    named = (
        props[props["contact_person"].fillna("") != ""]
        if "contact_person" in props
        else props.iloc[0:0]
    )
    contacts = named.groupby("source_file")["contact_person"].first().to_dict()
    cols = [
        Column(
            "Bestand, blad, regel",
            lambda r: breakable(
                f"{r['source_file']} {r['source_sheet']} r{r['source_row']}".replace("  ", " ")
            ),
        ),
        Column("Voorstel", lambda r: r["title"] or "(geen titel)"),
        Column(
            "Reden",
            lambda r: (
                "; ".join(reason_text(c, data.reference) for c in str(r["reason"]).split(";"))
                + (f" ({r['cost_text']})" if r.get("cost_text") else "")
            ),
        ),
        Column("Contact", lambda r: contacts.get(r["source_file"], "")),
    ]
    return table(rej.to_dict("records"), cols)


def not_read_list(data: BriefingData) -> Html:
    """Files and sheets not read (or an older version given way), with the reason."""
    issues = data.issues
    about_proposals = set(flag_codes(data.reference.problems)) | set(
        _REVIEW_NOTICES
    )  # said elsewhere in the nota
    notices = issues[
        (issues["level"].isin(["error", "notice"]) & ~issues["code"].isin(about_proposals))
        | (issues["code"] == "superseded_version")
    ]
    items = [
        f"{r['source_file']}"
        + (f" ({r['source_sheet']})" if r["source_sheet"] else "")
        + f": {r['message'] if r['code'] == 'superseded_version' else data.reference.problem_texts.get(r['code'], r['message'])}"
        for r in notices.to_dict("records")
    ]
    return bullet_list(items) if items else EMPTY


# notices about the analyst's review, counted in the data-quality section, not 'not read'
_REVIEW_NOTICES = ("followed_retitle", "analyst_merged", "decision_file_ignored")


def reason_text(code: str, reference: Reference) -> str:
    """The Dutch text of a problem code, with the run's own limit where the text names one."""
    if code == "amount_implausible":
        return f"onwaarschijnlijk hoog bedrag (boven {euro_short(reference.max_amount_eur)})"
    return reference.problem_texts.get(code, code)


def inputs_table(data: BriefingData) -> Html:
    """Every input file with its kind and SHA-256 fingerprint."""
    role = {"submission": "inzending", "appraisals": "appreciaties", "decisions": "beoordelingen"}
    cols = [
        Column("Bestand", lambda r: breakable(r["file"])),
        Column("Soort", lambda r: role.get(r["role"], r["role"])),
        Column("SHA-256", lambda r: r["sha256"], "hash"),
    ]
    return table(data.inputs.to_dict("records"), cols, cls="data small")


def parameter_sources(data: BriefingData) -> dict[str, str]:
    """Where each budget value came from, in words: this run's command line, the parameters of
    notebook 02, or data/reference/settings.yaml."""
    given = set(data.provenance.get("given", []))
    sources = data.rank_parameters.get("sources", {})

    def source(name: str) -> str:
        if name in given:
            return "opgegeven bij deze run"
        if sources.get(name) == "settings":
            return "uit de instellingen van het programma"
        return "uit de parameters van notebook 02"

    return {name: source(name) for name in ("budget_structural_eur", "budget_incidental_eur")}


def public_tables(data: BriefingData, options: BriefingOptions) -> Html:
    """The public annex: per theme the published proposals with indicative amounts."""
    pub = public_view(data.proposals[published(data.proposals, options.public_appraisals)])
    order = data.ranking.set_index("proposal_id")["rank_in_theme"]
    pub = pub.assign(_order=pub["proposal_id"].map(order)).sort_values(["theme", "_order"])
    long_names = data.reference.org_long_names
    parts = []
    for slug in data.reference.theme_labels:
        rows = pub[pub["theme"] == slug]
        if rows.empty:
            continue
        cols = [
            Column("Voorstel en indiener", lambda r: _proposal_cell(r, long_names), "main"),
            Column("Omschrijving", lambda r: r["summary"]),
            Column("Indicatieve kosten", _public_cost, "num"),
        ]
        parts.append(
            tag(
                "section",
                tag("h2", data.theme_label(slug)) + table(rows.to_dict("records"), cols),
                cls="theme",
            )
        )
    return tag("section", join(parts), cls="bijlage")


def _public_cost(rec: dict) -> str:
    structural, incidental = _cost_cells(rec)
    if rec.get("cost_status") == "pm":
        return "p.m. (nog niet te ramen)"
    parts = [
        p
        for p in (
            structural if structural != "—" else "",
            incidental if incidental != "—" else "",
        )
        if p
    ]
    return "; ".join(parts)
