"""The submission workbook partners fill in (`stmh template PAD`).

One sheet `Voorstellen` with the contract's columns under the headers `data/reference/headers.yaml`
knows, a note on every header, dropdowns (data validation) for organisation, theme and basis, a
numeric cost cell in whole euros (or `p.m.`); a sheet `Toelichting` with the instructions and a
sheet `Keuzelijsten` with the lists the dropdowns use. Everything in the lists comes from
`data/reference/` (organisations, themes), so a new alias or theme reaches the template without
code. A filled-in template reads with no remark at all: ingest knows the two helper sheets.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from stmh_analysis.reference import Reference

DATA_SHEET = "Voorstellen"
HELP_SHEET = "Toelichting"
LISTS_SHEET = "Keuzelijsten"
ROWS = 200  # rows with dropdowns and checks; more can be added by copying a row
BASIS_CHOICES = ("structureel", "eenmalig", "per jaar met looptijd")
COST_HEADER = "Indicatieve kosten (€)"


@dataclass(frozen=True)
class TemplateColumn:
    header: str  # as headers.yaml knows it
    note: str  # shown on the header and when a cell is selected
    width: int


COLUMNS = (
    TemplateColumn("Organisatie", "Kies uw organisatie uit de lijst.", 24),
    TemplateColumn("Thema", "Kies het thema uit de lijst; één thema per voorstel.", 28),
    TemplateColumn("Titel voorstel", "Korte, unieke titel (hoogstens één regel).", 40),
    TemplateColumn("Omschrijving", "Wat houdt het voorstel in? Een paar zinnen.", 60),
    TemplateColumn(
        COST_HEADER,
        "Een bedrag in hele euro's als getal, zonder punt of €-teken: 250000. "
        "Nog niet te ramen: typ p.m.",
        20,
    ),
    TemplateColumn(
        "Structureel/incidenteel",
        "structureel: elk jaar, zonder einddatum; eenmalig: één keer in totaal; "
        "per jaar met looptijd: elk jaar, alleen in de jaren bij Looptijd.",
        24,
    ),
    TemplateColumn(
        "Looptijd",
        "Alleen bij 'per jaar met looptijd': eerste en laatste jaar, bijvoorbeeld 2024-2026.",
        14,
    ),
    TemplateColumn("Toelichting kosten", "Waar bestaat het bedrag uit? (fte, opdrachten, ...)", 40),
    TemplateColumn("Contactpersoon", "Wie kan vragen over dit voorstel beantwoorden?", 24),
    TemplateColumn("E-mail", "E-mailadres van de contactpersoon.", 28),
)

INSTRUCTIONS = (
    "Aanvullende voorstellen Samen tegen mensenhandel: invulblad",
    "",
    f"Vul op het blad '{DATA_SHEET}' één regel per voorstel in. Laat de kolomnamen staan en voeg "
    "geen kolommen of bladen toe: dan kan het ministerie uw voorstellen zonder overtypen inlezen.",
    "",
    "Kosten",
    "• Indicatieve kosten: één bedrag in hele euro's, als getal (250000, niet '€ 250.000,-' of "
    "'2,5 ton'). Het blad toont het als € 250.000.",
    "• Kunt u de kosten nog niet ramen, typ dan p.m.",
    "• Structureel/incidenteel: structureel = elk jaar, zonder einddatum; eenmalig = één keer, "
    "het bedrag is het totaal; per jaar met looptijd = het bedrag per jaar, alleen in de jaren "
    "die u bij Looptijd invult (bijvoorbeeld 2024-2026).",
    "• Capaciteit in fte? Reken die om naar euro's en noem de fte in Toelichting kosten.",
    "",
    "Keuzes",
    "• Organisatie en Thema kiest u uit een lijst (klik op de cel en dan op het pijltje). "
    "Staat uw organisatie er niet bij, typ dan de volledige naam.",
    "",
    "Privacy",
    "• Contactpersoon en e-mail zijn alleen voor het ministerie en worden niet openbaar gemaakt.",
)


# Our own helper sheets, by name and first cell: ingest reads past them without a remark (a
# partner's own 'Toelichting' sheet is still named as not read).
HELPER_SHEETS = {HELP_SHEET: INSTRUCTIONS[0], LISTS_SHEET: "Organisatie"}


def write_template(target: Path, reference: Reference) -> None:
    """Write the submission workbook to `target` (.xlsx): instructions, the data sheet with its
    checks, and the lists the dropdowns offer."""
    from openpyxl import Workbook

    from stmh_analysis.report.cells import write_instructions
    from stmh_analysis.store import atomic_path

    wb = Workbook()
    data = wb.active
    data.title = DATA_SHEET
    letters = write_header_row(data)
    choices = dropdown_choices(reference)
    write_lists_sheet(wb.create_sheet(LISTS_SHEET), choices)
    for header, validation in validations(choices, letters[COST_HEADER]).items():
        validation.add(f"{letters[header]}2:{letters[header]}{ROWS + 1}")
        data.add_data_validation(validation)
    write_instructions(wb.create_sheet(HELP_SHEET, 0), INSTRUCTIONS)
    wb.active = wb.sheetnames.index(DATA_SHEET)
    with atomic_path(target) as tmp:
        wb.save(tmp)


def write_header_row(sheet) -> dict[str, str]:
    """The contract's headers in row 1, each with its note, width and the house colours; the
    cost column formatted in euros. Returns each header's column letter."""
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from stmh_analysis.report.format import XLSX_EURO_FORMAT

    letters = {c.header: get_column_letter(i) for i, c in enumerate(COLUMNS, start=1)}
    for i, col in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=i, value=col.header)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="154273")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        cell.comment = Comment(col.note, "Ministerie van JenV", width=300, height=90)
        sheet.column_dimensions[letters[col.header]].width = col.width
    sheet.freeze_panes = "A2"
    sheet.column_dimensions[letters[COST_HEADER]].number_format = XLSX_EURO_FORMAT
    return letters


