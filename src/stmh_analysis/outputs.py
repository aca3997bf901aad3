"""The files each step writes into data/processed, their columns, and what the next steps read:
declared once.

The writers in steps.py write exactly these (tested), the runner's step table
(pipeline.declare_steps) hashes them to know what is up to date, and the briefings read them.
Free of pandas, so the runner can decide 'up to date' without loading the data stack.
"""

from __future__ import annotations

CLEAN_OUTPUTS = (
    "proposals.parquet",
    "proposals.csv",
    "rejected.csv",
    "issues.csv",
    "accounting.csv",
    "inputs.csv",
    "review.csv",
    "decisions.csv",
)
RANK_OUTPUTS = (
    "ranking.parquet",
    "ranking.csv",
    "portfolio.parquet",
    "portfolio.csv",
    "portfolio_summary.csv",
    "gap.csv",
    "scenarios.parquet",
    "scenarios.csv",
    "scenario_choices.csv",
    "frontier.csv",
    "rank_parameters.json",
    "charts.json",
)
RANK_INPUTS = ("proposals.parquet",)
# The rank step also writes keys/<theme>.json: a fingerprint of what that theme's briefing shows
# (steps.briefing_keys); a theme briefing reads the tables but depends on its key only.
KEYS_DIR = "keys"
# The briefings read these (and the proposals of the release they compare with, when there is one).
BRIEFING_INPUTS = (
    "proposals.parquet",
    "rejected.csv",
    "issues.csv",
    "accounting.csv",
    "inputs.csv",
    "review.csv",
    "ranking.parquet",
    "portfolio.parquet",
    "portfolio_summary.csv",
    "gap.csv",
    "scenarios.parquet",
    "scenario_choices.csv",
    "frontier.csv",
    "rank_parameters.json",
    "charts.json",
)

# The analyst's review queue, written by the clean step (report/review_workbook.py).
REVIEW_WORKBOOK = "te-beoordelen.xlsx"
# The workbooks beside the PDFs, per document (report/workbook.py writes them).
WORKBOOKS = {"nota": "voorstellen.xlsx", "bijlage": "bijlage.xlsx"}
# Documents that also go out as Word, for the parafenlijn (colleagues edit and initial them).
WORD_DOCUMENTS = ("nota", "kamerbrief")

# --- the columns of the tables (the schemas in schema.py check them) ---

PROPOSAL_COLUMNS = [
    "proposal_id",
    "title",
    "summary",
    "organisation",
    "co_submitters",
    "theme",
    "cost_text",
    "structural_low_eur",
    "structural_high_eur",
    "incidental_low_eur",
    "incidental_high_eur",
    "first_year",
    "last_year",
    "fte",
    "cost_status",
    "appraisal",
    "appraisal_note",
    "source_file",
    "source_sheet",
    "source_row",
    "merged_rows",
    "possible_duplicate_of",
    "contact_person",
    "contact_email",
    "data_issues",
]
# data/processed/accounting.csv: per file and sheet, rows in = in proposals + rejected + skipped.
ACCOUNTING_COUNTS = [
    "rows_in",
    "in_proposals",
    "merged",
    "rejected",
    "skipped_blank",
    "skipped_totals",
    "skipped_note",
    "skipped_hidden",
    "skipped_example",
    "skipped_section",
    "skipped_superseded",
    "skipped_detail",
    "skipped_withdrawn",
    "skipped_copy",
]
# Rows that are not proposals, each with its reason (ingest's skip reasons, prefixed 'skipped_').
SKIPPED_COUNTS = [c for c in ACCOUNTING_COUNTS if c.startswith("skipped_")]
# Columns never published: the public annex may only show columns outside this set.
INTERNAL_COLUMNS = ("appraisal_note", "contact_person", "contact_email")
AMOUNT_COLUMNS = [
    "structural_low_eur",
    "structural_high_eur",
    "incidental_low_eur",
    "incidental_high_eur",
]
