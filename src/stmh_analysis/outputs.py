"""The files each step writes into data/processed, their columns, and what the next steps read:
declared once.

The writers in steps.py write exactly these (tested), the runner's step table
(pipeline.declare_steps) hashes them to know what is up to date, and the briefings read them.
Free of pandas, so the runner can decide 'up to date' without loading the data stack.
"""

from __future__ import annotations

from pathlib import Path

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
# What is sent to Parliament and published. Their HTML, PDF and workbook are written to a folder
# of their own, reports/openbaar/, that holds nothing internal: that folder can be uploaded or
# handed over under the Woo as it is. (Their Word drafts are for the parafenlijn: internal.)
PUBLIC_DOCUMENTS = ("kamerbrief", "bijlage")
PUBLIC_FOLDER = "openbaar"


def document_file(reports: Path, audience: str, suffix: str) -> Path:
    """Where a document's file lands: reports/openbaar/ for a public document (not its Word
    draft), reports/ for everything else. `suffix`: 'html', 'pdf', 'docx' or a workbook's name."""
    name = suffix if "." in suffix else f"{audience}.{suffix}"
    public = audience in PUBLIC_DOCUMENTS and not name.endswith(".docx")
    return (reports / PUBLIC_FOLDER if public else reports) / name


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
