"""reports/te-beoordelen.xlsx: the analyst's review queue as a workbook (internal).

One row per question (review.build_questions): what the partner wrote and where, the reading the
run used and the alternatives it saw; then yellow columns for the analyst's decision, with
dropdowns where the choice is a code. Saved as data/raw/beoordelingen.xlsx, it is read back by
review.read_decisions by these same headers. It holds nothing the internal nota does not: no
contact details. Submitted text is written as text, never as a formula.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from stmh_analysis.outputs import AMOUNT_COLUMNS
from stmh_analysis.report.cells import FIGURES, PLACE, Col, cell_value, write_instructions
from stmh_analysis.report.format import XLSX_EURO_FORMAT
from stmh_analysis.review_rules import ReviewRules
from stmh_analysis.store import atomic_path

SHEET, HELP_SHEET, LISTS_SHEET = "Vragen", "Toelichting", "Lijsten"
SHOWN = [
    Col("Vraag", "question_id"),
    Col("Status", "status"),
    Col("Soort vraag", "kind_label"),
    Col("Organisatie", "organisation"),
    Col("Thema", "theme_label"),
    Col("Titel voorstel", "title", "long"),
    Col("Omschrijving", "summary", "long"),
    Col("Tekst van de partner", "partner_text", "long"),
    *PLACE,
    Col("Opmerking", "remark", "long"),
    Col("Gebruikte lezing", "reading", "long"),
    Col("Andere lezingen", "alternatives", "long"),
    Col("Eerder besluit", "earlier_decision", "long"),
]
DECIDED = [
    Col("Besluit", "decision_label"),
    *FIGURES,
    Col("Thema (besluit)", "decided_theme"),
    Col("Organisatie (besluit)", "decided_organisation"),
    Col("Reden", "reason", "long"),
    Col("Beoordeeld door", "decided_by"),
    Col("Datum", "decided_on"),
]
KEYS = [Col("Kenmerk", "proposal_id"), Col("Controlecode", "fingerprint")]
COLUMNS = [*SHOWN, *DECIDED, *KEYS]
# read back under the name of the field a decision has
COLUMNS = [
    Col(c.header, {"decision_label": "decision", "source_file": "source_file_seen",
                   "source_row": "source_row_seen"}.get(c.source, c.source), c.kind)
    for c in COLUMNS
]  # fmt: skip

INSTRUCTIONS = [
    "Te beoordelen: de vragen die de run niet zelf kon beantwoorden",
    "",
    "Elke regel op het blad Vragen is één vraag over één voorstel: een bedrag dat op meer manieren "
    "te lezen is of waarbij de run iets aannam, een thema of organisatie die is afgeleid, een "
    "mogelijk dubbel voorstel, of een mogelijk subtotaal. Links staat wat de partner schreef en "
    "waar, en welke lezing de run gebruikte; de gele kolommen zijn voor uw besluit.",
    "",
    "Zo werkt het",
    "• Kies bij Besluit: 'lezing klopt' (de run las het goed), 'aangepast' (vul dan de bedragen en "
    "jaren, het thema of de organisatie in), 'samenvoegen' (bij een mogelijk dubbel voorstel) of "
    "'intrekken' (de regel is geen voorstel, zoals een subtotaal).",
    "• Bedragen in hele euro's; structureel per jaar, incidenteel in totaal. Laat hoog leeg als "
    "het één bedrag is.",
    "• Vul Reden, Beoordeeld door en Datum in: de nota en de release leggen vast wie wat besloot.",
    "• Sla het bestand op als data/raw/beoordelingen.xlsx en voer stmh run uit. Regels zonder "
    "besluit blijven open.",
    "",
    "Wat de run met een besluit doet",
    "• Een besluit geldt zolang de tekst van de partner gelijk blijft (de Controlecode). Stuurt de "
    "partner een gewijzigd bestand, dan wordt het besluit niet toegepast: de vraag staat weer "
    "open, met het eerdere besluit en beide versies erbij.",
    "• Een besluit voor een voorstel dat niet meer bestaat wordt gemeld, niet stil weggelaten. Een "
    "voorstel dat de partner hernoemde houdt zijn besluit.",
    "• Besluiten die al genomen zijn staan hier ingevuld (status 'besloten'): sla het hele blad "
    "op, dan blijven ze gelden.",
    "",
    "Dit werkblad is intern, zoals de nota.",
]


def review_frame(
    questions: pd.DataFrame, rules: ReviewRules, theme_labels: Mapping[str, str]
) -> pd.DataFrame:
    """The questions in the workbook's words: labels for kinds, themes and decisions."""
    frame = questions.copy()
    frame["kind_label"] = frame["kind"].map(
        lambda k: rules.kinds[k].label if k in rules.kinds else k
    )
    frame["theme_label"] = frame["theme"].map(lambda t: theme_labels.get(t, t))
    frame["decision_label"] = frame["decision"].map(lambda d: rules.decision_labels.get(d, d))
    frame["decided_theme"] = frame["decided_theme"].map(lambda t: theme_labels.get(t, t))
    order = {"opnieuw open": 0, "open": 1, "besloten": 2}
    frame["_o"] = frame["status"].map(order)
    frame = frame.sort_values(["_o", "source_file", "question_id"], kind="stable")
    return frame.drop(columns="_o").reset_index(drop=True)


