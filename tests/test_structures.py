"""Workbook structures partners really use (structures.py), each built the way a partner would,
with the figures a careful analyst would write down; and the cell guarantee: a column nobody
reads never changes a figure silently."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from stmh_analysis.steps import clean_raw

HEADER = ["Organisatie", "Thema", "Titel voorstel", "Indicatieve kosten"]


def workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def read(raw: Path, reference):
    return clean_raw(raw, reference).result


def issues_of(result, code: str) -> pd.DataFrame:
    return result.issues[result.issues["code"] == code]


def flags(proposal: pd.Series) -> set[str]:
    return set(filter(None, str(proposal["data_issues"]).split(";")))


def test_cost_lines_under_a_proposal_are_its_cost_not_proposals(tmp_path, reference):
    workbook(tmp_path / "politie.xlsx", {"Voorstellen": [
        ["Organisatie", "Thema", "Titel voorstel", "Kostenpost", "Bedrag (eenmalig)"],
        ["Politie", "Opsporing", "Extra rechercheurs", "", None],
        ["", "", "", "Personeel", 300000],
        ["", "", "", "Materieel", 50000],
        ["", "", "Subtotaal", "", 350000],
        ["Politie", "Opsporing", "Datateam", "", 120000],
        ["", "", "Personeel", "", 100000],
        ["", "", "Communicatie", "", 20000],
        ["", "", "waarvan training", "", 5000],
    ]})  # fmt: skip
    result = read(tmp_path, reference)
    p = result.proposals.set_index("title")
    assert sorted(p.index) == ["Datateam", "Extra rechercheurs"]
    assert p.at["Extra rechercheurs", "incidental_low_eur"] == 350_000
    assert "cost_from_details" in flags(p.loc["Extra rechercheurs"])
    # the own amount stands; lines that do not add up to it are flagged, never added
    assert p.at["Datateam", "incidental_low_eur"] == 120_000
    assert "detail_rows_differ" in flags(p.loc["Datateam"])
    accounting = result.accounting.iloc[0]
    assert accounting["skipped_detail"] == 5 and accounting["skipped_totals"] == 1


def test_cost_lines_that_add_up_raise_nothing(tmp_path, reference):
    workbook(tmp_path / "om.xlsx", {"Blad1": [
        ["Organisatie", "Thema", "Titel voorstel", "Kosten per jaar"],
        ["OM", "Opsporing", "Ketenofficieren", 150000],
        ["", "", "Personeel", 120000],
        ["", "", "Overige kosten", 30000],
    ]})  # fmt: skip
    p = read(tmp_path, reference).proposals.set_index("title")
    assert list(p.index) == ["Ketenofficieren"]
    assert p.at["Ketenofficieren", "structural_low_eur"] == 150_000
    assert not {"detail_rows_differ", "cost_from_details"} & flags(p.loc["Ketenofficieren"])


def test_unit_and_frequency_in_columns_of_their_own(tmp_path, reference):
    workbook(tmp_path / "om.xlsx", {"Blad1": [
        ["Organisatie", "Titel", "Bedrag", "Eenheid", "Frequentie"],
        ["OM", "Specialistische officieren", 450, "k€", "jaarlijks"],
        ["OM", "Onderzoek ketenaanpak", 1.2, "mln", "eenmalig"],
        ["OM", "Training", 3, "ton", "4 jaar"],
        ["OM", "Tolken", 80, "pond", "jaarlijks"],
    ]})  # fmt: skip
    p = read(tmp_path, reference).proposals.set_index("title")
    assert p.at["Specialistische officieren", "structural_low_eur"] == 450_000
    assert p.at["Onderzoek ketenaanpak", "incidental_low_eur"] == 1_200_000
    assert "amount_ambiguous" in flags(p.loc["Training"])  # 3 ton per year or in total?
    assert "unread_column" in flags(p.loc["Tolken"])  # a unit nobody knows: never silent


def test_start_and_end_years_in_columns_of_their_own(tmp_path, reference):
    workbook(tmp_path / "utrecht.xlsx", {"Blad1": [
        ["Organisatie", "Titel", "Kosten per jaar", "Startjaar", "Eindjaar"],
        ["Gemeente Utrecht", "Zorgcoördinatie", 100000, 2025, 2028],
        ["Gemeente Utrecht", "Uitstapprogramma", 60000, 2026, None],
    ]})  # fmt: skip
    p = read(tmp_path, reference).proposals.set_index("title")
    # four years of € 100.000: a time-limited total, never a structural € 100.000
    assert p.at["Zorgcoördinatie", "structural_low_eur"] == 0
    assert p.at["Zorgcoördinatie", "incidental_low_eur"] == 400_000
    assert (p.at["Zorgcoördinatie", "first_year"], p.at["Zorgcoördinatie", "last_year"]) == (
        2025,
        2028,
    )
    assert p.at["Uitstapprogramma", "structural_low_eur"] == 60_000
    assert p.at["Uitstapprogramma", "first_year"] == 2026


def test_total_own_contribution_and_the_contribution_asked(tmp_path, reference):
    workbook(tmp_path / "fier.xlsx", {"Blad1": [
        ["Organisatie", "Titel", "Totale projectkosten", "Eigen bijdrage", "Gevraagde bijdrage", "Soort kosten"],
        ["Fier", "Opvang meisjes", 500000, 100000, 400000, "eenmalig"],
        ["Fier", "Nazorg", 300000, 50000, 200000, "eenmalig"],
    ]})  # fmt: skip
    workbook(tmp_path / "fairwork.xlsx", {"Blad1": [
        ["Organisatie", "Titel", "Totale projectkosten", "Eigen bijdrage", "Soort kosten"],
        ["FairWork", "Voorlichting", 90000, 10000, "eenmalig"],
    ]})  # fmt: skip
    p = read(tmp_path, reference).proposals.set_index("title")
    assert p.at["Opvang meisjes", "incidental_low_eur"] == 400_000  # what is asked
    assert not {"unread_column", "cost_is_total_less_own"} & flags(p.loc["Opvang meisjes"])
    assert "unread_column" in flags(p.loc["Nazorg"])  # 300 - 50 is not 200: named
    assert p.at["Voorlichting", "incidental_low_eur"] == 80_000
    assert "cost_is_total_less_own" in flags(p.loc["Voorlichting"])


def test_withdrawn_and_confidential_rows(tmp_path, reference):
    workbook(tmp_path / "kmar.xlsx", {"Blad1": [
        ["Organisatie", "Titel", "Kosten", "Status"],
        ["KMar", "Grenscontroles", "€ 200.000 per jaar", "ingediend"],
        ["KMar", "Oude pilot", "€ 90.000 per jaar", "ingetrokken"],
        ["KMar", "VERVALLEN: proef Schiphol", "€ 30.000 eenmalig", ""],
        ["KMar", "Informantenregeling", "€ 40.000 eenmalig", "Vertrouwelijk"],
    ]})  # fmt: skip
    result = read(tmp_path, reference)
    p = result.proposals.set_index("title")
    assert sorted(p.index) == ["Grenscontroles", "Informantenregeling"]
    assert "confidential" in flags(p.loc["Informantenregeling"])
    assert result.accounting.iloc[0]["skipped_withdrawn"] == 2
    assert len(issues_of(result, "withdrawn_row")) == 2


def test_confidential_never_reaches_the_public_selection(reference):
    from stmh_analysis.publication import published

    proposals = pd.DataFrame(
        {
            "appraisal": ["kansrijk", "kansrijk", "niet_kansrijk"],
            "data_issues": ["", "org_unknown;confidential", ""],
        }
    )
    assert published(proposals, ["kansrijk"]).tolist() == [True, False, False]


def test_a_consolidation_workbook_with_an_overview_tab(tmp_path, reference):
    """One tab per partner in its own layout, plus an overview built from the others (with
    another theme than the tab): a copy, never a second set of proposals, never a traceback."""
    workbook(tmp_path / "consolidatie.xlsx", {
        "CoMensha": [HEADER, ["CoMensha", "Opvang", "Meldpunt uitbreiden", "€ 100.000 per jaar"],
                     ["CoMensha", "Opvang", "Extra casemanagers", "€ 200.000 per jaar"]],
        "FairWork": [["Titel", "Kosten", "Organisatie"],
                     ["Voorlichting arbeidsmigranten", "€ 50.000 eenmalig", "FairWork"]],
        "Overzicht": [HEADER, ["CoMensha", "Preventie", "Meldpunt uitbreiden", "€ 100.000 per jaar"],
                      ["CoMensha", "", "Extra casemanagers", "€ 200.000 per jaar"],
                      ["FairWork", "", "Voorlichting arbeidsmigranten", "€ 50.000 eenmalig"]],
    })  # fmt: skip
    result = read(tmp_path, reference)
    assert len(result.proposals) == 3
    assert result.proposals["structural_low_eur"].sum() == 300_000
    assert len(issues_of(result, "copy_sheet")) == 1


def test_the_same_title_in_two_themes_gets_two_ids(tmp_path, reference):
    """The traceback of a consolidation workbook (duplicate proposal_ids) is gone: two
    proposals, two ids, each named as a possible duplicate of the other."""
    workbook(tmp_path / "c.xlsx", {
        "Lijst A": [HEADER, ["CoMensha", "Opvang", "Meldpunt uitbreiden", "€ 100.000 per jaar"]],
        "Lijst B": [HEADER, ["CoMensha", "Preventie", "Meldpunt uitbreiden", "€ 100.000 per jaar"]],
    })  # fmt: skip
    p = read(tmp_path, reference).proposals
    assert p["proposal_id"].is_unique and len(p) == 2
    assert p["data_issues"].str.contains("possible_duplicate").all()


@pytest.mark.parametrize("suffix", [".pdf", ".docx", ".msg", ".png"])
def test_a_file_that_is_no_table_is_an_error(tmp_path, reference, suffix):
    workbook(
        tmp_path / "ok.xlsx", {"Blad1": [HEADER, ["CoMensha", "Opvang", "A", "€ 1.000 eenmalig"]]}
    )
    (tmp_path / f"voorstellen{suffix}").write_bytes(b"%PDF-1.4 not a table")
    result = read(tmp_path, reference)
    errors = result.issues[result.issues["level"] == "error"]
    assert errors["source_file"].tolist() == [f"voorstellen{suffix}"]
    assert "niet meegeteld" in errors["message"].iloc[0]


# --- the cell guarantee -------------------------------------------------------------------------

BASE_ROWS = [
    ["CoMensha", "Opvang", "Meldpunt uitbreiden", "€ 100.000 per jaar"],
    ["FairWork", "Preventie", "Voorlichting", "€ 50.000 eenmalig"],
    ["Politie", "Opsporing", "Datateam", "€ 120.000 per jaar (2025-2027)"],
]
UNREAD_COLUMNS = st.sampled_from(
    [
        ("Bedrag 2023", [80000, 45000, 100000]),
        ("Oude raming", ["€ 90.000", "€ 40.000", "€ 1 mln"]),
        ("Einde", [2027, 2026, 2030]),
        ("Eenheid bedrag (k€)", ["k€", "k€", "k€"]),
        ("Stand", ["vervallen", "ingediend", "ingetrokken"]),
        ("fte", [1.5, 0.5, 2]),
        ("Projectnaam", ["Meldpunt 2.0", "Campagne", "Data"]),
        ("Toegekend", [60000, 20000, 90000]),
    ]
)


RECOGNISED = {"Einde", "Eenheid bedrag (k€)"}  # read as the last year and the unit


def _figures(result) -> dict[str, tuple]:
    cols = ["structural_low_eur", "incidental_low_eur", "first_year", "last_year"]
    return {r["title"]: tuple(r[c] for c in cols) for r in result.proposals.to_dict("records")}


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    column=UNREAD_COLUMNS,
    position=st.integers(min_value=0, max_value=4),
    which=st.sets(st.integers(0, 2), min_size=1),
)
def test_an_unread_column_never_changes_a_figure_silently(
    tmp_path_factory, reference, column, position, which
):
    """Add a column of amounts, years, units, statuses, fte or titles to an accepted workbook:
    each proposal's figures stay what they were, or the proposal is flagged."""
    header, values = column
    base = tmp_path_factory.mktemp("base")
    workbook(base / "p.xlsx", {"Blad1": [HEADER, *BASE_ROWS]})
    before = _figures(read(base, reference))
    grown = tmp_path_factory.mktemp("grown")
    rows = [HEADER[:position] + [header] + HEADER[position:]]
    for i, row in enumerate(BASE_ROWS):
        value = values[i] if i in which else None
        rows.append(row[:position] + [value] + row[position:])
    workbook(grown / "p.xlsx", {"Blad1": rows})
    result = read(grown, reference)
    after = _figures(result)
    proposals = result.proposals.set_index("title")
    withdrawn = set(result.issues.loc[result.issues["code"] == "withdrawn_row", "source_row"])
    for i, row in enumerate(BASE_ROWS):
        title = row[2]
        if title not in after:
            assert i + 2 in withdrawn, f"{header!r}: {title} dropped without a message"
        elif after[title] != before[title]:
            marks = flags(proposals.loc[title]) & {"unread_column", "amount_ambiguous"}
            assert marks, f"{header!r}: {title} {before[title]} -> {after[title]} without a flag"
        elif i in which and header not in RECOGNISED:
            # a value beside it that could change the figure, and nothing changed: named
            assert "unread_column" in flags(proposals.loc[title]), f"{header!r}: {title}"


