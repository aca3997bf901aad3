"""The analyst's review: every flag an analyst can settle becomes a question, every answer a
decision that is kept, applied on each run, and never hides a partner's correction.

- `build_questions`: one question per proposal and kind (bedrag, thema, organisatie, dubbel,
  subtotaal; data/reference/review.yaml says which flag asks which), with what the partner wrote,
  where, the reading the run used and the alternatives it saw, and a fingerprint of what the
  analyst is shown.
- `read_decisions` (I/O): the answers, saved by the analyst as data/raw/beoordelingen.xlsx (or
  .csv/.ods), read like any raw file and never written.
- `settle`: applies each decision to its proposal, by proposal_id or, for a proposal its partner
  retitled, matched the way 'what changed' matches it. A decision whose fingerprint no longer
  matches what the partner wrote is not applied: the proposal is flagged `decision_outdated` with
  both versions. A decision for a proposal that no longer exists is listed, not dropped.

All pure but `read_decisions`; clean.py calls them, report/review_workbook.py writes the queue.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from stmh_analysis.changes import match_retitled
from stmh_analysis.outputs import AMOUNT_COLUMNS, REVIEW_WORKBOOK
from stmh_analysis.review_rules import KINDS, ReviewRules
from stmh_analysis.text import match_key

OPEN, DECIDED, REOPENED = "open", "besloten", "opnieuw open"

# What an analyst fills in beside the decision itself (the yellow columns of the workbook).
DECIDED_FIELDS = [
    *AMOUNT_COLUMNS,
    "first_year",
    "last_year",
    "decided_theme",
    "decided_organisation",
    "reason",
    "decided_by",
    "decided_on",
]
QUESTION_COLUMNS = [
    "question_id",
    "status",  # OPEN, DECIDED, REOPENED
    "kind",
    "proposal_id",
    "organisation",
    "theme",
    "title",
    "summary",
    "partner_text",  # what the analyst is shown of the partner's file
    "source_file",
    "source_sheet",
    "source_row",
    "codes",
    "remark",  # the flags' texts, with the amount reader's reasons
    "reading",  # the reading the run used, in words
    "alternatives",
    "fingerprint",  # of partner_text: a decision applies only while it is unchanged
    "touches_public_figure",
    "earlier_decision",  # an outdated decision, in words
    # the decision, when there is one
    "decision",
    *DECIDED_FIELDS,
]
DECISION_FIELDS = [
    "question_id",
    "proposal_id",
    "kind",
    "decision",
    *DECIDED_FIELDS,
    "fingerprint",
    "partner_text",
    "organisation",
    "title",
    "summary",
    "source_file_seen",
    "source_row_seen",
]
LOG_COLUMNS = [
    "source_file",
    "source_row",
    "question_id",
    "proposal_id",
    "kind",
    "decision",
    "status",  # applied, outdated, unmatched, invalid
    "decided_by",
    "decided_on",
    "reason",
    "detail",
]


# --- what the analyst is shown -------------------------------------------------------------------


def fingerprint(text: str) -> str:
    """A short hash of what the analyst saw: a decision applies only while it is unchanged."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def partner_text(rec: Mapping, kind: str) -> str:
    """The partner's own words and cells that a question of `kind` is about. The title is left
    out, so a decision follows a proposal its partner only retitled; the cells a reading rests on
    are in, so any change to them opens the question again."""

    def v(name: str) -> str:
        value = rec.get(name)
        return (
            "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)
        )

    if kind == "bedrag":
        return v("cost_cells") or f"kosten: {v('cost_text')}"
    if kind == "thema":
        return f"thema: {v('theme_raw') or '(leeg)'} | omschrijving: {v('summary')}"
    if kind == "organisatie":
        return f"organisatie: {v('organisation_raw') or '(leeg)'}"
    if kind == "dubbel":
        return f"lijkt op: {v('possible_duplicate_of')}"
    return f"kosten: {v('cost_text')}"


def _euros(value: float) -> str:
    from stmh_analysis.report.format import euro

    return euro(value)


