"""Tokens -> money and fte mentions; counts and unit prices applied."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from stmh_analysis.amounts.figures import _magnitude, _read_number, format_dutch_number
from stmh_analysis.amounts.tokens import _Y, _Token

# --- mentions ------------------------------------------------------------------------------------


@dataclass
class _Money:
    low: float
    high: float
    first: int  # token index span [first, last]
    last: int
    depth: int
    clause: int
    is_fte: bool = False
    has_magnitude: bool = False
    explicit_unit: bool = False  # a currency sign or thousands separator was written
    keywords: set[str] = field(default_factory=set)
    span: tuple[int, int] | None = None
    duration: float | None = None
    from_year: int | None = None
    until_year: int | None = None
    period_total: bool = False  # 'voor de periode 2024-2027': the amount covers the period
    ambiguous: bool = False
    computed: bool = False
    fte_count: float | None = None  # an fte count stated beside this money
    single_year: bool = False  # the span is one year written on its own ('in 2025')
    dropped: str = ""  # why this mention is not counted (old estimate, breakdown, ...)
    cues: list[int] = field(default_factory=list)  # token indices of the words attached to it

    def euros(self) -> str:
        """The mention as a note names it: '€ 80.000', or '0,6 fte'."""
        if self.is_fte:
            return f"{format_dutch_number(self.low, 1)} fte"
        return f"€ {format_dutch_number(self.low)}"


def _read_value(tokens: list[_Token], i: int) -> tuple[dict, int] | None:
    """[CUR] number [MAG] [CUR] starting at i -> parts and the index after it, or None."""
    j = i
    currency = False
    if j < len(tokens) and tokens[j].kind == "CUR":
        currency = True
        j += 1
    if j >= len(tokens) or tokens[j].kind not in ("NUM", "WORDNUM"):
        return None
    number = tokens[j]
    j += 1
    magnitude = None
    if j < len(tokens) and tokens[j].kind == "MAG":
        magnitude = _magnitude(tokens[j].text)
        j += 1
    # '100.000 €' ends with the sign; in '€ 100.000 (€ 50.000' the second sign opens the next amount
    if (
        j < len(tokens)
        and tokens[j].kind == "CUR"
        and not (j + 1 < len(tokens) and tokens[j + 1].kind in ("NUM", "WORDNUM"))
    ):
        currency = True
        j += 1
    return {"number": number, "magnitude": magnitude, "currency": currency, "end": j - 1}, j


def _value_of(part: dict, magnitude: float | None, in_units: bool = False) -> tuple[float, bool]:
    """The value of one number; `in_units`: the column counts in thousands or millions, so
    '1,125' is the Dutch decimal (one and an eighth thousand), as it is beside 'mln'."""
    tok = part["number"]
    if tok.kind == "WORDNUM":
        base, ambiguous = float(tok.groups[0]), False
    else:
        base, ambiguous = _read_number(tok.text, magnitude is not None or in_units)
    return base * (magnitude or 1.0), ambiguous


def _is_year(part: dict, tokens: list[_Token], i: int, j: int) -> bool:
    """A bare 1990-2099 is a year, unless it is written as euros ('2000 euro' and nothing after)."""
    number = part["number"]
    if number.kind != "NUM" or part["magnitude"] is not None:
        return False
    if not re.fullmatch(_Y, number.text):
        return False
    if not part["currency"]:
        return True
    if tokens[i].kind == "CUR":
        return False  # '€ 2025' is written as money (and will be flagged as small)
    return j < len(tokens) and tokens[j].kind in ("NUM", "WORDNUM")  # 'in 2019 € 4,5 mln'


def _build_mentions(
    tokens: list[_Token], in_units: bool = False
) -> tuple[list[_Money], list[_Token]]:
    """Money and fte mentions, and the tokens left over (context, period words, relations)."""
    money: list[_Money] = []
    rest: list[_Token] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        read = _read_value(tokens, i) if tok.kind in ("CUR", "NUM", "WORDNUM") else None
        if read is None:
            rest.append(tok)
            i += 1
            continue
        first, j = read
        number = first["number"]
        if _is_year(first, tokens, i, j):
            if first["currency"] and tokens[i].kind == "NUM":
                j -= 1  # the currency sign belongs to the amount after the year
            rest.append(
                _Token(
                    "YEAR",
                    number.text,
                    number.start,
                    number.end,
                    (number.text,),
                    number.depth,
                    number.clause,
                )
            )
            i = j
            continue
        bare = not first["currency"] and first["magnitude"] is None
        if bare and j < len(tokens) and tokens[j].kind == "FTE":
            value, _ = _value_of(first, None)
            money.append(_Money(value, value, i, j, tok.depth, tok.clause, is_fte=True))
            i = j + 1
            continue
        if bare and number.kind == "WORDNUM":
            rest.append(
                _Token(
                    "COUNT",
                    number.text,
                    number.start,
                    number.end,
                    number.groups,
                    number.depth,
                    number.clause,
                )
            )
            i = j
            continue
        if (
            bare
            and j < len(tokens)
            and tokens[j].kind in ("MULT", "WORD")
            and not (
                j + 1 < len(tokens) and tokens[j].kind == "WORD" and tokens[j + 1].kind == "MAG"
            )
        ):
            value, _ = _read_number(number.text, False)
            unit = tokens[j].text if tokens[j].kind == "WORD" else ""
            rest.append(
                _Token(
                    "COUNT",
                    str(value),
                    number.start,
                    number.end,
                    (str(value), unit),
                    number.depth,
                    number.clause,
                )
            )
            i = j if tokens[j].kind == "MULT" else j + 1
            continue
        second = None
        if j + 1 < len(tokens) and tokens[j].kind == "RANGE":
            second = _read_value(tokens, j + 1)
            if (
                second is not None
                and bare
                and second[1] < len(tokens)
                and tokens[second[1]].kind == "FTE"
            ):
                low, _ = _value_of(first, None)  # '2 à 3 fte'
                high, _ = _value_of(second[0], None)
                money.append(
                    _Money(
                        min(low, high),
                        max(low, high),
                        i,
                        second[1],
                        tok.depth,
                        tok.clause,
                        is_fte=True,
                    )
                )
                i = second[1] + 1
                continue
            if second is not None and (
                _is_year(second[0], tokens, j + 1, second[1])
                or (second[1] < len(tokens) and tokens[second[1]].kind == "FTE")
            ):
                second = None
        if second is not None:
            upper, k = second
            mag_hi, mag_lo = upper["magnitude"], first["magnitude"]
            if mag_lo is None and mag_hi is not None:
                # 3 à 5 ton, 1-2 mln: the unit written once covers both ends, when that reads sensibly.
                raw_lo, _ = _value_of(first, None)
                raw_hi, _ = _value_of(upper, None)
                if raw_lo <= raw_hi and raw_lo < 1000:
                    mag_lo = mag_hi
            low, amb1 = _value_of(first, mag_lo, in_units)
            high, amb2 = _value_of(upper, mag_hi, in_units)
            if low > high:
                low, high = high, low
            explicit = first["currency"] or upper["currency"] or "." in number.text
            money.append(
                _Money(
                    low, high, i, k - 1, tok.depth, tok.clause,
                    has_magnitude=mag_hi is not None or mag_lo is not None,
                    explicit_unit=explicit,
                    ambiguous=amb1 or amb2,
                )
            )  # fmt: skip
            i = k
            continue
        value, amb = _value_of(first, first["magnitude"], in_units)
        explicit = first["currency"] or bool(re.search(r"\d[.,]\d{3}", number.text))
        money.append(
            _Money(
                value, value, i, j - 1, tok.depth, tok.clause,
                has_magnitude=first["magnitude"] is not None,
                explicit_unit=explicit,
                ambiguous=amb,
            )
        )  # fmt: skip
        i = j
    return money, rest


def _drop_bare_numbers(money: list[_Money], tokens: list[_Token]) -> list[_Money]:
    """Beside written money, a bare small number ('voor 25 deelnemers', 'fase 2') is a count."""
    if not any(m.explicit_unit or m.has_magnitude or m.is_fte for m in money):
        return money
    kept = []
    for m in money:
        plain = not (m.explicit_unit or m.has_magnitude or m.is_fte) and m.high < 1000
        if plain and m.first == m.last:
            continue
        kept.append(m)
    return kept


def _priced_after(money: list[_Money], tokens: list[_Token], idx: int) -> _Money | None:
    """The amount after 'à' or 'x' at token idx (`20 plekken à € 75.000`), if any."""
    if (
        idx < len(tokens)
        and tokens[idx].kind in ("MULT", "RANGE")
        and tokens[idx].text in ("a", "x", "×", "*", "maal")
    ):
        return next(
            (m for m in money if m.first == idx + 1 and not m.is_fte and not m.dropped), None
        )
    return None


def _apply_counts(money: list[_Money], tokens: list[_Token]) -> None:
    """`20 plekken à € 75.000`, `€ 40.000 per regio, 10 regio's`, `2 fte à € 100.000`,
    `€ 150.000 + 21% btw`."""
    for m in money:
        if m.is_fte and not m.dropped:
            priced = _priced_after(money, tokens, m.last + 1)
            if priced is not None:  # '2 fte à € 100.000': the price is per fte per year
                priced.low, priced.high = priced.low * m.low, priced.high * m.high
                priced.computed = True
                priced.fte_count = m.low
                if not priced.keywords:
                    priced.keywords.add("PERYEAR")
                m.dropped = "fte priced"
    for idx, tok in enumerate(tokens):
        if tok.kind == "PERCENT" and idx + 1 < len(tokens) and tokens[idx + 1].text == "btw":
            prev = tokens[idx - 1] if idx else None
            target = max(
                (m for m in money if m.last < idx and not m.dropped),
                key=lambda m: m.last,
                default=None,
            )
            if (
                prev is not None
                and prev.kind == "JOIN"
                and prev.text.strip() in ("+", "plus", "vermeerderd met")
                and target
            ):
                rate = float(re.sub(r"[^\d,.]", "", tok.text).replace(",", ".")) / 100
                target.low, target.high = target.low * (1 + rate), target.high * (1 + rate)
                target.computed = True
        if tok.kind != "COUNT":
            continue
        count = float(tok.groups[0])
        unit = tok.groups[1] if len(tok.groups) > 1 else ""
        after_unit = (
            idx + 2 if unit and idx + 1 < len(tokens) and tokens[idx + 1].text == unit else idx + 1
        )
        target = _priced_after(money, tokens, after_unit)
        if target is None and unit:
            # '€ 40.000 per regio, 10 regio's', 'kosten per casus € 3.500; 120 casussen'
            for k, per in enumerate(tokens):
                if per.kind == "PERUNIT" and _same_unit(per.groups[0] or "", unit):
                    near = [m for m in money if not m.dropped and not m.is_fte]
                    if near:
                        target = min(near, key=lambda m: min(abs(m.first - k), abs(m.last - k)))
                    break
        if target is not None and not target.computed:
            target.low *= count
            target.high *= count
            target.computed = True
            if "PERUNIT" in target.keywords:
                target.keywords.discard("PERUNIT")
                target.ambiguous = False


def _same_unit(a: str, b: str) -> bool:
    a, b = a.strip("'s"), b.strip("'s")
    return bool(a) and bool(b) and (a.startswith(b[:4]) or b.startswith(a[:4]))
