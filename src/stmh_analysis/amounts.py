"""Cost text as partners write it -> amounts in euros (docs/contract.md, 'How Dutch amounts read').

`parse_amount("€ 200.000 per jaar (2024-2026)")` reads like a careful analyst: three years of
€ 200.000, so € 600.000 incidental in total, 2024 to 2026. The reading goes in four passes:

1. **tokens**: numbers, magnitudes (`mln`, `ton`), currency, period words, years and year spans,
   percentages, article numbers, joiners and relation words (`waarvan`, `daarna`, `naar`).
2. **mentions**: money expressions (`3 à 5 ton` is one range), fte counts, and context that is
   never euros (a year, `21%`, `artikel 4.2`, `prijspeil 2024`, `12 gemeenten`).
3. **attachment**: each period word, span or duration goes to the nearest amount in its own clause.
4. **relations**: several amounts are one of: parts to add, a total with its breakdown or
   restatement, an old and a new estimate, a yearly figure and its period total, a one-off then a
   yearly amount, a rising path to a structural level. The relation found is `Amount.reading`.

Readings that need a choice are flagged, never silent, and each flag has a Dutch reason in
`Amount.notes`:
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

__all__ = [
    "Amount",
    "AmountError",
    "amount_from_number",
    "amount_from_years",
    "format_dutch_number",
    "parse_amount",
]


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
    reading: str = ""  # the relation seen between the figures, e.g. "total with breakdown"
    notes: tuple[str, ...] = ()  # why each flag was raised, in Dutch

    def to_json(self) -> str:
        data = asdict(self)
        data["data_issues"] = ";".join(data.pop("flags"))
        data["notes"] = list(self.notes)
        return json.dumps(data, ensure_ascii=False)


# --- normalisation -------------------------------------------------------------------------------

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212"), "-")
_MONTHS = (
    r"januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    r"|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec"
)
# `(x € 1.000)`, `bedragen x 1.000 euro`, `(in duizenden euro's)`: a unit for the other figures.
_SCALE_MARKER = re.compile(
    r"\(?\s*(?:bedragen\s+)?(?:x|×|\*)\s*(?:€|eur\w*)?\s*(1\.000\.000|1000000|1\.000|1000|1 ?mln|1 ?miljoen|mln|miljoen|duizend)\s*(?:€|eur\w*)?\s*\)?"
    r"|\(\s*(?:bedragen\s+)?in\s+(?:€\s*)?(duizenden|miljoenen|1\.000|mln|miljoenen)\s*(?:euro'?s?|€)?\s*\)"
)


def _scale_value(word: str) -> float:
    word = word.replace(" ", "")
    if word in ("1.000.000", "1000000", "1mln", "1miljoen", "mln", "miljoen", "miljoenen"):
        return 1e6
    return 1e3


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).translate(_DASHES)
    # Accents go (tweeënhalf, à), the euro sign stays: it does not decompose.
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    text = text.lower().replace("\u00a0", " ")
    text = re.sub(r"[\r\n]+", " ; ", text)  # two parts on two lines are two clauses
    text = re.sub(r",-{1,2}(?!\d)", " ", text)  # 250.000,- : the dash only closes the amount
    text = re.sub(r"(\d),00\b", r"\1", text)
    text = re.sub(r"(\d)\s*(?:k€|keur)\b", r"\1k", text)
    text = re.sub(r"\been\s+hal(?:f|ve)\b", "half", text)
    text = re.sub(r"\btussen\s+(.+?)\s+en\s+", r"\1 - ", text)  # tussen 3 en 5 ton
    return re.sub(r"[ \t]+", " ", text).strip(" ;")


# --- Dutch number words --------------------------------------------------------------------------

_UNITS = {"een": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8}
_UNITS["negen"] = 9
_TEENS = {"tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15}
_TEENS |= {"zestien": 16, "zeventien": 17, "achttien": 18, "negentien": 19}
_TENS = {"twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50, "zestig": 60, "zeventig": 70}
_TENS |= {"tachtig": 80, "negentig": 90}
_HALVES = {"half": 0.5, "halve": 0.5, "anderhalf": 1.5, "anderhalve": 1.5, "kwart": 0.25}
_HALVES["driekwart"] = 0.75


def _word_number(word: str) -> float | None:
    """'dertig' -> 30, 'tweeenhalf' -> 2.5, 'vijfentwintig' -> 25, 'driehonderd' -> 300."""
    if not word or not word.isalpha():
        return None
    if word in _HALVES:
        return _HALVES[word]
    for suffix in ("eneenhalf", "eneenhalve", "enhalf", "enhalve"):
        if word.endswith(suffix):
            head = _word_number(word[: -len(suffix)])
            return None if head is None else head + 0.5
    if word in _UNITS:
        return float(_UNITS[word])
    if word in _TEENS:
        return float(_TEENS[word])
    if word in _TENS:
        return float(_TENS[word])
    for tens, value in _TENS.items():
        if word.endswith("en" + tens):
            unit = _UNITS.get(word[: -len(tens) - 2])
            return None if unit is None else float(value + unit)
    if word.endswith("duizend") or "duizend" in word[:-1]:
        head, _, tail = word.partition("duizend")
        thousands = 1.0 if not head else _word_number(head)
        rest = 0.0 if not tail else _word_number(tail.removeprefix("en"))
        if thousands is None or rest is None or rest >= 1000:
            return None
        return thousands * 1000 + rest
    if "honderd" in word:
        head, _, tail = word.partition("honderd")
        hundreds = 1.0 if not head else _word_number(head)
        rest = 0.0 if not tail else _word_number(tail.removeprefix("en"))
        if hundreds is None or rest is None or hundreds >= 10 or rest >= 100:
            return None
        return hundreds * 100 + rest
    return None


# --- tokens --------------------------------------------------------------------------------------

_MAGNITUDES = [
    (r"miljard\w*|mld|mrd|billion|bn", 1e9),
    (r"miljoen\w*|mln|mio|million|m", 1e6),
    (r"tonnen|ton", 1e5),
    (r"duizend|dzd|thousand|keur|k", 1e3),
]
_Y = r"(?:19[89]\d|20\d\d)"
_TOKEN_SPEC = [
    ("PAREN", r"[()\[\]]"),
    ("DATE", r"\b\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})\b|\b20\d\d-\d{1,2}-\d{1,2}\b"),
    (
        "FROMYEAR",
        rf"\b(?:vanaf|per|from|m\.?\s?i\.?\s?v\.?|met ingang van|ingaande|sinds|starting)\s+(?:\d{{1,2}}\s+)?(?:(?:{_MONTHS})\s+)?(?:het jaar\s+)?({_Y})\b"
        rf"|\b({_Y})\s*(?:e\.\s?v\.?|e\.v\b|ev\b|en verder|en volgende jaren|en later|en daarna)",
    ),
    ("DATEWORD", rf"\b\d{{1,2}}\s+(?:{_MONTHS})\s+({_Y})\b"),
    ("PRICELEVEL", rf"\b(?:prijspeil|prijsniveau|loon- en prijspeil|pp|lp)\s*(?:van\s+)?({_Y})\b"),
    (
        "YEARSPAN",
        rf"\b({_Y})\s*(?:-|t/m|tm|tot en met|tot|to|through|until|/)\s*({_Y}|\d\d)\b(?![.,]\d)",
    ),
    ("YEARLIST", rf"\b({_Y})(?:\s*(?:,|en|&)\s*{_Y})+\b"),
    ("UNTILYEAR", rf"\b(?:tot en met|t/m|tm|tot|until|uiterlijk|through)\s+({_Y})\b"),
    (
        "PERIODTOTAL",
        r"\b(?:voor|over|in|gedurende|tijdens|binnen)\s+de\s+(?:hele\s+|gehele\s+)?(?:periode|looptijd|jaren|projectperiode|programmaperiode)\b|\bverdeeld over\b|\bgespreid over\b",
    ),
    ("PERCENT", r"\d+(?:[.,]\d+)?\s*(?:%|procent\b)"),
    (
        "ARTICLE",
        r"\b(?:artikel(?:onderdeel)?|art\.?|lid|hoofdstuk|paragraaf|par\.|§|bijlage|motie|amendement|kamerstuk(?:ken)?|nr\.?|nummer)\s*\d+(?:[.:/]\d+)*[a-z]?\b",
    ),
    (
        "DURATION",
        r"\b(\d{1,2}|een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|anderhalf)\s*(?:jaar|jaren|jr|years?|kalenderjaren|begrotingsjaren)\b",
    ),
    ("DURATIONMONTHS", r"\b(\d{1,2})\s*(?:maanden|mnd|months)\b"),
    (
        "PERYEAR",
        r"per jaar|jaarlijks\w*|p/j\b|p\.j\.?|/\s*jaa?r\b|/\s*jr\b|per jr\b|per year|per annum|p\.a\.|annually|yearly|a year"
        r"|elk(?:e)? jaar|ieder(?:e)? jaar|op jaarbasis|per kalenderjaar|per begrotingsjaar|jaarbedrag",
    ),
    ("PERQUARTER", r"per kwartaal|/\s*kwartaal|driemaandelijks\w*|per quarter|quarterly"),
    ("PERMONTH", r"per maand|/\s*maand|/\s*mnd|p/m\b|maandelijks\w*|per month|monthly"),
    ("PERWEEK", r"per week|/\s*week|wekelijks\w*|per week"),
    ("STRUCTURAL", r"structure\w*|structural|recurring|doorlopend\w*|permanent\w*"),
    (
        "ONEOFF",
        r"eenmalig\w*|incidente\w*|incidental|one[- ]off|opstart\w*|aanloopkosten|startkosten|investering\w*",
    ),
    (
        "TOTAL",
        r"\bin totaal\b|\btota(?:al|le)\b|\btotal\b|\bsamen\b|\bopgeteld\b|\bbij elkaar\b|\bcumulatief\b",
    ),
    (
        "PM",
        r"\bp\.?\s?m\b\.?|\bn\.?t\.?b\b\.?|\bn\.?n\.?b\b\.?|nog niet bekend|nog onbekend|onbekend|nader te bepalen|nog te bepalen"
        r"|nader in te vullen|(?:nog )?niet (?:goed )?(?:in|te) (?:te )?schatten|nog niet te bepalen|volgt nog|volgt later|pro memorie"
        r"|\btbd\b|to be determined|unknown|\bn\.?v\.?t\b\.?",
    ),
    (
        "ZERO",
        r"budget\s?neutra\w*|kosten\s?neutra\w*|geen (?:extra |aanvullende |additionele |financiele )?(?:kosten|middelen|financiering)"
        r"|binnen (?:de )?bestaande (?:middelen|budgetten|begroting|capaciteit)|zonder (?:extra )?kosten|\bnihil\b|kosteloos",
    ),
    ("FTE", r"\b(?:fte'?s?|vte'?s?|formatieplaats\w*)\b"),
    (
        "OLD",
        r"\beerder\b|\boorspronkelijk\w*|\bvoorheen\b|\baanvankelijk\b|\bwas\b|\bvorige raming\b|\boude raming\b|\bin plaats van\b|\bi\.?p\.?v\.?|\bdestijds\b",
    ),
    (
        "NEW",
        r"\bnaar\b|\bnu\b|\bthans\b|\binmiddels\b|\bbijgesteld\w*|\bopgelopen\b|\bgestegen\b|\bverhoogd\b|\bverlaagd\b|\bgedaald\b|\bnieuwe raming\b|\bactuele raming\b|\bherzien\w*",
    ),
    (
        "RAMP",
        r"\boplopend\w*|\bloopt op\b|\bgroeiend\w*|\bingroei\w*|\bafbouwend\w*|\baflopend\w*|\bstijgend\w*",
    ),
    (
        "THEN",
        r"\bdaarna\b|\bvervolgens\b|\bnadien\b|\berna\b|\bdaaropvolgend\w*|\bin latere jaren\b|\bde jaren daarna\b",
    ),
    (
        "BREAKDOWN",
        r"\bwaarvan\b|\bbestaande uit\b|\bopgebouwd uit\b|\bonderverdeeld in\b|\bverdeeld over\b|\buitgesplitst\w*|\bbestaat uit\b|\bte weten\b|\bnamelijk\b|\bzijnde\b",
    ),
    (
        "RESTATE",
        r"=|\boftewel\b|\bofwel\b|\bd\.?w\.?z\.?|\bdat wil zeggen\b|\bdat is\b|\bi\.e\.|\bkomt neer op\b|\bneerkomend op\b|\bovereenkomend met\b|\bgelijk aan\b",
    ),
    ("EACH", r"\btelkens\b|\belk\b|\bieder\b|\bsteeds\b"),
    (
        "FRACTION",
        r"\bde helft\b|\bhelft\b|\been derde\b|\btweederde\b|\been kwart\b|\bdriekwart van\b",
    ),
    (
        "EXISTING",
        r"\bhuidige\b|\bbestaande\b|\breeds beschikbare\b|\blopende\b|\bbovenop\b|\bal beschikbare\b",
    ),
    (
        "COFUND",
        r"\bcofinancier\w*|\bco-financier\w*|\bmedefinancier\w*|\beigen bijdrage\b|\bgedekt\b|\bdekking\b",
    ),
    ("PERUNIT", r"\bper\s+([a-z']{3,})"),
    (
        "NUM",
        r"\d{1,3}(?:\.\d{3})+(?:,\d+)?(?!\d)|\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])|\d{1,3}(?: \d{3})+(?![\d.,])|\d+(?:[.,]\d+)?",
    ),
    ("MAG", r"(?:" + "|".join(p for p, _ in _MAGNITUDES) + r")\.?(?![a-z])"),
    ("CUR", r"€|\beur(?:o'?s|os|o)?\b"),
    ("RANGE", r"\btot en met\b|\bt/m\b|\btot maximaal\b|\btot\b|\bto\b|-|\ba\b|~|\bof\b"),
    ("MULT", r"\bx\b|×|\*|\bmaal\b"),
    (
        "JOIN",
        r"\+|\bplus\b|\ben\b|\band\b|;|,\s|&|\bdaarnaast\b|\baangevuld met\b|\bvermeerderd met\b|\balsmede\b|\bevenals\b",
    ),
    ("COLON", r":"),
    ("WORD", r"[a-z']+"),
    ("OTHER", r"."),
]
_TOKEN_RE = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in _TOKEN_SPEC))
_PERIOD_KINDS = ("PERYEAR", "PERQUARTER", "PERMONTH", "PERWEEK", "STRUCTURAL", "ONEOFF", "TOTAL")
_PER_YEAR_FACTOR = {"PERQUARTER": 4, "PERMONTH": 12, "PERWEEK": 52}


@dataclass
class _Token:
    kind: str
    text: str
    start: int
    end: int
    groups: tuple[str | None, ...] = ()
    depth: int = 0  # parentheses around it
    clause: int = 0  # the clause it stands in (split at ; + en , and parentheses)


def _tokenise(text: str) -> list[_Token]:
    tokens = []
    depth = clause = 0
    for m in _TOKEN_RE.finditer(text):
        kind = m.lastgroup or "OTHER"
        if kind == "OTHER" and m.group().isspace():
            continue
        groups = tuple(g for g in m.groups() if g is not None)[1:]
        if kind == "WORD":
            value = _word_number(m.group())
            if value is not None:
                kind, groups = "WORDNUM", (str(value),)
        if kind == "PAREN":
            clause += 1
            depth = depth + 1 if m.group() in "([" else max(0, depth - 1)
            continue
        if kind in ("JOIN", "THEN", "BREAKDOWN", "RESTATE"):
            clause += 1
        tokens.append(_Token(kind, m.group(), m.start(), m.end(), groups, depth, clause))
        if kind in ("JOIN", "THEN", "BREAKDOWN", "RESTATE"):
            clause += 1
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
        raise AmountError("amount_unreadable", f"het getal {raw!r} is niet te lezen")
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
        raise AmountError("amount_unreadable", f"het getal {raw!r} is niet te lezen")
    return float(s), False


def _magnitude(text: str) -> float:
    text = text.rstrip(".")
    for pattern, factor in _MAGNITUDES:
        if re.fullmatch(pattern, text):
            return factor
    raise AssertionError(text)  # the tokeniser only yields known magnitudes


def format_dutch_number(value: float, decimals: int = 0) -> str:
    """1250000 -> '1.250.000'; 1.5 with decimals=1 -> '1,5'."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


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
        if tok.kind == "YEARSPAN":
            a, b = int(tok.groups[0]), int(tok.groups[1])
            if b < 100:
                b += a // 100 * 100
            target.span = (min(a, b), max(a, b))
        elif tok.kind == "YEARLIST":
            years = [int(y) for y in re.findall(_Y, tok.text)]
            target.span = (min(years), max(years))
            target.duration = float(len(set(years)))
        elif tok.kind in ("YEAR", "DATEWORD"):
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
        elif tok.kind == "EACH":
            target.keywords.add("_each")
        elif tok.kind in _PERIOD_KINDS:
            target.keywords.add(tok.kind)
            if tok.text == "p/m":
                target.keywords.add("_slash_pm")
    return relations


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


