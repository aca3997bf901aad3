"""The words of the documents are markdown; figures appear in them by name (report.facts)."""

from __future__ import annotations

import ast
import re

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from stmh_analysis.paths import NOTEBOOKS_DIR
from stmh_analysis.report.document import PUBLIC_FIGURES, Figures, text_facts
from stmh_analysis.report.facts import FACTS_MIME, FactError, fill_markdown
from stmh_analysis.report.render import notebook_to_html

DOCUMENT_NOTEBOOKS = ("nota.ipynb", "bijlage.ipynb", "thema.ipynb", "kamerbrief.ipynb")
# What a string literal in a document's code cell may be: a document's name, a theme slug, a
# parameter's value; never a sentence. Three words is a label ('Python (stmh)'), four a phrase.
MAX_WORDS_IN_A_LITERAL = 3


def notebook(*cells, values=None, conditions=None) -> nbformat.NotebookNode:
    """A document notebook as it comes out of papermill: the load cell carries the facts."""
    load = new_code_cell("doc")
    load.outputs = [
        new_output(
            "display_data",
            data={
                "text/html": "<header>kop</header>",
                FACTS_MIME: {"values": values or {}, "conditions": conditions or {}},
            },
        )
    ]
    return new_notebook(cells=[load, *cells])


def md(text: str, *tags: str):
    cell = new_markdown_cell(text)
    if tags:
        cell.metadata["tags"] = list(tags)
    return cell


def body(nb) -> str:
    html = notebook_to_html(nb, title="t", source="test.ipynb")
    return html[html.index("<main>") : html.index("</main>")]


# --- what an analyst writes ------------------------------------------------------------------------


@pytest.mark.parametrize("name", DOCUMENT_NOTEBOOKS)
def test_no_sentence_lives_in_a_python_string(name):
    """Every sentence is markdown: code cells hold only short labels and names."""
    nb = nbformat.read(NOTEBOOKS_DIR / name, as_version=4)
    long = []
    for cell in nb.cells:
        if cell.cell_type != "code" or "parameters" in cell.metadata.get("tags", []):
            continue
        for node in ast.walk(ast.parse(cell.source)):
            text = node.value if isinstance(node, ast.Constant) else None
            if isinstance(text, str) and len(text.split()) > MAX_WORDS_IN_A_LITERAL:
                long.append(text)
            if isinstance(node, ast.JoinedStr):  # an f-string is a sentence being built
                long.append(ast.unparse(node))
    assert not long, f"{name}: tekst hoort in een tekstcel (markdown): {long}"


@pytest.mark.parametrize("name", DOCUMENT_NOTEBOOKS)
def test_every_name_in_the_text_is_a_key_figure(name):
    """A name in a document's markdown exists (a typo fails the run; caught here already), and
    a public document names only public figures."""
    nb = nbformat.read(NOTEBOOKS_DIR / name, as_version=4)
    names = {f.name for f in Figures.__dataclass_fields__.values()}
    public = name in ("bijlage.ipynb", "kamerbrief.ipynb")
    for cell in nb.cells:
        if cell.cell_type != "markdown" or "remove" in cell.metadata.get("tags", []):
            continue
        for used in re.findall(r"\{eval\}`f\.(\w+)`", cell.source):
            assert used in names, (name, used)
            if public:
                assert used in PUBLIC_FIGURES, (name, used)


def test_a_figure_is_filled_in_where_the_text_names_it():
    nb = notebook(
        md("Er zijn {eval}`f.proposals` voorstellen."),
        values={"proposals": '<span class="figure" data-figure="proposals">49</span>'},
    )
    assert (
        '<p>Er zijn <span class="figure" data-figure="proposals">49</span> voorstellen.</p>'
        in body(nb)
    )


def test_an_unknown_name_stops_the_document_naming_the_cell_and_the_name():
    nb = notebook(
        md("## Kop"), md("Er zijn {eval}`f.propsals` voorstellen."), values={"proposals": "49"}
    )
    with pytest.raises(FactError) as err:
        body(nb)
    message = str(err.value)
    assert "test.ipynb, cel 3" in message and "'f.propsals'" in message
    assert "Bedoelt u 'proposals'?" in message


def test_an_expression_that_is_not_a_name_is_refused():
    nb = notebook(md("Som: {eval}`f.proposals + 1`."), values={"proposals": "49"})
    with pytest.raises(FactError, match="geen naam van een cijfer"):
        body(nb)


def test_an_unknown_condition_stops_the_document():
    nb = notebook(md("Tekst.", "als:has_pmm"), conditions={"has_pm": True})
    with pytest.raises(FactError, match="onbekende voorwaarde 'has_pmm'.*Bedoelt u 'has_pm'"):
        body(nb)


@pytest.mark.parametrize(
    "tags, holds, shown",
    [
        (("als:has_pm",), True, True),
        (("als:has_pm",), False, False),
        (("als-niet:has_pm",), True, False),
        (("als-niet:has_pm",), False, True),
    ],
)
def test_a_cell_with_a_condition_shows_only_when_it_holds(tags, holds, shown):
    nb = notebook(md("Altijd."), md("Soms.", *tags), conditions={"has_pm": holds})
    assert ("Soms." in body(nb)) is shown


def test_conditional_list_items_and_sentences_join_the_text_above():
    nb = notebook(
        md("## Kernpunten\n\n- een"),
        md("- twee", "als:yes"),
        md("- drie"),
        md("Eerste zin."),
        md("Tweede zin.", "als:yes", "vervolg"),
        conditions={"yes": True},
    )
    html = body(nb)
    assert html.count("<ul>") == 1 and html.count("<li>") == 3
    assert "<p>Eerste zin. Tweede zin.</p>" in html


