"""Each period word, year, span and duration goes to the amount it belongs to."""

from __future__ import annotations

import re

from stmh_analysis.amounts.mentions import _Money
from stmh_analysis.amounts.tokens import _PERIOD_KINDS, _Y, _Token, _word_number

# --- attachment ----------------------------------------------------------------------------------


def _nearest(money: list[_Money], tokens: list[_Token], tok_index: int) -> _Money | None:
    """The money a modifier belongs to: same clause first, then same parentheses, then nearest."""
    tok = tokens[tok_index]
    live = [m for m in money if not m.dropped]
    if not live:
        return None

    def distance(m: _Money) -> tuple[int, int, int, int]:
        if tok_index > m.last:
            gap, side = tok_index - m.last, 0  # after the amount: preferred on a tie
        else:
            gap, side = m.first - tok_index, 1
        return (m.clause != tok.clause, m.depth != tok.depth, gap, side)

    return min(live, key=distance)


# Words that relate amounts to each other (read by the resolver), not modifiers of one amount.
_RELATION_KINDS = frozenset((
    "OLD", "NEW", "RAMP", "THEN", "BREAKDOWN", "RESTATE", "JOIN", "ZERO", "PM", "EXISTING",
    "COFUND", "FRACTION", "AVAILABLE",
))  # fmt: skip
# Units a 'per ...' may name without making the amount ambiguous (a rate, not a count).
_RATE_UNITS = frozenset(("jaar", "maand", "year", "month", "fte", "kwartaal", "week"))


def _attach(money: list[_Money], tokens: list[_Token], rest_idx: list[int]) -> list[str]:
    """Give each period word, year, span and duration to its amount; return relation words seen."""
    relations: list[str] = []
    for idx in rest_idx:
        tok = tokens[idx]
        if tok.kind in _RELATION_KINDS:
            relations.append(tok.kind)
            continue
        target = _target(money, tokens, idx)
        if target is None:
            continue
        target.cues.append(idx)
        apply = _APPLY.get(tok.kind) or (_apply_period if tok.kind in _PERIOD_KINDS else None)
        if apply is not None:
            apply(target, tok, idx, tokens, money)
    return relations


def _target(money: list[_Money], tokens: list[_Token], idx: int) -> _Money | None:
    """The amount a modifier goes to: the nearest, but after a multiplication sign the amount
    just before it ('€ 0,9 mln per jaar × 4 jaar')."""
    nearest = _nearest(money, tokens, idx)
    if idx and tokens[idx - 1].kind == "MULT":
        return max(
            (m for m in money if m.last < idx and not m.dropped),
            key=lambda m: m.last,
            default=nearest,
        )
    return nearest


def _apply_year_both(target: _Money, tok: _Token, *_) -> None:
    """'in zowel 2025 als 2026': the amount in each of the two years."""
    a, b = int(tok.groups[0]), int(tok.groups[1])
    target.span = (min(a, b), max(a, b))
    target.duration = 2.0 if a != b else 1.0
    target.keywords.add("_each")


def _apply_year_span(target: _Money, tok: _Token, *_) -> None:
    """'2024-2026', '2024-26': the first and last year."""
    a, b = int(tok.groups[0]), int(tok.groups[1])
    if b < 100:
        b += a // 100 * 100
    target.span = (min(a, b), max(a, b))


def _apply_year_list(target: _Money, tok: _Token, *_) -> None:
    """'2024, 2025 en 2026': the years named, as a span and a count."""
    years = [int(y) for y in re.findall(_Y, tok.text)]
    target.span = (min(years), max(years))
    target.duration = float(len(set(years)))


def _apply_year(target: _Money, tok: _Token, *_) -> None:
    """One year ('in 2025'), unless a span is already known."""
    year = int(tok.groups[0])
    if target.span is None:
        target.span = (year, year)
        target.single_year = True


def _apply_from_year(target: _Money, tok: _Token, *_) -> None:
    """'vanaf 2025'; '2019 e.v.' also says every year from then on."""
    target.from_year = int(next(g for g in tok.groups if g))
    if re.search(r"e\.?\s?v\b|en verder|volgende jaren|en later|en daarna", tok.text):
        target.keywords.add("PERYEAR")


