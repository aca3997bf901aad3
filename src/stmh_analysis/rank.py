"""Rank proposals within each theme and overall.

Default order (lexicographic): appraisal first (kansrijk, nader_uitwerken, niet_kansrijk, none),
then lower expected cost, then a narrower cost range, then proposal_id, so ties are settled the
same way every run. Expected cost compares structural and incidental money on one footing: the
mid estimate of the structural cost times the years of the horizon (2024-2027: four) plus the mid
estimate of the incidental total. `pm` proposals have no cost: they rank after the costed ones of
their appraisal and are shown as "kosten onbekend", never as free.

With `weights`, the order is by a weighted score instead: each criterion scores 0 to 1 (1 best)
and the score is the weighted sum; the lexicographic order settles ties.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from stmh_analysis.criteria import CRITERIA, DEFAULT_CRITERIA, RankingError, validate_ranking
from stmh_analysis.paths import Paths
from stmh_analysis.reference import Reference, load_reference

__all__ = ["CRITERIA", "DEFAULT_CRITERIA", "RankingError", "rank_proposals", "validate_ranking"]


def add_costs(proposals: pd.DataFrame, horizon_years: int) -> pd.DataFrame:
    """Cost over the horizon in euros: low, high, expected (mid) and range width; NaN for pm."""
    out = proposals.copy()
    pm = out["cost_status"] == "pm"
    low = out["structural_low_eur"] * horizon_years + out["incidental_low_eur"]
    high = out["structural_high_eur"] * horizon_years + out["incidental_high_eur"]
    out["cost_low_eur"] = low.mask(pm)
    out["cost_high_eur"] = high.mask(pm)
    out["expected_cost_eur"] = ((low + high) / 2).mask(pm)
    out["cost_range_eur"] = (high - low).mask(pm)
    return out


def _lexicographic_keys(frame: pd.DataFrame, criteria: Sequence[str]) -> list[str]:
    keys = []
    for c in criteria:
        if c == "appraisal":
            keys.append("_appraisal_order")
        elif c == "expected_cost":
            keys += ["_pm", "expected_cost_eur"]
        elif c == "cost_range":
            keys += ["_pm", "cost_range_eur"]
    return list(dict.fromkeys(keys)) + ["proposal_id"]


def criterion_scores(frame: pd.DataFrame, appraisal_scores: Mapping[str, float]) -> pd.DataFrame:
    """Each criterion as a 0-1 score, 1 best (cheapest, narrowest, kansrijk); pm scores 0 on cost."""
    scores = pd.DataFrame(index=frame.index)
    scores["appraisal"] = (
        frame["appraisal"].fillna("").map(appraisal_scores).fillna(appraisal_scores[""])
    )
    for name, col in (("expected_cost", "expected_cost_eur"), ("cost_range", "cost_range_eur")):
        pct = frame[col].rank(method="average", pct=True)
        scores[name] = (1 - pct + 1 / max(len(frame), 1)).clip(0, 1).fillna(0.0)
    return scores


def rank_proposals(
    proposals: pd.DataFrame,
    *,
    criteria: Sequence[str] = DEFAULT_CRITERIA,
    weights: Mapping[str, float] | None = None,
    horizon_years: int = 4,
    reference: Reference | None = None,
) -> pd.DataFrame:
    """Proposals with `rank_overall`, `rank_in_theme` (1 = first) and, with weights, `score`.
    Appraisal order and scores come from data/reference/appraisals.yaml (`reference`)."""
    validate_ranking(criteria, weights)
    reference = reference or load_reference(Paths.default().reference)
    order = reference.appraisal_order
    frame = add_costs(proposals, horizon_years)
    frame["_appraisal_order"] = (
        frame["appraisal"].fillna("").map(order).fillna(order[""]).astype(int)
    )
    frame["_pm"] = (frame["cost_status"] == "pm").astype(int)
    keys = _lexicographic_keys(frame, criteria)
    if weights:
        scores = criterion_scores(frame, reference.appraisal_scores)
        frame["score"] = sum(scores[c] * float(w) for c, w in weights.items()).round(9)
        frame["_neg_score"] = -frame["score"]
        keys = ["_neg_score", *keys]
    frame = frame.sort_values(keys, kind="stable", na_position="last").reset_index(drop=True)
    frame["rank_overall"] = np.arange(1, len(frame) + 1)
    frame["rank_in_theme"] = frame.groupby("theme").cumcount() + 1
    return frame.drop(columns=[c for c in frame.columns if c.startswith("_")])
