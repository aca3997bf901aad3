"""Text keys for matching what people type: case, accents, punctuation and spacing do not count."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas is not imported at run time here: the runner's quick path avoids it
    import pandas as pd

_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_SPACES = re.compile(r"\s+")


def match_key(text: object) -> str:
    """'Coördinatie-centrum  (CoMensha)' -> 'coordinatie centrum comensha'."""
    if text is None or (isinstance(text, float) and text != text):
        return ""
    text = str(text)
    if not text.isascii():  # most cells are plain ASCII: skip the (slow) Unicode folding for them
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_ALNUM.sub(" ", text.lower()).strip()


def match_keys(values: pd.Series) -> pd.Series:
    """match_key over a column, computed once per distinct value (columns repeat a lot)."""
    uniques = values.drop_duplicates()
    mapping = {v: match_key(v) for v in uniques}
    return values.map(mapping).astype("string")


def normalise_whitespace(text: object) -> str:
    """Collapse runs of whitespace (also non-breaking spaces and newlines) to one space."""
    if text is None or (isinstance(text, float) and text != text):
        return ""
    return _SPACES.sub(" ", str(text).replace("\u00a0", " ")).strip()
