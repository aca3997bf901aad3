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

from stmh_analysis.amounts.figures import format_dutch_number
from stmh_analysis.amounts.model import Amount, AmountError
from stmh_analysis.amounts.parse import amount_from_number, amount_from_years, parse_amount

__all__ = [
    "Amount",
    "AmountError",
    "amount_from_number",
    "amount_from_years",
    "format_dutch_number",
    "parse_amount",
]
