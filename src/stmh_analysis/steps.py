"""The work of notebooks 01 and 02 as plain functions: read, compute, write (I/O at the edges).

Notebooks call these and show the results; `stmh check` calls `clean_raw` and writes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from stmh_analysis import store
from stmh_analysis.clean import CleanResult, clean_submissions
from stmh_analysis.ingest import read_appraisals, read_submissions
from stmh_analysis.outputs import KEYS_DIR
from stmh_analysis.parameters import parse_euros
from stmh_analysis.rank import DEFAULT_CRITERIA, rank_proposals
from stmh_analysis.reference import Reference, load_reference
from stmh_analysis.report.format import euro_short
from stmh_analysis.review import REVIEW_WORKBOOK, read_decisions


@dataclass
class CleanOutput:
    result: CleanResult
    inputs: pd.DataFrame  # every raw file with its SHA-256 and role


def clean_raw(raw_dir: Path, reference: Reference) -> CleanOutput:
    """Read and clean everything in `raw_dir` (read-only)."""
    subs = read_submissions(raw_dir, reference)
    appraisals, appraisal_problems = read_appraisals(raw_dir)
    decisions, decision_problems = read_decisions(raw_dir, reference.limits)
    subs.problems.extend([*appraisal_problems, *decision_problems])
    result = clean_submissions(subs, appraisals, reference, decisions)
    return CleanOutput(result, subs.files)


def write_clean(
    out: CleanOutput,
    processed: Path,
    reports: Path | None = None,
    reference: Reference | None = None,
) -> None:
    """proposals.csv/.parquet, rejected.csv, issues.csv, accounting.csv, inputs.csv, the review
    queue (review.csv) and what became of each decision (decisions.csv); with `reports` and
    `reference`, the review workbook reports/te-beoordelen.xlsx too.

    'What changed' compares with the last release (releases.py), never with an earlier run.
    """
    processed.mkdir(parents=True, exist_ok=True)
    store.atomic_write_bytes(
        processed / "proposals.parquet", out.result.proposals.to_parquet(index=False)
    )
    store.write_table(out.result.proposals, processed / "proposals")
    store.write_table(out.result.rejected, processed / "rejected")
    store.write_table(out.result.issues, processed / "issues")
    store.write_table(out.result.accounting, processed / "accounting")
    store.write_table(out.inputs, processed / "inputs")
    store.write_table(out.result.questions, processed / "review")
    store.write_table(out.result.decisions, processed / "decisions")
    if reports is not None and reference is not None:
        from stmh_analysis.report.review_workbook import keep_filled_in, write_review_workbook

        reports.mkdir(parents=True, exist_ok=True)
        stamp = dt.datetime.now().strftime("%Y-%m-%d %H%M%S")
        aside = keep_filled_in(reports / REVIEW_WORKBOOK, stamp)
        if aside is not None:
            print(
                f"Let op: {REVIEW_WORKBOOK} bevatte besluiten die nog niet in data/raw staan; "
                f"bewaard als {aside.name}. Sla het op als data/raw/beoordelingen.xlsx."
            )
        write_review_workbook(
            reports / REVIEW_WORKBOOK, out.result.questions, reference.review, reference
        )


@dataclass
class RankOutput:
    ranking: pd.DataFrame
    portfolio: pd.DataFrame
    portfolio_summary: pd.DataFrame
    gap: pd.DataFrame
    scenarios: pd.DataFrame
    scenario_choices: pd.DataFrame
    frontier: pd.DataFrame
    parameters: dict
    keys: dict[str, str] = field(default_factory=dict)  # theme -> what its briefing shows


def _given_or(given: object, setting: float, name: str) -> float:
    """A budget given to this step ('2 mln', 2000000), read as euros; the setting when not given."""
    return setting if given is None else parse_euros(given, name)


def rank_parameters(
    reference: Reference,
    budget,
    *,
    budget_from_settings: tuple[bool, bool],
    require_each_theme: bool,
    criteria: list[str],
    weights: dict[str, float] | None,
) -> dict:
    """What the ranking and the budget scenario worked with, as the documents state it: the
    budget and where each half came from (settings or a parameter of this step), the appraisal
    values, the ranking rule and the horizon."""
    structural_from_settings, incidental_from_settings = budget_from_settings
    first, last = reference.budget_incidental_years
    per_year = euro_short(reference.budget_incidental_eur_per_year)
    return {
        "budget_structural_eur": budget.structural_eur,
        "budget_incidental_eur": budget.incidental_eur,
        "budget_incidental_note": f"{per_year} per jaar in {first}–{last}"
        if incidental_from_settings
        else "",
        "appraisal_values": dict(reference.appraisal_values),
        "sources": {
            "budget_structural_eur": "settings" if structural_from_settings else "parameter",
            "budget_incidental_eur": "settings" if incidental_from_settings else "parameter",
        },
        "require_each_theme": bool(require_each_theme),
        "ranking_criteria": criteria,
        "ranking_weights": dict(weights or {}),
        "horizon_years": reference.horizon_length,
    }


def rank_and_select(
    proposals: pd.DataFrame,
    reference: Reference,
    *,
    budget_structural_eur: float | None = None,
    budget_incidental_eur: float | None = None,
    require_each_theme: bool = False,
    ranking_criteria: list[str] | None = None,
    ranking_weights: dict[str, float] | None = None,
    extra_scenarios: dict[str, object] | None = None,
) -> RankOutput:
    """Ranking, budget scenarios and the cost gap. None budgets take data/reference/settings.yaml."""
    # scipy (the solver) is imported here, not at the top: the clean step never needs it
    from stmh_analysis.portfolio import Budget, build_portfolio, cost_gap
    from stmh_analysis.scenarios import frontier_of_base, load_scenarios, solve_scenarios

    budget = Budget(
        _given_or(budget_structural_eur, reference.budget_structural_eur, "budget_structural_eur"),
        _given_or(budget_incidental_eur, reference.budget_incidental_eur, "budget_incidental_eur"),
    )
    criteria = list(ranking_criteria or DEFAULT_CRITERIA)
    ranking = rank_proposals(
        proposals,
        criteria=criteria,
        weights=ranking_weights or None,
        horizon_years=reference.horizon_length,
        reference=reference,
    )
    portfolio, summary = build_portfolio(
        ranking, budget, reference.appraisal_values, require_each_theme
    )
    gap = cost_gap(proposals, budget, reference.theme_labels)
    params = rank_parameters(
        reference,
        budget,
        budget_from_settings=(budget_structural_eur is None, budget_incidental_eur is None),
        require_each_theme=require_each_theme,
        criteria=criteria,
        weights=ranking_weights,
    )
    extra = {
        str(name): parse_euros(eur, f"scenario {name}")
        for name, eur in (extra_scenarios or {}).items()
    }
    # every scenario is this run's budget plus what it names, so the side-by-side table and the
    # budget scenario above tell one story, with --budget too
    scenario_list = load_scenarios(reference, extra, base=budget)
    scenario_summary, scenario_choices = solve_scenarios(ranking, scenario_list)
    frontier, reach = frontier_of_base(ranking, scenario_list, reference.frontier_budget_factor)
    params.update(reach)
    params["scenarios"] = [
        {"name": s.name, "label": s.label, "structural_eur": s.structural_eur}
        for s in scenario_list
    ]
    out = RankOutput(
        ranking, portfolio, summary, gap, scenario_summary, scenario_choices, frontier, params
    )
    out.keys = briefing_keys(out, reference.theme_slugs)
    return out


def briefing_keys(out: RankOutput, theme_slugs: Sequence[str]) -> dict[str, str]:
    """Per theme, a fingerprint of everything its briefing shows: the theme's rows of the
    ranking (the proposals with their ranks), the budget scenario and the scenario choices, its
    row of the cost per theme, the scenarios' labels and the rank step's parameters. A theme
    briefing is up to date while its fingerprint is unchanged (pipeline.declare_steps), so a
    partner's correction in one theme re-renders that theme's briefing only."""
    ids_by_theme = out.ranking.groupby("theme")["proposal_id"].apply(set).to_dict()
    shared = json.dumps(
        {
            "parameters": out.parameters,
            "scenarios": out.scenarios[["scenario", "label", "costs"]].to_dict("records"),
        },
        sort_keys=True,
        default=str,
    )
    keys = {}
    for slug in theme_slugs:
        ids = ids_by_theme.get(slug, set())
        parts = [
            _rows(out.ranking[out.ranking["theme"] == slug]),
            _rows(out.portfolio[out.portfolio["theme"] == slug]),
            _rows(out.scenario_choices[out.scenario_choices["proposal_id"].isin(ids)]),
            _rows(out.gap[out.gap["theme"] == slug]),
            shared,
        ]
        keys[slug] = hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()
    return keys


def _rows(frame: pd.DataFrame) -> str:
    """A table's rows as text, in a fixed order, with exact values."""
    order = [c for c in ("scenario", "costs", "proposal_id", "theme") if c in frame.columns]
    return frame.sort_values(order, kind="stable").to_json(orient="records", date_format="iso")


