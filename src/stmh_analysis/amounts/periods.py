"""One mention read on its own: its euros, its years and its basis (structural or one-off).

`_read_mention` is three named steps: `_euros` (fte, the column's unit, the warnings about the
figure itself), `_years` (the span, first and last year from the text or the column) and
`_part` (which basis the words give, and what that makes of the euros and years).
"""

from __future__ import annotations

from dataclasses import dataclass

from stmh_analysis.amounts.figures import format_dutch_number
from stmh_analysis.amounts.mentions import _Money
from stmh_analysis.amounts.model import _kind, _Part, _Reader
from stmh_analysis.amounts.tokens import _PER_YEAR_FACTOR

# what the column next to the text says: (period words, span, duration in years)
_Column = tuple[set[str], tuple[int, int] | None, float | None]


@dataclass
class _Years:
    """The years of one mention: a span, a number of years, a first year."""

    span: tuple[int, int] | None
    n_years: float | None
    from_year: int | None


def _read_mention(m: _Money, r: _Reader, col: _Column, scale: float, fte_rate_eur: float) -> _Part:
    """One mention -> one part (structural per year, or incidental over its period)."""
    low, high = _euros(m, r, scale, fte_rate_eur)
    _figure_warnings(m, r)
    keywords = _period_words(m, r, col[0])
    years = _years(m, r, col, keywords)
    for word, factor in _PER_YEAR_FACTOR.items():
        if word in keywords:
            low, high = low * factor, high * factor
            keywords.add("PERYEAR")
    if years.span is not None and years.n_years is None:
        years.n_years = years.span[1] - years.span[0] + 1
    if "_each" in keywords and years.n_years and years.n_years > 1 and _kind(keywords) == "none":
        keywords.add("PERYEAR")  # 'in 2025 en 2026 elk € 400.000'
        r.used.add("EACH")
    return _part(m, r, keywords, years, low, high)


def _euros(m: _Money, r: _Reader, scale: float, fte_rate_eur: float) -> tuple[float, float]:
    """The figure in euros: fte at the rate, a column unit applied, a very low figure flagged."""
    low, high = m.low, m.high
    if m.is_fte:
        r.flag(
            "fte_converted",
            f"capaciteit in fte omgerekend met het referentietarief van € {format_dutch_number(fte_rate_eur)} per fte per jaar",
        )
        return low * fte_rate_eur, high * fte_rate_eur
    if not m.has_magnitude and scale != 1.0:
        if m.explicit_unit and low >= 1000 and low * scale >= 10_000_000:
            r.flag(
                "amount_ambiguous",
                f"€ {format_dutch_number(low)} staat voluit onder een kolom in eenheden van € {format_dutch_number(scale)}: als volledig bedrag gelezen",
            )
            return low, high
        return low * scale, high * scale
    if not m.has_magnitude and 0 < high < 1000 and not m.computed:
        r.flag(
            "amount_ambiguous",
            f"€ {format_dutch_number(high)} is erg laag: misschien in duizenden bedoeld",
        )
    return low, high


def _figure_warnings(m: _Money, r: _Reader) -> None:
    """What the tokeniser found doubtful about the figure itself."""
    if m.ambiguous and "PERUNIT" in m.keywords:
        r.flag(
            "amount_ambiguous",
            "een bedrag per eenheid zonder aantal: het bedrag is één keer geteld",
        )
    elif m.ambiguous:
        r.flag(
            "amount_ambiguous",
            "het scheidingsteken laat twee lezingen toe (duizendtal of decimaal)",
        )
    if m.computed:
        r.flag("amount_computed", "aantal maal prijs per stuk uitgerekend")
    if "_at_least" in m.keywords:
        r.flag(
            "amount_ambiguous",
            f"{m.euros()} is een ondergrens ('minimaal', 'meer dan'): dat bedrag is geteld, "
            "de kosten kunnen hoger uitvallen",
        )
    if "_slash_pm" in m.keywords:
        r.flag(
            "amount_ambiguous",
            "'p/m' is als 'per maand' gelezen; het kan ook 'p.m.' (pro memorie) zijn",
        )