def dropdown_choices(reference: Reference) -> dict[str, list[str]]:
    """What each dropdown offers, by header: organisations and themes from data/reference/."""
    return {
        "Organisatie": sorted(reference.org_long_names),
        "Thema": list(reference.theme_labels.values()),
        "Structureel/incidenteel": list(BASIS_CHOICES),
    }


def write_lists_sheet(sheet, choices: dict[str, list[str]]) -> None:
    """One column per dropdown, its header in row 1 (the order `dropdown` counts on)."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    for j, (name, values) in enumerate(choices.items(), start=1):
        sheet.cell(row=1, column=j, value=name).font = Font(bold=True)
        for i, value in enumerate(values, start=2):
            sheet.cell(row=i, column=j, value=value)
        sheet.column_dimensions[get_column_letter(j)].width = 30


def validations(choices: dict[str, list[str]], cost_letter: str) -> dict:
    """The check on each checked column, by header: a dropdown for the lists (an unknown
    organisation only warns, a theme or basis must come from the list), a number or p.m. for
    the cost."""
    from openpyxl.worksheet.datavalidation import DataValidation

    cost = DataValidation(
        type="custom",
        formula1=f'OR(ISNUMBER({cost_letter}2),{cost_letter}2="p.m.")',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Indicatieve kosten",
        error="Typ een bedrag in hele euro's als getal (250000), of p.m.",
        promptTitle=COST_HEADER,
        prompt=column_note(COST_HEADER),
    )
    strict = {"Organisatie": False, "Thema": True, "Structureel/incidenteel": True}
    return {h: dropdown(h, choices, strict[h]) for h in choices} | {COST_HEADER: cost}


def dropdown(header: str, choices: dict[str, list[str]], strict: bool):
    """A list check on `header`'s column that offers the values of its column in the lists
    sheet; `strict` refuses other values, otherwise Excel warns."""
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    col = get_column_letter(list(choices).index(header) + 1)
    source = f"{quote_sheetname(LISTS_SHEET)}!${col}$2:${col}${len(choices[header]) + 1}"
    return DataValidation(
        type="list",
        formula1=source,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop" if strict else "warning",
        errorTitle=header,
        error=f"Kies een waarde uit de lijst ({LISTS_SHEET}).",
        promptTitle=header,
        prompt=column_note(header),
    )


def column_note(header: str) -> str:
    """The note the template shows on a header and when one of its cells is selected."""
    return next(c.note for c in COLUMNS if c.header == header)
