"""The pipeline runner: the notebooks in order with papermill, incremental, parallel, traceable.

The pipeline is one table (`declare_steps`): each step's notebook, the parameters the run sets,
the files it reads and the files it writes. A step runs when `reasons_to_run` finds a reason: its
notebook, the package code, its parameters or its inputs differ from its last run, or its outputs
are no longer the files that run wrote (edited by hand, or missing). The run prints the reason
for every step. What each step ran on and wrote is recorded in logs/state.json; what the run was
given and used, in reports/manifest.json. Every notebook runs in a kernel of its own, started
ahead of time; briefings render in parallel worker processes. Every output is written to a
temporary name and renamed, so a failed or killed run leaves the last good files.
"""

from __future__ import annotations

import ast
import concurrent.futures as cf
import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from stmh_analysis.amounts.figures import format_dutch_number
from stmh_analysis.labels import Labels
from stmh_analysis.parameters import audiences, check_audience, check_date
from stmh_analysis.paths import PACKAGE_DIR, REPO_ROOT, Paths, raw_inputs
from stmh_analysis.reference import Reference, ReferenceError, load_reference
from stmh_analysis.releases import find_release
from stmh_analysis.store import atomic_write_text, count_csv_rows, csv_column_values, sha256_file
from stmh_analysis.why import Reason, in_words, reasons_to_run, why_line

NOTEBOOK_CLEAN = "01-clean-submissions.ipynb"
NOTEBOOK_RANK = "02-rank-proposals.ipynb"
NOTEBOOK_NOTA = "nota.ipynb"
NOTEBOOK_BIJLAGE = "bijlage.ipynb"
NOTEBOOK_KAMERBRIEF = "kamerbrief.ipynb"
NOTEBOOK_THEMA = "thema.ipynb"
PROGRAMME_DOCUMENTS = {
    "nota": NOTEBOOK_NOTA,
    "kamerbrief": NOTEBOOK_KAMERBRIEF,
    "bijlage": NOTEBOOK_BIJLAGE,
}


def document_notebook(audience: str) -> str:
    """The notebook that is this document: one per kind, so text for one audience stays there."""
    return PROGRAMME_DOCUMENTS.get(audience, NOTEBOOK_THEMA)


VERSIONED = (
    "pandas",
    "numpy",
    "scipy",
    "matplotlib",
    "papermill",
    "nbconvert",
    "nbclient",
    "weasyprint",
    "pandera",
    "openpyxl",
    "pyarrow",
    "stmh-analysis",
)


class ParameterError(ValueError):
    """A run parameter is unusable; the message names it. Nothing has run."""


class StepFailed(RuntimeError):
    """A notebook failed; the message names the notebook, the cell and the error."""


class InputRejected(RuntimeError):
    """--strict and some rows were rejected."""


@dataclass
class RunOptions:
    """One run. None (or empty) means 'not given for this run': the notebook's own parameters
    cell decides, and a None there means data/reference/settings.yaml."""

    paths: Paths = field(default_factory=Paths.default)
    budget_structural_eur: float | None = None
    budget_incidental_eur: float | None = None
    require_each_theme: bool | None = None
    ranking_criteria: list[str] | None = None
    ranking_weights: dict[str, float] | None = None
    public_appraisals: list[str] | None = None
    extra_scenarios: dict[str, float] | None = None  # one run's extra scenarios: name -> budget
    compare_with: str | None = None  # release 'what changed' compares with; None: the last one
    audiences: tuple[str, ...] | None = None  # None: nota, bijlage and every theme
    title: str | None = None
    reference_code: str | None = None
    date: str = ""  # YYYY-MM-DD: kept for later runs too; 'vandaag': back to the content's date
    jobs: int = 0  # 0: the number of cores
    force: bool = False
    strict: bool = False
    keep_edits: bool = False  # outputs edited by hand are kept (and the manifest says so)
    confirm_budget: bool = False  # a budget outside the plausible range is meant as given
    kernel_name: str = ""  # "": 'stmh' when installed, else 'python3'
    now: dt.datetime | None = None  # the run's clock (tests); None: the real time


@dataclass
class StepRecord:
    name: str
    status: str  # ran, skipped (up to date), failed, kept (hand edit kept), empty (no proposals)
    seconds: float
    notebook: str
    reasons: list[Reason] = field(default_factory=list)
    detail: str = ""

    def as_json(self, labels: Labels) -> dict[str, Any]:
        """The manifest's record: the reasons in words (what an analyst reads) and as codes."""
        return {
            "name": self.name,
            "status": self.status,
            "seconds": self.seconds,
            "notebook": self.notebook,
            "reasons": [in_words(r, labels) for r in self.reasons],
            "why": [r.as_json() for r in self.reasons],
            "detail": self.detail,
        }


# --- hashing -------------------------------------------------------------------------------------


def folder_hashes(folder: Path, names: tuple[str, ...] | None = None) -> dict[str, str]:
    """File name -> SHA-256 of its content (names: only those, missing ones as 'absent')."""
    if names is not None:
        return {n: sha256_file(folder / n) if (folder / n).is_file() else "absent" for n in names}
    if not folder.is_dir():
        return {}
    return {
        p.name: sha256_file(p)
        for p in sorted(folder.iterdir())
        if p.is_file() and not p.name.startswith(".")
    }


