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


def euro(value: float | None) -> str:
    """Whole euros: '€ 1.250.000'. Missing -> 'kosten onbekend'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "kosten onbekend"
    return f"€ {number(round(value))}"


def euro_short(value: float | None) -> str:
    """Rounded for reading: '€ 1,3 mln' from a million up, '€ 250.000' (to thousands) below."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "kosten onbekend"
    if abs(value) >= 1_000_000:
        # Half up, as people round (1,25 mln -> 1,3 mln); floats alone would give 1,2.
        millions = float(
            Decimal(str(value / 1_000_000)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        )
        text = (
            number(millions, 1).removesuffix(",0")
            if abs(value) < 10_000_000
            else number(round(millions), 0)
        )
        return f"€ {text} mln"
    if abs(value) >= 1_000:
        return f"€ {number(round(value, -3))}"
    return f"€ {number(round(value))}"


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
