"""The submission template: what partners get, and that a filled-in one reads without a remark."""

from __future__ import annotations

import openpyxl
import pytest

from stmh_analysis import steps
from stmh_analysis.cli import main
from stmh_analysis.template import COLUMNS, DATA_SHEET, HELP_SHEET, LISTS_SHEET, write_template

FILLED = [
    # organisation, theme, title, summary, cost, basis, period, cost note, contact, e-mail
    ["VNG", "Opvang van slachtoffers", "Extra opvangplekken", "Twintig plekken.", 250000,
     "structureel", None, "10 plekken à € 25.000", "A. Jansen", "a.jansen@vng.example"],
    ["Fier", "Bescherming van minderjarigen", "Training professionals", "Signalen herkennen.",
     120000, "eenmalig", None, None, "B. de Vries", "b@fier.example"],
    ["CoMensha", "Technologie", "Datadeling pilot", "Een pilot.", 80000,
     "per jaar met looptijd", "2024-2026", None, "C. Bakker", "c@comensha.example"],
    ["OM", "Criminele uitbuiting", "Nog te ramen", "Onderzoek.", "p.m.", "structureel", None,
     None, "D. Smit", "d@om.example"],
]  # fmt: skip


@pytest.fixture
def template(tmp_path, reference):
    path = tmp_path / "invulblad.xlsx"
    write_template(path, reference)
    return path


def test_the_template_has_headers_notes_dropdowns_and_instructions(template, reference):
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames == [HELP_SHEET, DATA_SHEET, LISTS_SHEET]
    assert wb.active.title == DATA_SHEET
    ws = wb[DATA_SHEET]
    headers = [c.value for c in ws[1]]
    assert headers == [c.header for c in COLUMNS]
    assert all(c.comment is not None and c.comment.text for c in ws[1])
    assert ws.freeze_panes == "A2"
    lists = {
        str(v.sqref).split(":")[0][0]: v for v in ws.data_validations.dataValidation
    }  # column letter -> validation
    letter = {h: chr(ord("A") + i) for i, h in enumerate(headers)}
    for header in ("Organisatie", "Thema", "Structureel/incidenteel"):
        assert lists[letter[header]].type == "list", header
        assert LISTS_SHEET in lists[letter[header]].formula1
    assert lists[letter["Indicatieve kosten (€)"]].type == "custom"
    choices = {c[0].value: [x.value for x in c[1:] if x.value] for c in wb[LISTS_SHEET].columns}
    assert choices["Thema"] == list(reference.theme_labels.values())
    assert set(choices["Organisatie"]) == set(reference.org_long_names)
    assert choices["Structureel/incidenteel"] == [
        "structureel",
        "eenmalig",
        "per jaar met looptijd",
    ]
    assert "€" in ws.column_dimensions[letter["Indicatieve kosten (€)"]].number_format
    help_text = " ".join(str(c.value) for c in wb[HELP_SHEET]["A"] if c.value)
    assert "p.m." in help_text and "per jaar met looptijd" in help_text


def test_a_filled_in_template_reads_with_no_remark(template, tmp_path, reference):
    wb = openpyxl.load_workbook(template)
    for row in FILLED:
        wb[DATA_SHEET].append(row)
    raw = tmp_path / "raw"
    raw.mkdir()
    wb.save(raw / "partner_invulblad.xlsx")
    out = steps.clean_raw(raw, reference)
    assert out.result.issues.empty, out.result.issues[["code", "message"]].to_string()
    p = out.result.proposals.set_index("title")
    assert len(p) == 4 and out.result.rejected.empty
    assert p.loc["Extra opvangplekken", "structural_low_eur"] == 250_000
    assert p.loc["Extra opvangplekken", "theme"] == "opvang"
    assert p.loc["Training professionals", "incidental_high_eur"] == 120_000
    pilot = p.loc["Datadeling pilot"]
    assert (pilot["incidental_low_eur"], pilot["first_year"], pilot["last_year"]) == (
        240_000,
        2024,
        2026,
    )
    assert p.loc["Nog te ramen", "cost_status"] == "pm"
    assert p.loc["Training professionals", "organisation"] == "Fier"


def test_stmh_template_writes_once_and_refuses_to_overwrite(tmp_path, capsys):
    target = tmp_path / "invulblad.xlsx"
    assert main(["template", str(target)]) == 0
    assert target.is_file()
    assert main(["template", str(target)]) == 2
    assert "bestaat al" in capsys.readouterr().err
    assert main(["template", str(tmp_path / "invulblad.csv")]) == 2