def code_hash() -> str:
    """One hash over the package's source, templates and styles: any code change reruns every step.
    A run computes it once and hands it to every step's facts (step_facts)."""
    h = hashlib.sha256()
    for p in sorted(PACKAGE_DIR.rglob("*")):
        if (
            p.is_file()
            and p.suffix in (".py", ".j2", ".css", ".json")
            and "__pycache__" not in p.parts
        ):
            h.update(str(p.relative_to(PACKAGE_DIR)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def notebook_key(notebook: Path) -> str:
    """What of a notebook decides its result: each cell's kind, source and tags. Outputs,
    execution counts and what JupyterLab stores on saving (language_info, widths, the values
    jupyterlab-myst shows) are not in it, so running and saving in Lab redoes nothing. The
    parameters cell counts by its values (step_facts: notebook_defaults), so a changed default
    is named in the why-line."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    written = [
        (
            cell.get("cell_type"),
            "" if "parameters" in tags else "".join(cell.get("source", "")),
            sorted(tags),
        )
        for cell in nb.get("cells", [])
        for tags in [cell.get("metadata", {}).get("tags", [])]
    ]
    return hashlib.sha256(json.dumps(written, ensure_ascii=False).encode()).hexdigest()


# --- parameters ----------------------------------------------------------------------------------


def notebook_parameters(notebook: Path) -> dict[str, Any]:
    """Names and default values of the cell tagged `parameters` (read from the file; nothing runs)."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "code" and "parameters" in cell.get("metadata", {}).get(
            "tags", []
        ):
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            params: dict[str, Any] = {}
            for node in ast.parse(source).body:
                if isinstance(node, ast.Assign | ast.AnnAssign):
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    for target in targets:
                        if isinstance(target, ast.Name):
                            try:
                                params[target.id] = (
                                    ast.literal_eval(node.value) if node.value else None
                                )
                            except ValueError:
                                params[target.id] = None
            return params
    raise ParameterError(f"{notebook.name}: geen cel met de tag 'parameters'")


def check_notebook_parameters(notebook: Path, parameters: Mapping[str, Any]) -> None:
    """Unknown names and values of another type than the default's are errors (papermill only warns)."""
    declared = notebook_parameters(notebook)
    for name, value in parameters.items():
        if name not in declared:
            raise ParameterError(
                f"{notebook.name}: onbekende parameter {name!r}; bekend: {', '.join(declared)}"
            )
        default = declared[name]
        if default is None or value is None:
            continue
        expected: tuple[type, ...] = (
            (int, float) if isinstance(default, float) else (type(default),)
        )
        if isinstance(default, list | tuple):
            expected = (list, tuple)
        wrong = not isinstance(value, expected) or (
            isinstance(value, bool) and not isinstance(default, bool)
        )
        if wrong:
            raise ParameterError(
                f"{notebook.name}: parameter {name!r} moet een {type(default).__name__} zijn "
                f"zoals de standaardwaarde {default!r}, niet {value!r}"
            )


def _check_budget_plausible(options: RunOptions, reference: Reference) -> None:
    """A budget below the floor of settings.yaml ('--budget 2,5' is € 2,50) or above the
    plausibility limit is refused with the reading shown, unless confirmed (--confirm-budget)."""
    if options.confirm_budget:
        return
    floor, limit = reference.min_budget_eur, reference.max_amount_eur
    for name in ("budget_structural_eur", "budget_incidental_eur"):
        value = getattr(options, name)
        if value is None or value == 0:
            continue
        if value < floor:
            guess = (
                f" Bedoelt u € {format_dutch_number(value, 1 if value % 1 else 0)} mln? Schrijf dan '{format_dutch_number(value, 1 if value % 1 else 0)} mln' of {value * 1_000_000:.0f}."
                if value < 1000
                else ""
            )
            raise ParameterError(
                f"{name}: € {format_dutch_number(value, 2 if value % 1 else 0)} is minder dan de ondergrens van "
                f"€ {format_dutch_number(floor)} (settings.yaml).{guess} Is het echt zo bedoeld: "
                "voeg --confirm-budget toe."
            )
        if value > limit:
            raise ParameterError(
                f"{name}: € {format_dutch_number(value)} is meer dan de aannemelijkheidsgrens van "
                f"€ {format_dutch_number(limit)} (settings.yaml). Is het echt zo bedoeld: voeg "
                "--confirm-budget toe."
            )


def validate_options(options: RunOptions) -> Reference:
    """Everything checkable before a notebook starts; raises ParameterError naming the parameter.
    Returns the reference data it read (the run reads it once)."""
    _check_budgets(options)
    _check_ranking(options)
    try:
        reference = load_reference(options.paths.reference)
    except ReferenceError as exc:
        raise ParameterError(f"reference: {exc}") from exc
    _check_budget_plausible(options, reference)
    _check_documents(options, reference)
    if options.jobs < 0:
        raise ParameterError(f"jobs: moet 0 (automatisch) of meer zijn, niet {options.jobs}")
    _check_folders(options.paths)
    return reference


def _check_budgets(options: RunOptions) -> None:
    """A budget given is a number of euros, 0 or more."""
    for name in ("budget_structural_eur", "budget_incidental_eur"):
        value = getattr(options, name)
        if value is None:
            continue
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or value != value
            or value < 0
        ):
            raise ParameterError(
                f"{name}: moet een bedrag in euro's van 0 of meer zijn, niet {value!r}"
            )


def _check_ranking(options: RunOptions) -> None:
    """Criteria and weights given name known criteria, each once."""
    from stmh_analysis.criteria import DEFAULT_CRITERIA, RankingError, validate_ranking

    if options.ranking_criteria is None and not options.ranking_weights:
        return
    try:
        validate_ranking(
            options.ranking_criteria or DEFAULT_CRITERIA, options.ranking_weights or {}
        )
    except RankingError as exc:
        raise ParameterError(str(exc)) from exc


def _check_documents(options: RunOptions, reference: Reference) -> None:
    """The documents asked for exist, the date reads as a date, the release to compare with is there."""
    try:
        for audience in options.audiences or ():
            check_audience(audience, reference)
        if options.date not in ("vandaag", "today"):
            check_date(options.date)
        if options.compare_with:
            find_release(options.paths.releases, options.compare_with)
    except ValueError as exc:
        raise ParameterError(str(exc)) from None


def _check_folders(paths: Paths) -> None:
    """The raw folder is there, no output folder is blocked by a file, every notebook is there."""
    if not paths.raw.is_dir():
        raise ParameterError(f"raw: map niet gevonden: {paths.raw}")
    for name, folder in (
        ("processed", paths.processed),
        ("reports", paths.reports),
        ("logs", paths.log_dir),
    ):
        blocked = next(
            (p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()), None
        )
        if blocked is not None:
            raise ParameterError(
                f"{name}: {blocked} is een bestand, geen map; kies een andere map voor {folder}"
            )
    for nb in (NOTEBOOK_CLEAN, NOTEBOOK_RANK, NOTEBOOK_NOTA, NOTEBOOK_BIJLAGE, NOTEBOOK_THEMA):
        if not (paths.notebooks / nb).is_file():
            raise ParameterError(f"notebook ontbreekt: {paths.notebooks / nb}")


# --- running one notebook ------------------------------------------------------------------------

CLEAN_PRELOAD = "import pandas, stmh_analysis.steps"
RANK_PRELOAD = (
    "import pandas, stmh_analysis.steps, stmh_analysis.scenarios, stmh_analysis.report.charts"
)
BRIEFING_PRELOAD = "import pandas, stmh_analysis.report.document"


