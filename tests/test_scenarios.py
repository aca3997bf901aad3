"""Named scenarios and the value of the next euro: each choice exact, checked independently."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from stmh_analysis import steps
from stmh_analysis.portfolio import Budget, candidates_mask, select_optimal
from stmh_analysis.scenarios import (
    efficient_frontier,
    frontier_value_at,
    load_scenarios,
    solve_scenarios,
)


def brute_force(structural, incidental, value, themes, budget_s, budget_i, each_theme=False):
    """The best value over every subset (numpy over all 2^n masks)."""
    n = len(value)
    masks = np.array(list(itertools.product([0, 1], repeat=n)), dtype=bool)
    s, i, v = masks @ structural, masks @ incidental, masks @ value
    ok = (s <= budget_s + 1e-6) & (i <= budget_i + 1e-6)
    if each_theme:
        for theme in set(themes):
            members = np.asarray(themes) == theme
            if ((structural[members] <= budget_s) & (incidental[members] <= budget_i)).any():
                ok &= masks[:, members].any(axis=1)
    return float(v[ok].max()) if ok.any() else 0.0


@pytest.fixture(scope="module")
def ranking(reference):
    from stmh_analysis.paths import Paths

    out = steps.clean_raw(Paths.default().raw, reference)
    return steps.rank_and_select(out.result.proposals, reference).ranking


def test_the_bundled_scenarios_are_the_five_the_minister_asks_about(reference):
    names = [s.name for s in load_scenarios(reference)]
    assert names == ["basis", "plus_half", "amendement", "elk_thema", "alleen_kansrijk"]
    extra = load_scenarios(reference, {"drie mln": 3_000_000})[-1]
    assert (extra.name, extra.structural_eur) == ("drie mln", 3_000_000)


@pytest.mark.parametrize("seed", range(3))
def test_every_scenario_choice_is_optimal_against_brute_force(ranking, reference, seed):
    rng = np.random.default_rng(seed)
    subset = ranking.iloc[rng.choice(len(ranking), size=15, replace=False)].copy()
    subset["rank_overall"] = np.arange(1, len(subset) + 1)
    scenarios = load_scenarios(reference)
    scale = subset["structural_low_eur"].sum() / 3 / reference.budget_structural_eur
    # budgets scaled to the subset so each scenario has to choose
    scenarios = [
        type(s)(
            s.name,
            s.label,
            s.structural_eur * scale,
            s.incidental_eur / 3,
            s.require_each_theme,
            s.appraisals,
            s.values,
        )
        for s in scenarios
    ]
    summary, _ = solve_scenarios(subset, scenarios)
    for sc in scenarios:
        values = sc.value_table()
        can = candidates_mask(subset, values)
        cand = subset[can]
        value = cand["appraisal"].fillna("").replace("", "none").map(values).to_numpy(float)
        for side in ("low", "high"):
            best = brute_force(
                cand[f"structural_{side}_eur"].to_numpy(float),
                cand[f"incidental_{side}_eur"].to_numpy(float),
                value,
                cand["theme"].to_numpy(str),
                sc.structural_eur,
                sc.incidental_eur,
                sc.require_each_theme,
            )
            row = summary[(summary["scenario"] == sc.name) & (summary["costs"] == side)].iloc[0]
            assert row["value"] == pytest.approx(best), (sc.name, side)
            assert row["structural_eur"] <= sc.structural_eur + 1e-6


def test_only_kansrijk_chooses_only_kansrijk(ranking, reference):
    summary, choices = solve_scenarios(ranking, load_scenarios(reference))
    chosen = choices[choices["scenario"] == "alleen_kansrijk"]["proposal_id"]
    appraisal = ranking.set_index("proposal_id").loc[chosen, "appraisal"]
    assert set(appraisal) == {"kansrijk"}
    more = summary[(summary["scenario"] == "amendement") & (summary["costs"] == "low")].iloc[0]
    base = summary[(summary["scenario"] == "basis") & (summary["costs"] == "low")].iloc[0]
    assert more["value"] >= base["value"] and more["enters"]


def random_programme(rng, n: int, grain: float = 10_000.0):
    """n proposals the way the partners' estimates come: round amounts, some free, some equal,
    about half with incidental cost, and every appraisal (worth 0 too)."""
    structural = rng.integers(0, 40, n) * grain
    incidental = rng.integers(0, 20, n) * grain * (rng.random(n) < 0.5)
    value = rng.choice([0.0, 0.5, 1.0, 3.0], n)
    if n > 3:  # two equal proposals: a tie the table must count once, not drop both
        structural[1], incidental[1], value[1] = structural[0], incidental[0], value[0]
    return structural, incidental, value


@pytest.mark.parametrize("by_table", [True, False], ids=["table", "milp"])
@pytest.mark.parametrize("seed", range(8))
def test_the_frontier_is_the_optimum_at_every_budget(seed, by_table):
    rng = np.random.default_rng(seed)
    n = 11
    structural, incidental, value = random_programme(rng, n)
    envelope = float(incidental.sum() * rng.choice([0.2, 0.4, 1.0]))
    top = None if seed % 2 else float(structural.sum() * 0.5)
    frontier = efficient_frontier(
        structural, incidental, value, envelope, max_budget=top, by_table=by_table
    )
    assert (
        frontier["value"].is_monotonic_increasing and frontier["budget_eur"].is_monotonic_increasing
    )
    themes = np.array(["-"] * n)
    reach = structural.sum() if top is None else top
    for budget in np.arange(0, reach + 1, 10_000.0):
        expected = brute_force(structural, incidental, value, themes, budget, envelope)
        assert frontier_value_at(frontier, budget) == pytest.approx(expected), budget
    assert frontier["budget_eur"].max() <= reach + 1e-6


@pytest.mark.parametrize("seed", range(10))
def test_proposals_left_out_of_a_short_frontier_are_never_needed(seed):
    """Up to a small budget a choice holds few proposals, so many are left out of the table (at
    least that many others are as good and no dearer); the frontier stays the brute force's."""
    from stmh_analysis.scenarios import _most_proposals, _never_needed

    rng = np.random.default_rng(50 + seed)
    n = 13
    structural, incidental, value = random_programme(rng, n)
    top = float(np.sort(structural)[:3].sum())
    envelope = float(incidental.sum() * 0.3)
    most = _most_proposals(structural, top)
    assert most >= 3
    left_out = _never_needed(structural, incidental, value, most)
    frontier = efficient_frontier(structural, incidental, value, envelope, max_budget=top)
    themes = np.array(["-"] * n)
    for budget in np.arange(0, top + 1, 10_000.0):
        expected = brute_force(structural, incidental, value, themes, budget, envelope)
        assert frontier_value_at(frontier, budget) == pytest.approx(expected), budget
        kept = brute_force(
            structural[~left_out], incidental[~left_out], value[~left_out], themes[~left_out],
            budget, envelope,
        )  # fmt: skip
        assert kept == pytest.approx(expected)