def test_a_proposal_is_not_a_total_because_of_its_first_word(tmp_path, reference):
    """Silent loss seen before: an organisation called SOM, or a title starting with 'Totale',
    made a proposal a totals row with no message. Now they are proposals, and a real totals row
    is named in the issues."""
    (tmp_path / "som.csv").write_text(
        "Organisatie;Thema;Titel voorstel;Indicatieve kosten\n"
        "SOM;Opvang van slachtoffers;Opvang jongens;€ 100.000 per jaar\n"
        "CoMensha;Opvang;Totale herziening meldproces;€ 60.000 eenmalig\n"
        "CoMensha;Opvang;Som van de delen;€ 10.000 eenmalig\n"
        ";;Totaal;€ 170.000\n",
        encoding="utf-8",
    )
    result = read(tmp_path, reference)
    assert sorted(result.proposals["title"]) == [
        "Opvang jongens",
        "Som van de delen",
        "Totale herziening meldproces",
    ]
    assert len(issues_of(result, "totals_row")) == 1


def test_one_definition_of_a_raw_input(tmp_path, reference):
    """An Excel lock file, the README, a hidden file and a symbolic link are no inputs: not for
    ingest, not for the runner's step keys, not for releases (they all call raw_inputs)."""
    from stmh_analysis import pipeline, releases
    from stmh_analysis.paths import raw_inputs

    workbook(
        tmp_path / "a.xlsx", {"Blad1": [HEADER, ["CoMensha", "Opvang", "A", "€ 1.000 eenmalig"]]}
    )
    for name in ("~$a.xlsx", "README.md", ".DS_Store"):
        (tmp_path / name).write_bytes(b"x")
    outside = tmp_path.parent / "elders.csv"
    outside.write_text("Titel;Kosten\nGeheim;€ 5\n", encoding="utf-8")
    (tmp_path / "link.csv").symlink_to(outside)
    assert [p.name for p in raw_inputs(tmp_path)] == ["a.xlsx"]
    assert [p.name for p in pipeline._raw_files(tmp_path)] == ["a.xlsx"]
    assert "raw_inputs(" in Path(releases.__file__).read_text(encoding="utf-8")
    result = read(tmp_path, reference)
    assert list(result.proposals["title"]) == ["A"]
    linked = issues_of(result, "linked_file")
    assert linked["source_file"].tolist() == ["link.csv"] and (linked["level"] == "error").all()


