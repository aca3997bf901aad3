"""The rendered document as Word (.docx), for the parafenlijn: colleagues edit and initial the nota
and the Kamerbrief in Word.

Made from the same HTML as the PDF, so the figures are the PDF's: pandoc (shipped inside the
`pypandoc-binary` wheel, nothing is downloaded) turns headings into Word's heading styles and
tables into Word tables; python-docx then adds what pandoc does not: "pagina X van Y" in the
footer, the title, language and author (the directorate) in the document's properties. A chart
becomes its text alternative (its title and description), which says what the chart shows.
"""

from __future__ import annotations

import re
from pathlib import Path

from stmh_analysis.store import atomic_path

_STYLE = re.compile(r"<style.*?</style>|<title>.*?</title>|<meta [^>]*>", re.S)
# what every printed page repeats: in Word the classification goes to the page header instead
_RUNNING = re.compile(r'<p class="(?:classification|doc-meta)">.*?</p>', re.S)
_ANCHOR = re.compile(r'<a class="anchor-link"[^>]*>.*?</a>', re.S)
_CHART = re.compile(r"<svg\b.*?</svg>", re.S)
_SVG_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title>", re.S)
_SVG_DESC = re.compile(r"<desc\b[^>]*>(.*?)</desc>", re.S)


def _chart_as_text(m: re.Match) -> str:
    svg = m.group(0)
    title = _SVG_TITLE.search(svg)
    desc = _SVG_DESC.search(svg)
    parts = [f"<strong>Grafiek: {title.group(1)}</strong>" if title else "<strong>Grafiek</strong>"]
    if desc:
        parts.append(desc.group(1))
    return "<p>" + ". ".join(parts) + " (de grafiek zelf staat in de PDF)</p>"


def word_html(html: str) -> str:
    """The document's HTML as pandoc should read it: no style sheet, no heading anchors, charts
    as their text alternative."""
    html = _STYLE.sub("", html)
    html = _ANCHOR.sub("", html)
    html = _RUNNING.sub("", html)
    return _CHART.sub(_chart_as_text, html)


def html_to_docx(
    html: str, target: Path, title: str, author: str = "", classification: str = ""
) -> None:
    """Write `target` (.docx, atomically): pandoc's conversion plus page numbers, the
    classification at the top of every page, and the metadata."""
    import pypandoc

    with atomic_path(target) as tmp:
        pypandoc.convert_text(
            word_html(html), "docx", format="html", outputfile=str(tmp), extra_args=["--quiet"]
        )
        _finish(Path(tmp), title, author, classification)


def _finish(path: Path, title: str, author: str, classification: str) -> None:
    import docx

    document = docx.Document(str(path))
    props = document.core_properties
    props.title = title
    props.language = "nl-NL"
    props.author = author
    props.last_modified_by = author
    props.comments = ""
    for section in document.sections:
        _page_numbers(section.footer.paragraphs[0] if section.footer.paragraphs else None, section)
        if classification:
            head = section.header.paragraphs[0] if section.header.paragraphs else None
            (head or section.header.add_paragraph()).text = classification.upper()
    document.save(str(path))


def _page_numbers(paragraph, section) -> None:
    """'pagina X van Y' in the footer, as Word fields (PAGE, NUMPAGES) that Word keeps current."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = paragraph or section.footer.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT

    def field(instruction: str) -> None:
        run = paragraph.add_run()
        for kind, text in (
            ("begin", None),
            (None, instruction),
            ("separate", None),
            (None, "1"),
            ("end", None),
        ):
            if kind:
                char = OxmlElement("w:fldChar")
                char.set(qn("w:fldCharType"), kind)
                run._r.append(char)
            elif text == instruction:
                code = OxmlElement("w:instrText")
                code.set(qn("xml:space"), "preserve")
                code.text = f" {instruction} "
                run._r.append(code)
            else:
                value = OxmlElement("w:t")
                value.text = text
                run._r.append(value)

    paragraph.add_run("pagina ")
    field("PAGE")
    paragraph.add_run(" van ")
    field("NUMPAGES")
