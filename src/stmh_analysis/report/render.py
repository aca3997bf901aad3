"""Executed briefing notebook -> self-contained HTML (nbconvert, our template) -> PDF (WeasyPrint).

The HTML has no script and loads nothing (a Content-Security-Policy says so to the browser too);
the PDF is made from that same HTML, so both carry the same content. Files are written atomically.
"""

from __future__ import annotations

import re
from html import escape, unescape
from pathlib import Path

import nbformat

from stmh_analysis.paths import TEMPLATES_DIR
from stmh_analysis.report.facts import fill_markdown, put_figures
from stmh_analysis.store import atomic_path, atomic_write_text

CSS_PATH = Path(__file__).with_name("style.css")


def notebook_to_html(nb: nbformat.NotebookNode, title: str, source: str = "notebook") -> str:
    """The briefing page for an executed notebook: outputs and the markdown with its figures
    filled in (report.facts), no code, no prompts. `source` names the notebook in messages."""
    from nbconvert import HTMLExporter

    filled, placeholders = fill_markdown(nb, source)
    exporter = HTMLExporter(extra_template_basedirs=[str(TEMPLATES_DIR)], template_name="stmh")
    resources = {"stmh_title": title, "stmh_css": CSS_PATH.read_text(encoding="utf-8")}
    body, _ = exporter.from_notebook_node(filled, resources=resources)
    return put_figures(body, placeholders)


_EURO_SPACE = re.compile(r"€[ \t]+(?=[\d(.,-]|&)")
_UNIT_SPACE = re.compile(r"(?<=\d)[ \t]+(?=(?:mln|miljoen|mld|miljard)\b)")


def keep_amounts_together(html: str) -> str:
    """'€ 1.250.000' and '€ 1,5 mln' never break across lines: the spaces inside an amount become
    no-break spaces, in the analysts' sentences as in the tables (HTML and PDF alike)."""
    html = _EURO_SPACE.sub("€\u00a0", html)
    return _UNIT_SPACE.sub("\u00a0", html)


# Tagged PDF for screen readers (PDF/UA-1: structure tree, the title shown as the window title,
# language, XMP metadata); a release adds archival copies as PDF/A-2a (tagged, archivable).
PDF_VARIANT = "pdf/ua-1"
ARCHIVE_VARIANT = "pdf/a-2a"


def html_to_pdf(html: str, target: Path, variant: str = PDF_VARIANT) -> None:
    """A4 PDF with page numbers from the briefing HTML, tagged (`variant`). Fetching any URL is
    refused."""
    from weasyprint import HTML

    def no_fetch(url: str, *args, **kwargs):
        raise ValueError(f"briefings are self-contained; refusing to load {url}")

    with atomic_path(target) as tmp:
        HTML(string=html, base_url=None, url_fetcher=no_fetch).write_pdf(tmp, pdf_variant=variant)


def briefing_title(html: str) -> str:
    m = re.search(r'<h1 class="doc-title">(.*?)</h1>', html, re.S)
    return m.group(1) if m else "Briefing"


def render_briefing(
    executed: Path,
    html_target: Path,
    pdf_target: Path,
    author: str = "",
    source: str = "",
    docx_target: Path | None = None,
) -> None:
    """Executed notebook file -> HTML and PDF beside each other, and Word when `docx_target` is
    given; `author` (the directorate) in the documents' metadata; `source` (the notebook's name)
    in messages about its text."""
    nb = nbformat.read(executed, as_version=4)
    html = notebook_to_html(nb, title="Briefing", source=source or executed.name)
    title = briefing_title(html)
    meta = (
        f'<title>{title}</title>\n<meta name="author" content="{escape(author)}">'
        if author
        else f"<title>{title}</title>"
    )
    html = html.replace("<title>Briefing</title>", meta, 1)
    html = keep_amounts_together(html)
    atomic_write_text(html_target, html)
    html_to_pdf(html, pdf_target)
    if docx_target is not None:
        from stmh_analysis.report.word import html_to_docx

        mark = re.search(r'<p class="classification">(.*?)</p>', html)
        html_to_docx(
            html,
            docx_target,
            title=unescape(title),
            author=author,
            classification=unescape(mark.group(1)) if mark else "",
        )
