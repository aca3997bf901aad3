"""Tokens -> money and fte mentions; counts and unit prices applied."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

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
    """Money and fte mentions, and the tokens left over (context, period words, relations).
    Each value read is offered to the readers in `_READINGS` in turn; the first that knows it
    says what it is (a year, an fte count, a count, a range, an amount) and where reading goes on."""
    money: list[_Money] = []
    rest: list[_Token] = []
    i = 0
    while i < len(tokens):
        read = _read_value(tokens, i) if tokens[i].kind in ("CUR", "NUM", "WORDNUM") else None
        if read is None:
            rest.append(tokens[i])
            i += 1
            continue
        value = _Value(tokens, i, *read, in_units)
        item, i = _reading_of(value)
        (money if isinstance(item, _Money) else rest).append(item)
    return money, rest


def _reading_of(value: _Value) -> _Reading:
    """What the value is, by the first reading that knows it (`_as_amount` always does)."""
    for reading in _READINGS:
        found = reading(value)
        if found is not None:
            return found
    raise AssertionError("_as_amount reads every value")


@dataclass(frozen=True)
class _Value:
    """One value read at tokens[i]: its parts (number, magnitude, currency) and the index after."""

    tokens: list[_Token]
    i: int
    parts: dict
    j: int  # the token after the value
    in_units: bool

    @property
    def number(self) -> _Token:
        return self.parts["number"]

    @property
    def bare(self) -> bool:
        """Neither a currency sign nor a magnitude: '3', 'drie'."""
        return not self.parts["currency"] and self.parts["magnitude"] is None

    def next_kind(self, k: int | None = None) -> str:
        """The kind of the token at k (default: right after the value); '' past the end."""
        k = self.j if k is None else k
        return self.tokens[k].kind if k < len(self.tokens) else ""

    def mention(self, low: float, high: float, last: int, **kw) -> _Money:
        tok = self.tokens[self.i]
        return _Money(low, high, self.i, last, tok.depth, tok.clause, **kw)

    def range_end(self) -> tuple[dict, int] | None:
        """The second value of 'a à b', 'a - b', 'a tot b', or None."""
        if self.next_kind() != "RANGE" or self.j + 1 >= len(self.tokens):
            return None
        return _read_value(self.tokens, self.j + 1)


_Reading = tuple[_Money | _Token, int]  # what a value is, and the index where reading goes on


def _as_year(v: _Value) -> _Reading | None:
    """'in 2025': a year, not euros."""
    if not _is_year(v.parts, v.tokens, v.i, v.j):
        return None
    # in 'in 2019 € 4,5 mln' the currency sign belongs to the amount after the year
    after = v.j - 1 if v.parts["currency"] and v.tokens[v.i].kind == "NUM" else v.j
    return replace(v.number, kind="YEAR", groups=(v.number.text,)), after


def _as_fte(v: _Value) -> _Reading | None:
    """'1,5 fte'."""
    if not (v.bare and v.next_kind() == "FTE"):
        return None
    value, _ = _value_of(v.parts, None)
    return v.mention(value, value, v.j, is_fte=True), v.j + 1


def _as_word_count(v: _Value) -> _Reading | None:
    """'drie' on its own: a count ('drie regio's'), not money."""
    if not (v.bare and v.number.kind == "WORDNUM"):
        return None
    return replace(v.number, kind="COUNT"), v.j


def _as_count(v: _Value) -> _Reading | None:
    """'4 x', '12 trainingen': a count, unless a magnitude follows the word ('3 hele ton')."""
    if not v.bare or v.next_kind() not in ("MULT", "WORD"):
        return None
    if v.next_kind() == "WORD" and v.next_kind(v.j + 1) == "MAG":
        return None
    value, _ = _read_number(v.number.text, False)
    unit = v.tokens[v.j].text if v.next_kind() == "WORD" else ""
    count = replace(v.number, kind="COUNT", text=str(value), groups=(str(value), unit))
    return count, v.j if v.next_kind() == "MULT" else v.j + 1


def _as_fte_range(v: _Value) -> _Reading | None:
    """'2 à 3 fte'."""
    upper = v.range_end() if v.bare else None
    if upper is None or v.next_kind(upper[1]) != "FTE":
        return None
    low, _ = _value_of(v.parts, None)
    high, _ = _value_of(upper[0], None)
    return v.mention(min(low, high), max(low, high), upper[1], is_fte=True), upper[1] + 1


def _as_range(v: _Value) -> _Reading | None:
    """'€ 100.000 - € 150.000', '3 à 5 ton'; not when the second value is a year or an fte."""
    upper = v.range_end()
    if upper is None:
        return None
    parts, k = upper
    if _is_year(parts, v.tokens, v.j + 1, k) or v.next_kind(k) == "FTE":
        return None
    mag_hi, mag_lo = parts["magnitude"], v.parts["magnitude"]
    if mag_lo is None and mag_hi is not None:
        # 3 à 5 ton, 1-2 mln: the unit written once covers both ends, when that reads sensibly.
        raw_lo, _ = _value_of(v.parts, None)
        raw_hi, _ = _value_of(parts, None)
        if raw_lo <= raw_hi and raw_lo < 1000:
            mag_lo = mag_hi
    low, amb1 = _value_of(v.parts, mag_lo, v.in_units)
    high, amb2 = _value_of(parts, mag_hi, v.in_units)
    mention = v.mention(
        min(low, high), max(low, high), k - 1,
        has_magnitude=mag_hi is not None or mag_lo is not None,
        explicit_unit=v.parts["currency"] or parts["currency"] or "." in v.number.text,
        ambiguous=amb1 or amb2,
    )  # fmt: skip
    return mention, k


def _as_amount(v: _Value) -> _Reading:
    """One amount: '€ 250.000', '2,5 ton', '250.000'."""
    value, ambiguous = _value_of(v.parts, v.parts["magnitude"], v.in_units)
    mention = v.mention(
        value, value, v.j - 1,
        has_magnitude=v.parts["magnitude"] is not None,
        explicit_unit=v.parts["currency"] or bool(re.search(r"\d[.,]\d{3}", v.number.text)),
        ambiguous=ambiguous,
    )  # fmt: skip
    return mention, v.j


_READINGS = (_as_year, _as_fte, _as_word_count, _as_count, _as_fte_range, _as_range, _as_amount)


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
