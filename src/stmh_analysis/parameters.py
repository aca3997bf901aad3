"""Briefing parameters checked the same way by the runner (before anything runs) and by the
briefing notebook itself; free of pandas so the runner's quick path stays quick."""

from __future__ import annotations

import datetime as dt

from stmh_analysis.reference import Reference


def audiences(reference: Reference) -> tuple[str, ...]:
    """Every document: the nota, the Kamerbrief and its bijlage, and one briefing per theme in
    themes.yaml."""
    return ("nota", "kamerbrief", "bijlage", *reference.theme_slugs)


def check_audience(audience: str, reference: Reference) -> None:
    """Raise ValueError naming the parameter unless `audience` is a document (audiences)."""
    known = audiences(reference)
    if audience not in known:
        raise ValueError(f"audience: onbekend document {audience!r}; kies uit {', '.join(known)}")


def check_date(text: str) -> None:
    """Raise ValueError naming the parameter unless `text` is empty or an ISO date."""
    if text:
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"date: {text!r} is geen datum zoals 2024-01-29") from None


def parse_euros(value: object, name: str) -> float:
    """An amount parameter as the command line and the notebooks both accept it: a number, or
    text such as '2000000', '2.000.000', '€ 2,5 mln'. Raises ValueError in Dutch naming it."""
    from stmh_analysis.amounts import AmountError, parse_amount

    if isinstance(value, bool):
        raise ValueError(f"{name}: een bedrag in euro's verwacht, niet {value!r}")
    if isinstance(value, int | float):
        if value != value or value < 0:
            raise ValueError(f"{name}: een bedrag van € 0 of meer verwacht, niet {value!r}")
        return float(value)
    # Text is read by the amount reader, as a partner's cost cell is: '500.000' is five hundred
    # thousand (float() read it as 500), and 'nan' or '-5' are no amounts.
    text = str(value).strip().replace("_", "")
    try:
        amount = parse_amount(text, max_amount_eur=None)
    except AmountError:
        amount = None
    total = 0.0 if amount is None else amount.structural_low_eur + amount.incidental_low_eur
    ranged = amount is not None and (
        amount.structural_low_eur != amount.structural_high_eur
        or amount.incidental_low_eur != amount.incidental_high_eur
    )
    if amount is None or amount.cost_status == "pm" or ranged or (total <= 0 and "0" not in text):
        raise ValueError(
            f"{name}: {value!r} is geen bedrag in euro's; schrijf bijvoorbeeld 2000000, 2.000.000 "
            "of '€ 2 mln'"
        )
    return total
