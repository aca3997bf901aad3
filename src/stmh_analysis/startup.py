"""Start-up of the processes the `stmh` command runs in: the command itself and its briefing workers.

Nothing here runs when the package is imported (a notebook or JupyterLab importing
`stmh_analysis` keeps its Python as it was); the command calls `decline_slow_optional_modules`
first thing, and the briefing forkserver imports `stmh_analysis._forkserver` first.
"""

from __future__ import annotations

import sys

# jsonschema (under nbformat, under papermill) imports rfc3987_syntax when it is installed
# (JupyterLab's jupyter-events brings it), which builds a parser grammar at import: about a
# second in every process that touches a notebook, for an IRI format check that notebook files
# never need. Declined, jsonschema skips that one format check.
SLOW_OPTIONAL_MODULES = ("rfc3987_syntax",)


def decline_slow_optional_modules() -> None:
    """Make `import` of the slow optional modules fail in this process, so their users skip them."""
    for name in SLOW_OPTIONAL_MODULES:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]
