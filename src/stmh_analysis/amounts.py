"""Cost text as partners write it -> amounts in euros (the grammar of DESIGN.md, 'How Dutch amounts read').

`parse_amount("€ 200.000 per jaar (2024-2026)")` reads like a person: three years of € 200.000,
so € 600.000 incidental in total, 2024 to 2026. The text is cut into tokens (numbers, magnitudes
such as `mln` and `ton`, currency, period words, year spans, joiners), money expressions are built
from them (`3 à 5 ton` is one range), and every period word is attached to the nearest money
expression, so `€ 150.000 eenmalig + € 50.000 structureel` gets one of each.

Readings that need a choice are flagged, never silent:
- `basis_assumed`: no period anywhere (text or basis column): read as a one-off total.
- `amount_ambiguous`: more than one reading is plausible; the most plausible is kept.
- `fte_converted`: capacity in fte turned into euros with the reference rate.
- `amount_computed`: a count times a unit price (`20 plekken à € 75.000`).
- `amount_partly_pm`: an amount beside `p.m.`; the known part is counted.
Text that cannot be a cost (a date, a negative or absurd amount, a spreadsheet error or formula,
no number at all) raises `AmountError` with the reason.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from dataclasses import asdict, dataclass, field

__all__ = ["Amount", "AmountError", "parse_amount", "format_dutch_number"]


class AmountError(ValueError):
    """The text cannot be read as a cost. `reason` is a short code, the message says why."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Amount:
    """One cost text read as euros. Structural is per year; incidental is the total over its period."""

    structural_low_eur: float = 0.0
    structural_high_eur: float = 0.0
    incidental_low_eur: float = 0.0
    incidental_high_eur: float = 0.0
    first_year: int | None = None
    last_year: int | None = None
    fte: float | None = None
    cost_status: str = "estimated"  # or "pm"
    flags: tuple[str, ...] = ()

    def to_json(self) -> str:
        data = asdict(self)
        data["data_issues"] = ";".join(data.pop("flags"))
        return json.dumps(data, ensure_ascii=False)


# --- normalisation -------------------------------------------------------------------------------

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212"), "-")


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_DASHES)
    # Accents go (tweeënhalf, à), the euro sign stays: it does not decompose.
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = text.lower().replace("\u00a0", " ")
    text = re.sub(r",-{1,2}(?!\d)", " ", text)  # 250.000,- : the dash only closes the amount
    text = re.sub(r"(\d),00\b", r"\1", text)
    text = re.sub(r"\btussen\s+(.+?)\s+en\s+", r"\1 - ", text)  # tussen 3 en 5 ton
    return re.sub(r"\s+", " ", text).strip()


# --- tokens --------------------------------------------------------------------------------------

_WORD_NUMBERS = {
    "een half": 0.5,
    "half": 0.5,
    "een kwart": 0.25,
    "driekwart": 0.75,
    "anderhalf": 1.5,
    "tweeenhalf": 2.5,
    "drieenhalf": 3.5,
    "vierenhalf": 4.5,
    "vijfenhalf": 5.5,
    "een": 1,
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "negen": 9,
    "tien": 10,
}
_MAGNITUDES = [
    (r"miljard\w*|mld|mrd|billion|bn", 1e9),
    (r"miljoen\w*|mln|mio|million|m", 1e6),
    (r"tonnen|ton", 1e5),
    (r"duizend|dzd|thousand|keur|k", 1e3),
]
_TOKEN_SPEC = [
    ("YEARSPAN", r"\b(20\d\d)\s*(?:-|t/m|tm|tot en met|tot|to|through|until|/)\s*(20\d\d)\b"),
    (
        "DURATION",
        r"\b(\d{1,2}|een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien)\s*(?:jaar|jaren|jr|years?)\b",
    ),
    ("FROMYEAR", r"\b(?:vanaf|per|from|m\.i\.v\.|met ingang van)\s+(20\d\d)\b"),
    (
        "PERYEAR",
        r"per jaar|jaarlijks\w*|p/j\b|p\.j\.|/\s*jaa?r\b|/\s*jr\b|per jr\b|per year|per annum|annually|yearly|a year",
    ),
    ("PERMONTH", r"per maand|/\s*maand|maandelijks\w*|per month|monthly"),
    ("STRUCTURAL", r"structure\w*|structural|recurring|doorlopend\w*"),
    ("ONEOFF", r"eenmalig\w*|incidenteel|incidentele|incidental|one[- ]off|in totaal|totaal|total"),
    (
        "PM",
        r"\bp\.?\s?m\b\.?|\bn\.?t\.?b\b\.?|nog niet bekend|nog onbekend|onbekend|nader te bepalen|\btbd\b|to be determined|unknown|\bn\.?v\.?t\b\.?",
    ),
    ("FTE", r"\b(?:fte|vte|formatieplaats\w*)\b"),
    ("PERUNIT", r"\bper\s+([a-z']{3,})"),
    (
        "NUM",
        r"\d{1,3}(?:\.\d{3})+(?:,\d+)?(?!\d)|\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])|\d{1,3}(?: \d{3})+(?![\d.,])|\d+(?:[.,]\d+)?",
    ),
    ("WORDNUM", r"\b(?:" + "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True)) + r")\b"),
    ("MAG", r"(?:" + "|".join(p for p, _ in _MAGNITUDES) + r")(?![a-z])"),
    ("CUR", r"€|\beur(?:o|os)?\b"),
    ("RANGE", r"-|\ba\b|\btot\b|\bto\b|~"),
    ("MULT", r"\bx\b|×|\*"),
    ("JOIN", r"\+|\bplus\b|\ben\b|\band\b|;|,\s|&|\n"),
    ("WORD", r"[a-z']+"),
    ("OTHER", r"."),
]
_TOKEN_RE = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in _TOKEN_SPEC))
_NUMBER_WORDS = {k: v for k, v in _WORD_NUMBERS.items() if " " not in k}


