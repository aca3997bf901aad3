"""The content of each briefing, as sections of escaped HTML.

`build_briefing(data, options)` gives the sections for one audience:
- `nota` (internal): Kernpunten, what changed, ranked tables per theme with appraisal, charts, the
  budget scenario, the data-quality annex (with contact persons, where the analyst needs to call),
  and provenance.
- `bijlage` (public): the caveat, and per theme the proposals shared with Parliament (default
  kansrijk and nader_uitwerken) with organisation, description and indicative amount. Built from
  `public_view`, which keeps only publishable columns and masks e-mail addresses in free text.
- a theme slug: Kernpunten, changes, ranked table and scenario of that theme only (internal).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from stmh_analysis import store
from stmh_analysis.outputs import ACCOUNTING_COUNTS, SKIPPED_COUNTS
from stmh_analysis.parameters import check_audience, check_date
from stmh_analysis.problems import DUTCH_TEXT
from stmh_analysis.reference import APPRAISALS, THEME_SLUGS, Reference
from stmh_analysis.report.format import (
    SHORT_FORM_NOTE,
    dutch_date,
    euro,
    euro_range,
    euro_short,
    number,
)
from stmh_analysis.report.html import (
    EMPTY,
    Column,
    Html,
    bullet_list,
    esc,
    join,
    paragraph,
    table,
    tag,
)

APPRAISAL_LABEL = {
    "kansrijk": "kansrijk",
    "nader_uitwerken": "nader uitwerken",
    "niet_kansrijk": "niet kansrijk",
    "": "—",
}
CAVEAT = (
    "De bedragen in deze bijlage zijn indicatief: een eerste ruwe inschatting door de indienende partners. "
    "Ze zijn nog niet getoetst op uitvoerbaarheid en financieel en capacitair nog beperkt onderbouwd; "
    "ze behoeven nadere uitwerking. Opname in deze bijlage is geen toezegging van financiering."
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
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(r"(?<!\d)(?:\+31|0031|0)[\s-]?(?:\d[\s-]?){9}(?!\d)")


class BriefingError(ValueError):
    """A briefing parameter that cannot be used (unknown audience, bad date)."""


@dataclass(frozen=True)
class BriefingOptions:
    audience: str = "nota"
    title: str = ""
    reference_code: str = ""
    date: str = ""  # ISO date of the briefing; empty: today
    public_appraisals: tuple[str, ...] = ("kansrijk", "nader_uitwerken")
    run_date: str = ""  # ISO timestamp of the run, for provenance only

    def __post_init__(self) -> None:
        try:
            check_audience(self.audience)
            check_date(self.date)
        except ValueError as exc:
            raise BriefingError(str(exc)) from None
        bad = [a for a in self.public_appraisals if a not in (*APPRAISALS, "")]
        if bad:
            raise BriefingError(f"public_appraisals: unknown appraisal {bad[0]!r}")

    @property
    def day(self) -> dt.date:
        return dt.date.fromisoformat(self.date) if self.date else dt.date.today()


@dataclass
class BriefingData:
    """Everything the briefings read from data/processed."""

    proposals: pd.DataFrame
    ranking: pd.DataFrame
    portfolio: pd.DataFrame
    portfolio_summary: pd.DataFrame
    gap: pd.DataFrame
    issues: pd.DataFrame
    rejected: pd.DataFrame
    accounting: pd.DataFrame
    inputs: pd.DataFrame
    previous: pd.DataFrame | None
    rank_parameters: dict
    reference: Reference
    provenance: dict = field(default_factory=dict)


def load_briefing_data(
    processed: Path, reference: Reference, provenance: dict | None = None
) -> BriefingData:
    def csv(name: str) -> pd.DataFrame:
        return pd.read_csv(
            processed / f"{name}.csv",
            encoding="utf-8-sig",
            keep_default_na=False,
            dtype={"source_row": "string"},
        )

    previous_path = processed / "previous" / "proposals.parquet"
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
        previous=pd.read_parquet(previous_path) if previous_path.exists() else None,
        rank_parameters=json.loads(
            (processed / "rank_parameters.json").read_text(encoding="utf-8")
        ),
        reference=reference,
        provenance=provenance or {},
    )


def public_view(proposals: pd.DataFrame) -> pd.DataFrame:
    """Only publishable columns; e-mail addresses and phone numbers in free text are masked."""
    out = proposals[[c for c in PUBLIC_COLUMNS if c in proposals.columns]].copy()
    for col in ("title", "summary"):
        text = out[col].fillna("").astype(str)
        text = text.str.replace(_EMAIL, "[e-mailadres verwijderd]", regex=True)
        out[col] = text.str.replace(_PHONE, "[telefoonnummer verwijderd]", regex=True)
    return out


# --- small pieces --------------------------------------------------------------------------------


def figure(name: str, text: str) -> Html:
    """A key figure, marked so tests and readers can find it."""
    return tag("span", text, cls="figure", data_figure=name)


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
    years = ""
    first, last = rec.get("first_year"), rec.get("last_year")
    if i and pd.notna(first) and first not in ("", None):
        years = f" ({int(first)}" + (
            f"–{int(last)})" if pd.notna(last) and last not in ("", None) and last != first else ")"
        )
    return (f"{s} per jaar" if s else "—"), (f"{i}{years}" if i else "—")


def _proposal_cell(rec: dict, long_names: dict[str, str] | None = None) -> Html:
    org = rec["organisation"]
    org_text = long_names.get(org, org) if long_names else org
    co = [c for c in str(rec.get("co_submitters") or "").split(";") if c]
    if co:
        org_text += (
            " (met " + ", ".join(long_names.get(c, c) if long_names else c for c in co) + ")"
        )
    return tag("strong", rec["title"]) + tag("span", org_text, cls="org")


def _theme_label(data: BriefingData, slug: str) -> str:
    return data.reference.theme_labels.get(slug, slug)


# --- sections ------------------------------------------------------------------------------------


def title_block(data: BriefingData, options: BriefingOptions) -> Html:
    kind = {"nota": "Nota aan de minister (intern)", "bijlage": "Bijlage bij de Kamerbrief"}.get(
        options.audience, f"Themabriefing: {_theme_label(data, options.audience)} (intern)"
    )
    title = options.title or {
        "nota": "Aanvullende voorstellen Samen tegen mensenhandel",
        "bijlage": "Overzicht voorstellen samenwerkingspartners Samen tegen mensenhandel",
    }.get(options.audience, f"Voorstellen thema {_theme_label(data, options.audience)}")
    meta = [f"Datum: {dutch_date(options.day)}"]
    if options.reference_code:
        meta.append(f"Kenmerk: {options.reference_code}")
    return tag(
        "header",
        tag("p", kind, cls="doc-kind")
        + tag("h1", title, cls="doc-title")
        + tag("p", " · ".join(meta), cls="doc-meta"),
        cls="doc-header",
    )


def _budget_sentence(data: BriefingData) -> str:
    params = data.rank_parameters
    return (
        f"Het programma heeft structureel {euro_short(params['budget_structural_eur'])} per jaar en "
        f"incidenteel {euro_short(params['budget_incidental_eur'])} in totaal "
        f"({params.get('budget_incidental_note', '')})."
    ).replace(" ()", "")


def kernpunten(data: BriefingData, theme: str | None = None) -> Html:
    props = data.proposals if theme is None else data.proposals[data.proposals["theme"] == theme]
    gap = data.gap.set_index("theme").loc["totaal" if theme is None else theme]
    partners = set(props["organisation"]) | {
        c for cs in props["co_submitters"] for c in str(cs).split(";") if c
    }
    pm = int((props["cost_status"] == "pm").sum())
    params = data.rank_parameters
    items: list[Html] = [
        Html(
            f"{figure('proposals', number(len(props))).markup} voorstellen van "
            f"{figure('partners', number(len(partners))).markup} partners"
            + (
                f", waarvan {figure('pm', number(pm)).markup} zonder kostenraming (p.m., niet meegeteld)."
                if pm
                else "."
            )
        ),
        Html(
            "Indicatieve kosten structureel: "
            + figure(
                "structural",
                euro_range(gap["structural_low_eur"], gap["structural_high_eur"], short=False),
            ).markup
            + " per jaar; incidenteel: "
            + figure(
                "incidental",
                euro_range(gap["incidental_low_eur"], gap["incidental_high_eur"], short=False),
            ).markup
            + " in totaal."
        ),
    ]
    if theme is None:
        short_low = max(0.0, gap["structural_low_eur"] - params["budget_structural_eur"])
        short_high = max(0.0, gap["structural_high_eur"] - params["budget_structural_eur"])
        inc_low = max(0.0, gap["incidental_low_eur"] - params["budget_incidental_eur"])
        inc_high = max(0.0, gap["incidental_high_eur"] - params["budget_incidental_eur"])
        items.append(
            Html(
                esc(_budget_sentence(data))
                + " Tekort als alle voorstellen worden uitgevoerd: structureel "
                + figure(
                    "shortfall_structural", euro_range(short_low, short_high, short=False)
                ).markup
                + " per jaar, incidenteel "
                + figure("shortfall_incidental", euro_range(inc_low, inc_high, short=False)).markup
                + "."
            )
        )
    summary = data.portfolio_summary.set_index("scenario")
    port = data.portfolio if theme is None else data.portfolio[data.portfolio["theme"] == theme]
    both = port[port["fits"] == "beide_ramingen"]
    only_low = port[port["fits"] == "alleen_lage_raming"]
    if theme is None:
        low = summary.loc["optimal_low"]
        items.append(
            Html(
                "Binnen het budget passen (beste combinatie, lage raming) "
                + figure("fit_low", number(int(low["proposals"]))).markup
                + " voorstellen: structureel "
                + euro(low["structural_eur"])
                + " per jaar en incidenteel "
                + euro(low["incidental_eur"])
                + f"; bij de hoge raming {number(int(summary.loc['optimal_high', 'proposals']))} voorstellen. "
                + f"{figure('fit_both', number(len(both))).markup} voorstellen passen bij beide ramingen."
            )
        )
    else:
        items.append(
            Html(
                f"In de beste combinatie binnen het budget: {figure('fit_both', number(len(both))).markup} "
                f"voorstellen van dit thema bij beide ramingen, {number(len(only_low))} alleen bij de lage."
            )
        )
    missing = unread_files(data.issues)
    if missing:
        items.insert(
            0,
            Html(
                tag("strong", "Let op: niet alle inzendingen zijn gelezen.").markup
                + esc(
                    f" {number(len(missing))} bestand{'en' if len(missing) > 1 else ''} kon"
                    f"{'den' if len(missing) > 1 else ''} niet worden geopend: "
                    + "; ".join(f"{f} ({reason})" for f, reason in missing)
                    + ". De voorstellen daarin ontbreken in deze cijfers."
                )
            ),
        )
    return tag("section", tag("h2", "Kernpunten") + bullet_list(items), cls="kernpunten")


def unread_files(issues: pd.DataFrame) -> list[tuple[str, str]]:
    """(file, Dutch reason) for every submission file that could not be read at all."""
    errors = issues[issues["level"] == "error"].drop_duplicates("source_file")
    return [
        (r["source_file"], DUTCH_TEXT.get(r["code"], r["message"]))
        for r in errors.to_dict("records")
    ]


def gap_table(data: BriefingData) -> Html:
    records = data.gap.to_dict("records")
    cols = [
        Column("Thema", lambda r: r["label"]),
        Column("Voorstellen", lambda r: number(r["proposals"]), "num"),
        Column("p.m.", lambda r: number(r["pm"]), "num"),
        Column(
            "Structureel per jaar",
            lambda r: euro_range(r["structural_low_eur"], r["structural_high_eur"]),
            "num",
        ),
        Column(
            "Incidenteel totaal",
            lambda r: euro_range(r["incidental_low_eur"], r["incidental_high_eur"]),
            "num",
        ),
    ]
    return tag(
        "section",
        tag("h3", "Kosten per thema tegenover het budget")
        + table(records, cols, cls="data totals")
        + paragraph(_budget_sentence(data), cls="note")
        + paragraph(SHORT_FORM_NOTE, cls="note"),
        cls="gap",
    )


def ranked_tables(
    data: BriefingData, themes: Sequence[str], *, with_appraisal: bool = True
) -> Html:
    """Per theme the ranked proposals: rank, proposal and organisation, costs, appraisal, scenario."""
    fits = data.portfolio.set_index("proposal_id")["fits"].to_dict()
    fit_label = {"beide_ramingen": "ja", "alleen_lage_raming": "alleen bij lage raming", "": "nee"}
    parts = []
    for slug in themes:
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
                    lambda r: APPRAISAL_LABEL.get(r["appraisal"] or "", r["appraisal"]),
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
                tag("h3", _theme_label(data, slug)) + table(rows.to_dict("records"), cols),
                cls="theme",
            )
        )
    if not parts:
        parts.append(paragraph("Er zijn onder dit thema geen voorstellen ingediend of ingedeeld."))
    return tag(
        "section",
        tag("h2", "Voorstellen per thema, gerangschikt")
        + paragraph("Volgorde: " + ranking_rule(data.rank_parameters), cls="note")
        + paragraph(SHORT_FORM_NOTE, cls="note")
        + join(parts),
        cls="ranked",
    )


def ranking_rule(params: dict) -> str:
    names = {
        "appraisal": "appreciatie (kansrijk eerst)",
        "expected_cost": "lagere verwachte kosten",
        "cost_range": "smallere bandbreedte",
    }
    weights = params.get("ranking_weights") or {}
    if weights:
        text = "gewogen score van " + ", ".join(
            f"{names[k]} (gewicht {number(v, 1)})" for k, v in weights.items()
        )
    else:
        text = ", dan ".join(names[c] for c in params.get("ranking_criteria", []))
    return (
        text
        + f"; verwachte kosten = structureel × {number(params['horizon_years'])} jaar + incidenteel "
        "(middenraming). Voorstellen zonder kostenraming (p.m.) staan achteraan binnen hun appreciatie."
    )


def charts_section(data: BriefingData) -> Html:
    from stmh_analysis.report import charts  # matplotlib only where charts are drawn

    params = data.rank_parameters
    return tag(
        "section",
        tag("h2", "Grafieken")
        + charts.cost_per_theme(
            data.gap, params["budget_structural_eur"], params["budget_incidental_eur"]
        )
        + charts.cumulative_cost(
            data.ranking, params["budget_structural_eur"], params["horizon_years"]
        ),
        cls="charts",
    )


def scenario_section(data: BriefingData, theme: str | None = None) -> Html:
    s = data.portfolio_summary.set_index("scenario")
    cols = [
        Column("Scenario", lambda r: r["name"]),
        Column("Voorstellen", lambda r: number(r["proposals"]), "num"),
        Column("Structureel per jaar", lambda r: euro(r["structural_eur"]), "num"),
        Column("Incidenteel totaal", lambda r: euro(r["incidental_eur"]), "num"),
        Column("Waarde", lambda r: number(r["value"], 1), "num"),
    ]
    names = {
        "optimal_low": "Beste combinatie, lage raming",
        "optimal_high": "Beste combinatie, hoge raming",
        "greedy_low": "Goedkoopste kansrijke eerst, lage raming",
        "greedy_high": "Goedkoopste kansrijke eerst, hoge raming",
    }
    records = [{**s.loc[k].to_dict(), "name": v} for k, v in names.items() if k in s.index]
    port = data.portfolio if theme is None else data.portfolio[data.portfolio["theme"] == theme]
    chosen = port[port["fits"] != ""].sort_values("rank_overall")
    pcols = [
        Column("Voorstel en indiener", _proposal_cell, "main"),
        Column("Thema", lambda r: _theme_label(data, r["theme"])),
        Column(
            "Past bij",
            lambda r: "beide ramingen" if r["fits"] == "beide_ramingen" else "alleen lage raming",
        ),
    ]
    unmet = str(s.loc["optimal_low"].get("themes_unmet", "") or "")
    notes = [
        "De beste combinatie maximaliseert de waarde naar appreciatie ("
        + appraisal_values_sentence(data.rank_parameters["appraisal_values"])
        + "; p.m. wordt niet gekozen) binnen het structurele budget per jaar en de "
        "incidentele enveloppe, exact berekend als geheeltallig programma."
    ]
    if data.rank_parameters.get("require_each_theme"):
        notes.append(
            "Ten minste één voorstel per thema is vereist"
            + (f"; niet haalbaar voor: {unmet.replace(';', ', ')}." if unmet else ".")
        )
    return tag(
        "section",
        tag("h2", "Budgetscenario")
        + (table(records, cols) if theme is None else EMPTY)
        + paragraph(" ".join(notes), cls="note")
        + tag("h3", "Voorstellen binnen het budget")
        + (table(chosen.to_dict("records"), pcols) if len(chosen) else paragraph("Geen.")),
        cls="scenario",
    )


def appraisal_values_sentence(values: dict[str, float]) -> str:
    """'kansrijk 3, nader uitwerken 1, geen appreciatie 0,5; niet kansrijk wordt niet gekozen'."""
    label = {**APPRAISAL_LABEL, "none": "geen appreciatie"}
    chosen = [
        f"{label.get(k, k)} {number(v, 1).removesuffix(',0')}" for k, v in values.items() if v > 0
    ]
    never = [label.get(k, k) for k, v in values.items() if v <= 0]
    return ", ".join(chosen) + (f"; {' en '.join(never)} wordt niet gekozen" if never else "")


def changes_section(
    data: BriefingData, theme: str | None = None, public: Sequence[str] = ()
) -> Html:
    """New, withdrawn and changed proposals against the previous processed data, by proposal_id."""
    if data.previous is None:
        return tag(
            "section",
            tag("h2", "Wijzigingen")
            + paragraph("Er is geen eerdere versie van de gegevens: dit is de eerste uitwerking."),
            cls="changes",
        )
    cur, old = data.proposals, data.previous
    if theme is not None:
        cur, old = cur[cur["theme"] == theme], old[old["theme"] == theme]
    if public:
        cur = cur[cur["appraisal"].fillna("").isin(public)] if "appraisal" in cur else cur
        old = old[old["appraisal"].fillna("").isin(public)] if "appraisal" in old else old
    amount_cols = [
        "structural_low_eur",
        "structural_high_eur",
        "incidental_low_eur",
        "incidental_high_eur",
    ]
    new = cur[~cur["proposal_id"].isin(old["proposal_id"])]
    gone = old[~old["proposal_id"].isin(cur["proposal_id"])]
    both = cur.merge(old, on="proposal_id", suffixes=("", "_old"), validate="1:1")
    changed_mask = pd.Series(False, index=both.index)
    for c in [*amount_cols, "cost_status", "theme", "title"]:
        changed_mask |= both[c].astype(str) != both[f"{c}_old"].astype(str)
    changed = both[changed_mask]

    def cost(r: dict, suffix: str = "") -> str:
        if r[f"cost_status{suffix}"] == "pm":
            return "p.m."
        parts = []
        if r[f"structural_high_eur{suffix}"]:
            parts.append(
                euro_range(
                    r[f"structural_low_eur{suffix}"], r[f"structural_high_eur{suffix}"], False
                )
                + " per jaar"
            )
        if r[f"incidental_high_eur{suffix}"]:
            parts.append(
                euro_range(
                    r[f"incidental_low_eur{suffix}"], r[f"incidental_high_eur{suffix}"], False
                )
                + " incidenteel"
            )
        return " + ".join(parts) or "€ 0"

    if new.empty and gone.empty and changed.empty:
        return tag(
            "section",
            tag("h2", "Wijzigingen")
            + paragraph("Geen wijzigingen ten opzichte van de vorige versie van de gegevens."),
            cls="changes",
        )
    records = (
        [
            {
                "kind": "nieuw",
                "title": r["title"],
                "organisation": r["organisation"],
                "old": "",
                "new": cost(r),
            }
            for r in new.to_dict("records")
        ]
        + [
            {
                "kind": "vervallen",
                "title": r["title"],
                "organisation": r["organisation"],
                "old": cost(r),
                "new": "",
            }
            for r in gone.to_dict("records")
        ]
        + [
            {
                "kind": "gewijzigd",
                "title": r["title"],
                "organisation": r["organisation"],
                "old": cost(r, "_old"),
                "new": cost(r),
            }
            for r in changed.to_dict("records")
        ]
    )
    cols = [
        Column("Wijziging", lambda r: r["kind"]),
        Column("Voorstel", lambda r: r["title"]),
        Column("Indiener", lambda r: r["organisation"]),
        Column("Was", lambda r: r["old"], "num"),
        Column("Wordt", lambda r: r["new"], "num"),
    ]
    counts = f"{len(new)} nieuw, {len(gone)} vervallen, {len(changed)} gewijzigd"
    return tag(
        "section",
        tag("h2", "Wijzigingen ten opzichte van de vorige versie")
        + paragraph(counts + ".", cls="note")
        + table(records, cols),
        cls="changes",
    )


def data_quality_section(data: BriefingData) -> Html:
    """Per file: rows read, in proposals, merged, flagged, rejected, skipped; then the rejected rows."""
    acc = data.accounting.copy()
    issues = data.issues
    warn = issues[issues["level"] == "warning"]
    flagged = warn.groupby(["source_file", "source_sheet"])["source_row"].nunique()
    acc["flagged"] = [
        int(flagged.get((f, s), 0))
        for f, s in zip(acc["source_file"], acc["source_sheet"], strict=True)
    ]
    cols = [
        Column(
            "Bestand",
            lambda r: r["source_file"] + (f" ({r['source_sheet']})" if r["source_sheet"] else ""),
        ),
        Column("Regels", lambda r: number(r["rows_in"]), "num"),
        Column("In voorstellen", lambda r: number(r["in_proposals"]), "num"),
        Column("Samengevoegd", lambda r: number(r["merged"]), "num"),
        Column("Met opmerking", lambda r: number(r["flagged"]), "num"),
        Column("Afgewezen", lambda r: number(r["rejected"]), "num"),
        Column(
            "Overgeslagen",
            lambda r: number(sum(r[c] for c in SKIPPED_COUNTS)),
            "num",
        ),
    ]
    totals = {k: int(acc[k].sum()) for k in (*ACCOUNTING_COUNTS, "flagged")}
    balance = (
        f"Alle {number(totals['rows_in'])} ingelezen regels zijn verantwoord: "
        f"{number(totals['in_proposals'])} in voorstellen (waarvan {number(totals['merged'])} samengevoegd met "
        f"een gelijk voorstel), {number(totals['rejected'])} afgewezen en "
        f"{number(sum(totals[c] for c in SKIPPED_COUNTS))} overgeslagen "
        "(lege en verborgen regels, totaal- en subtotaalregels, tussenkoppen, voorbeeldregels, "
        "opmerkingen en regels uit een oudere versie van een bestand)."
    )
    code_counts = warn.groupby("code").size().sort_values(ascending=False)
    code_items = [f"{DUTCH_TEXT.get(code, code)}: {n}×" for code, n in code_counts.items()]
    notices = issues[
        issues["level"].isin(["error", "notice"]) | (issues["code"] == "superseded_version")
    ]
    notice_items = [
        f"{r['source_file']}"
        + (f" ({r['source_sheet']})" if r["source_sheet"] else "")
        + f": {r['message'] if r['code'] == 'superseded_version' else DUTCH_TEXT.get(r['code'], r['message'])}"
        for r in notices.to_dict("records")
    ]
    rej = data.rejected
    contacts = _contacts_by_file(data)
    rcols = [
        Column(
            "Bestand, blad, regel",
            lambda r: f"{r['source_file']} {r['source_sheet']} r{r['source_row']}".replace(
                "  ", " "
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
    dup_rule = (
        "Dubbele indieningen: voorstellen met dezelfde titel binnen een thema (na het weglaten van "
        "hoofdletters, accenten en leestekens), of een titel die minstens "
        f"{number(data.reference.merge_similarity * 100)}% overeenkomt, zijn samengevoegd tot één voorstel; "
        "de andere indieners staan erbij vermeld. Titels die tussen "
        f"{number(data.reference.flag_similarity * 100)}% en {number(data.reference.merge_similarity * 100)}% "
        "overeenkomen zijn gemarkeerd als mogelijk dubbel en niet samengevoegd."
    )
    return tag(
        "section",
        tag("h2", "Bijlage: datakwaliteit")
        + paragraph(balance)
        + table(acc.to_dict("records"), cols)
        + paragraph(dup_rule, cls="note")
        + (
            tag("h3", "Opmerkingen bij het opschonen") + bullet_list(code_items)
            if code_items
            else EMPTY
        )
        + (
            tag("h3", "Afgewezen regels") + table(rej.to_dict("records"), rcols)
            if len(rej)
            else paragraph("Geen regels afgewezen.")
        )
        + (
            tag("h3", "Niet ingelezen bladen en bestanden") + bullet_list(notice_items)
            if notice_items
            else EMPTY
        ),
        cls="quality",
    )


def reason_text(code: str, reference) -> str:
    """The Dutch text of a problem code, with the run's own limit where the text names one."""
    if code == "amount_implausible":
        return f"onwaarschijnlijk hoog bedrag (boven {euro_short(reference.max_amount_eur)})"
    return DUTCH_TEXT.get(code, code)


