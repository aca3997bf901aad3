"""One truth from raw file to briefing: the runner decides from inputs, parameters, code and the
outputs it wrote, says why every step ran, and the reports always match the manifest."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from stmh_analysis.outputs import CLEAN_OUTPUTS, KEYS_DIR, RANK_OUTPUTS, document_file
from stmh_analysis.paths import Paths
from stmh_analysis.pipeline import (
    ParameterError,
    RunOptions,
    run_pipeline,
    warm_next_flags,
)
from stmh_analysis.reference import load_reference
from stmh_analysis.report.format import SHORT_UNITS, euro, euro_short, round_half_up, short_unit
from stmh_analysis.store import atomic_write_text, current_umask
from stmh_analysis.why import reasons_to_run

pytestmark = pytest.mark.e2e
# Never compare with releases an analyst made in this checkout: a folder that does not exist.
DEFAULT = Paths.default().with_overrides(releases=Path(__file__).parent / "data" / "no-releases")
BRIEFINGS = ("nota", "bijlage")
DAY_ONE = dt.datetime(2024, 1, 29, 10, 0)


class Said(list):
    def __call__(self, line: str) -> None:
        self.append(line)

    def line(self, step: str) -> str:
        return next(s for s in self if s.strip().startswith(step + " "))


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Paths:
    """A finished run of the nota and the bijlage; each test works on its own copy."""
    root = tmp_path_factory.mktemp("base")
    paths = DEFAULT.with_overrides(processed=root / "processed", reports=root / "reports")
    run_pipeline(
        RunOptions(paths=paths, audiences=BRIEFINGS, now=DAY_ONE), say=Said(), progress=False
    )
    return paths


def copy_of(base: Paths, tmp_path: Path, **changes) -> Paths:
    root = base.reports.parent
    for name in ("processed", "reports", "logs"):
        shutil.copytree(root / name, tmp_path / name)
    return replace(
        DEFAULT.with_overrides(processed=tmp_path / "processed", reports=tmp_path / "reports"),
        **changes,
    )


def run(paths: Paths, **options) -> tuple[dict, Said]:
    said = Said()
    options.setdefault("audiences", BRIEFINGS)
    options.setdefault("now", DAY_ONE)
    manifest = run_pipeline(RunOptions(paths=paths, **options), say=said, progress=False)
    return manifest, said


def page_text(path: Path) -> str:
    html = re.sub(
        r"<style.*?</style>|<svg.*?</svg>", " ", path.read_text(encoding="utf-8"), flags=re.S
    )
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).replace("&nbsp;", " ")


def test_a_hand_run_scenario_never_reaches_the_briefings(base, tmp_path):
    """The README's old example: papermill on notebook 02 with another budget, into data/processed."""
    import papermill

    paths = copy_of(base, tmp_path)
    papermill.execute_notebook(
        str(DEFAULT.notebooks / "02-rank-proposals.ipynb"),
        str(tmp_path / "scenario.ipynb"),
        parameters={"processed_dir": str(paths.processed), "budget_structural_eur": 2_500_000},
        kernel_name="stmh",
        progress_bar=False,
        cwd=str(DEFAULT.notebooks),
    )
    assert (
        json.loads((paths.processed / "rank_parameters.json").read_text())["budget_structural_eur"]
        == 2_500_000
    )
    manifest, said = run(paths)
    assert "uitvoer met de hand gewijzigd" in said.line(
        "rank"
    ) and "rank_parameters.json" in said.line("rank")
    assert manifest["used"]["rank"]["budget_structural_eur"] == 2_000_000
    for audience in BRIEFINGS:
        text = page_text(document_file(paths.reports, audience, "html"))
        assert "2,5 mln" not in text
    assert (
        "structureel budget: € 2.000.000 per jaar" in page_text(paths.reports / "nota.html").lower()
    )


def test_an_output_edited_by_hand_is_named_and_redone(base, tmp_path):
    paths = copy_of(base, tmp_path)
    ranking = paths.processed / "ranking.csv"
    original = ranking.read_bytes()
    ranking.write_bytes(original.replace(b"kansrijk", b"KANSRIJK", 1))
    manifest, said = run(paths)
    assert said.line("rank").endswith(
        "s"
    ) and "uitvoer met de hand gewijzigd: ranking.csv" in said.line("rank")
    assert ranking.read_bytes() == original
    assert {s["name"]: s["status"] for s in manifest["steps"]}["rank"] == "ran"