def execute_notebook(
    notebook: Path,
    executed: Path,
    parameters: Mapping[str, Any],
    kernel: str,
    km: Any = None,
    keep_kernel: bool = False,
) -> None:
    """Run with papermill into `executed`; on failure keep `<name>.failed.ipynb` and raise StepFailed.

    `km`: a kernel already started (see kernels.WarmKernel); it is shut down here after use,
    unless `keep_kernel` and the notebook succeeded.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    executed.parent.mkdir(parents=True, exist_ok=True)
    tmp = executed.with_name(f".{executed.stem}.{os.getpid()}.tmp.ipynb")
    extra = {"km": km} if km is not None else {}
    try:
        _run_papermill(
            papermill, PapermillExecutionError, notebook, tmp, executed, parameters, kernel, extra
        )
    except BaseException:
        if km is not None:  # a failed kernel is never reused
            with contextlib.suppress(Exception):
                km.shutdown_kernel(now=True)
        raise
    if km is not None and not keep_kernel:
        with contextlib.suppress(Exception):
            km.shutdown_kernel(now=True)
    os.replace(tmp, executed)
    stale = executed.with_suffix(".failed.ipynb")
    if stale.exists():
        stale.unlink()


def _run_papermill(
    papermill,
    execution_error,
    notebook: Path,
    tmp: Path,
    executed: Path,
    parameters: Mapping[str, Any],
    kernel: str,
    extra: dict,
) -> None:
    try:
        with _stderr_to(executed.with_suffix(".log")):
            papermill.execute_notebook(
                str(notebook),
                str(tmp),
                parameters=dict(parameters),
                kernel_name=kernel,
                progress_bar=False,
                log_output=False,
                # written once when done (or failed), not twice per cell: on the nota that is
                # 58 validated JSON writes, close to a CPU second nobody reads
                request_save_on_cell_execute=False,
                cwd=str(notebook.parent),
                **extra,
            )
    except execution_error as exc:
        failed = executed.with_suffix(".failed.ipynb")
        if tmp.exists():
            os.replace(tmp, failed)
        raise StepFailed(
            f"notebook {notebook.name}: fout in {failing_cell(failed, exc.cell_index)}: "
            f"{exc.ename}: {exc.evalue}. Het uitgevoerde notebook staat in {failed}; de uitvoer "
            "van de vorige run is niet aangeraakt."
        ) from None
    except Exception as exc:
        if tmp.exists():
            tmp.unlink()
        raise StepFailed(
            f"notebook {notebook.name} kon niet worden uitgevoerd: {type(exc).__name__}: {exc}"
        ) from exc


def failing_cell(executed: Path, index: int) -> str:
    """The failing cell as an analyst finds it in JupyterLab: its number among the code cells
    (what Lab shows as [n] after 'Run All Cells'; papermill's own parameters cell not counted)
    and its first line."""
    try:
        cells = json.loads(executed.read_text(encoding="utf-8"))["cells"]
    except (OSError, ValueError, KeyError):
        return f"cel {index + 1}"
    ours = [
        i
        for i, c in enumerate(cells)
        if c.get("cell_type") == "code"
        and "injected-parameters" not in c.get("metadata", {}).get("tags", [])
    ]
    # the cell that holds the error (papermill's own index counts a banner it adds on top)
    failed = [i for i in ours if any(o.get("output_type") == "error" for o in cells[i]["outputs"])]
    index = failed[0] if failed else index
    if index not in ours:
        return f"cel {index + 1}"
    first = next((line for line in "".join(cells[index]["source"]).splitlines() if line), "")
    number = ours.index(index) + 1
    return f"codecel [{number}] (in JupyterLab [{number}] na 'Run All Cells'), die begint met {first!r}"


@contextlib.contextmanager
def _stderr_to(log: Path):
    """The kernel's own chatter (it inherits file descriptor 2) goes to a log beside the notebook."""
    sys.stderr.flush()
    saved = os.dup(2)
    with log.open("ab") as fh:
        os.dup2(fh.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


# --- briefing workers (separate processes: kernels and PDF rendering both need the CPU) -----------


@dataclass
class _BriefingWorker:
    """What one briefing worker process holds between its jobs: the kernel warming for the next
    briefing, and the one a briefing is running in (closed if the worker is stopped)."""

    kernel: str
    cwd: Path
    log: Path
    warm: Any = None  # a WarmKernel starting now
    busy: Any = None  # the WarmKernel of the briefing that runs

    def start_kernel(self) -> None:
        """A briefing kernel starting now in this worker, pandas and the document module imported."""
        from stmh_analysis.kernels import WarmKernel

        self.warm = WarmKernel(self.kernel, self.cwd, BRIEFING_PRELOAD, self.log)

    def take_kernel(self, warm_next: bool) -> tuple[Any, Any]:
        """A kernel no notebook has used and, when another briefing may follow (`warm_next`), the
        next one started at once, warming while this one runs and its PDF renders. Returns the
        kernel manager (None: papermill starts one) and its WarmKernel (to close after use)."""
        warm, self.warm = self.warm, None
        km = warm.take() if warm is not None else None
        if warm_next:
            self.start_kernel()
        self.busy = warm
        return km, warm

    def stop(self) -> None:
        for kernel in (self.busy, self.warm):  # a running briefing's kernel, and the one warming
            if kernel is not None:
                kernel.close()
        self.busy = self.warm = None


class _ThisWorker:
    """The briefing worker of this process. Set only in a pool worker, by the pool's initializer
    (_worker_start), and read by the jobs that run there; the main process never has one."""

    current: _BriefingWorker | None = None


def _worker_start(kernel: str, cwd: str, log_dir: str, main_pid: int = 0) -> None:
    """Each worker warms one kernel as soon as it starts, while the main process cleans and ranks;
    and stops, with its kernel, when the main process is gone (killed), instead of writing
    reports nobody waits for and then idling for good."""
    from multiprocessing import util

    if main_pid:
        threading.Thread(target=_stop_when_gone, args=(main_pid,), daemon=True).start()

    # The workers and their kernels warm up while clean and rank run; at a lower priority, so the
    # steps everything waits for get the cores first (the briefings then run alone anyway).
    with contextlib.suppress(OSError, AttributeError):
        os.nice(10)
    worker = _BriefingWorker(kernel, Path(cwd), Path(log_dir) / f"kernel-{os.getpid()}.log")
    worker.start_kernel()
    _ThisWorker.current = worker
    util.Finalize(None, _worker_stop, exitpriority=10)


def _stop_when_gone(main_pid: int, every_s: float = 0.5) -> None:
    """Watch the main process from a worker; when it no longer exists, close the warm kernel
    and leave at once (what was half written is removed by the next run, under its lock)."""
    import psutil

    while psutil.pid_exists(main_pid):
        time.sleep(every_s)
    with contextlib.suppress(Exception):
        _worker_stop()
    os._exit(3)


def _worker_stop() -> None:
    if _ThisWorker.current is not None:
        _ThisWorker.current.stop()


def public_appraisals_used(
    given: list[str] | None, paths: Paths, reference: Reference
) -> tuple[str, ...]:
    """The appraisals the public documents showed: given for this run, else the bijlage
    notebook's own parameter, else the publication rule in appraisals.yaml (`public: true`)."""
    if given is not None:
        return tuple(given)
    own = notebook_parameters(paths.notebooks / document_notebook("bijlage")).get(
        "public_appraisals"
    )
    return tuple(own) if own is not None else reference.public_appraisals


def _directorate(used: Mapping[str, Any]) -> str:
    """The sender of the documents (settings.yaml: nota.from), their author in the metadata."""
    folder = used.get("reference_dir")
    reference = load_reference(Path(folder) if folder else Paths.default().reference)
    return reference.memo.sender


def _noop() -> int:
    return os.getpid()


@dataclass(frozen=True)
class BriefingJob:
    """One document for a briefing worker: its notebook run with these parameters, then its files
    (an empty name: the document has no such file)."""

    audience: str
    notebook: Path
    parameters: dict[str, Any]
    kernel: str
    executed: Path
    html: Path
    pdf: Path
    workbook: Path | None = None
    docx: Path | None = None
    warm_next: bool = False  # start the next briefing's kernel while this one runs

    @classmethod
    def for_step(cls, step: Step, paths: Paths, parameters: dict[str, Any], kernel: str):
        audience = step.name.removeprefix("briefing:")
        by_suffix = {p.suffix: p for p in step.outputs.values()}
        return cls(
            audience,
            paths.notebooks / step.notebook,
            parameters,
            kernel,
            paths.executed / f"{audience}.ipynb",
            by_suffix[".html"],
            by_suffix[".pdf"],
            by_suffix.get(".xlsx"),
            by_suffix.get(".docx"),
        )


def _briefing_job(job: BriefingJob) -> tuple[str, float]:
    """Execute the briefing notebook for one audience in a kernel of its own, then render HTML
    and PDF. The next briefing's kernel starts and imports meanwhile (_BriefingWorker)."""
    from stmh_analysis.report.render import render_briefing

    start = time.perf_counter()
    worker = _ThisWorker.current
    km, warm = worker.take_kernel(job.warm_next) if worker is not None else (None, None)
    try:
        execute_notebook(job.notebook, job.executed, job.parameters, job.kernel, km=km)
    finally:
        if worker is not None:
            worker.busy = None
        if warm is not None:
            warm.close()  # the kernel is shut down after use: no notebook shares a kernel
    used = {**notebook_parameters(job.notebook), **job.parameters}  # as the notebook ran
    render_briefing(
        job.executed,
        job.html,
        job.pdf,
        author=_directorate(used),
        source=job.notebook.name,
        docx_target=job.docx,
    )
    if job.workbook is not None:
        from stmh_analysis.report.workbook import write_document_workbook

        write_document_workbook(
            job.audience,
            job.workbook,
            processed_dir=used.get("processed_dir"),
            reference_dir=used.get("reference_dir"),
            public_appraisals=used["public_appraisals"],
            date=used.get("date", ""),
            releases_dir=used.get("releases_dir"),
            compare_with=used.get("compare_with", ""),
        )
    return job.audience, time.perf_counter() - start


class _BriefingPool:
    """Worker processes for the briefings, started early so their imports and kernels are ready.

    Starting a forkserver blocks until it has imported its preload list (seconds), so that happens
    in a background thread while the main process cleans and ranks.
    """

    def __init__(self, workers: int, kernel: str, paths: Paths) -> None:
        self.workers = workers
        self._executor: cf.ProcessPoolExecutor | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._start, args=(kernel, paths), daemon=True)
        self._thread.start()

    def _start(self, kernel: str, paths: Paths) -> None:
        import multiprocessing

        # On Linux a thread's priority is its own and passes to the processes it starts: the
        # forkserver's imports then yield to the clean and rank steps in the main thread.
        with contextlib.suppress(OSError, AttributeError):
            os.nice(10)
        try:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(
                [
                    "stmh_analysis._forkserver",  # first: the workers start up as `stmh` does
                    "stmh_analysis.pipeline",
                    "stmh_analysis.report.render",
                    "stmh_analysis.report.workbook",  # pandas and openpyxl, once for all workers
                    "papermill",
                    "nbconvert",
                    "weasyprint",
                    "jupyter_client",
                ]
            )
            self._executor = cf.ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=ctx,
                initializer=_worker_start,
                initargs=(kernel, str(paths.notebooks), str(paths.executed), os.getpid()),
            )
            # One trivial task per worker makes the pool start them all now, not when briefings begin.
            for _ in range(self.workers):
                self._executor.submit(_noop)
        except BaseException as exc:
            self._error = exc

    @property
    def pool(self) -> cf.ProcessPoolExecutor:
        self._thread.join()
        if self._executor is None:
            raise StepFailed(f"de processen voor de documenten konden niet starten: {self._error}")
        return self._executor

    def close(self) -> None:
        self._thread.join()
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)