def reading(rec: Mapping, kind: str, theme_labels: Mapping[str, str]) -> str:
    """The reading the run used, in words."""
    if kind == "bedrag":
        if rec.get("cost_status") == "pm":
            return "p.m. (geen bedrag)"
        parts = []
        for label, low, high, unit in (
            ("structureel", "structural_low_eur", "structural_high_eur", " per jaar"),
            ("incidenteel", "incidental_low_eur", "incidental_high_eur", " in totaal"),
        ):
            lo, hi = float(rec.get(low) or 0), float(rec.get(high) or 0)
            if lo or hi:
                amount = _euros(lo) if lo == hi else f"{_euros(lo)} tot {_euros(hi)}"
                parts.append(f"{label} {amount}{unit}")
        years = [str(rec[y]) for y in ("first_year", "last_year") if not pd.isna(rec.get(y))]
        text = "; ".join(parts) or "€ 0"
        return text + (f" ({'–'.join(dict.fromkeys(years))})" if years else "")
    if kind == "thema":
        return str(theme_labels.get(str(rec.get("theme")), rec.get("theme")))
    if kind == "organisatie":
        return str(rec.get("organisation", ""))
    if kind == "dubbel":
        return "apart gehouden, niet samengevoegd"
    return "als voorstel geteld"


def build_questions(
    proposals: pd.DataFrame,
    issues: pd.DataFrame,
    locations: pd.DataFrame,
    rules: ReviewRules,
    theme_labels: Mapping[str, str],
) -> pd.DataFrame:
    """One open question per proposal and kind, for every flag an analyst can settle: on the
    proposal itself, or on a row merged into it (`locations`: file, sheet, row -> proposal_id)."""
    asked: dict[tuple[str, str], dict[str, str]] = {}  # (id, kind) -> code -> remark
    for kind in rules.kinds.values():
        for code in (c for c in kind.flags if c in proposals.columns):
            for pid in proposals.loc[proposals[code].astype(bool), "proposal_id"]:
                asked.setdefault((pid, kind.name), {})[code] = ""
    where = _location_index(locations)
    by_id = proposals.set_index("proposal_id", drop=False)
    notes = (
        dict(zip(proposals["proposal_id"], proposals["amount_notes"], strict=True))
        if "amount_notes" in proposals.columns
        else {}
    )
    for rec in issues[issues["level"] == "warning"].to_dict("records"):
        kind = rules.kind_of(rec["code"])
        pid = where.get(_place(rec))
        if kind and pid:
            remarks = asked.setdefault((pid, kind), {})
            if not remarks.get(rec["code"]):
                remarks[rec["code"]] = _without_notes(str(rec["message"]), notes.get(pid))
    asked_ids = {pid for pid, _ in asked}
    records = {
        r["proposal_id"]: r
        for r in proposals[proposals["proposal_id"].isin(asked_ids)].to_dict("records")
    }
    rows = [
        question_row(records[pid], kind, remarks, by_id, rules, theme_labels)
        for (pid, kind), remarks in sorted(asked.items())
    ]
    return pd.DataFrame(rows, columns=QUESTION_COLUMNS)


def question_row(
    rec: Mapping,
    kind: str,
    remarks: Mapping[str, str],
    by_id: pd.DataFrame,
    rules: ReviewRules,
    theme_labels: Mapping[str, str],
) -> dict:
    """The question of `kind` about proposal `rec`, open, with what the analyst needs to see."""
    text = partner_text(rec, kind)
    return {
        **{c: "" for c in QUESTION_COLUMNS},
        "question_id": f"{rec['proposal_id']}/{kind}",
        "status": OPEN,
        "kind": kind,
        "proposal_id": rec["proposal_id"],
        "organisation": rec.get("organisation", ""),
        "theme": rec.get("theme", ""),
        "title": rec.get("title", ""),
        "summary": rec.get("summary", ""),
        "partner_text": text,
        "source_file": rec.get("source_file", ""),
        "source_sheet": rec.get("source_sheet", ""),
        "source_row": str(rec.get("source_row", "")),
        "codes": ";".join(remarks),
        "remark": "; ".join(dict.fromkeys(m for m in remarks.values() if m)),
        "reading": reading(rec, kind, theme_labels),
        "alternatives": _alternatives(rec, kind, by_id),
        "fingerprint": fingerprint(text),
        "touches_public_figure": rules.kinds[kind].touches_public_figure,
    }


