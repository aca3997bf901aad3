"""The tables and charts of the documents: escaped, Dutch headings and words (labels.yaml),
the same in JupyterLab as in the report."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from stmh_analysis.labels import Labels
from stmh_analysis.outputs import (
    SKIPPED_COUNTS,
)
from stmh_analysis.problems import flag_codes
from stmh_analysis.publication import published
from stmh_analysis.reference import FALLBACK_THEME, Reference
from stmh_analysis.report.briefing_data import (
    BriefingData,
    BriefingOptions,
    _masked,
    public_view,
)
from stmh_analysis.report.figures import (
    value_text,
)
from stmh_analysis.report.format import dutch_date, euro, euro_range, euro_short, number
from stmh_analysis.report.html import (
    EMPTY,
    Column,
    Html,
    breakable,
    bullet_list,
    esc,
    join,
    scrolling,
    table,
    tag,
)


def _cost_cells(rec: dict) -> tuple[str, str]:
    if rec.get("cost_status") == "pm":
        return "kosten onbekend (p.m.)", ""
    s = (
        euro_range(rec["structural_low_eur"], rec["structural_high_eur"])
        if rec["structural_high_eur"]
        else ""
    )
    i = (
        euro_range(rec["incidental_low_eur"], rec["incidental_high_eur"])
        if rec["incidental_high_eur"]
        else ""
    )
    return (f"{s} per jaar" if s else "—"), (incidental_words(i, rec) if i else "—")


def incidental_words(amount: str, rec: dict) -> str:
    """An incidental amount says what it is: the total over its years ('€ 1,2 mln in totaal
    over 2024–2027'), or a one-off ('€ 25.000 eenmalig (2025)', '€ 25.000 eenmalig')."""
    first, last = rec.get("first_year"), rec.get("last_year")
    known = [int(y) for y in (first, last) if y not in ("", None) and pd.notna(y)]
    if len(set(known)) == 2:
        return f"{amount} in totaal over {min(known)}–{max(known)}"
    return f"{amount} eenmalig" + (f" ({known[0]})" if known else "")


def _proposal_cell(rec: dict, long_names: dict[str, str] | None = None) -> Html:
    org = rec["organisation"]
    org_text = long_names.get(org, org) if long_names else org
    co = [c for c in str(rec.get("co_submitters") or "").split(";") if c]
    if co:
        org_text += (
            " (met " + ", ".join(long_names.get(c, c) if long_names else c for c in co) + ")"
        )
    return tag("strong", rec["title"]) + Html("<br>") + tag("span", org_text, cls="org")


def cost_per_theme_table(data: BriefingData) -> Html:
    """Per theme: proposals, p.m., structural per year and incidental in total, exact as in the
    sentences above it (one way to show a figure in one place)."""
    cols = [
        Column("Thema", lambda r: r["label"]),
        Column("Voorstellen", lambda r: number(r["proposals"]), "num"),
        Column("p.m.", lambda r: number(r["pm"]), "num"),
        Column(
            "Structureel per jaar",
            lambda r: euro_range(r["structural_low_eur"], r["structural_high_eur"], short=False),
            "num",
        ),
        Column(
            "Incidenteel totaal",
            lambda r: euro_range(r["incidental_low_eur"], r["incidental_high_eur"], short=False),
            "num",
        ),
    ]
    gap = data.gap[~((data.gap["theme"] == FALLBACK_THEME) & (data.gap["proposals"] == 0))]
    return table(gap.to_dict("records"), cols, cls="data totals")


def ranked_tables(
    data: BriefingData,
    themes: Sequence[str] | None = None,
    *,
    with_appraisal: bool = True,
    heading: str = "h3",
) -> Html:
    """Per theme with proposals the ranked proposals: rank, proposal and organisation, costs, and
    (internal documents) appraisal and whether it fits the budget."""
    fits = data.portfolio.set_index("proposal_id")["fits"].to_dict()
    fit_label = data.reference.labels.words("fits")
    parts = []
    for slug in themes if themes is not None else list(data.reference.theme_labels):
        rows = data.ranking[data.ranking["theme"] == slug].sort_values("rank_in_theme")
        if rows.empty:
            continue
        cols = [
            Column("Nr.", lambda r: r["rank_in_theme"], "num narrow"),
            Column("Voorstel en indiener", _proposal_cell, "main"),
            Column("Structureel", lambda r: _cost_cells(r)[0], "num"),
            Column("Incidenteel", lambda r: _cost_cells(r)[1], "num"),
        ]
        if with_appraisal:
            cols.append(
                Column(
                    "Appreciatie",
                    lambda r: data.reference.appraisal_labels.get(
                        r["appraisal"] or "", r["appraisal"]
                    ),
                )
            )
            cols.append(
                Column(
                    "Binnen budget", lambda r: fit_label.get(fits.get(r["proposal_id"], ""), "nee")
                )
            )
        parts.append(
            tag(
                "section",
                tag(heading, data.theme_label(slug)) + table(rows.to_dict("records"), cols),
                cls="theme",
            )
        )
    return join(parts) if parts else EMPTY


def charts(data: BriefingData) -> Html:
    """Cost per theme against the budget, and the cumulative cost of the ranked proposals (drawn
    by the rank step, so every document shows the same chart and no document waits for it)."""
    return Html(data.charts["cost_per_theme"] + data.charts["cumulative_cost"])


def scenario_table(data: BriefingData) -> Html:
    """The budget scenarios side by side: proposals chosen, cost, value."""
    s = data.portfolio_summary.set_index("scenario")
    cols = [
        Column("Scenario", lambda r: r["name"]),
        Column("Voorstellen", lambda r: number(r["proposals"]), "num"),
        Column("Structureel per jaar", lambda r: euro(r["structural_eur"]), "num"),
        Column("Incidenteel totaal", lambda r: euro(r["incidental_eur"]), "num"),
        Column("Waarde", lambda r: value_text(r["value"]), "num"),
    ]
    names = data.reference.labels.words("scenario")
    records = [{**s.loc[k].to_dict(), "name": v} for k, v in names.items() if k in s.index]
    return table(records, cols)


def chosen_table(data: BriefingData, theme: str | None = None) -> Html:
    """The proposals within the budget (best combination), with the estimates they fit under."""
    port = data.portfolio if theme is None else data.portfolio[data.portfolio["theme"] == theme]
    chosen = port[port["fits"] != ""].sort_values("rank_overall")
    cols = [
        Column("Voorstel en indiener", _proposal_cell, "main"),
        Column("Thema", lambda r: data.theme_label(r["theme"])),
        Column("Past", lambda r: data.reference.labels.word("fits", r["fits"])),
    ]
    return table(chosen.to_dict("records"), cols) if len(chosen) else tag("p", "Geen.")


def scenarios_table(data: BriefingData, theme: str | None = None) -> Html:
    """The named scenarios side by side, a column each (low estimate): proposals chosen, cost,
    value, what is left unspent, and by name which proposals enter or leave against the base."""
    low = data.scenarios[data.scenarios["costs"] == "low"].reset_index(drop=True)
    rows = (
        _programme_scenario_rows(low, data.scenarios)
        if theme is None
        else _theme_scenario_rows(data, low, theme)
    )
    # Who enters and leaves is a list of names: under the table, per scenario, not in narrow columns.
    enters, leaves = rows.pop("Erbij t.o.v. de basis"), rows.pop("Eraf t.o.v. de basis")
    head = tag(
        "tr",
        tag("td", "") + join(tag("th", lbl, cls="num", scope="col") for lbl in low["label"]),
    )
    body = join(
        tag("tr", tag("th", name, scope="row") + join(tag("td", v, cls="num") for v in values))
        for name, values in rows.items()
    )
    return scrolling(
        tag("table", tag("thead", head) + tag("tbody", body), cls="data scenarios keep")
    ) + _scenario_moves(list(low["label"]), enters, leaves)


def _programme_scenario_rows(low: pd.DataFrame, scenarios: pd.DataFrame) -> dict[str, list]:
    """The table's rows for the whole programme, a value per scenario (low estimate)."""
    high = scenarios[scenarios["costs"] == "high"].set_index("scenario")
    return {
        "Structureel budget per jaar": [euro(v) for v in low["budget_structural_eur"]],
        "Voorstellen gekozen": [number(v) for v in low["proposals"]],
        "Voorstellen gekozen (hoge raming)": [
            number(high.loc[n, "proposals"]) if n in high.index else "—" for n in low["scenario"]
        ],
        "Structureel per jaar": [euro(v) for v in low["structural_eur"]],
        "Incidenteel totaal": [euro(v) for v in low["incidental_eur"]],
        "Waarde": [value_text(v) for v in low["value"]],
        "Niet besteed (structureel)": [euro(v) for v in low["unspent_structural_eur"]],
        "Erbij t.o.v. de basis": [str(v).replace(";", "; ") or "—" for v in low["enters"]],
        "Eraf t.o.v. de basis": [str(v).replace(";", "; ") or "—" for v in low["leaves"]],
    }


def _theme_scenario_rows(data: BriefingData, low: pd.DataFrame, theme: str) -> dict[str, list]:
    """The table's rows for one theme: its proposals each scenario chooses, what they cost, and
    which of them enter or leave against the base (the first scenario)."""
    props = data.proposals.set_index("proposal_id")
    choice = data.scenario_choices.merge(
        props[["theme", "title", "structural_low_eur", "incidental_low_eur"]],
        left_on="proposal_id", right_index=True, how="left", validate="m:1",
    )  # fmt: skip
    mine = choice[(choice["theme"] == theme) & (choice["costs"] == "low")]
    base = set(mine[mine["scenario"] == low["scenario"].iloc[0]]["proposal_id"])
    titles = props["title"]
    rows: dict[str, list] = {
        "Voorstellen van dit thema gekozen": [],
        "Structureel per jaar (dit thema)": [],
        "Incidenteel totaal (dit thema)": [],
        "Erbij t.o.v. de basis": [],
        "Eraf t.o.v. de basis": [],
    }
    for name in low["scenario"]:
        chosen = mine[mine["scenario"] == name]
        ids = set(chosen["proposal_id"])
        rows["Voorstellen van dit thema gekozen"].append(number(len(ids)))
        rows["Structureel per jaar (dit thema)"].append(euro(chosen["structural_low_eur"].sum()))
        rows["Incidenteel totaal (dit thema)"].append(euro(chosen["incidental_low_eur"].sum()))
        rows["Erbij t.o.v. de basis"].append(
            "; ".join(sorted(titles[p] for p in ids - base)) or "—"
        )
        rows["Eraf t.o.v. de basis"].append("; ".join(sorted(titles[p] for p in base - ids)) or "—")
    return rows


def _scenario_moves(labels: list[str], enters: list[str], leaves: list[str]) -> Html:
    """Under the table, per scenario after the base: which proposals come in and which go out."""
    moves = [
        tag("strong", label)
        + Html(": ")
        + Html(esc(f"erbij {_names(come)}" if come != "—" else "niets erbij"))
        + Html("; ")
        + Html(esc(f"eraf {_names(go)}" if go != "—" else "niets eraf"))
        + Html(".")
        for label, come, go in zip(labels[1:], enters[1:], leaves[1:], strict=True)
    ]
    if not moves:
        return EMPTY
    return tag("p", "Ten opzichte van de basis (lage raming):", cls="note") + bullet_list(
        moves, cls="moves"
    )


MAX_NAMES = 12  # longer lists of proposals are cut in the text; the workbook has them all


def _names(joined: str) -> str:
    """'a; b; c' as written, or its first MAX_NAMES and how many more (all in voorstellen.xlsx)."""
    names = [n.strip() for n in joined.split(";") if n.strip()]
    if len(names) <= MAX_NAMES:
        return "; ".join(names)
    rest = len(names) - MAX_NAMES
    return "; ".join(names[:MAX_NAMES]) + f" en {rest} andere (alle in voorstellen.xlsx)"


def frontier_chart(data: BriefingData) -> Html:
    """The value of the next euro: best value per structural budget, with each scenario's budget."""
    if "frontier" not in data.charts:
        return tag(
            "p",
            "Niet berekend: voor zoveel kandidaat-voorstellen met zulke fijne bedragen duurt de "
            "exacte berekening te lang.",
            cls="note",
        )
    return Html(data.charts["frontier"])


def frontier_values_table(data: BriefingData, rows: int = 12) -> Html:
    """The frontier's values as text, beside its chart: the best value at budgets in round steps
    (€ 0,5 mln, or larger so that about `rows` rows cover every budget where it still rises)."""
    frontier = data.frontier
    if frontier is None or frontier.empty:
        return EMPTY
    top = float(frontier["budget_eur"].max())
    step = next(s for s in (250_000, 500_000, 1_000_000, 2_000_000, 5_000_000, 10**7, 10**8)
                if top / s <= rows) if top > 0 else 1.0  # fmt: skip
    budgets = [step * k for k in range(int(top // step) + 2)]
    ordered = frontier.sort_values("budget_eur")
    records = [
        {"budget": b, "value": float(ordered[ordered["budget_eur"] <= b + 1e-6]["value"].max())}
        for b in budgets
    ]
    cols = [
        Column("Structureel budget per jaar", lambda r: euro(r["budget"]), "num"),
        Column("Beste haalbare waarde", lambda r: value_text(r["value"]), "num"),
    ]
    params = data.rank_parameters
    reach = "" if params.get("frontier_complete", True) else (
        f" (berekend tot {euro_short(params['frontier_max_budget_eur'])} per jaar)"
    )  # fmt: skip
    caption = "De waarde van de volgende euro in getallen" + reach
    return table(records, cols, cls="data small", caption=caption)


def cost_phrase(rec: dict) -> str:
    """A proposal's indicative cost in words: '€ 100.000 – € 200.000 per jaar + € 50.000
    incidenteel', 'p.m.' or '€ 0'."""
    if rec.get("cost_status") == "pm":
        return "p.m."
    parts = []
    if rec.get("structural_high_eur"):
        low, high = rec["structural_low_eur"], rec["structural_high_eur"]
        parts.append(euro_range(low, high, short=False) + " per jaar")
    if rec.get("incidental_high_eur"):
        low, high = rec["incidental_low_eur"], rec["incidental_high_eur"]
        parts.append(euro_range(low, high, short=False) + " incidenteel")
    return " + ".join(parts) or "€ 0"


def change_words(rec: dict, public: bool, labels: Labels) -> str:
    """What changed about a proposal, in words: 'nieuw', 'vervallen' ('niet meer opgenomen' in
    public), or the field ('kosten', 'titel (zelfde indiener, ...)')."""
    if rec["kind"] != "changed":
        return labels.word("change_kind_public" if public else "change_kind", rec["kind"])
    note = f" ({rec['evidence']})" if rec["evidence"] and rec["field"] == "title" else ""
    return f"{labels.word('changed_field', rec['field'])}{note}"


def changes(
    data: BriefingData, theme: str | None = None, public: Sequence[str] = ()
) -> pd.DataFrame:
    """The changes against the release compared with (changes.CHANGE_COLUMNS); for the public
    annex (`public` appraisals) only proposals it shows, and never the appraisal."""
    from stmh_analysis.changes import compare_proposals

    cur, old = data.proposals, data.baseline
    if old is None:
        return pd.DataFrame()
    fields: tuple[str, ...] = ("cost", "appraisal", "theme", "title")
    if public:
        cur = cur[published(cur, public)]
        old = old[published(old, public)]
        fields = ("cost", "theme", "title")
        cur, old = _masked(cur), _masked(old)  # the public filter, as in public_view

    def describe(name: str, rec: dict) -> str:
        if name == "cost":
            return cost_phrase(rec)
        if name == "theme":
            return data.theme_label(rec["theme"])
        if name == "appraisal":
            return data.reference.appraisal_labels.get(rec.get("appraisal") or "", "geen")
        return str(rec.get(name) or "")

    found = compare_proposals(cur, old, fields, describe)
    if theme is not None and len(found):
        found = found[(found["theme"] == theme) | (found["old_theme"] == theme)]
    return found


def changes_table(data: BriefingData, theme: str | None = None, public: Sequence[str] = ()) -> Html:
    """New, withdrawn and changed proposals against the last release (or the one asked for),
    with old and new values and the counts; one sentence when there is no release or no change."""
    from stmh_analysis.changes import count_changes

    release = data.baseline_release
    if release is None:
        if public:
            return tag("p", "Dit is de eerste versie van deze bijlage.")
        return tag(
            "p",
            "Er is nog geen verzonden versie om mee te vergelijken. Zodra deze versie is "
            "verzonden en vastgelegd, noemt de volgende versie wat er sindsdien veranderde.",
        )
    since = (
        f"de versie van {dutch_date(release.day)}"
        if public
        else f"de verzonden versie {release.name} van {dutch_date(release.day)}"
    )
    found = changes(data, theme, public)
    if found.empty:
        return tag("p", f"Geen wijzigingen ten opzichte van {since}.")
    n = count_changes(found)
    kinds = data.reference.labels.words("change_kind_public" if public else "change_kind")
    counts = (
        f"Ten opzichte van {since}: {n['new']} {kinds['new']}, {n['withdrawn']} "
        f"{kinds['withdrawn']}, {n['changed']} {kinds['changed']}."
    )
    records = found.to_dict("records")
    for previous, rec in zip([None, *records], records, strict=False):
        rec["first"] = previous is None or previous["proposal_id"] != rec["proposal_id"]

    def what(r: dict) -> str:
        return change_words(r, bool(public), data.reference.labels)

    cols = [
        Column(
            "Voorstel",
            lambda r: _proposal_cell(r) if r["first"] else Html(""),
            "main",
        ),
        Column("Wijziging", what),
        Column("Was", lambda r: r["old"]),  # a cost, a theme or a title: read left to right
        Column("Wordt", lambda r: r["new"]),
    ]
    return tag("p", counts, cls="note") + table(records, cols, cls="data changes")


def open_questions_table(data: BriefingData) -> Html:
    """Every question still open, with the partner and the place (internal)."""
    review = data.review
    still_open = review[review["status"].isin(["open", "opnieuw open"])] if len(review) else review
    if not len(still_open):
        return tag("p", "Geen open vragen: elke vraag is door de analist beantwoord.")
    kinds = data.reference.review.kinds
    cols = [
        Column("Partner", lambda r: r["organisation"]),
        Column("Voorstel", lambda r: r["title"]),
        Column(
            "Vraag",
            lambda r: (
                kinds[r["kind"]].label
                + (
                    " (opnieuw: de partner wijzigde de tekst)"
                    if r["status"] == "opnieuw open"
                    else ""
                )
            ),
        ),
        Column(
            "Plaats",
            lambda r: breakable(
                f"{r['source_file']} {r['source_sheet']} r{r['source_row']}".replace("  ", " ")
            ),
        ),
        Column("Gebruikte lezing", lambda r: r["reading"]),
    ]
    order = still_open.sort_values(["organisation", "title", "kind"], kind="stable")
    return table(order.to_dict("records"), cols)


def accounting_table(data: BriefingData) -> Html:
    """Per file and sheet: rows read, in proposals, merged, flagged, rejected, skipped."""
    acc = data.accounting.copy()
    warn = data.issues[data.issues["level"] == "warning"]
    flagged = warn.groupby(["source_file", "source_sheet"])["source_row"].nunique()
    acc["flagged"] = [
        int(flagged.get((f, s), 0))
        for f, s in zip(acc["source_file"], acc["source_sheet"], strict=True)
    ]
    cols = [
        Column(
            "Bestand",
            lambda r: breakable(
                r["source_file"] + (f" ({r['source_sheet']})" if r["source_sheet"] else "")
            ),
        ),
        Column("Regels", lambda r: number(r["rows_in"]), "num"),
        Column("In voorstellen", lambda r: number(r["in_proposals"]), "num"),
        Column("Samengevoegd", lambda r: number(r["merged"]), "num"),
        Column("Met opmerking", lambda r: number(r["flagged"]), "num"),
        Column("Afgewezen", lambda r: number(r["rejected"]), "num"),
        Column("Overgeslagen", lambda r: number(sum(r[c] for c in SKIPPED_COUNTS)), "num"),
    ]
    return table(acc.to_dict("records"), cols)


def warnings_list(data: BriefingData) -> Html:
    """What cleaning noticed, per kind, with how often; and each appraisal or decision that
    followed a proposal its partner retitled."""
    warn = data.issues[data.issues["level"] == "warning"]
    counts = warn.groupby("code").size().sort_values(ascending=False)
    texts = data.reference.problem_texts
    items = [f"{texts.get(code, code)}: {n}×" for code, n in counts.items()]
    followed = data.issues[data.issues["code"] == "followed_retitle"]
    items += [f"{r['source_file']}: {r['message']}" for r in followed.to_dict("records")]
    return bullet_list(items) if items else EMPTY


def rejected_table(data: BriefingData) -> Html:
    """The rejected rows with their reason and whom to call (internal)."""
    rej = data.rejected
    if not len(rej):
        return tag("p", "Geen regels afgewezen.")
    props = data.proposals
    named = (
        props[props["contact_person"].fillna("") != ""]
        if "contact_person" in props
        else props.iloc[0:0]
    )
    contacts = named.groupby("source_file")["contact_person"].first().to_dict()
    cols = [
        Column(
            "Bestand, blad, regel",
            lambda r: breakable(
                f"{r['source_file']} {r['source_sheet']} r{r['source_row']}".replace("  ", " ")
            ),
        ),
        Column("Voorstel", lambda r: r["title"] or "(geen titel)"),
        Column(
            "Reden",
            lambda r: (
                "; ".join(reason_text(c, data.reference) for c in str(r["reason"]).split(";"))
                + (f" ({r['cost_text']})" if r.get("cost_text") else "")
            ),
        ),
        Column("Contact", lambda r: contacts.get(r["source_file"], "")),
    ]
    return table(rej.to_dict("records"), cols)


def not_read_list(data: BriefingData) -> Html:
    """Files and sheets not read (or an older version given way), with the reason."""
    issues = data.issues
    about_proposals = set(flag_codes(data.reference.problems)) | set(
        _REVIEW_NOTICES
    )  # said elsewhere in the nota
    notices = issues[
        (issues["level"].isin(["error", "notice"]) & ~issues["code"].isin(about_proposals))
        | (issues["code"] == "superseded_version")
    ]
    items = [
        f"{r['source_file']}"
        + (f" ({r['source_sheet']})" if r["source_sheet"] else "")
        + f": {r['message'] if r['code'] == 'superseded_version' else data.reference.problem_texts.get(r['code'], r['message'])}"
        for r in notices.to_dict("records")
    ]
    return bullet_list(items) if items else EMPTY


# notices about the analyst's review, counted in the data-quality section, not 'not read'
_REVIEW_NOTICES = ("followed_retitle", "analyst_merged", "decision_file_ignored")


def reason_text(code: str, reference: Reference) -> str:
    """The Dutch text of a problem code, with the run's own limit where the text names one."""
    if code == "amount_implausible":
        return f"onwaarschijnlijk hoog bedrag (boven {euro_short(reference.max_amount_eur)})"
    return reference.problem_texts.get(code, code)


def inputs_table(data: BriefingData) -> Html:
    """Every input file with its kind and SHA-256 fingerprint."""
    role = {"submission": "inzending", "appraisals": "appreciaties", "decisions": "beoordelingen"}
    cols = [
        Column("Bestand", lambda r: breakable(r["file"])),
        Column("Soort", lambda r: role.get(r["role"], r["role"])),
        Column("SHA-256", lambda r: r["sha256"], "hash"),
    ]
    return table(data.inputs.to_dict("records"), cols, cls="data small")


def public_tables(data: BriefingData, options: BriefingOptions) -> Html:
    """The public annex: per theme the published proposals with indicative amounts."""
    pub = public_view(data.proposals[published(data.proposals, options.public_appraisals)])
    order = data.ranking.set_index("proposal_id")["rank_in_theme"]
    pub = pub.assign(_order=pub["proposal_id"].map(order)).sort_values(["theme", "_order"])
    long_names = data.reference.org_long_names
    parts = []
    for slug in data.reference.theme_labels:
        rows = pub[pub["theme"] == slug]
        if rows.empty:
            continue
        cols = [
            Column("Voorstel en indiener", lambda r: _proposal_cell(r, long_names), "main"),
            Column("Omschrijving", lambda r: r["summary"]),
            Column("Indicatieve kosten", _public_cost, "num"),
        ]
        parts.append(
            tag(
                "section",
                tag("h2", data.theme_label(slug)) + table(rows.to_dict("records"), cols),
                cls="theme",
            )
        )
    return tag("section", join(parts), cls="bijlage")


def _public_cost(rec: dict) -> str:
    structural, incidental = _cost_cells(rec)
    if rec.get("cost_status") == "pm":
        return "p.m. (nog niet te ramen)"
    parts = [
        p
        for p in (
            structural if structural != "—" else "",
            incidental if incidental != "—" else "",
        )
        if p
    ]
    return "; ".join(parts)