@pytest.mark.parametrize("seed", range(3))
def test_the_frontier_of_thousands_equals_the_milp_at_sampled_budgets(seed):
    """2.000 proposals, € 1.000 steps, the envelope binding: the table against the solver of
    the budget scenario, at budgets drawn at random up to where the frontier reaches."""
    rng = np.random.default_rng(100 + seed)
    n = 2_000
    structural, incidental, value = random_programme(rng, n, grain=1_000.0)
    structural *= rng.integers(1, 15, n)  # not all on one grid: € 1.000 up to € 14.000 steps
    envelope, top = 300_000.0, 2_000_000.0
    frontier = efficient_frontier(structural, incidental, value, envelope, max_budget=top)
    assert not frontier.empty
    themes = np.array(["-"] * n)
    for budget in [*rng.uniform(0, top, 3), top]:
        best = select_optimal(structural, incidental, value, themes, Budget(budget, envelope))
        assert frontier_value_at(frontier, budget) == pytest.approx(best.value), budget


def test_the_frontier_reaches_the_value_of_everything_that_fits(ranking, reference):
    from stmh_analysis.scenarios import frontier_for

    base = load_scenarios(reference)[0]
    frontier = frontier_for(ranking, base)
    values = base.value_table()
    can = candidates_mask(ranking, values)
    cand = ranking[can]
    assert frontier["budget_eur"].iloc[0] == 0
    assert frontier["structural_eur"].iloc[-1] <= cand["structural_low_eur"].sum() + 1e-6
    assert len(frontier) > 10
    at_base = frontier_value_at(frontier, base.structural_eur)
    summary, _ = solve_scenarios(ranking, [base])
    assert at_base == pytest.approx(summary.iloc[0]["value"])


