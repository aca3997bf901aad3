"""Charts for the briefings (matplotlib, Dutch labels, euro axes), returned as inline SVG.

SVG keeps text sharp in the PDF and needs no file beside the HTML: the page stays self-contained.
Text is drawn as paths, so no font is loaded by the viewer.
"""

from __future__ import annotations

import functools
import io
import re
from collections.abc import Callable

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from stmh_analysis.report.format import euro_short, number
from stmh_analysis.report.html import Html, esc

# Applied inside each chart function only (rc_context): importing this module changes no global
# matplotlib setting, and figures are made without pyplot, so no backend is chosen either.
STYLE = {
    "svg.fonttype": "none",
    "svg.hashsalt": "stmh",  # stable ids: the same data gives the same SVG bytes
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def _styled(make: Callable[..., Html]) -> Callable[..., Html]:
    @functools.wraps(make)
    def wrapper(*args, **kwargs) -> Html:
        with matplotlib.rc_context(STYLE):
            return make(*args, **kwargs)

    return wrapper


LOW = "#3b6e8f"
HIGH = "#6b93b0"  # 3.3:1 against white (WCAG 1.4.11 asks 3:1 for chart marks)
BUDGET = "#b2182b"
_EURO_AXIS = FuncFormatter(lambda v, _pos: euro_short(v).replace("€ ", "€\u00a0"))


def _svg(fig: Figure, alt: str, name: str, desc: str = "") -> Html:
    """The chart as inline SVG with its text alternative: `alt` as the SVG's <title> (what a
    tagged PDF takes as the figure's /Alt, and the figure caption), `desc` (the values in words)
    as its <desc>; every id prefixed with `name`, so charts on one page never share an id."""
    buf = io.StringIO()
    fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    svg = buf.getvalue()
    svg = svg[svg.find("<svg") :]  # drop the XML prolog and doctype: inline SVG in HTML
    svg = _ID.sub(lambda m: f"{m.group(1)}{name}-{m.group(2)}", svg)
    start = svg.find(">", svg.find("<svg")) + 1
    text = f"<title>{esc(alt)}</title>" + (f"<desc>{esc(desc)}</desc>" if desc else "")
    svg = svg[:start] + text + svg[start:]
    svg = svg.replace("<svg ", f'<svg role="img" aria-label="{esc(alt)}" ', 1)
    return Html(f'<figure class="chart">{svg}<figcaption>{esc(alt)}</figcaption></figure>')


# ids and the references to them in matplotlib's SVG: id="x", href="#x", url(#x)
_ID = re.compile(r'(id="|href="#|url\(#)([^")]+)')


@_styled
def cost_per_theme(
    gap: pd.DataFrame, budget_structural_eur: float, budget_incidental_eur: float
) -> Html:
    """Per theme the low estimate as a bar and the range up to the high estimate, against the budget."""
    themes = gap[gap["theme"] != "totaal"].iloc[::-1]
    fig = Figure(figsize=(7.0, 2.9))
    axes = fig.subplots(1, 2, sharey=True)
    y = np.arange(len(themes))
    for ax, kind, budget, title in (
        (axes[0], "structural", budget_structural_eur, "Structureel (per jaar)"),
        (axes[1], "incidental", budget_incidental_eur, "Incidenteel (totaal)"),
    ):
        low = themes[f"{kind}_low_eur"].to_numpy()
        high = themes[f"{kind}_high_eur"].to_numpy()
        ax.barh(y, low, color=LOW, label="lage raming")
        ax.barh(y, high - low, left=low, color=HIGH, label="tot hoge raming")
        ax.axvline(budget, color=BUDGET, linewidth=1.5, linestyle="--", label="budget programma")
        ax.set_title(title, fontsize=9, loc="left")
        ax.xaxis.set_major_formatter(_EURO_AXIS)
        ax.tick_params(axis="x", labelrotation=30)
    axes[0].set_yticks(y, themes["label"].tolist())
    handles, labels = axes[1].get_legend_handles_labels()
    fig.tight_layout(rect=(0, 0.1, 1, 1))
    fig.legend(
        handles, labels, loc="lower center", ncol=3, fontsize=7, frameon=False
    )  # below, not over the bars
    desc = "; ".join(
        f"{r['label']}: structureel {euro_short(r['structural_low_eur'])} tot "
        f"{euro_short(r['structural_high_eur'])} per jaar, incidenteel "
        f"{euro_short(r['incidental_low_eur'])} tot {euro_short(r['incidental_high_eur'])}"
        for r in themes.iloc[::-1].to_dict("records")
    ) + (f". Budget: structureel {euro_short(budget_structural_eur)} per jaar, incidenteel "
         f"{euro_short(budget_incidental_eur)}.")  # fmt: skip
    return _svg(
        fig,
        "Indicatieve kosten per thema (lage en hoge raming) tegenover het budget",
        "kosten",
        desc,
    )


@_styled
def cumulative_cost(
    ranking: pd.DataFrame, budget_structural_eur: float, horizon_years: int
) -> Html:
    """Cumulative cost per year of the ranked costed proposals (structural plus incidental spread
    over the horizon), low and high, against the structural budget."""
    costed = ranking[ranking["cost_status"] != "pm"].sort_values("rank_overall")
    per_year_low = costed["structural_low_eur"] + costed["incidental_low_eur"] / horizon_years
    per_year_high = costed["structural_high_eur"] + costed["incidental_high_eur"] / horizon_years
    x = np.arange(1, len(costed) + 1)
    fig = Figure(figsize=(7.0, 2.8))
    ax = fig.subplots()
    ax.step(x, per_year_low.cumsum(), where="post", color=LOW, label="lage raming")
    ax.step(x, per_year_high.cumsum(), where="post", color=HIGH, linewidth=2, label="hoge raming")
    ax.axhline(
        budget_structural_eur,
        color=BUDGET,
        linestyle="--",
        linewidth=1.5,
        label="structureel budget per jaar",
    )
    ax.set_xlabel("voorstellen in volgorde van rangschikking (aantal)")
    ax.set_ylabel("cumulatieve kosten per jaar")
    ax.yaxis.set_major_formatter(_EURO_AXIS)
    ax.legend(loc="upper left", fontsize=7, frameon=False)
    fig.tight_layout()
    total_low = float(per_year_low.sum()) if len(costed) else 0.0
    total_high = float(per_year_high.sum()) if len(costed) else 0.0
    desc = (
        f"{len(costed)} voorstellen met een raming; samen {euro_short(total_low)} tot "
        f"{euro_short(total_high)} per jaar, tegenover een structureel budget van "
        f"{euro_short(budget_structural_eur)} per jaar."
    )
    return _svg(
        fig,
        f"Cumulatieve kosten per jaar van de gerangschikte voorstellen (incidenteel verdeeld over {horizon_years} jaar)",
        "cumulatief",
        desc,
    )


@_styled
def frontier(frontier: pd.DataFrame, marks: list[tuple[str, float]]) -> Html:
    """The best achievable value for every structural budget (a step chart), with each scenario's
    budget marked: where an extra € 0,5 mln buys a lot, and where it buys nothing."""
    fig = Figure(figsize=(7.0, 2.8))
    ax = fig.subplots()
    x = list(frontier["budget_eur"]) + [float(frontier["budget_eur"].max()) * 1.05 + 1]
    y = list(frontier["value"]) + [float(frontier["value"].iloc[-1])]
    ax.step(x, y, where="post", color=LOW, linewidth=2, label="beste waarde (lage raming)")
    seen: set[float] = set()
    for label, budget in marks:
        if budget in seen:
            continue
        seen.add(budget)
        ax.axvline(budget, color=BUDGET, linestyle="--", linewidth=1)
        ax.annotate(label, (budget, 0), xytext=(3, 3), textcoords="offset points", rotation=90,
                    fontsize=7, color=BUDGET, va="bottom")  # fmt: skip
    ax.set_xlabel("structureel budget per jaar")
    ax.set_ylabel("waarde (naar appreciatie)")
    ax.xaxis.set_major_formatter(_EURO_AXIS)
    ax.set_ylim(bottom=0)
    fig.tight_layout()
    steps = frontier.iloc[
        np.unique(np.linspace(0, len(frontier) - 1, min(len(frontier), 30)).round().astype(int))
    ]
    desc = "; ".join(
        f"vanaf {euro_short(b)} per jaar: waarde {number(v, 0 if float(v).is_integer() else 1)}"
        for b, v in zip(steps["budget_eur"], steps["value"], strict=True)
    ) + ("" if len(steps) == len(frontier) else f" ({len(frontier)} stappen in totaal)")
    return _svg(
        fig,
        "Beste haalbare waarde per structureel budget, met de budgetten van de scenario's",
        "grens",
        desc,
    )