@dataclass
class _Token:
    kind: str
    text: str
    start: int
    end: int
    groups: tuple[str | None, ...] = ()


def _tokenise(text: str) -> list[_Token]:
    tokens = []
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup or "OTHER"
        if kind == "OTHER" and m.group().isspace():
            continue
        groups = tuple(g for g in m.groups() if g is not None)[1:]
        tokens.append(_Token(kind, m.group(), m.start(), m.end(), groups))
    return tokens


# --- numbers -------------------------------------------------------------------------------------


def _read_number(raw: str, has_magnitude: bool) -> tuple[float, bool]:
    """Digits as written -> value, and whether the separators allow another plausible reading."""
    s = raw.replace(" ", "")
    if "." in s and "," in s:
        if s.rfind(",") > s.rfind("."):  # 1.500.000,50 Dutch
            return float(s.replace(".", "").replace(",", ".")), False
        return float(s.replace(",", "")), False  # 1,500,000.50 English
    if "." in s:
        parts = s.split(".")
        if all(len(p) == 3 for p in parts[1:]):  # 1.500 is one thousand five hundred in Dutch
            return float(s.replace(".", "")), has_magnitude and len(parts) == 2
        if len(parts) == 2:
            return float(s), False  # 1.5m
        raise AmountError("amount_unreadable", f"cannot read the number {raw!r}")
    if "," in s:
        parts = s.split(",")
        if len(parts) > 2 and all(len(p) == 3 for p in parts[1:]):
            return float(s.replace(",", "")), False  # 1,250,000
        if len(parts) == 2 and len(parts[1]) == 3:
            # 1,500: Dutch decimal or English thousands. With mln it is the decimal (1,500 mln);
            # without, a cost of € 1,50 is implausible, so thousands. Both flagged.
            if has_magnitude:
                return float(s.replace(",", ".")), True
            return float(s.replace(",", "")), True
        if len(parts) == 2:
            return float(s.replace(",", ".")), False  # 1,5 mln
        raise AmountError("amount_unreadable", f"cannot read the number {raw!r}")
    return float(s), False


def _magnitude(text: str) -> float:
    for pattern, factor in _MAGNITUDES:
        if re.fullmatch(pattern, text):
            return factor
    raise AssertionError(text)  # the tokeniser only yields known magnitudes


