"""The whole pipeline on the bundled data: outputs, figures, self-containment, reruns, failures."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pypdf
import pytest

from stmh_analysis.outputs import document_file
from stmh_analysis.parameters import audiences
from stmh_analysis.paths import Paths
from stmh_analysis.pipeline import ParameterError, RunOptions, StepFailed, run_pipeline
from stmh_analysis.reference import load_reference
from stmh_analysis.report.format import euro_range

pytestmark = pytest.mark.e2e
# Never compare with releases an analyst made in this checkout: a folder that does not exist.
DEFAULT = Paths.default().with_overrides(releases=Path(__file__).parent / "data" / "no-releases")
ALL_AUDIENCES = audiences(load_reference(DEFAULT.reference))
# A theme without proposals gets no document: the bundled set has none in 'overig'.
AUDIENCES = tuple(a for a in ALL_AUDIENCES if a != "overig")


def tree_hash(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(folder)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def pdf_text(path: Path) -> str:
    """The PDF's text; no-break spaces (which keep amounts whole) read as spaces."""
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages).replace(
        "\xa0", " "
    )


def html_text(path: Path) -> str:
    """A report's HTML; no-break spaces (which keep amounts whole) read as spaces."""
    return path.read_text(encoding="utf-8").replace("\xa0", " ")


def quiet(_: str) -> None:
    pass


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """One cold run on the repository's own data/raw (read-only) into temporary output folders."""
    tmp = tmp_path_factory.mktemp("run")
    paths = DEFAULT.with_overrides(processed=tmp / "processed", reports=tmp / "reports")
    raw_before = tree_hash(DEFAULT.raw)
    manifest = run_pipeline(
        RunOptions(paths=paths, date="2024-01-29", reference_code="2024-0001"),
        say=quiet,
        progress=False,
    )
    return paths, manifest, raw_before


def test_raw_data_is_never_modified(run):
    _, _, before = run
    assert tree_hash(DEFAULT.raw) == before


def test_all_reports_exist_as_html_and_pdf(run):
    paths, manifest, _ = run
    for audience in AUDIENCES:
        assert (document_file(paths.reports, audience, "html")).stat().st_size > 1000
        assert len(pypdf.PdfReader(document_file(paths.reports, audience, "pdf")).pages) >= 1
        assert (paths.executed / f"{audience}.ipynb").exists()
    assert {s["name"] for s in manifest["steps"]} == {
        "clean",
        "rank",
        *(f"briefing:{a}" for a in ALL_AUDIENCES),
    }
    assert all(s["status"] == "ran" for s in manifest["steps"] if s["name"] != "briefing:overig")
    assert not (paths.reports / "overig.pdf").exists()
    saved = json.loads((paths.reports / "manifest.json").read_text())
    assert (
        saved["inputs"]["vng_voorstellen.csv"]
        == hashlib.sha256((DEFAULT.raw / "vng_voorstellen.csv").read_bytes()).hexdigest()
    )
    assert saved["package_versions"]["pandas"]


def test_kernpunten_match_the_processed_data(run):
    paths, _, _ = run
    p = pd.read_parquet(paths.processed / "proposals.parquet")
    html = html_text(paths.reports / "nota.html")
    figures = dict(re.findall(r'data-figure="(\w+)">([^<]*)<', html))
    assert figures["proposals"] == str(len(p))
    partners = set(p["organisation"]) | {c for cs in p["co_submitters"] for c in cs.split(";") if c}
    assert figures["partners"] == str(len(partners))
    structural = euro_range(
        p["structural_low_eur"].sum(), p["structural_high_eur"].sum(), short=False
    )
    incidental = euro_range(
        p["incidental_low_eur"].sum(), p["incidental_high_eur"].sum(), short=False
    )
    assert figures["structural"] == structural and figures["incidental"] == incidental
    assert figures["pm"] == str((p["cost_status"] == "pm").sum())
    text = pdf_text(paths.reports / "nota.pdf")
    flat = re.sub(r"\s+", " ", text)
    assert f"{len(p)} voorstellen van {len(partners)} partners" in flat
    assert structural in flat and incidental in flat
    assert "29 januari 2024" in flat and "Kenmerk: 2024-0001" in flat
    assert re.search(r"pagina 1 van \d+", flat)


def test_html_is_self_contained_and_shows_no_code(run):
    paths, _, _ = run
    for audience in AUDIENCES:
        html = html_text(document_file(paths.reports, audience, "html"))
        assert "<script" not in html.lower()
        assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html, re.I)
        assert "@import" not in html and not re.search(r"url\(\s*['\"]?https?:", html)
        for code_sign in (
            "import ",
            "d.load(",
            "report import document",
            "display(",
            "In&nbsp;[",
            "papermill",
            "Traceback",
        ):
            assert code_sign not in html, (audience, code_sign)
        assert 'lang="nl"' in html


def test_bijlage_is_public(run):
    paths, _, _ = run
    p = pd.read_parquet(paths.processed / "proposals.parquet")
    html = html_text(paths.reports / "openbaar" / "bijlage.html")
    text = pdf_text(paths.reports / "openbaar" / "bijlage.pdf")
    secrets = [
        v
        for v in pd.concat([p["contact_person"], p["contact_email"], p["appraisal_note"]])
        if len(v) > 3
    ]
    assert secrets
    for secret in secrets:
        assert secret not in html and secret not in text
    assert "kansrijk" not in html  # the appraisal itself is internal too
    assert "eerste ruwe inschatting" in re.sub(r"\s+", " ", text)


def test_rerun_with_nothing_changed_is_up_to_date(run):
    paths, _, _ = run
    before = (paths.reports / "nota.pdf").read_bytes()
    start = time.perf_counter()
    manifest = run_pipeline(
        RunOptions(paths=paths, date="2024-01-29", reference_code="2024-0001"),
        say=quiet,
        progress=False,
    )
    assert (
        time.perf_counter() - start < 30
    )  # speed is benchmarked in make bench; this only guards hangs
    status = {s["name"]: s["status"] for s in manifest["steps"]}
    assert status.pop("briefing:overig") == "empty"  # no proposals in it: no document
    assert set(status.values()) == {"skipped"}
    assert (paths.reports / "nota.pdf").read_bytes() == before


