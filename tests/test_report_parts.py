"""Dutch formatting, escaping of submitted text, and what the public annex may show."""

from __future__ import annotations

import pandas as pd
import pytest

from stmh_analysis.report.document import PUBLIC_COLUMNS, public_view
from stmh_analysis.report.format import dutch_date, euro, euro_range, euro_short
from stmh_analysis.report.html import Column, table
from stmh_analysis.store import neutralise_for_spreadsheet


@pytest.mark.parametrize(
    ("value", "text"),
    [
        pytest.param(1_250_000, "€ 1.250.000", id="million"),
        pytest.param(950, "€ 950", id="small"),
        pytest.param(float("nan"), "kosten onbekend", id="nan"),
    ],
)
def test_euro(value, text):
    assert euro(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        pytest.param(1_250_000, "€ 1,3 mln", id="1.25m"),
        pytest.param(2_000_000, "€ 2 mln", id="2m"),
        pytest.param(12_400_000, "€ 12,4 mln", id="12.4m"),
        pytest.param(12_500_000, "€ 12,5 mln", id="12.5m"),
        pytest.param(11_480_000, "€ 11,5 mln", id="once-not-twice"),
        pytest.param(12_450_000, "€ 12,5 mln", id="half-up"),
        pytest.param(13_450_000, "€ 13,5 mln", id="half-up-odd"),
        pytest.param(150_400_000, "€ 150 mln", id="hundreds-of-millions"),
        pytest.param(2_500, "€ 3.000", id="thousands-half-up"),
        pytest.param(3_500, "€ 4.000", id="thousands-half-up-odd"),
        pytest.param(249_600, "€ 250.000", id="thousands"),
    ],
)
def test_euro_short(value, text):
    assert euro_short(value) == text


def test_range_and_date():
    assert euro_range(300_000, 500_000) == "€ 300.000 – € 500.000"
    assert euro_range(5, 5) == "€ 5"
    assert dutch_date("2024-01-29") == "29 januari 2024"


def test_tables_escape_hostile_text():
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    html = table([{"t": hostile}], [Column("Titel", lambda r: r["t"])]).markup
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_public_view_keeps_only_publishable_columns_and_masks_addresses():
    p = pd.DataFrame(
        [
            {c: "" for c in PUBLIC_COLUMNS}
            | {
                "title": "Bel 06-12345678",
                "summary": "Mail j.jansen@voorbeeld.nl voor info",
                "appraisal_note": "GEHEIM",
                "contact_person": "Jan Jansen",
                "contact_email": "j.jansen@voorbeeld.nl",
            }
        ]
    )
    pub = public_view(p)
    assert not {"appraisal_note", "contact_person", "contact_email"} & set(pub.columns)
    text = pub.to_string()
    assert "j.jansen@voorbeeld.nl" not in text and "06-12345678" not in text


def test_csv_cells_a_spreadsheet_would_run_are_neutralised():
    f = pd.DataFrame(
        {"a": ['=HYPERLINK("x")', "+31", "-5", "@SUM(1)", "gewoon"], "n": [1, 2, 3, 4, 5]}
    )
    out = neutralise_for_spreadsheet(f)
    assert out["a"].tolist() == ['\'=HYPERLINK("x")', "'+31", "'-5", "'@SUM(1)", "gewoon"]
    assert out["n"].tolist() == [1, 2, 3, 4, 5]


def test_run_time_reads_dutch():
    from stmh_analysis.report.document import dutch_timestamp as _dutch_timestamp

    assert _dutch_timestamp("2024-01-29T14:05:00+01:00") == "29 januari 2024, 14:05 (UTC+01:00)"
    assert _dutch_timestamp("onbekend") == "onbekend"


def test_a_row_number_in_a_workbook_is_a_number():
    from stmh_analysis.report.cells import cell_value

    assert cell_value("12", "row") == 12 and cell_value(12.0, "row") == 12
    assert cell_value("12, 14", "row") == "12, 14" and cell_value(None, "row") is None


def test_a_table_shows_text_in_an_amount_column_as_text():
    """The questions table keeps '' where no reading was made: `tabel(result.questions)` with all
    its columns failed with "could not convert string to float: ''" in an analyst's notebook."""
    from stmh_analysis.report.show import tabel

    frame = pd.DataFrame(
        {"structural_low_eur": ["", 250000.0, "<b>?</b>"], "title": ["a", "b", "c"]}
    )
    shown = str(tabel(frame))
    assert "250.000" in shown
    assert "&lt;b&gt;?&lt;/b&gt;" in shown and "<b>?</b>" not in shown
