"""Print quality measured on the rendered PDFs: on the bundled data and on a large, long-named set.

Rules (tests/printcheck.py): nothing outside the text block; no amount split over two lines;
no heading stranded at the foot of a page; long tables repeat their header row on every page;
no page nearly empty by accident; the classification and 'pagina X van Y' on every page.
"""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

import pytest
from printcheck import (
    nearly_empty_pages,
    outside_text_block,
    pages_between,
    read_pages,
    split_amounts,
    stranded_headings,
)

from stmh_analysis.paths import Paths
from stmh_analysis.pipeline import RunOptions, run_pipeline

pytestmark = pytest.mark.e2e
DEFAULT = Paths.default().with_overrides(releases=Path(__file__).parent / "data" / "no-releases")
THEMES = ["Klantaanpak", "Minderjarigen", "Criminele uitbuiting", "Opvang", "Technologie"]
LONG_ORG = (
    "Stichting Landelijk Expertisecentrum voor de Bestrijding van Mensenhandel, Arbeidsuitbuiting "
    "en Seksuele Uitbuiting in Nederland en het Caribisch Deel van het Koninkrijk"
)
COSTS = [
    "€ {a}.000 per jaar",
    "€ {a}.000 - € {b}.000 per jaar",
    "tussen {a} en {b} duizend euro eenmalig",
    "€ {a}.000 per jaar (2024-2026)",
    "€ 1,{c} mln structureel",
    "p.m.",
    "€ {a}.000 eenmalig + € {b}.000 structureel",
]


def write_large_set(raw: Path, n: int = 300, seed: int = 7) -> None:
    """n proposals from several partners, with long titles, a very long organisation name,
    unbreakable words and every kind of cost phrase; most appraised."""
    rnd = random.Random(seed)
    raw.mkdir(parents=True)
    header = ["Organisatie", "Thema", "Titel voorstel", "Omschrijving", "Indicatieve kosten"]
    rows, appraisals = [], []
    for i in range(n):
        org = rnd.choice([LONG_ORG, "VNG", "CoMensha", "Fier", "Politie", "OM"])
        words = rnd.randint(4, 22)
        title = f"Voorstel {i + 1}: " + " ".join(
            rnd.choice(["versterking", "ketenregie", "signalering", "opvangcapaciteit",
                        "arbeidsuitbuitingsbestrijdingsprogramma", "pilot", "kennisdeling",
                        "slachtoffers", "minderjarigen", "gemeenten", "datagedreven"])
            for _ in range(words)
        )  # fmt: skip
        a, b = rnd.randint(20, 400), rnd.randint(401, 900)
        cost = rnd.choice(COSTS).format(a=a, b=b, c=rnd.randint(1, 9))
        summary = "Omschrijving " + " ".join(["van het voorstel"] * rnd.randint(1, 12))
        rows.append([org, THEMES[i % 5], title, summary, cost])
        appraisal = rnd.choice(["kansrijk", "nader uitwerken", "niet kansrijk", ""])
        if appraisal:
            appraisals.append([org, title, appraisal, "Interne toelichting"])
    with (raw / "groot_bestand.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows([header, *rows])
    with (raw / "appreciaties.csv").open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter=";").writerows(
            [["Organisatie", "Titel voorstel", "Appreciatie", "Toelichting"], *appraisals]
        )


