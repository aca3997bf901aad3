"""The one filter for public text (privacy.py): each disguise partners use, and what it leaves."""

from __future__ import annotations

import pytest

from stmh_analysis.privacy import known_names, mask_personal


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("bel 070 - 123 45 67, of mail", "123 45"),
        ("bel 070 - 123 45 67.", "45 67"),
        ("+31 (0)6 1234 5679", "1234 5679"),
        ("tel. 0800-1234", "0800"),
        ("06-11112222", "11112222"),
        ("jan [at] politie.example", "politie.example"),
        ("jan.jansen @ politie.example", "politie.example"),
        ("Stichting X (info@x.example, 06-12345678)", "x.example"),
        ("contactpersoon Jan Jansen", "Jan Jansen"),
        ("t.a.v. mw. De Vries-Bakker", "Vries"),
        ("Project van Piet Pietersen", "Piet Pietersen"),
    ],
)
def test_each_disguise_is_masked(text, secret):
    out, found = mask_personal(text, known_names(["Piet Pietersen"]))
    assert secret not in out and found, (text, out)


@pytest.mark.parametrize(
    "text",
    [
        "€ 50.000 per jaar (2024-2026), 3 fte, 12 gemeenten, 1.250 deelnemers",
        "Kamerstukken II 2023/24, 36 410 VI, nr. 12",
        "Opvang 2025-2028 in 020 regio's, 0,5 fte",
        "Landelijk Meldpunt Mensenhandel",
    ],
)
def test_figures_and_ordinary_words_stay(text):
    assert mask_personal(text, known_names(["Piet Pietersen"])) == (text, [])
