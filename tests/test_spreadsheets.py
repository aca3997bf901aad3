"""Spreadsheets as partners make them (generated here): every cell read for what it is.

One test per class of workbook: numbers typed as numbers under every unit header, hidden sheets
and rows, hand-typed subtotals, section rows, template example rows, merged two-row headers,
headers with notes, two versions of one partner's file, mojibake, UTF-16 text exports, an
only-file that cannot be read, and the same workbook as .xlsx, .ods and text.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml
from openpyxl import Workbook

from stmh_analysis.clean import candidate_pairs, content_key, find_duplicates
from stmh_analysis.steps import clean_raw
from stmh_analysis.text import match_key

REPO = Path(__file__).resolve().parents[1]
HEADER = [
    "Organisatie",
    "Thema",
    "Titel voorstel",
    "Omschrijving",
    "Indicatieve kosten",
    "Structureel/incidenteel",
]


def xlsx(
    path: Path, rows: list[list[object]], *, title: str = "Voorstellen", hidden_rows=(), merges=()
) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    for r in hidden_rows:
        ws.row_dimensions[r].hidden = True
    for rng in merges:
        ws.merge_cells(rng)
    wb.save(path)
    return wb


def run_clean(raw: Path, reference):
    return clean_raw(raw, reference).result


def by_title(result) -> pd.DataFrame:
    return result.proposals.set_index("title")


def codes(result, code: str) -> pd.DataFrame:
    return result.issues[result.issues["code"] == code]


# --- numbers typed as numbers ------------------------------------------------------------------


def _cost_headers() -> list[str]:
    doc = yaml.safe_load((REPO / "data/reference/headers.yaml").read_text(encoding="utf-8"))
    return [h for f in ("cost", "cost_structural", "cost_incidental") for h in doc["fields"][f]]


UNIT_NOTES = [
    ("(x € 1.000)", 1_000),
    ("(x €1000)", 1_000),
    ("x 1.000 euro", 1_000),
    ("(in duizenden euro)", 1_000),
    ("(x € 1 mln)", 1_000_000),
    ("(x 1 miljoen)", 1_000_000),
    ("", 1),
]


@pytest.mark.parametrize("header", _cost_headers())
@pytest.mark.parametrize(("note", "scale"), UNIT_NOTES, ids=[n or "no unit" for n, _ in UNIT_NOTES])
def test_a_number_cell_is_its_value_times_the_unit(tmp_path, reference, header, note, scale):
    raw = tmp_path / "raw"
    raw.mkdir()
    value = 1.125 if scale == 1_000 else (0.375 if scale == 1_000_000 else 87_500.125)
    xlsx(
        raw / "partner.xlsx",
        [
            [
                "Organisatie",
                "Titel voorstel",
                f"{header} {note}".strip(),
                "Structureel/incidenteel",
            ],
            ["Fier", "Een voorstel", value, "eenmalig"],
        ],
    )
    p = by_title(run_clean(raw, reference)).loc["Een voorstel"]
    total = p["structural_low_eur"] + p["incidental_low_eur"]
    assert total == pytest.approx(value * scale, abs=0.01)
    assert "amount_ambiguous" not in p["data_issues"]


def test_a_full_amount_typed_under_a_unit_header_is_read_as_written_and_flagged(
    tmp_path, reference
):
    raw = tmp_path / "raw"
    raw.mkdir()
    xlsx(
        raw / "partner.xlsx",
        [
            ["Organisatie", "Titel voorstel", "Kosten (x € 1.000)", "Structureel/incidenteel"],
            ["Fier", "Getal voluit", 75_000, "eenmalig"],
            ["Fier", "Tekst voluit", "€ 75.000", "eenmalig"],
            ["Fier", "In duizenden", 450, "structureel"],
        ],
    )
    p = by_title(run_clean(raw, reference))
    assert p.loc["Getal voluit", "incidental_low_eur"] == 75_000
    assert p.loc["Tekst voluit", "incidental_low_eur"] == 75_000
    assert "amount_ambiguous" in p.loc["Getal voluit", "data_issues"]
    assert "amount_ambiguous" in p.loc["Tekst voluit", "data_issues"]
    assert p.loc["In duizenden", "structural_low_eur"] == 450_000


def test_dates_errors_and_formulas_without_value_each_say_what_and_where(tmp_path, reference):
    import datetime as dt

    raw = tmp_path / "raw"
    raw.mkdir()
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    ws.append(["Fier", "Opvang", "Datum", "", dt.date(2024, 3, 1), "eenmalig"])
    ws.append(["Fier", "Opvang", "Fout", "", "#REF!", "eenmalig"])
    ws.append(["Fier", "Opvang", "Formule", "", "=SUM(E9:E12)", "eenmalig"])
    ws["E3"].data_type = "e"
    wb.save(raw / "partner.xlsx")
    rejected = run_clean(raw, reference).rejected.set_index("title")
    assert rejected.loc["Datum", "reason"] == "date_not_amount"
    assert rejected.loc["Fout", "reason"] == "error_value"
    assert rejected.loc["Formule", "reason"] == "formula"
    assert set(rejected["source_row"]) == {2, 3, 4}


# --- the structure of a sheet ---------------------------------------------------------------------


def test_hidden_sheets_and_rows_are_skipped_and_named(tmp_path, reference):
    raw = tmp_path / "raw"
    raw.mkdir()
    wb = xlsx(
        raw / "partner.xlsx",
        [
            HEADER,
            ["Fier", "Opvang", "Zichtbaar", "", "€ 100.000", "eenmalig"],
            ["Fier", "Opvang", "Oud voorstel (vervallen)", "", "€ 900.000", "eenmalig"],
        ],
        hidden_rows=[3],
    )
    old = wb.create_sheet("Vorig jaar")
    old.append(HEADER)
    old.append(["Fier", "Opvang", "Zichtbaar", "", "€ 5.000.000", "eenmalig"])
    old.sheet_state = "hidden"
    wb.save(raw / "partner.xlsx")
    result = run_clean(raw, reference)
    assert list(result.proposals["title"]) == ["Zichtbaar"]
    assert result.proposals["incidental_low_eur"].iloc[0] == 100_000
    assert codes(result, "hidden_sheet")["source_sheet"].tolist() == ["Vorig jaar"]
    assert codes(result, "hidden_row")["source_row"].tolist() == [3]
    assert result.accounting["skipped_hidden"].sum() == 1


def test_subtotals_typed_by_hand_are_not_proposals(tmp_path, reference):
    raw = tmp_path / "raw"
    raw.mkdir()
    xlsx(
        raw / "partner.xlsx",
        [
            ["Organisatie", "Thema", "Titel voorstel", "Kosten per jaar"],
            ["Fier", "Opvang", "Plekken noord", 200_000],
            ["Fier", "Opvang", "Plekken zuid", 150_000],
            ["", "Opvang", "Subtotaal opvang", 350_000],
            ["Fier", "Minderjarigen", "Voorlichting scholen", 100_000],
            ["Fier", "Minderjarigen", "Training mentoren", 60_000],
            ["", "", "", 160_000],
            ["Fier", "Klantaanpak", "Campagne", 40_000],
            ["Fier", "Klantaanpak", "Chatdienst", 30_000],
            ["Fier", "Klantaanpak", "Alles samen", 70_000],
        ],
    )
    result = run_clean(raw, reference)
    titles = set(result.proposals["title"])
    assert "Subtotaal opvang" not in titles and len(titles) == 7
    assert result.proposals["structural_low_eur"].sum() == 650_000
    flagged = by_title(result).loc["Alles samen", "data_issues"]
    assert "possible_subtotal" in flagged
    assert codes(result, "subtotal_row")["source_row"].tolist() == [7]


def test_section_rows_set_the_theme_of_the_rows_below(tmp_path, reference):
    raw = tmp_path / "raw"
    raw.mkdir()
    xlsx(
        raw / "partner.xlsx",
        [
            ["Organisatie", "Thema", "Titel voorstel", "Indicatieve kosten"],
            ["Thema: Criminele uitbuiting", None, None, None],
            ["CKM", "", "Signalen in de wijk", "€ 100.000 per jaar"],
            ["CKM", "", "Weerbaarheid jongeren", "€ 50.000 eenmalig"],
            ["Opvang van slachtoffers", None, None, None],
            ["CKM", "", "Extra bedden", "€ 300.000 per jaar"],
        ],
        merges=["A2:D2"],
    )
    result = run_clean(raw, reference)
    p = by_title(result)
    assert p.loc["Signalen in de wijk", "theme"] == "criminele_uitbuiting"
    assert p.loc["Weerbaarheid jongeren", "theme"] == "criminele_uitbuiting"
    assert p.loc["Extra bedden", "theme"] == "opvang"
    assert "theme_from_file" in p.loc["Extra bedden", "data_issues"]
    assert len(result.proposals) == 3
    assert result.accounting["skipped_section"].sum() == 2


def test_a_sheet_named_after_a_theme_gives_its_theme(tmp_path, reference):
    raw = tmp_path / "raw"
    raw.mkdir()
    xlsx(
        raw / "partner.xlsx",
        [["Organisatie", "Titel voorstel", "Kosten"], ["Fier", "Iets", "€ 10.000 per jaar"]],
        title="Klantaanpak",
    )
    p = by_title(run_clean(raw, reference)).loc["Iets"]
    assert p["theme"] == "klantaanpak" and "theme_from_file" in p["data_issues"]


def test_the_template_example_row_is_skipped(tmp_path, reference):
    raw = tmp_path / "raw"
    raw.mkdir()
    xlsx(
        raw / "partner.xlsx",
        [
            HEADER,
            [
                "Voorbeeld: Organisatie X",
                "Opvang",
                "Voorbeeld: training ketenpartners",
                "",
                "€ 100.000",
                "per jaar",
            ],
            ["Fier", "Opvang", "Echt voorstel", "", "€ 10.000", "eenmalig"],
        ],
    )
    result = run_clean(raw, reference)
    assert list(result.proposals["title"]) == ["Echt voorstel"]
    assert codes(result, "example_row")["source_row"].tolist() == [2]


def test_a_header_merged_over_sub_columns_reads_each_sub_column(tmp_path, reference):
    raw = tmp_path / "raw"
    raw.mkdir()
    xlsx(
        raw / "partner.xlsx",
        [
            ["Organisatie", "Titel voorstel", "Kosten", None, "Looptijd"],
            [None, None, "Structureel", "Incidenteel", None],
            ["Fier", "Twee soorten", 200_000, 50_000, ""],
        ],
        merges=["C1:D1", "A1:A2", "B1:B2", "E1:E2"],
    )
    p = by_title(run_clean(raw, reference)).loc["Twee soorten"]
    assert (p["structural_low_eur"], p["incidental_low_eur"]) == (200_000, 50_000)


def test_headers_with_notes_and_periods_are_recognised(tmp_path, reference):
    raw = tmp_path / "raw"
    raw.mkdir()
    xlsx(
        raw / "partner.xlsx",
        [
            [
                "Organisatie*",
                "Thema*\n(kies uit lijst)",
                "Titel voorstel*",
                "Kosten per jaar (€)",
                "Looptijd\n(jaartallen)",
            ],
            ["Fier", "Opvang", "Met noten", 87_500, "2025-2026"],
        ],
    )
    p = by_title(run_clean(raw, reference)).loc["Met noten"]
    assert p["theme"] == "opvang"
    assert (p["incidental_low_eur"], p["first_year"], p["last_year"]) == (175_000, 2025, 2026)


# --- files ------------------------------------------------------------------------------------------


def test_the_newer_version_of_a_partner_file_wins(tmp_path, reference):
    raw = tmp_path / "raw"
    raw.mkdir()
    rows = [
        HEADER,
        ["Fier", "Opvang", "Plekken noord", "", "€ 200.000", "per jaar"],
        ["Fier", "Minderjarigen", "Voorlichting", "", "€ 50.000", "eenmalig"],
    ]
    xlsx(raw / "fier_voorstellen.xlsx", rows)
    newer = [rows[0], ["Fier", "Opvang", "Plekken noord", "", "€ 250.000", "per jaar"], rows[2]]
    xlsx(raw / "fier_voorstellen v2 DEFINITIEF.xlsx", newer)
    old_time = time.time() + 60  # the old file touched later must not win over the version mark
    os.utime(raw / "fier_voorstellen.xlsx", (old_time, old_time))
    result = run_clean(raw, reference)
    p = by_title(result)
    assert p.loc["Plekken noord", "structural_low_eur"] == 250_000
    assert set(p["source_file"]) == {"fier_voorstellen v2 DEFINITIEF.xlsx"}
    note = codes(result, "superseded_version")
    assert note["source_file"].tolist() == ["fier_voorstellen.xlsx"]
    assert "fier_voorstellen v2 DEFINITIEF.xlsx" in note["message"].iloc[0]
    assert result.accounting["skipped_superseded"].sum() == 2


def test_titles_are_compared_pair_by_pair_within_a_theme(tmp_path, reference):
    raw = tmp_path / "raw"
    raw.mkdir()
    xlsx(
        raw / "ckm.xlsx",
        [
            HEADER,
            [
                "CKM",
                "Minderjarigen",
                "De landelijke aanpak van loverboys",
                "",
                "€ 400.000",
                "per jaar",
            ],
            ["CKM", "Minderjarigen", "Lespakket", "", "€ 10.000", "eenmalig"],
        ],
    )
    xlsx(
        raw / "dci.xlsx",
        [
            HEADER,
            [
                "Defence for Children",
                "Minderjarigen",
                "Landelijke aanpak loverboys",
                "",
                "€ 400.000",
                "per jaar",
            ],
            [
                "Defence for Children",
                "Minderjarigen",
                "Juridische hulp",
                "",
                "€ 20.000",
                "eenmalig",
            ],
        ],
    )
    result = run_clean(raw, reference)
    assert result.proposals["structural_low_eur"].sum() == 400_000
    merged = result.proposals[result.proposals["structural_low_eur"] == 400_000].iloc[0]
    assert "duplicate_merged" in merged["data_issues"] and merged["co_submitters"]


def test_the_pair_shortcut_finds_every_pair_that_all_pairs_finds(reference):
    import itertools
    import random

    from stmh_analysis.clean import _similar

    rng = random.Random(7)
    words = [
        "aanpak",
        "loverboys",
        "opvang",
        "training",
        "regio",
        "landelijk",
        "jongeren",
        "signalering",
        "campagne",
        "klanten",
        "zorg",
        "netwerk",
        "pilot",
        "onderzoek",
        "monitor",
        "fase",
    ]
    titles = []
    for _ in range(400):
        base = rng.sample(words, rng.randint(1, 5)) + (
            [str(rng.randint(1, 3))] if rng.random() < 0.3 else []
        )
        titles.append(" ".join(base))
        if rng.random() < 0.3:  # a near copy: a word changed or misspelt
            copy = list(base)
            copy[rng.randrange(len(copy))] += rng.choice(["", "s", "en", "e"])
            titles.append(" ".join(copy))
    content = sorted({content_key(match_key(t), reference.duplicate_ignore_words) for t in titles})
    needed = {
        (i, j)
        for i, j in itertools.combinations(range(len(content)), 2)
        if _similar(content[i], content[j], 0.8) >= 0.8
    }
    assert needed, "the sample must hold near pairs"
    assert needed <= set(candidate_pairs(content, 0.8))
    theme = pd.Series(["opvang"] * len(titles))
    groups, near = find_duplicates(
        theme,
        pd.Series([match_key(t) for t in titles]),
        0.93,
        0.80,
        reference.duplicate_ignore_words,
    )
    assert groups.nunique() < len(set(titles)) and near


def test_mojibake_is_repaired_and_flagged(tmp_path, reference):
    raw = tmp_path / "raw"
    raw.mkdir()
    broken = "Coördinatie zorgcoördinatoren".encode().decode("cp1252")  # once
    twice = "Coördinatie".encode().decode("cp1252").encode().decode("cp1252")
    xlsx(
        raw / "partner.xlsx",
        [
            HEADER,
            ["CoMensha", "Opvang", broken, "", "€ 10.000", "eenmalig"],
            ["CoMensha", "Opvang", f"{twice} regio", "", "€ 20.000", "eenmalig"],
        ],
    )
    result = run_clean(raw, reference)
    titles = set(result.proposals["title"])
    assert titles == {"Coördinatie zorgcoördinatoren", "Coördinatie regio"}
    assert all("text_repaired" in i for i in result.proposals["data_issues"])
    assert len(codes(result, "text_repaired")) == 2


def test_a_utf16_text_export_is_read(tmp_path, reference):
    raw = tmp_path / "raw"
    raw.mkdir()
    text = (
        "\t".join(HEADER)
        + "\r\n"
        + "\t".join(["SHOP", "Opvang", "Zorg én opvang", "", "€ 12.500", "per jaar"])
        + "\r\n"
    )
    (raw / "export.txt").write_bytes(text.encode("utf-16"))
    (raw / "export_zonder_bom.txt").write_bytes(text.replace("Zorg", "Hulp").encode("utf-16-le"))
    p = by_title(run_clean(raw, reference))
    assert p.loc["Zorg én opvang", "structural_low_eur"] == 12_500
    assert p.loc["Hulp én opvang", "structural_low_eur"] == 12_500


def _stmh(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "stmh_analysis.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_an_only_file_that_cannot_be_read_is_an_error_not_a_traceback(tmp_path, reference):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "kapot.xlsx").write_bytes(b"PK\x03\x04 geen werkmap")
    result = run_clean(raw, reference)  # no exception
    assert result.proposals.empty
    assert codes(result, "unreadable_file")["level"].tolist() == ["error"]
    done = _stmh("check", str(raw), cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert "kapot.xlsx" in done.stdout and "FOUT" in done.stdout


def test_a_file_that_cannot_be_read_makes_check_fail_even_beside_good_files(tmp_path, reference):
    raw = tmp_path / "raw"
    raw.mkdir()
    xlsx(raw / "goed.xlsx", [HEADER, ["Fier", "Opvang", "Goed", "", "€ 10.000", "eenmalig"]])
    (raw / "beveiligd.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    done = _stmh("check", str(raw), cwd=tmp_path)
    assert done.returncode == 1
    first_lines = done.stdout.split("\n\n")[0]
    assert "beveiligd.xlsx" in first_lines and "wachtwoord" in first_lines
    assert "Niet bruikbaar" in done.stdout


# --- one workbook, every format ---------------------------------------------------------------------

SAME_ROWS = [
    ["Inzending Leger des Heils"],
    [],
    [
        "Organisatie",
        "Thema",
        "Titel voorstel",
        "Kosten (x € 1.000)",
        "Structureel/incidenteel",
        "Looptijd",
    ],
    ["Leger des Heils", "Opvang", "Crisisbedden", 450, "structureel", ""],
    ["Leger des Heils", "Opvang", "Nazorg", 1.125, "incidenteel", "2025"],
    ["Leger des Heils", "Criminele uitbuiting", "Uitstapprogramma", "3 à 5 ton per jaar", "", ""],
]
COMPARED = [
    "title",
    "organisation",
    "theme",
    "structural_low_eur",
    "structural_high_eur",
    "incidental_low_eur",
    "incidental_high_eur",
    "first_year",
    "last_year",
    "data_issues",
]


def test_the_same_workbook_as_xlsx_ods_and_text_gives_the_same_proposals(tmp_path, reference):
    width = max(len(r) for r in SAME_ROWS)
    frame = pd.DataFrame([r + [None] * (width - len(r)) for r in SAME_ROWS])
    results = {}
    for kind in ("xlsx", "ods", "txt"):
        raw = tmp_path / kind
        raw.mkdir()
        if kind == "xlsx":
            xlsx(raw / "ldh.xlsx", SAME_ROWS)
        elif kind == "ods":
            frame.to_excel(raw / "ldh.ods", engine="odf", header=False, index=False)
        else:
            text = "\n".join(
                "\t".join("" if v is None or v != v else str(v).replace(".", ",") for v in row)
                for row in SAME_ROWS
            )
            (raw / "ldh.txt").write_bytes(text.encode("utf-16"))
        results[kind] = (
            run_clean(raw, reference)
            .proposals[COMPARED]
            .sort_values("title")
            .reset_index(drop=True)
        )
    pd.testing.assert_frame_equal(results["xlsx"], results["ods"])
    # text has lost the cell's type: '1,125' could be an English thousand, so it stays flagged
    amounts = [c for c in COMPARED if c != "data_issues"]
    pd.testing.assert_frame_equal(results["xlsx"][amounts], results["txt"][amounts])
    assert "amount_ambiguous" in results["txt"].set_index("title").loc["Nazorg", "data_issues"]
    p = results["xlsx"].set_index("title")
    assert p.loc["Nazorg", "incidental_low_eur"] == 1_125
    assert p.loc["Crisisbedden", "structural_low_eur"] == 450_000


def test_a_legacy_xls_reads_right(tmp_path, reference):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "fier_oud_formaat.xls").write_bytes(
        (REPO / "tests/data/fier_oud_formaat.xls").read_bytes()
    )
    p = by_title(run_clean(raw, reference))
    assert p.loc["Opvang jonge slachtoffers in het noorden", "structural_low_eur"] == 450_000
    assert p.loc["Nazorg na uitstroom", "incidental_low_eur"] == 1_125
    assert p.loc["Campagne voor klanten", "incidental_low_eur"] == 75_000
    assert "amount_ambiguous" in p.loc["Campagne voor klanten", "data_issues"]
    assert set(p["organisation"]) == {"Fier"}


def test_amounts_in_year_columns_are_money_in_those_years(tmp_path, reference):
    raw = tmp_path / "raw"
    raw.mkdir()
    xlsx(
        raw / "politie.xlsx",
        [
            [
                "Organisatie",
                "Titel voorstel",
                "Kosten (x € 1.000)",
                None,
                None,
                "Structureel/incidenteel",
            ],
            [None, None, "2024", "2025", "2026", None],
            ["Politie", "Rechercheurs", 100, 200, 200, ""],
            ["Politie", "Data-analyse", 50, None, None, ""],
            ["Politie", "Wijkagenten", 300, 300, 300, "structureel"],
            ["Politie", "Tekst per jaar", "€ 10.000", "€ 20.000", None, ""],
        ],
        merges=["C1:E1"],
    )
    p = by_title(run_clean(raw, reference))
    assert (
        p.loc["Rechercheurs", "incidental_low_eur"],
        p.loc["Rechercheurs", "first_year"],
        p.loc["Rechercheurs", "last_year"],
    ) == (500_000, 2024, 2026)
    assert "amount_ambiguous" in p.loc["Rechercheurs", "data_issues"]  # steady to the last column
    assert (p.loc["Data-analyse", "incidental_low_eur"], p.loc["Data-analyse", "last_year"]) == (
        50_000,
        2024,
    )
    assert "amount_ambiguous" not in p.loc["Data-analyse", "data_issues"]
    assert (p.loc["Wijkagenten", "structural_low_eur"], p.loc["Wijkagenten", "first_year"]) == (
        300_000,
        2024,
    )
    assert p.loc["Tekst per jaar", "incidental_low_eur"] == 30_000


def test_a_second_table_on_a_sheet_is_read_with_its_own_header(tmp_path, reference):
    raw = tmp_path / "raw"
    raw.mkdir()
    xlsx(
        raw / "partner.xlsx",
        [
            ["Titel voorstel", "Organisatie", "Kosten structureel"],
            ["Eerste", "Fier", 100_000],
            [],
            ["Titel voorstel", "Organisatie", "Eenmalige kosten"],
            ["Tweede", "Fier", 40_000],
        ],
    )
    result = run_clean(raw, reference)
    p = by_title(result)
    assert set(p.index) == {"Eerste", "Tweede"}
    assert p.loc["Eerste", "structural_low_eur"] == 100_000
    assert p.loc["Tweede", "incidental_low_eur"] == 40_000
    assert codes(result, "repeated_header")["source_row"].tolist() == [4]
