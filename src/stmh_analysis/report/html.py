"""Small HTML builders that escape every value: submitted text is untrusted.

Nothing here passes a value through unescaped; pandas' Styler.to_html is not used because it does
not escape by default.
"""

from __future__ import annotations

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


def table(
    records: Iterable[dict], columns: Sequence[Column], *, cls: str = "data", caption: str = ""
) -> Html:
    head = join(tag("th", c.header, cls=c.cls) for c in columns)
    body_rows = []
    for rec in records:
        cells = []
        for c in columns:
            value = c.cell(rec)
            cells.append(
                tag("td", value if isinstance(value, Html) else Html(esc(value)), cls=c.cls)
            )
        body_rows.append(tag("tr", join(cells)))
    cap = tag("caption", caption) if caption else EMPTY
    return tag(
        "table", cap + tag("thead", tag("tr", head)) + tag("tbody", join(body_rows)), cls=cls
    )
