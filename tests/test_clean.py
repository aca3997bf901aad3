"""Cleaning: vocabularies, ids, duplicates, appraisals, and every row accounted for."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from stmh_analysis.clean import (
    find_duplicates,
    make_proposal_ids,
    normalise_organisation,
    normalise_theme,
)
from stmh_analysis.schema import SKIPPED_COUNTS
from stmh_analysis.steps import clean_raw


@pytest.mark.parametrize(
    ("raw", "expected", "flag"),
    [
        pytest.param("Inspectie SZW", "NLA", None, id="old-name"),
        pytest.param("Coördinatiecentrum tegen Mensenhandel", "CoMensha", None, id="long-name"),
        pytest.param("coordinatiecentrum tegen mensenhandel", "CoMensha", None, id="no-accents"),
        pytest.param(
            "Defense for Children", "Defence for Children/ECPAT", None, id="misspelt-alias"
        ),
        pytest.param("Leger des Heilss", "Leger des Heils", "org_fuzzy", id="typo"),
        pytest.param("Stichting Onbekend", "Stichting Onbekend", "org_unknown", id="unknown-kept"),
    ],
)
def test_organisations_are_canonical(reference, raw, expected, flag):
    canonical, flags = normalise_organisation(pd.Series([raw]), pd.Series([""]), reference)
    assert canonical.iloc[0] == expected
    raised = {c for c in flags.columns if flags[c].iloc[0]}
    assert raised == ({flag} if flag else set())


def test_empty_organisation_is_taken_from_the_file(reference):
    canonical, flags = normalise_organisation(pd.Series([""]), pd.Series(["Politie"]), reference)
    assert canonical.iloc[0] == "Politie" and flags["org_inferred"].iloc[0]


@pytest.mark.parametrize(
    ("raw", "text", "expected", "flag"),
    [
        pytest.param("Opvang van slachtoffers", "", "opvang", None, id="label"),
        pytest.param("klant aanpak", "", "klantaanpak", None, id="alias"),
        pytest.param("Criminele uitbuitng", "", "criminele_uitbuiting", "theme_fuzzy", id="typo"),
        pytest.param(
            "",
            "Analyse online advertenties en webcam platforms",
            "technologie",
            "theme_inferred",
            id="inferred",
        ),
        pytest.param(
            "Wonen",
            "Kamers voor jongeren op school",
            "minderjarigen",
            "theme_inferred",
            id="unknown",
        ),
        pytest.param("", "Iets heel anders", "overig", "theme_unknown", id="overig"),
    ],
)
def test_themes_become_slugs(reference, raw, text, expected, flag):
    slug, flags = normalise_theme(pd.Series([raw]), pd.Series([text]), reference)
    assert slug.iloc[0] == expected
    raised = {c for c in flags.columns if flags[c].iloc[0]}
    assert raised == ({flag} if flag else set())


def test_ids_depend_on_organisation_and_normalised_title_only():
    a = make_proposal_ids(
        pd.Series(["Politie", "politie", "Politie"]),
        pd.Series(["Meldpunt online", "Meldpunt  Online.", "Ander voorstel"]),
    )
    assert a.iloc[0] == a.iloc[1] != a.iloc[2]
    assert a.str.match(r"^P-[0-9a-f]{8}$").all()


def test_duplicates_merge_exact_and_near_and_flag_possible():
    theme = pd.Series(["t"] * 5 + ["u"])
    keys = pd.Series(
        [
            "meldpunt online uitbuiting",
            "meldpunt online uitbuiting",
            "meldpunt online uitbuitingen",
            "meldpunt voor online uitbuiting",
            "iets anders",
            "meldpunt online uitbuiting",
        ]
    )
    groups, near = find_duplicates(theme, keys, merge_at=0.93, flag_at=0.80)
    assert groups[0] == groups[1] == groups[2]  # equal and near-equal titles in one theme
    assert groups[5] != groups[0]  # the same title in another theme is another proposal
    assert groups[4] != groups[0]
    assert any("meldpunt voor online uitbuiting" in pair for pair in near)


@pytest.fixture(scope="module")
def bundled_clean(reference, bundled_raw):
    return clean_raw(bundled_raw, reference).result


def test_every_row_is_accounted_for(bundled_clean):
    acc = bundled_clean.accounting
    skipped = acc[SKIPPED_COUNTS].sum(axis=1)
    assert (acc["rows_in"] == acc["in_proposals"] + acc["rejected"] + skipped).all()
    assert acc["rows_in"].sum() == 55
    assert acc["in_proposals"].sum() == bundled_clean.proposals["merged_rows"].sum()
    assert acc["merged"].sum() == 3


def test_bundled_data_cleans_to_the_contract(bundled_clean, reference):
    p = bundled_clean.proposals
    assert len(p) == 49
    assert p["proposal_id"].is_unique
    assert set(p["organisation"]) <= set(reference.org_long_names)  # every organisation canonical
    assert set(p["theme"]) <= {
        "klantaanpak",
        "minderjarigen",
        "criminele_uitbuiting",
        "opvang",
        "technologie",
    }
    assert bundled_clean.rejected.empty
    meldpunt = p[p["title"].str.startswith("Landelijk meldpunt")].iloc[0]
    assert meldpunt["organisation"] == "JenV" and meldpunt["co_submitters"] == "Politie;Rode Kruis"
    assert (
        meldpunt["appraisal"] == "kansrijk"
    )  # appraised under the Politie row, found via the merge
    assert "duplicate_merged" in meldpunt["data_issues"]


@pytest.mark.parametrize(
    ("title", "s_lo", "s_hi", "i_lo", "i_hi"),
    [
        pytest.param(
            "Uitbreiding teams criminele uitbuiting", 450_000, 450_000, 0, 0, id="x1000-header"
        ),
        pytest.param(
            "Jeugdrechercheurs mensenhandel", 0, 0, 1_200_000, 1_200_000, id="per-jaar-looptijd"
        ),
        pytest.param("Nazorg na de opvang", 0, 0, 600_000, 600_000, id="per-jaar-period"),
        pytest.param(
            "Datadashboard signalen mensenhandel",
            50_000,
            50_000,
            150_000,
            150_000,
            id="combination",
        ),
        pytest.param(
            "Registratiesysteem slachtoffers vernieuwen", 0, 0, 300_000, 500_000, id="tussen-ton"
        ),
        pytest.param("Meer inspecteurs arbeidsuitbuiting", 400_000, 400_000, 0, 0, id="fte"),
        pytest.param(
            "Signalering in het onderwijs", 0, 0, 1_500_000, 1_500_000, id="incidenteel-period"
        ),
        pytest.param(
            "Regionale barrièremodellen criminele uitbuiting",
            0,
            0,
            400_000,
            400_000,
            id="per-regio",
        ),
        pytest.param("Preventie loverboys op scholen", 95_000, 95_000, 0, 0, id="number-cell"),
    ],
)
def test_bundled_amounts_read_as_a_person_would(bundled_clean, title, s_lo, s_hi, i_lo, i_hi):
    row = bundled_clean.proposals.set_index("title").loc[title]
    assert (
        row["structural_low_eur"],
        row["structural_high_eur"],
        row["incidental_low_eur"],
        row["incidental_high_eur"],
    ) == (s_lo, s_hi, i_lo, i_hi)


def test_ids_survive_renamed_files_reordered_rows_and_new_proposals(
    reference, bundled_raw, tmp_path, bundled_clean
):
    import csv

    for f in bundled_raw.iterdir():
        if f.name != "README.md":
            shutil.copy(
                f,
                tmp_path
                / ("renamed_" + f.name if not f.name.startswith("appreciaties") else f.name),
            )
    vng = tmp_path / "renamed_vng_voorstellen.csv"
    rows = list(csv.reader(vng.read_text(encoding="cp1252").splitlines(), delimiter=";"))
    rows = [
        rows[0],
        *reversed(rows[1:]),
        ["VNG", "Opvang", "Een nieuw voorstel", "", "€ 10.000", "eenmalig", "", "", "", ""],
    ]
    vng.write_text("\n".join(";".join(r) for r in rows), encoding="cp1252")
    again = clean_raw(tmp_path, reference).result.proposals
    before = bundled_clean.proposals.set_index("proposal_id")["title"]
    after = again.set_index("proposal_id")["title"]
    assert before.index.isin(after.index).all()
    assert len(after) == len(before) + 1


def test_appraisal_problems_are_reported_not_dropped(reference, bundled_raw, tmp_path):
    for f in bundled_raw.iterdir():
        shutil.copy(f, tmp_path / f.name)
    with (tmp_path / "appreciaties.csv").open("a", encoding="utf-8") as fh:
        fh.write(
            "Politie;Bestaat niet;kansrijk;\nPolitie;Webcrawler voor advertentiesites;misschien;\n"
        )
    issues = clean_raw(tmp_path, reference).result.issues
    codes = set(issues["code"])
    assert {"appraisal_unmatched", "appraisal_unknown_value"} <= codes


def test_a_new_layout_following_the_conventions_needs_no_code_change(reference, tmp_path):
    """Title rows, reordered English/Dutch headers, a unit note, a totals row: read without new code."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Input februari"
    ws.append(["Stichting Fier - aanvullende voorstellen"])
    ws.append(["concept"])
    ws.append(
        ["Bedrag (x € 1.000)", "Voorstel", "Type kosten", "Theme", "Korte omschrijving", "Periode"]
    )
    ws.append(
        [
            120,
            "Preventie op scholen in Friesland",
            "per jaar",
            "Minderjarigen",
            "Lessen",
            "2025-2026",
        ]
    )
    ws.append(["2 à 3 ton", "Vervolgzorg jonge slachtoffers", "eenmalig", "Opvang", "Zorg", ""])
    ws.append(["Totaal", None, None, None, None, None])
    wb.save(tmp_path / "fier_nieuw.xlsx")
    result = clean_raw(tmp_path, reference).result
    p = result.proposals.set_index("title")
    assert set(p["organisation"]) == {"Fier"}  # from the title row: no organisation column at all
    assert p.loc["Preventie op scholen in Friesland", "incidental_low_eur"] == 240_000
    assert p.loc["Vervolgzorg jonge slachtoffers", "incidental_high_eur"] == 300_000
    assert result.accounting["skipped_totals"].sum() == 1 and result.rejected.empty
