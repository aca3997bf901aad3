"""The workbooks beside the PDFs: `voorstellen.xlsx` (internal) and `bijlage.xlsx` (public).

Colleagues and partners work in Excel, so the tables come as a real workbook (openpyxl): Dutch
headers, amounts as numbers in a euro format, a frozen header row, filters, one sheet per table.
Submitted text is always written as text, never as a formula, whatever it starts with. The public
workbook is built from `document.public_view` and the bijlage's appraisal rule, as the bijlage is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from stmh_analysis.outputs import AMOUNT_COLUMNS
from stmh_analysis.publication import published
from stmh_analysis.report.cells import FIGURES, PLACE, Col, cell_value
from stmh_analysis.report.document import BriefingData, public_view, reason_text
from stmh_analysis.report.format import XLSX_EURO_FORMAT, dutch_date
from stmh_analysis.store import atomic_path


@dataclass(frozen=True)
class Sheet:
    name: str  # at most 31 characters (Excel's limit)
    frame: pd.DataFrame
    columns: Sequence[Col]
    frozen_columns: int = 0  # columns that stay in view when scrolling right (the title)
    preamble: tuple[str, ...] = ()  # lines above the table: title, date, caveat (public sheet)


@dataclass(frozen=True)
class About:
    """What a workbook says about itself: its title and author (the directorate), in Dutch."""

    title: str = ""
    author: str = ""


def write_workbook(target: Path, sheets: Sequence[Sheet], about: About = About()) -> None:
    """Write the sheets to `target` atomically (a half-written workbook never replaces a good one):
    each sheet an Excel Table (a defined header row, filters), the header frozen, printed on A4
    landscape one page wide with the header repeated; title, language and author in the
    workbook's properties, never the tool's name."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.table import Table, TableStyleInfo

    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title = about.title or None
    wb.properties.creator = about.author or "Ministerie van Justitie en Veiligheid"
    wb.properties.lastModifiedBy = about.author or None
    wb.properties.language = "nl-NL"
    for number, sheet in enumerate(sheets, start=1):
        ws = wb.create_sheet(sheet.name[:31])
        top = _write_preamble(ws, sheet)  # the header row
        for j, col in enumerate(sheet.columns, start=1):
            cell = ws.cell(row=top, column=j, value=col.header)
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        records = sheet.frame.to_dict("records")
        for i, rec in enumerate(records, start=top + 1):
            for j, col in enumerate(sheet.columns, start=1):
                cell = ws.cell(row=i, column=j, value=cell_value(rec.get(col.source), col.kind))
                if col.kind == "eur":
                    cell.number_format = XLSX_EURO_FORMAT
                elif cell.data_type == "f":  # text such as '=HYPERLINK(..)' stays text
                    cell.data_type = "s"
                if col.kind == "long":
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                else:
                    cell.alignment = Alignment(vertical="top")
        for j, col in enumerate(sheet.columns, start=1):
            longest = max(
                [len(col.header) / 2, *(len(str(r.get(col.source) or "")) for r in records[:500])]
            )
            cap = 60 if col.kind == "long" else 40
            ws.column_dimensions[get_column_letter(j)].width = max(8, min(cap, longest + 2))
        ws.freeze_panes = f"{get_column_letter(sheet.frozen_columns + 1)}{top + 1}"
        last = get_column_letter(len(sheet.columns))
        table = Table(
            displayName=f"Tabel{number}", ref=f"A{top}:{last}{top + max(1, len(records))}"
        )
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight1", showRowStripes=True)
        ws.add_table(table)
        ws.print_title_rows = f"{top}:{top}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = ws.PAPERSIZE_A4
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    with atomic_path(target) as tmp:
        wb.save(tmp)