def test_same_input_gives_byte_identical_processed_data(run):
    paths, _, _ = run
    before = {p.name: p.read_bytes() for p in paths.processed.glob("*.*")}
    run_pipeline(
        RunOptions(paths=paths, force=True, audiences=("nota",), date="2024-01-29"),
        say=quiet,
        progress=False,
    )
    after = {p.name: p.read_bytes() for p in paths.processed.glob("*.*")}
    assert before == after


def test_parameters_are_checked_before_anything_runs(tmp_path):
    paths = DEFAULT.with_overrides(processed=tmp_path / "p", reports=tmp_path / "r")
    cases = [
        (RunOptions(paths=paths, budget_structural_eur=-5), "budget_structural_eur"),
        (RunOptions(paths=paths, audiences=("minister",)), "audience"),
        (RunOptions(paths=paths, ranking_criteria=["appraisal", "beauty"]), "beauty"),
        (RunOptions(paths=paths, ranking_weights={"appraisal": -1}), "negatief"),
        (RunOptions(paths=paths, date="29-01-2024"), "date"),
        (RunOptions(paths=DEFAULT.with_overrides(raw=tmp_path / "none")), "raw"),
    ]
    for options, word in cases:
        with pytest.raises(ParameterError, match=word):
            run_pipeline(options, say=quiet, progress=False)
    assert not (tmp_path / "p").exists() and not (tmp_path / "r").exists()


def test_notebook_parameter_types_are_checked():
    from stmh_analysis.pipeline import check_notebook_parameters

    nb = DEFAULT.notebooks / "02-rank-proposals.ipynb"
    with pytest.raises(ParameterError, match="onbekende parameter 'budget'"):
        check_notebook_parameters(nb, {"budget": 5})
    with pytest.raises(ParameterError, match="require_each_theme"):
        check_notebook_parameters(nb, {"require_each_theme": "ja"})


def test_one_changed_raw_file_reruns_only_what_it_affects(run, tmp_path):
    paths, _, _ = run
    raw = tmp_path / "raw"
    shutil.copytree(DEFAULT.raw, raw)
    reports = tmp_path / "reports"
    shutil.copytree(paths.reports, reports)
    processed = tmp_path / "processed"
    shutil.copytree(paths.processed, processed)
    local = DEFAULT.with_overrides(raw=raw, processed=processed, reports=reports)
    options = RunOptions(
        paths=local, date="2024-01-29", reference_code="2024-0001", audiences=("nota", "opvang")
    )
    run_pipeline(options, say=quiet, progress=False)  # settle the state for these folders
    vng = raw / "vng_voorstellen.csv"
    vng.write_bytes(
        vng.read_bytes().replace("€ 1.500.000".encode("cp1252"), "€ 1.600.000".encode("cp1252"))
    )
    manifest = run_pipeline(options, say=quiet, progress=False)
    status = {s["name"]: s["status"] for s in manifest["steps"]}
    assert status == {
        "clean": "ran",
        "rank": "ran",
        "briefing:nota": "ran",
        "briefing:opvang": "ran",
    }
    nota = html_text(reports / "nota.html")
    assert "Wijzigingen sinds de vorige verzonden versie" in nota and "€ 1,6 mln per jaar" in nota
    # a file whose bytes change but whose proposals do not: clean reruns, ranking does not; the
    # briefings do, because their provenance block lists every input file's hash
    (raw / "om_input.csv").write_bytes((raw / "om_input.csv").read_bytes() + b"\n")
    manifest = run_pipeline(options, say=quiet, progress=False)
    status = {s["name"]: s["status"] for s in manifest["steps"]}
    assert status["clean"] == "ran" and status["rank"] == "skipped"