def test_a_budget_sheet_keyed_by_proposal_number(tmp_path, reference):
    workbook(tmp_path / "riec.xlsx", {
        "Voorstellen": [["Nr", "Organisatie", "Titel voorstel", "Omschrijving", "Soort kosten"],
                        [1, "RIEC", "Barrièremodel", "x", "eenmalig"],
                        [2, "RIEC", "Bestuurlijke aanpak", "y", "eenmalig"]],
        "Begroting": [["Nr", "Kostenpost", "Bedrag"],
                      [1, "Personeel", 80000], [1, "Materieel", 20000],
                      [2, "Personeel", 50000], [3, "Onbekend", 9000]],
    })  # fmt: skip
    result = read(tmp_path, reference)
    p = result.proposals.set_index("title")
    assert p.at["Barrièremodel", "incidental_low_eur"] == 100_000
    assert p.at["Bestuurlijke aanpak", "incidental_low_eur"] == 50_000
    assert "cost_from_details" in flags(p.loc["Barrièremodel"])
    assert len(issues_of(result, "budget_line_unmatched")) == 1  # line 3: named, not dropped
    assert result.rejected.empty


def test_struck_through_rows_are_withdrawn(tmp_path, reference):
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    for row in [HEADER, ["CoMensha", "Opvang", "Blijft", "€ 1.000 eenmalig"],
                ["CoMensha", "Opvang", "Doorgehaald", "€ 9.000 eenmalig"]]:  # fmt: skip
        ws.append(row)
    for cell in ws[3]:
        cell.font = Font(strike=True)
    wb.save(tmp_path / "c.xlsx")
    result = read(tmp_path, reference)
    assert list(result.proposals["title"]) == ["Blijft"]
    assert result.accounting.iloc[0]["skipped_withdrawn"] == 1


