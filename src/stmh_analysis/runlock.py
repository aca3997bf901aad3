"""One run at a time per project: `stmh run`, `stmh review` and `stmh release` each hold
`logs/stmh.lock` while they work, so two of them never overwrite each other's files.

The lock is the operating system's (filelock: fcntl on Linux and macOS, msvcrt on Windows): a
killed process releases it, so a crash never leaves the project locked. Beside it,
`stmh.lock.json` says who holds it, for the message the second one gets. Under the lock, what a
killed run left behind (temporary files of an interrupted write) is removed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import socket
from collections.abc import Iterator
from pathlib import Path

LOCK_NAME = "stmh.lock"


class ProjectBusy(RuntimeError):
    """Another run, review or release of this project is working; the message says which."""


def _holder(info: Path) -> str:
    try:
        who = json.loads(info.read_text(encoding="utf-8"))
        return f"{who['what']} (gestart {who['started']}, proces {who['pid']} op {who['host']})"
    except (OSError, ValueError, KeyError, TypeError):
        return "run of release"


@contextlib.contextmanager
def exclusive(log_dir: Path, what: str) -> Iterator[None]:
    """Hold the project's lock while the block runs; ProjectBusy at once when another holds it."""
    from filelock import FileLock, Timeout

    log_dir.mkdir(parents=True, exist_ok=True)
    info = log_dir / f"{LOCK_NAME}.json"
    lock = FileLock(log_dir / LOCK_NAME, timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise ProjectBusy(
            f"er loopt al een {_holder(info)} in dit project; wacht tot die klaar is en probeer "
            "het dan opnieuw (twee tegelijk zouden elkaars bestanden overschrijven)"
        ) from None
    try:
        started = dt.datetime.now().astimezone().replace(microsecond=0).isoformat()
        who = {"what": what, "pid": os.getpid(), "host": socket.gethostname(), "started": started}
        info.write_text(json.dumps(who), encoding="utf-8")
        yield
    finally:
        info.unlink(missing_ok=True)
        lock.release()


def remove_leftovers(*folders: Path) -> list[Path]:
    """Temporary files an interrupted write left (`.name.XXXX.tmp`, `.name.PID.tmp.ipynb`) in
    `folders`; call only under the lock, when nothing else of this project is writing."""
    removed = []
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in folder.glob(".*.tmp*"):
            if path.is_file() and not path.is_symlink():
                path.unlink(missing_ok=True)
                removed.append(path)
    return removed