def _period_words(m: _Money, r: _Reader, col_keywords: set[str]) -> set[str]:
    """The mention's period words; the column's when the text has none (a conflict is flagged)."""
    keywords = set(m.keywords)
    if _kind(keywords) == "none" and col_keywords:
        return keywords | col_keywords
    if col_keywords and _kind(col_keywords) != "none" and _kind(keywords) != _kind(col_keywords):
        r.flag(
            "amount_ambiguous",
            "de tekst en de kolom structureel/incidenteel zeggen iets anders; de tekst is gevolgd",
        )
    return keywords


def _years(m: _Money, r: _Reader, col: _Column, keywords: set[str]) -> _Years:
    """The span, number of years and first year, from the text, else from the column."""
    col_keywords, col_span, col_duration = col
    span, n_years = m.span, m.duration
    from_year = m.from_year or _column_year(col_keywords, "_from:")
    if span and m.single_year and not n_years:
        if "STRUCTURAL" in keywords:
            span, from_year = None, span[0]  # 'structureel in 2027': from 2027 on
        elif keywords & {"PERYEAR", *_PER_YEAR_FACTOR}:
            r.flag(
                "amount_ambiguous",
                f"'per jaar' bij één jaar ({span[0]}): als bedrag voor alleen {span[0]} gelezen; "
                f"is het 'vanaf {span[0]}' bedoeld, dan is het structureel",
            )
    until_year = m.until_year or _column_year(col_keywords, "_until:")
    if from_year and until_year and span is None:
        span = (from_year, until_year)
    elif until_year and span is None and not from_year and not m.duration:
        r.flag(
            "amount_ambiguous",
            f"een eindjaar ({until_year}) zonder beginjaar: als doorlopend bedrag gelezen",
        )
    if span is None and n_years is None:
        span, n_years = col_span, col_duration
    return _Years(span, n_years, from_year)


def _basis(m: _Money, r: _Reader, keywords: set[str], years: _Years) -> str:
    """structural or oneoff: what the words say, else what the figure's context implies."""
    kind = _kind(keywords)
    if kind == "none" and m.is_fte:
        return "structural"  # capacity is asked per year
    if kind == "none" and m.from_year and not years.span and not years.n_years:
        return "structural"  # 'vanaf 2025 € 70.000', 'per 1 januari 2026': every year from then on
    if kind == "none" and m.period_total and years.span:
        return "oneoff"  # 'voor de periode 2024-2027': the total for the period
    if kind == "none":
        if years.n_years and years.n_years > 1:
            r.flag(
                "amount_ambiguous",
                "een bedrag met een looptijd maar zonder 'per jaar' of 'totaal': als totaal voor de hele periode gelezen",
            )
        r.flag(
            "basis_assumed",
            "geen 'per jaar', 'structureel' of 'eenmalig' genoemd: als eenmalig totaal gelezen",
        )
        return "oneoff"
    return kind


def _part(
    m: _Money, r: _Reader, keywords: set[str], years: _Years, low: float, high: float
) -> _Part:
    """The euros on their basis: a yearly amount with a period becomes its period's total."""
    kind = _basis(m, r, keywords, years)
    span, n_years, from_year = years.span, years.n_years, years.from_year
    if kind == "structural" and n_years is not None:
        if "STRUCTURAL" in keywords and not keywords & {"PERYEAR"}:
            r.flag(
                "amount_ambiguous",
                "'structureel' met een einddatum: als bedrag per jaar voor die jaren gelezen",
            )
        start = span[0] if span else from_year
        end = (
            span[1]
            if span
            else (start + int(n_years) - 1 if start and n_years == int(n_years) else None)
        )
        return _Part("incidental", low * n_years, high * n_years, start, end)
    if kind == "structural":
        return _Part("structural", low, high, from_year)
    return _Part(
        "incidental",
        low,
        high,
        span[0] if span else from_year,
        span[1] if span else None,
        "TOTAL" in keywords,
    )


def _column_year(keywords: set[str], prefix: str) -> int | None:
    """'vanaf 2026' or 't/m 2028' in a Looptijd, Startjaar or Eindjaar column: that year."""
    return next((int(k[len(prefix) :]) for k in keywords if k.startswith(prefix)), None)
