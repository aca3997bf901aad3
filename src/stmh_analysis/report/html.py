"""Small HTML builders that escape every value: submitted text is untrusted.

Nothing here passes a value through unescaped; pandas' Styler.to_html is not used because it does
not escape by default.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from html import escape


def esc(value: object) -> str:
    """Text for HTML, quotes included; None and NaN become empty."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return escape(str(value), quote=True)


@dataclass(frozen=True)
class Html:
    """A piece of trusted HTML (built here from escaped values) that notebooks display as HTML."""

    markup: str

    def _repr_html_(self) -> str:
        return self.markup

    def __str__(self) -> str:
        return self.markup

    def __add__(self, other: Html) -> Html:
        return Html(self.markup + other.markup)

    @property
    def empty(self) -> bool:
        return not self.markup.strip()


EMPTY = Html("")


def join(parts: Iterable[Html]) -> Html:
    return Html("".join(p.markup for p in parts))


def tag(name: str, content: Html | str = "", *, cls: str = "", **attrs: str) -> Html:
    """<name class=...>content</name>; str content is escaped, Html content is kept."""
    inner = content.markup if isinstance(content, Html) else esc(content)
    attributes = (f' class="{esc(cls)}"' if cls else "") + "".join(
        f' {k.rstrip("_").replace("_", "-")}="{esc(v)}"' for k, v in attrs.items()
    )
    return Html(f"<{name}{attributes}>{inner}</{name}>")


def paragraph(text: str, cls: str = "") -> Html:
    return tag("p", text, cls=cls)


def bullet_list(items: Sequence[Html | str], cls: str = "") -> Html:
    return tag("ul", join(tag("li", i) for i in items), cls=cls)


@dataclass(frozen=True)
class Column:
    """A table column: header text, how to get the cell (escaped unless it returns Html), CSS class."""

    header: str
    cell: Callable[[dict], object]
    cls: str = ""


def breakable(text: object) -> Html:
    """Text (a file name, a code) that may wrap after _ . / - where a table column is narrow;
    without this a long file name has no break and pushes the table past the margin."""
    return Html(re.sub(r"([_./\\-])", r"\1<wbr>", esc(text)))


# Print rules for tables: a table this short is never split over two pages; a longer one keeps
# its header with its first two rows and never leaves its last row alone on a page.
KEEP_WHOLE_ROWS = 5


def table(
    records: Iterable[dict], columns: Sequence[Column], *, cls: str = "data", caption: str = ""
) -> Html:
    head = join(tag("th", c.header, cls=c.cls, scope="col") for c in columns)
    body_rows = []
    for rec in records:
        cells = []
        for c in columns:
            value = c.cell(rec)
            cells.append(
                tag("td", value if isinstance(value, Html) else Html(esc(value)), cls=c.cls)
            )
        body_rows.append(join(cells))
    n = len(body_rows)
    whole = n <= KEEP_WHOLE_ROWS

    def row_class(i: int) -> str:
        if whole:
            return ""
        return "keep-next" if i < 2 else "keep-prev" if i >= n - 2 else ""

    rows = join(tag("tr", cells, cls=row_class(i)) for i, cells in enumerate(body_rows))
    cap = tag("caption", caption) if caption else EMPTY
    return scrolling(
        tag(
            "table",
            cap + tag("thead", tag("tr", head)) + tag("tbody", rows),
            cls=f"{cls} keep" if whole else cls,
        )
    )


def scrolling(table_html: Html) -> Html:
    """A data table in a region of its own that scrolls sideways on a narrow screen, so the page
    itself reflows to 320 px (WCAG 1.4.10); keyboard users can scroll it (tabindex). On paper
    the region is invisible."""
    return tag(
        "div", table_html, cls="table-scroll", role="region", aria_label="Tabel", tabindex="0"
    )
