"""The evidence rule: a reading stays unflagged only when every figure in the text has a role in
it and every cost cue agrees with it. Every reading passes through `weigh_evidence`.

A figure without a role, two cues that conflict, a relation word no step of the reading acted on,
or a number that is not well-formed Dutch makes the reading `amount_ambiguous`, with a note that
names the figure or the word. What it saw is returned as evidence lines, in Dutch, for
`stmh amount`.
"""

from __future__ import annotations

import re

from stmh_analysis.amounts.mentions import _Money
from stmh_analysis.amounts.model import RECURRENCE, _Reader
from stmh_analysis.amounts.tokens import _Token

# what a dropped mention was to the reading, in words
_DROPPED = {
    "old estimate": "eerdere raming, vervangen door de nieuwe",
    "breakdown": "deel of uitsplitsing van het getelde bedrag",
    "total of its parts": "totaal van de getelde delen (niet apart geteld)",
    "existing budget": "bestaand budget, niet gevraagd",
    "restatement": "hetzelfde bedrag anders geschreven",
    "yearly amount of the total": "jaarbedrag van het getelde totaal",
    "step on the way": "tussenstap van een oplopend bedrag",
    "fte priced": "aantal fte, met de prijs per fte gerekend",
    "fte with its cost": "aantal fte bij het eigen bedrag (niet opnieuw geteld)",
    "part already covered": "deel dat al gedekt is, afgetrokken",
    "the amount without VAT": "bedrag zonder btw (het bedrag met btw is geteld)",
}
# tokens that carry digits and the role they have in any reading
_CONTEXT_ROLES = {
    "YEAR": "jaar",
    "YEARSPAN": "jaren",
    "YEARLIST": "jaren",
    "YEARBOTH": "jaren",
    "FROMYEAR": "beginjaar",
    "UNTILYEAR": "eindjaar",
    "DATE": "datum",
    "DATEWORD": "datum",
    "PRICELEVEL": "prijspeil",
    "ARTICLE": "artikel- of stuknummer",
    "DURATION": "looptijd",
    "DURATIONMONTHS": "looptijd",
    "PHONE": "telefoonnummer, geen bedrag",
    "COUNT": "aantal",
    "PERCENT": "percentage",
    "ONEYEAR": "een deel van de looptijd",
    "THEN": "een volgorde in de tijd",
}
# relation words, and whether they must stand right before a figure to be one
_RELATIONS = {
    "OLD": ("een eerdere raming", True),
    "NEW": ("een nieuwe raming", True),
    "EXISTING": ("bestaand budget", True),
    "BREAKDOWN": ("een uitsplitsing", False),
    "RESTATE": ("hetzelfde bedrag anders geschreven", False),
    "THEN": ("een volgorde in de tijd", False),
    "AVAILABLE": ("een deel dat al gedekt is", False),
    "VATINCL": ("een bedrag met btw", False),
}
_WELL_FORMED = re.compile(
    r"\d+|\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+,\d+|\d+\.\d{1,2}|\d{1,3}(?:,\d{3})+(?:\.\d+)?"
    r"|\d{1,3}(?: \d{3})+"
)


def weigh_evidence(
    text: str, tokens: list[_Token], money: list[_Money], r: _Reader
) -> tuple[str, ...]:
    """Check the reading's evidence; flag what is unexplained; return the evidence lines."""
    lines = _figure_roles(tokens, money, r)
    lines += _cue_agreement(tokens, money, r)
    lines += _relation_words(tokens, money, r)
    lines += _one_year_words(tokens, money, r)
    _well_formed_numbers(text, tokens, r)
    return tuple(lines)


def _figure_roles(tokens: list[_Token], money: list[_Money], r: _Reader) -> list[str]:
    """Each figure: counted, dropped for a named reason, or context with a role; else flagged."""
    lines = []
    in_money = set()
    for m in money:
        in_money.update(range(m.first, m.last + 1))
        written = " ".join(t.text for t in tokens[m.first : m.last + 1])
        role = "geteld" if not m.dropped else _DROPPED.get(m.dropped, m.dropped)
        lines.append(f"{written}: {role}")
    for i, t in enumerate(tokens):
        if i in in_money or not re.search(r"\d", t.text) and t.kind != "COUNT":
            continue
        role = _CONTEXT_ROLES.get(t.kind)
        if role is None and t.kind == "NUM" and _plain_small(t.text):
            role = "nummer of aantal"
        if role == "percentage" and _percent_changes_cost(tokens, i):
            role = None
        if role is None:
            r.flag(
                "amount_ambiguous",
                f"het getal {t.text!r} heeft geen rol in de lezing: controleer of het bij de kosten hoort",
            )
            lines.append(f"{t.text}: geen rol gevonden")
        else:
            lines.append(f"{t.text}: {role}")
    return lines


def _plain_small(text: str) -> bool:
    """A bare number under 1000 without separators ('fase 2', '25 deelnemers')."""
    return bool(re.fullmatch(r"\d{1,3}", text))


def _percent_changes_cost(tokens: list[_Token], i: int) -> bool:
    """'€ 100.000 + 10% onvoorzien', '10% van € 200.000': a percentage that would change the
    figure, not applied (an applied '+ 21% btw' is counted already)."""
    prev = tokens[i - 1] if i else None
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if nxt is not None and nxt.text == "btw":
        return False
    if prev is not None and prev.kind == "JOIN" and prev.text.strip() in ("+", "plus"):
        return True
    after = tokens[i + 1 : i + 3]
    return any(t.text == "van" for t in after[:1]) and any(t.kind == "CUR" for t in after)


