"""The pipeline runner: the notebooks in order with papermill, incremental, parallel, traceable.

A step runs only when its key changed: the hash of its input files' contents, its parameters, its
notebook and the package code. Keys of the last successful run live in reports/.stmh-state.json.
Briefings run in parallel worker processes, each with its own output paths. Every output is
written to a temporary name and renamed, so a failed or killed run leaves the last good files.
reports/manifest.json records parameters, input hashes, timings, skips, versions and the commit.
"""

from __future__ import annotations

import ast
import concurrent.futures as cf
import contextlib
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

# jsonschema (under nbformat, under papermill) imports rfc3987_syntax when present, which builds a
# parser grammar at import: about a second in every process that touches a notebook, for an IRI
# format check that notebook files never need. The runner declines that optional module; jsonschema
# then skips that one format check. (Set before papermill is imported, here and in the workers.)
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]

from stmh_analysis.parameters import AUDIENCES, check_audience, check_date  # noqa: E402
from stmh_analysis.paths import PACKAGE_DIR, REPO_ROOT, Paths  # noqa: E402
from stmh_analysis.reference import load_reference  # noqa: E402
from stmh_analysis.store import atomic_write_text, sha256_file  # noqa: E402

NOTEBOOK_CLEAN = "01-clean-submissions.ipynb"
NOTEBOOK_RANK = "02-rank-proposals.ipynb"
NOTEBOOK_BRIEFING = "03-briefing.ipynb"
STATE_FILE = ".stmh-state.json"
PROCESSED_FOR_BRIEFINGS = (
    "proposals.parquet",
    "ranking.parquet",
    "portfolio.parquet",
    "portfolio_summary.csv",
    "gap.csv",
    "issues.csv",
    "rejected.csv",
    "accounting.csv",
    "inputs.csv",
    "rank_parameters.json",
    "previous/proposals.parquet",
)
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
    paths: Paths = field(default_factory=Paths.default)
    budget_structural_eur: float | None = None
    budget_incidental_eur: float | None = None
    require_each_theme: bool = False
    ranking_criteria: list[str] = field(
        default_factory=lambda: ["appraisal", "expected_cost", "cost_range"]
    )
    ranking_weights: dict[str, float] = field(default_factory=dict)
    audiences: tuple[str, ...] = AUDIENCES
    title: str = ""
    reference_code: str = ""
    date: str = ""
    jobs: int = 0  # 0: the number of cores
    force: bool = False
    strict: bool = False
    kernel_name: str = ""  # "": 'stmh' when installed, else 'python3'


@dataclass
class StepRecord:
    name: str
    status: str  # ran, skipped, failed
    seconds: float
    key: str
    notebook: str
    detail: str = ""


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


_CODE_HASH: str | None = None


def code_hash() -> str:
    """One hash over the package's source, templates and styles: any code change reruns every step."""
    global _CODE_HASH
    if _CODE_HASH is None:
        h = hashlib.sha256()
        for p in sorted(PACKAGE_DIR.rglob("*")):
            if (
                p.is_file()
                and p.suffix in (".py", ".j2", ".css", ".json")
                and "__pycache__" not in p.parts
            ):
                h.update(str(p.relative_to(PACKAGE_DIR)).encode())
                h.update(p.read_bytes())
        _CODE_HASH = h.hexdigest()
    return _CODE_HASH