# --- the run -------------------------------------------------------------------------------------


def git_commit() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=5,
        ).stdout.strip()
        return head + ("-dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "onbekend"


def package_versions() -> dict[str, str]:
    out = {"python": sys.version.split()[0]}
    for name in VERSIONED:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "absent"
    return out


def _load_state(paths: Paths) -> dict:
    try:
        state = json.loads(paths.state_file.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}
    return state if isinstance(state, dict) and state.get("version") == 2 else {}


Say = Callable[[str], None]


# --- the pipeline, declared once -----------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One notebook run: what it is given, what it reads and what it writes."""

    name: str
    notebook: str
    parameters: dict[str, Any]  # what the run sets; the notebook's own cell decides the rest
    inputs: dict[str, Path]  # label -> file ('raw/x.csv', 'processed/proposals.parquet', ...)
    outputs: dict[str, Path]  # label -> file
    preload: str = ""


def declare_steps(options: RunOptions, paths: Paths, reference: Reference) -> list[Step]:
    """The pipeline: clean, rank, then one briefing per audience. Every other part of the runner,
    the manifest and the tests read this table; the writers' file names come from steps.py."""
    from stmh_analysis.outputs import (
        CLEAN_OUTPUTS,
        KEYS_DIR,
        RANK_INPUTS,
        RANK_OUTPUTS,
        REVIEW_WORKBOOK,
    )

    ref = {f"reference/{p.name}": p for p in reference.files}
    raw = {f"raw/{p.name}": p for p in _raw_files(paths.raw)}
    folders = _folders(paths)
    rank_given = {
        "budget_structural_eur": options.budget_structural_eur,
        "budget_incidental_eur": options.budget_incidental_eur,
        "require_each_theme": options.require_each_theme,
        "ranking_criteria": options.ranking_criteria,
        "ranking_weights": options.ranking_weights,
        "extra_scenarios": options.extra_scenarios,
    }
    keys = tuple(f"{KEYS_DIR}/{slug}.json" for slug in reference.theme_slugs)
    clean = Step(
        "clean",
        NOTEBOOK_CLEAN,
        {"raw_dir": str(paths.raw), "reports_dir": str(paths.reports), **folders},
        {**raw, **ref},
        {
            **_processed(paths, CLEAN_OUTPUTS),
            f"reports/{REVIEW_WORKBOOK}": paths.reports / REVIEW_WORKBOOK,
        },
        CLEAN_PRELOAD,
    )
    rank = Step(
        "rank",
        NOTEBOOK_RANK,
        {**folders, **{k: v for k, v in rank_given.items() if v is not None}},
        {**_processed(paths, RANK_INPUTS), **ref},
        {**_processed(paths, RANK_OUTPUTS), **_processed(paths, keys)},
        RANK_PRELOAD,
    )
    compared = _compared_release(paths, options)
    briefings = [
        _briefing_step(audience, options, paths, {**ref, **compared})
        for audience in options.audiences or audiences(reference)
    ]
    return [clean, rank, *briefings]


def _processed(paths: Paths, names: tuple[str, ...]) -> dict[str, Path]:
    return {f"processed/{n}": paths.processed / n for n in names}


def _folders(paths: Paths) -> dict[str, str]:
    return {"processed_dir": str(paths.processed), "reference_dir": str(paths.reference)}


def _compared_release(paths: Paths, options: RunOptions) -> dict[str, Path]:
    """'What changed' compares with a release: its proposals are an input of every briefing, so a
    new release (or another --compare-with) makes the briefings say so and rerun."""
    baseline = find_release(paths.releases, options.compare_with or "")
    if baseline is None:
        return {}
    return {f"release/{baseline.folder.name}/proposals.parquet": baseline.proposals}


def _briefing_step(
    audience: str, options: RunOptions, paths: Paths, shared: dict[str, Path]
) -> Step:
    """One document's step. A theme briefing depends on what it shows of its theme (its key),
    the documents of the whole programme on every table they read; all on `shared` (the
    reference files and the release compared with)."""
    from stmh_analysis.outputs import BRIEFING_INPUTS, KEYS_DIR

    given = {
        "title": options.title,
        "reference_code": options.reference_code,
        "public_appraisals": options.public_appraisals,
        "compare_with": options.compare_with,
    }
    which = {} if audience in PROGRAMME_DOCUMENTS else {"theme": audience}
    tables = (f"{KEYS_DIR}/{audience}.json",) if which else BRIEFING_INPUTS
    return Step(
        f"briefing:{audience}",
        document_notebook(audience),
        {
            **which,
            **_folders(paths),
            "releases_dir": str(paths.releases),
            **{k: v for k, v in given.items() if v is not None},
        },
        {**_processed(paths, tables), **shared},
        document_outputs(audience, paths.reports),
        BRIEFING_PRELOAD,
    )


def document_outputs(audience: str, reports: Path) -> dict[str, Path]:
    """What one document's step writes: HTML and PDF, its workbook and its Word file if it has
    them (outputs.WORKBOOKS, WORD_DOCUMENTS)."""
    from stmh_analysis.outputs import WORD_DOCUMENTS, WORKBOOKS, document_file

    names = ["html", "pdf"]
    names += [WORKBOOKS[audience]] if audience in WORKBOOKS else []
    names += ["docx"] if audience in WORD_DOCUMENTS else []
    files = [document_file(reports, audience, name) for name in names]
    return {f"reports/{p.relative_to(reports).as_posix()}": p for p in files}


def _raw_files(raw: Path) -> list[Path]:
    return raw_inputs(raw)


def _hashes(files: Mapping[str, Path]) -> dict[str, str]:
    return {label: sha256_file(p) if p.is_file() else "absent" for label, p in files.items()}


def step_facts(step: Step, paths: Paths, code: str, extra: Mapping[str, Any] | None = None) -> dict:
    """What a step's result depends on: its notebook, the package code (`code`: code_hash() of
    this run), its parameters, its inputs."""
    # Folders say where the files are, not what they hold (their hashes say that): a project
    # copied to another place or laptop is still up to date.
    given = {
        k: v for k, v in {**step.parameters, **(extra or {})}.items() if k not in FOLDER_PARAMETERS
    }
    return {
        "notebook": notebook_key(paths.notebooks / step.notebook),
        "notebook_name": Path(step.notebook).stem,
        "notebook_defaults": json.loads(
            json.dumps(notebook_parameters(paths.notebooks / step.notebook), default=str)
        ),
        "code": code,
        "parameters": json.loads(json.dumps(given, default=str)),
        "inputs": _hashes(step.inputs),
    }


FOLDER_PARAMETERS = ("raw_dir", "processed_dir", "reference_dir", "releases_dir", "reports_dir")


def refuse_unseen_edits(names: list[str], step: Step) -> None:
    """--keep-edits keeps an edited table only where the documents read that table: a CSV the
    next steps read as its parquet twin (proposals, ranking, ...) would be kept in the CSV and
    absent from the nota, so the manifest, the CSV and the documents would disagree."""
    labels = {Path(label).name for label in step.outputs}
    unseen = [
        n for n in names if n.endswith(".csv") and n.removesuffix(".csv") + ".parquet" in labels
    ]
    if unseen:
        twin = unseen[0].removesuffix(".csv") + ".parquet"
        raise ParameterError(
            f"--keep-edits: {unseen[0]} is met de hand gewijzigd, maar de volgende stappen lezen "
            f"{twin}, dus de wijziging zou niet in de nota en de bijlage komen. Leg een ander "
            "bedrag, thema of organisatie vast als beoordeling (reports/te-beoordelen.xlsx, "
            "opgeslagen als data/raw/beoordelingen.xlsx), of draai zonder --keep-edits; dan "
            f"wordt {unseen[0]} opnieuw gemaakt"
        )


def parameter_notices(steps: list[Step], paths: Paths, options: RunOptions) -> list[str]:
    """Where the run sets a parameter that the notebook's own cell sets differently, say so: an
    analyst's edit is never replaced without a word."""
    notices = []
    seen: set[tuple[str, str]] = set()
    for step in steps:
        cell = notebook_parameters(paths.notebooks / step.notebook)
        for name, value in step.parameters.items():
            mine = cell.get(name)
            if (
                name in ("audience", "theme")
                or mine is None
                or mine == value
                or (step.notebook, name) in seen
            ):
                continue
            seen.add((step.notebook, name))
            source = "de run" if name in FOLDER_PARAMETERS else "de opdrachtregel"
            notices.append(
                f"parameter {name}: notebook {step.notebook} zegt {mine!r}, {source} {value!r}; "
                f"{source} geldt voor deze run"
            )
    return notices


def briefing_date(options: RunOptions, state: dict) -> str:
    """The date a briefing carries: an explicit --date (kept for later runs until changed), else
    empty, which means the date of its content: the day of the run that changed it."""
    if options.date in ("vandaag", "today"):
        return ""
    return options.date or state.get("date", "")


# --- the run -------------------------------------------------------------------------------------


def run_pipeline(options: RunOptions, say: Say = print, progress: bool = True) -> dict:
    """Run what changed, saying why; return the manifest. One run per project at a time (the
    project lock; ProjectBusy when another run or release holds it); what a killed run left
    half-written is removed first. Raises ParameterError, StepFailed or InputRejected."""
    from stmh_analysis.runlock import exclusive, remove_leftovers

    reference = validate_options(options)
    paths = options.paths
    with exclusive(paths.log_dir, "stmh run"):
        left = remove_leftovers(paths.processed, paths.reports, paths.executed)
        if left:
            say(f"  opgeruimd: {len(left)} half geschreven bestand(en) van een afgebroken run")
        return _run_locked(options, reference, say, progress)


def run_provenance(options: RunOptions) -> dict[str, Any]:
    """When and with what this run ran, and what it was given on the command line (the rest came
    from the notebooks and settings.yaml): the documents' provenance line and the manifest."""
    now = (options.now or dt.datetime.now()).astimezone().replace(microsecond=0)
    given = [
        k
        for k in (
            "budget_structural_eur",
            "budget_incidental_eur",
            "require_each_theme",
            "ranking_criteria",
            "ranking_weights",
            "public_appraisals",
            "title",
            "reference_code",
        )
        if getattr(options, k) is not None
    ]
    dated = options.date and options.date not in ("vandaag", "today")
    return {
        "run_date": now.isoformat(),
        "package_version": metadata.version("stmh-analysis"),
        "git_commit": git_commit(),
        "given": sorted(given) + (["date"] if dated else []),
    }


def _run_locked(options: RunOptions, reference: Reference, say: Say, progress: bool) -> dict:
    """The run under the project lock: clean, rank, then the briefings, each only when
    `reasons_to_run` finds a reason; the manifest is written also when a step fails."""
    run = _Run(options, reference, say)
    try:
        rank_reasons = run.clean_and_rank()
        run.make_briefings(rank_reasons, progress)
    except (StepFailed, InputRejected):
        run.write_manifest()
        raise
    finally:
        run.close()
    return run.write_manifest()


class _Run:
    """One `stmh run`: the declared steps, what was decided and run for each, and the kernels
    and workers started for them. Its methods are the runner's loop, one decision each."""

    def __init__(self, options: RunOptions, reference: Reference, say: Say) -> None:
        self.options, self.reference, self.say = options, reference, say
        self.paths = paths = options.paths
        self.labels = reference.labels
        self.code = code_hash()
        self.jobs = options.jobs or os.cpu_count() or 1
        self.state = {} if options.force else _load_state(paths)
        self.before = self.state.get("steps", {})
        self.provenance = run_provenance(options)
        self.steps = declare_steps(options, paths, reference)
        for step in self.steps:
            check_notebook_parameters(paths.notebooks / step.notebook, step.parameters)
        for notice in parameter_notices(self.steps, paths, options):
            say(f"  let op: {notice}")
        self.date = briefing_date(options, self.state)
        self.new_state: dict = {"version": 2, "steps": dict(self.before), "date": self.date}
        self.records: list[StepRecord] = []
        self.kept: dict[str, list[str]] = {}
        self.warm: dict[str, Any] = {}  # step name -> its WarmKernel
        self.pool: _BriefingPool | None = None
        self.kernel = ""
        for old_log in paths.executed.glob("kernel-*.log"):  # kernel chatter of earlier runs
            old_log.unlink(missing_ok=True)

    # --- deciding and recording ------------------------------------------------------------

    def decide(self, step: Step) -> tuple[dict, list[Reason]]:
        """What the step depends on now, and why it must run (empty: up to date, or its hand
        edits kept under --keep-edits)."""
        extra = {"date": self.date} if step.name.startswith("briefing:") else None
        facts = step_facts(step, self.paths, self.code, extra)
        reasons = reasons_to_run(facts, self.before.get(step.name), _hashes(step.outputs))
        edited = [r for r in reasons if r.code == "edited"]
        if self.options.keep_edits and edited and len(edited) == len(reasons):
            names = list(edited[0].args)
            refuse_unseen_edits(names, step)
            self.kept[step.name] = names
            return facts, []
        return facts, reasons

    def finish(self, step: Step, facts: dict) -> None:
        self.new_state["steps"][step.name] = {**facts, "outputs": _hashes(step.outputs)}

    def skip(self, step: Step) -> None:
        kept = self.kept.get(step.name)
        status = "kept" if kept else "skipped"
        detail = (
            "met de hand gewijzigde uitvoer behouden: " + ", ".join(kept) if kept else "actueel"
        )
        self.records.append(StepRecord(step.name, status, 0.0, step.notebook, [], detail))

    def write_manifest(self) -> dict:
        return _write_manifest(
            self.paths,
            self.options,
            self.steps,
            self.records,
            self.provenance,
            self.new_state,
            self.kept,
            self.reference,
        )

    def close(self) -> None:
        for w in self.warm.values():
            w.close()
        if self.pool is not None:
            self.pool.close()

    # --- clean and rank --------------------------------------------------------------------

    def start_kernels(self) -> tuple[dict, list[Reason]]:
        """Decide clean, and start now the kernels of what will run: clean's and rank's boot at
        once, one per core, and the briefing workers at a lower priority. Returns clean's facts
        and reasons."""
        from stmh_analysis.kernels import WarmKernel, choose_kernel

        clean, rank, briefings = self.steps[0], self.steps[1], self.steps[2:]
        clean_facts, clean_reasons = self.decide(clean)
        rank_due = bool(clean_reasons) or bool(self.decide(rank)[1])
        if not rank_due:  # the proposals stay as they are: so do the themes that have a document
            present = _themes(self.state.get("themes"), self.paths)
            briefings = _with_proposals(briefings, present, say=None)
        briefings_due = rank_due or any(self.decide(b)[1] for b in briefings)
        if clean_reasons or briefings_due:
            self.kernel = choose_kernel(self.options.kernel_name)
        log = self.paths.executed / "kernel-main.log"
        for step, due in ((clean, bool(clean_reasons)), (rank, rank_due)):
            if due:
                self.warm[step.name] = WarmKernel(
                    self.kernel, self.paths.notebooks, step.preload, log
                )
        if briefings_due:
            workers = max(1, min(self.jobs, len(briefings)))
            self.pool = _BriefingPool(workers, self.kernel, self.paths)
        return clean_facts, clean_reasons

    def clean_and_rank(self) -> list[Reason]:
        """Run clean and rank where due; returns why rank ran (empty: it did not)."""
        clean, rank = self.steps[0], self.steps[1]
        self.run_step(clean, *self.start_kernels())
        self.check_rejected()
        rank_facts, rank_reasons = self.decide(rank)
        if not rank_reasons and rank.name in self.warm:
            self.warm.pop(rank.name).close()
        self.run_step(rank, rank_facts, rank_reasons)
        return rank_reasons

    def run_step(self, step: Step, facts: dict, reasons: list[Reason]) -> None:
        """Execute one step notebook in its warm kernel, or record that it is up to date."""
        if not reasons:
            self.skip(step)
            word = "behouden (met de hand gewijzigd)" if step.name in self.kept else "actueel"
            self.say(f"  {step.name:<30} {word}")
            if step.name in self.warm:
                self.warm.pop(step.name).close()
            return
        start = time.perf_counter()
        w = self.warm.pop(step.name, None)
        try:
            execute_notebook(
                self.paths.notebooks / step.notebook,
                self.paths.executed / step.notebook,
                step.parameters,
                self.kernel,
                km=w.take() if w is not None else None,
            )
        except StepFailed:
            seconds = time.perf_counter() - start
            self.records.append(StepRecord(step.name, "failed", seconds, step.notebook, reasons))
            raise
        seconds = time.perf_counter() - start
        self.records.append(StepRecord(step.name, "ran", seconds, step.notebook, reasons))
        self.finish(step, facts)
        why = why_line(reasons, self.labels)
        self.say(f"  {step.name:<30} uitgevoerd ({why}) {seconds:5.1f} s")

    def check_rejected(self) -> None:
        """Say how many rows clean rejected; under --strict, any stops the run."""
        rejected = count_csv_rows(self.paths.processed / "rejected.csv")
        if not rejected:
            return
        where = self.paths.processed / "rejected.csv"
        self.say(f"  {rejected} regel(s) afgewezen: zie {where} en issues.csv")
        if self.options.strict:
            raise InputRejected(f"--strict: {rejected} regel(s) afgewezen; zie {where}")

    # --- the briefings ---------------------------------------------------------------------

    def make_briefings(self, rank_reasons: list[Reason], progress: bool) -> None:
        """The documents of the themes that have proposals, each only when due, in the workers."""
        declared = self.steps[2:]
        recorded = self.state.get("themes") if not rank_reasons else None
        present = _themes(recorded, self.paths)
        self.new_state["themes"] = sorted(present)
        briefings = _with_proposals(declared, present, self.say)
        for step in declared:
            if step not in briefings:
                self.new_state["steps"].pop(step.name, None)
                self.records.append(
                    StepRecord(step.name, "empty", 0.0, step.notebook, [], NO_PROPOSALS)
                )
        todo = self.briefing_jobs(briefings)
        if len(todo) < len(briefings):
            self.say(f"  {'briefings':<30} {len(briefings) - len(todo)} actueel")
        if not todo:
            return
        if self.pool is None:
            self.pool = _BriefingPool(max(1, min(self.jobs, len(todo))), self.kernel, self.paths)
        _run_briefings(self.pool, todo, self.records, self.finish, self.say, progress, self.labels)

    def briefing_jobs(self, briefings: list[Step]) -> list[tuple]:
        """(step, facts, reasons, job) for each briefing that must run, the nota first (the
        heaviest, so no worker idles at the end); the others are recorded as up to date."""
        run_date = self.provenance["run_date"]
        todo = []
        for step in briefings:
            facts, reasons = self.decide(step)
            if not reasons:
                self.skip(step)
                continue
            params = {
                **step.parameters,
                "date": self.date or run_date[:10],  # the run's day (ISO)
                "run_date": run_date,
                "provenance_json": json.dumps(self.provenance),
            }
            job = BriefingJob.for_step(step, self.paths, params, self.kernel)
            todo.append((step, facts, reasons, job))
        return sorted(todo, key=lambda t: t[3].audience != "nota")


NO_PROPOSALS = "geen voorstellen in dit thema: geen document"


def _themes(recorded: list[str] | None, paths: Paths) -> set[str]:
    """The themes that have proposals, read from the proposals themselves (only the theme
    column), never trusted from the record of the last run: a damaged logs/state.json
    ('"themes": []') must not delete every theme briefing. The record is the fallback only when
    there is no proposals table yet."""
    table = paths.processed / "proposals.csv"
    if table.is_file():
        # the CSV twin of proposals.parquet: importing pyarrow here would cost the run a third
        # of a second between rank and the briefings
        return csv_column_values(table, "theme")
    return set(recorded or ())


def _with_proposals(briefings: list[Step], present: set[str], say: Say | None) -> list[Step]:
    """The briefings to make: the nota, the bijlage, and a theme's briefing only when the theme
    has proposals (the nota names the themes without). An old document of a theme that has none
    now is removed, so nothing stale is circulated or released."""
    keep = []
    for step in briefings:
        theme = step.parameters.get("theme")
        if theme is None or theme in present:
            keep.append(step)
            if say is not None:
                _remove_old_public_copies(step, say)
            continue
        stale = [p for p in step.outputs.values() if p.exists()]
        for path in stale:
            path.unlink()
        if say is not None:
            gone = f" (oude versie verwijderd: {', '.join(p.name for p in stale)})" if stale else ""
            say(f"  {step.name:<30} {NO_PROPOSALS}{gone}")
    return keep


def _remove_old_public_copies(step: Step, say: Say) -> None:
    """A public document used to be written to reports/ itself; it now lands in reports/openbaar/
    (outputs.PUBLIC_FOLDER). The old copy is removed, so reports/ never holds a stale public
    document beside the current one."""
    from stmh_analysis.outputs import PUBLIC_FOLDER

    for path in step.outputs.values():
        old = path.parent.parent / path.name
        if path.parent.name == PUBLIC_FOLDER and old.is_file():
            old.unlink()
            say(f"  {step.name:<30} oude kopie in {old.parent.name}/ verwijderd: {old.name}")


def warm_next_flags(jobs: int, workers: int) -> list[bool]:
    """Per briefing job: should its worker start the next kernel while this job runs?

    Each worker starts with one warm kernel, and jobs are taken in order, so job i's worker is
    needed again only for job i + workers or later. The last `workers` jobs therefore warm
    nothing: a kernel nobody uses costs a second of CPU that the other briefings need.
    """
    return [i + workers < jobs for i in range(jobs)]


def _run_briefings(pool, todo, records, finish, say, progress, labels: Labels) -> None:
    from tqdm import tqdm

    start = time.perf_counter()
    failures: list[str] = []
    bar = tqdm(
        total=len(todo),
        desc="  briefings",
        unit="briefing",
        disable=not progress,
        file=sys.stderr,
        leave=False,
    )
    by_audience = {job.audience: (step, facts, reasons) for step, facts, reasons, job in todo}
    warm_next = warm_next_flags(len(todo), pool.workers)
    futures = {
        pool.pool.submit(
            _briefing_job, dataclasses.replace(job, warm_next=warm_next[i])
        ): job.audience
        for i, (*_, job) in enumerate(todo)
    }
    done: list[tuple[str, list[str]]] = []
    for fut in cf.as_completed(futures):
        audience = futures[fut]
        step, facts, reasons = by_audience[audience]
        try:
            _, seconds = fut.result()
        except StepFailed as exc:
            failures.append(str(exc))
            records.append(StepRecord(step.name, "failed", 0.0, step.notebook, reasons, str(exc)))
        except Exception as exc:  # rendering errors are reported the same way
            failures.append(
                f"document {audience} kon niet worden gemaakt: {type(exc).__name__}: {exc}"
            )
            records.append(StepRecord(step.name, "failed", 0.0, step.notebook, reasons, str(exc)))
        else:
            records.append(StepRecord(step.name, "ran", seconds, step.notebook, reasons))
            finish(step, facts)
            done.append((step.name, reasons))
        bar.update(1)
    bar.close()
    for name, reasons in sorted(done):
        say(f"  {name:<30} uitgevoerd ({why_line(reasons, labels)})")
    say(
        f"  {'briefings':<30} {time.perf_counter() - start:5.1f} s ({len(todo)} gemaakt, {pool.workers} tegelijk)"
    )
    if failures:
        raise StepFailed("; ".join(failures))


def used_parameters(paths: Paths) -> dict:
    """What the rank step actually used (budget, criteria, weights, horizon, appraisal values), as
    it recorded it: whatever set them, command line, notebook cell or settings.yaml."""
    try:
        return json.loads((paths.processed / "rank_parameters.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}


def _given_options(options: RunOptions) -> dict[str, object]:
    """The run's options as given (None where the settings decide), for the manifest."""
    return {
        "budget_structural_eur": options.budget_structural_eur,
        "budget_incidental_eur": options.budget_incidental_eur,
        "require_each_theme": options.require_each_theme,
        "ranking_criteria": options.ranking_criteria,
        "ranking_weights": options.ranking_weights,
        "public_appraisals": options.public_appraisals,
        "extra_scenarios": options.extra_scenarios,
        "compare_with": options.compare_with,
        "audiences": list(options.audiences) if options.audiences else "alle",
        "title": options.title,
        "reference_code": options.reference_code,
        "date": options.date,
        "jobs": options.jobs or os.cpu_count(),
        "force": options.force,
        "strict": options.strict,
        "keep_edits": options.keep_edits,
    }


def _write_manifest(
    paths: Paths,
    options: RunOptions,
    steps: list[Step],
    records: list[StepRecord],
    provenance: dict,
    state: dict,
    kept: dict,
    reference: Reference,
) -> dict:
    """reports/manifest.json (what was given, used, read, run and written) and the run state."""
    manifest = {
        "run_date": provenance["run_date"],
        "git_commit": provenance["git_commit"],
        "package_versions": package_versions(),
        "folders": {
            "raw": str(paths.raw),
            "processed": str(paths.processed),
            "reports": str(paths.reports),
            "reference": str(paths.reference),
            "logs": str(paths.log_dir),
        },
        "given": _given_options(options),
        "used": {
            "rank": used_parameters(paths),
            "public_appraisals": list(
                public_appraisals_used(options.public_appraisals, paths, reference)
            ),
            "briefing_date": state.get("date") or "datum van de inhoud",
        },
        "inputs": {
            k.removeprefix("raw/"): v
            for k, v in _hashes(steps[0].inputs).items()
            if k.startswith("raw/")
        },
        "steps": [r.as_json(reference.labels) for r in records],
        "skipped": [r.name for r in records if r.status in ("skipped", "kept")],
        "kept_edits": kept,
        "outputs": {
            label: digest
            for step in steps
            for label, digest in state["steps"].get(step.name, {}).get("outputs", {}).items()
        },
    }
    paths.reports.mkdir(parents=True, exist_ok=True)
    atomic_write_text(
        paths.reports / "manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    )
    atomic_write_text(paths.state_file, json.dumps(state, indent=2, sort_keys=True) + "\n")
    return manifest
