"""One mention read on its own: its basis (structural or one-off), its years and its euros."""

from __future__ import annotations

from stmh_analysis.amounts.figures import format_dutch_number
from stmh_analysis.amounts.mentions import _Money
from stmh_analysis.amounts.model import _kind, _Part, _Reader
from stmh_analysis.amounts.tokens import _PER_YEAR_FACTOR


def _read_mention(
    m: _Money, r: _Reader, col: tuple[set[str], tuple[int, int] | None, float | None],
    scale: float, fte_rate_eur: float,
) -> _Part:  # fmt: skip
    low, high = m.low, m.high
    if m.is_fte:
        low, high = low * fte_rate_eur, high * fte_rate_eur
        r.flag(
            "fte_converted",
            f"capaciteit in fte omgerekend met het referentietarief van € {format_dutch_number(fte_rate_eur)} per fte per jaar",
        )
    elif not m.has_magnitude and scale != 1.0:
        if m.explicit_unit and low >= 1000 and low * scale >= 10_000_000:
            r.flag(
                "amount_ambiguous",
                f"€ {format_dutch_number(low)} staat voluit onder een kolom in eenheden van € {format_dutch_number(scale)}: als volledig bedrag gelezen",
            )
        else:
            low, high = low * scale, high * scale
    elif not m.has_magnitude and 0 < high < 1000 and not m.computed:
        r.flag(
            "amount_ambiguous",
            f"€ {format_dutch_number(high)} is erg laag: misschien in duizenden bedoeld",
        )
    if m.ambiguous:
        if "PERUNIT" in m.keywords:
            r.flag(
                "amount_ambiguous",
                "een bedrag per eenheid zonder aantal: het bedrag is één keer geteld",
            )
        else:
            r.flag(
                "amount_ambiguous",
                "het scheidingsteken laat twee lezingen toe (duizendtal of decimaal)",
            )
    if m.computed:
        r.flag("amount_computed", "aantal maal prijs per stuk uitgerekend")
    if "_slash_pm" in m.keywords:
        r.flag(
            "amount_ambiguous",
            "'p/m' is als 'per maand' gelezen; het kan ook 'p.m.' (pro memorie) zijn",
        )
    keywords = set(m.keywords)
    col_keywords, col_span, col_duration = col
    if _kind(keywords) == "none" and col_keywords:
        keywords |= col_keywords
    elif col_keywords and _kind(col_keywords) != "none" and _kind(keywords) != _kind(col_keywords):
        r.flag(
            "amount_ambiguous",
            "de tekst en de kolom structureel/incidenteel zeggen iets anders; de tekst is gevolgd",
        )
    span, n_years = m.span, m.duration
    from_year = m.from_year or _column_year(col_keywords, "_from:")
    if span and m.single_year and "STRUCTURAL" in keywords and not n_years:
        span, from_year = None, span[0]  # 'structureel in 2027': from 2027 on
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
    for word, factor in _PER_YEAR_FACTOR.items():
        if word in keywords:
            low, high = low * factor, high * factor
            keywords.add("PERYEAR")
    if span is not None and n_years is None:
        n_years = span[1] - span[0] + 1
    if "_each" in keywords and n_years and n_years > 1 and _kind(keywords) == "none":
        keywords.add("PERYEAR")  # 'in 2025 en 2026 elk € 400.000'
        r.used.add("EACH")
    kind = _kind(keywords)
    if kind == "none" and m.is_fte:
        kind = "structural"  # capacity is asked per year
    if kind == "none" and m.from_year and not span and not n_years:
        kind = "structural"  # 'vanaf 2025 € 70.000', 'per 1 januari 2026': every year from then on
    if kind == "none" and m.period_total and span:
        kind = "oneoff"  # 'voor de periode 2024-2027': the total for the period
    if kind == "none":
        if n_years and n_years > 1:
            r.flag(
                "amount_ambiguous",
                "een bedrag met een looptijd maar zonder 'per jaar' of 'totaal': als totaal voor de hele periode gelezen",
            )
        r.flag(
            "basis_assumed",
            "geen 'per jaar', 'structureel' of 'eenmalig' genoemd: als eenmalig totaal gelezen",
        )
        kind = "oneoff"
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