def test_markup_in_the_text_and_in_a_figure_stays_text():
    """An analyst's markdown is text like any other: a tag written in it is shown, never run;
    a figure's value is not read as markdown (a name with * or _ stays as it is)."""
    nb = notebook(
        md('Zie <script>alert(1)</script> en <img src="x"> bij {eval}`f.org`.'),
        values={"org": "Stichting *Ster* &amp; __Maan__"},
    )
    html = body(nb)
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html or "&lt;script>alert(1)" in html
    assert "Stichting *Ster* &amp; __Maan__" in html


def test_a_notebook_without_figures_renders_its_markdown_unchanged():
    nb = new_notebook(cells=[md("## Kop\n\nGewone tekst.")])
    filled, placeholders = fill_markdown(nb, "x.ipynb")
    assert not placeholders and filled.cells[0].source == "## Kop\n\nGewone tekst."


def test_a_public_document_only_has_public_figures():
    """The Kamerbrief and the bijlage cannot name an internal figure: it is not there."""
    values = {f: "x" for f in Figures.__dataclass_fields__}
    fake = Figures.__new__(Figures)
    for name in values:
        object.__setattr__(fake, name, 0 if name.startswith("n_") else "x")
    object.__setattr__(fake, "require_each_theme", False)
    facts = text_facts(fake, PUBLIC_FIGURES)
    assert set(facts["values"]) <= set(PUBLIC_FIGURES)
    assert (
        "kansrijk_left_out_titles" not in facts["values"] and "unread_files" not in facts["values"]
    )
    assert "kansrijk_left_out_titles" in text_facts(fake)["values"]


# --- the analyst's loop in Lab ---------------------------------------------------------------------


def test_saving_a_notebook_in_lab_changes_nothing_a_run_looks_at(tmp_path):
    """Outputs, execution counts, language_info and what jupyterlab-myst stores on a markdown cell
    do not make the next run redo the step; a changed sentence does."""
    from stmh_analysis.pipeline import notebook_key

    clean = tmp_path / "nota.ipynb"
    clean.write_bytes((NOTEBOOKS_DIR / "nota.ipynb").read_bytes())
    nb = nbformat.read(clean, as_version=4)
    saved = tmp_path / "saved.ipynb"
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            cell.execution_count = i
            cell.outputs = [
                new_output("execute_result", data={"text/plain": "x"}, execution_count=i)
            ]
        else:
            cell.metadata["user_expressions"] = [{"expression": "f.proposals", "result": {}}]
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.7"}
    nb.metadata["widgets"] = {}
    nbformat.write(nb, saved)
    assert notebook_key(saved) == notebook_key(clean)
    nb.cells[3].source += " Een nieuwe zin."
    nbformat.write(nb, saved)
    assert notebook_key(saved) != notebook_key(clean)


def test_a_default_changed_in_a_parameters_cell_is_named_in_the_why_line(tmp_path):
    from stmh_analysis.paths import Paths
    from stmh_analysis.reference import load_reference
    from stmh_analysis.why import reasons_to_run, why_line

    before = {"code": "c", "notebook": "n", "parameters": {}, "inputs": {},
              "notebook_name": "02-rank-proposals",
              "notebook_defaults": {"budget_structural_eur": None}}  # fmt: skip
    now = {**before, "notebook_defaults": {"budget_structural_eur": 2500000}}
    labels = load_reference(Paths.default().reference).labels
    assert why_line(reasons_to_run(now, before, {}), labels) == (
        "parameter budget_structural_eur (notebook 02-rank-proposals)"
    )


def test_docs_list_every_figure_a_document_can_name():
    """docs/documents.md is the analyst's list of names: it stays complete, and says which are
    public exactly as the code does."""
    from stmh_analysis.paths import REPO_ROOT

    text = (REPO_ROOT / "docs" / "documents.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    listed, public = set(), set()
    for row in rows:
        names = set(re.findall(r"`(\w+)`", row.split("|")[1]))
        listed |= names
        if row.rstrip(" |").endswith("public"):
            public |= names
    figures = set(Figures.__dataclass_fields__)
    assert figures <= listed, sorted(figures - listed)
    assert public & figures == set(PUBLIC_FIGURES)


@pytest.mark.parametrize(
    "first, last, words",
    [
        (2024, 2027, "€ 1,2 mln in totaal over 2024–2027"),  # a total over years, said so
        (2025, 2025, "€ 1,2 mln eenmalig (2025)"),
        (2025, None, "€ 1,2 mln eenmalig (2025)"),
        (None, None, "€ 1,2 mln eenmalig"),
    ],
)
def test_an_incidental_amount_says_whether_it_is_a_total_over_years(first, last, words):
    """Not 'eenmalig/tijdelijk' for € 1,2 mln over 2024–2027: the reader must know it is the
    total over the period, not a yearly amount."""
    from stmh_analysis.report.document import incidental_words

    assert incidental_words("€ 1,2 mln", {"first_year": first, "last_year": last}) == words


def test_a_documents_kernel_does_not_load_jsonschema():
    """Every briefing kernel imports the document module; nbformat's validator (jsonschema)
    costs over a second there, which the cold run paid once per document (make bench)."""
    import subprocess
    import sys

    probe = "import sys, stmh_analysis.report.document; print('jsonschema' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
