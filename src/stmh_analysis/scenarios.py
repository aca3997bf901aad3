"""Named budget scenarios side by side, and the value of the next euro.

`data/reference/scenarios.yaml` names the scenarios (the base first); `stmh run --scenario
NAAM=EUR` adds one with another structural budget for one run. Each is solved exactly with the
same MILP as the base scenario (`portfolio.select_optimal`), on the low and the high estimates;
the summary says what each chooses, costs, is worth, leaves unspent, and which proposals enter
or leave compared with the base.

`efficient_frontier` gives the best achievable value for every structural budget from € 0 up to
a few times the largest scenario's budget, as the exact budgets where the optimum changes (a
step function): by dynamic programming over the appraisal values (small whole numbers), checked
against brute force on small sets and the MILP at sampled budgets on large ones.
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


def _in_units(amounts: np.ndarray, step: float) -> np.ndarray | None:
    """Amounts as whole multiples of `step`, or None when one is not (then no table is exact)."""
    units = np.round(amounts / step).astype(np.int64)
    return units if np.allclose(units * step, amounts) else None


def _most_proposals(structural: np.ndarray, max_budget: float) -> int:
    """The largest number of proposals any choice within `max_budget` can hold (the cheapest)."""
    return int(np.searchsorted(np.cumsum(np.sort(structural)), max_budget + 1e-6, side="right"))


def _never_needed(
    structural: np.ndarray, incidental: np.ndarray, value: np.ndarray, most: int
) -> np.ndarray:
    """Proposals no optimum needs: at least `most` others are worth as much and cost no more in
    either kind. A choice holding one lacks one of those (it has room for `most` at most), and
    the swap is no worse; ties count once, by position, so two equal proposals keep one."""
    n = len(value)
    order = np.arange(n)
    needless = np.zeros(n, dtype=bool)
    for start in range(0, n, 512):  # blocks: a 5.000 x 5.000 comparison at once is 25 MB per term
        j = slice(start, start + 512)
        at_least = (
            (value[None, :] >= value[j, None])
            & (structural[None, :] <= structural[j, None])
            & (incidental[None, :] <= incidental[j, None])
        )
        same = (
            (value[None, :] == value[j, None])
            & (structural[None, :] == structural[j, None])
            & (incidental[None, :] == incidental[j, None])
        )
        better = at_least & (~same | (order[None, :] < order[j, None]))
        needless[j] = better.sum(axis=1) >= most
    return needless


def _table_order(units: np.ndarray, inc: np.ndarray, top_v: int, width: int):
    """The proposals in the order the table takes them (without incidental cost first, then the
    least), each with how far the table reaches once it is in: (k, v, e, reach_v, reach_e)."""
    reach_v = reach_e = 0
    for k in np.lexsort((units, inc)):
        v, e = int(units[k]), int(inc[k])
        if v > top_v or e >= width:
            continue
        reach_v, reach_e = min(reach_v + v, top_v), min(reach_e + e, width - 1)
        yield int(k), v, e, reach_v, reach_e


def table_work(units: np.ndarray, inc: np.ndarray, top_v: int, width: int) -> int:
    """How many table cells `_least_structural` will update: its running time, before it runs."""
    return sum(
        (rv + 1 - v) * (re + 1 - e) for _, v, e, rv, re in _table_order(units, inc, top_v, width)
    )


def _least_structural(
    units: np.ndarray, inc_units: np.ndarray | None, structural: np.ndarray, top_v: int, top_e: int
) -> np.ndarray:
    """For every total value (in steps) up to top_v, the least structural cost of a choice worth
    exactly that with incidental cost within top_e steps (inc_units None: no envelope); inf
    where none is. A 0/1 knapsack table, one proposal at a time, in whole steps of the
    structural amounts (int32: half the memory traffic of floats, and exact). A proposal only
    reaches as far as those before it: without incidental cost first, each the least it can."""
    inc = np.zeros(len(units), np.int64) if inc_units is None else inc_units
    cents = np.round(structural * 100).astype(np.int64)
    grain = int(np.gcd.reduce(cents[cents > 0])) if (cents > 0).any() else 1
    cost_units = cents // grain
    never = np.int64(np.iinfo(np.int32).max // 2)  # stays above any sum below it plus one cost
    if cost_units.max(initial=0) >= never:
        cost_units, grain, never = cents, 1, np.int64(np.iinfo(np.int64).max // 2)
    width = 1 if inc_units is None else top_e + 1
    cost = np.full((top_v + 1, width), never, dtype=np.int32 if never < 2**31 else np.int64)
    cost[0, 0] = 0
    spare = np.empty(cost.size, cost.dtype)  # one buffer: a fresh array per proposal costs more
    for k, v, e, reach_v, reach_e in _table_order(units, inc, top_v, width):
        source = cost[: reach_v + 1 - v, : reach_e + 1 - e]
        moved = spare[: source.size].reshape(source.shape)  # a copy: each proposal once
        np.add(source, cost_units[k], out=moved)
        target = cost[v : reach_v + 1, e : reach_e + 1]
        np.minimum(target, moved, out=target)
    least = cost.min(axis=1).astype(float) * grain / 100
    least[cost.min(axis=1) >= never] = np.inf
    return least


def _frontier_rows(least: np.ndarray, step: float, max_budget: float) -> pd.DataFrame:
    """The budgets where the best value changes, from the least cost per exact value."""
    reaching = np.minimum.accumulate(least[::-1])[::-1]  # least cost for at least this value
    rows = []
    for budget in np.unique(reaching[reaching <= max_budget + 1e-6]):
        best = int(np.nonzero(reaching <= budget)[0].max())
        rows.append(
            {
                "budget_eur": float(budget),
                "value": best * step,
                "structural_eur": float(budget),
                "proposals": pd.NA,
            }
        )
    return pd.DataFrame(rows, columns=FRONTIER_COLUMNS)


FRONTIER_COLUMNS = ["budget_eur", "value", "structural_eur", "proposals"]
FRONTIER_MAX_CELLS = 6_000_000_000  # table cells updated: at most about 8 s on a 2-core laptop


def _frontier_by_table(
    structural: np.ndarray,
    incidental: np.ndarray,
    value: np.ndarray,
    envelope: float,
    max_budget: float,
    max_work: int | None = None,
) -> pd.DataFrame | None:
    """The exact frontier up to `max_budget` by dynamic programming over the values (small
    whole numbers of their gcd) and, when the envelope can bind, the incidental amounts (whole
    numbers of theirs, usually € 1.000). Three reductions keep it exact and small: no choice
    within max_budget is worth more than the table without envelope says (top_v); a proposal
    with enough others at least as good is never needed; the envelope needs a column only when
    the most incidental cost a choice can hold exceeds it. None when still too large."""
    max_work = FRONTIER_MAX_CELLS if max_work is None else max_work
    step = _value_step(value)
    units = _in_units(value, step)
    if units is None:
        return None
    within = structural <= max_budget + 1e-6
    structural, incidental, units = structural[within], incidental[within], units[within]
    top_v = int(units.sum())
    if len(units) * (top_v + 1) > max_work:
        return None
    free = _least_structural(units, None, structural, top_v, 0)
    top_v = int(np.nonzero(free <= max_budget + 1e-6)[0].max())
    most = _most_proposals(structural, max_budget)
    keep = ~_never_needed(structural, incidental, units, most)
    structural, incidental, units = structural[keep], incidental[keep], units[keep]
    most_incidental = float(np.sort(incidental)[::-1][:most].sum())
    if most_incidental <= envelope + 1e-6:  # the envelope cannot bind within max_budget
        return _frontier_rows(
            _least_structural(units, None, structural, top_v, 0), step, max_budget
        )
    cents = np.round(incidental * 100).astype(np.int64)
    grain = int(np.gcd.reduce(cents[cents > 0]))
    inc_units = cents // grain
    top_e = int(np.floor(min(envelope, most_incidental) * 100 / grain + 1e-9))
    if table_work(units, inc_units, top_v, top_e + 1) > max_work:
        return None
    least = _least_structural(units, inc_units, structural, top_v, top_e)
    return _frontier_rows(least, step, max_budget)


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


def efficient_frontier(
    structural: np.ndarray,
    incidental: np.ndarray,
    value: np.ndarray,
    incidental_budget: float,
    *,
    max_budget: float | None = None,
    by_table: bool = True,
) -> pd.DataFrame:
    """The best achievable value for every structural budget up to `max_budget` (None: the cost
    of everything), as the budgets where it changes; empty when no exact method is quick enough.

    By the table (`_frontier_by_table`) when the values are whole numbers of their gcd; else
    by one exact solve per step, for at most FRONTIER_MAX_CANDIDATES proposals: g(u), the least
    structural cost of a choice worth at least u, is a non-decreasing step function; from the
    best choice at budget 0 (value v), the cheapest choice worth at least v + step costs g and is
    worth w >= v + step; every level up to w costs the same g, so the next target is w + step."""
    worth = value > 0
    structural, incidental, value = structural[worth], incidental[worth], value[worth]
    top = float(structural.sum()) if max_budget is None else float(max_budget)
    if not len(value):
        return pd.DataFrame([{"budget_eur": 0.0, "value": 0.0, "structural_eur": 0.0,
                              "proposals": 0}], columns=FRONTIER_COLUMNS)  # fmt: skip
    if by_table:
        table = _frontier_by_table(structural, incidental, value, incidental_budget, top)
        if table is not None:
            return table
    if len(value) > FRONTIER_MAX_CANDIDATES:
        return pd.DataFrame(columns=FRONTIER_COLUMNS)
    return _frontier_by_solves(structural, incidental, value, incidental_budget, top)


def _frontier_by_solves(
    structural: np.ndarray, incidental: np.ndarray, value: np.ndarray, envelope: float, top: float
) -> pd.DataFrame:
    """The frontier up to `top` by one exact solve per step (see efficient_frontier)."""
    themes = np.array(["-"] * len(value))
    step = _value_step(value)
    start = select_optimal(structural, incidental, value, themes, Budget(0.0, envelope))
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
        chosen = _cheapest_reaching(structural, incidental, value, reached + step, envelope)
        if chosen is None or float(structural[chosen].sum()) > top + 1e-6:
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
    return pd.DataFrame(rows, columns=FRONTIER_COLUMNS)


def frontier_value_at(frontier: pd.DataFrame, budget: float) -> float:
    """The best value at `budget` read from the frontier (the last row at or below it)."""
    at = frontier[frontier["budget_eur"] <= budget + 1e-6]
    return float(at["value"].iloc[-1]) if len(at) else 0.0


FRONTIER_MAX_CANDIDATES = 400  # one exact solve per step: beyond this, minutes; not drawn


def frontier_max_budget(scenarios: list[Scenario], factor: float) -> float:
    """How far the frontier reaches: `factor` times the largest scenario's structural budget
    (settings.yaml, frontier.max_budget_factor), so the chart shows the budgets in question."""
    return factor * max(s.structural_eur for s in scenarios)


def frontier_reaches_all(ranking: pd.DataFrame, base: Scenario, max_budget: float) -> bool:
    """Whether the frontier up to `max_budget` covers buying every candidate (low estimates)."""
    cand = ranking[candidates_mask(ranking, base.value_table())]
    return float(cand["structural_low_eur"].sum()) <= max_budget + 1e-6


def frontier_for(
    ranking: pd.DataFrame, base: Scenario, max_budget: float | None = None, side: str = "low"
) -> pd.DataFrame:
    """The frontier of the base scenario's candidates and incidental envelope, up to
    `max_budget`; empty when no exact method is quick enough (the documents then say it was
    not drawn)."""
    values = base.value_table()
    can = candidates_mask(ranking, values)
    cand = ranking[can]
    value = cand["appraisal"].fillna("").replace("", "none").map(values).to_numpy(float)
    return efficient_frontier(
        cand[f"structural_{side}_eur"].to_numpy(float),
        cand[f"incidental_{side}_eur"].to_numpy(float),
        value,
        base.incidental_eur,
        max_budget=max_budget,
    )


def frontier_of_base(
    ranking: pd.DataFrame, scenarios: list[Scenario], factor: float
) -> tuple[pd.DataFrame, dict]:
    """The base scenario's frontier up to `factor` times the largest scenario budget, and for
    the rank parameters how far it reaches and whether that covers every candidate."""
    reach = frontier_max_budget(scenarios, factor)
    return frontier_for(ranking, scenarios[0], reach), {
        "frontier_max_budget_eur": reach,
        "frontier_complete": frontier_reaches_all(ranking, scenarios[0], reach),
    }
