"""Problems found in the input: what, where (file, sheet, row, column) and why.

Every reader and cleaning step collects these instead of stopping at the first; `stmh check`
prints them, `stmh run` writes them to data/processed/issues.csv and the nota's annex.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

# level: "error" (a whole file could not be read: a partner's proposals are missing),
# "rejected" (the row is not used), "skipped" (not a data row: blank, totals, a note),
# "warning" (used, but look at it), "notice" (a sheet or column not read, with the reason).
LEVELS = ("error", "rejected", "skipped", "warning", "notice")
# What each data_issues code means, in words for the analyst (used in issues.csv and the nota).
ISSUE_TEXT = {
    "org_unknown": "organisation not in data/reference/organisations.yaml; kept as written",
    "org_fuzzy": "organisation matched to a close spelling; check",
    "org_inferred": "organisation cell empty; taken from the file's title rows or name",
    "theme_fuzzy": "theme matched to a close spelling",
    "theme_from_file": "theme cell empty; taken from a section row above or the sheet's name",
    "theme_inferred": "theme empty or unknown; inferred from title and description",
    "theme_unknown": "theme empty or unknown and not inferable; set to overig",
    "basis_assumed": "no period given (per jaar, eenmalig, ...); read as a one-off total",
    "amount_ambiguous": "the cost text allows more than one reading; the most plausible is used",
    "amount_missing": "no cost given; counted as p.m.",
    "amount_partly_pm": "part of the cost is p.m.; only the known part is counted",
    "amount_computed": "cost computed as a count times a unit price",
    "fte_converted": "capacity in fte converted to euros with the reference FTE rate",
    "duplicate_merged": "submitted more than once (same or near-same title in the theme); merged",
    "duplicate_amounts_differ": "merged duplicates state different costs; the first organisation's is used",
    "possible_duplicate": "title resembles another proposal in the theme; not merged, check",
    "text_repaired": "damaged characters (UTF-8 read as Windows-1252) repaired; check the text",
    "possible_subtotal": "the amount equals the sum of the rows above it; is it a subtotal?",
}
# Codes of rejected rows, in words.
REJECT_TEXT = {
    "missing_title": "no proposal title",
    "missing_organisation": "no organisation, and none in the file's title rows or name",
    "missing_cost_column": "the sheet has no cost column",
    "negative_amount": "a negative amount is not a cost",
    "range_reversed": "low estimate above the high estimate",
    "unknown_theme": "theme not a known slug",
}


# The same codes in Dutch, for the briefings (issues.csv keeps the detailed English message).
DUTCH_TEXT = {
    "org_unknown": "organisatie staat niet in de lijst (data/reference/organisations.yaml); overgenomen zoals geschreven",
    "org_fuzzy": "organisatie herkend aan een vergelijkbare schrijfwijze; controleren",
    "org_inferred": "organisatie niet ingevuld; afgeleid uit de titelregels of de bestandsnaam",
    "theme_fuzzy": "thema herkend aan een vergelijkbare schrijfwijze",
    "theme_from_file": "thema niet ingevuld; overgenomen uit een tussenkop erboven of de naam van het blad",
    "theme_inferred": "thema leeg of onbekend; afgeleid uit titel en omschrijving",
    "theme_unknown": "thema leeg of onbekend en niet af te leiden; ingedeeld bij Overig",
    "basis_assumed": "geen periode vermeld (per jaar, eenmalig, ...); gelezen als eenmalig totaalbedrag",
    "amount_ambiguous": "bedrag is op meer manieren te lezen; de meest aannemelijke lezing is gebruikt",
    "amount_missing": "geen bedrag ingevuld; geteld als p.m.",
    "amount_partly_pm": "deels p.m.; alleen het bekende deel is geteld",
    "amount_computed": "bedrag berekend als aantal maal prijs per eenheid",
    "fte_converted": "capaciteit in fte omgerekend met het fte-tarief",
    "duplicate_merged": "meer dan eens ingediend (gelijke titel binnen het thema); samengevoegd",
    "duplicate_amounts_differ": "samengevoegde indieningen noemen verschillende bedragen; die van de eerste indiener is gebruikt",
    "possible_duplicate": "titel lijkt op een ander voorstel in het thema; niet samengevoegd, controleren",
    "appraisal_unmatched": "appreciatie hoort bij geen enkel voorstel",
    "appraisal_unknown_value": "appreciatie is niet kansrijk, nader uitwerken of niet kansrijk",
    "appraisal_duplicate": "tweede appreciatie van hetzelfde voorstel; de eerste is gebruikt",
    "value_truncated": "zeer lange tekst ingekort",
    "encoding_guessed": "tekenset niet herkend; gelezen als Latin-1",
    "encoding_damaged": "bestand bevat beschadigde tekens",
    "missing_title": "geen titel",
    "missing_organisation": "geen organisatie, ook niet af te leiden",
    "missing_cost_column": "blad heeft geen kostenkolom",
    "negative_amount": "negatief bedrag",
    "range_reversed": "lage raming hoger dan hoge raming",
    "unknown_theme": "onbekend thema",
    "amount_implausible": "onwaarschijnlijk hoog bedrag (boven de aannemelijkheidsgrens in settings.yaml)",
    "amount_unreadable": "bedrag niet te lezen",
    "date_not_amount": "datum in plaats van bedrag",
    "formula": "formule zonder opgeslagen waarde",
    "error_value": "foutwaarde uit het rekenblad (zoals #REF!)",
    "empty_file": "leeg bestand",
    "empty_sheet": "leeg blad",
    "no_table": "geen herkenbare tabel (geen kopregel met een titelkolom); kolomnamen kunnen worden toegevoegd in data/reference/headers.yaml",
    "no_data_rows": "kopregel zonder gegevens eronder",
    "columns_unused": "kolommen niet gebruikt",
    "trailing_blank_rows": "lege regels onder de tabel genegeerd",
    "unreadable_file": "bestand niet te openen (beschadigd of een ander formaat)",
    "encrypted_or_xls": "beveiligd met een wachtwoord of oud .xls-formaat; niet te lezen",
    "not_csv": "geen CSV (bijvoorbeeld een opgeslagen webpagina)",
    "not_a_submission": "geen inzendingsformaat (.xlsx of .csv)",
    "duplicate_file": "zelfde bestand als een ander (identieke inhoud); niet dubbel gelezen",
    "appraisal_file_ignored": "tweede appreciatiebestand genegeerd",
    "note_row": "opmerkingsregel, geen voorstel",
    "text_repaired": "beschadigde tekens hersteld (UTF-8 gelezen als Windows-1252); tekst controleren",
    "possible_subtotal": "bedrag is gelijk aan de som van de regels erboven: mogelijk een subtotaal",
    "hidden_row": "verborgen regel; niet gelezen",
    "hidden_sheet": "verborgen blad; niet gelezen",
    "example_row": "voorbeeldregel uit het sjabloon; niet gelezen",
    "section_row": "tussenkop; geldt als thema voor de regels eronder",
    "subtotal_row": "subtotaalregel zonder titel; niet gelezen",
    "superseded_version": "oudere versie van een bestand van dezelfde partner; de nieuwere is gebruikt",
}


PROBLEM_COLUMNS = [
    "level",
    "source_file",
    "source_sheet",
    "source_row",
    "column",
    "value",
    "code",
    "message",
]


@dataclass(frozen=True)
class Problem:
    level: str
    source_file: str
    code: str
    message: str
    source_sheet: str = ""
    source_row: int | None = None
    column: str = ""
    value: str = ""

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"unknown problem level {self.level!r}")

    def where(self) -> str:
        parts = [self.source_file]
        if self.source_sheet:
            parts.append(f"sheet {self.source_sheet!r}")
        if self.source_row is not None:
            parts.append(f"row {self.source_row}")
        if self.column:
            parts.append(f"column {self.column!r}")
        return ", ".join(parts)

    def describe(self) -> str:
        value = f" (value {self.value[:80]!r})" if self.value else ""
        return f"{self.level.upper():8} {self.where()}: {self.message}{value} [{self.code}]"


def problems_frame(problems: list[Problem]) -> pd.DataFrame:
    """Problems as a table in a stable order (file, sheet, row, then level)."""
    if not problems:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in PROBLEM_COLUMNS})
    frame = pd.DataFrame([asdict(p) for p in problems])[PROBLEM_COLUMNS]
    frame["source_row"] = frame["source_row"].astype("Int64")
    order = {lvl: i for i, lvl in enumerate(LEVELS)}
    frame["_level"] = frame["level"].map(order)
    frame = frame.sort_values(
        ["source_file", "source_sheet", "source_row", "_level", "code"],
        na_position="first",
        kind="stable",
    )
    return frame.drop(columns="_level").reset_index(drop=True)