def _contacts_by_file(data: BriefingData) -> dict[str, str]:
    """Contact person per source file (internal nota only: whom to call about a rejected row)."""
    props = data.proposals
    if "contact_person" not in props:
        return {}
    named = props[props["contact_person"].fillna("") != ""]
    return named.groupby("source_file")["contact_person"].first().to_dict()


def _dutch_timestamp(iso: str) -> str:
    """'2024-01-29T14:05:00+01:00' -> '29 januari 2024, 14:05 (UTC+01:00)'; unreadable text as is."""
    try:
        moment = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    zone = moment.strftime("%z")
    zone_text = f" (UTC{zone[:3]}:{zone[3:]})" if zone else ""
    return f"{dutch_date(moment.date())}, {moment:%H:%M}{zone_text}"


def provenance_sentences(data: BriefingData, options: BriefingOptions) -> list[str]:
    """What this briefing was made from and with, in words: the run, the code, every parameter
    with where it came from (this run's command line, a notebook, or data/reference/settings.yaml)."""
    prov = data.provenance
    params = data.rank_parameters
    given = set(prov.get("given", []))
    sources = params.get("sources", {})

    def source(name: str) -> str:
        if name in given:
            return "opgegeven bij deze run"
        if sources.get(name) == "settings":
            return "uit data/reference/settings.yaml"
        return "uit de parameters van notebook 02"

    incidental = euro(params["budget_incidental_eur"]) + (
        f" ({params['budget_incidental_note']})" if params.get("budget_incidental_note") else ""
    )
    weights = params.get("ranking_weights") or {}
    if weights:
        ranking = "gewogen score: " + ", ".join(f"{k} {number(v, 1)}" for k, v in weights.items())
    else:
        ranking = ", ".join(params.get("ranking_criteria", []))
    date_note = "opgegeven" if "date" in given else "de datum van de run die de inhoud veranderde"
    return [
        f"Gemaakt op {_dutch_timestamp(options.run_date or prov.get('run_date', ''))} met "
        f"stmh-analysis {prov.get('package_version', '')} (commit {prov.get('git_commit', 'onbekend')}).",
        f"Datum van dit document: {dutch_date(options.day)} ({date_note}).",
        f"Structureel budget: {euro(params['budget_structural_eur'])} per jaar "
        f"({source('budget_structural_eur')}); incidenteel: {incidental} "
        f"({source('budget_incidental_eur')}).",
        f"Rangschikking: {ranking}; horizon voor verwachte kosten: {number(params['horizon_years'])} jaar; "
        f"ten minste één voorstel per thema: {'ja' if params.get('require_each_theme') else 'nee'}.",
        f"Waarde per appreciatie in het budgetscenario: {appraisal_values_sentence(params['appraisal_values'])}.",
        f"Openbaar gemaakte appreciaties in de bijlage: "
        f"{', '.join(APPRAISAL_LABEL.get(a, a) or 'geen' for a in options.public_appraisals)}.",
        f"FTE-tarief: {euro(data.reference.fte_rate_eur)} per fte per jaar ({data.reference.fte_rate_source})",
        f"Aannemelijkheidsgrens per voorstel: {euro_short(data.reference.max_amount_eur)}.",
        "De ingelezen bestanden staan hieronder met hun SHA-256-vingerafdruk: een gelijke "
        "vingerafdruk betekent een byte voor byte gelijk bestand.",
    ]


