"""Normalised text -> tokens: numbers, magnitudes, currency, period words, years, relation words."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from stmh_analysis.amounts.words import AmountWords, load_amount_words

# --- normalisation -------------------------------------------------------------------------------

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2212"), "-")
_MONTHS = (
    r"januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    r"|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec"
)
# `(x € 1.000)`, `bedragen x 1.000 euro`, `(in duizenden euro's)`: a unit for the other figures.
_SCALE_MARKER = re.compile(
    r"\(?\s*(?:bedragen\s+)?(?:x|×|\*)\s*(?:€|eur\w*)?\s*(1\.000\.000|1000000|1 000 000|1\.000|1000|1 000|1 ?mln|1 ?miljoen|mln|miljoen|duizend)\s*(?:€|eur\w*)?\s*\)?"
    r"|\(\s*(?:bedragen\s+)?in\s+(?:€\s*)?(duizenden|miljoenen|1\.000|mln|miljoenen)\s*(?:euro'?s?|€)?\s*\)"
)


# 'minimaal € 50.000, maximaal € 90.000', 'min. 3 ton en max. 5 ton': a range, low then high
_LOW_HIGH = re.compile(
    r"\b(?:minimaal|minimum|min\.|ten minste|tenminste|minstens)\s+([^;]{1,60}?)\s*[,/]?\s+(?:en\s+|tot\s+)?"
    r"(?:maximaal|maximum|max\.|ten hoogste|hoogstens)\s+"
)


# 'jaar 2 en verder', 'het tweede jaar e.v.': every year from that one on, as 'vanaf jaar 2'
_LATER_YEARS = re.compile(
    r"\b((?:project|uitvoerings)?jaar\s+[2-9]|(?:het\s+)?(?:tweede|derde|2e|3e|2de|3de)\s+jaar)"
    r"\s+(?:en\s+verder|en\s+volgende(?:\s+jaren)?|en\s+later|e\.\s?v\.?)"
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
    # 12.500,00 -> 12.500; a malformed '1,250,00' stays as written (the evidence rule flags it)
    text = re.sub(r"(?<![\d.,])(\d{1,3}(?:\.\d{3})*|\d+),00\b(?![.,]\d)", r"\1", text)
    text = re.sub(r"(\d)\s*(?:k€|keur)\b", r"\1k", text)
    text = re.sub(r"\been\s+hal(?:f|ve)\b", "half", text)
    text = re.sub(r"\btussen\s+(.+?)\s+en\s+", r"\1 - ", text)  # tussen 3 en 5 ton
    text = re.sub(_LOW_HIGH, r"\1 - ", text)  # minimaal € 50.000, maximaal € 90.000
    text = re.sub(_LATER_YEARS, r"vanaf \1", text)  # 'jaar 2 en verder' is 'vanaf jaar 2'
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
# Dutch and international telephone numbers: never an amount (`06-11112222`, `070 - 123 45 67`,
# `+31 (0)6 1234 5679`, `tel. 0800-1234`)
_PHONE = (
    r"(?:\+|00)31\s*(?:\(0\)\s*)?\d(?:[\s-]?\d){7,9}\b"
    r"|\b(?:tel(?:efoon)?\.?:?|telefoonnummer:?|bel|mobiel:?|gsm:?)\s*\(?0\d{1,3}\)?(?:[\s-]*\d){4,8}\b"
    r"|\b0[1-9]\d{0,2}\s?-\s?\d{2,3}\s?\d{2}\s?\d{2,3}\b(?![.,]\d)"
    r"|\b06[\s-]?\d{8}\b|\b06[\s-]\d{2,4}(?:\s\d{2,4}){1,3}\b"
)
# Kamerstukken II 2023/24, 36 410 VI, nr. 12
_KAMERSTUK = (
    r"\bkamerstuk(?:ken)?\s+(?:i{1,2}\s+)?(?:\d{4}/\d{2,4}\s*,?\s*)?(?:\d{2}\s?\d{3}(?:[-\s][ivxa-z]+)?\s*,?\s*)?(?:nr\.?\s*\d+)?"
    r"|\b\d{2}\s\d{3}\s[ivx]+\s*,\s*nr\.?\s*\d+"
)


def _token_spec(words: AmountWords) -> list[tuple[str, str]]:
    """The token kinds in the order they are tried: years, dates and references first, then the
    words of amount_words.yaml, then the figures themselves."""
    return _year_and_date_tokens(words.pattern) + _word_tokens(words.pattern) + _FIGURE_TOKENS


def _year_and_date_tokens(w: Callable[[str], str]) -> list[tuple[str, str]]:
    """Years, spans, dates, price levels and document numbers: digits that are not euros."""
    return [
        ("PAREN", r"[()\[\]]"),
        ("PHONE", _PHONE),
        ("DATE", r"\b\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2})\b|\b20\d\d-\d{1,2}-\d{1,2}\b"),
        (
            "FROMYEAR",
            rf"\b(?:{w('FROMLEAD')})\s+(?:\d{{1,2}}\s+)?(?:(?:{_MONTHS})\s+)?(?:het jaar\s+)?({_Y})\b"
            rf"|\b({_Y})\s*(?:e\.\s?v\.?|e\.v\b|ev\b|en verder|en volgende jaren|en later|en daarna)",
        ),
        (
            "YEARSPAN",  # '1 januari 2025 tot en met 31 december 2026': the years of a period
            rf"\b\d{{1,2}}\s+(?:{_MONTHS})\s+({_Y})\s*(?:-|t/m|tm|tot en met|tot)\s*\d{{1,2}}\s+(?:{_MONTHS})\s+({_Y})\b",
        ),
        ("DATEWORD", rf"\b\d{{1,2}}\s+(?:{_MONTHS})\s+({_Y})\b"),
        (
            "PRICELEVEL",
            rf"\b(?:prijspeil|prijsniveau|loon- en prijspeil|pp|lp)\s*(?:van\s+)?({_Y})\b",
        ),
        ("ARTICLE", _KAMERSTUK),
        ("YEARBOTH", rf"\b(?:zowel\s+)?(?:in\s+)?({_Y})\s+als\s+(?:in\s+)?({_Y})\b"),
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
    ]


def _word_tokens(w: Callable[[str], str]) -> list[tuple[str, str]]:
    """The lists of amount_words.yaml, with the grammar of percentages and durations among them."""
    return [
        ("VATINCL", w("VATINCL")),
        ("VATEXCL", w("VATEXCL")),
        ("PERCENT", r"\d+(?:[.,]\d+)?\s*(?:%|procent\b)"),
        (
            "ARTICLE",
            r"\b(?:artikel(?:onderdeel)?|art\.?|lid|hoofdstuk|paragraaf|par\.|§|bijlage|motie|amendement|kamerstuk(?:ken)?|nr\.?|nummer)\s*\d+(?:[.:/]\d+)*[a-z]?\b",
        ),
        ("ONEYEAR", w("ONEYEAR")),
        ("ATMOST", w("ATMOST")),
        ("ATLEAST", w("ATLEAST")),
        (
            "DURATION",
            r"\b(\d{1,2}|een|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|anderhalf)\s*(?:jaar|jaren|jr|years?|kalenderjaren|begrotingsjaren)\b",
        ),
        ("DURATIONMONTHS", r"\b(\d{1,2})\s*(?:maanden|mnd|months)\b"),
        ("PERYEAR", w("PERYEAR")),
        ("PERQUARTER", w("PERQUARTER")),
        ("PERMONTH", w("PERMONTH")),
        ("PERWEEK", w("PERWEEK")),
        ("STRUCTURAL", w("STRUCTURAL")),
        ("ONEOFF", w("ONEOFF")),
        ("TEMPORARY", w("TEMPORARY")),
        ("ONEOFFWEAK", w("ONEOFFWEAK")),
        ("TOTAL", w("TOTAL")),
        ("PM", w("PM")),
        ("ZERO", w("ZERO")),
        ("FTE", w("FTE")),
        ("AVAILABLE", w("AVAILABLE")),
        ("OLD", w("OLD")),
        ("NEW", w("NEW")),
        ("RAMP", w("RAMP")),
        ("THEN", w("THEN")),
        ("BREAKDOWN", w("BREAKDOWN")),
        ("RESTATE", w("RESTATE")),
        ("EACH", w("EACH")),
        ("FRACTION", w("FRACTION")),
        ("EXISTING", w("EXISTING")),
        ("COFUND", w("COFUND")),
    ]


_FIGURE_TOKENS = [
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


@functools.lru_cache(maxsize=8)
def token_pattern(words: AmountWords) -> re.Pattern[str]:
    """One compiled pattern for the words given (re caches it: compiled once per word list)."""
    spec = _token_spec(words)
    seen: dict[str, int] = {}
    parts = []
    for name, pattern in spec:  # a kind may appear twice in the order; groups need unique names
        seen[name] = seen.get(name, 0) + 1
        group = name if seen[name] == 1 else f"{name}__{seen[name]}"
        parts.append(f"(?P<{group}>{pattern})")
    return re.compile("|".join(parts))


_PERIOD_KINDS = (
    "PERYEAR", "PERQUARTER", "PERMONTH", "PERWEEK", "STRUCTURAL", "ONEOFF", "ONEOFFWEAK",
    "TEMPORARY", "TOTAL",
)  # fmt: skip
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


def _tokenise(text: str, words: AmountWords | None = None) -> list[_Token]:
    tokens = []
    depth = clause = 0
    for m in token_pattern(words or load_amount_words()).finditer(text):
        kind = (m.lastgroup or "OTHER").split("__")[0]
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
        if kind in ("JOIN", "THEN", "BREAKDOWN", "RESTATE") or _ends_a_sentence(text, tokens):
            clause += 1
    return tokens


def _ends_a_sentence(text: str, tokens: list[_Token]) -> bool:
    """'€ 120.000. Structureel: …': a full stop right after a figure or 'euro', before a word,
    ends the sentence (the words after it are not that figure's). A stop after a word is
    left alone: 'ca.', 'p.j.', 'mln.' are abbreviations."""
    last = tokens[-1]
    return (
        last.text == "."
        and len(tokens) > 1
        and tokens[-2].kind in ("NUM", "CUR")
        and tokens[-2].end == last.start
        and _WORD_NEXT.match(text, last.end) is not None
    )


_WORD_NEXT = re.compile(r"\s+[a-z]")