# --- one mention read on its own -----------------------------------------------------------------


@dataclass
class _Part:
    kind: str  # "structural", "incidental"
    low: float
    high: float
    start: int | None = None  # first year
    end: int | None = None  # last year (incidental only)
    is_total: bool = False


def _kind(keywords: set[str]) -> str:
    """The basis the period words give: structural, oneoff, or none."""
    if "ONEOFF" in keywords:
        return "oneoff"
    if keywords & {"PERYEAR", "PERMONTH", "PERQUARTER", "PERWEEK", "STRUCTURAL"}:
        return "structural"
    if "TOTAL" in keywords:
        return "oneoff"
    return "none"


class _Reader:
    """Collects flags with their Dutch reasons while one text is read."""

    def __init__(self) -> None:
        self.flags: list[str] = []
        self.notes: list[str] = []

    def flag(self, code: str, note: str) -> None:
        if code not in self.flags:
            self.flags.append(code)
        if note not in self.notes:
            self.notes.append(note)


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
    from_year = m.from_year
    if span and m.single_year and "STRUCTURAL" in keywords and not n_years:
        span, from_year = None, span[0]  # 'structureel in 2027': from 2027 on
    if m.from_year and m.until_year:
        span = (m.from_year, m.until_year)
    elif m.until_year and span is None and m.from_year is None and not m.duration:
        r.flag(
            "amount_ambiguous",
            f"een eindjaar ({m.until_year}) zonder beginjaar: als doorlopend bedrag gelezen",
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
    kind = _kind(keywords)
    if kind == "none" and m.is_fte:
        kind = "structural"  # capacity is asked per year
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
        start = span[0] if span else m.from_year
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
        span[0] if span else m.from_year,
        span[1] if span else None,
        "TOTAL" in keywords,
    )


