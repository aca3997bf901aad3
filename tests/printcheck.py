"""Print rules measured on a rendered PDF (pdfplumber): what a reader of the paper copy sees.

The page geometry is style.css's: A4, margins 22 mm top, 18 mm sides, 20 mm bottom. Running
header and footer live in the top and bottom margins; everything else is the text block.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pdfplumber

MM = 72 / 25.4
TOP, SIDE, BOTTOM = 22 * MM, 18 * MM, 20 * MM
TOLERANCE = 0.5  # points: rounding in the PDF's coordinates
HEADING_SIZE = 10.4  # h2 (13 pt) and h3 (10.5 pt); the body is 9.5 pt and less


@dataclass
class Page:
    number: int  # 1-based
    lines: list[dict]  # text lines inside the text block, top to bottom
    objects: list[dict]  # every char, rule, rectangle, curve and image
    width: float
    height: float

    @property
    def text(self) -> str:
        return "\n".join(line["text"] for line in self.lines)

    @property
    def content_bottom(self) -> float:
        inside = [
            o
            for o in self.objects
            if o["top"] >= TOP - 1 and o["bottom"] <= self.height - BOTTOM + 1
        ]
        return max((o["bottom"] for o in inside), default=TOP)

    @property
    def fill(self) -> float:
        """How far down the text block the content reaches, 0 to 1."""
        return (self.content_bottom - TOP) / (self.height - TOP - BOTTOM)


def read_pages(pdf_path: Path) -> list[Page]:
    pages = []
    with pdfplumber.open(pdf_path) as pdf:
        for i, p in enumerate(pdf.pages, start=1):
            # Rotated text (a chart's tick labels) is no line of prose: leave it out of the lines.
            upright = p.filter(lambda o: o["object_type"] != "char" or abs(o["matrix"][1]) < 1e-6)
            lines = [
                line
                for line in upright.extract_text_lines()
                if line["top"] >= TOP - 1 and line["bottom"] <= p.height - BOTTOM + 1
            ]
            objects = [*p.chars, *p.rects, *p.lines, *p.curves, *p.images]
            pages.append(Page(i, lines, objects, float(p.width), float(p.height)))
    return pages


def outside_text_block(pages: list[Page]) -> list[str]:
    """Anything drawn left or right of the text block (the running header and footer sit inside
    the side margins too, so every object counts)."""
    found = []
    for page in pages:
        right = page.width - SIDE + TOLERANCE
        for o in page.objects:
            if o["x1"] > right or o["x0"] < SIDE - TOLERANCE:
                what = o.get("text") or o["object_type"]
                found.append(
                    f"pagina {page.number}: {what!r} van x={o['x0']:.1f} tot {o['x1']:.1f}"
                )
    return found


def split_amounts(pages: list[Page]) -> list[str]:
    """Line ends that cut an amount: '€' alone at the end, '€ 1.' with '250.000' on the next
    line, or a figure whose 'mln' opens the next line."""
    found = []
    for page in pages:
        texts = [line["text"] for line in page.lines]
        for text, following in zip(texts, [*texts[1:], ""], strict=True):
            if (
                re.search(r"€\s*$", text)
                or (re.search(r"€\s*[\d.]*\d[.,]$", text) and re.match(r"\d", following))
                or (re.search(r"\d$", text) and re.match(r"(mln|miljoen)\b", following))
            ):
                found.append(f"pagina {page.number}: {text!r} / {following!r}")
    return found


def _is_heading(line: dict) -> bool:
    chars = [c for c in line["chars"] if c["text"].strip()]
    return bool(chars) and all(c["size"] >= HEADING_SIZE and "Bold" in c["fontname"] for c in chars)


def stranded_headings(pages: list[Page], at_least: float = 30.0) -> list[str]:
    """Headings with less than `at_least` points (about three lines) of content under them on
    their page while what they head goes on over the page: stranded at the foot of a page. (A
    short last section before a heading on the next page is not stranded.)"""
    found = []
    for page, following in zip(pages[:-1], pages[1:], strict=True):
        if following.lines and _is_heading(following.lines[0]):
            continue
        for line in page.lines:
            if not _is_heading(line):
                continue
            below = [
                o["bottom"]
                for o in page.objects
                if o["top"] >= line["bottom"] and o["bottom"] <= page.height - BOTTOM + 1
            ]
            room = max(below, default=line["bottom"]) - line["bottom"]
            if room < at_least:
                found.append(f"pagina {page.number}: kop {line['text']!r}, {room:.0f} pt eronder")
    return found


def nearly_empty_pages(pages: list[Page], at_least: float = 0.4, last: float = 0.1) -> list[str]:
    """Pages filled less than `at_least` of the text block (the last page: `last`), except a page
    before one that starts a bijlage on purpose (a forced page break)."""
    found = []
    for page, following in zip(pages, [*pages[1:], None], strict=True):
        starts_bijlage = (
            following is not None
            and following.lines
            and following.lines[0]["text"].startswith("Bijlage ")
        )
        limit = last if following is None else at_least
        if page.fill < limit and not starts_bijlage:
            found.append(f"pagina {page.number}: {page.fill:.0%} gevuld")
    return found


def pages_between(pages: list[Page], start: str, end: str) -> list[Page]:
    """The pages from the one whose text starts a line with `start` up to the one with `end`."""
    first = next(p.number for p in pages if any(line["text"].startswith(start) for line in p.lines))
    stop = next(
        (
            p.number
            for p in pages
            if p.number > first and any(line["text"].startswith(end) for line in p.lines)
        ),
        len(pages) + 1,
    )
    return [p for p in pages if first <= p.number < stop]
