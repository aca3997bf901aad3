"""Normalised text -> tokens: numbers, magnitudes, currency, period words, years, relation words."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

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