# --- relations between mentions ------------------------------------------------------------------


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= max(1.0, 0.01 * max(abs(a), abs(b)))


def _between(tokens: list[_Token], a: _Money, b: _Money, kinds: set[str]) -> bool:
    return any(t.kind in kinds for t in tokens[a.last + 1 : b.first])


def _before(tokens: list[_Token], m: _Money, kinds: set[str], reach: int = 4) -> bool:
    """A word of `kinds` shortly before the amount, with no other figure in between."""
    window = tokens[max(0, m.first - reach) : m.first]
    for t in reversed(window):
        if t.kind in ("NUM", "CUR", "MAG", "JOIN"):
            return False
        if t.kind in kinds:
            return True
    return False


def _inner_of(outer: _Money, money: list[_Money], tokens: list[_Token]) -> list[_Money]:
    """The amounts that explain `outer`: its parentheses right after it, or a clause opened by
    'waarvan', 'oftewel' or a colon, up to the next ';' or 'daarna'."""
    k = outer.last + 1
    skippable = set(_PERIOD_KINDS) | {
        "YEAR",
        "YEARSPAN",
        "FROMYEAR",
        "UNTILYEAR",
        "DURATION",
        "PERIODTOTAL",
        "WORD",
        "OTHER",
        "PRICELEVEL",
        "PERCENT",
    }
    while (
        k < len(tokens)
        and tokens[k].depth == outer.depth
        and (
            tokens[k].kind in skippable
            or (tokens[k].kind == "JOIN" and tokens[k].text.strip() == ",")
        )
    ):
        k += 1
    if k >= len(tokens):
        return []
    if tokens[k].depth > outer.depth:
        end = k
        while end < len(tokens) and tokens[end].depth > outer.depth:
            end += 1
        return [m for m in money if not m.dropped and m is not outer and k <= m.first < end]
    if tokens[k].kind in ("BREAKDOWN", "RESTATE", "COLON"):
        end = k + 1
        while end < len(tokens) and not (
            tokens[end].kind == "THEN"
            or (tokens[end].kind == "JOIN" and tokens[end].text.strip() == ";")
        ):
            end += 1
        return [m for m in money if not m.dropped and m is not outer and k < m.first < end]
    return []


