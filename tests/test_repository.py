"""Promises of the repository itself: clean notebooks, matching pins, the command line."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import nbformat
import pytest

from stmh_analysis.paths import NOTEBOOKS_DIR, REPO_ROOT

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))


def test_the_notebooks_are_the_declared_steps():
    from stmh_analysis.pipeline import (
        NOTEBOOK_CLEAN,
        NOTEBOOK_RANK,
        NOTEBOOK_THEMA,
        PROGRAMME_DOCUMENTS,
    )

    declared = {NOTEBOOK_CLEAN, NOTEBOOK_RANK, NOTEBOOK_THEMA, *PROGRAMME_DOCUMENTS.values()}
    stray = sorted(p.name for p in NOTEBOOKS if p.name not in declared)
    assert not stray, (
        f"notebooks/{', '.join(stray)} is geen stap van de pijplijn en wordt door stmh run niet "
        "uitgevoerd. Zet verkenningen in notebooks/verkenning/ (niet in git), of maak er een stap "
        "van in pipeline.declare_steps."
    )
    assert {p.name for p in NOTEBOOKS} == declared


def committed(path) -> str:
    """The notebook as git stores it (the index: what a commit takes), not the working copy an
    analyst just saved in Lab with outputs; the file itself outside a git checkout."""
    rel = path.relative_to(REPO_ROOT).as_posix()
    shown = subprocess.run(
        ["git", "-C", str(REPO_ROOT), "show", f":{rel}"], capture_output=True, text=True
    )
    return shown.stdout if shown.returncode == 0 else path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", [pytest.param(p, id=p.name) for p in NOTEBOOKS])
def test_notebook_is_committed_without_outputs_and_has_one_parameters_cell(path):
    nb = nbformat.reads(committed(path), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code), (
        "strip outputs: make format"
    )
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assert nb.metadata["kernelspec"]["name"] == "stmh"
    # the story is thin: no function is defined in a notebook
    assert not any(re.search(r"^\s*def ", c.source, re.M) for c in code)


def test_environment_yml_pins_what_the_lock_pins():
    lock = {
        line.strip().lower()
        for line in (REPO_ROOT / "requirements.lock").read_text().splitlines()
        if "==" in line
    }
    env_text = (REPO_ROOT / "environment.yml").read_text()
    env = {
        m.group(1).strip().lower()
        for m in re.finditer(r"^\s*-\s*([A-Za-z0-9_.\-]+==[^\s#]+)", env_text, re.M)
    }
    assert "python=3.11" in env_text
    assert lock == env, (
        f"only in lock: {sorted(lock - env)[:5]}; only in environment.yml: {sorted(env - lock)[:5]}"
    )


def stmh(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "stmh_analysis.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_amount_command_prints_json():
    out = stmh("amount", "€ 200.000 per jaar (2024-2026)")
    assert out.returncode == 0
    data = json.loads(out.stdout)
    assert data["incidental_low_eur"] == 600_000 and data["first_year"] == 2024


def test_amount_command_explains_an_unreadable_amount():
    out = stmh("amount", "#REF!")
    assert out.returncode == 1 and json.loads(out.stdout)["error"] == "error_value"


def test_check_on_bundled_data_is_usable_and_writes_nothing(tmp_path):
    import shutil

    raw = tmp_path / "raw"
    shutil.copytree(REPO_ROOT / "data" / "raw", raw)
    before = sorted(p.name for p in raw.iterdir())
    out = stmh("check", str(raw))
    assert out.returncode == 0, out.stdout + out.stderr
    assert "49 voorstellen" in out.stdout and "Bruikbaar" in out.stdout
    assert sorted(p.name for p in raw.iterdir()) == before


def test_check_exits_1_and_names_the_place_of_a_rejected_row(tmp_path):
    (tmp_path / "p.csv").write_text(
        "Organisatie;Titel voorstel;Indicatieve kosten\nOM;Voorstel;#REF!\n", encoding="utf-8"
    )
    out = stmh("check", str(tmp_path))
    assert out.returncode == 1
    assert "p.csv, regel 2, kolom 'Indicatieve kosten'" in out.stdout and "#REF!" in out.stdout
    assert "AFGEWEZEN" in out.stdout


def test_an_implausible_budget_is_refused_with_the_reading_shown(tmp_path):
    """'--budget 2,5' was read silently as € 2,50 (the nota then said '€ 3 per jaar')."""
    out = stmh("run", "--budget", "2,5", "--raw", str(tmp_path))
    assert out.returncode == 2
    assert "€ 2,50" in out.stderr and "Bedoelt u € 2,5 mln?" in out.stderr
    out = stmh("run", "--budget", "5 mld", "--raw", str(tmp_path))
    assert out.returncode == 2 and "aannemelijkheidsgrens" in out.stderr


def test_usage_errors_exit_2(tmp_path):
    assert stmh("check", str(tmp_path / "nowhere")).returncode == 2
    assert stmh("run", "--budget", "veel").returncode == 2
    assert stmh("frobnicate").returncode == 2


def test_a_mistake_in_the_command_is_explained_in_dutch():
    for args, words in (
        (("run", "--budgt", "5"), "onbekende optie(s): --budgt 5"),
        (("frobnicate",), "onbekende opdracht 'frobnicate'"),
        (("release",), "dit ontbreekt nog: NAAM"),
        (("run", "--budget"), "--budget vraagt een waarde"),
        (("run", "--weight", "x"), "--weight vraagt NAAM=GETAL"),
    ):
        done = stmh(*args)
        assert done.returncode == 2 and words in done.stderr, (args, done.stderr)
        assert "fout in de opdracht" in done.stderr and "error:" not in done.stderr
        assert "gebruik:" in done.stderr and "usage:" not in done.stderr


ENGLISH_WORDS = re.compile(
    r"\b(?:the|folder|default|with|run|show|write|only|rerun|every|per year|usage|options)\b"
)


@pytest.mark.parametrize(
    "command", [(), ("run",), ("release",), ("review",), ("check",), ("template",), ("amount",)]
)
def test_the_help_of_every_command_is_dutch(command):
    """What `stmh … --help` says is Dutch; the option names themselves stay as they are."""
    from stmh_analysis.cli import build_parser

    parser = build_parser()
    if command:
        parser = parser._subparsers._group_actions[0].choices[command[0]]
    words = re.sub(
        r"--?[a-z][a-z-]*|\{[^}]*\}|stmh \w+|\b(?:run|review|release|check|template|amount)\b(?= )",
        "",
        parser.format_help(),
    )
    assert not ENGLISH_WORDS.search(words.replace("stmh run", "")), words


@pytest.mark.e2e
def test_the_notebooks_run_top_to_bottom_from_the_root_and_from_notebooks(tmp_path):
    """As an analyst runs them in Lab: their own defaults, only the processed folder aside."""
    import papermill

    processed = str(tmp_path / "processed")
    order = [
        ("01-clean-submissions", REPO_ROOT, {}),
        ("02-rank-proposals", NOTEBOOKS_DIR, {"budget_structural_eur": "2.500.000"}),
        ("nota", NOTEBOOKS_DIR, {}),
        ("nota", REPO_ROOT, {}),
        ("bijlage", REPO_ROOT, {}),
        ("thema", NOTEBOOKS_DIR, {"theme": "klantaanpak"}),
    ]
    for name, cwd, extra in order:
        out = tmp_path / f"{name}-{cwd.name}.ipynb"
        papermill.execute_notebook(
            str(NOTEBOOKS_DIR / f"{name}.ipynb"),
            str(out),
            parameters={"processed_dir": processed, **extra},
            kernel_name="stmh",
            progress_bar=False,
            cwd=str(cwd),
        )
        nb = nbformat.read(out, as_version=4)
        shown = "".join(
            o.get("data", {}).get("text/html", "") for c in nb.cells for o in c.get("outputs", [])
        )
        assert shown, name
        assert "_eur" not in shown.replace("data-figure", ""), f"{name} shows contract names"


def test_a_reports_path_that_is_a_file_is_a_message_not_a_traceback(tmp_path):
    blocker = tmp_path / "rapporten"
    blocker.write_text("een bestand, geen map", encoding="utf-8")
    for reports in (blocker, blocker / "sub"):
        out = stmh("run", "--reports", str(reports), "--processed", str(tmp_path / "p"))
        assert out.returncode == 2
        assert "is een bestand, geen map" in out.stderr and "Traceback" not in out.stderr
