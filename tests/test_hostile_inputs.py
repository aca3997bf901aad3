"""Broken and hostile submissions, generated here: each gives a clear message naming file and place,
and the good file beside it still comes through whole. See tests/README.md for the table."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from stmh_analysis.ingest import map_header
from stmh_analysis.steps import clean_raw
from stmh_analysis.store import neutralise_for_spreadsheet

HEADER = [
    "Organisatie",
    "Thema",
    "Titel voorstel",
    "Omschrijving",
    "Indicatieve kosten",
    "Structureel/incidenteel",
]
GOOD = ["VNG", "Opvang", "Goed voorstel", "Een gewoon voorstel", "€ 100.000", "eenmalig"]


def write_csv(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> None:
    buf = io.StringIO()
    csv.writer(buf, delimiter=";").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))


def write_xlsx(path: Path, rows: list[list[object]]) -> None:
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    wb.save(path)


def folder_with(tmp_path: Path, make) -> Path:
    """A raw folder with one good file and the hostile case."""
    raw = tmp_path / "raw"
    raw.mkdir()
    write_csv(raw / "goed.csv", [HEADER, GOOD])
    make(raw)
    return raw


def clean(raw: Path, reference):
    result = clean_raw(raw, reference).result
    good = result.proposals[result.proposals["title"] == "Goed voorstel"]
    assert len(good) == 1, "the good file must come through whatever is beside it"
    return result


def issue(result, code: str, file: str):
    hits = result.issues[(result.issues["code"] == code) & (result.issues["source_file"] == file)]
    assert len(hits), f"no {code} for {file}:\n{result.issues[['source_file', 'code', 'message']]}"
    return hits.iloc[0]


def test_zero_byte_file(tmp_path, reference):
    raw = folder_with(tmp_path, lambda d: (d / "leeg.csv").write_bytes(b""))
    assert "leeg" in issue(clean(raw, reference), "empty_file", "leeg.csv")["message"]


def test_empty_workbook(tmp_path, reference):
    raw = folder_with(tmp_path, lambda d: Workbook().save(d / "leeg.xlsx"))
    assert issue(clean(raw, reference), "empty_sheet", "leeg.xlsx")["source_sheet"] == "Sheet"


def test_corrupt_xlsx(tmp_path, reference):
    raw = folder_with(
        tmp_path, lambda d: (d / "kapot.xlsx").write_bytes(b"PK\x03\x04 dit is geen werkmap")
    )
    assert "beschadigd" in issue(clean(raw, reference), "unreadable_file", "kapot.xlsx")["message"]


def test_password_protected_xlsx(tmp_path, reference):
    # An encrypted workbook is an OLE compound file, whatever its extension says.
    raw = folder_with(
        tmp_path,
        lambda d: (d / "beveiligd.xlsx").write_bytes(
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512
        ),
    )
    assert (
        "wachtwoord"
        in issue(clean(raw, reference), "encrypted_or_xls", "beveiligd.xlsx")["message"]
    )


def test_csv_that_is_html(tmp_path, reference):
    raw = folder_with(
        tmp_path,
        lambda d: (d / "export.csv").write_text("<!DOCTYPE html><html><body>Login</body></html>"),
    )
    assert "webpagina" in issue(clean(raw, reference), "not_csv", "export.csv")["message"]


def test_binary_garbage_csv(tmp_path, reference):
    raw = folder_with(tmp_path, lambda d: (d / "ruis.csv").write_bytes(bytes(range(256)) * 4))
    issue(clean(raw, reference), "not_csv", "ruis.csv")


def test_wrong_encoding_declared_is_read_anyway(tmp_path, reference):
    raw = folder_with(
        tmp_path,
        lambda d: write_csv(
            d / "win.csv",
            [HEADER, ["VNG", "Opvang", "Coördinatie opvang", "", "€ 5.000", "eenmalig"]],
            "cp1252",
        ),
    )
    result = clean(raw, reference)
    assert "Coördinatie opvang" in set(result.proposals["title"])


def test_header_only(tmp_path, reference):
    raw = folder_with(tmp_path, lambda d: write_csv(d / "alleen_kop.csv", [HEADER]))
    issue(clean(raw, reference), "no_data_rows", "alleen_kop.csv")


def test_ten_thousand_blank_rows(tmp_path, reference):
    def make(d):
        write_xlsx(
            d / "leeg_veel.xlsx",
            [
                HEADER,
                ["OM", "Technologie", "Echt voorstel", "", "€ 1.000", "eenmalig"],
                *([[None] * 6] * 10_000),
                ["OM", "Technologie", "Na de gaten", "", "€ 2.000", "eenmalig"],
            ],
        )

    result = clean(folder_with(tmp_path, make), reference)
    assert {"Echt voorstel", "Na de gaten"} <= set(result.proposals["title"])
    acc = result.accounting.set_index("source_file").loc["leeg_veel.xlsx"]
    assert acc["skipped_blank"] == 10_000 and acc["rows_in"] == 10_002


def test_cell_of_100000_characters(tmp_path, reference):
    raw = folder_with(
        tmp_path,
        lambda d: write_csv(
            d / "lang.csv", [HEADER, ["OM", "Opvang", "Lang", "x" * 100_000, "€ 1.000", "eenmalig"]]
        ),
    )
    result = clean(raw, reference)
    row = issue(result, "value_truncated", "lang.csv")
    assert row["source_row"] == 2 and row["column"] == "Omschrijving"
    assert len(result.proposals.set_index("title").loc["Lang", "summary"]) == 5_000


def test_formulas_and_error_values(tmp_path, reference):
    def make(d):
        write_xlsx(
            d / "formules.xlsx",
            [
                HEADER,
                ["OM", "Opvang", "Met formule", "", "=1+1", "eenmalig"],
                ["OM", "Opvang", "Met fout", "", "#REF!", "eenmalig"],
            ],
        )

    result = clean(folder_with(tmp_path, make), reference)
    rej = result.rejected.set_index("title")
    assert rej.loc["Met formule", "reason"] == "formula"
    assert rej.loc["Met fout", "reason"] == "error_value"
    row = result.issues[(result.issues["code"] == "error_value")].iloc[0]
    assert (row["source_file"], row["source_row"], row["column"]) == (
        "formules.xlsx",
        3,
        "Indicatieve kosten",
    )


def test_dates_where_amounts_belong(tmp_path, reference):
    def make(d):
        write_xlsx(
            d / "datum.xlsx",
            [HEADER, ["OM", "Opvang", "Datum als bedrag", "", dt.datetime(2024, 3, 1), "eenmalig"]],
        )

    result = clean(folder_with(tmp_path, make), reference)
    assert result.rejected.set_index("title").loc["Datum als bedrag", "reason"] == "date_not_amount"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        pytest.param("€ -50.000", "negative_amount", id="negative"),
        pytest.param("€ 5 mld", "amount_implausible", id="absurd"),
    ],
)
def test_negative_and_absurd_amounts(tmp_path, reference, text, reason):
    raw = folder_with(
        tmp_path,
        lambda d: write_csv(d / "raar.csv", [HEADER, ["OM", "Opvang", "Raar", "", text, ""]]),
    )
    result = clean(raw, reference)
    row = result.rejected.set_index("title").loc["Raar"]
    assert row["reason"] == reason and row["source_file"] == "raar.csv" and row["source_row"] == 2


def test_same_file_twice_under_two_names(tmp_path, reference):
    def make(d):
        shutil.copy(d / "goed.csv", d / "goed_kopie.csv")

    result = clean(folder_with(tmp_path, make), reference)
    assert (
        "zelfde inhoud als goed.csv" in issue(result, "duplicate_file", "goed_kopie.csv")["message"]
    )


def test_file_in_another_format(tmp_path, reference):
    raw = folder_with(tmp_path, lambda d: (d / "notitie.docx").write_text("zie bijlage"))
    issue(clean(raw, reference), "not_a_submission", "notitie.docx")


def test_text_file_without_a_table_is_named(tmp_path, reference):
    raw = folder_with(tmp_path, lambda d: (d / "notitie.txt").write_text("zie bijlage"))
    issue(clean(raw, reference), "no_table", "notitie.txt")


def test_unknown_columns_are_reported_with_what_the_file_has(tmp_path, reference):
    raw = folder_with(
        tmp_path,
        lambda d: write_csv(d / "anders.csv", [["Wie", "Wat", "Hoeveel"], ["OM", "x", "1"]]),
    )
    row = issue(clean(raw, reference), "no_table", "anders.csv")
    assert "'Wie'" in row["message"] and "'Hoeveel'" in row["message"]


def test_missing_title_and_organisation_are_rejected_with_reasons(tmp_path, reference):
    raw = folder_with(
        tmp_path,
        lambda d: write_csv(
            d / "gaten.csv",
            [
                HEADER,
                ["", "Opvang", "Zonder organisatie", "", "€ 1", "eenmalig"],
                ["OM", "Opvang", "", "iets", "€ 1.000", ""],
            ],
        ),
    )
    reasons = clean(raw, reference).rejected.set_index("source_row")["reason"]
    assert reasons[2] == "missing_organisation" and reasons[3] == "missing_title"


def test_html_and_formulas_in_text_survive_as_text(tmp_path, reference):
    hostile = '<script>alert("x")</script>=HYPERLINK("http://evil")'
    raw = folder_with(
        tmp_path,
        lambda d: write_csv(
            d / "gemeen.csv", [HEADER, ["OM", "Opvang", hostile, "@SUM(A1)", "€ 1.000", "eenmalig"]]
        ),
    )
    p = clean(raw, reference).proposals
    assert hostile in set(p["title"])  # the exact text is kept (parquet) ...
    safe = neutralise_for_spreadsheet(p)
    assert not safe["summary"].str.startswith(("=", "+", "-", "@")).any()  # ... and defused in CSV


@settings(max_examples=200)
@given(st.lists(st.text(max_size=30), max_size=12))
def test_header_matching_never_fails(reference, cells):
    mapping = map_header(cells, reference)
    assert all(0 <= i < len(cells) for i in mapping)
    fields = [f for f, _ in mapping.values()]
    assert len(fields) == len(set(fields))


def _zip_bomb(path: Path, megabytes: int) -> None:
    """A workbook of some kB on disk whose sheet unpacks to `megabytes` MB."""
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        with z.open("xl/worksheets/sheet1.xml", "w") as sheet:
            chunk = b"<row>" + b"0" * (1 << 20)
            for _ in range(megabytes):
                sheet.write(chunk)


def test_a_zip_bomb_a_huge_file_and_an_endless_line_are_refused_within_bounds(tmp_path):
    """Each is an error naming the file and the limit, in seconds and within a stated memory
    bound (600 MB for the whole check), while the good file beside them is read."""
    import subprocess
    import sys
    import time

    (tmp_path / "goed.csv").write_text(
        "Organisatie;Titel voorstel;Indicatieve kosten\nOM;Goed voorstel;€ 1.000 eenmalig\n",
        encoding="utf-8",
    )
    _zip_bomb(tmp_path / "bom.xlsx", 40)
    with (tmp_path / "groot.txt").open("wb") as fh:
        block = b"a;b;c\n" * 174_763  # about 1 MB
        for _ in range(60):
            fh.write(block)
    (tmp_path / "regel.csv").write_bytes(b"Titel;Kosten;" + b"x" * 2_000_000 + b"\n")
    code = (
        "import resource, sys, json\n"
        "from pathlib import Path\n"
        "from stmh_analysis.steps import clean_raw\n"
        "from stmh_analysis.reference import load_reference\n"
        "from stmh_analysis.paths import Paths\n"
        "r = clean_raw(Path(sys.argv[1]), load_reference(Paths.default().reference)).result\n"
        "errors = r.issues[r.issues['level'] == 'error']\n"
        "print(json.dumps({'errors': dict(zip(errors['source_file'], errors['message'])),"
        " 'titles': list(r.proposals['title']),"
        " 'rss_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))\n"
    )
    start = time.perf_counter()
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, timeout=120
    )
    seconds = time.perf_counter() - start
    import json

    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["titles"] == ["Goed voorstel"]
    assert set(result["errors"]) == {"bom.xlsx", "groot.txt", "regel.csv"}
    assert "300 MB" in result["errors"]["bom.xlsx"] or "200×" in result["errors"]["bom.xlsx"]
    assert "50 MB" in result["errors"]["groot.txt"]
    assert "1.000.000" in result["errors"]["regel.csv"]
    assert seconds < 30 and result["rss_mb"] < 600, (seconds, result["rss_mb"])


def test_a_control_character_is_removed_and_named(tmp_path, reference):
    """One bell character in a title failed the nota's workbook (openpyxl IllegalCharacterError)
    without naming the file; now it is removed where it is read, and said so."""
    from stmh_analysis.report.cells import cell_value as _value

    (tmp_path / "p.csv").write_text(
        "Organisatie;Titel voorstel;Indicatieve kosten\nOM;Titel\x07 met bel;€ 1.000 eenmalig\n",
        encoding="utf-8",
    )
    result = clean_raw(tmp_path, reference).result
    assert list(result.proposals["title"]) == ["Titel met bel"]
    assert "text_repaired" in result.proposals["data_issues"].iloc[0]
    assert _value("a\x07b\x1bc", "text") == "abc"


def test_a_file_that_takes_longer_than_its_time_budget_is_named_and_left_out(tmp_path, reference):
    """limits.seconds in settings.yaml: a file slower to read is an error naming it and the
    limit; the file beside it is read."""
    from dataclasses import replace

    from stmh_analysis.ingest import read_submissions

    (tmp_path / "a.csv").write_text("Titel;Kosten\nEen;€ 1.000\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("Titel;Kosten\nTwee;€ 2.000\n", encoding="utf-8")
    strict = replace(reference, limits=replace(reference.limits, seconds=1e-9))
    subs = read_submissions(tmp_path, strict)
    assert subs.rows.empty
    errors = [p for p in subs.problems if p.code == "over_limit"]
    assert {p.source_file for p in errors} == {"a.csv", "b.csv"}
    assert "limits.seconds" in errors[0].message
    assert len(read_submissions(tmp_path, reference).rows) == 2


def test_a_very_long_csv_cell_is_read_and_the_csv_module_is_left_as_it_was(tmp_path, reference):
    before = csv.field_size_limit()
    memo = "lange toelichting " * 20_000  # 360 kB in one cell, over the csv module's 128 kB
    (tmp_path / "fier.csv").write_text(
        f"Organisatie;Thema;Titel voorstel;Omschrijving;Kosten\nFier;Opvang;Opvangplekken;{memo};€ 100.000 per jaar\n",
        encoding="utf-8",
    )
    out = clean_raw(tmp_path, reference)
    assert len(out.result.proposals) == 1
    assert csv.field_size_limit() == before