def format_dutch_number(value: float, decimals: int = 0) -> str:
    """1250000 -> '1.250.000'; 1.5 with decimals=1 -> '1,5'."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


# --- money expressions ---------------------------------------------------------------------------


@dataclass
class _Money:
    low: float
    high: float
    start: int
    end: int
    is_fte: bool = False
    has_magnitude: bool = False
    explicit_unit: bool = False  # a currency sign or thousands separator was written
    keywords: set[str] = field(default_factory=set)
    span: tuple[int, int] | None = None
    duration: int | None = None
    from_year: int | None = None
    ambiguous: bool = False
    computed: bool = False


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
    if j < len(tokens) and tokens[j].kind == "CUR":
        currency = True
        j += 1
    if number.kind == "WORDNUM" and magnitude is None:
        return None  # 'een meldpunt', 'twee teams': words, not money
    return {
        "number": number,
        "magnitude": magnitude,
        "currency": currency,
        "start": tokens[i].start,
        "end": tokens[j - 1].end,
    }, j


def _value_of(part: dict, magnitude: float | None) -> tuple[float, bool]:
    tok = part["number"]
    if tok.kind == "WORDNUM":
        base, ambiguous = float(_WORD_NUMBERS[tok.text]), False
    else:
        base, ambiguous = _read_number(tok.text, magnitude is not None)
    return base * (magnitude or 1.0), ambiguous


def _build_money(tokens: list[_Token]) -> tuple[list[_Money], list[_Token], list[tuple[int, str]]]:
    """Money expressions, the tokens left over, and bare counts (position, unit word)."""
    money: list[_Money] = []
    rest: list[_Token] = []
    counts: list[tuple[int, float, str]] = []
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
        # A bare 20xx is a year, a bare number before 'fte' is capacity, before a word a count.
        bare = not first["currency"] and first["magnitude"] is None
        if bare and number.kind == "NUM" and re.fullmatch(r"20\d\d", number.text):
            rest.append(_Token("YEAR", number.text, number.start, number.end, (number.text,)))
            i = j
            continue
        if bare and j < len(tokens) and tokens[j].kind == "FTE":
            value, _ = _read_number(number.text, False)
            money.append(_Money(value, value, first["start"], tokens[j].end, is_fte=True))
            i = j + 1
            continue
        if bare and number.kind == "NUM" and j < len(tokens) and tokens[j].kind == "MULT":
            value, _ = _read_number(number.text, False)
            counts.append((number.start, value, ""))  # 10 x € 5.000
            rest.append(_Token("COUNT", number.text, number.start, number.end))
            i = j
            continue
        if bare and number.kind == "NUM" and j < len(tokens) and tokens[j].kind == "WORD":
            value, _ = _read_number(number.text, False)
            counts.append((number.start, value, tokens[j].text))
            rest.append(
                _Token("COUNT", number.text, number.start, tokens[j].end, (tokens[j].text,))
            )
            i = j + 1
            continue
        second = None
        if j + 1 < len(tokens) and tokens[j].kind == "RANGE":
            second = _read_value(tokens, j + 1)
        if second is not None:
            upper, k = second
            mag_hi = upper["magnitude"]
            mag_lo = first["magnitude"]
            if mag_lo is None and mag_hi is not None:
                # 3 à 5 ton, 1-2 mln: the unit written once covers both ends, when that reads sensibly.
                raw_lo, _ = _value_of(first, None)
                raw_hi, _ = _value_of(upper, None)
                if raw_lo <= raw_hi and raw_lo < 1000:
                    mag_lo = mag_hi
            low, amb1 = _value_of(first, mag_lo)
            high, amb2 = _value_of(upper, mag_hi)
            if low > high:
                low, high = high, low
            explicit = first["currency"] or upper["currency"] or "." in number.text
            money.append(
                _Money(
                    low,
                    high,
                    first["start"],
                    upper["end"],
                    has_magnitude=mag_hi is not None,
                    explicit_unit=explicit,
                    ambiguous=amb1 or amb2,
                )
            )
            i = k
            continue
        value, amb = _value_of(first, first["magnitude"])
        explicit = first["currency"] or bool(re.search(r"\d[.,]\d{3}", number.text))
        money.append(
            _Money(
                value,
                value,
                first["start"],
                first["end"],
                has_magnitude=first["magnitude"] is not None,
                explicit_unit=explicit,
                ambiguous=amb,
            )
        )
        i = j
    return money, rest, counts


def _apply_multipliers(money: list[_Money], rest: list[_Token], counts: list) -> None:
    """`20 plekken à € 75.000` and `€ 40.000 per regio, 10 regio's`: count times unit price."""
    for pos, count, unit in counts:
        if not money:
            return
        target = min(money, key=lambda m: min(abs(m.start - pos), abs(m.end - pos)))
        per_units = [t for t in rest if t.kind == "PERUNIT" and t.start >= target.end]
        joined_by_price = target.start > pos and any(
            t.kind in ("RANGE", "MULT") and pos < t.start < target.start for t in rest
        )
        same_unit = any(_same_unit(t.groups[0] if t.groups else "", unit) for t in per_units)
        if joined_by_price or same_unit:
            target.low *= count
            target.high *= count
            target.computed = True


def _same_unit(a: str, b: str) -> bool:
    a, b = a.strip("'s"), b.strip("'s")
    return bool(a) and bool(b) and (a.startswith(b[:4]) or b.startswith(a[:4]))


def _attach(money: list[_Money], rest: list[_Token]) -> bool:
    """Give each period word, year span and duration to the nearest money expression."""
    joined = False
    for tok in rest:
        if tok.kind == "JOIN":
            joined = True
        if tok.kind not in (
            "PERYEAR",
            "PERMONTH",
            "STRUCTURAL",
            "ONEOFF",
            "YEARSPAN",
            "DURATION",
            "YEAR",
            "FROMYEAR",
            "PERUNIT",
        ):
            continue
        if not money:
            continue

        def distance(m: _Money, tok: _Token = tok) -> tuple[int, int]:
            if tok.start >= m.end:
                return (tok.start - m.end, 0)  # after the amount: preferred on a tie
            return (m.start - tok.end, 1)

        target = min(money, key=distance) if len(money) > 1 else money[0]
        if tok.kind == "YEARSPAN":
            first, last = int(tok.groups[0]), int(tok.groups[1])
            target.span = (min(first, last), max(first, last))
        elif tok.kind == "YEAR":
            year = int(tok.groups[0])
            target.span = (year, year) if target.span is None else target.span
        elif tok.kind == "FROMYEAR":
            target.from_year = int(tok.groups[0])
        elif tok.kind == "DURATION":
            word = tok.groups[0]
            target.duration = int(word) if word.isdigit() else int(_NUMBER_WORDS[word])
        elif tok.kind == "PERUNIT":
            unit = tok.groups[0] if tok.groups else ""
            if unit in ("jaar", "maand", "year", "month", "fte"):
                continue
            if not target.computed:
                target.ambiguous = True  # € 40.000 per regio, but how many regions?
        else:
            target.keywords.add(tok.kind)
    return joined


# --- the parse -----------------------------------------------------------------------------------

_DATE_RE = re.compile(r"\b\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})\b|\b20\d\d-\d{1,2}-\d{1,2}\b")
_NEGATIVE_RE = re.compile(
    r"^(?:€|eur\w*)?\s*-\s*(?:€|eur\w*)?\s*\d|(?:€|eur\w*)\s*-\s*\d|\(\s*-\s*\d"
)
_ERROR_VALUES = re.compile(
    r"^#(?:ref!|n/?a|value!|div/0!|name\?|num!|null!|getting_data|spill!|calc!)", re.I
)


def _basis_keywords(text: str) -> tuple[set[str], tuple[int, int] | None, int | None]:
    """Period words, year span and duration from a Structureel/incidenteel or Looptijd cell."""
    keywords: set[str] = set()
    span = None
    duration = None
    for tok in _tokenise(_normalise(text)):
        if tok.kind in ("PERYEAR", "PERMONTH", "STRUCTURAL", "ONEOFF"):
            keywords.add(tok.kind)
        elif tok.kind == "YEARSPAN":
            a, b = int(tok.groups[0]), int(tok.groups[1])
            span = (min(a, b), max(a, b))
        elif tok.kind == "DURATION":
            w = tok.groups[0]
            duration = int(w) if w.isdigit() else int(_NUMBER_WORDS[w])
        elif tok.kind == "NUM" and re.fullmatch(r"20\d\d", tok.text) and span is None:
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
) -> Amount:
    """Read one cost text as a person would.

    text: the cost cell(s) as submitted. basis: the Structureel/incidenteel cell, if any.
    duration: the Looptijd cell, if any. scale: the column's unit (1000 for a `x € 1.000` header),
    applied to numbers written without a magnitude. fte_rate_eur: euros per fte per year.
    max_amount_eur: larger amounts are rejected as implausible (None: no limit).
    """
    raw = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
    s = _normalise(raw)
    flags: list[str] = []
    if not s or re.fullmatch(r"[-?.\s/]*", s):
        return Amount(cost_status="pm", flags=("amount_missing",))
    if s.startswith("="):
        raise AmountError("formula", f"a spreadsheet formula, not a value: {raw[:60]!r}")
    if _ERROR_VALUES.match(s):
        raise AmountError("error_value", f"a spreadsheet error value: {raw[:60]!r}")
    if _DATE_RE.search(s):
        raise AmountError("date_not_amount", f"looks like a date, not an amount: {raw[:60]!r}")
    if _NEGATIVE_RE.search(s):
        raise AmountError("negative_amount", f"a negative amount is not a cost: {raw[:60]!r}")

    tokens = _tokenise(s)
    has_pm = any(t.kind == "PM" for t in tokens)
    money, rest, counts = _build_money(tokens)
    if not money:
        if has_pm:
            return Amount(cost_status="pm")
        raise AmountError("amount_unreadable", f"no amount found in {raw[:80]!r}")
    if has_pm:
        flags.append("amount_partly_pm")
    _apply_multipliers(money, rest, counts)
    joined = _attach(money, rest)
    if len(money) > 1 and not joined:
        flags.append("amount_ambiguous")  # several amounts with nothing saying how they add up

    col_keywords, col_span, col_duration = _basis_keywords(
        " ".join(str(x) for x in (basis, duration) if x is not None and x == x)
    )

    structural = [0.0, 0.0]
    incidental = [0.0, 0.0]
    years: list[int] = []
    fte_total = 0.0
    for m in money:
        low, high = m.low, m.high
        if m.is_fte:
            fte_total += low
            low, high = low * fte_rate_eur, high * fte_rate_eur
            flags.append("fte_converted")
        elif not m.has_magnitude and scale != 1.0:
            if m.explicit_unit and low >= 10_000:
                flags.append("amount_ambiguous")  # '€ 75.000' under a 'x € 1.000' header
            low, high = low * scale, high * scale
        elif not m.has_magnitude and high < 1_000:
            flags.append("amount_ambiguous")  # '€ 250' is probably thousands
        if m.ambiguous:
            flags.append("amount_ambiguous")
        if m.computed:
            flags.append("amount_computed")
        keywords = set(m.keywords)
        span, n_years = m.span, m.duration
        if not keywords:
            keywords = set(col_keywords)
        elif keywords and col_keywords and _kind(keywords) != _kind(col_keywords):
            flags.append("amount_ambiguous")  # the text and the basis column disagree
        if span is None and n_years is None:
            span, n_years = col_span, col_duration
        if "PERMONTH" in keywords:
            low, high = low * 12, high * 12
            keywords.add("PERYEAR")
        if span is not None and n_years is None:
            n_years = span[1] - span[0] + 1
        kind = _kind(keywords)
        if kind == "none" and m.is_fte:
            kind = "structural"  # capacity is asked per year
        if kind == "none":
            if n_years and n_years > 1:
                flags.append("amount_ambiguous")  # per year or in total over the period?
            flags.append("basis_assumed")
            kind = "oneoff"
        if kind == "structural" and n_years is not None:
            kind = "per_year_limited"
            if "STRUCTURAL" in keywords and not keywords & {"PERYEAR", "PERMONTH"}:
                flags.append("amount_ambiguous")  # 'structureel' with an end date
        if kind == "structural":
            structural[0] += low
            structural[1] += high
            if m.from_year:
                years.append(m.from_year)
        elif kind == "per_year_limited":
            incidental[0] += low * n_years
            incidental[1] += high * n_years
            if span:
                years.extend(span)
        else:
            incidental[0] += low
            incidental[1] += high
            if span:
                years.extend(span)
            elif m.from_year:
                years.append(m.from_year)
    if max_amount_eur is not None:
        biggest = max(structural[1], incidental[1])
        if biggest > max_amount_eur:
            raise AmountError(
                "amount_implausible",
                f"€ {format_dutch_number(biggest)} is above the plausibility limit of "
                f"€ {format_dutch_number(max_amount_eur)}: {raw[:60]!r}",
            )
    return Amount(
        structural_low_eur=round(structural[0], 2),
        structural_high_eur=round(structural[1], 2),
        incidental_low_eur=round(incidental[0], 2),
        incidental_high_eur=round(incidental[1], 2),
        first_year=min(years) if years else None,
        last_year=max(years) if years and (incidental[1] > 0 or len(set(years)) > 1) else None,
        fte=fte_total or None,
        cost_status="estimated",
        flags=tuple(dict.fromkeys(flags)),
    )


def _kind(keywords: set[str]) -> str:
    """The basis the period words give: structural, oneoff, or none."""
    if "ONEOFF" in keywords:
        return "oneoff"
    if keywords & {"PERYEAR", "PERMONTH", "STRUCTURAL"}:
        return "structural"
    return "none"