def test_a_cost_note_that_could_change_the_figure_is_flagged(tmp_path, reference):
    workbook(tmp_path / "om.xlsx", {"Blad1": [
        ["Organisatie", "Titel", "Indicatieve kosten", "Toelichting kosten"],
        ["OM", "Uitleg", "€ 90.000 per jaar", "2 fte à € 45.000"],  # what it consists of: fine
        ["OM", "Periode", "€ 90.000", "totaal voor 2025-2027"],  # changes the basis
        ["OM", "Gedekt", "€ 90.000 eenmalig", "€ 30.000 is al beschikbaar"],
    ]})  # fmt: skip
    p = read(tmp_path, reference).proposals.set_index("title")
    assert "unread_column" not in flags(p.loc["Uitleg"])
    assert "unread_column" in flags(p.loc["Periode"])
    assert "unread_column" in flags(p.loc["Gedekt"])


def test_a_file_without_any_table_is_an_error(tmp_path, reference):
    """A transposed layout (proposals as columns) or a letter pasted in a sheet: the file is
    named as not read in stmh check, the run's warning and the nota; never 'read' with nothing."""
    workbook(tmp_path / "dwars.xlsx", {"Blad1": [
        ["", "Voorstel 1", "Voorstel 2"],
        ["Omschrijving van het plan", "Meldpunt", "Campagne"],
        ["Wat het kost", "€ 100.000", "€ 50.000"],
    ]})  # fmt: skip
    result = read(tmp_path, reference)
    errors = result.issues[result.issues["level"] == "error"]
    assert errors["code"].tolist() == ["no_table_in_file"]