def _resolve(
    money: list[_Money], tokens: list[_Token], relations: list[str], r: _Reader, read
) -> str:
    """Decide how the amounts relate: mark the mentions not to count (`dropped`), raise the
    relation's flags, and return the name of the relation."""
    live = [m for m in money if not m.dropped]
    if len(live) == 1:
        m = live[0]
        if "RAMP" in relations:
            r.flag("amount_ambiguous", "een oplopend bedrag: alleen het genoemde niveau is geteld")
        return (
            "count x unit price"
            if m.computed
            else ("range" if m.low != m.high else "single amount")
        )

    reading = "parts added"
    # 0. money that exists already ('bovenop de huidige € 200.000') is context, not the ask
    existing = [m for m in live if _before(tokens, m, {"EXISTING"}, 4)]
    if existing and len(existing) < len(live):
        for m in existing:
            m.dropped = "existing budget"
        reading = "extra on top of an existing budget"
        live = [m for m in live if not m.dropped]
    # 1. an old and a new estimate: keep the new one
    olds = (
        []
        if "RAMP" in relations
        else [
            m
            for m in live
            if _before(tokens, m, {"OLD"}, 4)
            or (
                m.depth > 0
                and any(
                    t.kind == "OLD" and t.depth == m.depth
                    for t in tokens[max(0, m.first - 3) : m.first]
                )
            )
        ]
    )
    for a, b in zip(live, live[1:], strict=False):
        if "RAMP" in relations:
            break
        if _between(tokens, a, b, {"NEW"}) and not _between(tokens, a, b, {"JOIN"}):
            olds.append(a)
    if olds and len(olds) < len(live):
        for m in olds:
            m.dropped = "old estimate"
        reading = "old and new estimate"
        live = [m for m in live if not m.dropped]

    # 2. a total followed by its breakdown or restatement (in parentheses, after 'waarvan', ':')
    for outer in list(live):
        if outer.dropped:
            continue
        inner = _inner_of(outer, live, tokens)
        if not inner:
            continue
        outer_part = read(outer)
        inner_parts = [read(m) for m in inner]
        same_money = _same_money(outer, outer_part, inner, inner_parts)
        for m in inner:
            m.dropped = "breakdown"
        if outer.is_fte and not any(m.is_fte for m in inner):
            # '2 fte (ca. € 200.000 per jaar)': the euros are the fte's cost, counted once
            outer.dropped = "fte with its cost"
            for m in inner:
                m.dropped = ""
                m.fte_count = outer.low
                if _kind(m.keywords) == "none":
                    m.keywords |= (outer.keywords & set(_PERIOD_KINDS)) or {"PERYEAR"}
                if m.span is None and outer.span is not None:
                    m.span, m.duration = outer.span, outer.duration
                m.from_year = m.from_year or outer.from_year
            reading = "capacity with its cost"
        elif not outer.is_fte and all(m.is_fte for m in inner):
            outer.fte_count = sum(m.low for m in inner)
            if _kind(outer.keywords) == "none":
                outer.keywords.add("PERYEAR")  # capacity is yearly, so is its cost
            reading = "cost with its capacity"
        elif same_money is None and _partial_breakdown(outer, inner, tokens):
            reading = "total with a part named"
        elif same_money is None:
            r.flag(
                "amount_ambiguous",
                "de uitsplitsing telt niet op tot het genoemde bedrag: alleen het hoofdbedrag is geteld",
            )
            reading = "total with breakdown that does not add up"
        else:
            if same_money:
                _inherit(outer, inner)
            reading = "total with breakdown" if len(inner) > 1 else "total with restatement"
        live = [m for m in live if not m.dropped]

    # 3. a total among parts: the total wins when the parts add up to it
    if len(live) > 1:
        totals = [m for m in live if "TOTAL" in m.keywords]
        others = [m for m in live if "TOTAL" not in m.keywords]
        if len(totals) == 1 and others:
            total = totals[0]
            total_part = read(total)
            parts = [read(m) for m in others]
            yearly = [p for p in parts if p.kind == "structural"]
            if _close(sum(p.low for p in parts), total_part.low) and all(
                p.kind == "incidental" for p in parts
            ):
                for m in others:
                    m.dropped = "breakdown"
                _inherit(total, others)
                yearly_parts = any("PERYEAR" in m.keywords for m in others)
                reading = (
                    "yearly amount and its period total" if yearly_parts else "total with breakdown"
                )
            elif len(parts) == 1 and (yearly or others[0].duration or others[0].span):
                per_year = others[0]
                ratio = total_part.low / per_year.low if per_year.low else 0
                if parts[0].kind == "incidental" and _close(parts[0].low, total_part.low):
                    total.dropped = (
                        "restatement"  # the yearly amount with its period is the same money
                    )
                elif ratio >= 2 and abs(ratio - round(ratio)) < 0.01:
                    per_year.dropped = "yearly amount of the total"
                    if per_year.from_year and not total.span:
                        total.span = (per_year.from_year, per_year.from_year + round(ratio) - 1)
                else:
                    per_year.dropped = "yearly amount of the total"
                    r.flag(
                        "amount_ambiguous",
                        "het jaarbedrag en het totaal passen niet bij elkaar: het totaal is geteld",
                    )
                reading = "yearly amount and its period total"
            else:
                for m in others:
                    m.dropped = "breakdown"
                r.flag(
                    "amount_ambiguous",
                    "de delen tellen niet op tot het genoemde totaal: het totaal is geteld",
                )
                reading = "total with breakdown that does not add up"
            live = [m for m in live if not m.dropped]

    # 4. restatement without a marker: a yearly amount with a period and its own total
    if len(live) == 2:
        a, b = live
        pa, pb = read(a), read(b)
        one_limited = (
            pa.kind == "incidental" and (a.duration or a.span) and "PERYEAR" in a.keywords
        ) or (pb.kind == "incidental" and (b.duration or b.span) and "PERYEAR" in b.keywords)
        if (
            one_limited
            and not _between(tokens, a, b, {"JOIN"})
            and _close(pa.low, pb.low)
            and _close(pa.high, pb.high)
        ):
            (b if "PERYEAR" in a.keywords else a).dropped = "restatement"
            reading = "yearly amount and its period total"
            live = [m for m in live if not m.dropped]

    # 4b. the same figure twice with nothing joining them ('12 fte à € 110.000 = € 1,32 mln')
    if len(live) == 2 and not _between(tokens, live[0], live[1], {"JOIN", "THEN"}):
        a, b = live
        pa, pb = read(a), read(b)
        if pa.kind == pb.kind and _close(pa.low, pb.low) and _close(pa.high, pb.high):
            (b if a.computed or a.span or a.fte_count else a).dropped = "restatement"
            reading = "total with restatement"
            live = [m for m in live if not m.dropped]

    # 5. a one-off, then a yearly amount ('in 2025 € 300.000, daarna € 150.000 per jaar')
    if "THEN" in relations and len(live) >= 2:
        first, later = live[0], live[1:]
        if _kind(first.keywords) == "none":
            first.keywords.add("ONEOFF")
        last_year = (first.span or (None, first.from_year))[1]
        for m in later:
            if (
                _kind(m.keywords) == "structural"
                and not m.from_year
                and last_year
                and not m.span
                and not m.duration
            ):
                m.from_year = last_year + 1
        reading = "one-off then yearly"

    # 6. a rising path: the last level is the structural amount
    if "RAMP" in relations and len(live) >= 2:
        final = live[-1]
        for m in live[:-1]:
            m.dropped = "step on the way"
        if _kind(final.keywords) == "none":
            final.keywords.add("STRUCTURAL")
        r.flag(
            "amount_ambiguous",
            "een oplopend bedrag: het eindniveau is als structureel bedrag geteld, de tussenjaren niet",
        )
        reading = "rising to a structural level"
        live = [final]

    # 7. what is left is added; say so when nothing in the text says they add up
    if len(live) > 1 and reading == "parts added":
        for a, b in zip(live, live[1:], strict=False):
            pa, pb = read(a), read(b)
            joined = _between(tokens, a, b, {"JOIN", "THEN"}) or a.clause != b.clause
            distinct = pa.kind != pb.kind or (pa.start != pb.start and pa.start and pb.start)
            if not joined and not distinct:
                r.flag(
                    "amount_ambiguous",
                    "meerdere bedragen zonder dat de tekst zegt hoe ze samenhangen: ze zijn opgeteld",
                )
                break
    return reading


