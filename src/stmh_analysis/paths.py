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
    releases: Path = REPO_ROOT / "releases"  # what was circulated, frozen (stmh release)
    logs: Path | None = None  # None: a folder 'logs' beside the reports folder

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
    def log_dir(self) -> Path:
        """What a run leaves for the analyst and itself, never circulated: the executed notebooks,
        kernel logs and the record of the last run (outside reports/, which holds what is sent)."""
        return self.logs if self.logs is not None else self.reports.parent / "logs"

    @property
    def executed(self) -> Path:
        """Executed notebooks, kept for inspection (also the failed ones)."""
        return self.log_dir / "executed"

    @property
    def state_file(self) -> Path:
        """The record of the last run: per step what it ran on and what it wrote."""
        return self.log_dir / "state.json"


def is_raw_input(path: Path) -> bool:
    """The one definition of a raw input: a regular file directly in the raw folder that is not
    hidden (`.name`), not an office lock file (`~$name.xlsx` from Excel, `.~lock.name#` from
    LibreOffice), not the folder's README, and not a symbolic link (never followed: it could
    point anywhere). Ingest, the runner's step keys and releases all ask this."""
    name = path.name
    if name.startswith((".", "~$")) or name.lower() in ("readme.md", "readme.txt", "leesmij.txt"):
        return False
    return path.is_file() and not path.is_symlink()


def raw_inputs(raw: Path) -> list[Path]:
    """Every raw input in `raw`, sorted by name (empty when the folder does not exist)."""
    if not raw.is_dir():
        return []
    return sorted(p for p in raw.iterdir() if is_raw_input(p))
