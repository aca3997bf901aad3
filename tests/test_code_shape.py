"""Each decision short enough to read in one sitting: no function of the package is longer than
60 lines (a screenful), except the ones listed in tests/data/long_functions.csv, which may only
shrink. The list is empty now; a function that must stay longer goes there with a comment why."""

from __future__ import annotations

import ast
import csv
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
LISTED = Path(__file__).with_name("data") / "long_functions.csv"
MAX_LINES = 60


def function_lengths() -> dict[tuple[str, str], int]:
    lengths = {}
    for path in sorted((SRC / "stmh_analysis").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                key = (str(path.relative_to(SRC)), node.name)
                lengths[key] = max(lengths.get(key, 0), node.end_lineno - node.lineno + 1)
    return lengths


def listed() -> dict[tuple[str, str], int]:
    with LISTED.open(encoding="utf-8") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return {(r["file"], r["function"]): int(r["lines"]) for r in rows}


def test_no_function_is_longer_than_a_screenful_unless_listed_and_none_grows():
    allowed = listed()
    too_long = {
        key: n
        for key, n in function_lengths().items()
        if n > MAX_LINES and n > allowed.get(key, MAX_LINES)
    }
    assert not too_long, (
        f"longer than {MAX_LINES} lines (split into named steps; a listed one may not grow): "
        f"{too_long}"
    )


def test_the_list_of_long_functions_names_only_functions_that_still_are():
    lengths = function_lengths()
    stale = {key for key, n in listed().items() if lengths.get(key, 0) <= MAX_LINES}
    assert not stale, f"now short enough or gone; remove from {LISTED.name}: {sorted(stale)}"


def test_no_function_keeps_state_in_a_module_global():
    """No `global` statement in the package: a value computed once per run is passed (the code
    hash), not cached where the next run or notebook would find it."""
    found = [
        (str(path.relative_to(SRC)), node.lineno)
        for path in sorted((SRC / "stmh_analysis").rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Global)
    ]
    assert not found, found