def _without_notes(message: str, notes: object) -> str:
    """A flag's text without the amount reader's reasons (those stand under 'alternatives')."""
    suffix = f" ({notes})" if isinstance(notes, str) and notes else None
    return message.removesuffix(suffix) if suffix else message


def _alternatives(rec: Mapping, kind: str, by_id: pd.DataFrame) -> str:
    if kind == "bedrag":
        notes = rec.get("amount_notes")
        return "" if notes is None or pd.isna(notes) else str(notes)
    if kind == "dubbel":
        others = [o for o in str(rec.get("possible_duplicate_of") or "").split(";") if o]
        return "; ".join(
            f"{o}: {by_id.at[o, 'title']} ({by_id.at[o, 'organisation']})"
            for o in others
            if o in by_id.index
        )
    return ""


def _place(rec: Mapping) -> tuple[str, str, str]:
    row = rec.get("source_row")
    row = "" if row is None or (not isinstance(row, str) and pd.isna(row)) else str(int(float(row)))
    return (str(rec.get("source_file") or ""), str(rec.get("source_sheet") or ""), row)


def _location_index(locations: pd.DataFrame) -> dict[tuple[str, str, str], str]:
    return {_place(r): r["proposal_id"] for r in locations.to_dict("records")}


# --- reading the decisions (the one function here with I/O) --------------------------------------


def decision_headers() -> dict[str, str]:
    """Header in the review workbook (and its field name, for a CSV) -> field of a decision."""
    from stmh_analysis.report.review_workbook import COLUMNS

    table = {match_key(c.header): c.source for c in COLUMNS}
    table.update({match_key(f): f for f in DECISION_FIELDS})
    return table


def read_decisions(raw_dir: Path, limits=None) -> tuple[pd.DataFrame, list]:
    """The analyst's decisions in data/raw (never written): one row per filled-in 'Besluit'."""
    from stmh_analysis.ingest import HEADER_SEARCH_ROWS, is_decisions_file, submission_files
    from stmh_analysis.problems import Problem
    from stmh_analysis.sheets import cell_text, read_file
    from stmh_analysis.text import normalise_whitespace

    columns = ["source_file", "source_row", *DECISION_FIELDS]
    empty = pd.DataFrame(columns=columns)
    found = [p for p in submission_files(raw_dir) if is_decisions_file(p)]
    if not found:
        return empty, []
    problems = [
        Problem("notice", p.name, "decision_file_ignored", f"tweede beoordelingenbestand genegeerd; alleen {found[0].name} is gebruikt")
        for p in found[1:]
    ]  # fmt: skip
    result = read_file(found[0], limits) if limits is not None else read_file(found[0])
    headers = decision_headers()
    for sheet in (s for s in result.sheets if not s.hidden):
        grid = [[normalise_whitespace(cell_text(v)) for v in row] for row in sheet.cells]
        at = next(
            (i for i, row in enumerate(grid[:HEADER_SEARCH_ROWS])
             if {"decision", "question_id"} <= {headers.get(match_key(c)) for c in row}),
            None,
        )  # fmt: skip
        if at is None:
            continue
        index: dict[str, int] = {}
        for j, cell in enumerate(grid[at]):
            index.setdefault(headers.get(match_key(cell), ""), j)
        records = []
        for row_no, typed, row in zip(
            sheet.row_numbers[at + 1 :], sheet.cells[at + 1 :], grid[at + 1 :], strict=True
        ):
            rec = {"source_file": found[0].name, "source_row": row_no}
            for f in DECISION_FIELDS:
                j = index.get(f)
                value = typed[j] if j is not None and j < len(typed) else None
                rec[f] = (
                    value
                    if isinstance(value, int | float) and not isinstance(value, bool)
                    else (row[j] if j is not None and j < len(row) else "")
                )
            if str(rec["decision"]).strip():
                records.append(rec)
        return pd.DataFrame(records, columns=columns), problems
    problems.append(
        Problem("warning", found[0].name, "decision_invalid", "beoordelingenbestand zonder de kolommen 'Vraag' en 'Besluit'; niet gebruikt")
    )  # fmt: skip
    return empty, problems


