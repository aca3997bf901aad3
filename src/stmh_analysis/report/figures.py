"""Every number a document's sentences may state, formatted the Dutch way and marked
(`data-figure`), computed from the briefing's data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

import pandas as pd

from stmh_analysis.outputs import (
    ACCOUNTING_COUNTS,
    AMOUNT_COLUMNS,
    SKIPPED_COUNTS,
)
from stmh_analysis.publication import published
from stmh_analysis.reference import FALLBACK_THEME, Reference
from stmh_analysis.report.briefing_data import (
    BriefingData,
    BriefingOptions,
)
from stmh_analysis.report.format import dutch_date, euro, euro_range, euro_short, number
from stmh_analysis.report.html import (
    Html,
    esc,
    tag,
)


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
    """The key figures of all proposals, or of one theme: each group from its own function."""
    props = data.proposals if theme is None else data.proposals[data.proposals["theme"] == theme]
    port = data.portfolio if theme is None else data.portfolio[data.portfolio["theme"] == theme]
    review = data.review if theme is None else data.review[data.review["theme"] == theme]
    gap = data.gap.set_index("theme").loc["totaal" if theme is None else theme]
    groups = (
        count_figures(props),
        money_figures(gap, data.rank_parameters),
        fit_figures(data.portfolio_summary, port),
        method_figures(data, options),
        accounting_figures(data.accounting),
        review_figures(review, data.issues),
        run_figures(data.provenance, options),
        choice_figures(data, port),
        public_figures(data, options),
        merge_figures(props),
    )
    return Figures(**one_each(groups))


def one_each(groups: tuple[dict[str, object], ...]) -> dict[str, object]:
    """The figure groups as one mapping; a name two groups both give is a programming error."""
    merged: dict[str, object] = {}
    for group in groups:
        twice = merged.keys() & group.keys()
        assert not twice, f"figure given by two groups: {sorted(twice)}"
        merged |= group
    return merged


def count_figures(proposals: pd.DataFrame) -> dict[str, object]:
    """How many proposals, from how many partners (co-submitters included), and how many
    without a cost estimate (p.m.)."""
    partners = set(proposals["organisation"]) | {
        c for cs in proposals["co_submitters"] for c in str(cs).split(";") if c
    }
    pm = int((proposals["cost_status"] == "pm").sum())
    return {
        "proposals": figure("proposals", number(len(proposals))),
        "partners": figure("partners", number(len(partners))),
        "pm": figure("pm", number(pm)),
        "n_pm": pm,
    }


def money_figures(gap: pd.Series, params: dict) -> dict[str, object]:
    """What the proposals cost (low to high), the budget, and what the costs exceed it by."""
    short_low, short_high, inc_low, inc_high = shortfalls(gap, params)
    structural, incidental = params["budget_structural_eur"], params["budget_incidental_eur"]
    return {
        "structural": figure(
            "structural",
            euro_range(gap["structural_low_eur"], gap["structural_high_eur"], short=False),
        ),
        "incidental": figure(
            "incidental",
            euro_range(gap["incidental_low_eur"], gap["incidental_high_eur"], short=False),
        ),
        "budget_structural": figure("budget_structural", euro_short(structural)),
        "budget_incidental": figure("budget_incidental", euro_short(incidental)),
        "budget_incidental_note": esc(params.get("budget_incidental_note", "")),
        "budget_structural_exact": figure("budget_structural_exact", euro(structural)),
        "budget_incidental_exact": figure("budget_incidental_exact", euro(incidental)),
        "shortfall_structural": figure(
            "shortfall_structural", euro_range(short_low, short_high, short=False)
        ),
        "shortfall_incidental": figure(
            "shortfall_incidental", euro_range(inc_low, inc_high, short=False)
        ),
        "horizon_years": figure("horizon_years", number(params["horizon_years"])),
    }


def fit_figures(summary: pd.DataFrame, port: pd.DataFrame) -> dict[str, object]:
    """What fits the budget: the best combination at the low and the high estimates, and how
    many proposals fit on both or only on the low one."""
    by_scenario = summary.set_index("scenario")
    low = by_scenario.loc["optimal_low"]
    fits = port["fits"]
    return {
        "fit_low": figure("fit_low", number(int(low["proposals"]))),
        "fit_low_structural": figure("fit_low_structural", euro(low["structural_eur"])),
        "fit_low_incidental": figure("fit_low_incidental", euro(low["incidental_eur"])),
        "fit_high": figure("fit_high", number(int(by_scenario.loc["optimal_high", "proposals"]))),
        "fit_both": figure("fit_both", number(int((fits == "beide_ramingen").sum()))),
        "fit_only_low": figure("fit_only_low", number(int((fits == "alleen_lage_raming").sum()))),
    }


def method_figures(data: BriefingData, options: BriefingOptions) -> dict[str, object]:
    """How the work was done, as the nota's method section states it: the ranking rule, the
    appraisal values, the publication rule, the themes, the thresholds and the files not read."""
    ref = data.reference
    empty_themes = [  # the fallback theme is no theme the Kamer asked about
        label
        for slug, label in ref.theme_labels.items()
        if not (data.proposals["theme"] == slug).any() and slug != FALLBACK_THEME
    ]
    unread = unread_files(data.issues, ref)
    public = published(data.proposals, options.public_appraisals)
    params = data.rank_parameters
    return {
        "ranking_rule": esc(ranking_rule(params)),
        "appraisal_values": esc(appraisal_values_text(params["appraisal_values"], ref)),
        "public_appraisals": esc(
            ", ".join(ref.appraisal_labels.get(a, a) for a in options.public_appraisals)
        ),
        "themes_without_proposals": esc(", ".join(empty_themes)),
        "themes_asked": esc(themes_asked(ref)),
        "unread_files": esc("; ".join(f"{f} ({reason})" for f, reason in unread)),
        "n_unread_files": len(unread),
        "public_count": figure("public_count", number(int(public.sum()))),
        "merge_similarity": figure("merge_similarity", number(ref.merge_similarity * 100)),
        "flag_similarity": figure("flag_similarity", number(ref.flag_similarity * 100)),
        "fte_rate": figure("fte_rate", euro(ref.fte_rate_eur)),
        "fte_rate_source": esc(ref.fte_rate_source),
        "max_amount": figure("max_amount", euro_short(ref.max_amount_eur)),
    }


def accounting_figures(accounting: pd.DataFrame) -> dict[str, object]:
    """Where every submitted row went: read, in a proposal, merged, rejected, skipped."""
    totals = {k: int(accounting[k].sum()) for k in ACCOUNTING_COUNTS} if len(accounting) else {}
    skipped = sum(totals.get(c, 0) for c in SKIPPED_COUNTS)
    return {
        "rows_in": figure("rows_in", number(totals.get("rows_in", 0))),
        "rows_in_proposals": figure("rows_in_proposals", number(totals.get("in_proposals", 0))),
        "rows_merged": figure("rows_merged", number(totals.get("merged", 0))),
        "rows_rejected": figure("rows_rejected", number(totals.get("rejected", 0))),
        "rows_skipped": figure("rows_skipped", number(skipped)),
    }


def run_figures(provenance: dict, options: BriefingOptions) -> dict[str, object]:
    """When and with what the run was made, and the document's date."""
    return {
        "run_moment": esc(dutch_timestamp(options.run_date or provenance.get("run_date", ""))),
        "package_version": esc(provenance.get("package_version", "")),
        "git_commit": esc(provenance.get("git_commit", "onbekend")),
        "document_date": figure("document_date", dutch_date(options.day)),
    }


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


def themes_unmet(data: BriefingData) -> str:
    """Themes the 'each theme' scenario could not serve, in words (empty when none)."""
    s = data.portfolio_summary.set_index("scenario")
    return esc(str(s.loc["optimal_low"].get("themes_unmet", "") or "").replace(";", ", "))


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