def provenance_section(data: BriefingData, options: BriefingOptions) -> Html:
    role = {"submission": "inzending", "appraisals": "appreciaties"}
    cols = [
        Column("Bestand", lambda r: r["file"]),
        Column("Soort", lambda r: role.get(r["role"], r["role"])),
        Column("SHA-256", lambda r: r["sha256"], "hash"),
    ]
    return tag(
        "section",
        tag("h2", "Herkomst")
        + bullet_list(provenance_sentences(data, options))
        + table(data.inputs.to_dict("records"), cols, cls="data small"),
        cls="provenance",
    )


def bijlage_tables(data: BriefingData, options: BriefingOptions) -> tuple[Html, Html]:
    """The public annex: per theme the published proposals with indicative amounts."""
    pub = public_view(data.proposals)
    pub = pub[pub["appraisal"].fillna("").isin(options.public_appraisals)]
    order = data.ranking.set_index("proposal_id")["rank_in_theme"]
    pub = pub.assign(_order=pub["proposal_id"].map(order)).sort_values(["theme", "_order"])
    long_names = data.reference.org_long_names
    parts = []
    for slug in THEME_SLUGS:
        rows = pub[pub["theme"] == slug]
        if rows.empty:
            continue
        cols = [
            Column("Voorstel en indiener", lambda r: _proposal_cell(r, long_names), "main"),
            Column("Omschrijving", lambda r: r["summary"]),
            Column("Indicatieve kosten", lambda r: _public_cost(r), "num"),
        ]
        parts.append(
            tag(
                "section",
                tag("h2", _theme_label(data, slug)) + table(rows.to_dict("records"), cols),
                cls="theme",
            )
        )
    intro = (
        f"Deze bijlage bevat {number(len(pub))} voorstellen die de samenwerkingspartners in de regiegroep "
        "hebben ingediend naar aanleiding van het commissiedebat, per thema."
    )
    intro_section = tag(
        "section",
        paragraph(intro) + tag("p", CAVEAT, cls="caveat") + paragraph(SHORT_FORM_NOTE, cls="note"),
        cls="bijlage-intro",
    )
    return intro_section, tag("section", join(parts), cls="bijlage")


