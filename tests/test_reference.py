"""data/reference read as analysts edit it: settings.yaml's slips explained in Dutch (section, line,
what to write), and amounts there read as the command line reads them."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stmh_analysis.cli import _euros
from stmh_analysis.parameters import parse_euros
from stmh_analysis.paths import Paths
from stmh_analysis.reference import ReferenceError, load_reference

BUNDLED = Paths.default().reference
CASES = Path(__file__).parent / "data" / "settings_mistakes.csv"


def _cases() -> list[dict[str, str]]:
    with CASES.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c["instead"].strip())
def test_a_settings_slip_is_read_or_explained(case, tmp_path):
    shutil.copytree(BUNDLED, tmp_path / "reference")
    settings = tmp_path / "reference" / "settings.yaml"
    text = settings.read_text(encoding="utf-8")
    assert case["written"] in text, case
    settings.write_text(text.replace(case["written"], case["instead"], 1), encoding="utf-8")
    if case["expect"].startswith("ok="):
        _, name, value = case["expect"].split("=")
        assert getattr(load_reference(tmp_path / "reference"), name) == float(value)
        return
    with pytest.raises(ReferenceError) as raised:
        load_reference(tmp_path / "reference")
    message = str(raised.value)
    assert case["expect"] in message, message
    for english in ("could not convert", "mapping values", "expected", "found character"):
        assert english not in message, message


@pytest.mark.parametrize("written", ["2.000.000", "2000000", "€ 2 mln", "2 miljoen"])
def test_an_amount_means_the_same_in_settings_as_on_the_command_line(written, tmp_path):
    shutil.copytree(BUNDLED, tmp_path / "reference")
    settings = tmp_path / "reference" / "settings.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(
        text.replace("structural_eur_per_year: 2000000", f"structural_eur_per_year: '{written}'"),
        encoding="utf-8",
    )
    assert load_reference(tmp_path / "reference").budget_structural_eur == _euros(written)


def test_a_yaml_slip_in_another_reference_file_names_its_line(tmp_path):
    shutil.copytree(BUNDLED, tmp_path / "reference")
    themes = tmp_path / "reference" / "themes.yaml"
    lines = themes.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.strip().startswith("- slug:"))
    lines[at] = "\t" + lines[at]
    themes.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(ReferenceError, match=rf"themes.yaml, regel {at + 1}, kolom 1: .*een tab"):
        load_reference(tmp_path / "reference")


@given(st.integers(min_value=1_000, max_value=10**11))
def test_an_amount_written_with_dutch_thousands_points_is_that_amount(euros):
    """'500.000' is € 500.000 on the command line, in a parameters cell and in settings.yaml;
    it was read as € 500 (a float), and the floor check then suggested '€ 500 mln'."""
    written = f"{euros:,}".replace(",", ".")
    assert parse_euros(written, "budget") == euros
    assert _euros(written) == euros


def test_five_hundred_thousand_in_settings_is_not_five_hundred(tmp_path):
    shutil.copytree(BUNDLED, tmp_path / "reference")
    settings = tmp_path / "reference" / "settings.yaml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("max_amount_eur: 100000000", "max_amount_eur: 100.000"))
    assert load_reference(tmp_path / "reference").max_amount_eur == 100_000


@pytest.mark.parametrize("written", ["nan", "inf", "-5"])
def test_text_that_float_reads_but_is_no_amount_is_refused(written):
    """'nan' and 'inf' were read by float() as budgets; now text goes through the amount reader."""
    with pytest.raises(ValueError, match="geen bedrag in euro's"):
        parse_euros(written, "budget")