def _write_preamble(ws, sheet: Sheet) -> int:
    """The sheet's title, date and caveat above its table (the first line bold), each across
    the table's width; returns the row of the table's header."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    last = get_column_letter(len(sheet.columns))
    for row, line in enumerate(sheet.preamble, start=1):
        cell = ws.cell(row=row, column=1, value=line)
        cell.font = Font(bold=row == 1, size=13 if row == 1 else 11)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.merge_cells(f"A{row}:{last}{row}")
        ws.row_dimensions[row].height = 15 * max(1, -(-len(line) // 150))
    return len(sheet.preamble) + 2 if sheet.preamble else 1


# What the public workbook says above its table, as the bijlage says it: a figure in Excel is
# sorted and summed apart from its document, so the caveat travels with it.
PUBLIC_CAVEAT = (
    "De bedragen zijn indicatief: een eerste ruwe inschatting door de indienende partners. Ze "
    "zijn nog niet getoetst op uitvoerbaarheid en behoeven nadere uitwerking. Opname in dit "
    "overzicht is geen toezegging van financiering. Structurele bedragen zijn per jaar; "
    "incidentele bedragen zijn het totaal over de looptijd van het voorstel. Een voorstel zonder "
    "kostenraming (p.m.) heeft lege bedragcellen."
)


# --- what goes in ---------------------------------------------------------------------------------

_AMOUNTS = [*FIGURES, Col("Kosten", "cost_words")]


def _with_words(frame: pd.DataFrame, data: BriefingData) -> pd.DataFrame:
    """Theme label and a word for the cost status beside the slugs and codes; a p.m. proposal's
    cost cells stay empty (never € 0: summed or sorted in Excel, unknown costs would read as
    free), with 'p.m.' beside them; lists of names with '; '."""
    pm = frame["cost_status"] == "pm"
    out = frame.assign(
        theme_label=frame["theme"].map(data.theme_label),
        cost_words=frame["cost_status"].map(data.reference.labels.words("cost_status_explained")),
    )
    for column in AMOUNT_COLUMNS:
        out[column] = out[column].astype(float).mask(pm)
    if "co_submitters" in out.columns:
        out["co_submitters"] = out["co_submitters"].fillna("").str.replace(";", "; ")
    return out


def _theme_order(frame: pd.DataFrame, data: BriefingData) -> pd.Series:
    order = {slug: i for i, slug in enumerate(data.reference.theme_labels)}
    return frame["theme"].map(order)


def internal_sheets(data: BriefingData) -> list[Sheet]:
    """Ranking per theme with appraisal, the budget scenario, the scenarios, data quality."""
    rank = _ranking_rows(data)
    return [_ranking_sheet(rank), _budget_sheet(rank), _scenarios_sheet(data), _quality_sheet(data)]


def _ranking_rows(data: BriefingData) -> pd.DataFrame:
    """The ranking with the words beside its codes, whether each proposal is within the budget
    at either estimate, and where it came from; in theme order, then rank."""
    labels = data.reference.appraisal_labels
    rank = _with_words(data.ranking, data)
    port = data.portfolio.set_index("proposal_id")
    rank = rank.assign(
        appraisal_label=rank["appraisal"].fillna("").map(lambda a: labels.get(a, a)),
        in_budget_low=rank["proposal_id"].map(port["in_optimal_low"]).map({True: "ja"}),
        in_budget_high=rank["proposal_id"].map(port["in_optimal_high"]).map({True: "ja"}),
        issues_text=rank["data_issues"]
        .fillna("")
        .map(
            lambda s: "; ".join(data.reference.problem_texts.get(c, c) for c in s.split(";") if c)
        ),
        place=rank["source_file"]
        + rank["source_sheet"].fillna("").map(lambda s: f" ({s})" if s else "")
        + ", regel "
        + rank["source_row"].astype(str),
        _order=_theme_order(rank, data),
    ).sort_values(["_order", "rank_in_theme"])
    rank["in_budget_low"] = rank["in_budget_low"].fillna("nee")
    rank["in_budget_high"] = rank["in_budget_high"].fillna("nee")
    return rank


def _ranking_sheet(rank: pd.DataFrame) -> Sheet:
    return Sheet(
        "Rangschikking",
        rank,
        [
            Col("Thema", "theme_label"),
            Col("Nr. in thema", "rank_in_theme", "int"),
            Col("Voorstel", "title", "long"),
            Col("Indiener", "organisation"),
            Col("Mede-indieners", "co_submitters"),
            Col("Omschrijving", "summary", "long"),
            Col("Appreciatie", "appraisal_label"),
            Col("Toelichting appreciatie", "appraisal_note", "long"),
            *_AMOUNTS,
            Col("Verwachte kosten (€)", "expected_cost_eur", "eur"),
            Col("Binnen budget (lage raming)", "in_budget_low"),
            Col("Binnen budget (hoge raming)", "in_budget_high"),
            Col("Kosten zoals ingediend", "cost_text", "long"),
            Col("Opmerkingen bij het opschonen", "issues_text", "long"),
            Col("Bron", "place"),
            Col("Contactpersoon", "contact_person"),
            Col("E-mail", "contact_email"),
            Col("Kenmerk voorstel", "proposal_id"),
        ],
        frozen_columns=3,  # theme, rank and title stay in view
    )


def _scenarios_sheet(data: BriefingData) -> Sheet:
    costs = data.reference.labels.words("costs")
    scen = data.scenarios.assign(costs_words=data.scenarios["costs"].map(costs))
    return Sheet(
        "Scenario's",
        scen,
        [
            Col("Scenario", "label"),
            Col("Raming", "costs_words"),
            Col("Budget structureel (€ per jaar)", "budget_structural_eur", "eur"),
            Col("Budget incidenteel (€ totaal)", "budget_incidental_eur", "eur"),
            Col("Voorstellen gekozen", "proposals", "int"),
            Col("Structureel (€ per jaar)", "structural_eur", "eur"),
            Col("Incidenteel (€ totaal)", "incidental_eur", "eur"),
            Col("Niet besteed structureel (€)", "unspent_structural_eur", "eur"),
            Col("Niet besteed incidenteel (€)", "unspent_incidental_eur", "eur"),
            Col("Erbij t.o.v. basis", "enters", "long"),
            Col("Eraf t.o.v. basis", "leaves", "long"),
        ],
    )


def _budget_sheet(rank: pd.DataFrame) -> Sheet:
    """The proposals within the budget at either estimate."""
    chosen = rank[rank["in_budget_low"].eq("ja") | rank["in_budget_high"].eq("ja")]
    return Sheet(
        "Budgetscenario",
        chosen,
        [
            Col("Thema", "theme_label"),
            Col("Voorstel", "title", "long"),
            Col("Indiener", "organisation"),
            Col("Appreciatie", "appraisal_label"),
            *_AMOUNTS[:4],
            Col("Binnen budget (lage raming)", "in_budget_low"),
            Col("Binnen budget (hoge raming)", "in_budget_high"),
        ],
    )


def _quality_sheet(data: BriefingData) -> Sheet:
    levels = data.reference.labels.words("level")
    issues = data.issues.assign(
        level_words=data.issues["level"].map(levels).fillna(data.issues["level"]),
        reason=data.issues["code"].map(lambda c: reason_text(c, data.reference)),
    )
    return Sheet(
        "Datakwaliteit",
        issues,
        [
            Col("Soort", "level_words"),
            *PLACE,
            Col("Kolom", "column"),
            Col("Waarde", "value", "long"),
            Col("Wat er is", "reason", "long"),
            Col("Toelichting", "message", "long"),
            Col("Code", "code"),
        ],
    )


def public_sheets(
    data: BriefingData, public_appraisals: Sequence[str], day: str = ""
) -> list[Sheet]:
    """The public annex as a table: publishable columns of the published proposals only, under
    its title, date (`day`, ISO; empty: today) and caveat."""
    pub = public_view(data.proposals[published(data.proposals, public_appraisals)])
    order = data.ranking.set_index("proposal_id")["rank_in_theme"]
    pub = _with_words(pub, data)
    pub = pub.assign(_order=_theme_order(pub, data), _rank=pub["proposal_id"].map(order))
    pub = pub.sort_values(["_order", "_rank"])
    long_names = data.reference.org_long_names
    pub["organisation_long"] = pub["organisation"].map(lambda o: long_names.get(o, o))
    return [
        Sheet(
            "Voorstellen",
            pub,
            [
                Col("Thema", "theme_label"),
                Col("Voorstel", "title", "long"),
                Col("Indiener", "organisation_long"),
                Col("Mede-indieners", "co_submitters"),
                Col("Omschrijving", "summary", "long"),
                *_AMOUNTS,
            ],
            frozen_columns=2,  # theme and title stay in view
            preamble=(
                f"{data.reference.letter.subject or 'Voorstellen'}: overzicht voorstellen "
                "(bijlage bij de Kamerbrief)",
                f"Datum: {dutch_date(dt.date.fromisoformat(day) if day else dt.date.today())}",
                PUBLIC_CAVEAT,
            ),
        )
    ]


def changes_sheet(data: BriefingData, public_appraisals: Sequence[str] = ()) -> Sheet:
    """What changed since the version sent before, as the documents say it (for the public
    workbook only what the bijlage shows, never an appraisal)."""
    from stmh_analysis.report.document import change_words, changes

    found = changes(data, public=public_appraisals) if data.baseline is not None else None
    if found is None or found.empty:
        frame = pd.DataFrame(columns=["title", "organisation", "what", "old", "new"])
        release = data.baseline_release
        line = (
            "Er is nog geen eerder verzonden versie om mee te vergelijken."
            if release is None
            else f"Geen wijzigingen ten opzichte van de versie van {dutch_date(release.day)}."
        )
        return Sheet("Wijzigingen", frame, _CHANGE_COLS, preamble=(line,))
    frame = found.assign(
        what=[
            change_words(r, bool(public_appraisals), data.reference.labels)
            for r in found.to_dict("records")
        ]
    )
    if public_appraisals:  # organisations by the names the public bijlage uses
        long_names = data.reference.org_long_names
        frame["organisation"] = frame["organisation"].map(lambda o: long_names.get(o, o))
    since = f"Ten opzichte van de versie van {dutch_date(data.baseline_release.day)}"
    return Sheet("Wijzigingen", frame, _CHANGE_COLS, frozen_columns=1, preamble=(since,))


_CHANGE_COLS = [
    Col("Voorstel", "title", "long"),
    Col("Indiener", "organisation"),
    Col("Wijziging", "what"),
    Col("Was", "old", "long"),
    Col("Wordt", "new", "long"),
]


def write_document_workbook(
    audience: str,
    target: Path,
    *,
    processed_dir: str | Path | None = None,
    reference_dir: str | Path | None = None,
    public_appraisals: Sequence[str] | None = None,
    date: str = "",
    releases_dir: str | Path | None = None,
    compare_with: str = "",
) -> None:
    """The workbook that goes with the nota (internal) or the bijlage (public, dated `date`),
    with what changed since release `compare_with` (empty: the last one). `public_appraisals`
    None: those marked `public: true` in appraisals.yaml."""
    from stmh_analysis.paths import Paths
    from stmh_analysis.reference import load_reference
    from stmh_analysis.releases import find_release
    from stmh_analysis.report.document import load_briefing_data

    paths = Paths.default().with_overrides(
        processed=processed_dir, reference=reference_dir, releases=releases_dir
    )
    baseline = find_release(paths.releases, compare_with)
    data = load_briefing_data(paths.processed, load_reference(paths.reference), None, baseline)
    if public_appraisals is None:
        public_appraisals = data.reference.public_appraisals
    sheets = (
        [*internal_sheets(data), changes_sheet(data)]
        if audience == "nota"
        else [*public_sheets(data, public_appraisals, date), changes_sheet(data, public_appraisals)]
    )
    title = data.reference.memo.subject or "Voorstellen Samen tegen mensenhandel"
    kind = (
        "overzicht voorstellen (intern)" if audience == "nota" else "bijlage: overzicht voorstellen"
    )
    write_workbook(target, sheets, About(f"{title}: {kind}", data.reference.memo.sender))
