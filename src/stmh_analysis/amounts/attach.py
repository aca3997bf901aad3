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


def _attach(money: list[_Money], tokens: list[_Token], rest_idx: list[int]) -> list[str]:
    """Give each period word, year, span and duration to its amount; return relation words seen."""
    relations: list[str] = []
    for idx in rest_idx:
        tok = tokens[idx]
        if tok.kind in (
            "OLD",
            "NEW",
            "RAMP",
            "THEN",
            "BREAKDOWN",
            "RESTATE",
            "JOIN",
            "ZERO",
            "PM",
            "EXISTING",
            "COFUND",
            "FRACTION",
            "AVAILABLE",
        ):
            relations.append(tok.kind)
            continue
        target = _nearest(money, tokens, idx)
        if idx and tokens[idx - 1].kind == "MULT":  # '€ 0,9 mln per jaar × 4 jaar'
            target = max(
                (m for m in money if m.last < idx and not m.dropped),
                key=lambda m: m.last,
                default=target,
            )
        if target is None:
            continue
        target.cues.append(idx)
        if tok.kind == "YEARBOTH":  # 'in zowel 2025 als 2026': each of the two years
            a, b = int(tok.groups[0]), int(tok.groups[1])
            target.span = (min(a, b), max(a, b))
            target.duration = 2.0 if a != b else 1.0
            target.keywords.add("_each")
        elif tok.kind == "YEARSPAN":
            a, b = int(tok.groups[0]), int(tok.groups[1])
            if b < 100:
                b += a // 100 * 100
            target.span = (min(a, b), max(a, b))
        elif tok.kind == "YEARLIST":
            years = [int(y) for y in re.findall(_Y, tok.text)]
            target.span = (min(years), max(years))
            target.duration = float(len(set(years)))
        elif tok.kind == "YEAR":
            year = int(tok.groups[0])
            if target.span is None:
                target.span = (year, year)
                target.single_year = True
        elif tok.kind == "FROMYEAR":
            target.from_year = int(next(g for g in tok.groups if g))
            if re.search(r"e\.?\s?v\b|en verder|volgende jaren|en later|en daarna", tok.text):
                target.keywords.add("PERYEAR")  # '2019 e.v.': every year from then on
        elif tok.kind == "UNTILYEAR":
            target.until_year = int(tok.groups[0])
        elif tok.kind == "DURATIONMONTHS":
            target.duration = float(tok.groups[0]) / 12
        elif tok.kind == "PERIODTOTAL":
            target.period_total = True
        elif tok.kind == "DURATION":
            word = tok.groups[0] or ""
            n = float(word) if word.isdigit() else _word_number(word)
            nxt = tokens[idx + 1] if idx + 1 < len(tokens) else None
            # '3 jaar à € 200.000': the amount after is per year
            if (
                nxt is not None
                and nxt.kind in ("RANGE", "MULT")
                and nxt.text in ("a", "x", "×", "*", "maal")
            ):
                after = [m for m in money if m.first == idx + 2 and not m.dropped]
                if after:
                    after[0].keywords.add("PERYEAR")
                    after[0].duration = n
                    continue
            target.duration = n
        elif tok.kind == "PERUNIT":
            unit = tok.groups[0] if tok.groups else ""
            if unit in ("jaar", "maand", "year", "month", "fte", "kwartaal", "week"):
                continue
            if not target.computed:
                target.ambiguous = True  # € 40.000 per regio, but how many regions?
                target.keywords.add("PERUNIT")
        elif tok.kind in ("VATINCL", "VATEXCL"):
            target.keywords.add("_" + tok.kind.lower())
        elif tok.kind == "EACH":
            target.keywords.add("_each")
        elif tok.kind in _PERIOD_KINDS and _opens_a_list(tokens, idx):
            # 'Kosten per jaar: personeel € 120.000, materiaal € 30.000': the word heads the list
            for m in money:
                heads = [t for t in tokens[idx + 1 : m.first] if t.kind in _PERIOD_KINDS]
                if m.first > idx and not m.dropped and not heads:
                    m.keywords.add(tok.kind)
                    m.cues.append(idx)
        elif tok.kind in _PERIOD_KINDS:
            target.keywords.add(tok.kind)
            if tok.text == "p/m":
                target.keywords.add("_slash_pm")
    return relations


def _opens_a_list(tokens: list[_Token], idx: int) -> bool:
    """The period word stands right before a colon that opens several amounts."""
    return idx + 1 < len(tokens) and tokens[idx + 1].kind == "COLON"
