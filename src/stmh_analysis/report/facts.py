"""The words of a document are markdown; its figures appear in them by name.

A document notebook's markdown cells are the sentences an analyst edits. A figure is written as
MyST's inline role ``{eval}`f.proposals` ``: JupyterLab (with the `jupyterlab-myst` extension)
shows it filled in from the kernel while the analyst edits, and the report shows the same value,
formatted once by the document module. A cell that only holds under a condition carries a tag
``als:NAAM`` (shown only when the fact holds) or ``als-niet:NAAM`` (only when it does not).
Such a cell joins the text before it: a list item continues the list above it, and a cell tagged
``vervolg`` continues the paragraph above it, so a conditional sentence reads as part of it.

The names and conditions come from the document's key figures: the load cell's output carries
them (`FACTS_MIME`, invisible in Lab and in the report). This module fills them in when the
executed notebook becomes HTML:

- `fill_markdown(nb, source)`: drops the cells whose condition fails, escapes the analyst's text
  (no HTML from a markdown cell reaches a report, like any other text) and puts a placeholder
  where each figure goes;
- `put_figures(html, placeholders)`: the formatted figures in place of the placeholders, after
  markdown has become HTML, so nothing in a figure is read as markdown.

An unknown name or condition stops the document with a Dutch message naming the notebook, the
cell and the name, with the names that exist.
"""

from __future__ import annotations

import copy
import difflib
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # nbformat pulls in jsonschema (over a second): never in a document's kernel
    import nbformat

FACTS_MIME = "application/vnd.stmh.facts+json"

_EVAL = re.compile(r"\{eval\}`([^`]*)`")
_NAME = re.compile(r"f\.([a-z_][a-z0-9_]*)")
_CODE_SPAN = re.compile(r"(`[^`]*`)")
_CONDITION_TAG = re.compile(r"^als(-niet)?:(.+)$")


class FactError(ValueError):
    """A markdown cell names a figure or a condition the document does not have (Dutch)."""


def document_facts(nb: nbformat.NotebookNode) -> tuple[dict[str, str], dict[str, bool]]:
    """The figures (name -> HTML) and conditions (name -> bool) the load cell put out; empty
    when the notebook has none (a notebook without figures in its text)."""
    for cell in nb.cells:
        for output in cell.get("outputs", ()):
            bundle = output.get("data", {}).get(FACTS_MIME)
            if bundle:
                return dict(bundle.get("values", {})), dict(bundle.get("conditions", {}))
    return {}, {}


def _where(source: str, number: int, cell: nbformat.NotebookNode) -> str:
    first = next((line.strip() for line in cell.source.splitlines() if line.strip()), "")
    first = first if len(first) <= 60 else first[:57] + "..."
    return f"{source}, cel {number} (tekstcel die begint met {first!r})"


def _unknown(kind: str, name: str, known: Mapping, where: str) -> FactError:
    close = difflib.get_close_matches(name.removeprefix("f."), list(known), n=1)
    hint = f" Bedoelt u {close[0]!r}?" if close else ""
    return FactError(
        f"{where}: onbekende {kind} {name!r}.{hint} Verbeter de naam in de tekstcel (of de tag "
        f"van de cel) en voer het document opnieuw uit. Bekende namen: {', '.join(sorted(known))}."
    )


def cell_is_shown(cell: nbformat.NotebookNode, conditions: Mapping[str, bool], where: str) -> bool:
    """Whether every condition tag of the cell holds (``als:NAAM`` / ``als-niet:NAAM``)."""
    for tag_text in cell.metadata.get("tags", ()):
        m = _CONDITION_TAG.match(tag_text)
        if not m:
            continue
        name = m.group(2).strip()
        if name not in conditions:
            raise _unknown("voorwaarde", name, conditions, where)
        if bool(conditions[name]) == bool(m.group(1)):
            return False
    return True


def _escape_text(part: str) -> str:
    """The analyst's markdown as text: no tag of theirs becomes HTML (code spans stay literal)."""
    return part.replace("<", "&lt;")


def fill_markdown(
    nb: nbformat.NotebookNode, source: str
) -> tuple[nbformat.NotebookNode, dict[str, str]]:
    """A copy of `nb` with its markdown ready for HTML: conditional cells left out, text escaped,
    each ``{eval}`f.NAAM` `` replaced by a placeholder. Returns it and placeholder -> figure."""
    values, conditions = document_facts(nb)
    out = copy.deepcopy(nb)
    placeholders: dict[str, str] = {}
    kept = []
    for number, cell in enumerate(out.cells, start=1):
        if cell.cell_type != "markdown" or "remove" in cell.metadata.get("tags", ()):
            kept.append(cell)  # code and removed cells: the template decides what shows
            continue
        where = _where(source, number, cell)
        if not cell_is_shown(cell, conditions, where):
            continue

        def figure(m: re.Match, where: str = where) -> str:
            name = _NAME.fullmatch(m.group(1).strip())
            if name is None:
                raise FactError(
                    f"{where}: {m.group(0)} is geen naam van een cijfer; schrijf "
                    "{eval}`f.naam` met een naam uit de lijst van het document "
                    f"({', '.join(sorted(values))})."
                )
            if name.group(1) not in values:
                raise _unknown("naam", f"f.{name.group(1)}", values, where)
            token = f"stmhfig{len(placeholders)}x"
            placeholders[token] = values[name.group(1)]
            return token

        with_figures = _EVAL.sub(figure, cell.source)
        parts = _CODE_SPAN.split(with_figures)
        cell.source = "".join(p if i % 2 else _escape_text(p) for i, p in enumerate(parts))
        if not _joined(kept[-1] if kept else None, cell):
            kept.append(cell)
    out.cells = kept
    return out, placeholders


_LIST_LINE = re.compile(r"^(\s*[-*+]\s|\s*\d+\.\s|\s{2,}\S)")


def _is_list(source: str) -> bool:
    lines = [line for line in source.splitlines() if line.strip()]
    return bool(lines) and all(_LIST_LINE.match(line) for line in lines)


def _joined(before: nbformat.NotebookNode | None, cell: nbformat.NotebookNode) -> bool:
    """Join `cell` to the markdown cell `before` when it continues its list, or its paragraph
    (tag ``vervolg``); True when joined."""
    if before is None or before.cell_type != "markdown":
        return False
    if _is_list(cell.source) and _is_list(before.source.strip().split("\n\n")[-1]):
        before.source = before.source.rstrip() + "\n" + cell.source.strip()
        return True
    if "vervolg" in cell.metadata.get("tags", ()):
        before.source = before.source.rstrip() + " " + cell.source.strip()
        return True
    return False


def put_figures(html: str, placeholders: Mapping[str, str]) -> str:
    """The figures in place of their placeholders (each ends in 'x', so stmhfig1x is never
    part of stmhfig12x)."""
    for token, value in placeholders.items():
        html = html.replace(token, value)
    return html