def _apply_until_year(target: _Money, tok: _Token, *_) -> None:
    target.until_year = int(tok.groups[0])


def _apply_months(target: _Money, tok: _Token, *_) -> None:
    target.duration = float(tok.groups[0]) / 12


def _apply_period_total(target: _Money, *_) -> None:
    target.period_total = True


def _apply_duration(target: _Money, tok: _Token, idx: int, tokens: list[_Token], money) -> None:
    """'3 jaar' is the amount's duration; in '3 jaar à € 200.000' the amount after it is per year."""
    word = tok.groups[0] or ""
    n = float(word) if word.isdigit() else _word_number(word)
    nxt = tokens[idx + 1] if idx + 1 < len(tokens) else None
    if (
        nxt is not None
        and nxt.kind in ("RANGE", "MULT")
        and nxt.text in ("a", "x", "×", "*", "maal")
    ):
        after = [m for m in money if m.first == idx + 2 and not m.dropped]
        if after:
            after[0].keywords.add("PERYEAR")
            after[0].duration = n
            return
    target.duration = n


def _apply_per_unit(target: _Money, tok: _Token, *_) -> None:
    """'€ 40.000 per regio': how many regions? Ambiguous unless the amount was computed."""
    unit = tok.groups[0] if tok.groups else ""
    if unit not in _RATE_UNITS and not target.computed:
        target.ambiguous = True
        target.keywords.add("PERUNIT")


def _apply_marker(target: _Money, tok: _Token, *_) -> None:
    """'incl. btw', 'excl. btw', 'per stuk': a note on the amount for the resolver."""
    target.keywords.add("_each" if tok.kind == "EACH" else "_" + tok.kind.lower())


def _apply_period(target: _Money, tok: _Token, idx: int, tokens: list[_Token], money) -> None:
    """A period word ('per jaar', 'eenmalig', ...) on its amount; before a colon that opens a
    list ('Kosten per jaar: personeel € 120.000, materiaal € 30.000') on every amount it heads."""
    if not _opens_a_list(tokens, idx):
        target.keywords.add(tok.kind)
        if tok.text == "p/m":
            target.keywords.add("_slash_pm")
        return
    for m in money:
        heads = [t for t in tokens[idx + 1 : m.first] if t.kind in _PERIOD_KINDS]
        if m.first > idx and not m.dropped and not heads:
            m.keywords.add(tok.kind)
            m.cues.append(idx)


def _apply_bound(target: _Money, tok: _Token, idx: int, tokens: list[_Token], _) -> None:
    """'minimaal € 50.000', '€ 100.000 eenmalig of meer': a bound on the figure it stands beside
    (only period words between them)."""
    between = (
        tokens[idx + 1 : target.first] if idx < target.first else tokens[target.last + 1 : idx]
    )
    if all(t.kind in _PERIOD_KINDS for t in between):
        target.keywords.add("_at_least" if tok.kind == "ATLEAST" else "_at_most")


_APPLY = {
    "YEARBOTH": _apply_year_both,
    "YEARSPAN": _apply_year_span,
    "YEARLIST": _apply_year_list,
    "YEAR": _apply_year,
    "FROMYEAR": _apply_from_year,
    "UNTILYEAR": _apply_until_year,
    "DURATIONMONTHS": _apply_months,
    "PERIODTOTAL": _apply_period_total,
    "DURATION": _apply_duration,
    "PERUNIT": _apply_per_unit,
    "VATINCL": _apply_marker,
    "VATEXCL": _apply_marker,
    "EACH": _apply_marker,
    "ATLEAST": _apply_bound,
    "ATMOST": _apply_bound,
}


def _opens_a_list(tokens: list[_Token], idx: int) -> bool:
    """The period word stands right before a colon that opens several amounts."""
    return idx + 1 < len(tokens) and tokens[idx + 1].kind == "COLON"