def _partial_breakdown(outer: _Money, inner: list[_Money], tokens: list[_Token]) -> bool:
    """'€ 1,75 mln, waarvan € 0,25 mln voor monitoring': a part of the total, named."""
    words = {t.text for t in tokens[outer.last + 1 : inner[0].first]}
    named = words & {"waarvan", "waaronder", "inclusief", "incl", "inbegrepen", "onder andere"}
    return bool(named) and sum(m.high for m in inner) < outer.low


def _same_money(
    outer: _Money, outer_part: _Part, inner: list[_Money], inner_parts: list[_Part]
) -> bool | None:
    """True: the inner amounts restate the outer one; False: the outer has its own period; None: they disagree."""
    total_low = sum(p.low for p in inner_parts)
    total_high = sum(p.high for p in inner_parts)
    if _close(total_low, outer_part.low) and _close(total_high, outer_part.high):
        return True
    if _close(total_low, outer.low) or _close(total_high, outer.high):
        return True
    # '€ 100.000 (€ 50.000 per jaar, 2 jaar)' read per mention may differ in kind; compare raw sums
    if _close(sum(m.low for m in inner), outer.low):
        return True
    if all(m.is_fte for m in inner):
        return False
    years = outer.duration or (outer.span[1] - outer.span[0] + 1 if outer.span else None)
    yearly = all("PERYEAR" in m.keywords and not (m.duration or m.span) for m in inner)
    if years and yearly and _close(sum(m.low for m in inner) * years, outer.low):
        return True  # '€ 450.000 in drie jaar (€ 150.000 per jaar)'
    return None


