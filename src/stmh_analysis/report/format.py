"""Dutch number, money and date formatting for the briefings."""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal

MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def number(value: float, decimals: int = 0) -> str:
    """1250000 -> '1.250.000'; 1.5 with decimals=1 -> '1,5'."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


# Short forms round to these units (from the exact value, half up, once): amounts from € 100 mln
# to whole millions, from € 1 mln to € 0,1 mln, from € 1.000 to thousands, below to euros.
SHORT_UNITS = ((100_000_000, 1_000_000), (1_000_000, 100_000), (1_000, 1_000), (0, 1))
SHORT_FORM_NOTE = (
    "Afgeronde bedragen (zoals € 1,3 mln) zijn vanaf € 1 mln afgerond op € 0,1 mln en vanaf "
    "€ 100 mln op hele miljoenen, daaronder op duizenden euro's; een half wordt naar boven "
    "afgerond en een totaal is de afgeronde exacte som, niet de som van afgeronde bedragen."
)


# Euro cells in the workbooks: shown the Dutch way (€ 1.250.000) by Excel and LibreOffice.
XLSX_EURO_FORMAT = "[$€-413] #,##0"


def round_half_up(value: float, unit: float = 1) -> float:
    """`value` rounded to a multiple of `unit`, halves up as people round (12,5 -> 13, 13,5 ->
    14), computed on the exact decimal value so nothing is rounded twice."""
    exact = Decimal(repr(float(value))) / Decimal(repr(float(unit)))
    return float(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP) * Decimal(repr(float(unit))))


def short_unit(value: float) -> float:
    """The unit a short form of `value` is rounded to (see SHORT_UNITS)."""
    return next(unit for floor, unit in SHORT_UNITS if abs(value) >= floor)


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def euro(value: float | None) -> str:
    """Whole euros: '€ 1.250.000'. Missing -> 'kosten onbekend'."""
    if _missing(value):
        return "kosten onbekend"
    return f"€ {number(round_half_up(value))}"


def euro_short(value: float | None) -> str:
    """Rounded for reading (SHORT_UNITS): '€ 1,3 mln', '€ 12 mln' from € 100 mln, '€ 250.000'."""
    if _missing(value):
        return "kosten onbekend"
    unit = short_unit(value)
    rounded = round_half_up(value, unit)
    if unit >= 100_000:
        text = number(rounded / 1_000_000, 1 if unit == 100_000 else 0).removesuffix(",0")
        return f"€ {text} mln"
    return f"€ {number(rounded)}"


def euro_range(low: float, high: float, short: bool = True) -> str:
    """'€ 300.000 – € 500.000', or one amount when low equals high."""
    fmt = euro_short if short else euro
    if math.isclose(low, high):
        return fmt(low)
    return f"{fmt(low)} – {fmt(high)}"


def dutch_date(day: dt.date | str) -> str:
    """2024-01-29 -> '29 januari 2024'."""
    if isinstance(day, str):
        day = dt.date.fromisoformat(day[:10])
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
