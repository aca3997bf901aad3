"""Releases (what was sent out, frozen) and 'what changed' against them."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import stat
from html import unescape
from pathlib import Path

import pandas as pd
import pytest

from stmh_analysis.changes import compare_proposals, count_changes
from stmh_analysis.outputs import document_file
from stmh_analysis.paths import Paths
from stmh_analysis.releases import ReleaseError, check_name, find_release, make_release
from stmh_analysis.store import sha256_file

DEFAULT = Paths.default()
NOW = dt.datetime(2024, 1, 29, 14, 0, tzinfo=dt.UTC)


def proposal(pid: str, **values) -> dict:
    base = {
        "proposal_id": pid,
        "title": f"Voorstel {pid}",
        "summary": f"Omschrijving van voorstel {pid} met genoeg woorden om te vergelijken.",
        "organisation": "VNG",
        "theme": "opvang",
        "cost_status": "estimated",
        "structural_low_eur": 100_000.0,
        "structural_high_eur": 100_000.0,
        "incidental_low_eur": 0.0,
        "incidental_high_eur": 0.0,
        "first_year": pd.NA,
        "last_year": pd.NA,
        "appraisal": "kansrijk",
        "source_file": "vng.csv",
        "source_row": "2",
        "cost_text": "€ 100.000 per jaar",
    }
    return {**base, **values}


def frame(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows))


# --- what changed ---------------------------------------------------------------------------------


def test_new_withdrawn_and_changed_fields_each_listed_once():
    before = frame(proposal("a"), proposal("b"), proposal("c"))
    after = frame(
        proposal("a", structural_high_eur=150_000.0),
        proposal("c", appraisal="niet_kansrijk", theme="klantaanpak"),
        proposal("d", organisation="OM", summary="Iets heel anders dan de rest, voor het OM."),
    )
    found = compare_proposals(after, before)
    got = {(r["kind"], r["proposal_id"], r["field"]) for r in found.to_dict("records")}
    assert got == {
        ("new", "d", ""),
        ("withdrawn", "b", ""),
        ("changed", "a", "cost"),
        ("changed", "c", "appraisal"),
        ("changed", "c", "theme"),
    }
    assert count_changes(found) == {"new": 1, "withdrawn": 1, "changed": 2}
    moved = found[(found["proposal_id"] == "c") & (found["field"] == "theme")].iloc[0]
    assert (moved["old"], moved["new"]) == ("opvang", "klantaanpak")


def test_nothing_changed_is_empty():
    both = frame(proposal("a"), proposal("b"))
    assert compare_proposals(both, both.copy()).empty


@pytest.mark.parametrize(
    "renamed",
    [
        pytest.param({"title": "Een geheel nieuwe naam"}, id="same-description"),
        pytest.param(
            {"title": "Een geheel nieuwe naam", "summary": "Herschreven tekst."},
            id="same-row-and-cost",
        ),
        pytest.param(
            {"title": "Voorstel a (herzien)", "summary": "Herschreven tekst.", "source_row": "9"},
            id="title-mostly-equal",
        ),
    ],
)
def test_a_retitled_proposal_of_the_same_partner_is_one_change(renamed):
    before = frame(proposal("a"))
    after = frame(proposal("a2", **renamed))
    found = compare_proposals(after, before)
    assert list(found["kind"]) == ["changed"]
    row = found.iloc[0]
    assert (row["field"], row["old"], row["new"]) == ("title", "Voorstel a", renamed["title"])
    assert row["evidence"].startswith("herkend aan: ")


def test_retitle_needs_the_same_partner_and_evidence():
    before = frame(proposal("a"), proposal("b", organisation="OM"))
    after = frame(
        # the same description, but another partner: not the same proposal
        proposal("x", organisation="Politie", title="Anders", source_file="politie.xlsx"),
        # the same partner, but nothing alike
        proposal(
            "y",
            organisation="OM",
            title="Totaal iets anders",
            summary="Geen gelijkenis hier.",
            source_row="7",
            cost_text="€ 5 mln",
        ),
    )
    kinds = sorted(compare_proposals(after, before)["kind"])
    assert kinds == ["new", "new", "withdrawn", "withdrawn"]


def test_each_old_proposal_pairs_with_at_most_one_new():
    before = frame(proposal("a"))
    after = frame(proposal("a2", title="Naam een"), proposal("a3", title="Naam twee"))
    found = compare_proposals(after, before)
    assert count_changes(found) == {"new": 1, "withdrawn": 0, "changed": 1}


# --- making a release -----------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path) -> Paths:
    """A minimal finished run: two raw files, one processed table, one report and its manifest."""
    paths = Paths(
        raw=tmp_path / "raw",
        processed=tmp_path / "processed",
        reports=tmp_path / "reports",
        reference=DEFAULT.reference,
        releases=tmp_path / "releases",
    )
    for folder in (paths.raw, paths.processed, paths.reports):
        folder.mkdir()
    (paths.raw / "vng.csv").write_text("Titel;Kosten\nA;€ 1\n", encoding="utf-8")
    (paths.raw / "om.csv").write_text("Titel;Kosten\nB;€ 2\n", encoding="utf-8")
    pd.DataFrame([proposal("a")]).to_parquet(paths.processed / "proposals.parquet")
    (paths.processed / "proposals.csv").write_text("proposal_id\na\n", encoding="utf-8")
    (paths.reports / "nota.pdf").write_bytes(b"%PDF-1.7 nota")
    write_manifest(paths)
    return paths


def write_manifest(paths: Paths) -> None:
    outputs = {
        "processed/proposals.parquet": sha256_file(paths.processed / "proposals.parquet"),
        "processed/proposals.csv": sha256_file(paths.processed / "proposals.csv"),
        "reports/nota.pdf": sha256_file(paths.reports / "nota.pdf"),
    }
    inputs = {p.name: sha256_file(p) for p in paths.raw.iterdir()}
    manifest = {"run_date": "2024-01-29T13:00:00+01:00", "outputs": outputs, "inputs": inputs}
    (paths.reports / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def tree(folder: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        h.update(str(p.relative_to(folder)).encode() + (p.read_bytes() if p.is_file() else b""))
    return h.hexdigest()


def test_a_release_freezes_reports_tables_manifest_and_raw_files(project):
    raw_before = tree(project.raw)
    release = make_release("kamerbrief-jan", project, project.releases, NOW)
    assert release.folder == project.releases / "2024-01-29-kamerbrief-jan"
    files = {str(p.relative_to(release.folder)) for p in release.folder.rglob("*") if p.is_file()}
    assert files == {
        "release.json",
        "manifest.json",
        "reports/nota.pdf",
        "processed/proposals.parquet",
        "processed/proposals.csv",
        "raw/vng.csv",
        "raw/vng.csv.meta.json",
        "raw/om.csv",
        "raw/om.csv.meta.json",
    }
    side = json.loads((release.folder / "raw" / "vng.csv.meta.json").read_text(encoding="utf-8"))
    assert side["sha256"] == sha256_file(project.raw / "vng.csv")
    assert side["first_release"] == "kamerbrief-jan" and side["file"] == "vng.csv"
    dt.date.fromisoformat(side["received"])
    for p in release.folder.rglob("*"):
        mode = p.stat().st_mode
        assert not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH), p
    log = (project.releases / "releases.csv").read_text(encoding="utf-8").splitlines()
    assert len(log) == 2 and ",kamerbrief-jan,2024-01-29-kamerbrief-jan," in log[1]
    assert tree(project.raw) == raw_before
    assert find_release(project.releases) == release


def test_a_second_release_knows_which_release_first_used_a_file(project):
    make_release("eerste", project, project.releases, NOW)
    (project.raw / "om.csv").write_text("Titel;Kosten\nB;€ 3\n", encoding="utf-8")
    write_manifest(project)
    later = make_release("tweede", project, project.releases, NOW + dt.timedelta(days=3))
    sides = {
        p.name: json.loads(p.read_text(encoding="utf-8"))
        for p in (later.folder / "raw").glob("*.meta.json")
    }
    assert sides["vng.csv.meta.json"]["first_release"] == "eerste"
    assert sides["om.csv.meta.json"]["first_release"] == "tweede"
    assert find_release(project.releases).name == "tweede"
    assert find_release(project.releases, "eerste").name == "eerste"
    with pytest.raises(ReleaseError, match="niet gevonden.*eerste, tweede"):
        find_release(project.releases, "derde")


@pytest.mark.parametrize(
    ("spoil", "words"),
    [
        pytest.param(
            lambda p: (p.reports / "nota.pdf").write_bytes(b"met de hand"),
            "reports/nota.pdf",
            id="report-edited",
        ),
        pytest.param(
            lambda p: (p.raw / "nieuw.csv").write_text("x", encoding="utf-8"),
            "nieuw.csv",
            id="raw-file-added",
        ),
        pytest.param(lambda p: (p.reports / "manifest.json").unlink(), "geen run", id="never-run"),
    ],
)
def test_no_release_of_something_the_last_run_did_not_make(project, spoil, words):
    spoil(project)
    with pytest.raises(ReleaseError, match=re.escape(words)):
        make_release("x", project, project.releases, NOW)
    assert not project.releases.exists() or not any(project.releases.iterdir())


def test_release_names_are_checked_and_never_reused(project):
    with pytest.raises(ReleaseError, match="'kamerbrief-januari'"):
        check_name("Kamerbrief januari")
    make_release("jan", project, project.releases, NOW)
    with pytest.raises(ReleaseError, match="al een release"):
        make_release("jan", project, project.releases, NOW + dt.timedelta(days=1))


def test_clean_outputs_never_touches_releases(project):
    release = make_release("jan", project, project.releases, NOW)
    shutil.rmtree(project.processed)
    assert release.proposals.is_file()


# --- end to end: release, change, run, release again ----------------------------------------------


def changes_rows(html: str) -> list[str]:
    """The rows of the 'what changed' table as text."""
    m = re.search(r'<table class="data changes[^"]*">(.*?)</table>', html, re.S)
    if m is None:
        return []
    rows = re.findall(r"<tr>(.*?)</tr>", m.group(1), re.S)[1:]
    return [re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", r))).strip() for r in rows]


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8").replace("\xa0", " ")


@pytest.mark.e2e
def test_what_changed_is_against_the_last_release_and_survives_a_clean(tmp_path):
    from stmh_analysis.pipeline import RunOptions, run_pipeline

    raw = tmp_path / "raw"
    shutil.copytree(DEFAULT.raw, raw)
    paths = DEFAULT.with_overrides(
        raw=raw,
        processed=tmp_path / "processed",
        reports=tmp_path / "reports",
        releases=tmp_path / "releases",
    )
    options = RunOptions(paths=paths, audiences=("nota", "bijlage"), date="2024-01-29")

    def run() -> tuple[str, str]:
        run_pipeline(options, say=lambda _: None, progress=False)
        return tuple(read(document_file(paths.reports, n, "html")) for n in ("nota", "bijlage"))

    nota, bijlage = run()
    assert "Er is nog geen verzonden versie om mee te vergelijken" in nota
    assert "eerste versie van deze bijlage" in bijlage
    make_release("januari", paths, paths.releases, NOW, force=True)  # it has open questions

    # a partner sends a corrected file: one amount and one title changed
    vng = raw / "vng_voorstellen.csv"
    text = vng.read_bytes().decode("cp1252")
    text = text.replace("€ 1.500.000", "€ 1.600.000").replace(
        "Coördinatie lokale klantaanpak", "Regionale coördinatie van de klantaanpak"
    )
    vng.write_bytes(text.encode("cp1252"))
    nota, bijlage = run()
    rows = changes_rows(nota)
    assert (
        "de verzonden versie januari van 29 januari 2024: 0 nieuw, 0 vervallen, 2 gewijzigd" in nota
    )
    assert any(
        "Zorgcoördinatie in alle regio's" in r
        and "kosten € 1.500.000 per jaar € 1.600.000 per jaar" in r
        for r in rows
    ), rows
    assert any(
        "titel (herkend aan: zelfde omschrijving" in r
        and "Coördinatie lokale klantaanpak Regionale coördinatie van de klantaanpak" in r
        for r in rows
    ), rows
    assert "vervallen" not in " ".join(rows) and "nieuw" not in " ".join(rows)
    # the workbooks carry the same changes on a sheet of their own
    import openpyxl

    for path in (paths.reports / "voorstellen.xlsx", paths.reports / "openbaar" / "bijlage.xlsx"):
        sheet = openpyxl.load_workbook(path)["Wijzigingen"]
        values = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
        assert values[0] == ["Voorstel", "Indiener", "Wijziging", "Was", "Wordt"], path.name
        assert ["Zorgcoördinatie in alle regio's", "kosten", "€ 1.500.000 per jaar",
                "€ 1.600.000 per jaar"] in [[r[0], *r[2:]] for r in values], values  # fmt: skip
    public_rows = changes_rows(bijlage)
    assert public_rows and not any("appreciatie" in r for r in public_rows)

    # the list depends on the release, not on what is left in data/processed
    shutil.rmtree(paths.processed)
    nota_again, _ = run()
    assert changes_rows(nota_again) == rows

    second = make_release("februari", paths, paths.releases, NOW + dt.timedelta(days=7), force=True)
    frozen = read(second.folder / "reports" / "nota.html")
    assert changes_rows(frozen) == rows
    options.force = False
    nota_after, _ = run()
    assert "Geen wijzigingen ten opzichte van de verzonden versie februari" in nota_after
    options.compare_with = "januari"
    nota_vs_first, _ = run()
    assert changes_rows(nota_vs_first) == rows


def _with_open_question(paths: Paths, status: str, touches: bool = True) -> None:
    review = pd.DataFrame(
        [{"question_id": "a/bedrag", "status": status, "kind": "bedrag", "proposal_id": "a",
          "organisation": "VNG", "title": "Voorstel a", "touches_public_figure": touches}]
    )  # fmt: skip
    review.to_csv(paths.processed / "review.csv", index=False, encoding="utf-8-sig")
    manifest = json.loads((paths.reports / "manifest.json").read_text(encoding="utf-8"))
    write_manifest(paths)
    again = json.loads((paths.reports / "manifest.json").read_text(encoding="utf-8"))
    again["outputs"]["processed/review.csv"] = sha256_file(paths.processed / "review.csv")
    again["used"] = manifest.get("used", {"public_appraisals": ["kansrijk"]})
    (paths.reports / "manifest.json").write_text(json.dumps(again), encoding="utf-8")


def test_a_release_waits_for_open_questions_on_public_figures_unless_forced(project):
    _with_open_question(project, "open")
    with pytest.raises(ReleaseError, match="Voorstel a") as refused:
        make_release("jan", project, project.releases, NOW)
    assert "--force" in str(refused.value) and "te-beoordelen.xlsx" in str(refused.value)
    assert not list(project.releases.glob("*/release.json"))
    release = make_release("jan", project, project.releases, NOW, force=True)
    info = json.loads((release.folder / "release.json").read_text(encoding="utf-8"))
    assert info["forced_with_open_questions"] == ["VNG: Voorstel a (bedrag)"]
    assert (release.folder / "processed" / "review.csv").is_file()  # frozen with the release


@pytest.mark.parametrize(("status", "touches"), [("besloten", True), ("open", False)])
def test_decided_or_internal_questions_do_not_hold_a_release(project, status, touches):
    _with_open_question(project, status, touches)
    release = make_release("jan", project, project.releases, NOW)
    info = json.loads((release.folder / "release.json").read_text(encoding="utf-8"))
    assert info["forced_with_open_questions"] == []


def test_a_release_killed_halfway_leaves_nothing_the_next_one_trips_over(project):
    from stmh_analysis.releases import finish_interrupted, list_releases

    first = make_release("jan", project, project.releases, NOW)
    # killed after the folder was in place but before its log line: not a release yet
    log = project.releases / "releases.csv"
    log.write_text(log.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    # and a copy that never finished
    half = project.releases / ".2024-01-30-feb.tmp"
    (half / "reports").mkdir(parents=True)
    (half / "reports" / "nota.pdf").write_bytes(b"%PDF half")
    assert list_releases(project.releases) == []  # 'what changed' does not compare with it
    done = finish_interrupted(project.releases)
    assert not half.exists() and len(done) == 2
    assert list_releases(project.releases) == [first]
    second = make_release("feb", project, project.releases, NOW + dt.timedelta(days=1))
    assert [r.name for r in list_releases(project.releases)] == [
        "jan",
        "feb",
    ] and second.folder.is_dir()


def test_a_release_waits_while_a_run_holds_the_project(project):
    from stmh_analysis.runlock import ProjectBusy, exclusive

    with exclusive(project.log_dir, "stmh run"), pytest.raises(ProjectBusy, match="stmh run"):
        make_release("jan", project, project.releases, NOW)
    assert not (project.releases / "releases.csv").exists()


def test_a_release_keeps_each_document_as_an_archival_pdf(project):
    """PDF/A-2a beside what was sent: the archive's format, made from the released HTML."""
    html = project.reports / "openbaar" / "bijlage.html"
    html.parent.mkdir(exist_ok=True)
    html.write_text(
        '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8"><title>Bijlage</title>'
        "</head><body><h1>Bijlage</h1><p>Voorstellen.</p></body></html>",
        encoding="utf-8",
    )
    manifest = json.loads((project.reports / "manifest.json").read_text(encoding="utf-8"))
    manifest["outputs"]["reports/openbaar/bijlage.html"] = sha256_file(html)
    (project.reports / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    release = make_release("jan", project, project.releases, NOW)
    archived = release.folder / "archief" / "bijlage.pdf"
    import pypdf

    xmp = pypdf.PdfReader(archived).trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert re.search(r"pdfaid:part(>|=\")2", xmp) and re.search(r"pdfaid:conformance(>|=\")A", xmp)
    info = json.loads((release.folder / "release.json").read_text(encoding="utf-8"))
    assert "archief/bijlage.pdf" in info["files"]
