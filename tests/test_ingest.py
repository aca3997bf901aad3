"""Reading partner files: header search, units, encodings, merged cells, what is skipped and why."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from stmh_analysis.ingest import header_unit_scale, map_header, read_submissions
from stmh_analysis.sheets import decode_text


@pytest.mark.parametrize(
    ("header", "name", "scale"),
    [
        pytest.param("Kosten (x € 1.000)", "Kosten", 1000, id="x-euro-1000"),
        pytest.param("Kosten (x 1000)", "Kosten", 1000, id="x-1000"),
        pytest.param("Bedrag in k€", "Bedrag", 1000, id="k-euro"),
        pytest.param("Kosten (x € 1 mln)", "Kosten", 1e6, id="x-mln"),
        pytest.param("Indicatieve kosten (€)", "Indicatieve kosten", 1, id="euro-sign-only"),
        pytest.param("Indicatieve kosten", "Indicatieve kosten", 1, id="plain"),
    ],
)
def test_unit_in_header_scales_the_column(header, name, scale):
    assert header_unit_scale(header) == (name, scale)


def test_header_matching_ignores_case_accents_punctuation(reference):
    cells = [
        "ORGANISATIE",
        "Thema:",
        "naam voorstel",
        "Omschrijving",
        "Bedrag (x € 1.000)",
        "Soort kosten",
        "Onzin",
    ]
    mapping = map_header(cells, reference)
    assert {f for f, _ in mapping.values()} == {
        "organisation",
        "theme",
        "title",
        "summary",
        "cost",
        "basis",
    }
    assert mapping[4] == ("cost", 1000)
    assert 6 not in mapping


@pytest.mark.parametrize(
    ("raw", "text", "encoding"),
    [
        pytest.param("Coördinatie".encode("utf-8-sig"), "Coördinatie", "utf-8-sig", id="utf8-bom"),
        pytest.param("Coördinatie".encode(), "Coördinatie", "utf-8", id="utf8"),
        pytest.param(
            "Coördinatie €".encode("cp1252"), "Coördinatie €", "windows-1252", id="cp1252"
        ),
        pytest.param("Coördinatie".encode("utf-16"), "Coördinatie", "utf-16", id="utf16"),
    ],
)
def test_encodings_are_decoded(raw, text, encoding):
    assert decode_text(raw) == (text, encoding)


def test_bundled_files_are_read_with_provenance(reference, bundled_raw):
    subs = read_submissions(bundled_raw, reference)
    assert len(subs.rows) == 52
    assert subs.rows["source_file"].nunique() == 9
    # merged organisation cells are filled down
    comensha = subs.rows[subs.rows["source_file"] == "comensha_voorstellen.xlsx"]
    assert set(comensha["organisation"]) == {"Coördinatiecentrum tegen Mensenhandel"}
    assert set(comensha["source_sheet"]) == {"Opvang", "Technologie"}
    # Windows-1252 accents survive
    vng = subs.rows[subs.rows["source_file"] == "vng_voorstellen.csv"]
    assert "Coördinatie lokale klantaanpak" in set(vng["title"])
    # the x € 1.000 header scales, the row numbers are the spreadsheet's own
    politie = subs.rows[subs.rows["source_file"] == "politie_input_kamerbrief.xlsx"]
    assert set(politie["cost_scale"]) == {"cost=1000"}
    assert politie["source_row"].tolist() == [5, 6, 7, 8, 9]
    reasons = subs.skipped.groupby("reason").size().to_dict()
    assert reasons == {"blank": 1, "totals": 1, "note": 1}
    codes = {(p.source_file, p.code) for p in subs.problems}
    assert ("politie_input_kamerbrief.xlsx", "no_table") in codes  # the instructions tab, named


# Installed in every Python process of a run (runner, kernels, workers) through PYTHONPATH: any
# attempt to write, rename, remove or chmod anything under the guarded folder is refused and logged.
RAW_GUARD = """
import os, sys
_raw = os.environ.get("STMH_RAW_GUARD")
if _raw:
    _raw = os.path.realpath(_raw)
    _log = os.environ["STMH_RAW_GUARD_LOG"]
    _write = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
    _paths = (str, bytes, os.PathLike)

    def _inside(p):
        try:
            path = os.path.realpath(os.fsdecode(p))
            return path == _raw or path.startswith(_raw + os.sep)
        except Exception:
            return False

    def _hook(event, args):
        bad = False
        if event == "open" and args and isinstance(args[0], _paths):
            mode = args[1] if len(args) > 1 else None
            flags = args[2] if len(args) > 2 else 0
            writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                isinstance(flags, int) and flags & _write
            )
            bad = bool(writes) and _inside(args[0])
        elif event in ("os.remove", "os.rename", "os.replace", "os.rmdir", "os.chmod", "os.truncate",
                       "os.mkdir", "shutil.rmtree", "shutil.move", "os.utime", "os.link", "os.symlink"):
            bad = any(_inside(a) for a in args if isinstance(a, _paths))
        if bad:
            with open(_log, "a", encoding="utf-8") as fh:
                fh.write(f"{os.getpid()} {event} {args!r}\\n")
            raise PermissionError(f"the raw folder is read-only: {event} {args!r}")

    sys.addaudithook(_hook)
