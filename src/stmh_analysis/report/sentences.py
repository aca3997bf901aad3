"""Sentences written in a document notebook, and the documents' headers (the nota's memo block,
the Kamerbrief's letterhead, the classification on every page)."""

from __future__ import annotations

from collections.abc import Sequence

from stmh_analysis.outputs import (
    PUBLIC_DOCUMENTS,
)
from stmh_analysis.reference import Reference
from stmh_analysis.report.briefing_data import (
    BriefingOptions,
)
from stmh_analysis.report.format import dutch_date
from stmh_analysis.report.html import (
    Html,
    esc,
    join,
    tag,
)


def zin(markup: str, cls: str = "") -> Html:
    """A paragraph the analyst wrote in a code cell, with figures in it (f-string). The analyst's
    own words are trusted; figures are made here and partner text never enters a sentence."""
    attribute = f' class="{esc(cls)}"' if cls else ""
    return Html(f"<p{attribute}>{markup}</p>")


def blok(*parts: Html) -> Html:
    """Parts printed together on one page (a short list and its table, such as the provenance),
    so no page holds only the tail of them."""
    return tag("section", join(parts), cls="keep-together")


def punten(items: Sequence[str | Html]) -> Html:
    """A bullet list of such sentences (empty items left out)."""
    return Html("<ul>" + "".join(f"<li>{i}</li>" for i in items if str(i).strip()) + "</ul>")


def classification(options: BriefingOptions) -> str:
    """'Openbaar' for the public documents, 'Intern' for everything else; on every page."""
    return "Openbaar" if options.audience in PUBLIC_DOCUMENTS else "Intern"


def _running_strings(options: BriefingOptions) -> Html:
    """What every printed page repeats: classification (top right), date and kenmerk (bottom)."""
    meta = [f"Datum: {dutch_date(options.day)}"]
    if options.reference_code:
        meta.append(f"Kenmerk: {options.reference_code}")
    return tag("p", classification(options), cls="classification") + tag(
        "p", " · ".join(meta), cls="doc-meta"
    )


def kop(kind: str, title: str, options: BriefingOptions) -> Html:
    """A briefing's header block: its kind, its title, date, kenmerk and classification."""
    return tag(
        "header",
        tag("p", kind, cls="doc-kind")
        + tag("h1", options.title or title, cls="doc-title")
        + _running_strings(options),
        cls="doc-header",
    )


def nota_kop(options: BriefingOptions, reference: Reference) -> Html:
    """The nota's header block in the ministry's form: Aan, Van, Datum, Kenmerk, Onderwerp, with
    the directorate, date, kenmerk and classification in the margin (settings.yaml: nota)."""
    memo = reference.memo
    subject = options.title or memo.subject
    kenmerk = options.reference_code or "(nog toe te kennen)"
    fields = [
        ("Aan", memo.to),
        ("Van", memo.sender),
        ("Datum", dutch_date(options.day)),
        ("Kenmerk", kenmerk),
        ("Onderwerp", subject),
    ]
    margin = (
        _margin(options, reference, kenmerk)
        + tag("p", "Classificatie", cls="label")
        + tag("p", classification(options))
    )
    return _memo_header("Nota", subject, _fields(fields), margin, options)


def _fields(fields: list[tuple[str, str]]) -> Html:
    rows = join(tag("tr", tag("th", k, scope="row") + tag("td", v)) for k, v in fields if v)
    return tag("table", rows, cls="memo-fields")


def _memo_header(
    kind: str, subject: str, main: Html, margin: Html, options: BriefingOptions
) -> Html:
    """A header block on the ministry's paper: kind, title, the main block beside the margin
    (CSS columns that stack on a narrow screen), and what every printed page repeats."""
    return tag(
        "header",
        tag("p", kind, cls="doc-kind")
        + tag("h1", subject, cls="doc-title")
        + tag(
            "div",
            tag("div", main, cls="memo-main") + tag("div", margin, cls="memo-margin"),
            cls="memo-head",
        )
        + _running_strings(options),
        cls=f"doc-header memo{' letter' if kind == 'Kamerbrief' else ''}",
    )


def _margin(options: BriefingOptions, reference: Reference, kenmerk: str) -> Html:
    return (
        join(tag("p", line, cls="org-line") for line in reference.memo.margin)
        + tag("p", "Datum", cls="label")
        + tag("p", dutch_date(options.day))
        + tag("p", "Ons kenmerk", cls="label")
        + tag("p", kenmerk)
    )


def brief_kop(options: BriefingOptions, reference: Reference) -> Html:
    """The Kamerbrief's head in the form of a letter to Parliament: the address, place and date,
    Betreft, with the directorate and kenmerk in the margin (settings.yaml: kamerbrief)."""
    letter = reference.letter
    subject = options.title or letter.subject
    kenmerk = options.reference_code or "(nog toe te kennen)"
    address = tag("address", join(tag("p", line) for line in letter.to), cls="letter-to")
    fields = [
        ("Datum", f"{letter.place}, {dutch_date(options.day)}" if letter.place else ""),
        ("Betreft", subject),
    ]
    margin = _margin(options, reference, kenmerk)
    return _memo_header("Kamerbrief", subject, address + _fields(fields), margin, options)


def rounding_note() -> Html:
    """How short amounts are rounded (the units of format.SHORT_UNITS), for every document."""
    from stmh_analysis.report.format import SHORT_FORM_NOTE

    return tag("p", SHORT_FORM_NOTE, cls="note")
