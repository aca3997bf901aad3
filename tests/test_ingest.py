"""Reading partner files: header search, units, encodings, merged cells, what is skipped and why."""

from __future__ import annotations

import pytest

from stmh_analysis.ingest import decode_text, header_unit_scale, map_header, read_submissions


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


def test_raw_files_are_never_opened_for_writing(reference, bundled_raw, monkeypatch):
    import builtins

    real_open = builtins.open

    def guarded(file, mode="r", *args, **kwargs):
        if str(bundled_raw) in str(file) and any(m in mode for m in "wax+"):
            raise AssertionError(f"raw file opened for writing: {file}")
        return real_open(file, mode, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded)
    read_submissions(bundled_raw, reference)