def no_decisions() -> pd.DataFrame:
    """The decisions of a raw folder without a decisions file."""
    return pd.DataFrame(columns=["source_file", "source_row", *DECISION_FIELDS])


def mark_decided(
    issues: pd.DataFrame, questions: pd.DataFrame, locations: pd.DataFrame
) -> pd.DataFrame:
    """The warnings a decision settled become notices that say so (they stay listed, with who
    decided), so what is left as a warning is what is still open."""
    done = questions[questions["status"] == DECIDED]
    if done.empty or issues.empty:
        return issues
    where = _location_index(locations)
    by_question = {
        (r["proposal_id"], code): r
        for r in done.to_dict("records")
        for code in str(r["codes"]).split(";")
        if code
    }
    out = issues.copy()
    for i, rec in zip(out.index, out.to_dict("records"), strict=True):
        hit = by_question.get((where.get(_place(rec)), rec["code"]))
        if hit is not None and rec["level"] == "warning":
            who = str(hit.get("decided_by") or "").strip() or "de analist"
            out.at[i, "level"] = "notice"
            out.at[i, "message"] = f"{rec['message']} — beoordeeld door {who}"
    return out


# --- settling ------------------------------------------------------------------------------------


@dataclass
class Settled:
    """What the decisions did: the proposals (flags as booleans) after them, the questions with
    their status, the log of every decision read, the problems to report, and the proposals an
    analyst withdrew or merged into another (id -> the id it went into)."""

    proposals: pd.DataFrame
    questions: pd.DataFrame
    log: pd.DataFrame
    problems: list[dict] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    merged: dict[str, str] = field(default_factory=dict)
    followed: list[tuple[str, str, str]] = field(default_factory=list)  # (new id, old id, why)
    rows: dict[str, dict] = field(default_factory=dict)  # question id -> its row, as settled
    rules: ReviewRules | None = None
    reference: object = None

    def settled_questions(self) -> pd.DataFrame:
        """The questions with what the decisions did to them (decided, open again, added)."""
        if not self.rows:
            return self.questions
        rest = self.questions[~self.questions["question_id"].isin(self.rows)]
        added = pd.DataFrame(list(self.rows.values()), columns=QUESTION_COLUMNS)
        both = pd.concat([rest, added], ignore_index=True) if len(rest) else added
        return both.sort_values("question_id", kind="stable").reset_index(drop=True)


class _Invalid(ValueError):
    """A decision that cannot be applied as written: (column, message)."""

    def __init__(self, column: str, message: str) -> None:
        super().__init__(message)
        self.column = column


def settle(
    proposals: pd.DataFrame,
    questions: pd.DataFrame,
    decisions: pd.DataFrame,
    rules: ReviewRules,
    reference,
) -> Settled:
    """Apply every decision that still fits what the partner wrote; say what became of each."""
    out = Settled(proposals.copy(), questions.copy(), pd.DataFrame(columns=LOG_COLUMNS))
    out.rules, out.reference = rules, reference
    if decisions.empty:
        return out
    decisions, out.followed = link_decisions(decisions, out.proposals)
    log, seen = [], set()
    known = set(out.proposals["proposal_id"])
    for rec in decisions.to_dict("records"):
        entry = {c: rec.get(c, "") for c in LOG_COLUMNS if c in rec}
        qid = f"{rec['proposal_id']}/{rec['kind']}"
        if qid in seen:
            status, detail = (
                "invalid",
                "tweede beoordeling van dezelfde vraag; de eerste is gebruikt",
            )
            out.problems.append(
                _problem(
                    rec, "decision_invalid", "Vraag", qid, f"beoordeling niet toegepast: {detail}"
                )
            )
        else:
            status, detail = _settle_one(rec, out, known)
        seen.add(qid)
        log.append({**{c: "" for c in LOG_COLUMNS}, **entry, "status": status, "detail": detail})
    out.log = pd.DataFrame(log, columns=LOG_COLUMNS)
    return out