@pytest.fixture(scope="module")
def bundled(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("print-bundled")
    paths = DEFAULT.with_overrides(processed=tmp / "processed", reports=tmp / "reports")
    run_pipeline(RunOptions(paths=paths, date="2024-01-29"), say=lambda _: None, progress=False)
    return paths.reports


@pytest.fixture(scope="module")
def large(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("print-large")
    write_large_set(tmp / "raw")
    paths = DEFAULT.with_overrides(
        raw=tmp / "raw", processed=tmp / "processed", reports=tmp / "reports"
    )
    run_pipeline(
        RunOptions(
            paths=paths,
            date="2024-01-29",
            reference_code="DGRR/2024-0001",
            audiences=("nota", "bijlage", "opvang"),
        ),
        say=lambda _: None,
        progress=False,
    )
    return paths.reports


def documents(reports: Path) -> list[Path]:
    found = sorted(reports.rglob("*.pdf"))  # reports/ and reports/openbaar/
    assert found
    return found


@pytest.mark.parametrize("data", ["bundled", "large"])
def test_print_rules_hold_on_every_page(data, request):
    problems = []
    for pdf in documents(request.getfixturevalue(data)):
        pages = read_pages(pdf)
        for rule in (outside_text_block, split_amounts, stranded_headings, nearly_empty_pages):
            problems += [f"{pdf.name}: {rule.__name__}: {p}" for p in rule(pages)]
    assert not problems, "\n".join(problems[:40])


@pytest.mark.parametrize("data", ["bundled", "large"])
def test_classification_and_page_numbers_on_every_page(data, request):
    import pdfplumber

    for pdf_path in documents(request.getfixturevalue(data)):
        expected = "OPENBAAR" if pdf_path.stem in ("bijlage", "kamerbrief") else "INTERN"
        with pdfplumber.open(pdf_path) as pdf:
            total = len(pdf.pages)
            for i, page in enumerate(pdf.pages, start=1):
                text = page.extract_text()
                assert expected in text, (pdf_path.name, i)
                assert f"pagina {i} van {total}" in text, (pdf_path.name, i)
                if expected == "OPENBAAR":
                    assert "INTERN" not in text


def test_long_tables_repeat_their_header_on_every_page(large):
    pages = read_pages(large / "nota.pdf")
    ranking = pages_between(pages, "Bijlage 1.", "Kosten per thema in grafieken")
    assert len(ranking) > 5  # 300 proposals: the ranking runs over many pages
    for page in ranking:
        assert "Voorstel en indiener" in page.text, f"pagina {page.number} zonder kopregel"
    public = read_pages(large / "openbaar" / "bijlage.pdf")
    for page in public[1:]:
        assert "Indicatieve kosten" in page.text, f"bijlage pagina {page.number} zonder kopregel"


def test_the_nota_has_the_ministry_form(large):
    pages = read_pages(large / "nota.pdf")
    first = re.sub(r"\s+", " ", pages[0].text)
    for words in ("Aan de Minister van Justitie en Veiligheid", "Van Directie", "Kenmerk DGRR/2024-0001",
                  "Onderwerp", "Datum 29 januari 2024", "Directoraat-Generaal"):  # fmt: skip
        assert words in first, words
    text = "\n".join(p.text for p in pages)
    outline = [
        "1. Aanleiding",
        "2. Geadviseerd besluit",
        "3. Kernpunten",
        "4. Toelichting",
        "4.1 Financiële overwegingen",
        "5. Informatie die niet openbaar gemaakt kan worden",
        "Bijlage 1. Voorstellen per thema, gerangschikt",
        "Bijlage 2. Datakwaliteit",
        "Bijlage 3. Herkomst",
    ]
    positions = [text.find(f"\n{h}") for h in outline]
    assert all(p >= 0 for p in positions) and positions == sorted(positions), positions


def test_no_document_for_a_theme_without_proposals(bundled):
    # the bundled set has no proposal that fits no theme: no 'overig' briefing, the nota says so
    assert not (bundled / "overig.pdf").exists() and not (bundled / "overig.html").exists()
    nota = (bundled / "nota.html").read_text(encoding="utf-8")
    # 'Overig' is where the run puts what fits no theme, not a theme the Kamer asked about: the
    # nota neither lists it as a theme without proposals nor shows it as a row of zeros
    assert "kwamen geen voorstellen binnen" not in nota
    costs = nota[nota.index("4.1 Financiële overwegingen") : nota.index("Budgetscenario")]
    assert "Overig" not in costs