def _inherit(outer: _Money, inner: list[_Money]) -> None:
    """The outer amount takes the period the breakdown states, when it states none itself."""
    if outer.span is None:
        spans = [m.span for m in inner if m.span]
        if spans and len(spans) == len(inner):
            outer.span = (min(a for a, _ in spans), max(b for _, b in spans))
    if _kind(outer.keywords) != "none":
        return
    if any("PERYEAR" in m.keywords for m in inner) and (outer.duration or outer.span):
        outer.keywords.add("TOTAL")  # a total over its years, restated per year
        return
    limited = [m for m in inner if m.duration or m.span]
    if limited and all("PERYEAR" in m.keywords for m in limited):
        # '€ 600.000 (3 jaar à € 200.000)': the outer amount is the total over that period
        outer.keywords.add("TOTAL")
        m = limited[0]
        if m.span:
            outer.span = m.span
        return
    dated = [m.span for m in inner if m.span]
    if dated and len(dated) == len(inner):
        # '€ 1,2 mln (2024: € 400.000; 2025: € 800.000)': a total over those years
        outer.keywords.add("TOTAL")
        outer.span = (min(a for a, _ in dated), max(b for _, b in dated))
        return
    kinds = {_kind(m.keywords) for m in inner}
    if len(kinds) == 1 and kinds != {"none"}:
        outer.keywords |= {k for m in inner for k in m.keywords if k in _PERIOD_KINDS}