def _problem(rec: Mapping, code: str, column: str, value: str, message: str) -> dict:
    """A problem in the decisions file, at the decision's own row."""
    return {"level": "warning", "source_file": rec["source_file"], "source_sheet": "",
            "source_row": rec["source_row"], "column": column, "value": str(value)[:200],
            "code": code, "message": message}  # fmt: skip


def link_decisions(
    decisions: pd.DataFrame, proposals: pd.DataFrame
) -> tuple[pd.DataFrame, list[tuple[str, str, str]]]:
    """Each decision's proposal: by proposal_id, or the proposal its partner retitled (same
    partner; same description, or same row and cost text, or a title mostly alike)."""
    d = decisions.copy()
    d["proposal_id"] = d["proposal_id"].astype(str).str.strip()
    missing = d["question_id"].astype(str).str.partition("/")[0]
    d["proposal_id"] = d["proposal_id"].where(d["proposal_id"] != "", missing)
    d["kind"] = (
        d["kind"]
        .astype(str)
        .where(
            d["kind"].astype(str).isin(KINDS), d["question_id"].astype(str).str.partition("/")[2]
        )
    )
    gone = d[~d["proposal_id"].isin(proposals["proposal_id"])]
    if gone.empty:
        return d, []
    old = pd.DataFrame(
        {
            "proposal_id": gone["proposal_id"],
            "organisation": gone["organisation"],
            "title": gone["title"],
            "summary": gone["summary"],
            "source_file": gone["source_file_seen"],
            "source_row": gone["source_row_seen"].astype(str),
            "cost_text": "",
        }
    ).drop_duplicates("proposal_id")
    new = proposals[~proposals["proposal_id"].isin(d["proposal_id"])].assign(
        source_row=lambda f: f["source_row"].astype(str)
    )
    pairs = match_retitled(new, old)
    moved = {old_id: new_id for new_id, old_id, _ in pairs}
    d["proposal_id"] = d["proposal_id"].map(lambda i: moved.get(i, i))
    return d, pairs


def _settle_one(rec: dict, out: Settled, known: set[str]) -> tuple[str, str]:
    """Apply one decision; return its status and a detail in Dutch. Problems go to out.problems."""
    pid, kind = rec["proposal_id"], rec["kind"]
    if pid not in known or pid in out.withdrawn or pid in out.merged:
        message = f"beoordeling van {rec.get('title') or pid} hoort bij geen voorstel meer; niet toegepast"
        out.problems.append(
            _problem(rec, "decision_unmatched", "Vraag", rec["question_id"], message)
        )
        return "unmatched", "geen voorstel met dit kenmerk of deze titel"
    if kind not in out.rules.kinds:
        detail = f"onbekende vraag {rec.get('question_id')!r}"
        out.problems.append(
            _problem(
                rec,
                "decision_invalid",
                "Vraag",
                rec["question_id"],
                f"beoordeling niet toegepast: {detail}",
            )
        )
        return "invalid", detail
    idx = out.proposals.index[out.proposals["proposal_id"] == pid][0]
    current = partner_text(out.proposals.loc[idx].to_dict(), kind)
    if str(rec.get("fingerprint") or "") != fingerprint(current):
        return "outdated", _outdated(rec, out, idx, current)
    try:
        code = _check(rec, kind, out.rules, out.reference, out.proposals.loc[idx])
        detail = _apply(code, rec, kind, idx, out, out.reference)
    except _Invalid as exc:
        out.problems.append(
            _problem(
                rec,
                "decision_invalid",
                exc.column,
                rec.get("decision", ""),
                f"beoordeling niet toegepast: {exc}",
            )
        )
        return "invalid", str(exc)
    row = _question(out, idx, kind)
    row.update(status=DECIDED, decision=code)
    for c in DECIDED_FIELDS:
        value = rec.get(c, "")
        row[c] = "" if value is None or (not isinstance(value, str) and pd.isna(value)) else value
    return "applied", detail


