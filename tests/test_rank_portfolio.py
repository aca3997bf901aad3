"""Ranking order, parameter validation, and budget scenarios with known answers."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from stmh_analysis.portfolio import (
    Budget,
    PortfolioError,
    build_portfolio,
    select_greedy,
    select_optimal,
)
from stmh_analysis.rank import RankingError, rank_proposals


def frame(rows):
    cols = [
        "proposal_id",
        "theme",
        "appraisal",
        "cost_status",
        "structural_low_eur",
        "structural_high_eur",
        "incidental_low_eur",
        "incidental_high_eur",
    ]
    out = pd.DataFrame(rows, columns=cols)
    out["organisation"] = "X"
    out["title"] = out["proposal_id"]
    return out


def test_default_order_appraisal_then_cost_then_range_then_id():
    p = frame(
        [
            ("P-4", "t", "", "estimated", 10, 10, 0, 0),
            ("P-3", "t", "kansrijk", "estimated", 100, 300, 0, 0),
            ("P-2", "t", "kansrijk", "estimated", 150, 250, 0, 0),  # same mid as P-3, narrower
            ("P-1", "t", "kansrijk", "estimated", 50, 50, 0, 0),
            ("P-0", "t", "kansrijk", "pm", 0, 0, 0, 0),
            ("P-5", "t", "niet_kansrijk", "estimated", 1, 1, 0, 0),
            ("P-6", "t", "nader_uitwerken", "estimated", 500, 500, 0, 0),
        ]
    )
    ranked = rank_proposals(p)
    assert ranked["proposal_id"].tolist() == ["P-1", "P-2", "P-3", "P-0", "P-6", "P-5", "P-4"]
    assert ranked["rank_in_theme"].tolist() == list(range(1, 8))
    assert np.isnan(
        ranked.set_index("proposal_id").loc["P-0", "expected_cost_eur"]
    )  # pm is unknown, not free


def test_structural_counts_over_the_horizon():
    p = frame(
        [
            ("P-a", "t", "", "estimated", 100, 100, 0, 0),
            ("P-b", "t", "", "estimated", 0, 0, 350, 350),
        ]
    )
    assert rank_proposals(p, horizon_years=4)["proposal_id"].tolist() == ["P-b", "P-a"]
    assert rank_proposals(p, horizon_years=3)["proposal_id"].tolist() == ["P-a", "P-b"]


def test_weights_rank_by_score():
    p = frame(
        [
            ("P-a", "t", "kansrijk", "estimated", 900, 900, 0, 0),
            ("P-b", "t", "niet_kansrijk", "estimated", 1, 1, 0, 0),
        ]
    )
    assert rank_proposals(p)["proposal_id"].iloc[0] == "P-a"
    assert (
        rank_proposals(p, weights={"expected_cost": 5, "appraisal": 1})["proposal_id"].iloc[0]
        == "P-b"
    )


@pytest.mark.parametrize(
    ("criteria", "weights", "message"),
    [
        pytest.param(
            ["appraisal", "beauty"], None, "onbekend criterium 'beauty'", id="unknown-criterion"
        ),
        pytest.param(["appraisal", "appraisal"], None, "twee keer", id="repeat"),
        pytest.param(["appraisal"], {"appraisal": -1}, "negatief", id="negative-weight"),
        pytest.param(["appraisal"], {"cost": 1}, "onbekend criterium 'cost'", id="unknown-weight"),
        pytest.param(["appraisal"], {"appraisal": 0}, "alle gewichten zijn nul", id="zero"),
        pytest.param(["appraisal"], {"appraisal": "veel"}, "moet een getal zijn", id="not-number"),
        pytest.param("appraisal", None, "lijst met namen", id="string-not-list"),
    ],
)
def test_bad_ranking_parameters_are_errors(criteria, weights, message):
    p = frame([("P-a", "t", "", "estimated", 1, 1, 0, 0)])
    with pytest.raises(RankingError, match=message):
        rank_proposals(p, criteria=criteria, weights=weights)


def test_exact_beats_greedy_where_greedy_is_not_optimal():
    # Greedy takes the cheapest kansrijk (60) first and then nothing else fits; the best set is 50 + 50.
    s = np.array([60.0, 50.0, 50.0])
    i = np.zeros(3)
    v = np.array([3.0, 3.0, 3.0])
    themes = np.array(["a", "a", "a"])
    budget = Budget(100, 0)
    greedy = select_greedy(s, i, v, budget)
    best = select_optimal(s, i, v, themes, budget)
    assert greedy.chosen.tolist() == [True, False, False] and greedy.value == 3
    assert best.chosen.tolist() == [False, True, True] and best.value == 6
    assert best.structural_eur <= 100


def test_both_budgets_bind_and_each_theme_can_be_required():
    s = np.array([50.0, 50.0, 0.0, 60.0])
    i = np.array([0.0, 0.0, 80.0, 0.0])
    v = np.array([3.0, 3.0, 3.0, 1.0])
    themes = np.array(["a", "a", "b", "c"])
    budget = Budget(110, 50)
    free = select_optimal(s, i, v, themes, budget)
    assert free.chosen.tolist() == [
        True,
        True,
        False,
        False,
    ]  # item 2 breaks the incidental envelope
    each = select_optimal(s, i, v, themes, budget, require_each_theme=True)
    assert each.chosen[3] and each.chosen[:2].sum() == 1  # one of a, and c
    assert each.themes_unmet == ("b",)  # b cannot fit on its own: said, not hidden


def test_negative_budget_is_refused():
    with pytest.raises(PortfolioError, match="budget_structural_eur"):
        Budget(-1, 0)


def test_portfolio_is_deterministic_and_labels_low_high(reference):
    p = frame(
        [
            ("P-1", "a", "kansrijk", "estimated", 900_000, 1_500_000, 0, 0),
            ("P-2", "a", "kansrijk", "estimated", 800_000, 900_000, 0, 0),
            ("P-3", "b", "nader_uitwerken", "estimated", 100_000, 200_000, 0, 0),
            ("P-4", "b", "kansrijk", "pm", 0, 0, 0, 0),
        ]
    )
    ranked = rank_proposals(p)
    one, summary = build_portfolio(ranked, Budget(2_000_000, 0), reference.appraisal_values)
    two, _ = build_portfolio(ranked, Budget(2_000_000, 0), reference.appraisal_values)
    pd.testing.assert_frame_equal(one, two)
    fits = one.set_index("proposal_id")["fits"]
    assert (
        fits["P-2"] == "beide_ramingen"
        and fits["P-1"] == "alleen_lage_raming"
        and fits["P-4"] == ""
    )
    assert set(summary["scenario"]) == {"optimal_low", "optimal_high", "greedy_low", "greedy_high"}


@pytest.mark.parametrize("seed", range(12))
def test_pruning_keeps_the_exact_answer(seed):
    """The solver on the pruned set finds as much value as on every item (random instances)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    from stmh_analysis.portfolio import prune_dominated

    rng = np.random.default_rng(seed)
    n = 400
    kind = rng.integers(0, 3, n)  # structural only, incidental only, both
    s = np.where(kind != 1, rng.integers(1, 40, n) * 10.0, 0.0)
    i = np.where(kind != 0, rng.integers(1, 40, n) * 10.0, 0.0)
    v = rng.choice([3.0, 1.0, 0.5], n)
    themes = rng.choice(["a", "b", "c"], n)
    budget = Budget(300, 250)
    assert len(prune_dominated(s, i, v, themes, budget)) < n  # it does prune
    for require in (False, True):
        best = select_optimal(s, i, v, themes, budget, require_each_theme=require)
        assert best.structural_eur <= 300 and best.incidental_eur <= 250
        if not require:
            full = milp(
                -v,
                constraints=LinearConstraint(np.vstack([s, i]), -np.inf, [300, 250]),
                integrality=np.ones(n),
                bounds=Bounds(0, 1),
            )
            assert best.value == pytest.approx(-full.fun)


def test_a_shortfall_is_the_programmes_not_a_themes():
    """The budget belongs to the whole programme: a theme's cost against it is no 'tekort' of
    that theme (it read as if a theme under € 2 mln fits), so only the total row has one."""
    import pandas as pd

    from stmh_analysis.portfolio import Budget, cost_gap

    proposals = pd.DataFrame(
        {
            "theme": ["opvang", "technologie"],
            "cost_status": ["estimated", "estimated"],
            "structural_low_eur": [1_500_000.0, 1_000_000.0],
            "structural_high_eur": [1_500_000.0, 1_000_000.0],
            "incidental_low_eur": [0.0, 0.0],
            "incidental_high_eur": [0.0, 0.0],
        }
    )
    gap = cost_gap(proposals, Budget(2_000_000, 0), {"opvang": "Opvang", "technologie": "Tech"})
    by_theme = gap.set_index("theme")
    assert by_theme.loc["totaal", "shortfall_structural_low_eur"] == 500_000
    assert by_theme.loc[["opvang", "technologie"], "shortfall_structural_low_eur"].isna().all()