# --- the parse -----------------------------------------------------------------------------------

_NEGATIVE_RE = re.compile(
    r"^(?:€|eur\w*)?\s*-\s*(?:€|eur\w*)?\s*\d|(?:€|eur\w*)\s*-\s*\d|\(\s*-\s*\d"
)
_ERROR_VALUES = re.compile(
    r"^#(?:ref!|n/?a|value!|div/0!|name\?|num!|null!|getting_data|spill!|calc!)", re.I
)


def _basis_keywords(text: str) -> tuple[set[str], tuple[int, int] | None, float | None]:
    """Period words, year span and duration from a Structureel/incidenteel or Looptijd cell."""
    keywords: set[str] = set()
    span = None
    duration = None
    for tok in _tokenise(_normalise(text)):
        if tok.kind in _PERIOD_KINDS:
            keywords.add(tok.kind)
        elif tok.kind == "YEARSPAN":
            a, b = int(tok.groups[0]), int(tok.groups[1])
            if b < 100:
                b += a // 100 * 100
            span = (min(a, b), max(a, b))
        elif tok.kind == "FROMYEAR" and span is None:
            keywords.add("STRUCTURAL")
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
) -> Amount:
    """Read one cost text as a careful analyst would.

    text: the cost cell(s) as submitted. basis: the Structureel/incidenteel cell, if any.
    duration: the Looptijd cell, if any. scale: the column's unit (1000 for a `x € 1.000` header),
    applied to numbers written without a magnitude. fte_rate_eur: euros per fte per year.
    max_amount_eur: larger amounts are rejected as implausible (None: no limit).
    """
    raw = "" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text)
    s = _normalise(raw)
    r = _Reader()
    if not s or re.fullmatch(r"[-?.\s/;]*", s):
        return Amount(
            cost_status="pm",
            flags=("amount_missing",),
            reading="empty",
            notes=("geen bedrag ingevuld",),
        )
    if s.startswith("="):
        raise AmountError("formula", f"een spreadsheetformule, geen waarde: {raw[:60]!r}")
    if _ERROR_VALUES.match(s):
        raise AmountError("error_value", f"een foutwaarde uit de spreadsheet: {raw[:60]!r}")
    if _NEGATIVE_RE.search(s):
        raise AmountError(
            "negative_amount", f"een negatief bedrag is geen kostenpost: {raw[:60]!r}"
        )
    marker = _SCALE_MARKER.search(s)
    # '(x € 1.000)' is a unit for the other figures; '10 x € 1.000' is a count times a price
    if marker and (
        marker.group().lstrip().startswith("(") or not re.search(r"\d\s*$", s[: marker.start()])
    ):
        scale = _scale_value(marker.group(1) or marker.group(2))
        s = (s[: marker.start()] + " " + s[marker.end() :]).strip()

    tokens = _tokenise(s)
    has_pm = any(t.kind == "PM" for t in tokens)
    has_zero = any(t.kind == "ZERO" for t in tokens)
    money, rest = _build_mentions(tokens, in_units=scale != 1.0)
    money = _drop_bare_numbers(money, tokens)
    # bare numbers read as a year or a count replace their number token, so that attachment and
    # relations see them where they stand
    by_start = {t.start: t for t in rest if t.kind in ("COUNT", "YEAR")}
    tokens = [by_start.get(t.start, t) if t.kind == "NUM" else t for t in tokens]
    if not money:
        if any(t.kind in ("DATE", "DATEWORD") for t in tokens):
            raise AmountError("date_not_amount", f"dit lijkt een datum, geen bedrag: {raw[:60]!r}")
        if has_pm:
            return Amount(cost_status="pm", reading="p.m.")
        if has_zero:
            return Amount(reading="cost neutral")
        raise AmountError("amount_unreadable", f"geen bedrag gevonden in {raw[:80]!r}")
    _apply_counts(money, tokens)
    rest_idx = [i for i, _ in enumerate(tokens) if not any(m.first <= i <= m.last for m in money)]
    relations = _attach(money, tokens, rest_idx)
    col = _basis_keywords(" ".join(str(x) for x in (basis, duration) if x is not None and x == x))

    def quiet_read(m: _Money) -> _Part:
        return _read_mention(m, _Reader(), col, scale, fte_rate_eur)

    # relations are decided on quiet readings; the flags that stand are those of the relation and
    # of the mentions finally counted (a dropped breakdown line raises nothing)
    r = _Reader()
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
    if has_pm:
        r.flag(
            "amount_partly_pm", "naast een bedrag staat 'p.m.': alleen het bekende deel is geteld"
        )
    reading = _resolve(money, tokens, relations, r, quiet_read)
    live = [m for m in money if not m.dropped]
    parts = [_read_mention(m, r, col, scale, fte_rate_eur) for m in live]

    structural = [0.0, 0.0]
    incidental = [0.0, 0.0]
    starts: list[int] = []
    ends: list[int] = []
    for p in parts:
        target = structural if p.kind == "structural" else incidental
        target[0] += p.low
        target[1] += p.high
        if p.start:
            starts.append(p.start)
        if p.end:
            ends.append(p.end)
    fte_values = [m.low for m in live if m.is_fte] + [m.fte_count or 0.0 for m in money]
    _check_plausible(max(structural[1], incidental[1]), max_amount_eur, raw)
    return Amount(
        structural_low_eur=round(structural[0], 2),
        structural_high_eur=round(structural[1], 2),
        incidental_low_eur=round(incidental[0], 2),
        incidental_high_eur=round(incidental[1], 2),
        first_year=min(starts) if starts else None,
        last_year=max(ends) if ends and structural[1] == 0 else None,
        fte=sum(fte_values) or None,
        cost_status="estimated",
        flags=tuple(r.flags),
        reading=reading,
        notes=tuple(r.notes),
    )


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
    col = _basis_keywords(" ".join(str(x) for x in (basis, duration) if x is not None and x == x))
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
    keywords, _, _ = _basis_keywords(str(basis) if basis is not None and basis == basis else "")
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
