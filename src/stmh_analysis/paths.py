"""Every folder the project uses, defined once from the package location (never the cwd).

`Paths.default()` points at the repository the package is installed from; every command-line
option and notebook parameter that names a folder overrides one field.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_ROOT = PACKAGE_DIR.parents[1]
NOTEBOOKS_DIR = REPO_ROOT / "notebooks"
TEMPLATES_DIR = PACKAGE_DIR / "report" / "templates"


@dataclass(frozen=True)
class Paths:
    """The folders of one run."""

    raw: Path
    processed: Path
    reports: Path
    reference: Path
    notebooks: Path = NOTEBOOKS_DIR

    @classmethod
    def default(cls) -> Paths:
        return cls(
            raw=REPO_ROOT / "data" / "raw",
            processed=REPO_ROOT / "data" / "processed",
            reports=REPO_ROOT / "reports",
            reference=REPO_ROOT / "data" / "reference",
        )

    def with_overrides(self, **folders: str | Path | None) -> Paths:
        """A copy with the given folders replaced; None keeps the default."""
        changes = {k: Path(v).resolve() for k, v in folders.items() if v is not None}
        return replace(self, **changes)

    @property
    def executed(self) -> Path:
        """Executed notebooks, kept for inspection (also the failed ones)."""
        return self.reports / "executed"

    @property
    def previous(self) -> Path:
        """The processed proposals of the run before the last change, for 'what changed'."""
        return self.processed / "previous"