def draw_charts(out: RankOutput) -> dict[str, str]:
    """The charts of the briefings as inline SVG markup, drawn once here (notebook 02 shows them,
    the documents embed them): cost per theme, cumulative cost, and the frontier when computed."""
    from stmh_analysis.report import charts

    budget = out.parameters["budget_structural_eur"]
    drawn = {
        "cost_per_theme": charts.cost_per_theme(
            out.gap, budget, out.parameters["budget_incidental_eur"]
        ),
        "cumulative_cost": charts.cumulative_cost(
            out.ranking, budget, out.parameters["horizon_years"]
        ),
    }
    if not out.frontier.empty:
        low = out.scenarios[out.scenarios["costs"] == "low"]
        marks = list(zip(low["label"], low["budget_structural_eur"], strict=True))
        drawn["frontier"] = charts.frontier(out.frontier, marks)
    return {name: str(chart) for name, chart in drawn.items()}


def write_rank(out: RankOutput, processed: Path, drawn: dict[str, str] | None = None) -> None:
    """The rank step's tables, its parameters, and its charts (`drawn`, else drawn here)."""
    store.atomic_write_text(
        processed / "charts.json",
        json.dumps(drawn if drawn is not None else draw_charts(out), sort_keys=True) + "\n",
    )
    store.write_table(out.ranking, processed / "ranking", parquet=True)
    store.write_table(out.portfolio, processed / "portfolio", parquet=True)
    store.write_table(out.portfolio_summary, processed / "portfolio_summary")
    store.write_table(out.gap, processed / "gap")
    store.write_table(out.scenarios, processed / "scenarios", parquet=True)
    store.write_table(out.scenario_choices, processed / "scenario_choices")
    store.write_table(out.frontier, processed / "frontier")
    for slug, digest in out.keys.items():
        store.atomic_write_text(
            processed / KEYS_DIR / f"{slug}.json",
            json.dumps({"theme": slug, "sha256": digest}) + "\n",
        )
    store.atomic_write_text(
        processed / "rank_parameters.json",
        json.dumps(out.parameters, ensure_ascii=False, indent=2, sort_keys=True) + "\n",
    )


def load_proposals(processed: Path) -> pd.DataFrame:
    return store.read_table(processed / "proposals")


__all__ = [
    "clean_raw",
    "write_clean",
    "rank_and_select",
    "write_rank",
    "draw_charts",
    "load_proposals",
    "load_reference",
]
