"""The reading: text (or a number cell, or year columns) -> Amount, through every phase."""

from __future__ import annotations

import math
import re

from stmh_analysis.amounts.attach import _attach
from stmh_analysis.amounts.evidence import weigh_evidence
from stmh_analysis.amounts.figures import format_dutch_number
from stmh_analysis.amounts.mentions import (
    _apply_counts,
    _build_mentions,
    _drop_bare_numbers,
    _Money,
)
from stmh_analysis.amounts.model import Amount, AmountError, _kind, _Part, _Reader
from stmh_analysis.amounts.periods import _read_mention
from stmh_analysis.amounts.relations import _resolve
from stmh_analysis.amounts.tokens import (
    _PERIOD_KINDS,
    _SCALE_MARKER,
    _Y,
    _normalise,
    _scale_value,
    _Token,
    _tokenise,
    _word_number,
)
from stmh_analysis.amounts.words import AmountWords, load_amount_words

# --- the parse -----------------------------------------------------------------------------------

_NEGATIVE_RE = re.compile(
    r"^(?:€|eur\w*)?\s*-\s*(?:€|eur\w*)?\s*\d|(?:€|eur\w*)\s*-\s*\d|\(\s*-\s*\d"
)
_ERROR_VALUES = re.compile(
    r"^#(?:ref!|n/?a|value!|div/0!|name\?|num!|null!|getting_data|spill!|calc!)", re.I
)


def _basis_keywords(
    text: str, words: AmountWords | None = None
) -> tuple[set[str], tuple[int, int] | None, float | None]:
    """Period words, year span and duration from a Structureel/incidenteel or Looptijd cell."""
    keywords: set[str] = set()
    span = None
    duration = None
    for tok in _tokenise(_normalise(text), words):
        if tok.kind in _PERIOD_KINDS:
            keywords.add(tok.kind)
        elif tok.kind == "YEARSPAN":
            a, b = int(tok.groups[0]), int(tok.groups[1])
            if b < 100:
                b += a // 100 * 100
            span = (min(a, b), max(a, b))
        elif tok.kind == "UNTILYEAR" and span is None:
            keywords.add(f"_until:{tok.groups[0]}")  # the last year
        elif tok.kind == "FROMYEAR" and span is None:
            keywords.add("STRUCTURAL")
            keywords.add(f"_from:{next(g for g in tok.groups if g)}")  # the first year
        elif tok.kind == "DURATION":
            w = tok.groups[0] or ""
            duration = float(w) if w.isdigit() else _word_number(w)
        elif tok.kind == "NUM" and re.fullmatch(_Y, tok.text) and span is None:
            span = (int(tok.text), int(tok.text))
    return keywords, span, duration


def parse_amount(
    text: object,
    *,
    basis: object = None,
    duration: object = None,
    scale: float = 1.0,
    fte_rate_eur: float = 100_000.0,
    max_amount_eur: float | None = 100_000_000.0,
    words: AmountWords | None = None,
) -> Amount:
    """Read one cost text as a careful analyst would.

    text: the cost cell(s) as submitted. basis: the Structureel/incidenteel cell, if any.
    duration: the Looptijd cell, if any. scale: the column's unit (1000 for a `x € 1.000` header),
    applied to numbers written without a magnitude. fte_rate_eur: euros per fte per year.
    max_amount_eur: larger amounts are rejected as implausible (None: no limit).
    words: the reader's words (data/reference/amount_words.yaml when None).
    """
    raw = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
    s = _normalise(raw)
    if not s or re.fullmatch(r"[-?.\s/;]*", s):
        return _EMPTY
    _refuse_non_amounts(s, raw)
    s, scale = _take_scale_marker(s, scale)
    words = words or load_amount_words()
    tokens, money = _mentions(s, words, scale)
    if not money:
        return _without_money(tokens, raw)
    _apply_counts(money, tokens)
    rest_idx = [i for i, _ in enumerate(tokens) if not any(m.first <= i <= m.last for m in money)]
    relations = _attach(money, tokens, rest_idx)
    col = _basis_keywords(
        " ".join(str(x) for x in (basis, duration) if x is not None and x == x), words
    )

    def quiet_read(m: _Money) -> _Part:
        return _read_mention(m, _Reader(), col, scale, fte_rate_eur)

    # relations are decided on quiet readings; the flags that stand are those of the relation and
    # of the mentions finally counted (a dropped breakdown line raises nothing)
    r = _Reader()
    _flag_relations(r, relations, tokens)
    reading = _resolve(money, tokens, relations, r, quiet_read)
    live = [m for m in money if not m.dropped]
    parts = [_read_mention(m, r, col, scale, fte_rate_eur) for m in live]
    evidence = weigh_evidence(s, tokens, money, r)
    totals = _add_up(parts)
    _check_plausible(
        max(totals["structural_high_eur"], totals["incidental_high_eur"]), max_amount_eur, raw
    )
    fte_values = [m.low for m in live if m.is_fte] + [m.fte_count or 0.0 for m in money]
    return Amount(
        **totals,
        fte=sum(fte_values) or None,
        cost_status="estimated",
        flags=tuple(r.flags),
        reading=reading,
        notes=tuple(r.notes),
        evidence=evidence,
    )


