"""Named budget scenarios side by side, and the value of the next euro.

`data/reference/scenarios.yaml` names the scenarios (the base first); `stmh run --scenario
NAAM=EUR` adds one with another structural budget for one run. Each is solved exactly with the
same MILP as the base scenario (`portfolio.select_optimal`), on the low and the high estimates;
the summary says what each chooses, costs, is worth, leaves unspent, and which proposals enter
or leave compared with the base.

`efficient_frontier` gives the best achievable value for every structural budget from € 0 to the
cost of everything, as the exact budgets where the optimum changes (a step function): two exact
solves per step, checked against brute force in the tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, milp

from stmh_analysis.portfolio import Budget, candidates_mask, select_optimal
from stmh_analysis.reference import Reference, ReferenceError


@dataclass(frozen=True)
class Scenario:
    name: str
    label: str
    structural_eur: float
    incidental_eur: float
    require_each_theme: bool = False
    appraisals: tuple[str, ...] = ()  # empty: every appraisal with a positive value
    values: dict[str, float] = field(default_factory=dict)

    def value_table(self) -> dict[str, float]:
        """Appraisal values for this scenario: appraisals not allowed are worth 0 (never chosen)."""
        if not self.appraisals:
            return dict(self.values)
        return {k: (v if k in self.appraisals else 0.0) for k, v in self.values.items()}


def load_scenarios(
    reference: Reference, extra: dict[str, float] | None = None, base: Budget | None = None
) -> list[Scenario]:
    """The scenarios of scenarios.yaml (base first) and any added for this run (name -> budget).

    `base` is this run's budget (default: settings.yaml). A scenario differs from it only in what
    it names: `extra_structural_eur` adds to the base's structural budget ('+ € 0,5 mln' stays
    € 0,5 mln more with --budget), `structural_eur_per_year` sets an absolute budget, a scenario
    that names neither has the base's."""
    entries = list(reference.scenario_entries)
    if not entries:
        raise ReferenceError("scenarios.yaml: geen scenario's; het eerste is de basis")
    base = base or Budget(reference.budget_structural_eur, reference.budget_incidental_eur)
    scenarios = []
    for entry in entries:
        try:
            appraisals = tuple(entry.get("appraisals") or ())
            unknown = [a for a in appraisals if a not in reference.appraisal_codes]
            if unknown:
                raise ReferenceError(
                    f"scenarios.yaml: {entry['name']}: onbekende appreciatie {unknown[0]!r}"
                )
            scenarios.append(
                Scenario(
                    name=str(entry["name"]),
                    label=str(entry.get("label") or entry["name"]),
                    structural_eur=scenario_budget(entry, base.structural_eur),
                    incidental_eur=float(entry.get("incidental_eur", base.incidental_eur)),
                    require_each_theme=bool(entry.get("require_each_theme", False)),
                    appraisals=appraisals,
                    values=dict(reference.appraisal_values),
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            if isinstance(exc, ReferenceError):
                raise
            raise ReferenceError(f"scenarios.yaml: regel {entry!r} is onvolledig: {exc}") from exc
    for name, budget in (extra or {}).items():
        scenarios.append(
            Scenario(
                name,
                name,
                float(budget),
                reference.budget_incidental_eur,
                values=dict(reference.appraisal_values),
            )
        )
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise ReferenceError(f"scenario's: een naam staat er twee keer in: {names}")
    return scenarios


def scenario_budget(entry: dict, base_structural_eur: float) -> float:
    """A scenario's structural budget: the base's plus `extra_structural_eur`, or the absolute
    `structural_eur_per_year`; both at once is refused (which one would it mean?)."""
    if "extra_structural_eur" in entry and "structural_eur_per_year" in entry:
        raise ReferenceError(
            f"scenarios.yaml: {entry.get('name')}: noem extra_structural_eur (bovenop de basis) "
            "of structural_eur_per_year (een vast bedrag), niet allebei"
        )
    if "structural_eur_per_year" in entry:
        return float(entry["structural_eur_per_year"])
    return base_structural_eur + float(entry.get("extra_structural_eur", 0))


def solve_scenarios(
    ranking: pd.DataFrame, scenarios: list[Scenario]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per scenario and estimate (low, high): the exact best choice. Returns the summary (one row
    per scenario and estimate) and the choices (scenario, costs, proposal_id)."""
    frame = ranking.sort_values("rank_overall").reset_index(drop=True)
    titles = frame.set_index("proposal_id")["title"]
    summary, choices = [], []
    chosen_sets: dict[tuple[str, str], set[str]] = {}
    for sc in scenarios:
        values = sc.value_table()
        can = candidates_mask(frame, values)
        cand = frame[can]
        value = cand["appraisal"].fillna("").replace("", "none").map(values).to_numpy(float)
        budget = Budget(sc.structural_eur, sc.incidental_eur)
        for side in ("low", "high"):
            s = cand[f"structural_{side}_eur"].to_numpy(float)
            i = cand[f"incidental_{side}_eur"].to_numpy(float)
            sel = select_optimal(
                s, i, value, cand["theme"].to_numpy(str), budget, sc.require_each_theme
            )
            ids = set(cand["proposal_id"].to_numpy()[sel.chosen])
            chosen_sets[(sc.name, side)] = ids
            choices += [{"scenario": sc.name, "costs": side, "proposal_id": p} for p in sorted(ids)]
            summary.append(
                {
                    "scenario": sc.name,
                    "label": sc.label,
                    "costs": side,
                    "proposals": len(ids),
                    "structural_eur": sel.structural_eur,
                    "incidental_eur": sel.incidental_eur,
                    "value": sel.value,
                    "budget_structural_eur": sc.structural_eur,
                    "budget_incidental_eur": sc.incidental_eur,
                    "unspent_structural_eur": sc.structural_eur - sel.structural_eur,
                    "unspent_incidental_eur": sc.incidental_eur - sel.incidental_eur,
                    "themes_unmet": ";".join(sel.themes_unmet),
                }
            )
    base = scenarios[0].name
    for row in summary:
        mine, theirs = (
            chosen_sets[(row["scenario"], row["costs"])],
            chosen_sets[(base, row["costs"])],
        )
        row["enters"] = ";".join(sorted(titles[p] for p in mine - theirs))
        row["leaves"] = ";".join(sorted(titles[p] for p in theirs - mine))
    return pd.DataFrame(summary), pd.DataFrame(
        choices, columns=["scenario", "costs", "proposal_id"]
    )


def _value_step(value: np.ndarray) -> float:
    """The smallest possible increase of a total value (the gcd of the values, to 0.001)."""
    units = np.unique(np.round(value[value > 0] * 1000).astype(np.int64))
    return float(np.gcd.reduce(units)) / 1000 if len(units) else 1.0


def _cheapest_reaching(
    structural: np.ndarray,
    incidental: np.ndarray,
    value: np.ndarray,
    target: float,
    envelope: float,
) -> np.ndarray | None:
    """The choice of least structural cost worth at least `target` within the incidental envelope
    (ties: the most valuable), or None when no choice reaches it."""
    if value.sum() < target - 1e-9:
        return None
    # cost first; the value term (below one euro in total) only breaks ties towards more value
    objective = structural - value / (value.sum() + 1.0)
    constraints = LinearConstraint(
        np.vstack([value, incidental]), [target - 1e-9, -np.inf], [np.inf, envelope]
    )
    result = milp(
        objective,
        constraints=constraints,
        integrality=np.ones(len(value)),
        bounds=Bounds(0, 1),
        options={"mip_rel_gap": 0.0},
    )
    return None if result.x is None else result.x > 0.5


def _frontier_by_table(
    structural: np.ndarray,
    incidental: np.ndarray,
    value: np.ndarray,
    envelope: float,
    max_cells: int = 4_000_000,
) -> pd.DataFrame | None:
    """The same frontier by dynamic programming when it is small enough to be exact and quick:
    values in steps of their gcd, incidental amounts in steps of theirs (usually € 1.000). For
    every (value, incidental) pair the least structural cost; the least cost per value level
    then gives every budget where the best value changes. None when the table would be large."""
    step = _value_step(value)
    units = np.round(value / step).astype(np.int64)
    cents = np.round(incidental * 100).astype(np.int64)
    grain = int(np.gcd.reduce(cents[cents > 0])) if (cents > 0).any() else 1
    inc_units = cents // grain
    top_e = int(np.floor(envelope * 100 / grain + 1e-9))
    top_v = int(units.sum())
    if (top_v + 1) * (top_e + 1) > max_cells or not np.allclose(units * step, value):
        return None
    cost = np.full((top_v + 1, top_e + 1), np.inf)
    cost[0, 0] = 0.0
    for v, e, s in zip(units, inc_units, structural, strict=True):
        if e > top_e:
            continue
        moved = cost[: top_v + 1 - v, : top_e + 1 - e] + s  # a copy: each proposal once
        target = cost[v:, e:]
        np.minimum(target, moved, out=target)
    least = cost.min(axis=1)  # least structural cost for exactly this value, within the envelope
    reaching = np.minimum.accumulate(least[::-1])[::-1]  # ... for at least this value
    rows = []
    for budget in np.unique(reaching[np.isfinite(reaching)]):
        best = int(np.nonzero(reaching <= budget)[0].max())
        rows.append(
            {
                "budget_eur": float(budget),
                "value": best * step,
                "structural_eur": float(budget),
                "proposals": pd.NA,
            }
        )
    return pd.DataFrame(rows, columns=["budget_eur", "value", "structural_eur", "proposals"])


def efficient_frontier(
    structural: np.ndarray,
    incidental: np.ndarray,
    value: np.ndarray,
    incidental_budget: float,
    *,
    by_table: bool = True,
) -> pd.DataFrame:
    """The best achievable value for every structural budget, as the budgets where it changes.

    g(u), the least structural cost of a choice worth at least u, is a non-decreasing step
    function; the frontier at budget b is the largest u with g(u) <= b. From the best choice at
    budget 0 (value v), the cheapest choice worth at least v + step (values grow in steps of
    their gcd) costs g and is worth w >= v + step; every level up to w costs the same g, so the
    next target is w + step. One exact solve per step of the frontier."""
    if by_table:
        table = _frontier_by_table(structural, incidental, value, incidental_budget)
        if table is not None:
            return table
    themes = np.array(["-"] * len(value))
    step = _value_step(value)
    start = select_optimal(structural, incidental, value, themes, Budget(0.0, incidental_budget))
    rows = [
        {
            "budget_eur": 0.0,
            "value": start.value,
            "structural_eur": start.structural_eur,
            "proposals": int(start.chosen.sum()),
        }
    ]
    reached = start.value
    while True:
        chosen = _cheapest_reaching(
            structural, incidental, value, reached + step, incidental_budget
        )
        if chosen is None:
            break
        cost, reached = float(structural[chosen].sum()), float(value[chosen].sum())
        rows.append(
            {
                "budget_eur": cost,
                "value": reached,
                "structural_eur": cost,
                "proposals": int(chosen.sum()),
            }
        )
    return pd.DataFrame(rows, columns=["budget_eur", "value", "structural_eur", "proposals"])


def frontier_value_at(frontier: pd.DataFrame, budget: float) -> float:
    """The best value at `budget` read from the frontier (the last row at or below it)."""
    at = frontier[frontier["budget_eur"] <= budget + 1e-6]
    return float(at["value"].iloc[-1]) if len(at) else 0.0


FRONTIER_MAX_CANDIDATES = 400  # one exact solve per step: beyond this, minutes; not drawn


def frontier_for(ranking: pd.DataFrame, base: Scenario, side: str = "low") -> pd.DataFrame:
    """The frontier of the base scenario's candidates and incidental envelope; empty when there
    are more than FRONTIER_MAX_CANDIDATES candidates (the documents then say it was not drawn)."""
    values = base.value_table()
    can = candidates_mask(ranking, values)
    cand = ranking[can]
    if len(cand) > FRONTIER_MAX_CANDIDATES:
        return pd.DataFrame(columns=["budget_eur", "value", "structural_eur", "proposals"])
    value = cand["appraisal"].fillna("").replace("", "none").map(values).to_numpy(float)
    return efficient_frontier(
        cand[f"structural_{side}_eur"].to_numpy(float),
        cand[f"incidental_{side}_eur"].to_numpy(float),
        value,
        base.incidental_eur,
    )