def _public_cost(rec: dict) -> str:
    structural, incidental = _cost_cells(rec)
    if rec.get("cost_status") == "pm":
        return "p.m. (nog niet te ramen)"
    parts = [
        p
        for p in (
            structural if structural != "—" else "",
            incidental + " eenmalig/tijdelijk" if incidental != "—" else "",
        )
        if p
    ]
    return "; ".join(parts)


@dataclass
class Briefing:
    audience: str
    sections: dict[str, Html]

    def section(self, name: str) -> Html:
        return self.sections.get(name, EMPTY)

    def html(self) -> str:
        return "".join(s.markup for s in self.sections.values())


def build_briefing(data: BriefingData, options: BriefingOptions) -> Briefing:
    a = options.audience
    s: dict[str, Html] = {"title": title_block(data, options)}
    if a == "nota":
        s["kernpunten"] = kernpunten(data) + gap_table(data)
        s["changes"] = changes_section(data)
        s["ranked"] = ranked_tables(data, THEME_SLUGS)
        s["charts"] = charts_section(data)
        s["scenario"] = scenario_section(data)
        s["quality"] = data_quality_section(data)
        s["provenance"] = provenance_section(data, options)
    elif a == "bijlage":
        s["kernpunten"], s["ranked"] = bijlage_tables(data, options)
        s["changes"] = changes_section(data, public=options.public_appraisals)
    else:
        s["kernpunten"] = kernpunten(data, theme=a)
        s["changes"] = changes_section(data, theme=a)
        s["ranked"] = ranked_tables(data, [a])
        s["scenario"] = scenario_section(data, theme=a)
        s["provenance"] = provenance_section(data, options)
    return Briefing(a, s)