def test_year_columns_under_a_group_header_beside_their_total(tmp_path, reference):
    """'Kosten (x € 1.000)' merged over '2025 | 2026 | 2027 | Totaal': the years are read with the
    group's unit, and the total column beside them is never counted a second time."""
    wb = Workbook()
    ws = wb.active
    for row in [["Organisatie", "Titel voorstel", "Kosten (x € 1.000)", None, None, None],
                [None, None, 2025, 2026, 2027, "Totaal"],
                ["Politie", "Datateam", 100, 150, 50, 300],
                ["Politie", "Scholing", 100, 100, 50, 900]]:  # fmt: skip
        ws.append(row)
    ws.merge_cells("C1:F1")
    wb.save(tmp_path / "p.xlsx")
    p = read(tmp_path, reference).proposals.set_index("title")
    assert p.at["Datateam", "incidental_low_eur"] == 300_000
    assert (p.at["Datateam", "first_year"], p.at["Datateam", "last_year"]) == (2025, 2027)
    assert not flags(p.loc["Datateam"]) & {"unread_column", "amount_ambiguous"}
    assert "unread_column" in flags(p.loc["Scholing"])  # the years do not make its total


def test_a_price_per_unit_beside_a_count(tmp_path, reference):
    workbook(tmp_path / "c.xlsx", {"Blad1": [
        ["Organisatie", "Titel voorstel", "Aantal plekken", "Bedrag per plek", "Soort kosten"],
        ["CoMensha", "Opvangplekken", 20, 75000, "per jaar"],
    ], "Blad2": [
        ["Organisatie", "Titel voorstel", "Kosten per deelnemer", "Soort kosten"],
        ["CoMensha", "Training", 350, "eenmalig"],
    ]})  # fmt: skip
    p = read(tmp_path, reference).proposals.set_index("title")
    assert p.at["Opvangplekken", "structural_low_eur"] == 1_500_000
    assert "count_times_price" in flags(p.loc["Opvangplekken"])
    assert "unread_column" in flags(p.loc["Training"])  # per participant, how many? never silent