def test_an_output_edited_by_hand_can_be_kept_and_the_manifest_says_so(base, tmp_path):
    paths = copy_of(base, tmp_path)
    gap = paths.processed / "gap.csv"  # the documents read this CSV itself
    edited = gap.read_bytes().replace(b"Opvang", b"OPVANG", 1)
    gap.write_bytes(edited)
    manifest, said = run(paths, keep_edits=True)
    assert gap.read_bytes() == edited
    assert manifest["kept_edits"] == {"rank": ["gap.csv"]}
    assert {s["name"]: s["status"] for s in manifest["steps"]}["rank"] == "kept"
    assert "behouden" in said.line("rank")


def test_a_kept_edit_the_documents_would_not_show_is_refused(base, tmp_path):
    """The documents read ranking.parquet: an edit kept only in ranking.csv would make the
    manifest, the CSV and the nota disagree, so --keep-edits refuses it and says what to do."""
    paths = copy_of(base, tmp_path)
    ranking = paths.processed / "ranking.csv"
    ranking.write_bytes(ranking.read_bytes().replace(b"kansrijk", b"KANSRIJK", 1))
    with pytest.raises(ParameterError, match="ranking.csv.*ranking.parquet.*beoordelingen.xlsx"):
        run(paths, keep_edits=True)
    manifest, _ = run(paths)  # without the option the table is made again
    assert b"KANSRIJK" not in ranking.read_bytes()


def test_one_run_at_a_time_and_leftovers_of_a_killed_run_are_removed(base, tmp_path):
    from stmh_analysis.runlock import ProjectBusy, exclusive

    paths = copy_of(base, tmp_path)
    leftover = paths.reports / ".nota.pdf.abc123.tmp"
    leftover.write_bytes(b"%PDF half")
    with exclusive(paths.log_dir, "stmh release"), pytest.raises(ProjectBusy, match="release"):
        run(paths)
    assert leftover.exists()  # nothing was touched while the other held the lock
    manifest, said = run(paths)
    assert not leftover.exists() and any("opgeruimd: 1" in line for line in said)


