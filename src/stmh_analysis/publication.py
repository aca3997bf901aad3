"""Which proposals the public documents may show: the one publication rule.

A proposal is published when its appraisal is one of the public appraisals of the run (those
marked `public: true` in data/reference/appraisals.yaml, unless the run gives others) and its
partner did not mark it confidential (`confidential` in data_issues, from a status column or a
'Vertrouwelijk' mark). Every public document and workbook selects its proposals here.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd


def published(proposals: pd.DataFrame, public_appraisals: Sequence[str]) -> pd.Series:
    """True for each proposal the public bijlage, Kamerbrief and public workbook may show."""
    appraised = proposals["appraisal"].fillna("").isin(list(public_appraisals))
    if "data_issues" not in proposals.columns:
        return appraised
    marked = proposals["data_issues"].fillna("").astype(str)
    confidential = marked.str.contains(r"(?:^|;)confidential(?:;|$)", regex=True)
    return appraised & ~confidential