"""


def _guarded_env(tmp_path: Path, raw: Path) -> tuple[dict, Path]:
    guard = tmp_path / "guard"
    guard.mkdir()
    (guard / "sitecustomize.py").write_text(RAW_GUARD, encoding="utf-8")
    log = tmp_path / "raw-writes.log"
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(guard), env.get("PYTHONPATH", "")]))
    env["STMH_RAW_GUARD"] = str(raw)
    env["STMH_RAW_GUARD_LOG"] = str(log)
    return env, log


def _read_only_copy(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    for p in dst.iterdir():
        p.chmod(0o444)
    dst.chmod(0o555)
    return dst


def test_the_raw_guard_refuses_a_write(tmp_path, bundled_raw):
    raw = _read_only_copy(bundled_raw, tmp_path / "raw")
    env, log = _guarded_env(tmp_path, raw)
    target = raw / "vng_voorstellen.csv"
    attempt = f"from pathlib import Path; Path({str(target)!r}).write_text('x')"
    done = subprocess.run([sys.executable, "-c", attempt], env=env, capture_output=True, text=True)
    assert done.returncode != 0 and "read-only" in done.stderr
    assert "vng_voorstellen.csv" in log.read_text(encoding="utf-8")
    assert target.read_bytes() == (bundled_raw / "vng_voorstellen.csv").read_bytes()


def test_a_whole_run_never_writes_into_the_raw_folder(tmp_path, bundled_raw):
    raw = _read_only_copy(bundled_raw, tmp_path / "raw")
    before = {p.name: p.read_bytes() for p in raw.iterdir()}
    env, log = _guarded_env(tmp_path, raw)
    out = tmp_path / "out"
    cmd = [
        sys.executable,
        "-m",
        "stmh_analysis.cli",
        "run",
        "--raw",
        str(raw),
        "--processed",
        str(out / "processed"),
        "--reports",
        str(out / "reports"),
        "--quiet",
    ]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout + done.stderr
    assert not log.exists(), log.read_text(encoding="utf-8")
    assert {p.name: p.read_bytes() for p in raw.iterdir()} == before
    assert (out / "reports" / "nota.pdf").stat().st_size > 0


@pytest.mark.parametrize(
    "first",
    [
        pytest.param(b"\x00\x01 geen tabel", id="first-unreadable"),
        pytest.param(b"Voorstel;Opmerking\nA;b\n", id="first-without-appraisal-column"),
    ],
)
def test_a_second_appraisal_file_is_named_even_when_the_first_cannot_be_used(tmp_path, first):
    """Two appraisal files: the run uses the first; when that one cannot be read, the warning that
    the second was ignored used to vanish, so its appraisals were left out without a word."""
    from stmh_analysis.ingest import read_appraisals

    (tmp_path / "appreciaties.csv").write_bytes(first)
    (tmp_path / "appreciaties_v2.csv").write_text(
        "Titel;Appreciatie\nVoorstel A;kansrijk\n", encoding="utf-8"
    )
    appraisals, problems = read_appraisals(tmp_path)
    assert appraisals.empty
    codes = {(p.source_file, p.code) for p in problems}
    assert ("appreciaties_v2.csv", "appraisal_file_ignored") in codes
    assert any(p.source_file == "appreciaties.csv" for p in problems)
