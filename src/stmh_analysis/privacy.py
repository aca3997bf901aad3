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
    r"|(?<![\d.,€])\(?0\d{1,3}\)?\s?[-/]?\s?\d{2,4}(?:[\s-]?\d{2,4}){1,3}(?![\d.,])"  # 070 - 123 45 67
    r"|\b(?:tel(?:efoon)?(?:nummer)?\.?|bel|mobiel|gsm)\s*:?\s*0\d{2,3}[\s-]?\d{2,8}\b",  # tel. 0800-1234
    re.I,
)
# a person named where the text marks one: 'contactpersoon Jan Jansen', 't.a.v. mw. De Vries'
_NAME = r"(?:(?:dhr|mevr|mw|mr|drs|dr|ir|prof)\.?\s+)?[A-Z][a-zà-ÿ'-]+(?:\s+(?:van|de|der|den|ter|ten|het|la|le|von)){0,2}(?:\s+[A-Z][a-zà-ÿ'-]+){1,2}"
MARKED_NAME = re.compile(
    rf"(?i:\b(?:contactpersoon|contact|t\.?\s?a\.?\s?v\.?|ter attentie van|namens|projectleider|coordinator|coördinator|aanspreekpunt)\s*:?\s*)({_NAME})"
)


def mask_personal(text: str, names: Iterable[str] = ()) -> tuple[str, list[str]]:
    """`text` with e-mail addresses, phone numbers and marked or known person names replaced."""
    found: list[str] = []

    def keep(label: str):
        def replace(m: re.Match) -> str:
            found.append(m.group(0).strip())
            return label

        return replace

    out = EMAIL.sub(keep("[e-mailadres verwijderd]"), text)
    out = PHONE.sub(keep("[telefoonnummer verwijderd]"), out)
    out = MARKED_NAME.sub(lambda m: _mask_group(m, found), out)
    for name in sorted(
        {n.strip() for n in names if len(n.strip().split()) >= 2}, key=len, reverse=True
    ):
        pattern = re.compile(rf"\b{re.escape(name)}\b", re.I)
        out = pattern.sub(keep("[naam verwijderd]"), out)
    return out, found


def _mask_group(m: re.Match, found: list[str]) -> str:
    found.append(m.group(1))
    return m.group(0)[: m.start(1) - m.start(0)] + "[naam verwijderd]"
