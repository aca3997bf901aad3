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
        raise RankingError(f"ranking_criteria: moet een lijst met namen zijn, niet {criteria!r}")
    unknown = [c for c in criteria if c not in CRITERIA]
    if unknown:
        raise RankingError(
            f"ranking_criteria: onbekend criterium {unknown[0]!r}; bekend: {', '.join(CRITERIA)}"
        )
    if len(set(criteria)) != len(criteria):
        raise RankingError("ranking_criteria: een criterium staat er twee keer in")
    if not criteria:
        raise RankingError("ranking_criteria: noem ten minste één criterium")
    if weights:
        if not isinstance(weights, Mapping):
            raise RankingError(
                f"ranking_weights: moet per criterium een gewicht geven, niet {weights!r}"
            )
        for name, w in weights.items():
            if name not in CRITERIA:
                raise RankingError(
                    f"ranking_weights: onbekend criterium {name!r}; bekend: {', '.join(CRITERIA)}"
                )
            if isinstance(w, bool) or not isinstance(w, int | float) or not math.isfinite(w):
                raise RankingError(
                    f"ranking_weights: het gewicht van {name!r} moet een getal zijn, niet {w!r}"
                )
            if w < 0:
                raise RankingError(
                    f"ranking_weights: het gewicht van {name!r} is negatief ({w}); geef 0 om het te negeren"
                )
        if sum(weights.values()) == 0:
            raise RankingError("ranking_weights: alle gewichten zijn nul")