def _outdated(rec: Mapping, out: Settled, idx, current: str) -> str:
    """Flag the proposal with both versions; the question opens again."""
    who = " ".join(str(rec.get(x) or "").strip() for x in ("decided_by", "decided_on")).strip()
    detail = f"was: {rec.get('partner_text') or '(onbekend)'}; nu: {current}"
    out.proposals.at[idx, "decision_outdated"] = True
    row = _question(out, idx, rec["kind"])
    earlier = _decision_words(rec, out.rules) + (f" ({who})" if who else "")
    row.update(status=REOPENED, earlier_decision=f"{earlier}; {detail}")
    where = _at(out.proposals.loc[idx])
    out.problems.append({**where, "level": "warning", "column": "", "value": current[:200], "code": "decision_outdated",
                         "message": f"beoordeling niet toegepast: de partner wijzigde wat de analist beoordeelde; {detail}"})  # fmt: skip
    return detail


def _question(out: Settled, idx, kind: str) -> dict:
    """The question row of proposal `idx` and `kind` (a dict that updates the table), made when
    the run did not ask it this time (the reading no longer flagged, or the text changed)."""
    qid = f"{out.proposals.at[idx, 'proposal_id']}/{kind}"
    if qid not in out.rows:
        hit = out.questions.index[out.questions["question_id"] == qid]
        if len(hit):
            out.rows[qid] = out.questions.loc[hit[0]].to_dict()
        else:
            by_id = out.proposals.set_index("proposal_id", drop=False)
            rec = out.proposals.loc[idx].to_dict()
            out.rows[qid] = question_row(
                rec, kind, {}, by_id, out.rules, out.reference.theme_labels
            )
    return out.rows[qid]


def _at(row: pd.Series) -> dict:
    return {
        "source_file": row["source_file"],
        "source_sheet": row["source_sheet"],
        "source_row": row["source_row"],
    }


def _decision_words(rec: Mapping, rules: ReviewRules) -> str:
    code = rules.decision_code(rec.get("decision"))
    return rules.decision_labels.get(code or "", str(rec.get("decision")))


def _check(rec: Mapping, kind: str, rules: ReviewRules, reference, proposal: pd.Series) -> str:
    """The decision's code, when it fits the question; else _Invalid saying what is missing."""
    if kind not in rules.kinds:
        raise _Invalid("Vraag", f"onbekende vraag {rec.get('question_id')!r}")
    code = rules.decision_code(rec.get("decision"))
    allowed = rules.kinds[kind].decisions
    if code not in allowed:
        choices = ", ".join(repr(rules.decision_labels[d]) for d in allowed)
        raise _Invalid(
            "Besluit", f"{rec.get('decision')!r} past niet bij deze vraag; kies {choices}"
        )
    if (
        code == "aangepast"
        and kind == "bedrag"
        and not any(_filled(rec.get(c)) for c in AMOUNT_COLUMNS)
    ):
        raise _Invalid(
            "Structureel laag (€ per jaar)",
            "'aangepast' zonder bedrag: vul ten minste één bedrag in",
        )
    if code == "aangepast" and kind == "thema" and _theme(rec, reference) is None:
        raise _Invalid(
            "Thema (besluit)", f"onbekend thema {rec.get('decided_theme')!r}; kies uit de lijst"
        )
    if (
        code == "aangepast"
        and kind == "organisatie"
        and not str(rec.get("decided_organisation") or "").strip()
    ):
        raise _Invalid(
            "Organisatie (besluit)", "'aangepast' zonder organisatie: vul de organisatie in"
        )
    if code == "samenvoegen" and not _merge_target(proposal):
        raise _Invalid("Besluit", "samenvoegen: het andere voorstel bestaat niet meer")
    return code


def _filled(value: object) -> bool:
    return value is not None and str(value).strip() not in ("", "nan", "None")


def _theme(rec: Mapping, reference) -> str | None:
    return reference.theme_aliases.get(match_key(rec.get("decided_theme")))


def _merge_target(proposal: pd.Series) -> str:
    return next((o for o in str(proposal.get("possible_duplicate_of") or "").split(";") if o), "")