def test_one_row_per_proposal_per_year(tmp_path, reference):
    workbook(tmp_path / "vng.xlsx", {"Blad1": [
        ["Organisatie", "Titel voorstel", "Jaar", "Bedrag"],
        ["VNG", "Regionale coördinatie", 2025, 100000],
        ["VNG", "Regionale coördinatie", 2026, 120000],
        ["VNG", "Regionale coördinatie", 2027, 120000],
        ["VNG", "Handreiking", 2025, 30000],
    ]})  # fmt: skip
    result = read(tmp_path, reference)
    p = result.proposals.set_index("title")
    assert sorted(p.index) == ["Handreiking", "Regionale coördinatie"]
    assert p.at["Regionale coördinatie", "incidental_low_eur"] == 340_000
    assert (
        p.at["Regionale coördinatie", "first_year"],
        p.at["Regionale coördinatie", "last_year"],
    ) == (2025, 2027)
    assert p.at["Handreiking", "incidental_low_eur"] == 30_000
    assert p.at["Handreiking", "first_year"] == 2025


def test_text_in_a_column_without_a_header_is_named(tmp_path, reference):
    workbook(tmp_path / "om.xlsx", {"Blad1": [
        ["Organisatie", "Titel voorstel", "Indicatieve kosten", None],
        ["OM", "Ketenregie", "€ 50.000 eenmalig", "navragen bij Piet"],
    ]})  # fmt: skip
    result = read(tmp_path, reference)
    named = issues_of(result, "cells_unread")
    assert len(named) == 1 and "navragen" in named["message"].iloc[0]