def _cue_agreement(tokens: list[_Token], money: list[_Money], r: _Reader) -> list[str]:
    """The period words attached to a counted amount agree with each other."""
    lines = []
    for m in money:
        if m.dropped:
            continue
        words = {tokens[i].kind: tokens[i].text for i in m.cues}
        for i in m.cues:
            if tokens[i].kind in ("MULT", "RANGE", "WORD", "OTHER", "JOIN"):
                continue
            lines.append(f"{tokens[i].text}: bij {m.euros()}")
        recurring = [words[k] for k in words if k in RECURRENCE]
        if recurring and "ONEOFF" in words:
            r.flag(
                "amount_ambiguous",
                f"'{words['ONEOFF']}' en '{recurring[0]}' staan bij hetzelfde bedrag "
                f"({m.euros()}): als eenmalig gelezen",
            )
        elif recurring and "ONEOFFWEAK" in words:
            r.flag(
                "amount_ambiguous",
                f"'{words['ONEOFFWEAK']}' (meestal eenmalig) en '{recurring[0]}' staan bij "
                f"hetzelfde bedrag ({m.euros()}): als structureel gelezen",
            )
        if "TEMPORARY" in words and "STRUCTURAL" in words:
            r.flag(
                "amount_ambiguous",
                f"'{words['TEMPORARY']}' en '{words['STRUCTURAL']}' staan bij hetzelfde bedrag",
            )
        elif "TEMPORARY" in words and recurring and not (m.span or m.duration):
            r.flag(
                "amount_ambiguous",
                f"'{words['TEMPORARY']}' per jaar zonder looptijd ({m.euros()}): als "
                "doorlopend bedrag gelezen",
            )
        if "_each" in m.keywords and "EACH" not in r.used and not m.computed:
            r.flag(
                "amount_ambiguous",
                f"'elk' of 'ieder' bij {m.euros()} zonder dat het aantal bekend is: het bedrag is "
                "één keer geteld",
            )
    return lines


def _relation_words(tokens: list[_Token], money: list[_Money], r: _Reader) -> list[str]:
    """With more than one figure, every relation word is acted on by the reading."""
    figures = [m for m in money if not m.is_fte]
    lines = []
    for i, t in enumerate(tokens):
        if t.kind not in _RELATIONS:
            continue
        meaning, must_precede = _RELATIONS[t.kind]
        if must_precede and not _precedes_figure(tokens, i, money):
            continue
        if t.kind == "AVAILABLE" and len(figures) == 1:
            r.flag(
                "amount_ambiguous",
                f"'{t.text}': een deel is al gedekt, maar de tekst zegt niet hoeveel",
            )
            continue
        if len(figures) < 2:
            continue
        used = t.kind in r.used or (t.kind == "VATINCL" and "VATINCL" in r.used)
        if used:
            lines.append(f"{t.text}: {meaning}")
        else:
            r.flag(
                "amount_ambiguous",
                f"'{t.text}' wijst op {meaning}, maar de lezing gebruikt dat niet",
            )
            lines.append(f"{t.text}: {meaning}, niet gebruikt")
    return lines


def _one_year_words(tokens: list[_Token], money: list[_Money], r: _Reader) -> list[str]:
    """'het eerste jaar', 'jaar 1': a figure for one year, or part, of the period. Whether it
    comes on top of the yearly amount or is that year's whole amount, only the text can say: a
    step that places it ('eerste jaar € 100.000, daarna € 60.000 per jaar') or an explicit
    one-off beside it ('plus € 15.000 eenmalig in het eerste jaar'); else the reading is flagged."""
    unplaced = [
        t.text
        for t in tokens
        if t.kind == "ONEYEAR" and "ONEYEAR" not in r.used and not _one_off_beside(t, tokens, money)
    ]
    if not unplaced or all(m.dropped for m in money):
        return []
    named = ", ".join(f"'{w}'" for w in dict.fromkeys(unplaced))
    r.flag(
        "amount_ambiguous",
        f"{named}: een bedrag voor een deel van de looptijd; of het bovenop het jaarbedrag komt "
        "of het hele bedrag van die periode is, zegt de tekst niet: controleer",
    )
    return [f"{w}: een deel van de looptijd, niet geplaatst" for w in unplaced]


def _one_off_beside(word: _Token, tokens: list[_Token], money: list[_Money]) -> bool:
    """A figure in the same clause as the word is explicitly one-off ('eenmalig', 'incidenteel')."""
    return any(
        tokens[m.first].clause == word.clause and "ONEOFF" in m.keywords and not m.dropped
        for m in money
    )


def _precedes_figure(tokens: list[_Token], i: int, money: list[_Money]) -> bool:
    """The word stands within a few words before a figure, with no other figure between."""
    for m in money:
        if 0 < m.first - i <= 4 and not any(
            t.kind in ("NUM", "CUR", "JOIN") for t in tokens[i + 1 : m.first]
        ):
            return True
    return False


def _well_formed_numbers(text: str, tokens: list[_Token], r: _Reader) -> None:
    """Every run of digits and separators is a number as Dutch (or English) is written."""
    shielded = [
        (t.start, t.end)
        for t in tokens
        if t.kind in ("DATE", "DATEWORD", "ARTICLE", "PHONE", "PRICELEVEL", "YEARSPAN")
    ]
    for m in re.finditer(r"\d[\d.,]*\d|\d", text):
        run = m.group()
        if any(a <= m.start() < b for a, b in shielded):
            continue
        if not _WELL_FORMED.fullmatch(run):
            r.flag(
                "amount_ambiguous",
                f"het getal {run!r} is geen gewoon geschreven getal: controleer het bedrag",
            )
