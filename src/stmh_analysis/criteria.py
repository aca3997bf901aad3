"""The ranking criteria and their validation, kept free of pandas so the runner can check
parameters (and answer 'up to date') without loading the data stack."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

CRITERIA = ("appraisal", "expected_cost", "cost_range")
DEFAULT_CRITERIA = list(CRITERIA)


class RankingError(ValueError):
    """The ranking parameters are not usable; the message names the parameter and value."""


def validate_ranking(criteria: Sequence[str], weights: Mapping[str, float] | None) -> None:
    """Unknown criteria, repeats, and negative or all-zero weights are errors, never defaults."""
    if isinstance(criteria, str) or not isinstance(criteria, Sequence):
        raise RankingError(f"ranking_criteria must be a list of names, got {criteria!r}")
    unknown = [c for c in criteria if c not in CRITERIA]
    if unknown:
        raise RankingError(
            f"ranking_criteria: unknown criterion {unknown[0]!r}; known: {', '.join(CRITERIA)}"
        )
    if len(set(criteria)) != len(criteria):
        raise RankingError("ranking_criteria: a criterion is named twice")
    if not criteria:
        raise RankingError("ranking_criteria: name at least one criterion")
    if weights:
        if not isinstance(weights, Mapping):
            raise RankingError(f"ranking_weights must map criterion to weight, got {weights!r}")
        for name, w in weights.items():
            if name not in CRITERIA:
                raise RankingError(
                    f"ranking_weights: unknown criterion {name!r}; known: {', '.join(CRITERIA)}"
                )
            if isinstance(w, bool) or not isinstance(w, int | float) or not math.isfinite(w):
                raise RankingError(
                    f"ranking_weights: weight of {name!r} must be a number, got {w!r}"
                )
            if w < 0:
                raise RankingError(
                    f"ranking_weights: weight of {name!r} is negative ({w}); use 0 to ignore it"
                )
        if sum(weights.values()) == 0:
            raise RankingError("ranking_weights: all weights are zero")