def test_cost_item_columns_beside_a_proposal_are_its_cost(tmp_path, reference):
    """Partners also write a budget across: 'Personeelskosten | Materiële kosten | Totaal'. The
    item columns used to be unread (flagged, and without a cost column every row was rejected):
    now they are the proposal's cost lines, checked against the total beside them or added up."""
    workbook(tmp_path / "comensha.xlsx", {"Voorstellen": [
        ["Organisatie", "Thema", "Titel voorstel", "Personeelskosten per jaar",
         "Materiële kosten per jaar", "Totaal per jaar", "Toelichting"],
        ["CoMensha", "Opvang", "Training ketenpartners", 80000, 20000, 100000, "2 trainers"],
        ["CoMensha", "Opvang", "Meldpunt uitbreiden", 50000, 10000, 70000, ""],
        ["CoMensha", "Opvang", "Voorlichting scholen", 30000, 5000, None, "geen totaal"],
    ]})  # fmt: skip
    workbook(tmp_path / "fairwork.xlsx", {"Voorstellen": [
        ["Organisatie", "Thema", "Titel voorstel", "Personeel", "Inhuur", "Overige kosten"],
        ["FairWork", "Opvang", "Spreekuur arbeidsuitbuiting", 60000, 15000, 5000],
    ]})  # fmt: skip
    result = read(tmp_path, reference)
    p = result.proposals.set_index("title")
    assert len(p) == 4 and result.rejected.empty
    # items equal to the total: the total is the structural cost, every cell accounted for
    training = p.loc["Training ketenpartners"]
    assert training["structural_low_eur"] == training["structural_high_eur"] == 100_000
    assert not {"unread_column", "detail_rows_differ", "cost_from_details"} & flags(training)
    # items that do not add up to the total: the total stands, flagged
    meldpunt = p.loc["Meldpunt uitbreiden"]
    assert meldpunt["structural_low_eur"] == 70_000
    assert "detail_rows_differ" in flags(meldpunt)
    # no total: the items added up, flagged so the analyst checks
    scholen = p.loc["Voorlichting scholen"]
    assert scholen["structural_low_eur"] == 35_000
    assert "cost_from_details" in flags(scholen)
    # headers without a period: added up, the basis assumed and flagged
    spreekuur = p.loc["Spreekuur arbeidsuitbuiting"]
    assert spreekuur["structural_low_eur"] + spreekuur["incidental_low_eur"] == 80_000
    assert {"cost_from_details", "basis_assumed"} <= flags(spreekuur)
    summed = issues_of(result, "cost_from_details")
    assert summed["message"].str.contains("kostenkolommen ernaast").all()


def test_item_columns_beside_an_own_cost_are_checked_and_a_total_stays_unread(tmp_path, reference):
    """Beside the contribution asked, item columns are checked against it; a 'Totaal' column
    there may be the project total (own money included), so it is never taken as the cost."""
    workbook(tmp_path / "politie.xlsx", {"Voorstellen": [
        ["Organisatie", "Thema", "Titel voorstel", "Gevraagde bijdrage", "Personeel", "Materieel",
         "Totaal"],
        ["Politie", "Opsporing", "Datateam", 120000, 100000, 20000, 150000],
    ]})  # fmt: skip
    workbook(tmp_path / "ckm.xlsx", {"Voorstellen": [
        ["Organisatie", "Thema", "Titel voorstel", "Materiële kosten"],
        ["CKM", "Opvang", "Lotgenotencontact", "€ 40.000 per jaar"],
    ]})  # fmt: skip
    result = read(tmp_path, reference)
    p = result.proposals.set_index("title")
    datateam = p.loc["Datateam"]
    assert datateam["incidental_low_eur"] + datateam["structural_low_eur"] == 120_000
    assert "unread_column" in flags(datateam)  # the Totaal column, with its value
    assert "detail_rows_differ" not in flags(datateam)
    # one item header alone ("Materiële kosten") is the cost column, read as before
    assert p.at["Lotgenotencontact", "structural_low_eur"] == 40_000
    assert not flags(p.loc["Lotgenotencontact"])


def test_an_fte_column_among_the_items_is_never_added_as_euros(tmp_path, reference):
    """'Personeel (fte)' beside 'Materieel' and 'Overige kosten': 2 fte is not € 2."""
    workbook(tmp_path / "nla.xlsx", {"Voorstellen": [
        ["Organisatie", "Thema", "Titel voorstel", "Personeel (fte)", "Materieel", "Overige kosten"],
        ["NLA", "Opvang", "Inspecties uitzendbureaus", 2, 20000, 5000],
    ]})  # fmt: skip
    result = read(tmp_path, reference)
    p = result.proposals.set_index("title").loc["Inspecties uitzendbureaus"]
    assert p["structural_low_eur"] + p["incidental_low_eur"] == 25_000
    assert {"cost_from_details", "unread_column"} <= flags(p)  # the fte column, with its value
