"""Reading and writing data/processed: atomic writes, spreadsheet-safe CSV.

Every file is written to a temporary name in the same folder and renamed into place, so a
killed or failing run leaves the previous good file, never half of a new one.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where used: the runner's 'up to date' path stays free of pandas
    import pandas as pd

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def sha256_file(path: Path) -> str:
    """SHA-256 of a file's content, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def current_umask() -> int:
    """The process's umask, read without changing it where the system allows."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    mask = os.umask(0o022)  # elsewhere: read by setting, then restore at once
    os.umask(mask)
    return mask


def shared_mode() -> int:
    """The mode a newly created file gets from the user's umask (normally -rw-r--r--)."""
    return 0o666 & ~current_umask()


@contextlib.contextmanager
def atomic_path(target: Path):
    """Yield a temporary path beside `target`; on success it replaces `target` in one rename.

    The temporary file is private while it is written; the file put in place gets the mode the
    user's umask gives, so colleagues can open the reports as with any file the user saves."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        tmp_path.chmod(shared_mode())
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def atomic_write_bytes(target: Path, data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def atomic_write_text(target: Path, text: str) -> None:
    atomic_write_bytes(target, text.encode("utf-8"))


def count_csv_rows(path: Path | None) -> int:
    """Data rows of a CSV we wrote (header not counted; a cell with a line break is one row);
    0 when there is no file."""
    import csv

    if path is None or not path.is_file():
        return 0
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return max(0, sum(1 for _ in csv.reader(fh)) - 1)


def csv_column_values(path: Path, column: str) -> set[str]:
    """The distinct values of one column of a CSV we wrote (read with the standard library, so a
    runner deciding what to do need not import pandas or pyarrow)."""
    import csv

    with path.open(encoding="utf-8-sig", newline="") as fh:
        return {row[column] for row in csv.DictReader(fh)}


def neutralise_for_spreadsheet(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells a spreadsheet would run as a formula (=, +, -, @ first) get a leading apostrophe."""
    import pandas as pd

    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            text = out[col].astype("string")
            risky = text.str.startswith(_FORMULA_START).fillna(False)
            if risky.any():
                out[col] = text.where(~risky, "'" + text)
    return out


def write_table(frame: pd.DataFrame, stem: Path, *, parquet: bool = False) -> None:
    """`stem`.csv for people (UTF-8 with BOM so Excel shows accents; formulas neutralised),
    and with parquet=True also `stem`.parquet holding the exact values."""
    csv_text = neutralise_for_spreadsheet(frame).to_csv(index=False, lineterminator="\n")
    atomic_write_bytes(stem.with_suffix(".csv"), b"\xef\xbb\xbf" + csv_text.encode("utf-8"))
    if parquet:
        with atomic_path(stem.with_suffix(".parquet")) as tmp:
            frame.to_parquet(tmp, index=False)


def read_table(stem: Path) -> pd.DataFrame:
    """The parquet if there is one (exact values), else the CSV."""
    import pandas as pd

    if stem.with_suffix(".parquet").exists():
        return pd.read_parquet(stem.with_suffix(".parquet"))
    return pd.read_csv(stem.with_suffix(".csv"), encoding="utf-8-sig", keep_default_na=False)
