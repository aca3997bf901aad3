"""Jupyter kernels started ahead of time, with their heavy imports done, for papermill to use.

Starting a kernel and importing pandas and the package costs more than most steps' own work. A
`WarmKernel` does that in the background while something else runs (the previous step, or a PDF
being rendered) and hands the running kernel to papermill (`km=`), which then only executes
the notebook. The caller shuts the kernel down after use. If warming fails, papermill starts
a kernel the usual way.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import uuid
from pathlib import Path


def kernel_installed(name: str) -> bool:
    from jupyter_core.paths import jupyter_path

    return any((Path(p) / name / "kernel.json").is_file() for p in jupyter_path("kernels"))


def choose_kernel(preferred: str = "") -> str:
    """The notebooks' own kernel 'stmh' when registered (make install does), else 'python3'."""
    if preferred:
        return preferred
    return "stmh" if kernel_installed("stmh") else "python3"


def _transport() -> dict[str, str]:
    """Unix sockets of its own for each kernel where the system has them.

    Over TCP, each kernel manager picks free ports by binding and releasing them; kernels started
    at the same moment by different processes (the run's workers) can then pick the same port,
    and a kernel dies or never answers (papermill issue 511). A socket file has no such race.
    """
    if os.name != "posix":
        return {}
    return {
        "transport": "ipc",
        # short: a Unix socket path has room for about 100 characters
        "ip": os.path.join(tempfile.gettempdir(), f"stmh-kernel-{uuid.uuid4().hex[:12]}"),
    }


class WarmKernel:
    """A kernel being started (and `preload` run in it) in a background thread."""

    def __init__(self, kernel_name: str, cwd: Path, preload: str, log: Path) -> None:
        from jupyter_client.manager import KernelManager

        self.km = KernelManager(kernel_name=kernel_name, **_transport())
        log.parent.mkdir(parents=True, exist_ok=True)
        self._log = log.open("ab")
        self._error: BaseException | None = None
        self._done = threading.Event()
        try:
            # The kernel's own chatter goes to the log, not the analyst's terminal.
            self.km.start_kernel(cwd=str(cwd), stdout=self._log, stderr=self._log)
        except Exception as exc:
            self._error = exc
            self._done.set()
            return
        threading.Thread(target=self._prepare, args=(preload,), daemon=True).start()

    def _prepare(self, preload: str) -> None:
        try:
            kc = self.km.client()
            kc.start_channels()
            try:
                kc.wait_for_ready(timeout=60)
                if preload:
                    reply = kc.execute_interactive(
                        preload, timeout=300, output_hook=lambda _msg: None, store_history=False
                    )
                    if reply["content"]["status"] != "ok":
                        raise RuntimeError(json.dumps(reply["content"])[:300])
            finally:
                kc.stop_channels()
        except BaseException as exc:  # any failure: papermill will start a fresh kernel instead
            self._error = exc
        finally:
            self._done.set()

    def take(self):
        """The ready kernel manager, or None when warming failed (its kernel is then shut down)."""
        self._done.wait()
        if self._error is not None:
            self.close()
            return None
        return self.km

    def close(self) -> None:
        try:
            if self.km.has_kernel:
                self.km.shutdown_kernel(now=True)
        except Exception:
            pass
        finally:
            self._log.close()
