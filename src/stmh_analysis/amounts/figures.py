"""One written number -> its value, and whether its separators allow another reading."""

from __future__ import annotations

import re

from stmh_analysis.amounts.model import AmountError
from stmh_analysis.amounts.tokens import _MAGNITUDES

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
