"""Briefing parameters checked the same way by the runner (before anything runs) and by the
briefing notebook itself; free of pandas so the runner's quick path stays quick."""

from __future__ import annotations

import datetime as dt

from stmh_analysis.reference import THEME_SLUGS

AUDIENCES = ("nota", "bijlage", *THEME_SLUGS)


def check_audience(audience: str) -> None:
    """Raise ValueError naming the parameter unless `audience` is nota, bijlage or a theme slug."""
    if audience not in AUDIENCES:
        raise ValueError(f"audience: unknown value {audience!r}; use one of {', '.join(AUDIENCES)}")


def check_date(text: str) -> None:
    """Raise ValueError naming the parameter unless `text` is empty or an ISO date."""
    if text:
        try:
            dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"date: {text!r} is not a date like 2024-01-29") from None