def test_scenarios_are_written_and_declared(tmp_path, reference):
    from stmh_analysis.paths import Paths

    out = steps.clean_raw(Paths.default().raw, reference)
    result = steps.rank_and_select(
        out.result.proposals, reference, extra_scenarios={"extra": "€ 3 mln"}
    )
    steps.write_rank(result, tmp_path)
    written = pd.read_parquet(tmp_path / "scenarios.parquet")
    label = written.set_index(["scenario", "costs"]).loc[("plus_half", "low"), "label"]
    assert label.startswith("+ ")  # exact text, no spreadsheet guard
    assert "extra" in set(written["scenario"])
    assert [s["name"] for s in result.parameters["scenarios"]][-1] == "extra"


def test_a_frontier_too_large_to_be_exact_is_not_drawn_rather_than_a_hang(
    ranking, reference, monkeypatch
):
    from stmh_analysis import scenarios

    monkeypatch.setattr(scenarios, "FRONTIER_MAX_CELLS", 5)
    monkeypatch.setattr(scenarios, "FRONTIER_MAX_CANDIDATES", 5)
    assert scenarios.frontier_for(ranking, load_scenarios(reference)[0]).empty


def test_the_frontier_reaches_a_few_times_the_largest_scenario(ranking, reference):
    from stmh_analysis.scenarios import frontier_for, frontier_max_budget, frontier_reaches_all

    scenarios_ = load_scenarios(reference)
    reach = frontier_max_budget(scenarios_, reference.frontier_budget_factor)
    assert reach == reference.frontier_budget_factor * max(s.structural_eur for s in scenarios_)
    assert frontier_reaches_all(ranking, scenarios_[0], reach)  # the bundled set: all of it
    short = frontier_for(ranking, scenarios_[0], 1_000_000)
    assert short["budget_eur"].max() <= 1_000_000
    assert not frontier_reaches_all(ranking, scenarios_[0], 1_000_000)


def test_with_another_budget_every_scenario_still_means_what_it_says(reference):
    """--budget 2500000: the base is € 2,5 mln, '+ € 0,5 mln' is € 3 mln, 'Elk thema iets' and
    'Alleen kansrijk' stay at the base (before: € 2,5 mln for '+ € 0,5 mln' too, and € 2 mln,
    below the base, for the other two)."""
    from stmh_analysis.paths import Paths

    proposals = steps.clean_raw(Paths.default().raw, reference).result.proposals
    out = steps.rank_and_select(proposals, reference, budget_structural_eur=2_500_000)
    budgets = {s["name"]: s["structural_eur"] for s in out.parameters["scenarios"]}
    assert budgets == {
        "basis": 2_500_000,
        "plus_half": 3_000_000,
        "amendement": 4_500_000,
        "elk_thema": 2_500_000,
        "alleen_kansrijk": 2_500_000,
    }
    base = out.scenarios[(out.scenarios["scenario"] == "basis") & (out.scenarios["costs"] == "low")]
    optimal = out.portfolio_summary.set_index("scenario").loc["optimal_low"]
    assert base["value"].iloc[0] == optimal["value"]  # the base is the budget scenario


def test_a_scenario_names_either_an_extra_or_an_absolute_budget():
    from stmh_analysis.reference import ReferenceError
    from stmh_analysis.scenarios import scenario_budget

    assert scenario_budget({"extra_structural_eur": 500_000}, 2_000_000) == 2_500_000
    assert scenario_budget({"structural_eur_per_year": 3_000_000}, 2_000_000) == 3_000_000
    assert scenario_budget({}, 2_000_000) == 2_000_000
    with pytest.raises(ReferenceError, match="niet allebei"):
        scenario_budget({"extra_structural_eur": 1, "structural_eur_per_year": 2}, 2_000_000)