def decided_amounts(rec: Mapping) -> dict[str, object]:
    """The analyst's figures and years, checked: numbers of € 0 or more, low <= high (a high
    left empty is the low), years from 1900 to 2100 with first <= last."""
    from stmh_analysis.parameters import parse_euros

    out: dict[str, object] = {}
    for low, high, header in (
        ("structural_low_eur", "structural_high_eur", "Structureel"),
        ("incidental_low_eur", "incidental_high_eur", "Incidenteel"),
    ):
        try:
            lo = parse_euros(rec[low], header) if _filled(rec.get(low)) else None
            hi = parse_euros(rec[high], header) if _filled(rec.get(high)) else None
        except ValueError as exc:
            raise _Invalid(f"{header} laag", str(exc)) from None
        lo, hi = (lo if lo is not None else hi or 0.0), (hi if hi is not None else lo or 0.0)
        if lo > hi:
            raise _Invalid(
                f"{header} hoog", f"laag ({_euros(lo)}) is hoger dan hoog ({_euros(hi)})"
            )
        out[low], out[high] = lo, hi
    years = []
    for name, header in (("first_year", "Eerste jaar"), ("last_year", "Laatste jaar")):
        value = rec.get(name)
        if not _filled(value):
            years.append(pd.NA)
            continue
        try:
            year = int(float(str(value).strip()))
        except ValueError:
            raise _Invalid(header, f"{value!r} is geen jaartal") from None
        if not 1900 <= year <= 2100:
            raise _Invalid(header, f"{year} is geen aannemelijk jaartal")
        years.append(year)
    if not any(pd.isna(y) for y in years) and years[0] > years[1]:
        raise _Invalid("Laatste jaar", f"laatste jaar {years[1]} ligt voor het eerste {years[0]}")
    out["first_year"], out["last_year"] = years
    return out


def _apply(code: str, rec: Mapping, kind: str, idx, out: Settled, reference) -> str:
    """Carry out one checked decision on proposal `idx`; return what it did, in Dutch."""
    frame = out.proposals
    pid = frame.at[idx, "proposal_id"]
    if code == "intrekken":
        out.withdrawn.append(pid)
        return "ingetrokken"
    if code == "samenvoegen":
        target = _merge_target(frame.loc[idx])
        out.merged[pid] = target
        at = frame.index[frame["proposal_id"] == target][0]
        frame.at[at, "merged_rows"] = int(frame.at[at, "merged_rows"]) + int(
            frame.at[idx, "merged_rows"]
        )
        others = set(filter(None, str(frame.at[at, "co_submitters"]).split(";")))
        if frame.at[idx, "organisation"] != frame.at[at, "organisation"]:
            others.add(str(frame.at[idx, "organisation"]))
        frame.at[at, "co_submitters"] = ";".join(sorted(others))
        frame.at[at, "duplicate_merged"] = True
        frame.at[at, "analyst_decided"] = True
        return f"samengevoegd met {target}"
    detail = "lezing bevestigd"
    if code == "aangepast" and kind == "bedrag":
        amounts = decided_amounts(rec)
        for column, value in amounts.items():
            frame.at[idx, column] = value
        frame.at[idx, "cost_status"] = "estimated"
        detail = "bedrag vastgesteld: " + reading(
            {**frame.loc[idx].to_dict()}, "bedrag", reference.theme_labels
        )
    elif code == "aangepast" and kind == "thema":
        frame.at[idx, "theme"] = _theme(rec, reference)
        detail = f"thema vastgesteld: {reference.theme_labels[frame.at[idx, 'theme']]}"
    elif code == "aangepast" and kind == "organisatie":
        typed = str(rec["decided_organisation"]).strip()
        frame.at[idx, "organisation"] = reference.org_aliases.get(match_key(typed), typed)
        detail = f"organisatie vastgesteld: {frame.at[idx, 'organisation']}"
    for flag in _flags_of(kind, out.questions, pid):
        frame.at[idx, flag] = False
    frame.at[idx, "analyst_decided"] = True
    return detail


def _flags_of(kind: str, questions: pd.DataFrame, pid: str) -> list[str]:
    hit = questions[questions["question_id"] == f"{pid}/{kind}"]
    return [c for c in ";".join(hit["codes"]).split(";") if c]


__all__ = ["REVIEW_WORKBOOK", "build_questions", "read_decisions", "settle", "mark_decided"]
