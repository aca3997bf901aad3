"""Budget scenarios: which proposals fit the money, exactly (integer program) and greedily.

The exact scenario maximises the appraisal-weighted value (data/reference/settings.yaml:
appraisal_values) of the chosen proposals, with their structural cost per year within the
structural budget and their incidental totals within the incidental envelope, optionally with at
least one proposal per theme. Among equally valuable sets it prefers the cheaper. It is solved as
a 0-1 integer program with scipy's HiGHS (`scipy.optimize.milp`). The greedy list takes the
ranked proposals in order and keeps each one that still fits: the analyst sees what the exact
answer gains. Both run on the low and the high cost estimates.

Proposals without a cost (`pm`) and those appraised `niet_kansrijk` are never selected.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp


class PortfolioError(ValueError):
    """Budget parameters that cannot be used."""


@dataclass(frozen=True)
class Budget:
    """Structural euros per year and the incidental envelope in euros over its whole period."""

    structural_eur: float
    incidental_eur: float

    def __post_init__(self) -> None:
        for name, value in (
            ("budget_structural_eur", self.structural_eur),
            ("budget_incidental_eur", self.incidental_eur),
        ):
            if not np.isfinite(value) or value < 0:
                raise PortfolioError(
                    f"{name}: moet een bedrag in euro's van 0 of meer zijn, niet {value!r}"
                )


@dataclass(frozen=True)
class Selection:
    chosen: np.ndarray  # boolean per candidate
    value: float
    structural_eur: float
    incidental_eur: float
    themes_unmet: tuple[str, ...] = ()


def candidates_mask(frame: pd.DataFrame, values: dict[str, float]) -> pd.Series:
    """Proposals that can be chosen: a known cost and a positive appraisal value."""
    value = frame["appraisal"].fillna("").replace("", "none").map(values).fillna(0.0)
    return (frame["cost_status"] != "pm") & (value > 0)


def _fit_count(costs: np.ndarray, budget: float) -> int:
    """The most items with a positive cost that can fit together: the cheapest ones first."""
    positive = np.sort(costs[costs > 0])
    return int(np.searchsorted(np.cumsum(positive), budget, side="right"))


def prune_dominated(
    structural: np.ndarray,
    incidental: np.ndarray,
    value: np.ndarray,
    themes: np.ndarray,
    budget: Budget,
) -> np.ndarray:
    """Indices worth giving to the solver; dropping the others cannot change the best selection.

    Within one (value, theme) class, take the items with only a structural cost, cheapest first.
    No selection holds more than F of them, F being how many of the cheapest positive costs fit in
    the budget at all; so an item with F cheaper-or-equal siblings is never needed: a selection
    holding it leaves one of those out, and swapping the two keeps it feasible, as valuable and no
    more expensive. Such items are dropped; likewise for items with only an incidental cost. Items
    with both costs are all kept. The answer stays exact while the solver sees hundreds of items.
    """
    keep = np.ones(len(value), bool)
    for costs, other, limit in (
        (structural, incidental, _fit_count(structural, budget.structural_eur)),
        (incidental, structural, _fit_count(incidental, budget.incidental_eur)),
    ):
        only = (costs > 0) & (other == 0)
        if not only.any():
            continue
        frame = pd.DataFrame(
            {
                "value": value[only],
                "theme": themes[only],
                "cost": costs[only],
                "index": np.flatnonzero(only),
            }
        )
        frame = frame.sort_values(["value", "theme", "cost", "index"], kind="stable")
        position = frame.groupby(["value", "theme"], sort=False).cumcount().to_numpy()
        keep[frame["index"].to_numpy()[position >= limit]] = False
    return np.flatnonzero(keep)


def select_optimal(
    structural: np.ndarray,
    incidental: np.ndarray,
    value: np.ndarray,
    themes: np.ndarray,
    budget: Budget,
    require_each_theme: bool = False,
) -> Selection:
    """Exact 0-1 selection maximising value within both budgets (ties: lowest total cost)."""
    n = len(value)
    if n == 0:
        return Selection(np.zeros(0, bool), 0.0, 0.0, 0.0)
    subset = prune_dominated(structural, incidental, value, themes, budget)
    if len(subset) < n:
        return _select_among(
            subset, structural, incidental, value, themes, budget, require_each_theme
        )
    cost = structural + incidental
    scale = cost.sum() or 1.0
    # The cost term is at most 0.1 in total, below the smallest value step (0.5): it only breaks ties.
    objective = -(value - 0.1 * cost / scale)
    constraint, unmet = _constraints(structural, incidental, themes, budget, require_each_theme)
    result = milp(objective, constraints=constraint, integrality=np.ones(n), bounds=Bounds(0, 1))
    if result.x is None:
        if require_each_theme:
            # One per theme cannot be had together within the budget: say so, solve without it.
            free = select_optimal(structural, incidental, value, themes, budget, False)
            return replace(free, themes_unmet=tuple(sorted(set(themes))))
        raise PortfolioError(f"het budgetscenario kon niet worden opgelost: {result.message}")
    chosen = result.x > 0.5
    return Selection(
        chosen,
        float(value[chosen].sum()),
        float(structural[chosen].sum()),
        float(incidental[chosen].sum()),
        tuple(unmet),
    )


def _select_among(subset, structural, incidental, value, themes, budget, require_each_theme):
    """The selection solved on the proposals `subset` keeps (the others are dominated), told
    for all of them; with 'each theme', a theme pruned away entirely had nothing that fits."""
    sub = select_optimal(
        structural[subset], incidental[subset], value[subset], themes[subset], budget,
        require_each_theme,
    )  # fmt: skip
    chosen = np.zeros(len(value), bool)
    chosen[subset[sub.chosen]] = True
    unmet = set(sub.themes_unmet)
    if require_each_theme:
        unmet |= set(themes) - set(themes[subset])
    return replace(sub, chosen=chosen, themes_unmet=tuple(sorted(unmet)))


def _constraints(
    structural, incidental, themes, budget: Budget, require_each_theme: bool
) -> tuple[LinearConstraint, list[str]]:
    """Both budgets, and with 'each theme' at least one proposal per theme; a theme none of whose
    proposals fits on its own drops out of that requirement and is returned as unmet."""
    rows = [structural, incidental]
    upper = [budget.structural_eur, budget.incidental_eur]
    lower = [-np.inf, -np.inf]
    unmet: list[str] = []
    for theme in sorted(set(themes)) if require_each_theme else ():
        members = themes == theme
        fits = (
            members & (structural <= budget.structural_eur) & (incidental <= budget.incidental_eur)
        )
        if not fits.any():
            unmet.append(theme)
            continue
        rows.append(members.astype(float))
        lower.append(1.0)
        upper.append(np.inf)
    return LinearConstraint(np.vstack(rows), lower, upper), unmet


def select_greedy(
    structural: np.ndarray, incidental: np.ndarray, value: np.ndarray, budget: Budget
) -> Selection:
    """Take candidates in the given (ranked) order, keeping each that still fits both budgets."""
    chosen = np.zeros(len(value), bool)
    used_s = used_i = 0.0
    for i in range(len(value)):
        if (
            used_s + structural[i] <= budget.structural_eur + 1e-6
            and used_i + incidental[i] <= budget.incidental_eur + 1e-6
        ):
            chosen[i] = True
            used_s += structural[i]
            used_i += incidental[i]
    return Selection(chosen, float(value[chosen].sum()), used_s, used_i)


# What the portfolio table shows of each proposal, beside its selections.
PORTFOLIO_COLUMNS = [
    "proposal_id", "rank_overall", "theme", "organisation", "title", "appraisal", "cost_status",
    "structural_low_eur", "structural_high_eur", "incidental_low_eur", "incidental_high_eur",
]  # fmt: skip


def build_portfolio(
    ranking: pd.DataFrame,
    budget: Budget,
    values: dict[str, float],
    require_each_theme: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per proposal: in the exact and greedy selection under low and high costs; and a summary.

    `ranking` must be in rank order (rank_proposals output), so the greedy list follows it.
    """
    frame = ranking.sort_values("rank_overall").reset_index(drop=True)
    can = candidates_mask(frame, values)
    cand = frame[can]
    value = cand["appraisal"].fillna("").replace("", "none").map(values).to_numpy(float)
    themes = cand["theme"].to_numpy(str)
    out = frame[PORTFOLIO_COLUMNS].copy()
    out["candidate"] = can.to_numpy()
    summary = []
    for side in ("low", "high"):
        s = cand[f"structural_{side}_eur"].to_numpy(float)
        i = cand[f"incidental_{side}_eur"].to_numpy(float)
        for method in ("optimal", "greedy"):
            sel = (
                select_optimal(s, i, value, themes, budget, require_each_theme)
                if method == "optimal"
                else select_greedy(s, i, value, budget)
            )
            col = f"in_{method}_{side}"
            out[col] = False
            out.loc[can[can].index, col] = sel.chosen
            summary.append(_summary_row(method, side, sel, budget))
    out["fits"] = np.select(
        [out["in_optimal_low"] & out["in_optimal_high"], out["in_optimal_low"]],
        ["beide_ramingen", "alleen_lage_raming"],
        default="",
    )
    return out, pd.DataFrame(summary)


