"""How Dutch amounts read (docs/contract.md): the case table in tests/data, plus properties (hypothesis)."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stmh_analysis.amounts import AmountError, format_dutch_number, parse_amount

CASE_FILE = Path(__file__).parent / "data" / "amount_cases.csv"


def _load_cases() -> list[dict[str, str]]:
    with CASE_FILE.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _num(text: str) -> float | None:
    return float(text) if text else None


CASES = _load_cases()


@pytest.mark.parametrize(
    "case", [pytest.param(c, id=f"{c['group']}: {c['text'] or 'empty'}") for c in CASES]
)
def test_reads_like_a_careful_analyst(case):
    """Each row of tests/data/amount_cases.csv: every cost field and exactly the flags expected."""
    a = parse_amount(
        case["text"],
        basis=case["basis"] or None,
        duration=case["duration"] or None,
        scale=float(case["scale"] or 1),
    )
    got = (a.structural_low_eur, a.structural_high_eur, a.incidental_low_eur, a.incidental_high_eur)
    expected = tuple(
        float(case[k])
        for k in (
            "structural_low_eur",
            "structural_high_eur",
            "incidental_low_eur",
            "incidental_high_eur",
        )
    )
    assert got == pytest.approx(expected)
    assert (a.first_year, a.last_year) == (
        int(case["first_year"]) if case["first_year"] else None,
        int(case["last_year"]) if case["last_year"] else None,
    )
    if case["fte"]:
        assert a.fte == pytest.approx(float(case["fte"]))
    assert a.cost_status == case["cost_status"]
    assert set(a.flags) == set(filter(None, case["flags"].split(";")))
    if case["reading"]:
        assert a.reading == case["reading"]


def test_case_file_is_large_and_unique():
    texts = [(c["text"], c["basis"], c["duration"], c["scale"]) for c in CASES]
    assert len(texts) == len(set(texts)), "a case is listed twice"
    assert sum(c["group"] == "government phrasing" for c in CASES) > 150


def test_every_flag_says_why_in_dutch():
    for case in CASES:
        a = parse_amount(
            case["text"], basis=case["basis"] or None, duration=case["duration"] or None,
            scale=float(case["scale"] or 1),
        )  # fmt: skip
        assert len(a.notes) >= len(set(a.flags) - {"amount_missing"}) or not a.flags, case["text"]


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


# --- context is never euros, a breakdown is never counted twice ----------------------------------

years = st.integers(min_value=1990, max_value=2099)


@given(euros, years)
def test_a_year_beside_an_amount_is_never_added(value, year):
    for text in (
        f"in {year} € {format_dutch_number(value)}",
        f"€ {format_dutch_number(value)} in {year}",
    ):
        a = parse_amount(text)
        assert a.incidental_low_eur == value, text
        assert a.first_year == year


@given(euros, st.integers(min_value=1, max_value=99))
def test_a_percentage_is_never_euros(value, percent):
    a = parse_amount(f"€ {format_dutch_number(value)} incl. {percent}% btw per jaar")
    assert a.structural_low_eur == value


@given(euros, euros)
def test_a_breakdown_that_adds_up_is_the_total_once(a, b):
    total = a + b
    text = f"€ {format_dutch_number(total)} (€ {format_dutch_number(a)} personeel, € {format_dutch_number(b)} materieel)"
    result = parse_amount(text, max_amount_eur=None)
    assert result.incidental_low_eur == total
    assert "amount_ambiguous" not in result.flags


@given(st.integers(min_value=1_000, max_value=9_000_000), st.integers(min_value=2, max_value=8))
def test_a_yearly_amount_and_its_own_total_are_the_same_money(value, n):
    text = f"€ {format_dutch_number(value)} per jaar, in totaal € {format_dutch_number(value * n)}"
    a = parse_amount(text, max_amount_eur=None)
    assert (a.structural_low_eur, a.incidental_low_eur) == (0, value * n)


def test_stmh_amount_shows_the_reading_and_why(capsys):
    from stmh_analysis.cli import main

    assert main(["amount", "€ 100.000 (€ 60.000 personeel en € 50.000 materieel)"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["reading"] == "total with breakdown that does not add up"
    assert "amount_ambiguous" in data["data_issues"]
    assert any("uitsplitsing" in note for note in data["notes"])


# --- the evidence rule: silence needs evidence -------------------------------------------------

_UNFLAGGED = [
    c["text"]
    for c in CASES
    if not c["flags"]
    and not c["basis"]
    and not c["duration"]
    and not c["scale"]
    and c["cost_status"] == "estimated"
    and "\n" not in c["text"]
]


def _flagged_or_refused(text: str) -> bool:
    try:
        return bool(parse_amount(text).flags)
    except AmountError:
        return True


def test_the_unflagged_cases_are_many():
    assert len(_UNFLAGGED) > 100


@settings(max_examples=300)
@given(
    st.sampled_from(_UNFLAGGED),
    st.integers(min_value=1_000, max_value=9_000_000),
    st.sampled_from(["{t} € {n}", "{t}; € {n}", "€ {n} {t}", "{t} (€ {n})", "{t}, nu € {n}"]),
)
def test_a_figure_without_a_role_flags_the_reading(text, value, form):
    """Any euro figure added to a trusted reading either has a role the reading states (and
    changes the figures), or flags it: never a silent change, never silently ignored."""
    before = parse_amount(text)
    grown = form.format(t=text, n=format_dutch_number(value))
    try:
        after = parse_amount(grown)
    except AmountError:
        return
    if after.flags:
        return
    written = f"€ {format_dutch_number(value)}"
    roles = [line.split(": ", 1)[1] for line in after.evidence if line.startswith(written + ":")]
    assert roles, f"{grown!r}: the added figure has no role in the evidence"
    if "geteld" in roles:
        money = lambda a: (  # noqa: E731
            a.structural_low_eur,
            a.structural_high_eur,
            a.incidental_low_eur,
            a.incidental_high_eur,
        )
        assert money(after) != money(before), f"{grown!r}: counted, yet the figures are the same"


@settings(max_examples=200)
@given(
    st.integers(min_value=1_000, max_value=9_000_000),
    st.sampled_from(
        [
            ("eenmalig", "per jaar"),
            ("eenmalig", "structureel"),
            ("incidenteel", "jaarlijks"),
            ("investering", "structureel"),
            ("opstartkosten", "per jaar"),
            ("tijdelijk", "structureel"),
        ]
    ),
    st.sampled_from(["{a} € {n} {b}", "{b} € {n} {a}", "€ {n} {a}, {b}", "{a} {b} € {n}"]),
)
def test_conflicting_cues_flag_the_reading(value, cues, form):
    a, b = cues
    text = form.format(a=a, b=b, n=format_dutch_number(value))
    assert _flagged_or_refused(text), text


@settings(max_examples=200)
@given(
    st.sampled_from(_UNFLAGGED),
    st.sampled_from(["1.250.00", "12.34.567", "1,250,00", "1.2.3"]),
)
def test_a_malformed_number_flags_the_reading(text, number):
    assert _flagged_or_refused(f"{text} {number}"), text


def test_a_reading_carries_its_evidence():
    a = parse_amount("geraamd op € 80.000; nu rond € 120.000 per jaar")
    assert a.structural_low_eur == 120_000 and not a.flags
    assert "€ 80.000: eerdere raming, vervangen door de nieuwe" in a.evidence
    assert "nu: een nieuwe raming" in a.evidence


def test_words_are_data(tmp_path):
    """A new spelling is a change to amount_words.yaml, not to Python."""
    from stmh_analysis.amounts.words import DEFAULT_FILE, load_amount_words

    text = "€ 40.000 jaarlyks"  # a partner's spelling nobody listed
    assert "basis_assumed" in parse_amount(text).flags
    edited = tmp_path / "amount_words.yaml"
    edited.write_text(
        DEFAULT_FILE.read_text(encoding="utf-8").replace(
            "per_year:        # a yearly amount\n",
            "per_year:        # a yearly amount\n  - jaarlyks\n",
        ),
        encoding="utf-8",
    )
    a = parse_amount(text, words=load_amount_words(edited))
    assert a.structural_low_eur == 40_000 and not a.flags


def test_a_broken_word_list_names_the_list_and_entry(tmp_path):
    from stmh_analysis.amounts.words import DEFAULT_FILE, AmountWordsError, read_amount_words

    broken = tmp_path / "amount_words.yaml"
    broken.write_text(
        DEFAULT_FILE.read_text(encoding="utf-8").replace("  - per jaar\n", "  - per (jaar\n", 1),
        encoding="utf-8",
    )
    with pytest.raises(AmountWordsError, match=r"per_year.*per \(jaar"):
        read_amount_words(broken)


@pytest.mark.parametrize(
    "entry, says",
    [
        ("  - per (jaar)\n", r"per_year.*groep '\(\.\.\.\)'.*\(\?:"),  # would shift the year groups
        ("  - starting: in\n", r"per_year.*geen tekst.*aanhalingstekens"),  # YAML reads a mapping
    ],
)
def test_a_word_list_entry_that_would_misread_is_refused(tmp_path, entry, says):
    from stmh_analysis.amounts.words import DEFAULT_FILE, AmountWordsError, read_amount_words

    broken = tmp_path / "amount_words.yaml"
    broken.write_text(
        DEFAULT_FILE.read_text(encoding="utf-8").replace("  - per jaar\n", entry, 1),
        encoding="utf-8",
    )
    with pytest.raises(AmountWordsError, match=says):
        read_amount_words(broken)


def test_start_words_for_a_year_are_data(tmp_path):
    """'te beginnen in 2026' makes a yearly amount structural from 2026; a start phrase nobody
    listed ('aanvang 2026') leaves 'per jaar' with one year, which is flagged, never silent."""
    from stmh_analysis.amounts.words import DEFAULT_FILE, load_amount_words

    assert parse_amount("€ 60.000 per jaar, te beginnen in 2026").structural_low_eur == 60_000
    text = "€ 60.000 per jaar, aanvang 2026"
    assert "amount_ambiguous" in parse_amount(text).flags
    edited = tmp_path / "amount_words.yaml"
    edited.write_text(
        DEFAULT_FILE.read_text(encoding="utf-8").replace("  - sinds\n", "  - sinds\n  - aanvang\n"),
        encoding="utf-8",
    )
    a = parse_amount(text, words=load_amount_words(edited))
    assert (a.structural_low_eur, a.first_year, a.flags) == (60_000, 2026, ())
