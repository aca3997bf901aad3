"""The amount grammar of DESIGN.md, table-driven, plus properties (hypothesis)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stmh_analysis.amounts import AmountError, format_dutch_number, parse_amount

M = 1_000_000

# (text, structural low, structural high, incidental low, incidental high, first, last, status, must-have flags)
CASES = [
    # plain one-off totals (no basis: assumed, flagged)
    ("€ 250.000", 0, 0, 250_000, 250_000, None, None, "estimated", {"basis_assumed"}),
    ("250.000,-", 0, 0, 250_000, 250_000, None, None, "estimated", {"basis_assumed"}),
    ("€ 250.000,--", 0, 0, 250_000, 250_000, None, None, "estimated", set()),
    ("EUR 250000", 0, 0, 250_000, 250_000, None, None, "estimated", set()),
    ("Eur 250.000", 0, 0, 250_000, 250_000, None, None, "estimated", set()),
    ("250000 euro", 0, 0, 250_000, 250_000, None, None, "estimated", set()),
    ("250k", 0, 0, 250_000, 250_000, None, None, "estimated", set()),
    ("250 K", 0, 0, 250_000, 250_000, None, None, "estimated", set()),
    ("€250k", 0, 0, 250_000, 250_000, None, None, "estimated", set()),
    ("€ 1,5 mln", 0, 0, 1.5 * M, 1.5 * M, None, None, "estimated", set()),
    ("1,5 miljoen", 0, 0, 1.5 * M, 1.5 * M, None, None, "estimated", set()),
    ("1,5 miljoen euro", 0, 0, 1.5 * M, 1.5 * M, None, None, "estimated", set()),
    ("€ 1.5m", 0, 0, 1.5 * M, 1.5 * M, None, None, "estimated", set()),
    ("€1.5M", 0, 0, 1.5 * M, 1.5 * M, None, None, "estimated", set()),
    ("1,25 mln", 0, 0, 1.25 * M, 1.25 * M, None, None, "estimated", set()),
    ("2 mln", 0, 0, 2 * M, 2 * M, None, None, "estimated", set()),
    ("€ 2 miljoen", 0, 0, 2 * M, 2 * M, None, None, "estimated", set()),
    ("2 ton", 0, 0, 200_000, 200_000, None, None, "estimated", set()),
    ("een ton", 0, 0, 100_000, 100_000, None, None, "estimated", set()),
    ("twee ton", 0, 0, 200_000, 200_000, None, None, "estimated", set()),
    ("tweeënhalf ton", 0, 0, 250_000, 250_000, None, None, "estimated", set()),
    ("tweeenhalf ton", 0, 0, 250_000, 250_000, None, None, "estimated", set()),
    ("anderhalf miljoen", 0, 0, 1.5 * M, 1.5 * M, None, None, "estimated", set()),
    ("een half miljoen", 0, 0, 500_000, 500_000, None, None, "estimated", set()),
    ("1,5 ton", 0, 0, 150_000, 150_000, None, None, "estimated", set()),
    ("50 duizend", 0, 0, 50_000, 50_000, None, None, "estimated", set()),
    ("€ 1.250.000", 0, 0, 1_250_000, 1_250_000, None, None, "estimated", set()),
    ("€ 1.250.000,00", 0, 0, 1_250_000, 1_250_000, None, None, "estimated", set()),
    ("€ 1.250.000,50", 0, 0, 1_250_000.5, 1_250_000.5, None, None, "estimated", set()),
    ("1,250,000", 0, 0, 1_250_000, 1_250_000, None, None, "estimated", set()),
    ("1,250,000.00", 0, 0, 1_250_000, 1_250_000, None, None, "estimated", set()),
    ("250 000", 0, 0, 250_000, 250_000, None, None, "estimated", set()),
    ("1.500", 0, 0, 1_500, 1_500, None, None, "estimated", set()),
    ("1.500.000", 0, 0, 1_500_000, 1_500_000, None, None, "estimated", set()),
    ("ca. € 80.000", 0, 0, 80_000, 80_000, None, None, "estimated", set()),
    ("circa 80.000 euro", 0, 0, 80_000, 80_000, None, None, "estimated", set()),
    ("ongeveer € 80.000", 0, 0, 80_000, 80_000, None, None, "estimated", set()),
    ("maximaal € 80.000", 0, 0, 80_000, 80_000, None, None, "estimated", set()),
    ("± € 80.000", 0, 0, 80_000, 80_000, None, None, "estimated", set()),
    ("€\u00a0250.000", 0, 0, 250_000, 250_000, None, None, "estimated", set()),
    ("  € 250.000  ", 0, 0, 250_000, 250_000, None, None, "estimated", set()),
    # ranges
    ("€ 300.000 - € 500.000", 0, 0, 300_000, 500_000, None, None, "estimated", set()),
    ("€ 300.000 – € 500.000", 0, 0, 300_000, 500_000, None, None, "estimated", set()),
    ("€ 300.000 — € 500.000", 0, 0, 300_000, 500_000, None, None, "estimated", set()),
    ("€ 300.000-€ 500.000", 0, 0, 300_000, 500_000, None, None, "estimated", set()),
    ("300.000 tot 500.000", 0, 0, 300_000, 500_000, None, None, "estimated", set()),
    ("van € 300.000 tot € 500.000", 0, 0, 300_000, 500_000, None, None, "estimated", set()),
    ("tussen 3 en 5 ton", 0, 0, 300_000, 500_000, None, None, "estimated", set()),
    ("tussen € 300.000 en € 500.000", 0, 0, 300_000, 500_000, None, None, "estimated", set()),
    ("3 à 5 ton", 0, 0, 300_000, 500_000, None, None, "estimated", set()),
    ("3 a 5 ton", 0, 0, 300_000, 500_000, None, None, "estimated", set()),
    ("1 à 2 mln", 0, 0, 1 * M, 2 * M, None, None, "estimated", set()),
    ("1-2 mln", 0, 0, 1 * M, 2 * M, None, None, "estimated", set()),
    ("€ 1 - 1,5 mln", 0, 0, 1 * M, 1.5 * M, None, None, "estimated", set()),
    ("€ 60.000 - 80.000", 0, 0, 60_000, 80_000, None, None, "estimated", set()),
    ("300 - 500k", 0, 0, 300_000, 500_000, None, None, "estimated", set()),
    ("€ 500.000 - 1 mln", 0, 0, 500_000, 1 * M, None, None, "estimated", set()),
    ("€ 500.000 tot 1 miljoen", 0, 0, 500_000, 1 * M, None, None, "estimated", set()),
    ("€ 500.000 - € 300.000", 0, 0, 300_000, 500_000, None, None, "estimated", set()),
    # structural
    ("€ 200.000 per jaar", 200_000, 200_000, 0, 0, None, None, "estimated", set()),
    ("€ 200.000 p/j", 200_000, 200_000, 0, 0, None, None, "estimated", set()),
    ("€ 200.000 p.j.", 200_000, 200_000, 0, 0, None, None, "estimated", set()),
    ("€ 200.000/jaar", 200_000, 200_000, 0, 0, None, None, "estimated", set()),
    ("€ 200.000 / jr", 200_000, 200_000, 0, 0, None, None, "estimated", set()),
    ("jaarlijks € 80.000", 80_000, 80_000, 0, 0, None, None, "estimated", set()),
    ("€ 80.000 jaarlijks", 80_000, 80_000, 0, 0, None, None, "estimated", set()),
    ("jaarlijkse kosten € 80.000", 80_000, 80_000, 0, 0, None, None, "estimated", set()),
    ("€ 90.000 structureel", 90_000, 90_000, 0, 0, None, None, "estimated", set()),
    ("structureel € 90.000", 90_000, 90_000, 0, 0, None, None, "estimated", set()),
    ("Structurele kosten: € 90.000", 90_000, 90_000, 0, 0, None, None, "estimated", set()),
    ("€ 1,5 mln per jaar", 1.5 * M, 1.5 * M, 0, 0, None, None, "estimated", set()),
    ("2 ton per jaar", 200_000, 200_000, 0, 0, None, None, "estimated", set()),
    ("3 à 5 ton per jaar", 300_000, 500_000, 0, 0, None, None, "estimated", set()),
    ("€ 300.000 - € 500.000 per jaar", 300_000, 500_000, 0, 0, None, None, "estimated", set()),
    ("€ 10.000 per maand", 120_000, 120_000, 0, 0, None, None, "estimated", set()),
    (
        "€ 10.000 p/m",
        0,
        0,
        10_000,
        10_000,
        None,
        None,
        "estimated",
        set(),
    ),  # p/m not a period: one-off (flagged)
    ("€ 600.000 per year", 600_000, 600_000, 0, 0, None, None, "estimated", set()),
    ("€ 600.000 annually", 600_000, 600_000, 0, 0, None, None, "estimated", set()),
    ("vanaf 2025 € 100.000 per jaar", 100_000, 100_000, 0, 0, 2025, None, "estimated", set()),
    ("€ 100.000 per jaar vanaf 2025", 100_000, 100_000, 0, 0, 2025, None, "estimated", set()),
    # one-off / incidental
    ("eenmalig € 50.000", 0, 0, 50_000, 50_000, None, None, "estimated", set()),
    ("€ 50.000 eenmalig", 0, 0, 50_000, 50_000, None, None, "estimated", set()),
    ("€ 75.000 incidenteel", 0, 0, 75_000, 75_000, None, None, "estimated", set()),
    ("incidenteel € 75.000", 0, 0, 75_000, 75_000, None, None, "estimated", set()),
    ("€ 75.000 one-off", 0, 0, 75_000, 75_000, None, None, "estimated", set()),
    ("€ 100.000 in 2025", 0, 0, 100_000, 100_000, 2025, 2025, "estimated", {"basis_assumed"}),
    ("eenmalig € 100.000 in 2025", 0, 0, 100_000, 100_000, 2025, 2025, "estimated", set()),
    ("€ 750.000 incidenteel 2024-2026", 0, 0, 750_000, 750_000, 2024, 2026, "estimated", set()),
    ("in totaal € 750.000", 0, 0, 750_000, 750_000, None, None, "estimated", set()),
    # time-limited per year: counted in the incidental total
    ("€ 200.000 per jaar (2024-2026)", 0, 0, 600_000, 600_000, 2024, 2026, "estimated", set()),
    ("€ 200.000 per jaar (2024–2026)", 0, 0, 600_000, 600_000, 2024, 2026, "estimated", set()),
    ("€ 200.000 per jaar 2024 t/m 2026", 0, 0, 600_000, 600_000, 2024, 2026, "estimated", set()),
    (
        "€ 200.000 per jaar 2024 tot en met 2026",
        0,
        0,
        600_000,
        600_000,
        2024,
        2026,
        "estimated",
        set(),
    ),
    ("jaarlijks € 200.000 in 2024-2025", 0, 0, 400_000, 400_000, 2024, 2025, "estimated", set()),
    ("€ 60.000 per jaar gedurende 3 jaar", 0, 0, 180_000, 180_000, None, None, "estimated", set()),
    ("€ 60.000 per jaar voor drie jaar", 0, 0, 180_000, 180_000, None, None, "estimated", set()),
    ("€ 60.000 per jaar, 2 jaar", 0, 0, 120_000, 120_000, None, None, "estimated", set()),
    ("3 à 5 ton per jaar (2025-2026)", 0, 0, 600_000, 1 * M, 2025, 2026, "estimated", set()),
    (
        "€ 100.000 structureel (2024-2025)",
        0,
        0,
        200_000,
        200_000,
        2024,
        2025,
        "estimated",
        {"amount_ambiguous"},
    ),
    # combinations
    (
        "€ 150.000 eenmalig + € 50.000 structureel",
        50_000,
        50_000,
        150_000,
        150_000,
        None,
        None,
        "estimated",
        set(),
    ),
    (
        "eenmalig € 150.000 en structureel € 50.000",
        50_000,
        50_000,
        150_000,
        150_000,
        None,
        None,
        "estimated",
        set(),
    ),
    (
        "€ 150.000 eenmalig; € 50.000 per jaar",
        50_000,
        50_000,
        150_000,
        150_000,
        None,
        None,
        "estimated",
        set(),
    ),
    (
        "€ 150.000 eenmalig plus € 50.000 per jaar",
        50_000,
        50_000,
        150_000,
        150_000,
        None,
        None,
        "estimated",
        set(),
    ),
    (
        "1 ton eenmalig en 2 ton per jaar",
        200_000,
        200_000,
        100_000,
        100_000,
        None,
        None,
        "estimated",
        set(),
    ),
    (
        "€ 100.000 in 2024 en € 150.000 in 2025",
        0,
        0,
        250_000,
        250_000,
        2024,
        2025,
        "estimated",
        set(),
    ),
    (
        "2 fte + € 50.000 structureel",
        250_000,
        250_000,
        0,
        0,
        None,
        None,
        "estimated",
        {"fte_converted"},
    ),
    # capacity
    ("2 fte", 200_000, 200_000, 0, 0, None, None, "estimated", {"fte_converted"}),
    ("2 FTE", 200_000, 200_000, 0, 0, None, None, "estimated", {"fte_converted"}),
    ("1,5 fte", 150_000, 150_000, 0, 0, None, None, "estimated", {"fte_converted"}),
    ("0,5 fte structureel", 50_000, 50_000, 0, 0, None, None, "estimated", {"fte_converted"}),
    ("2 fte eenmalig", 0, 0, 200_000, 200_000, None, None, "estimated", {"fte_converted"}),
    (
        "2 fte per jaar (2024-2025)",
        0,
        0,
        400_000,
        400_000,
        2024,
        2025,
        "estimated",
        {"fte_converted"},
    ),
    ("3 vte", 300_000, 300_000, 0, 0, None, None, "estimated", {"fte_converted"}),
    # computed
    (
        "€ 40.000 per regio, 10 regio's",
        0,
        0,
        400_000,
        400_000,
        None,
        None,
        "estimated",
        {"amount_computed"},
    ),
    ("20 plekken à € 75.000", 0, 0, 1.5 * M, 1.5 * M, None, None, "estimated", {"amount_computed"}),
    ("10 x € 5.000", 0, 0, 50_000, 50_000, None, None, "estimated", set()),
    # unknowns
    ("p.m.", 0, 0, 0, 0, None, None, "pm", set()),
    ("P.M.", 0, 0, 0, 0, None, None, "pm", set()),
    ("PM", 0, 0, 0, 0, None, None, "pm", set()),
    ("pm", 0, 0, 0, 0, None, None, "pm", set()),
    ("p.m", 0, 0, 0, 0, None, None, "pm", set()),
    ("n.t.b.", 0, 0, 0, 0, None, None, "pm", set()),
    ("ntb", 0, 0, 0, 0, None, None, "pm", set()),
    ("N.T.B.", 0, 0, 0, 0, None, None, "pm", set()),
    ("nog onbekend", 0, 0, 0, 0, None, None, "pm", set()),
    ("Nog onbekend", 0, 0, 0, 0, None, None, "pm", set()),
    ("onbekend", 0, 0, 0, 0, None, None, "pm", set()),
    ("nader te bepalen", 0, 0, 0, 0, None, None, "pm", set()),
    ("nog niet bekend", 0, 0, 0, 0, None, None, "pm", set()),
    ("TBD", 0, 0, 0, 0, None, None, "pm", set()),
    ("", 0, 0, 0, 0, None, None, "pm", {"amount_missing"}),
    ("   ", 0, 0, 0, 0, None, None, "pm", {"amount_missing"}),
    ("-", 0, 0, 0, 0, None, None, "pm", {"amount_missing"}),
    ("€ 100.000 + p.m.", 0, 0, 100_000, 100_000, None, None, "estimated", {"amount_partly_pm"}),
    # ambiguity is flagged, not guessed silently
    ("1,500", 0, 0, 1_500, 1_500, None, None, "estimated", {"amount_ambiguous"}),
    ("1,500 mln", 0, 0, 1.5 * M, 1.5 * M, None, None, "estimated", {"amount_ambiguous"}),
    ("€ 250", 0, 0, 250, 250, None, None, "estimated", {"amount_ambiguous"}),
    ("€ 40.000 per regio", 0, 0, 40_000, 40_000, None, None, "estimated", {"amount_ambiguous"}),
    (
        "€ 100.000 (€ 50.000 personeel € 50.000 materieel)",
        0,
        0,
        200_000,
        200_000,
        None,
        None,
        "estimated",
        {"amount_ambiguous"},
    ),
]


@pytest.mark.parametrize(
    ("text", "s_lo", "s_hi", "i_lo", "i_hi", "first", "last", "status", "flags"),
    [pytest.param(*case, id=case[0] or "empty") for case in CASES],
)
def test_reads_like_a_person(text, s_lo, s_hi, i_lo, i_hi, first, last, status, flags):
    a = parse_amount(text)
    assert (a.structural_low_eur, a.structural_high_eur) == pytest.approx((s_lo, s_hi))
    assert (a.incidental_low_eur, a.incidental_high_eur) == pytest.approx((i_lo, i_hi))
    assert (a.first_year, a.last_year) == (first, last)
    assert a.cost_status == status
    assert flags <= set(a.flags)


def test_enough_table_cases():
    assert len(CASES) > 100


BASIS_CASES = [
    # (text, basis column, looptijd column, scale, expected structural low, incidental low, first, last)
    ("€ 100.000", "structureel", "", 1, 100_000, 0, None, None),
    ("€ 100.000", "per jaar", "", 1, 100_000, 0, None, None),
    ("€ 100.000", "jaarlijks", "", 1, 100_000, 0, None, None),
    ("€ 100.000", "eenmalig", "", 1, 0, 100_000, None, None),
    ("€ 100.000", "incidenteel", "2024-2026", 1, 0, 100_000, 2024, 2026),
    ("€ 100.000 per jaar", "", "2024-2027", 1, 0, 400_000, 2024, 2027),
    ("€ 100.000", "per jaar", "2024-2027", 1, 0, 400_000, 2024, 2027),
    ("€ 100.000", "per jaar", "3 jaar", 1, 0, 300_000, None, None),
    ("120", "incidenteel", "2024", 1000, 0, 120_000, 2024, 2024),
    ("450", "structureel", "", 1000, 450_000, 0, None, None),
    ("1,5", "structureel", "", 1_000_000, 1_500_000, 0, None, None),
    (
        "1,5 mln",
        "structureel",
        "",
        1000,
        1_500_000,
        0,
        None,
        None,
    ),  # own magnitude wins over the column
    (
        "€ 200.000 eenmalig",
        "structureel",
        "",
        1,
        0,
        200_000,
        None,
        None,
    ),  # text wins (and is flagged)
]


@pytest.mark.parametrize(
    ("text", "basis", "duration", "scale", "s_lo", "i_lo", "first", "last"),
    [pytest.param(*c, id=f"{c[0]}|{c[1]}|{c[2]}|x{c[3]}") for c in BASIS_CASES],
)
def test_basis_and_period_from_own_columns(text, basis, duration, scale, s_lo, i_lo, first, last):
    a = parse_amount(text, basis=basis, duration=duration, scale=scale)
    assert a.structural_low_eur == pytest.approx(s_lo)
    assert a.incidental_low_eur == pytest.approx(i_lo)
    assert (a.first_year, a.last_year) == (first, last)
    assert "basis_assumed" not in a.flags


def test_text_and_column_disagreeing_is_flagged():
    assert "amount_ambiguous" in parse_amount("€ 200.000 eenmalig", basis="structureel").flags


def test_fte_rate_comes_from_the_caller():
    assert parse_amount("2 fte", fte_rate_eur=90_000).structural_low_eur == 180_000


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        pytest.param("€ 5 mld", "amount_implausible", id="absurd"),
        pytest.param("5 miljard", "amount_implausible", id="absurd-words"),
        pytest.param("-50.000", "negative_amount", id="negative"),
        pytest.param("€ -50.000", "negative_amount", id="negative-after-sign"),
        pytest.param("-€ 50.000", "negative_amount", id="negative-before-sign"),
        pytest.param("12-03-2024", "date_not_amount", id="date"),
        pytest.param("2024-03-12", "date_not_amount", id="iso-date"),
        pytest.param("1/1/2025", "date_not_amount", id="slash-date"),
        pytest.param("#REF!", "error_value", id="ref-error"),
        pytest.param("#N/A", "error_value", id="na-error"),
        pytest.param("#VALUE!", "error_value", id="value-error"),
        pytest.param("=SUM(E5:E9)", "formula", id="formula"),
        pytest.param("zie toelichting", "amount_unreadable", id="words-only"),
        pytest.param("veel geld", "amount_unreadable", id="no-number"),
    ],
)
def test_what_cannot_be_a_cost_is_an_error_with_reason(text, reason):
    with pytest.raises(AmountError) as info:
        parse_amount(text)
    assert info.value.reason == reason
    assert text[:10].strip() in str(info.value) or reason == "amount_implausible"


def test_plausibility_limit_can_be_lifted():
    assert parse_amount("€ 5 mld", max_amount_eur=None).incidental_low_eur == 5e9


def test_json_has_the_output_fields():
    import json

    data = json.loads(parse_amount("€ 200.000 per jaar (2024-2026)").to_json())
    assert data["incidental_low_eur"] == 600_000
    assert data["first_year"] == 2024 and data["last_year"] == 2026
    assert data["cost_status"] == "estimated"
    assert "data_issues" in data


# --- properties ----------------------------------------------------------------------------------

euros = st.integers(min_value=1_000, max_value=99_000_000)


@given(euros)
def test_dutch_thousands_parse_back(value):
    a = parse_amount(f"€ {format_dutch_number(value)}")
    assert a.incidental_low_eur == value == a.incidental_high_eur


@given(euros)
def test_dutch_with_closing_dash_parses_back(value):
    assert parse_amount(f"{format_dutch_number(value)},-").incidental_low_eur == value


@given(euros)
def test_eur_without_separators_parses_back(value):
    assert parse_amount(f"EUR {value}").incidental_low_eur == value


@given(st.integers(min_value=1, max_value=99), st.integers(min_value=0, max_value=9))
def test_millions_with_decimal_comma_parse_back(whole, tenth):
    a = parse_amount(f"€ {whole},{tenth} mln per jaar")
    assert a.structural_low_eur == pytest.approx((whole + tenth / 10) * 1_000_000)


@given(euros, euros)
def test_ranges_parse_back_in_order(a, b):
    result = parse_amount(f"€ {format_dutch_number(a)} - € {format_dutch_number(b)} per jaar")
    assert (result.structural_low_eur, result.structural_high_eur) == (min(a, b), max(a, b))


@given(
    st.integers(min_value=1_000, max_value=9_000_000),
    st.integers(min_value=2024, max_value=2030),
    st.integers(min_value=0, max_value=5),
)
def test_per_year_with_period_is_the_total(value, first, extra):
    last = first + extra
    a = parse_amount(f"€ {format_dutch_number(value)} per jaar ({first}-{last})")
    assert a.incidental_low_eur == value * (extra + 1)
    assert (a.first_year, a.last_year) == (first, last)


@settings(max_examples=300)
@given(st.text(max_size=80))
def test_any_text_gives_a_cost_or_the_documented_error(text):
    try:
        a = parse_amount(text)
    except AmountError as exc:
        assert exc.reason
        return
    for v in (
        a.structural_low_eur,
        a.structural_high_eur,
        a.incidental_low_eur,
        a.incidental_high_eur,
    ):
        assert v >= 0 and not math.isnan(v)
    assert a.structural_low_eur <= a.structural_high_eur
    assert a.incidental_low_eur <= a.incidental_high_eur


@settings(max_examples=300)
@given(
    st.lists(
        st.sampled_from(
            [
                "€",
                "1",
                "2.500",
                "mln",
                "ton",
                "-",
                "à",
                "per jaar",
                "eenmalig",
                "2024-2026",
                "fte",
                "p.m.",
                "+",
                " en ",
                "k",
                ",",
                "tussen",
                "x",
                "3 jaar",
                "vanaf 2025",
            ]
        ),
        max_size=8,
    )
)
def test_grammar_soup_never_crashes(parts):
    text = " ".join(parts)
    try:
        a = parse_amount(text)
    except AmountError:
        return
    assert a.structural_low_eur >= 0 and a.incidental_low_eur >= 0
