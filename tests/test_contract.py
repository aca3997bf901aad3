"""docs/contract.md says what the package writes: its column tables and codes match the schemas."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from stmh_analysis.problems import flag_codes, problem_codes
from stmh_analysis.schema import ACCOUNTING_COUNTS, PROPOSAL_COLUMNS

REPO = Path(__file__).resolve().parents[1]
CONTRACT = (REPO / "docs" / "contract.md").read_text(encoding="utf-8")


def documented_columns(table: str) -> list[str]:
    """The first-column names of the markdown table after `<!-- columns: table -->`."""
    block = CONTRACT.split(f"<!-- columns: {table} -->", 1)[1].strip().split("\n\n", 1)[0]
    names: list[str] = []
    for line in block.splitlines()[2:]:
        names += re.findall(r"`([a-z_]+)`", line.split("|")[1])
    return names


def test_the_proposals_columns_are_documented_in_order():
    assert documented_columns("proposals") == PROPOSAL_COLUMNS


def test_the_accounting_columns_are_documented():
    assert documented_columns("accounting") == ["source_file", "source_sheet", *ACCOUNTING_COUNTS]


def test_the_decisions_columns_are_documented():
    from stmh_analysis.review import LOG_COLUMNS

    assert documented_columns("decisions") == LOG_COLUMNS


def test_every_data_issue_code_is_documented():
    section = CONTRACT.split("## Codes in `data_issues`", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"`([a-z_]+)`", section))
    assert documented == set(flag_codes())


def test_nothing_in_the_project_points_outside_it():
    tracked = subprocess.run(
        [
            "git",
            "grep",
            "-l",
            "-e",
            r"\.\./shared",  # regexes: this file's own text does not match them
            "-e",
            r"DESIGN\.md",
            "--",
            ".",
            ":!.ci",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert tracked == [], f"these files point to a document a user's clone does not have: {tracked}"


def test_every_problem_code_the_package_can_raise_has_a_row():
    """Codes are found where they are raised: Problem(...), skip(...), AmountError(...),
    UnreadableFile(...), the schemas' checks, the appraisal checks and the data_issues flags."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "src").rglob("*.py"))
    patterns = [
        r'Problem\(\s*"(?:error|rejected|skipped|warning|notice)",\s*[\w.\[\]"\']+,\s*"([a-z_]+)"',
        r'skip\(\s*"[a-z]+",\s*"([a-z_]+)"',
        r'AmountError\(\s*"([a-z_]+)"',
        r'UnreadableFile\(\s*"([a-z_]+)"',
        r'error="([a-z_]+)"',
        r'issue\(\s*row,\s*"[^"]*",\s*"([a-z_]+)"',
        r'"code":\s*"([a-z_]+)"',
    ]
    raised = {code for p in patterns for code in re.findall(p, source)}
    assert len(raised) > 35, "the code patterns no longer find the raise sites"
    table = problem_codes()
    assert raised <= set(table), (
        f"codes without a row in problems.csv: {sorted(raised - set(table))}"
    )
    for row in table.values():
        assert row.level in ("error", "rejected", "skipped", "warning", "notice")
        assert row.text and row.action, row.code