def step_key(notebook: Path, parameters: Mapping[str, Any], inputs: Mapping[str, str]) -> str:
    payload = json.dumps(
        {
            "notebook": sha256_file(notebook),
            "code": code_hash(),
            "parameters": parameters,
            "inputs": inputs,
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


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
    raise ParameterError(f"{notebook.name}: no cell tagged 'parameters'")


def check_notebook_parameters(notebook: Path, parameters: Mapping[str, Any]) -> None:
    """Unknown names and values of another type than the default's are errors (papermill only warns)."""
    declared = notebook_parameters(notebook)
    for name, value in parameters.items():
        if name not in declared:
            raise ParameterError(
                f"{notebook.name}: unknown parameter {name!r}; known: {', '.join(declared)}"
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
                f"{notebook.name}: parameter {name!r} must be {type(default).__name__} "
                f"like its default {default!r}, got {value!r}"
            )


def validate_options(options: RunOptions) -> None:
    """Everything checkable before a notebook starts; raises ParameterError naming the parameter."""
    from stmh_analysis.criteria import RankingError, validate_ranking
    from stmh_analysis.reference import ReferenceError

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
            raise ParameterError(f"{name}: must be a non-negative amount in euros, got {value!r}")
    try:
        validate_ranking(options.ranking_criteria, options.ranking_weights)
    except RankingError as exc:
        raise ParameterError(str(exc)) from exc
    try:
        for audience in options.audiences:
            check_audience(audience)
        check_date(options.date)
    except ValueError as exc:
        raise ParameterError(str(exc)) from None
    if options.jobs < 0:
        raise ParameterError(f"jobs: must be 1 or more, got {options.jobs}")
    if not options.paths.raw.is_dir():
        raise ParameterError(f"raw: folder not found: {options.paths.raw}")
    for nb in (NOTEBOOK_CLEAN, NOTEBOOK_RANK, NOTEBOOK_BRIEFING):
        if not (options.paths.notebooks / nb).is_file():
            raise ParameterError(f"notebook missing: {options.paths.notebooks / nb}")
    try:
        load_reference(options.paths.reference)
    except ReferenceError as exc:
        raise ParameterError(f"reference: {exc}") from exc


# --- running one notebook ------------------------------------------------------------------------

CLEAN_PRELOAD = "import pandas, stmh_analysis.steps"
RANK_PRELOAD = "import pandas, stmh_analysis.steps, stmh_analysis.report.charts"
BRIEFING_PRELOAD = "import pandas, stmh_analysis.report.briefing"


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
                cwd=str(notebook.parent),
                **extra,
            )
    except execution_error as exc:
        failed = executed.with_suffix(".failed.ipynb")
        if tmp.exists():
            os.replace(tmp, failed)
        raise StepFailed(
            f"notebook {notebook.name} failed in cell {exc.cell_index + 1}: {exc.ename}: {exc.evalue}. "
            f"The executed notebook is kept at {failed} for inspection; the previous outputs are untouched."
        ) from None
    except Exception as exc:
        if tmp.exists():
            tmp.unlink()
        raise StepFailed(
            f"notebook {notebook.name} could not run: {type(exc).__name__}: {exc}"
        ) from exc


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

_WORKER: dict[str, Any] = {}


def _worker_start(kernel: str, cwd: str, log_dir: str) -> None:
    """Each worker warms one kernel as soon as it starts, while the main process cleans and ranks."""
    from multiprocessing import util

    from stmh_analysis.kernels import WarmKernel

    log = Path(log_dir) / f"kernel-{os.getpid()}.log"
    _WORKER.update(
        kernel=kernel,
        cwd=Path(cwd),
        log=log,
        warm=WarmKernel(kernel, Path(cwd), BRIEFING_PRELOAD, log),
    )
    util.Finalize(None, _worker_stop, exitpriority=10)


def _worker_kernel() -> Any:
    """This worker's kernel, cleared of the previous briefing; a new one if that is not possible."""
    from stmh_analysis.kernels import WarmKernel

    resetting = _WORKER.pop("resetting", None)
    if resetting is not None:
        resetting.join()
        if not _WORKER.pop("reset_ok", False) and _WORKER.get("warm") is not None:
            _WORKER["warm"].close()  # could not be cleared: start afresh
            _WORKER["warm"] = None
    warm = _WORKER.get("warm")
    km = warm.take() if warm is not None else None
    if km is not None and km.is_alive():
        return km
    _WORKER["warm"] = WarmKernel(
        _WORKER["kernel"], _WORKER["cwd"], BRIEFING_PRELOAD, _WORKER["log"]
    )
    return _WORKER["warm"].take()


def _reset_in_background(km: Any) -> None:
    """Clear the namespace while this worker renders the PDF (the reset mostly waits on messages)."""
    from stmh_analysis.kernels import reset_namespace

    def work() -> None:
        _WORKER["reset_ok"] = reset_namespace(km)

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    _WORKER["resetting"] = thread


def _worker_stop() -> None:
    resetting = _WORKER.pop("resetting", None)
    if resetting is not None:
        resetting.join(timeout=10)
    warm = _WORKER.pop("warm", None)
    if warm is not None:
        warm.close()


def _noop() -> int:
    return os.getpid()


def _briefing_job(args: tuple) -> tuple[str, float]:
    """Execute the briefing notebook for one audience, then render HTML and PDF.

    The worker keeps its kernel from one briefing to the next and clears its namespace in
    between (%reset -f, while the PDF renders): a briefing starts with no variable of the one
    before, only with the modules already imported, which is what costs the time.
    test_briefings_do_not_depend_on_order renders them in different orders and compares.
    """
    audience, notebook, parameters, kernel, executed, html, pdf = args
    from stmh_analysis.report.render import render_briefing

    start = time.perf_counter()
    km = _worker_kernel()
    try:
        execute_notebook(
            Path(notebook), Path(executed), parameters, kernel, km=km, keep_kernel=km is not None
        )
    except BaseException:
        _WORKER["warm"] = (
            None  # execute_notebook shut the kernel down; the next job starts a new one
        )
        raise
    if km is not None:
        _reset_in_background(km)
    render_briefing(Path(executed), Path(html), Path(pdf))
    return audience, time.perf_counter() - start


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

        try:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(
                [
                    "stmh_analysis.pipeline",
                    "stmh_analysis.report.render",
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
                initargs=(kernel, str(paths.notebooks), str(paths.executed)),
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
            raise StepFailed(f"could not start the briefing workers: {self._error}")
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


def _load_state(reports: Path) -> dict[str, str]:
    try:
        return json.loads((reports / STATE_FILE).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}


def _outputs_exist(paths: list[Path]) -> bool:
    return all(p.exists() for p in paths)


Say = Callable[[str], None]


@dataclass
class _Step:
    name: str
    notebook: str
    params: dict
    outputs: list[Path]
    preload: str = ""


def run_pipeline(options: RunOptions, say: Say = print, progress: bool = True) -> dict:
    """Run what changed; return the manifest. Raises ParameterError, StepFailed or InputRejected."""
    from stmh_analysis.kernels import WarmKernel, choose_kernel

    validate_options(options)
    paths = options.paths
    nb_dir = paths.notebooks
    reference = load_reference(paths.reference)
    jobs = options.jobs or os.cpu_count() or 1
    state = {} if options.force else _load_state(paths.reports)
    run_started = dt.datetime.now().astimezone().replace(microsecond=0)
    provenance = {
        "run_date": run_started.isoformat(),
        "package_version": metadata.version("stmh-analysis"),
        "git_commit": git_commit(),
    }
    ref_hashes = {f"reference/{p.name}": sha256_file(p) for p in reference.files}
    records: list[StepRecord] = []
    new_state = dict(state)
    raw_hashes = folder_hashes(paths.raw)
    for old_log in paths.executed.glob("kernel-*.log"):  # kernel chatter of earlier runs
        old_log.unlink(missing_ok=True)

    clean = _Step(
        "clean",
        NOTEBOOK_CLEAN,
        {
            "raw_dir": str(paths.raw),
            "processed_dir": str(paths.processed),
            "reference_dir": str(paths.reference),
        },
        [
            paths.processed / n
            for n in (
                "proposals.parquet",
                "proposals.csv",
                "issues.csv",
                "rejected.csv",
                "accounting.csv",
                "inputs.csv",
            )
        ],
        CLEAN_PRELOAD,
    )
    rank = _Step(
        "rank",
        NOTEBOOK_RANK,
        {
            "processed_dir": str(paths.processed),
            "reference_dir": str(paths.reference),
            "budget_structural_eur": options.budget_structural_eur,
            "budget_incidental_eur": options.budget_incidental_eur,
            "require_each_theme": options.require_each_theme,
            "ranking_criteria": list(options.ranking_criteria),
            "ranking_weights": dict(options.ranking_weights),
        },
        [
            paths.processed / n
            for n in (
                "ranking.parquet",
                "portfolio.parquet",
                "portfolio_summary.csv",
                "gap.csv",
                "rank_parameters.json",
            )
        ],
        RANK_PRELOAD,
    )
    briefing_params = {
        audience: {
            "audience": audience,
            "processed_dir": str(paths.processed),
            "reference_dir": str(paths.reference),
            "title": options.title,
            "reference_code": options.reference_code,
            "date": options.date or run_started.date().isoformat(),
        }
        for audience in options.audiences
    }
    check_notebook_parameters(nb_dir / NOTEBOOK_CLEAN, clean.params)
    check_notebook_parameters(nb_dir / NOTEBOOK_RANK, rank.params)
    for params in briefing_params.values():
        check_notebook_parameters(nb_dir / NOTEBOOK_BRIEFING, params)

    def key_of(step: _Step, inputs: dict) -> str:
        return step_key(nb_dir / step.notebook, step.params, inputs)

    def briefing_keys() -> dict[str, str]:
        inputs = {**folder_hashes(paths.processed, PROCESSED_FOR_BRIEFINGS), **ref_hashes}
        return {
            a: step_key(nb_dir / NOTEBOOK_BRIEFING, p, inputs) for a, p in briefing_params.items()
        }

    def up_to_date(name: str, key: str, outputs: list[Path]) -> bool:
        return state.get(name) == key and _outputs_exist(outputs)

    def rank_key() -> str:
        return key_of(
            rank, {**folder_hashes(paths.processed, ("proposals.parquet",)), **ref_hashes}
        )

    clean_key = key_of(clean, {**raw_hashes, **ref_hashes})
    clean_due = not up_to_date("clean", clean_key, clean.outputs)
    rank_due = clean_due or not up_to_date("rank", rank_key(), rank.outputs)
    keys_now = briefing_keys()
    briefings_due = rank_due or any(
        not up_to_date(
            f"briefing:{a}", k, [paths.reports / f"{a}.html", paths.reports / f"{a}.pdf"]
        )
        for a, k in keys_now.items()
    )

    kernel = choose_kernel(options.kernel_name) if (clean_due or rank_due or briefings_due) else ""
    warm: dict[str, WarmKernel] = {}
    pool: _BriefingPool | None = None
    try:
        first = clean if clean_due else rank if rank_due else None  # the first step that runs
        if first is not None:
            warm[first.name] = WarmKernel(
                kernel, nb_dir, first.preload, paths.executed / "kernel-main.log"
            )
        if briefings_due:
            # Worker processes start now, importing and warming kernels on the other cores.
            pool = _BriefingPool(max(1, min(jobs, len(options.audiences))), kernel, paths)

        def run_step(step: _Step, key: str, warm_after: _Step | None = None) -> None:
            if up_to_date(step.name, key, step.outputs):
                records.append(
                    StepRecord(step.name, "skipped", 0.0, key, step.notebook, "up to date")
                )
                say(f"  {step.name:<28} up to date")
                if step.name in warm:
                    warm.pop(step.name).close()
                return
            start = time.perf_counter()
            w = warm.pop(step.name, None)
            km = w.take() if w is not None else None
            if warm_after is not None:
                warm[warm_after.name] = WarmKernel(
                    kernel, nb_dir, warm_after.preload, paths.executed / "kernel-main.log"
                )
            try:
                execute_notebook(
                    nb_dir / step.notebook,
                    paths.executed / step.notebook,
                    step.params,
                    kernel,
                    km=km,
                )
            except StepFailed:
                records.append(
                    StepRecord(step.name, "failed", time.perf_counter() - start, key, step.notebook)
                )
                _write_manifest(paths, options, records, provenance, raw_hashes, new_state)
                raise
            seconds = time.perf_counter() - start
            records.append(StepRecord(step.name, "ran", seconds, key, step.notebook))
            new_state[step.name] = key
            say(f"  {step.name:<28} {seconds:6.1f} s")

        run_step(clean, clean_key, warm_after=rank)
        rejected = _count_rows(paths.processed / "rejected.csv")
        if rejected:
            say(
                f"  {rejected} row(s) rejected: see {paths.processed / 'rejected.csv'} and issues.csv"
            )
            if options.strict:
                _write_manifest(paths, options, records, provenance, raw_hashes, new_state)
                raise InputRejected(
                    f"--strict: {rejected} row(s) rejected; see {paths.processed / 'rejected.csv'}"
                )
        run_step(rank, rank_key())

        todo = []
        for audience, key in briefing_keys().items():
            name = f"briefing:{audience}"
            outputs = [paths.reports / f"{audience}.html", paths.reports / f"{audience}.pdf"]
            if up_to_date(name, key, outputs):
                records.append(
                    StepRecord(name, "skipped", 0.0, key, NOTEBOOK_BRIEFING, "up to date")
                )
                continue
            full = {
                **briefing_params[audience],
                "run_date": provenance["run_date"],
                "provenance_json": json.dumps(provenance),
            }
            todo.append(
                (
                    name,
                    key,
                    [
                        audience,
                        str(nb_dir / NOTEBOOK_BRIEFING),
                        full,
                        kernel,
                        str(paths.executed / f"03-briefing-{audience}.ipynb"),
                        str(outputs[0]),
                        str(outputs[1]),
                    ],
                )
            )
        # The heaviest first (the nota has charts and the longest tables), so no worker idles at the end.
        todo.sort(key=lambda t: t[2][0] != "nota")
        skipped = len(options.audiences) - len(todo)
        if skipped:
            say(f"  {'briefings':<28} {skipped} up to date")
        if todo:
            if pool is None:
                pool = _BriefingPool(max(1, min(jobs, len(todo))), kernel, paths)
            _run_briefings(
                pool,
                todo,
                records,
                new_state,
                say,
                progress,
                paths,
                options,
                provenance,
                raw_hashes,
            )
    finally:
        for w in warm.values():
            w.close()
        if pool is not None:
            pool.close()
    return _write_manifest(paths, options, records, provenance, raw_hashes, new_state)


def _run_briefings(
    pool, todo, records, new_state, say, progress, paths, options, provenance, raw_hashes
) -> None:
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
    keys = {t[2][0]: (t[0], t[1]) for t in todo}
    futures = {pool.pool.submit(_briefing_job, tuple(args)): args[0] for _, _, args in todo}
    for fut in cf.as_completed(futures):
        audience = futures[fut]
        name, key = keys[audience]
        try:
            _, seconds = fut.result()
        except StepFailed as exc:
            failures.append(str(exc))
            records.append(StepRecord(name, "failed", 0.0, key, NOTEBOOK_BRIEFING, str(exc)))
        except Exception as exc:  # rendering errors are reported the same way
            failures.append(f"briefing {audience}: {type(exc).__name__}: {exc}")
            records.append(StepRecord(name, "failed", 0.0, key, NOTEBOOK_BRIEFING, str(exc)))
        else:
            records.append(StepRecord(name, "ran", seconds, key, NOTEBOOK_BRIEFING))
            new_state[name] = key
        bar.update(1)
    bar.close()
    say(
        f"  {'briefings':<28} {time.perf_counter() - start:6.1f} s ({len(todo)} rendered, {pool.workers} parallel)"
    )
    if failures:
        _write_manifest(paths, options, records, provenance, raw_hashes, new_state)
        raise StepFailed("; ".join(failures))


def _count_rows(csv_path: Path) -> int:
    if not csv_path.exists():
        return 0
    with csv_path.open(encoding="utf-8-sig") as fh:
        return max(0, sum(1 for _ in fh) - 1)


def _write_manifest(
    paths: Paths,
    options: RunOptions,
    records: list[StepRecord],
    provenance: dict,
    raw_hashes: dict,
    state: dict,
) -> dict:
    manifest = {
        "run_date": provenance["run_date"],
        "git_commit": provenance["git_commit"],
        "package_versions": package_versions(),
        "parameters": {
            "raw": str(paths.raw),
            "processed": str(paths.processed),
            "reports": str(paths.reports),
            "reference": str(paths.reference),
            "budget_structural_eur": options.budget_structural_eur,
            "budget_incidental_eur": options.budget_incidental_eur,
            "require_each_theme": options.require_each_theme,
            "ranking_criteria": options.ranking_criteria,
            "ranking_weights": options.ranking_weights,
            "audiences": list(options.audiences),
            "title": options.title,
            "reference_code": options.reference_code,
            "date": options.date,
            "jobs": options.jobs or os.cpu_count(),
            "force": options.force,
            "strict": options.strict,
        },
        "inputs": raw_hashes,
        "steps": [r.__dict__ for r in records],
        "skipped": [r.name for r in records if r.status == "skipped"],
        "outputs": {
            p.name: sha256_file(p)
            for p in sorted(paths.reports.glob("*.*"))
            if p.suffix in (".html", ".pdf")
        },
    }
    paths.reports.mkdir(parents=True, exist_ok=True)
    atomic_write_text(
        paths.reports / "manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    )
    atomic_write_text(
        paths.reports / STATE_FILE, json.dumps(state, indent=2, sort_keys=True) + "\n"
    )
    return manifest