def test_an_edited_parameters_cell_is_used_and_a_command_line_value_over_it_is_announced(
    base, tmp_path
):
    import nbformat

    notebooks = tmp_path / "notebooks"
    shutil.copytree(DEFAULT.notebooks, notebooks)
    nb = nbformat.read(notebooks / "02-rank-proposals.ipynb", as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    cell.source = cell.source.replace(
        "budget_structural_eur = None", "budget_structural_eur = 3000000"
    )
    nbformat.write(nb, notebooks / "02-rank-proposals.ipynb")
    paths = copy_of(base, tmp_path, notebooks=notebooks)
    manifest, said = run(paths)
    # the why-line names the parameter and the notebook (only the parameters cell changed)
    assert said.line("rank").endswith(
        "uitgevoerd (parameter budget_structural_eur (notebook 02-rank-proposals))"
    ) or "(parameter budget_structural_eur (notebook 02-rank-proposals))" in said.line("rank")
    assert "notebook gewijzigd" not in said.line("rank")
    assert manifest["used"]["rank"]["budget_structural_eur"] == 3_000_000
    nota = page_text(paths.reports / "nota.html")
    assert "€ 3.000.000 per jaar (uit de parameters van notebook 02)" in nota
    manifest, said = run(paths, budget_structural_eur=2_500_000)
    assert any(
        "notebook 02-rank-proposals.ipynb zegt 3000000" in s and "opdrachtregel" in s for s in said
    )
    assert manifest["used"]["rank"]["budget_structural_eur"] == 2_500_000
    assert "€ 2.500.000 per jaar (opgegeven bij deze run)" in page_text(paths.reports / "nota.html")


def test_two_days_with_nothing_changed_render_nothing(base, tmp_path):
    paths = copy_of(base, tmp_path)
    before = {p.name: p.read_bytes() for p in paths.reports.glob("*.*ml")}
    manifest, said = run(paths, now=DAY_ONE + dt.timedelta(days=3))
    assert [s["status"] for s in manifest["steps"]] == ["skipped"] * 4
    assert {p.name: p.read_bytes() for p in paths.reports.glob("*.*ml")} == before
    assert "29 januari 2024" in page_text(paths.reports / "nota.html")  # the date of its content


def test_an_explicit_date_is_kept_until_changed(base, tmp_path):
    paths = copy_of(base, tmp_path)
    run(paths, date="2024-02-01")
    assert "1 februari 2024" in page_text(paths.reports / "nota.html")
    manifest, _ = run(paths, now=DAY_ONE + dt.timedelta(days=10))  # no --date: still 1 februari
    assert all(s["status"] == "skipped" for s in manifest["steps"])
    run(paths, date="vandaag", now=DAY_ONE + dt.timedelta(days=10))
    assert "8 februari 2024" in page_text(paths.reports / "nota.html")


def test_every_step_says_why(base, tmp_path):
    paths = copy_of(base, tmp_path)
    _, said = run(paths)
    assert said.line("clean").endswith("actueel") and said.line("rank").endswith("actueel")
    _, said = run(paths, budget_incidental_eur=1_000_000)
    assert "parameter budget_incidental_eur" in said.line("rank")
    assert "budgetscenario" in said.line("briefing:nota")  # in words, not file names


@given(st.integers(min_value=1, max_value=4), st.integers(min_value=0, max_value=20))
def test_briefing_workers_warm_one_kernel_per_briefing_and_no_more(workers, jobs):
    flags = warm_next_flags(jobs, workers)
    warmed = min(workers, jobs) + sum(flags)  # each busy worker starts with one warm kernel
    assert warmed == jobs
    assert not any(flags[-workers:])  # nothing is warmed that no briefing could use


def test_reasons_are_exact_codes_worded_in_one_place():
    """Why a step runs is a code with its arguments; the runner acts on the code (--keep-edits
    reads 'edited', not a Dutch prefix), and labels.yaml words it."""
    from stmh_analysis.why import Reason, why_line

    labels = load_reference(Paths.default().reference).labels
    facts = {
        "notebook": "n",
        "code": "c",
        "parameters": {"a": 1},
        "inputs": {"raw/x.csv": "1", "raw/y.csv": "2", "processed/gap.csv": "5"},
    }
    before = {**facts, "outputs": {"processed/p.csv": "9"}}
    assert reasons_to_run(facts, before, {"processed/p.csv": "9"}) == []
    assert reasons_to_run(facts, None, {}) == [Reason("new")]
    changed = {
        **facts,
        "parameters": {"a": 2},
        "inputs": {"raw/x.csv": "1", "raw/z.csv": "3", "processed/gap.csv": "6"},
    }
    reasons = reasons_to_run(changed, before, {"processed/p.csv": "8"})
    assert reasons == [
        Reason("parameter", ("a",)),
        Reason("raw", ("y.csv", "z.csv")),
        Reason("tables", ("gap",)),
        Reason("edited", ("p.csv",)),
    ]
    assert why_line(reasons, labels) == (
        "parameter a; invoer gewijzigd: y.csv, z.csv; kosten per thema gewijzigd; "
        "uitvoer met de hand gewijzigd: p.csv"
    )
    assert reasons_to_run(facts, before, {"processed/p.csv": "absent"}) == [
        Reason("missing", ("p.csv",))
    ]
    assert why_line([Reason("new")], labels) == "nog niet eerder uitgevoerd"


# --- settings and parameters reach the words -------------------------------------------------------


def test_non_default_settings_and_parameters_are_what_the_sentences_say(base, tmp_path):
    reference = tmp_path / "reference"
    shutil.copytree(DEFAULT.reference, reference)
    appraisals_file = reference / "appraisals.yaml"
    appraisals = yaml.safe_load(appraisals_file.read_text(encoding="utf-8"))
    values = {"kansrijk": 5, "nader_uitwerken": 2, "": 0}
    for entry in appraisals["appraisals"]:
        entry["scenario_value"] = values.get(entry["code"], entry["scenario_value"])
    appraisals_file.write_text(yaml.safe_dump(appraisals, allow_unicode=True), encoding="utf-8")
    settings_file = reference / "settings.yaml"
    doc = yaml.safe_load(settings_file.read_text(encoding="utf-8"))
    doc["plausibility"]["max_amount_eur"] = 50_000_000
    doc["horizon"]["last_year"] = 2026  # three years
    settings_file.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    paths = copy_of(base, tmp_path, reference=reference)
    run(paths, public_appraisals=["kansrijk"], ranking_weights={"appraisal": 2, "expected_cost": 1})
    nota = page_text(paths.reports / "nota.html")
    assert (
        "kansrijk 5, nader uitwerken 2; niet kansrijk en geen appreciatie wordt niet gekozen"
        in nota
    )
    assert "structureel × 3 jaar" in nota and "3 jaar" in nota
    assert "Aannemelijkheidsgrens per voorstel: € 50 mln" in nota
    assert "gewogen score" in nota
    bijlage = page_text(paths.reports / "openbaar" / "bijlage.html")
    proposals = pd.read_parquet(paths.processed / "proposals.parquet")
    nader = proposals[proposals["appraisal"] == "nader_uitwerken"]["title"]
    kansrijk = proposals[proposals["appraisal"] == "kansrijk"]["title"]
    assert all(t not in bijlage for t in nader) and all(t in bijlage for t in kansrijk)
    assert f"Deze bijlage bevat {len(kansrijk)} voorstellen" in bijlage


# --- files, state, global settings ----------------------------------------------------------------


def test_reports_and_data_get_the_users_umask(base, tmp_path):
    expected = 0o666 & ~current_umask()
    for p in [*base.reports.glob("*.*"), *base.processed.glob("*.*")]:
        assert p.stat().st_mode & 0o777 == expected, p
    old = os.umask(0o027)
    try:
        atomic_write_text(tmp_path / "x.txt", "x")
    finally:
        os.umask(old)
    assert (tmp_path / "x.txt").stat().st_mode & 0o777 == 0o640


def test_reports_hold_only_what_is_circulated(base):
    names = {p.relative_to(base.reports).as_posix() for p in base.reports.rglob("*")}
    assert names == {
        "manifest.json",
        "voorstellen.xlsx",
        "openbaar",  # what may be published, apart from the rest
        "openbaar/bijlage.xlsx",
        "te-beoordelen.xlsx",  # the analyst's review queue (internal, like voorstellen.xlsx)
        *(
            document_file(base.reports, a, ext).relative_to(base.reports).as_posix()
            for a in BRIEFINGS
            for ext in ("html", "pdf")
        ),
        "nota.docx",  # the Word copy for the parafenlijn
    }
    assert (base.log_dir / "executed" / "02-rank-proposals.ipynb").exists()


def test_the_writers_write_exactly_the_declared_files(tmp_path, reference):
    from stmh_analysis import steps

    out = steps.clean_raw(DEFAULT.raw, reference)
    steps.write_clean(out, tmp_path)
    assert {p.name for p in tmp_path.iterdir() if p.is_file()} == set(CLEAN_OUTPUTS)
    rank_dir = tmp_path / "rank"
    steps.write_rank(steps.rank_and_select(out.result.proposals, reference), rank_dir)
    assert {p.name for p in rank_dir.iterdir() if p.is_file()} == set(RANK_OUTPUTS)
    keys = {p.name for p in (rank_dir / KEYS_DIR).iterdir()}
    assert keys == {f"{slug}.json" for slug in reference.theme_slugs}  # one key per theme


IMPORT_EVERY_MODULE = """
import importlib, pkgutil, sys, warnings
import matplotlib, pandas, scipy.optimize  # their own import-time settings are not ours
import stmh_analysis
declined = {k for k, v in sys.modules.items() if v is None}
settings, filters = dict(matplotlib.rcParams), list(warnings.filters)
for m in pkgutil.walk_packages(stmh_analysis.__path__, "stmh_analysis."):
    if m.name != "stmh_analysis._forkserver":
        importlib.import_module(m.name)
print(sorted({k for k, v in sys.modules.items() if v is None} - declined))
print(dict(matplotlib.rcParams) == settings, warnings.filters == filters)
"""


def test_importing_the_package_changes_nothing_global():
    """A notebook importing any module of the package keeps its Python as it was; only the `stmh`
    command and its workers decline slow optional modules (startup.py)."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERY_MODULE], capture_output=True, text=True, check=True
    )
    assert done.stdout.split("\n")[:2] == ["[]", "True True"]


def test_charts_leave_global_matplotlib_settings_alone(base):
    import matplotlib

    before = dict(matplotlib.rcParams)
    from stmh_analysis.report import charts

    gap = pd.read_csv(base.processed / "gap.csv", encoding="utf-8-sig")
    charts.cost_per_theme(gap, 2_000_000, 2_000_000)
    assert dict(matplotlib.rcParams) == before


# --- one rounding rule ----------------------------------------------------------------------------


def _read_short(text: str) -> float:
    body = text.removeprefix("€ ")
    if body.endswith(" mln"):
        return float(Decimal(body.removesuffix(" mln").replace(",", ".")) * 1_000_000)
    return float(Decimal(body.replace(".", "")))


@settings(max_examples=400)
@given(st.integers(min_value=0, max_value=500_000_000_00).map(lambda c: c / 100))
def test_short_and_long_forms_agree_within_the_stated_rounding(value):
    unit = short_unit(value)
    shown = _read_short(euro_short(value))
    assert abs(shown - value) <= unit / 2 + 1e-6
    assert shown == round_half_up(value, unit)  # rounded once, from the exact value
    assert abs(float(euro(value).removeprefix("€ ").replace(".", "")) - value) <= 0.5


@given(st.lists(st.integers(min_value=0, max_value=50_000_000), min_size=1, max_size=60))
def test_a_total_shown_short_is_the_rounded_exact_total(values):
    exact = sum(Decimal(v) for v in values)
    assert euro_short(float(exact)) == euro_short(sum(values))
    assert _read_short(euro_short(sum(values))) == round_half_up(
        float(exact), short_unit(float(exact))
    )


def test_short_units_are_stated_in_words():
    from stmh_analysis.report.format import SHORT_FORM_NOTE

    assert [u for _, u in SHORT_UNITS] == [1_000_000, 100_000, 1_000, 1]
    assert "€ 0,1 mln" in SHORT_FORM_NOTE and "naar boven" in SHORT_FORM_NOTE


def test_the_nota_totals_are_the_exact_sums_and_the_short_forms_rule_is_stated(base):
    """The cost table under 4.1 gives the exact sums, as the sentence above it does (one way to
    show a figure in one place); the tables with short forms come with their rounding rule."""
    proposals = pd.read_parquet(base.processed / "proposals.parquet")
    nota = page_text(base.reports / "nota.html")
    total_low = euro(proposals["structural_low_eur"].sum())
    total_high = euro(proposals["structural_high_eur"].sum())
    assert f"Totaal {len(proposals)}" in nota
    assert f"{total_low} – {total_high}" in nota
    assert SHORT_FORM_NOTE_START in nota


SHORT_FORM_NOTE_START = "Afgeronde bedragen (zoals € 1,3 mln)"


# --- the words of a document live in its notebook --------------------------------------------------


def test_text_written_for_one_audience_stays_in_its_document(base, tmp_path):
    """An analyst rewords the bijlage's caveat and adds an internal remark to the nota, in Lab."""
    import nbformat

    notebooks = tmp_path / "notebooks"
    shutil.copytree(DEFAULT.notebooks, notebooks)
    bijlage = nbformat.read(notebooks / "bijlage.ipynb", as_version=4)
    caveat = next(
        c for c in bijlage.cells if c.cell_type == "markdown" and "indicatief" in c.source
    )
    caveat.source = (
        "> Alle bedragen zijn voorlopig en onder voorbehoud van het Voorjaarsnota-besluit."
    )
    nbformat.write(bijlage, notebooks / "bijlage.ipynb")
    nota = nbformat.read(notebooks / "nota.ipynb", as_version=4)
    at = next(
        i
        for i, c in enumerate(nota.cells)
        if c.cell_type == "markdown" and "Kernpunten" in c.source
    )
    nota.cells.insert(
        at,
        nbformat.v4.new_markdown_cell(
            "**Advies:** steun de drie kansrijke voorstellen van de politie (intern)."
        ),
    )
    nbformat.write(nota, notebooks / "nota.ipynb")
    paths = copy_of(base, tmp_path, notebooks=notebooks)
    _, said = run(paths)
    assert "notebook gewijzigd" in said.line(
        "briefing:bijlage"
    ) and "notebook gewijzigd" in said.line("briefing:nota")
    public = page_text(paths.reports / "openbaar" / "bijlage.html")
    internal = page_text(paths.reports / "nota.html")
    assert "onder voorbehoud van het Voorjaarsnota-besluit" in public
    assert "eerste ruwe inschatting" not in public
    assert "steun de drie kansrijke voorstellen" not in public
    assert "Advies: steun de drie kansrijke voorstellen van de politie (intern)." in internal
    from pypdf import PdfReader

    pdf = " ".join(
        page.extract_text() for page in PdfReader(paths.reports / "openbaar" / "bijlage.pdf").pages
    )
    assert "Voorjaarsnota" in pdf and "kansrijke voorstellen van de politie" not in pdf


def test_a_document_notebook_without_processed_data_says_what_to_run_first(tmp_path):
    from stmh_analysis.report import document

    with pytest.raises(document.DocumentError) as info:
        document.load("nota", processed_dir=tmp_path)
    assert "notebook 01-clean-submissions" in str(info.value) and "stmh run" in str(info.value)


def test_a_theme_added_to_the_reference_file_gets_its_briefing_without_code(base, tmp_path):
    reference = tmp_path / "reference"
    shutil.copytree(DEFAULT.reference, reference)
    themes = reference / "themes.yaml"
    doc = yaml.safe_load(themes.read_text(encoding="utf-8"))
    doc["themes"].insert(
        -1,
        {
            "slug": "arbeidsuitbuiting",
            "label": "Arbeidsuitbuiting",
            "aliases": ["arbeid"],
            "keywords": ["arbeidsmigranten"],
        },
    )
    themes.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    raw = tmp_path / "raw"
    shutil.copytree(DEFAULT.raw, raw)
    (raw / "fnv.csv").write_text(
        "Organisatie;Thema;Titel voorstel;Indicatieve kosten\nSZW;Arbeidsuitbuiting;Inspecties bij uitzendbureaus;€ 300.000 per jaar\n",
        encoding="utf-8",
    )
    paths = copy_of(base, tmp_path, reference=reference, raw=raw)
    run(paths, audiences=None)
    assert "Inspecties bij uitzendbureaus" in page_text(paths.reports / "arbeidsuitbuiting.html")
    nota = page_text(paths.reports / "nota.html")
    assert "Arbeidsuitbuiting" in nota and "Inspecties bij uitzendbureaus" in nota


def test_a_scenario_added_for_one_run_is_in_the_key_the_manifest_and_the_nota(base, tmp_path):
    paths = copy_of(base, tmp_path)
    manifest, said = run(paths, extra_scenarios={"Kabinet 3 mln": 3_000_000})
    assert "parameter extra_scenarios" in said.line("rank")
    assert manifest["given"]["extra_scenarios"] == {"Kabinet 3 mln": 3_000_000}
    assert [s["name"] for s in manifest["used"]["rank"]["scenarios"]][-1] == "Kabinet 3 mln"
    assert "Kabinet 3 mln" in page_text(paths.reports / "nota.html")


def test_a_damaged_record_of_themes_deletes_no_briefing(base, tmp_path):
    """'"themes": []' in a damaged logs/state.json deleted every theme briefing and said
    'Alles actueel'; the themes now come from the proposals themselves."""
    import json

    paths = copy_of(base, tmp_path)
    state_file = paths.state_file
    state = json.loads(state_file.read_text(encoding="utf-8"))
    state["themes"] = []
    state_file.write_text(json.dumps(state), encoding="utf-8")
    run(paths, audiences=(*BRIEFINGS, "opvang"))
    assert (paths.reports / "opvang.html").is_file()


def test_every_reference_file_is_in_the_steps_keys(reference):
    """Editing problems.csv, amount_words.yaml or workbook_words.yaml reruns the steps that read
    the reference, as data/reference/README.md promises (problems.csv reran nothing before)."""
    from stmh_analysis.pipeline import declare_steps

    steps = declare_steps(RunOptions(paths=DEFAULT), DEFAULT, reference)
    clean = next(s for s in steps if s.name == "clean")
    keyed = {label for label in clean.inputs if label.startswith("reference/")}
    for name in ("problems.csv", "amount_words.yaml", "workbook_words.yaml", "headers.yaml"):
        assert f"reference/{name}" in keyed, name