_EMPTY = Amount(
    cost_status="pm", flags=("amount_missing",), reading="empty", notes=("geen bedrag ingevuld",)
)


def _refuse_non_amounts(s: str, raw: str) -> None:
    """A formula, a spreadsheet error value or a negative amount is no cost: say which."""
    if s.startswith("="):
        raise AmountError("formula", f"een spreadsheetformule, geen waarde: {raw[:60]!r}")
    if _ERROR_VALUES.match(s):
        raise AmountError("error_value", f"een foutwaarde uit de spreadsheet: {raw[:60]!r}")
    if _NEGATIVE_RE.search(s):
        raise AmountError(
            "negative_amount", f"een negatief bedrag is geen kostenpost: {raw[:60]!r}"
        )


def _take_scale_marker(s: str, scale: float) -> tuple[str, float]:
    """'(x € 1.000)' in the text is the unit of its other figures: the text without it, and the
    scale it sets. '10 x € 1.000' is a count times a price and stays."""
    marker = _SCALE_MARKER.search(s)
    if marker and (
        marker.group().lstrip().startswith("(") or not re.search(r"\d\s*$", s[: marker.start()])
    ):
        scale = _scale_value(marker.group(1) or marker.group(2))
        s = (s[: marker.start()] + " " + s[marker.end() :]).strip()
    return s, scale


def _mentions(s: str, words: AmountWords, scale: float) -> tuple[list[_Token], list[_Money]]:
    """The tokens and the money mentions of the text. Bare numbers read as a year or a count
    replace their number token, so that attachment and relations see them where they stand."""
    tokens = _tokenise(s, words)
    money, rest = _build_mentions(tokens, in_units=scale != 1.0)
    money = _drop_bare_numbers(money, tokens)
    by_start = {t.start: t for t in rest if t.kind in ("COUNT", "YEAR")}
    return [by_start.get(t.start, t) if t.kind == "NUM" else t for t in tokens], money


def _without_money(tokens: list[_Token], raw: str) -> Amount:
    """A text with no amount in it: a date is refused, 'p.m.' is p.m., 'nihil' costs nothing,
    anything else is unreadable."""
    kinds = {t.kind for t in tokens}
    if kinds & {"DATE", "DATEWORD"}:
        raise AmountError("date_not_amount", f"dit lijkt een datum, geen bedrag: {raw[:60]!r}")
    if "PM" in kinds:
        return Amount(cost_status="pm", reading="p.m.")
    if "ZERO" in kinds:
        return Amount(reading="cost neutral")
    raise AmountError("amount_unreadable", f"geen bedrag gevonden in {raw[:80]!r}")


def _flag_relations(r: _Reader, relations: list[str], tokens: list[_Token]) -> None:
    """What the words around the amounts say about what is counted: a part of an amount, another
    payer, a p.m. beside the amount."""
    if "FRACTION" in relations:
        r.flag(
            "amount_ambiguous",
            "de tekst noemt een deel (de helft, een derde) van een bedrag: het hele bedrag is geteld",
        )
    if "COFUND" in relations:
        r.flag(
            "amount_ambiguous",
            "de tekst noemt cofinanciering of dekking: mogelijk betaalt een ander een deel",
        )
    if any(t.kind == "PM" for t in tokens):
        r.flag(
            "amount_partly_pm", "naast een bedrag staat 'p.m.': alleen het bekende deel is geteld"
        )


def _add_up(parts: list[_Part]) -> dict[str, object]:
    """The counted parts added up by kind (low and high), rounded to cents once; the first year
    of any part, and the last year when nothing is structural."""
    totals = {"structural": [0.0, 0.0], "incidental": [0.0, 0.0]}
    for p in parts:
        target = totals["structural" if p.kind == "structural" else "incidental"]
        target[0] += p.low
        target[1] += p.high
    starts = [p.start for p in parts if p.start]
    ends = [p.end for p in parts if p.end]
    return {
        "structural_low_eur": round(totals["structural"][0], 2),
        "structural_high_eur": round(totals["structural"][1], 2),
        "incidental_low_eur": round(totals["incidental"][0], 2),
        "incidental_high_eur": round(totals["incidental"][1], 2),
        "first_year": min(starts) if starts else None,
        "last_year": max(ends) if ends and totals["structural"][1] == 0 else None,
    }


