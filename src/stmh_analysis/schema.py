"""Table schemas checked at each step's boundary (pandera), and the column lists they fix.

`candidates_schema` is checked lazily on the cleaned submission rows: every failing row and column is
collected and becomes a rejection with its reason, not an exception. `proposals_schema` is the data
contract of data/processed/proposals.*: a failure there is a bug in cleaning and stops the run.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from stmh_analysis.outputs import (  # noqa: F401 - the column lists the schemas fix, re-exported
    ACCOUNTING_COUNTS,
    AMOUNT_COLUMNS,
    INTERNAL_COLUMNS,
    PROPOSAL_COLUMNS,
    SKIPPED_COUNTS,
)


def _non_blank(series: pd.Series) -> pd.Series:
    return series.fillna("").str.strip().str.len() > 0


def candidates_schema(themes: tuple[str, ...]) -> pa.DataFrameSchema:
    """The cleaned submission rows, checked lazily: each failure becomes a rejection."""
    return pa.DataFrameSchema(
        {
            "title": pa.Column(
                "string", pa.Check(_non_blank, error="missing_title"), nullable=False
            ),
            "organisation": pa.Column(
                "string", pa.Check(_non_blank, error="missing_organisation"), nullable=False
            ),
            "theme": pa.Column("string", pa.Check.isin(themes, error="unknown_theme")),
            **{
                c: pa.Column(float, pa.Check.ge(0, error="negative_amount"), nullable=False)
                for c in AMOUNT_COLUMNS
            },
        },
        checks=[
            pa.Check(
                lambda d: d["structural_low_eur"] <= d["structural_high_eur"],
                error="range_reversed",
            ),
            pa.Check(
                lambda d: d["incidental_low_eur"] <= d["incidental_high_eur"],
                error="range_reversed",
            ),
        ],
        strict=False,
        name="candidates",
    )


def proposals_schema(themes: tuple[str, ...], appraisals: tuple[str, ...]) -> pa.DataFrameSchema:
    """The data contract of data/processed/proposals.*: a failure is a bug in cleaning."""
    return pa.DataFrameSchema(
        {
            "proposal_id": pa.Column(
                "string", pa.Check.str_matches(r"^P-[0-9a-f]{8}$"), unique=True
            ),
            "title": pa.Column("string", pa.Check(_non_blank)),
            "organisation": pa.Column("string", pa.Check(_non_blank)),
            "theme": pa.Column("string", pa.Check.isin(themes)),
            **{c: pa.Column(float, pa.Check.ge(0)) for c in AMOUNT_COLUMNS},
            "first_year": pa.Column("Int64", pa.Check.in_range(2000, 2100), nullable=True),
            "last_year": pa.Column("Int64", pa.Check.in_range(2000, 2100), nullable=True),
            "fte": pa.Column(float, pa.Check.ge(0), nullable=True),
            "cost_status": pa.Column("string", pa.Check.isin(["estimated", "pm"])),
            "appraisal": pa.Column("string", pa.Check.isin([*appraisals, ""])),
            "source_row": pa.Column("int64", pa.Check.ge(1)),
            "merged_rows": pa.Column("int64", pa.Check.ge(1)),
        },
        checks=[
            pa.Check(lambda d: d["structural_low_eur"] <= d["structural_high_eur"]),
            pa.Check(lambda d: d["incidental_low_eur"] <= d["incidental_high_eur"]),
            pa.Check(
                lambda d: (
                    d["first_year"].isna()
                    | d["last_year"].isna()
                    | (d["first_year"] <= d["last_year"])
                )
            ),
        ],
        strict=False,
        ordered=False,
        name="proposals",
    )


def schema_failures(schema: pa.DataFrameSchema, frame: pd.DataFrame) -> pd.DataFrame:
    """All failures of a lazy validation as (index, column, code); empty when the frame is valid."""
    try:
        schema.validate(frame, lazy=True)
    except SchemaErrors as exc:
        cases = exc.failure_cases
        cases = cases[cases["index"].notna()]
        codes = cases["check"].astype(str)
        out = pd.DataFrame(
            {
                "index": cases["index"].astype("int64"),
                "column": cases["column"].fillna("").astype(str),
                "code": codes,
            }
        )
        return out.drop_duplicates().reset_index(drop=True)
    return pd.DataFrame(
        {
            "index": pd.Series(dtype="int64"),
            "column": pd.Series(dtype=str),
            "code": pd.Series(dtype=str),
        }
    )


def validate_proposals(
    frame: pd.DataFrame, themes: tuple[str, ...], appraisals: tuple[str, ...]
) -> pd.DataFrame:
    """Check the data contract; raises pandera's SchemaErrors listing every failure."""
    return proposals_schema(themes, appraisals).validate(frame, lazy=True)
