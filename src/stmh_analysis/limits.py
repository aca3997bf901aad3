"""What one partner file may cost before it is read: data/reference/settings.yaml, `limits`."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True)
class Limits:
    """What one partner file may cost before it is read (settings.yaml: limits). A file over a
    limit is an error naming it and the limit; the rest of the run goes on."""

    file_mb: float = 50  # the file as it is on disk
    unpacked_mb: float = 300  # a workbook's parts once unzipped (a zip bomb is small on disk)
    ratio: float = 200  # unpacked / packed for one part of more than 10 MB
    line_chars: int = 1_000_000  # one line of a text file
    cells: int = 2_000_000  # cells of all sheets together
    seconds: float = 120  # reading one file (checked when it is read; the limits above bound it)


def limits_from_settings(entry: dict[str, Any] | None) -> Limits:
    """settings.yaml's `limits` (each one optional) -> Limits; ValueError names a bad entry."""
    entry = entry or {}
    known = {f.name: f.type for f in fields(Limits)}
    unknown = set(entry) - set(known) - {"source"}
    if unknown:
        raise ValueError(
            f"limits: onbekende grens {sorted(unknown)[0]!r}; bekend: {', '.join(known)}"
        )
    values = {}
    for name, value in entry.items():
        if name == "source":
            continue
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ValueError(f"limits: {name} moet een getal groter dan 0 zijn, niet {value!r}")
        values[name] = value
    return Limits(**values)