def _summary_row(method: str, side: str, sel: Selection, budget: Budget) -> dict[str, object]:
    """One line of the portfolio summary: a method at the low or high estimates."""
    return {
        "scenario": f"{method}_{side}",
        "method": method,
        "costs": side,
        "proposals": int(sel.chosen.sum()),
        "value": sel.value,
        "structural_eur": sel.structural_eur,
        "incidental_eur": sel.incidental_eur,
        "budget_structural_eur": budget.structural_eur,
        "budget_incidental_eur": budget.incidental_eur,
        "themes_unmet": ";".join(sel.themes_unmet),
    }


def cost_gap(proposals: pd.DataFrame, budget: Budget, labels: dict[str, str]) -> pd.DataFrame:
    """Per theme and in total: cost low-high (structural per year, incidental total) and the shortfall."""
    rows = []
    for slug, label in labels.items():
        part = proposals[proposals["theme"] == slug]
        rows.append(
            {
                "theme": slug,
                "label": label,
                "proposals": len(part),
                "pm": int((part["cost_status"] == "pm").sum()),
                **{
                    c: float(part[c].sum())
                    for c in (
                        "structural_low_eur",
                        "structural_high_eur",
                        "incidental_low_eur",
                        "incidental_high_eur",
                    )
                },
            }
        )
    table = pd.DataFrame(rows)
    total = {
        "theme": "totaal",
        "label": "Totaal",
        "proposals": int(table["proposals"].sum()),
        "pm": int(table["pm"].sum()),
        **{c: float(table[c].sum()) for c in table.columns if c.endswith("_eur")},
    }
    table = pd.concat([table, pd.DataFrame([total])], ignore_index=True)
    # The budget is the programme's, not a theme's: a shortfall exists only for all proposals
    # together (a theme's cost against the whole budget would read as if that theme fits).
    whole = table["theme"] == "totaal"
    for kind, budget_eur in (
        ("structural", budget.structural_eur),
        ("incidental", budget.incidental_eur),
    ):
        for side in ("low", "high"):
            short = (table[f"{kind}_{side}_eur"] - budget_eur).clip(lower=0)
            table[f"shortfall_{kind}_{side}_eur"] = short.where(whole)
    return table