def write_review_workbook(
    target: Path, questions: pd.DataFrame, rules: ReviewRules, reference
) -> None:
    """Write the review queue to `target` atomically: sheets Toelichting, Vragen and Lijsten."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    frame = review_frame(questions, rules, reference.theme_labels)
    wb = Workbook()
    help_sheet = wb.active
    help_sheet.title = HELP_SHEET
    write_instructions(help_sheet, INSTRUCTIONS)

    ws = wb.create_sheet(SHEET)
    decided = {c.header for c in DECIDED}
    yellow = PatternFill("solid", fgColor="FFF2CC")
    records = frame.to_dict("records")
    sources = {c.header: c for c in [*SHOWN, *DECIDED, *KEYS]}
    for j, col in enumerate(COLUMNS, start=1):
        cell = ws.cell(row=1, column=j, value=col.header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if col.header in decided:
            cell.fill = yellow
        source = sources[col.header].source
        for i, rec in enumerate(records, start=2):
            value = cell_value(rec.get(source), col.kind) if _present(rec.get(source)) else None
            c = ws.cell(row=i, column=j, value=value)
            if c.data_type == "f":  # submitted text that starts with '=' stays text
                c.data_type = "s"
            if col.kind == "eur":
                c.number_format = XLSX_EURO_FORMAT
            c.alignment = Alignment(wrap_text=col.kind == "long", vertical="top")
            if col.header in decided:
                c.fill = yellow
        width = 40 if col.kind == "long" else max(10, min(28, len(col.header) + 2))
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.freeze_panes = "B2"
    last_row = max(2, len(records) + 1)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{last_row}"

    _add_choices(wb, ws, rules, reference, last_row)
    wb.active = wb.sheetnames.index(SHEET)
    with atomic_path(target) as tmp:
        wb.save(tmp)


def _add_choices(wb, ws, rules: ReviewRules, reference, last_row: int) -> None:
    """The dropdowns (decision, theme, organisation; their values on the Lijsten sheet) and the
    number and year checks of the yellow columns."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    lists = wb.create_sheet(LISTS_SHEET)
    choices = {
        "Besluit": list(rules.decision_labels.values()),
        "Thema (besluit)": list(reference.theme_labels.values()),
        "Organisatie (besluit)": sorted(reference.org_long_names),
    }
    letter = {c.header: get_column_letter(j) for j, c in enumerate(COLUMNS, start=1)}
    rows = f"2:{max(last_row, 200)}"
    for k, (header, values) in enumerate(choices.items(), start=1):
        lists.cell(row=1, column=k, value=header).font = Font(bold=True)
        for i, value in enumerate(values, start=2):
            lists.cell(row=i, column=k, value=value)
        lists.column_dimensions[get_column_letter(k)].width = 34
        col = get_column_letter(k)
        check = DataValidation(
            type="list",
            formula1=f"{quote_sheetname(LISTS_SHEET)}!${col}$2:${col}${len(values) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning" if header.startswith("Organisatie") else "stop",
            errorTitle=header,
            error=f"Kies een waarde uit de lijst (blad {LISTS_SHEET}).",
        )
        first, _, end = rows.partition(":")
        check.add(f"{letter[header]}{first}:{letter[header]}{end}")
        ws.add_data_validation(check)
    for header, kind in ((c.header, c.kind) for c in DECIDED if c.kind in ("eur", "int")):
        check = DataValidation(
            type="decimal" if kind == "eur" else "whole",
            operator="between",
            formula1="0" if kind == "eur" else "1900",
            formula2="1000000000" if kind == "eur" else "2100",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=header,
            error="Een bedrag in hele euro's (0 of meer)" if kind == "eur" else "Een jaartal",
        )
        first, _, end = rows.partition(":")
        check.add(f"{letter[header]}{first}:{letter[header]}{end}")
        ws.add_data_validation(check)


def keep_filled_in(target: Path, stamp: str) -> Path | None:
    """An analyst who typed decisions into the review workbook itself (instead of a copy in
    data/raw) would lose them when the run writes a new one: such a workbook is moved aside to
    `te-beoordelen (ingevuld STAMP).xlsx` first, and its path returned."""
    from openpyxl import load_workbook

    if not target.is_file():
        return None
    try:
        ws = load_workbook(target, read_only=True)[SHEET]
        rows = ws.iter_rows(values_only=True)
        head = list(next(rows))
        status, decision = head.index("Status"), head.index("Besluit")
        typed = any(
            r[decision] not in (None, "") and r[status] != "besloten"
            for r in rows
            if len(r) > decision
        )
    except (OSError, KeyError, ValueError, StopIteration, TypeError):
        return None
    if not typed:
        return None
    aside = target.with_name(f"{target.stem} (ingevuld {stamp}){target.suffix}")
    target.replace(aside)
    return aside


def _present(value: object) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return value != ""
    return not pd.isna(value)


__all__ = ["COLUMNS", "write_review_workbook", "review_frame", "AMOUNT_COLUMNS"]