def test_failing_notebook_is_explained_and_good_outputs_stay(run, tmp_path):
    import nbformat

    paths, _, _ = run
    reports = tmp_path / "reports"
    shutil.copytree(paths.reports, reports)
    notebooks = tmp_path / "notebooks"
    shutil.copytree(DEFAULT.notebooks, notebooks)
    nb = nbformat.read(notebooks / "nota.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("raise RuntimeError('kapot voor de test')"))
    nbformat.write(nb, notebooks / "nota.ipynb")
    good = (reports / "nota.pdf").read_bytes()
    local = Paths(
        raw=DEFAULT.raw,
        processed=paths.processed,
        reports=reports,
        reference=DEFAULT.reference,
        notebooks=notebooks,
    )
    with pytest.raises(StepFailed) as info:
        run_pipeline(
            RunOptions(paths=local, audiences=("nota",), date="2024-01-29"),
            say=quiet,
            progress=False,
        )
    message = str(info.value)
    # in Dutch, the cell named by the number JupyterLab shows (the code cells from the top)
    number = sum(c.cell_type == "code" for c in nb.cells)
    assert "nota.ipynb" in message and "kapot voor de test" in message
    assert f"codecel [{number}] (in JupyterLab [{number}]" in message
    assert "failed in cell" not in message
    assert (reports / "nota.pdf").read_bytes() == good
    assert (local.executed / "nota.failed.ipynb").exists()
    assert not (reports / "executed").exists(), "logs and executed notebooks stay out of reports/"


def test_killed_run_leaves_last_good_outputs_readable(run, tmp_path):
    paths, _, _ = run
    processed = tmp_path / "processed"
    reports = tmp_path / "reports"
    shutil.copytree(paths.processed, processed)
    shutil.copytree(paths.reports, reports)
    cmd = [
        sys.executable,
        "-m",
        "stmh_analysis.cli",
        "run",
        "--processed",
        str(processed),
        "--reports",
        str(reports),
        "--force",
        "--quiet",
        "--jobs",
        "2",
    ]
    for delay in (1.5, 6.0):
        proc = subprocess.Popen(
            cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        time.sleep(delay)
        import os

        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        pd.read_parquet(processed / "proposals.parquet")
        pd.read_parquet(processed / "ranking.parquet")
        for name in ("proposals", "rejected", "issues", "ranking", "portfolio"):
            pd.read_csv(processed / f"{name}.csv", encoding="utf-8-sig")
        for audience in AUDIENCES:
            assert (
                (document_file(reports, audience, "html"))
                .read_text(encoding="utf-8")
                .rstrip()
                .endswith("</html>")
            )
            assert len(pypdf.PdfReader(document_file(reports, audience, "pdf")).pages) >= 1
        json.loads((reports / "manifest.json").read_text())


def test_hostile_names_addresses_and_markup_in_the_reports(tmp_path):
    """Names, e-mail addresses and appraisal notes never reach the public annex; markup stays text."""
    raw = tmp_path / "raw"
    raw.mkdir()
    hostile_title = (
        '<script>alert("bijlage")</script><img src="https://evil.example/x.png"> Meldpunt'
    )
    rows = [
        [
            "Organisatie",
            "Thema",
            "Titel voorstel",
            "Omschrijving",
            "Indicatieve kosten",
            "Structureel/incidenteel",
            "Contactpersoon",
            "E-mail",
        ],
        [
            "OM",
            "Technologie",
            hostile_title,
            "Mail ons: lekt.niet@geheim.example of bel 06-12345678",
            "€ 100.000",
            "eenmalig",
            "Geheime Contactpersoon",
            "contact.persoon@geheim.example",
        ],
        [
            "VNG",
            "Opvang",
            "Gewoon voorstel",
            "Beschrijving",
            "€ 50.000",
            "per jaar",
            "Andere Persoon",
            "andere@geheim.example",
        ],
        [
            "Politie",
            "Opvang",
            FORMULA_TITLE,
            "Een titel die een spreadsheet als formule zou uitvoeren",
            "€ 75.000",
            "eenmalig",
            "",
            "",
        ],
    ]
    (raw / "partner.csv").write_text("\n".join(";".join(r) for r in rows), encoding="utf-8")
    (raw / "appreciaties.csv").write_text(
        "Organisatie;Titel voorstel;Appreciatie;Toelichting\n"
        f"OM;{hostile_title};kansrijk;VERTROUWELIJK oordeel over OM\n"
        "VNG;Gewoon voorstel;nader uitwerken;VERTROUWELIJK tweede\n"
        f"Politie;{FORMULA_TITLE};kansrijk;\n",
        encoding="utf-8",
    )
    paths = DEFAULT.with_overrides(
        raw=raw, processed=tmp_path / "processed", reports=tmp_path / "reports"
    )
    run_pipeline(
        RunOptions(paths=paths, audiences=("nota", "bijlage", "kamerbrief"), date="2024-01-29"),
        say=quiet,
        progress=False,
    )
    bijlage_html = html_text(paths.reports / "openbaar" / "bijlage.html")
    bijlage_pdf = pdf_text(paths.reports / "openbaar" / "bijlage.pdf")
    letter = html_text(paths.reports / "openbaar" / "kamerbrief.html") + pdf_text(
        paths.reports / "openbaar" / "kamerbrief.pdf"
    )
    for secret in ("Geheime", "geheim.example", "VERTROUWELIJK", "06-12345678", "kansrijk"):
        assert secret not in letter, secret  # the letter holds no partner text at all
    for secret in (
        "Geheime Contactpersoon",
        "contact.persoon@geheim.example",
        "Andere Persoon",
        "andere@geheim.example",
        "VERTROUWELIJK",
        "lekt.niet@geheim.example",
        "06-12345678",
    ):
        assert secret not in bijlage_html and secret not in bijlage_pdf, secret
    assert "Gewoon voorstel" in bijlage_html and "Meldpunt" in bijlage_pdf
    for audience in ("nota", "bijlage"):
        html = html_text(document_file(paths.reports, audience, "html"))
        assert "<script" not in html and "<img" not in html  # shown as text, never as markup
        assert "&lt;script&gt;alert(" in html  # escaped: the reader sees the text
    # the CSV for people is defused, the parquet keeps the exact title
    assert hostile_title in set(pd.read_parquet(paths.processed / "proposals.parquet")["title"])
    # the workbooks: the public one holds no contact data or notes; formulas stay text
    cells = workbook_cells(paths.reports / "openbaar" / "bijlage.xlsx")
    text = " ".join(str(c.value) for c in cells if c.value is not None)
    for secret in ("Geheime Contactpersoon", "geheim.example", "VERTROUWELIJK", "06-12345678"):
        assert secret not in text, secret
    for name in ("openbaar/bijlage.xlsx", "voorstellen.xlsx"):
        titles = [c for c in workbook_cells(paths.reports / name) if c.value == FORMULA_TITLE]
        assert titles and all(c.data_type == "s" for c in titles), name
    internal = " ".join(
        str(c.value) for c in workbook_cells(paths.reports / "voorstellen.xlsx") if c.value
    )
    assert "VERTROUWELIJK oordeel over OM" in internal  # the internal workbook has the notes


FORMULA_TITLE = '=HYPERLINK("https://evil.example","Klik hier")'


def test_disguised_contact_data_and_confidential_proposals_stay_out_of_public_outputs(tmp_path):
    """Contact data where partners put it (phone numbers in every form, e-mail written around
    the filter, an address in the organisation cell, named contact persons) and a proposal the
    partner marked confidential: none of it in the public bijlage (HTML, PDF, workbook), and
    the proposals it was taken from are flagged for review."""
    raw = tmp_path / "raw"
    raw.mkdir()
    header = ["Organisatie", "Thema", "Titel voorstel", "Omschrijving", "Indicatieve kosten",
              "Contactpersoon", "Status"]  # fmt: skip
    rows = [
        header,
        ["OM", "Opvang", "Project van Piet Pietersen", "Bel 070 - 123 45 67 of +31 (0)6 1234 5679",
         "€ 50.000 eenmalig", "Piet Pietersen", ""],
        ["VNG", "Opvang", "Meldpunt gemeenten", "tel. 0800-1234, mail jan [at] vng.example of "
         "jan.jansen @ vng.example, contactpersoon Jan Jansen", "€ 40.000 eenmalig", "", ""],
        ["Stichting X (info@x.example, 06-11112222)", "Opvang", "Nachtopvang", "Opvang 's nachts",
         "€ 30.000 eenmalig", "", ""],
        ["Politie", "Opvang", "Informantenregeling", "Geheim project", "€ 20.000 eenmalig", "",
         "vertrouwelijk"],
    ]  # fmt: skip
    (raw / "partner.csv").write_text("\n".join(";".join(r) for r in rows), encoding="utf-8")
    titles = [r[2] for r in rows[1:]]
    (raw / "appreciaties.csv").write_text(
        "Organisatie;Titel voorstel;Appreciatie\n"
        + "".join(f"{r[0]};{r[2]};kansrijk\n" for r in rows[1:]),
        encoding="utf-8",
    )
    paths = DEFAULT.with_overrides(
        raw=raw, processed=tmp_path / "processed", reports=tmp_path / "reports"
    )
    run_pipeline(
        RunOptions(paths=paths, audiences=("bijlage",), date="2024-01-29"), say=quiet,
        progress=False,
    )  # fmt: skip
    public = {
        "html": html_text(paths.reports / "openbaar" / "bijlage.html"),
        "pdf": pdf_text(paths.reports / "openbaar" / "bijlage.pdf"),
        "xlsx": " ".join(
            str(c.value)
            for c in workbook_cells(paths.reports / "openbaar" / "bijlage.xlsx")
            if c.value
        ),
    }
    secrets = ["Piet Pietersen", "070 - 123 45 67", "1234 5679", "0800-1234", "vng.example",
               "Jan Jansen", "x.example", "11112222", "Informantenregeling", "Geheim project"]  # fmt: skip
    for where, text in public.items():
        for secret in secrets:
            assert secret not in text, (where, secret)
    assert "Nachtopvang" in public["html"] and "Meldpunt gemeenten" in public["pdf"]
    p = pd.read_parquet(paths.processed / "proposals.parquet").set_index("title")
    for title in titles[:3]:
        assert "personal_data_removed" in p.at[title, "data_issues"], title
    assert "confidential" in p.at["Informantenregeling", "data_issues"]


def workbook_cells(path: Path) -> list:
    import openpyxl

    wb = openpyxl.load_workbook(path)
    return [cell for ws in wb for row in ws.iter_rows() for cell in row]


def test_workbooks_beside_the_pdfs(run):
    """voorstellen.xlsx (internal) and bijlage.xlsx (public): Dutch headers, euro amounts as
    numbers, frozen header, filters; the public one has only the bijlage's proposals and columns."""
    import openpyxl

    paths, _, _ = run
    p = pd.read_parquet(paths.processed / "proposals.parquet")
    internal = openpyxl.load_workbook(paths.reports / "voorstellen.xlsx")
    assert internal.sheetnames == [
        "Rangschikking", "Budgetscenario", "Scenario's", "Datakwaliteit", "Wijzigingen"
    ]  # fmt: skip
    public = openpyxl.load_workbook(paths.reports / "openbaar" / "bijlage.xlsx")
    assert public.sheetnames == ["Voorstellen", "Wijzigingen"]
    for wb in (internal, public):  # like the documents': no release yet to compare with
        assert "nog geen eerder verzonden versie" in wb["Wijzigingen"]["A1"].value
    directorate = load_reference(DEFAULT.reference).memo.sender
    for wb in (internal, public):
        assert wb.properties.creator == directorate and wb.properties.language == "nl-NL"
        assert wb.properties.title and "openpyxl" not in str(wb.properties.lastModifiedBy)
    for ws in internal.worksheets[:-1]:
        assert ws.freeze_panes.endswith("2") and ws.print_title_rows == "$1:$1", ws.title
        (table,) = ws.tables.values()  # an Excel Table: a defined header row, with filters
        assert table.ref.startswith("A1:") and ws.page_setup.fitToWidth == 1
    # the public sheet says what it is above its table: title, date, the 'indicatief' caveat
    sheet = public["Voorstellen"]
    assert (
        "overzicht voorstellen" in sheet["A1"].value
        and sheet["A2"].value == "Datum: 29 januari 2024"
    )
    assert "indicatief" in sheet["A3"].value and "geen toezegging" in sheet["A3"].value
    (table,) = sheet.tables.values()
    assert table.ref.startswith("A5:") and sheet.print_title_rows == "$5:$5"
    assert sheet.freeze_panes == "C6"  # header and theme and title stay in view
    ranking = internal["Rangschikking"]
    headers = [c.value for c in ranking[1]]
    assert ranking.max_row - 1 == len(p)
    col, words = headers.index("Structureel hoog (€ per jaar)"), headers.index("Kosten")
    rows = list(ranking.iter_rows(min_row=2))
    costed = [r[col] for r in rows if not str(r[words].value).startswith("p.m.")]
    unknown = [r[col] for r in rows if str(r[words].value).startswith("p.m.")]
    assert all(isinstance(c.value, int) and "€" in c.number_format for c in costed)
    assert unknown and all(c.value is None for c in unknown)  # p.m. is never € 0
    assert sum(c.value for c in costed) == round(p["structural_high_eur"].sum())
    headers = [c.value for c in sheet[5]]
    published = p[p["appraisal"].isin(["kansrijk", "nader_uitwerken"])]
    assert sheet.max_row - 5 == len(published)
    assert not {"Appreciatie", "Contactpersoon", "E-mail", "Toelichting appreciatie"} & set(headers)
    text = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value)
    for secret in pd.concat([p["contact_person"], p["contact_email"], p["appraisal_note"]]):
        if len(secret) > 3:
            assert secret not in text
    assert "@" not in text and "kansrijk" not in text


def test_reports_differ_only_in_the_run_timestamp(run, tmp_path):
    paths, _, _ = run
    pages = []
    for name in ("first", "second"):
        local = DEFAULT.with_overrides(processed=paths.processed, reports=tmp_path / name)
        run_pipeline(
            RunOptions(paths=local, audiences=("nota",), date="2024-01-29", reference_code="K-1"),
            say=quiet,
            progress=False,
        )
        html = html_text(local.reports / "nota.html")
        pages.append(re.sub(r"Gemaakt op [^<]*? met", "Gemaakt op - met", html))
    assert pages[0] == pages[1]


def test_briefings_do_not_depend_on_order(run, tmp_path):
    """Each briefing runs in a kernel of its own: the pages must not care in which order, or next
    to which other briefing, they were made."""
    paths, _, _ = run
    orders = {
        "forward": ("opvang", "nota", "bijlage", "klantaanpak"),
        "backward": ("klantaanpak", "bijlage", "nota", "opvang"),
    }
    pages: dict[str, dict[str, str]] = {}
    for label, order in orders.items():
        local = DEFAULT.with_overrides(processed=paths.processed, reports=tmp_path / label)
        run_pipeline(
            RunOptions(paths=local, audiences=order, jobs=1, date="2024-01-29"),
            say=quiet,
            progress=False,
        )
        pages[label] = {
            a: re.sub(
                r"Gemaakt op [^<]*? met", "", html_text(document_file(local.reports, a, "html"))
            )
            for a in order
        }
    assert pages["forward"] == pages["backward"]


def test_the_nota_shows_the_scenarios_side_by_side_and_the_frontier(run):
    paths, _, _ = run
    html = html_text(paths.reports / "nota.html")
    for label in (
        "Basis",
        "+ € 0,5 mln",
        "Amendement + € 2 mln",
        "Elk thema iets",
        "Alleen kansrijk",
    ):
        assert f">{label}<" in html, label
    assert (
        "Ten opzichte van de basis (lage raming):" in html and "Niet besteed (structureel)" in html
    )
    assert re.search(
        r"<strong>Amendement \+ € 2 mln</strong>: erbij [^<]+; (eraf|niets eraf)", html
    )
    assert 'aria-label="Beste haalbare waarde per structureel budget' in html
    opvang = html_text(paths.reports / "opvang.html")
    assert "Voorstellen van dit thema gekozen" in opvang and ">Amendement + € 2 mln<" in opvang


def test_the_review_round_trip_through_the_whole_run(run, tmp_path):
    """A run writes the review workbook; the analyst decides two questions in it and saves it in
    raw; the rerun applies them and the nota counts them; a partner's correction reopens one."""
    from openpyxl import load_workbook

    paths, _, _ = run
    raw = tmp_path / "raw"
    shutil.copytree(DEFAULT.raw, raw)
    local = DEFAULT.with_overrides(
        raw=raw, processed=tmp_path / "processed", reports=tmp_path / "reports"
    )
    options = RunOptions(paths=local, date="2024-01-29", audiences=("nota",))
    run_pipeline(options, say=quiet, progress=False)
    review = pd.read_csv(local.processed / "review.csv", keep_default_na=False)
    open_before = len(review)
    amount = review[review["kind"] == "bedrag"].iloc[0]
    theme = review[review["kind"] == "thema"].iloc[0]
    wb = load_workbook(local.reports / "te-beoordelen.xlsx")
    ws = wb["Vragen"]
    head = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        qid = row[head.index("Vraag")].value
        if qid == amount["question_id"]:
            row[head.index("Besluit")].value = "aangepast (zie de kolommen)"
            row[head.index("Structureel laag (€ per jaar)")].value = 123_000
            row[head.index("Beoordeeld door")].value = "A. Analist"
        elif qid == theme["question_id"]:
            row[head.index("Besluit")].value = "lezing klopt"
    wb.save(raw / "beoordelingen.xlsx")

    run_pipeline(options, say=quiet, progress=False)
    proposals = pd.read_parquet(local.processed / "proposals.parquet").set_index("proposal_id")
    decided = proposals.loc[amount["proposal_id"]]
    assert decided["structural_low_eur"] == 123_000 and "analyst_decided" in decided["data_issues"]
    nota = html_text(local.reports / "nota.html")
    assert 'data-figure="review_decided_amounts">1 bedrag<' in nota
    assert f'data-figure="review_open">{open_before - 2} vragen<' in nota
    assert "A. Analist" not in html_text(local.reports / "nota.html").split("Bijlage 2")[0]

    # the partner changes the cells that decision was about
    source = raw / amount["source_file"]
    cost = proposals.loc[amount["proposal_id"], "cost_text"]
    data = source.read_bytes()
    for encoding in ("utf-8", "cp1252"):
        if cost.encode(encoding) in data:
            source.write_bytes(
                data.replace(cost.encode(encoding), (cost + " ca.").encode(encoding))
            )
            break
    else:
        pytest.skip("cost text not found verbatim in the file")
    run_pipeline(options, say=quiet, progress=False)
    proposals = pd.read_parquet(local.processed / "proposals.parquet").set_index("proposal_id")
    assert "decision_outdated" in proposals.loc[amount["proposal_id"], "data_issues"]
    assert proposals.loc[amount["proposal_id"], "structural_low_eur"] != 123_000
    issues = pd.read_csv(local.processed / "issues.csv", keep_default_na=False)
    outdated = issues[issues["code"] == "decision_outdated"]["message"].iloc[0]
    assert cost in outdated and f"{cost} ca." in outdated
    assert "opnieuw omdat de partner" in html_text(local.reports / "nota.html")


def test_killing_the_main_process_stops_its_workers_and_kernels(run, tmp_path):
    """Only the `stmh run` process is killed (not its process group): the briefing workers and
    their kernels notice and stop within seconds, instead of writing reports for nobody."""
    import os

    import psutil

    paths, _, _ = run
    cmd = [sys.executable, "-m", "stmh_analysis.cli", "run", "--processed",
           str(tmp_path / "processed"), "--reports", str(tmp_path / "reports"), "--quiet"]  # fmt: skip
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    main = psutil.Process(proc.pid)
    deadline = time.monotonic() + 60
    children: list = []
    while time.monotonic() < deadline and proc.poll() is None:
        children = main.children(recursive=True)
        if len(children) >= 4:  # kernels of clean and rank, the forkserver and its workers
            break
        time.sleep(0.2)
    assert proc.poll() is None, "the run ended before its workers started"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    _, alive = psutil.wait_procs(children, timeout=20)
    alive = [p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    for p in alive:  # never leave them behind, whatever the outcome
        p.kill()
    assert alive == [], [p.cmdline()[:3] for p in alive]


def _figures(node, found: list) -> list:
    """Every /Figure element of a PDF structure tree, with its /Alt."""
    node = node.get_object()
    if isinstance(node, pypdf.generic.DictionaryObject):
        if node.get("/S") == "/Figure":
            found.append(node.get("/Alt"))
        kids = node.get("/K")
        kids = kids if isinstance(kids, pypdf.generic.ArrayObject) else [kids]
        for kid in kids:
            if isinstance(kid, pypdf.generic.IndirectObject | pypdf.generic.DictionaryObject):
                _figures(kid, found)
    return found


def test_every_pdf_is_tagged_for_screen_readers(run):
    """PDF/UA-1: structure tree, /MarkInfo /Marked, /Lang nl, dc:title and the directorate as
    dc:creator in the XMP, pdfuaid, the title shown as the window title; every chart has /Alt."""
    paths, _, _ = run
    directorate = load_reference(DEFAULT.reference).memo.sender
    for audience in AUDIENCES:
        pdf = pypdf.PdfReader(document_file(paths.reports, audience, "pdf"))
        root = pdf.trailer["/Root"]
        assert "/StructTreeRoot" in root and bool(root["/MarkInfo"]["/Marked"])
        assert root["/Lang"] == "nl" and bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
        xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
        assert "pdfuaid:part" in xmp and "<dc:title>" in xmp and directorate in xmp
        alts = _figures(root["/StructTreeRoot"], [])
        assert all(alts), (audience, alts)
        if audience == "nota":
            assert len(alts) == 3  # the charts: cost per theme, cumulative cost, the frontier


def test_charts_carry_their_values_as_text_and_ids_never_repeat(run):
    paths, _, _ = run
    nota = html_text(paths.reports / "nota.html")
    assert nota.count("<desc>") == 3 and "<title>Indicatieve kosten per thema" in nota
    ids = re.findall(r'\sid="([^"]+)"', nota)
    assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1][:5]
    assert 'scope="col"' in nota and "<th>" not in nota and "<th></th>" not in nota


def test_a_correction_in_one_theme_leaves_the_other_briefings_as_a_fresh_render_would(tmp_path):
    """One amount in one theme changes: that theme's briefing, the nota and the bijlage are
    made again; another theme's briefing stays `actueel`, byte for byte what a fresh run makes."""
    import datetime as dt

    raw = tmp_path / "raw"
    shutil.copytree(DEFAULT.raw, raw)
    moment = dt.datetime(2024, 1, 29, 13, 0, tzinfo=dt.UTC)

    def options(root: Path) -> RunOptions:
        folders = DEFAULT.with_overrides(
            raw=raw, processed=root / "processed", reports=root / "reports"
        )
        return RunOptions(paths=folders, date="2024-01-29", now=moment,
                          audiences=("nota", "bijlage", "opvang", "klantaanpak"))  # fmt: skip

    run_pipeline(options(tmp_path / "a"), say=quiet, progress=False)
    vng = raw / "vng_voorstellen.csv"  # "Zorgcoördinatie in alle regio's" is in opvang
    vng.write_bytes(
        vng.read_bytes().replace("€ 1.500.000".encode("cp1252"), "€ 1.600.000".encode("cp1252"))
    )
    said: list[str] = []
    manifest = run_pipeline(options(tmp_path / "a"), say=said.append, progress=False)
    status = {s["name"]: s["status"] for s in manifest["steps"]}
    assert status == {"clean": "ran", "rank": "ran", "briefing:nota": "ran",
                      "briefing:bijlage": "ran", "briefing:opvang": "ran",
                      "briefing:klantaanpak": "skipped"}  # fmt: skip
    assert any("voorstellen of cijfers van dit thema gewijzigd" in line for line in said)
    run_pipeline(options(tmp_path / "b"), say=quiet, progress=False)  # fresh, from scratch
    for name in ("klantaanpak.html", "opvang.html"):
        kept, fresh = (tmp_path / r / "reports" / name for r in ("a", "b"))
        assert kept.read_bytes() == fresh.read_bytes(), name
    # a PDF's embedded font subsets differ between renders; its text and pages do not
    kept_pdf, fresh_pdf = (tmp_path / r / "reports" / "klantaanpak.pdf" for r in ("a", "b"))
    assert pdf_text(kept_pdf) == pdf_text(fresh_pdf)


# --- the Kamerbrief and the Word copies ----------------------------------------------------------


def figures_in(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-figure="(\w+)">([^<]*)<', html))


def test_the_kamerbrief_states_the_figures_of_the_bijlage(run):
    paths, _, _ = run
    letter = html_text(paths.reports / "openbaar" / "kamerbrief.html")
    annex = html_text(paths.reports / "openbaar" / "bijlage.html")
    in_letter, in_annex = figures_in(letter), figures_in(annex)
    shared = {"public_count", "public_structural", "public_incidental"}
    assert shared <= set(in_letter) and shared <= set(in_annex)
    assert {k: in_letter[k] for k in shared} == {k: in_annex[k] for k in shared}
    # the count is the bijlage's rows, the totals their sums
    table_rows = annex.count('<td class="main">')
    assert in_letter["public_count"] == str(table_rows)
    for part in ("Aan de Voorzitter van de Tweede Kamer der Staten-Generaal", "Betreft",
                 "Geachte Voorzitter,", "Hoogachtend,", "De Minister van Justitie en Veiligheid"):  # fmt: skip
        assert part in letter, part
    pdf = pdf_text(paths.reports / "openbaar" / "kamerbrief.pdf")
    assert in_letter["public_structural"] in pdf and "Openbaar".upper() in pdf.upper()
    # nothing internal: no appraisal, no ranking, no file or command
    for internal in ("kansrijk", "appreciatie", "Appreciatie", "rangschikking", ".yaml", "stmh "):
        assert internal not in re.sub(r"<[^>]+>", " ", letter), internal


def test_the_word_copies_have_word_headings_page_numbers_and_the_pdf_amounts(run):
    import docx

    paths, _, _ = run
    for name in ("nota", "kamerbrief"):
        document = docx.Document(str(paths.reports / f"{name}.docx"))
        styles = {p.style.name for p in document.paragraphs}
        assert "Heading 1" in styles, name
        # (a chart's text alternative states values the PDF shows as a drawing)
        text = "\n".join(
            p.text for p in document.paragraphs if not p.text.startswith("Grafiek")
        ).replace("\xa0", " ")
        text += "\n".join(
            cell.text
            for table in document.tables
            for row in table.rows
            for cell in row.cells
            if not cell.text.startswith("Grafiek")
        ).replace("\xa0", " ")
        pdf = pdf_text(document_file(paths.reports, name, "pdf"))
        amounts = set(re.findall(r"€ [\d.]+(?:,\d+)?(?: mln)?", text))
        assert amounts and amounts <= set(re.findall(r"€ [\d.]+(?:,\d+)?(?: mln)?", pdf)), name
        footer = document.sections[0].footer._element.xml
        assert "PAGE" in footer and "NUMPAGES" in footer
        assert document.core_properties.language == "nl-NL"
        assert document.core_properties.author.startswith("Directie")
    nota = docx.Document(str(paths.reports / "nota.docx"))
    headings = [p.text for p in nota.paragraphs if p.style.name == "Heading 2"]
    assert headings[:3] == ["1. Aanleiding", "2. Geadviseerd besluit", "3. Kernpunten"]
    assert nota.tables, "the nota's tables are Word tables"


def test_an_analysts_edit_in_markdown_reaches_html_pdf_and_word(run, tmp_path):
    """Change one sentence of the Aanleiding in nota.ipynb, as an analyst would in Lab: the
    HTML, the PDF and the Word copy say the new words, with the figure still filled in."""
    import docx
    import nbformat

    paths, _, _ = run
    notebooks = tmp_path / "notebooks"
    shutil.copytree(paths.notebooks, notebooks)
    nb = nbformat.read(notebooks / "nota.ipynb", as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "markdown" and "## 1. Aanleiding" in c.source)
    cell.source = cell.source.replace(
        "Op het verzoek aan de samenwerkingspartners in de regiegroep zijn",
        "Na onze oproep aan de partners zijn",
    )
    nbformat.write(nb, notebooks / "nota.ipynb")
    edited = paths.with_overrides(notebooks=notebooks, reports=tmp_path / "reports")
    shutil.copytree(paths.processed, tmp_path / "processed")
    edited = edited.with_overrides(processed=tmp_path / "processed")
    run_pipeline(
        RunOptions(paths=edited, audiences=("nota",), date="2024-01-29"), say=quiet,
        progress=False,
    )  # fmt: skip
    words = re.compile(r"Na onze oproep aan de partners zijn\s+49\s+voorstellen")
    html = re.sub(r"<[^>]+>", "", html_text(edited.reports / "nota.html"))
    assert words.search(html)
    assert words.search(pdf_text(edited.reports / "nota.pdf").replace("\n", " "))
    word = "\n".join(p.text for p in docx.Document(str(edited.reports / "nota.docx")).paragraphs)
    assert words.search(word.replace("\xa0", " "))


# --- what may be published, apart ----------------------------------------------------------------


def _everything_in(path: Path) -> str:
    """A file's content and metadata as text: what a reader or a Woo request would see."""
    import zipfile

    if path.suffix == ".pdf":
        reader = pypdf.PdfReader(path)
        meta = " ".join(str(v) for v in (reader.metadata or {}).values())
        xmp = reader.trailer["/Root"].get("/Metadata")
        return pdf_text(path) + meta + (xmp.get_object().get_data().decode() if xmp else "")
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as z:
            return " ".join(z.read(n).decode("utf-8", "replace") for n in z.namelist())
    return path.read_text(encoding="utf-8")


def test_the_public_folder_holds_only_what_may_be_published(run):
    """reports/openbaar/ is what may be uploaded or sent under the Woo as it is: the Kamerbrief
    and its bijlage (HTML, PDF) and the public workbook; no manifest, internal document, personal
    data, internal path or tool in any of them, content or metadata."""
    paths, _, _ = run
    public = paths.reports / "openbaar"
    assert {p.name for p in public.iterdir()} == {
        "kamerbrief.html", "kamerbrief.pdf", "bijlage.html", "bijlage.pdf", "bijlage.xlsx",
    }  # fmt: skip
    internal = {p.name for p in paths.reports.iterdir() if p.is_file()}
    assert {"nota.html", "manifest.json", "voorstellen.xlsx", "te-beoordelen.xlsx"} <= internal
    assert not internal & {"bijlage.html", "kamerbrief.html", "bijlage.xlsx"}
    for path in public.iterdir():
        text = _everything_in(path)
        assert not re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", text), path.name  # no e-mail address
        # (a PDF's Producer names the PDF library, as every PDF does; nothing else names a tool)
        for leak in (str(paths.reports), "/work/", "/home/", "C:\\\\", "commit", "openpyxl",
                     "stmh-analysis", "kansrijk", "appreciatie"):  # fmt: skip
            assert leak not in text, (path.name, leak)


def test_the_frontier_is_also_a_table_of_values(run):
    """A reader who cannot see the chart reads the next euro's value as text (WCAG 1.1.1)."""
    paths, _, _ = run
    nota = html_text(paths.reports / "nota.html")
    assert "De waarde van de volgende euro in getallen" in nota
    frontier = pd.read_csv(paths.processed / "frontier.csv")
    best = frontier["value"].max()
    assert f'<td class="num">{best:g}'.replace(".", ",") in nota


def test_the_publication_rule_is_the_public_field_in_appraisals_yaml(run, tmp_path):
    """Which appraisals the public documents show is read from appraisals.yaml (`public: true`),
    in one place: marking 'nader uitwerken' not public takes its proposals out of the bijlage."""
    from stmh_analysis.publication import published
    from stmh_analysis.report import document

    paths, manifest, _ = run
    assert load_reference(DEFAULT.reference).public_appraisals == ("kansrijk", "nader_uitwerken")
    assert manifest["used"]["public_appraisals"] == ["kansrijk", "nader_uitwerken"]
    shutil.copytree(DEFAULT.reference, tmp_path / "reference")
    yaml_file = tmp_path / "reference" / "appraisals.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    head, rest = text.split("  - code: nader_uitwerken", 1)
    yaml_file.write_text(
        head + "  - code: nader_uitwerken" + rest.replace("public: true", "public: false", 1),
        encoding="utf-8",
    )
    kwargs = {"processed_dir": paths.processed, "date": "2024-01-29"}
    usual = document.load("bijlage", **kwargs)
    narrower = document.load("bijlage", reference_dir=tmp_path / "reference", **kwargs)
    assert usual.options.public_appraisals == ("kansrijk", "nader_uitwerken")
    assert narrower.options.public_appraisals == ("kansrijk",)
    proposals = usual.data.proposals
    n_kansrijk = int(published(proposals, ("kansrijk",)).sum())
    assert 0 < n_kansrijk < int(published(proposals, usual.options.public_appraisals).sum())
    assert f">{n_kansrijk}</span>" in str(narrower.figures.public_count)


def test_a_public_field_that_is_not_true_or_false_is_refused(tmp_path):
    from stmh_analysis.reference import ReferenceError

    shutil.copytree(DEFAULT.reference, tmp_path / "reference")
    yaml_file = tmp_path / "reference" / "appraisals.yaml"
    text = yaml_file.read_text(encoding="utf-8")
    yaml_file.write_text(text.replace("public: true", "public: ja", 1), encoding="utf-8")
    with pytest.raises(ReferenceError, match="kansrijk.*public: schrijf true of false"):
        load_reference(tmp_path / "reference")


def test_a_word_changed_in_labels_yaml_or_problems_csv_is_what_every_surface_says(run, tmp_path):
    """The words for codes live in one table (labels.yaml) and the problem texts in the run's own
    problems.csv: the documents, the notebooks' tables and the workbooks all follow an edit in a
    --reference folder (the texts of problems were read from the repository's folder)."""
    from stmh_analysis.report import document
    from stmh_analysis.report.show import tabel
    from stmh_analysis.report.workbook import internal_sheets

    paths, _, _ = run
    ref = tmp_path / "reference"
    shutil.copytree(DEFAULT.reference, ref)
    labels = ref / "labels.yaml"
    labels.write_text(
        labels.read_text(encoding="utf-8")
        .replace("beide_ramingen: bij beide ramingen", "beide_ramingen: BEIDE-RAMINGEN-X")
        .replace("    warning: let op", "    warning: LET-OP-X"),
        encoding="utf-8",
    )
    problems = ref / "problems.csv"
    problems.write_text(
        problems.read_text(encoding="utf-8").replace(
            "thema leeg of onbekend; afgeleid uit titel en omschrijving",
            "ORGANISATIE-LIJKT-OP-X",
        ),
        encoding="utf-8",
    )
    doc = document.load("nota", processed_dir=paths.processed, reference_dir=ref, date="2024-01-29")
    assert "BEIDE-RAMINGEN-X" in str(document.ranked_tables(doc.data))
    assert "BEIDE-RAMINGEN-X" in str(document.chosen_table(doc.data))
    assert "BEIDE-RAMINGEN-X" in str(
        tabel(doc.data.portfolio, ["fits"], reference=doc.data.reference)
    )
    assert (doc.data.issues["code"] == "theme_inferred").any()  # the bundled data has such a case
    assert "ORGANISATIE-LIJKT-OP-X" in str(document.warnings_list(doc.data))
    issues = doc.data.issues.assign(code="theme_inferred")
    assert "ORGANISATIE-LIJKT-OP-X" in str(tabel(issues, ["code"], reference=doc.data.reference))
    quality = next(s for s in internal_sheets(doc.data) if s.name == "Datakwaliteit")
    assert "LET-OP-X" in set(quality.frame["level_words"])
    checked = subprocess.run(
        [
            sys.executable,
            "-m",
            "stmh_analysis.cli",
            "check",
            str(DEFAULT.raw),
            "--reference",
            str(ref),
        ],
        capture_output=True,
        text=True,
    )
    assert "LET-OP-X" in checked.stdout, checked.stdout[-2000:]
    assert "ORGANISATIE-LIJKT-OP-X" in checked.stdout, checked.stdout[-2000:]