def _check_plausible(euros: float, limit: float | None, raw: str) -> None:
    """Raise amount_implausible when `euros` is above the plausibility limit (None: no limit)."""
    if limit is not None and euros > limit:
        raise AmountError(
            "amount_implausible",
            f"€ {format_dutch_number(euros)} ligt boven de aannemelijkheidsgrens van "
            f"€ {format_dutch_number(limit)}: {raw[:60]!r}",
        )


def amount_from_number(
    value: float,
    *,
    basis: object = None,
    duration: object = None,
    scale: float = 1.0,
    fte_rate_eur: float = 100_000.0,
    max_amount_eur: float | None = 100_000_000.0,
    words: AmountWords | None = None,
) -> Amount:
    """A cell typed as a number: its value is exact, only the column's unit and the row's basis
    and period are applied. A full amount typed under a unit header (75.000 under `x € 1.000`,
    which would make € 75 mln) is read as written and flagged."""
    if value != value or value < 0:
        raise AmountError("negative_amount", f"een negatief bedrag is geen kostenpost: {value!r}")
    r = _Reader()
    euros = value * scale
    if scale != 1.0 and value >= 1000 and euros >= 10_000_000:
        euros = value
        r.flag(
            "amount_ambiguous",
            f"{format_dutch_number(value)} staat voluit onder een kolom in eenheden van "
            f"€ {format_dutch_number(scale)}: als volledig bedrag gelezen",
        )
    if euros == 0:
        return Amount(reading="number cell", notes=())
    m = _Money(euros, euros, 0, 0, 0, 0, has_magnitude=True, explicit_unit=True)
    col = _basis_keywords(
        " ".join(str(x) for x in (basis, duration) if x is not None and x == x), words
    )
    part = _read_mention(m, r, col, 1.0, fte_rate_eur)
    _check_plausible(part.high, max_amount_eur, format_dutch_number(value))
    structural = part.kind == "structural"
    return Amount(
        structural_low_eur=round(part.low, 2) if structural else 0.0,
        structural_high_eur=round(part.high, 2) if structural else 0.0,
        incidental_low_eur=0.0 if structural else round(part.low, 2),
        incidental_high_eur=0.0 if structural else round(part.high, 2),
        first_year=part.start,
        last_year=None if structural else part.end,
        cost_status="estimated",
        flags=tuple(r.flags),
        reading="number cell",
        notes=tuple(r.notes),
    )


def amount_from_years(
    by_year: dict[int, tuple[float, float]],
    *,
    basis: object = None,
    words: AmountWords | None = None,
) -> Amount:
    """Amounts spread over year columns (`2024 | 2025 | 2026`), low and high per year in euros.

    Read as time-limited money in those years (summed, with the first and last year), unless the
    basis column says structural and every year holds the same amount: then that amount per year
    from the first year on. Money in the last year column may go on after it: flagged."""
    years = sorted(y for y, (low, high) in by_year.items() if low or high)
    if not years:
        return Amount(cost_status="pm", flags=("amount_missing",), reading="year columns")
    lows = [by_year[y][0] for y in years]
    highs = [by_year[y][1] for y in years]
    keywords, _, _ = _basis_keywords(
        str(basis) if basis is not None and basis == basis else "", words
    )
    r = _Reader()
    if _kind(keywords) == "structural" and len(set(lows)) == 1 and len(set(highs)) == 1:
        return Amount(
            structural_low_eur=lows[0],
            structural_high_eur=highs[0],
            first_year=years[0],
            reading="year columns, structural",
        )
    steady_to_the_end = len(years) > 1 and years[-1] == max(by_year) and lows[-1] == lows[-2]
    if steady_to_the_end and _kind(keywords) != "oneoff":
        r.flag(
            "amount_ambiguous",
            f"bedragen in jaarkolommen {years[0]}–{years[-1]} opgeteld als tijdelijk; het bedrag "
            "loopt door tot de laatste kolom en is misschien structureel",
        )
    return Amount(
        incidental_low_eur=round(sum(lows), 2),
        incidental_high_eur=round(sum(highs), 2),
        first_year=years[0],
        last_year=years[-1],
        flags=tuple(r.flags),
        reading="year columns",
        notes=tuple(r.notes),
    )
