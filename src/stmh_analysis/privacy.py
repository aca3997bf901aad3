"""One filter for everything public: e-mail addresses, phone numbers and marked person names.

`mask_personal(text, names)` returns the text with each find replaced by a bracketed word, and
what it found. Public documents and workbooks show only filtered text (report.document
public_view); clean flags every proposal whose text the filter would change
(`personal_data_removed`), so an analyst sees what was taken out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_AT = r"(?:@|\s@\s|\s?\[\s?at\s?\]\s?|\s?\(\s?at\s?\)\s?|\s?\{\s?at\s?\}\s?|\s+apenstaartje\s+)"
_DOT = r"(?:\.|\s?\[\s?dot\s?\]\s?|\s?\(\s?dot\s?\)\s?|\s?\[\s?punt\s?\]\s?|\s?\(\s?punt\s?\)\s?)"
EMAIL = re.compile(rf"[\w.+-]+\s*{_AT}\s*[\w-]+(?:{_DOT}[\w-]+)+", re.I)
PHONE = re.compile(
    r"(?:\+|00)\s?\d{2}\s?(?:\(\s?0\s?\)\s?)?\d(?:[\s.-]?\d){7,9}(?!\d)"  # +31 (0)6 1234 5679
    r"|(?<![\d.,€])\(?0\d{1,3}\)?\s?[-/]?\s?\d{2,4}(?:[\s-]?\d{2,4}){1,3}(?!\d|[.,]\d)"  # 070 - 123 45 67
    r"|\b(?:tel(?:efoon)?(?:nummer)?\.?|bel|mobiel|gsm)\s*:?\s*0\d{2,3}[\s-]?\d{2,8}\b",  # tel. 0800-1234
    re.I,
)
# a person named where the text marks one: 'contactpersoon Jan Jansen', 't.a.v. mw. De Vries'
_NAME = r"(?:(?:dhr|mevr|mw|mr|drs|dr|ir|prof)\.?\s+)?[A-Z][a-zà-ÿ'-]+(?:\s+(?:van|de|der|den|ter|ten|het|la|le|von)){0,2}(?:\s+[A-Z][a-zà-ÿ'-]+){1,2}"
MARKED_NAME = re.compile(
    rf"(?i:\b(?:contactpersoon|contact|t\.?\s?a\.?\s?v\.?|ter attentie van|namens|projectleider|coordinator|coördinator|aanspreekpunt)\s*:?\s*)({_NAME})"
)


_AT_HINT = re.compile(r"@|[\[({]\s?at\s?[\])}]|apenstaartje")
_MARKERS = (
    "contact",
    "t.a.v",
    "tav",
    "t. a. v",
    "attentie",
    "namens",
    "projectleider",
    "coordinator",
    "coördinator",
    "aanspreekpunt",
)


class KnownNames(frozenset):
    """Names as lookup keys, with the set of their first words (a window is looked up only
    where a name can start)."""

    firsts: frozenset[str] = frozenset()


def known_names(names: Iterable[str]) -> KnownNames:
    """The person names of a contact column as lookup keys (two words or more, lower case):
    made once per table, so filtering every text stays linear in the number of texts."""
    keys = (" ".join(str(n).lower().split()) for n in names)
    known = KnownNames(k for k in keys if len(k.split()) >= 2)
    known.firsts = frozenset(k.split()[0] for k in known)
    return known


_WORD = re.compile(r"[^\W\d_][\w'-]*")


def _name_spans(text: str, names: frozenset[str]) -> list[tuple[int, int]]:
    """Where a known name (2 to 4 words) stands in `text`, by lookup, not by one regex per name."""
    words = list(_WORD.finditer(text))
    spans: list[tuple[int, int]] = []
    i = 0
    firsts = getattr(names, "firsts", None)
    while i < len(words):
        if firsts is not None and words[i].group().lower() not in firsts:
            i += 1
            continue
        for n in (4, 3, 2):
            run = words[i : i + n]
            if (
                len(run) == n
                and all(
                    text[a.end() : b.start()].isspace() for a, b in zip(run, run[1:], strict=False)
                )
                and " ".join(w.group().lower() for w in run) in names
            ):
                spans.append((run[0].start(), run[-1].end()))
                i += n
                break
        else:
            i += 1
    return spans


def mask_personal(text: str, names: Iterable[str] | frozenset[str] = ()) -> tuple[str, list[str]]:
    """`text` with e-mail addresses, phone numbers and marked or known person names replaced.
    `names`: known_names(...) of the table (or any names, turned into keys here)."""
    found: list[str] = []

    def keep(label: str):
        def replace(m: re.Match) -> str:
            found.append(m.group(0).strip())
            return label

        return replace

    lower = text.lower()
    out = text
    if _AT_HINT.search(lower):  # cheap guards: most text has no address, number or marker
        out = EMAIL.sub(keep("[e-mailadres verwijderd]"), out)
    if sum(c.isdigit() for c in out) >= 6:
        out = PHONE.sub(keep("[telefoonnummer verwijderd]"), out)
    if any(m in lower for m in _MARKERS):
        out = MARKED_NAME.sub(lambda m: _mask_group(m, found), out)
    keys = names if isinstance(names, KnownNames) else known_names(names)
    for start, end in reversed(_name_spans(out, keys) if keys else []):
        found.append(out[start:end])
        out = out[:start] + "[naam verwijderd]" + out[end:]
    return out, found


def _mask_group(m: re.Match, found: list[str]) -> str:
    found.append(m.group(1))
    return m.group(0)[: m.start(1) - m.start(0)] + "[naam verwijderd]"
