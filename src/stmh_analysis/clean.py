"""Submission rows -> proposals: normalise, read costs, merge duplicates, account for every row.

The steps are pure: data in, data out, with `clean_submissions` tying them together. Each row
ends up in `proposals` (possibly merged into another row), in `rejected` with its reasons, or was
skipped by ingest with a reason; `accounting` shows the balance per file and sheet.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from stmh_analysis.amounts import (
    Amount,
    AmountError,
    amount_from_number,
    amount_from_years,
    parse_amount,
)
from stmh_analysis.changes import match_retitled
from stmh_analysis.ingest import Submissions
from stmh_analysis.privacy import known_names, mask_personal
from stmh_analysis.problems import PROBLEM_COLUMNS, flag_codes, problems_frame
from stmh_analysis.reference import Reference
from stmh_analysis.review import build_questions, mark_decided, no_decisions, settle
from stmh_analysis.schema import (
    ACCOUNTING_COUNTS,
    AMOUNT_COLUMNS,
    PROPOSAL_COLUMNS,
    SKIPPED_COUNTS,
    candidates_schema,
    schema_failures,
    validate_proposals,
)
from stmh_analysis.structures import cell_pairs
from stmh_analysis.text import match_keys


@dataclass
class CleanResult:
    proposals: pd.DataFrame
    rejected: pd.DataFrame
    issues: pd.DataFrame
    accounting: pd.DataFrame
    questions: pd.DataFrame = field(default_factory=pd.DataFrame)  # the review queue
    decisions: pd.DataFrame = field(default_factory=pd.DataFrame)  # what became of each decision


# --- vocabularies --------------------------------------------------------------------------------


def _closest(key: str, choices: list[str], cutoff: float) -> str | None:
    if len(key) < 4:
        return None
    found = difflib.get_close_matches(key, choices, n=1, cutoff=cutoff)
    return found[0] if found else None


def normalise_organisation(
    raw: pd.Series, hint: pd.Series, reference: Reference
) -> tuple[pd.Series, pd.DataFrame]:
    """Canonical organisation names and the flags (org_unknown, org_fuzzy, org_inferred)."""
    keys = match_keys(raw.fillna(""))
    canonical = keys.map(reference.org_aliases)
    unknown = canonical.isna() & (keys != "")
    fuzzy = pd.Series(False, index=raw.index)
    if unknown.any():
        choices = list(reference.org_aliases)
        close = {k: _closest(k, choices, 0.85) for k in keys[unknown].unique()}
        matched = keys[unknown].map(
            lambda k: reference.org_aliases.get(close[k]) if close[k] else None
        )
        canonical = canonical.fillna(matched)
        fuzzy = unknown & canonical.notna()
    empty = keys == ""
    inferred = empty & (hint.fillna("") != "")
    canonical = canonical.where(~inferred, hint)
    still_unknown = canonical.isna() & ~empty
    canonical = canonical.fillna(raw.fillna("").str.strip()).astype("string")
    flags = pd.DataFrame(
        {"org_unknown": still_unknown, "org_fuzzy": fuzzy, "org_inferred": inferred}
    )
    return canonical, flags


def infer_theme(text: pd.Series, reference: Reference) -> pd.Series:
    """Theme slug from title and description where one theme clearly has the most keyword hits."""
    keyed = " " + match_keys(text.fillna("")).fillna("") + " "
    hits = {}
    for slug, words in reference.theme_keywords.items():
        if not words:
            continue
        pattern = (
            r"(?<= )(?:"
            + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
            + r")(?= )"
        )
        hits[slug] = keyed.str.count(pattern)
    table = pd.DataFrame(hits, index=text.index)
    ordered = np.sort(table.to_numpy(), axis=1)
    clear = (ordered[:, -1] > 0) & (ordered[:, -1] > ordered[:, -2])
    best = table.idxmax(axis=1)
    return best.where(clear).astype("string")


def normalise_theme(
    raw: pd.Series, text: pd.Series, reference: Reference, hint: pd.Series | None = None
) -> tuple[pd.Series, pd.DataFrame]:
    """Theme slugs and flags (theme_fuzzy, theme_from_file, theme_inferred, theme_unknown).

    An empty theme cell takes the theme the file itself states (a section row above the row, a
    sheet named after a theme: `hint`) before it is inferred from the text. Never drops a row.
    """
    keys = match_keys(raw.fillna(""))
    from_file = pd.Series(False, index=raw.index)
    if hint is not None:
        hint = hint.fillna("").astype(str)
        from_file = (keys == "") & (hint != "")
        keys = keys.where(~from_file, hint)
    slug = keys.map(reference.theme_aliases)
    unmatched = slug.isna() & (keys != "")
    fuzzy = pd.Series(False, index=raw.index)
    if unmatched.any():
        choices = list(reference.theme_aliases)
        close = {k: _closest(k, choices, 0.8) for k in keys[unmatched].unique()}
        slug = slug.fillna(
            keys[unmatched].map(
                lambda k: reference.theme_aliases.get(close[k]) if close[k] else None
            )
        )
        fuzzy = unmatched & slug.notna()
    missing = slug.isna()
    inferred_slug = (
        infer_theme(text[missing], reference) if missing.any() else pd.Series(dtype="string")
    )
    slug = slug.fillna(inferred_slug)
    inferred = missing & slug.notna()
    unknown = slug.isna()
    slug = slug.fillna("overig").astype("string")
    return slug, pd.DataFrame(
        {
            "theme_fuzzy": fuzzy,
            "theme_from_file": from_file,
            "theme_inferred": inferred,
            "theme_unknown": unknown,
        }
    )


# --- costs ---------------------------------------------------------------------------------------

_FIELD_BASIS = {"cost": None, "cost_structural": "structureel", "cost_incidental": "incidenteel"}


def _scales(text: str) -> dict[str, float]:
    return {k: float(v) for k, v in cell_pairs(text).items()}


def _parse_row_cost(
    costs: tuple[tuple[str, str], ...],
    basis: str,
    duration: str,
    scales: str,
    values: str,
    year_columns: str,
    reference: Reference,
) -> Amount | AmountError:
    """One row's cost cells (text, numbers or year columns) -> one amount, or the first error."""
    if year_columns:
        return _parse_year_columns(year_columns, basis, reference)
    scale_of = _scales(scales)
    number_of = _scales(values)  # cells typed as numbers: their value, exact
    amounts = []
    for fieldname, text in costs:
        options = {
            "basis": _FIELD_BASIS.get(fieldname) or basis,
            "duration": duration,
            "scale": scale_of.get(fieldname, 1.0),
            "fte_rate_eur": reference.fte_rate_eur,
            "max_amount_eur": reference.max_amount_eur,
            "words": reference.amount_words,
        }
        try:
            if fieldname in number_of:
                amounts.append(amount_from_number(number_of[fieldname], **options))
            else:
                amounts.append(parse_amount(text, **options))
        except AmountError as exc:
            exc.column_field = fieldname  # type: ignore[attr-defined]
            return exc
    return _add_cells(amounts)


def _add_cells(amounts: list[Amount]) -> Amount:
    """The amounts of a row's cost cells as one: added up, every flag and note kept (once); p.m.
    when no cell holds an estimate, and 'no amount' when the row has no cost cell at all."""
    flags = tuple(dict.fromkeys(f for a in amounts for f in a.flags))
    notes = tuple(dict.fromkeys(n for a in amounts for n in a.notes))
    estimates = [a for a in amounts if a.cost_status != "pm"]
    if not estimates:
        return Amount(
            cost_status="pm", flags=flags if amounts else ("amount_missing",), notes=notes
        )
    years = [y for a in estimates for y in (a.first_year, a.last_year) if y]
    return Amount(
        *(sum(getattr(a, c) for a in estimates) for c in AMOUNT_COLUMNS),
        first_year=min(years) if years else None,
        last_year=max(years) if len(years) > 1 else None,
        fte=sum(a.fte or 0.0 for a in estimates) or None,
        cost_status="estimated",
        flags=flags,
        notes=notes,
    )


def _parse_year_columns(years: str, basis: str, reference: Reference) -> Amount | AmountError:
    """A row whose amounts stand in year columns ('2024 | 2025 | 2026'): each year's cell read on
    its own (a number with its column's unit, or text), then taken together."""
    by_year: dict[int, tuple[float, float]] = {}
    flags: list[str] = []
    notes: list[str] = []
    for year, cell in json.loads(years).items():
        try:
            if "number" in cell:
                a = amount_from_number(
                    cell["number"], scale=cell["scale"], basis="eenmalig",
                    words=reference.amount_words,
                )  # fmt: skip
            else:
                a = parse_amount(
                    cell["text"],
                    basis="eenmalig",
                    scale=cell["scale"],
                    fte_rate_eur=reference.fte_rate_eur,
                    max_amount_eur=reference.max_amount_eur,
                    words=reference.amount_words,
                )
        except AmountError as exc:
            exc.column_field = "cost"  # type: ignore[attr-defined]
            return exc
        by_year[int(year)] = (
            a.structural_low_eur + a.incidental_low_eur,
            a.structural_high_eur + a.incidental_high_eur,
        )
        flags += [f for f in a.flags if f != "basis_assumed"]
        notes += a.notes
    total = amount_from_years(by_year, basis=basis, words=reference.amount_words)
    return Amount(
        *(
            total.structural_low_eur,
            total.structural_high_eur,
            total.incidental_low_eur,
            total.incidental_high_eur,
        ),
        first_year=total.first_year,
        last_year=total.last_year,
        cost_status=total.cost_status,
        flags=tuple(dict.fromkeys([*flags, *total.flags])),
        reading=total.reading,
        notes=tuple(dict.fromkeys([*notes, *total.notes])),
    )


def _column(rows: pd.DataFrame, name: str) -> pd.Series:
    """A text column of the submission rows, empty where an older caller did not provide it."""
    if name in rows.columns:
        return rows[name].fillna("").astype(str)
    return pd.Series("", index=rows.index)


def parse_costs(rows: pd.DataFrame, reference: Reference) -> pd.DataFrame:
    """Amount columns for each row, or the parse error. Distinct inputs are parsed once."""
    cost_fields = [f for f in ("cost", "cost_structural", "cost_incidental") if f in rows.columns]
    keys = _cost_keys(rows, cost_fields)
    n = len(cost_fields)
    cache: dict[tuple, Amount | AmountError] = {}
    for key in set(keys):
        costs = tuple((f, t) for f, t in zip(cost_fields, key[:n], strict=True) if t.strip())
        cache[key] = _parse_row_cost(costs, *key[n : n + 5], reference)
    out = _amount_frame([cache[k] for k in keys], rows.index)
    out["cost_text"] = _joined_cost_text(rows, cost_fields)
    out["cost_cells"] = pd.array([_cost_cells_text(k, cost_fields) for k in keys], dtype="string")
    return out


def _cost_keys(rows: pd.DataFrame, cost_fields: list[str]) -> list[tuple[str, ...]]:
    """Per row, every cell the amount reader reads: the cost cells, then basis, duration, the
    column units, the typed numbers and the year columns (the order `_parse_row_cost` takes)."""
    return list(
        zip(
            *(rows[f].fillna("").astype(str) for f in cost_fields),
            rows["basis"].fillna("").astype(str),
            rows["duration"].fillna("").astype(str),
            rows["cost_scale"].fillna("").astype(str),
            _column(rows, "cost_values"),
            _column(rows, "cost_years"),
            strict=True,
        )
    )


def _amount_frame(results: list[Amount | AmountError], index: pd.Index) -> pd.DataFrame:
    """The amount columns of the rows; a row whose cost could not be read has zeros and its
    error (code, message, the field it was in)."""
    ok = [r if isinstance(r, Amount) else Amount() for r in results]
    errors = [r if isinstance(r, AmountError) else None for r in results]
    return pd.DataFrame(
        {
            **{c: [getattr(a, c) for a in ok] for c in AMOUNT_COLUMNS},
            "first_year": pd.array([a.first_year for a in ok], dtype="Int64"),
            "last_year": pd.array([a.last_year for a in ok], dtype="Int64"),
            "fte": pd.array([a.fte for a in ok], dtype="Float64").astype(float),
            "cost_status": pd.array([a.cost_status for a in ok], dtype="string"),
            "amount_flags": pd.array([";".join(a.flags) for a in ok], dtype="string"),
            "amount_notes": pd.array(["; ".join(a.notes) for a in ok], dtype="string"),
            "cost_error": pd.array(
                [e.reason if e is not None else "" for e in errors], dtype="string"
            ),
            "cost_error_message": pd.array(
                [str(e) if e is not None else "" for e in errors], dtype="string"
            ),
            "cost_error_field": pd.array(
                [getattr(e, "column_field", "") if e is not None else "" for e in errors],
                dtype="string",
            ),
        },
        index=index,
    )


def _joined_cost_text(rows: pd.DataFrame, cost_fields: list[str]) -> pd.Series:
    """The row's cost cells as the partner wrote them, the filled ones joined with ' | '."""
    if not cost_fields:
        return pd.Series("", index=rows.index, dtype="string")
    text = rows[cost_fields[0]].fillna("").astype(str)
    for f in cost_fields[1:]:
        extra = rows[f].fillna("").astype(str)
        text = text.where(extra == "", np.where(text == "", extra, text + " | " + extra))
    return text.astype("string")


_CELL_LABELS = ("structureel/incidenteel", "looptijd", "eenheid", "bedragen", "jaren")


def _cost_cells_text(key: tuple, cost_fields: list[str]) -> str:
    """Every cell the amount reader read for a row, labelled: what an analyst's decision on the
    amount is about (its fingerprint changes when any of them does)."""
    n = len(cost_fields)
    named = [
        *((_COST_LABELS.get(f, f), t) for f, t in zip(cost_fields, key[:n], strict=True)),
        *zip(_CELL_LABELS, key[n:], strict=True),
    ]
    return " | ".join(
        f"{name}: {text}"
        for name, text in named
        if str(text).strip() and not (name == "eenheid" and set(_scales(text).values()) <= {1.0})
    )


_COST_LABELS = {
    "cost": "kosten",
    "cost_structural": "structureel",
    "cost_incidental": "incidenteel",
}


# --- ids and duplicates --------------------------------------------------------------------------


def make_proposal_ids(organisation: pd.Series, title: pd.Series) -> pd.Series:
    """'P-' + 8 hex digits of a hash of the organisation and normalised title: stable across reruns."""
    org_keys = match_keys(organisation.fillna(""))
    title_keys = match_keys(title.fillna(""))
    combined = (org_keys + "|" + title_keys).astype(str)
    uniques = combined.unique()
    ids = {c: "P-" + hashlib.sha256(c.encode("utf-8")).hexdigest()[:8] for c in uniques}
    return combined.map(ids).astype("string")


_DIGITS = re.compile(r"\d+")


def content_key(title_key: str, ignore: frozenset[str]) -> str:
    """'de landelijke aanpak van loverboys' -> 'landelijke aanpak loverboys' (ignored words out)."""
    words = [w for w in title_key.split() if w not in ignore]
    return " ".join(words) if words else title_key


def _similar(a: str, b: str, at_least: float = 0.75) -> float:
    """Title similarity 0-1; titles whose numbers differ ('fase 1', 'fase 2') are never alike."""
    if a == b:
        return 1.0
    if _DIGITS.findall(a) != _DIGITS.findall(b):
        return 0.0
    m = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if m.real_quick_ratio() < at_least or m.quick_ratio() < at_least:
        return 0.0
    return m.ratio()


def candidate_pairs(keys: list[str], at_least: float) -> Iterable[tuple[int, int]]:
    """Every pair of title indexes that could reach `at_least`, and no other.

    Two exact bounds cut the work without losing a pair: titles whose numbers differ are never
    alike (`_similar`), so only titles with the same numbers are paired; and difflib's ratio is at
    most 2·shorter/(both lengths), so a much longer title cannot match a short one.
    """
    groups: dict[tuple[str, ...], list[int]] = {}
    for i, key in enumerate(keys):
        groups.setdefault(tuple(_DIGITS.findall(key)), []).append(i)
    for members in groups.values():
        ordered = sorted(members, key=lambda i: len(keys[i]))
        for x, i in enumerate(ordered):
            short = len(keys[i])
            for j in ordered[x + 1 :]:
                if 2 * short < (at_least - 1e-9) * (short + len(keys[j])):
                    break  # this and every longer title are out of reach
                yield (i, j) if i < j else (j, i)


def find_duplicates(
    theme: pd.Series,
    title_key: pd.Series,
    merge_at: float,
    flag_at: float,
    ignore: frozenset[str] = frozenset(),
) -> tuple[pd.Series, list[tuple[str, str, str]]]:
    """Group label per row (rows with one label are one proposal) and near pairs to flag.

    Within a theme every pair of distinct titles is compared on their content words (`ignore`d
    words such as 'de', 'van' left out), so 'De landelijke aanpak van loverboys' and 'Landelijke
    aanpak loverboys' are one proposal wherever they sort.
    """
    keys = pd.DataFrame({"theme": theme.astype(str), "key": title_key.astype(str)})
    distinct = keys.drop_duplicates().sort_values(["theme", "key"]).reset_index(drop=True)
    parent = list(range(len(distinct)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    near: list[tuple[str, str, str]] = []
    texts = distinct["key"].to_numpy()
    for theme_name, members in distinct.groupby("theme", sort=False).groups.items():
        idx = list(members)
        content = [content_key(texts[i], ignore) for i in idx]
        for x, y in candidate_pairs(content, flag_at):
            score = _similar(content[x], content[y], flag_at)
            if score >= merge_at:
                parent[find(idx[y])] = find(idx[x])
            elif score >= flag_at:
                near.append((str(theme_name), texts[idx[x]], texts[idx[y]]))
    distinct["group"] = [find(i) for i in range(len(distinct))]
    label = keys.merge(distinct, on=["theme", "key"], how="left", validate="m:1")["group"]
    label.index = theme.index
    return label, near


def merge_duplicates(
    candidates: pd.DataFrame, reference: Reference
) -> tuple[pd.DataFrame, pd.Series, pd.DataFrame]:
    """One row per proposal. Returns proposals, a map from every row's own id to the merged id,
    and every row's place (file, sheet, row) with the proposal it went into."""
    frame = candidates.copy()
    frame["_title_key"] = match_keys(frame["title"])
    frame["_group"], near = find_duplicates(
        frame["theme"],
        frame["_title_key"],
        reference.merge_similarity,
        reference.flag_similarity,
        reference.duplicate_ignore_words,
    )
    order = ["_group", "organisation", "_title_key", "source_file", "source_sheet", "source_row"]
    frame = frame.sort_values(order, kind="stable")
    frame["_own_id"] = make_proposal_ids(frame["organisation"], frame["title"])
    size = frame.groupby("_group")["_group"].transform("size")
    primary = ~frame["_group"].duplicated()
    merged_into = frame.loc[primary].set_index("_group")["_own_id"]
    id_map = pd.Series(
        frame["_group"].map(merged_into).to_numpy(), index=frame["_own_id"].to_numpy()
    )
    id_map = id_map[~id_map.index.duplicated()]

    proposals = frame.loc[primary].copy()
    proposals["proposal_id"] = proposals["_own_id"]
    proposals["merged_rows"] = size.loc[primary].astype("int64")
    proposals["co_submitters"] = ""
    proposals["duplicate_merged"] = proposals["merged_rows"] > 1
    proposals["duplicate_amounts_differ"] = False
    _note_merged_groups(proposals, frame[size > 1])
    proposals["possible_duplicate_of"] = ""
    proposals["possible_duplicate"] = False
    _separate_same_ids(proposals)
    _mark_near_duplicates(proposals, near)
    places = ["source_file", "source_sheet", "source_row"]
    locations = frame[[*places, "_group"]].merge(
        proposals[["_group", "proposal_id"]], on="_group", how="left"
    )[[*places, "proposal_id"]]
    return proposals, id_map, locations.reset_index(drop=True)


def _note_merged_groups(proposals: pd.DataFrame, multi: pd.DataFrame) -> None:
    """On each proposal merged from several rows: the other partners that sent it
    (co-submitters) and whether the rows' amounts differ."""
    for group, rows in multi.groupby("_group", sort=False):
        idx = proposals.index[proposals["_group"] == group][0]
        others = sorted(set(rows["organisation"]) - {proposals.at[idx, "organisation"]})
        proposals.at[idx, "co_submitters"] = ";".join(others)
        proposals.at[idx, "duplicate_amounts_differ"] = (
            len(rows[AMOUNT_COLUMNS].drop_duplicates()) > 1
        )


def _mark_near_duplicates(proposals: pd.DataFrame, near: list[tuple[str, str, str]]) -> None:
    """Each pair of similar titles in a theme (not merged): both proposals name the other as a
    possible duplicate, for the analyst to decide."""
    if not near:
        return
    by_key = proposals.set_index(["theme", "_title_key"])["proposal_id"]
    by_key = by_key[~by_key.index.duplicated()]
    for theme, a, b in near:
        ida, idb = by_key.get((theme, a)), by_key.get((theme, b))
        if ida is None or idb is None or ida == idb:
            continue
        for me, other in ((ida, idb), (idb, ida)):
            mask = proposals["proposal_id"] == me
            current = proposals.loc[mask, "possible_duplicate_of"].iloc[0]
            proposals.loc[mask, "possible_duplicate_of"] = ";".join(filter(None, [current, other]))
            proposals.loc[mask, "possible_duplicate"] = True


def _separate_same_ids(proposals: pd.DataFrame) -> None:
    """One organisation's title in two themes (a consolidation workbook's tab and its overview
    with another theme) would give two proposals one id: the later ones get an id that also
    hashes their theme, and each names the other as a possible duplicate, so the analyst
    decides; never a traceback."""
    ids = proposals["proposal_id"]
    repeated = ids.duplicated(keep="first")
    if not repeated.any():
        return
    new_ids = ids.copy()
    for idx in proposals.index[repeated]:
        key = f"{ids[idx]}|{proposals.at[idx, 'theme']}|{proposals.at[idx, 'source_sheet']}"
        new_ids[idx] = "P-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]
    for _, members in new_ids[ids.duplicated(keep=False)].groupby(ids):
        for idx in members.index:
            others = [i for i in members if i != new_ids[idx]]
            proposals.at[idx, "possible_duplicate_of"] = ";".join(others)
            proposals.at[idx, "possible_duplicate"] = True
    proposals["proposal_id"] = new_ids.astype("string")


# --- appraisals ----------------------------------------------------------------------------------


def attach_appraisals(
    proposals: pd.DataFrame, appraisals: pd.DataFrame, id_map: pd.Series, reference: Reference
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Add `appraisal` and `appraisal_note` by proposal_id; report rows that match nothing."""
    issues: list[dict] = []
    out = proposals.copy()
    if appraisals.empty:
        out["appraisal"] = pd.array([""] * len(out), dtype="string")
        out["appraisal_note"] = pd.array([""] * len(out), dtype="string")
        return out, pd.DataFrame(issues, columns=PROBLEM_COLUMNS)
    a = appraisals.copy()
    org, _ = normalise_organisation(a["organisation"], pd.Series("", index=a.index), reference)
    computed = make_proposal_ids(org, a["title"])
    given = a["proposal_id"].fillna("").str.strip()
    own_id = given.where(given != "", computed)
    a["proposal_id"] = own_id.map(lambda i: id_map.get(i, i)).astype("string")
    a["appraisal_value"] = match_keys(a["appraisal"]).map(reference.appraisal_aliases)

    def issue(row: pd.Series, *args: str) -> None:
        issues.append(_appraisal_problem(row, *args))

    known = set(out["proposal_id"])
    for new_id, old_id, evidence in _follow_retitles(a, out, org):
        a.loc[a["proposal_id"] == old_id, "proposal_id"] = new_id
        row = a[a["proposal_id"] == new_id].iloc[0]
        issue(row, "Titel voorstel", "followed_retitle",
              f"appreciatie gevolgd naar het hernoemde voorstel {new_id} "
              f"({out.loc[out['proposal_id'] == new_id, 'title'].iloc[0]!r}; {evidence})", row["title"], "notice")  # fmt: skip
    keep = []
    for idx, row in a.iterrows():
        problem = _unusable_appraisal(row, bool(given[idx]), known, reference)
        if problem is None:
            keep.append(idx)
        else:
            issues.append(problem)
    a = a.loc[keep]
    dup = a["proposal_id"].duplicated()
    for _, row in a[dup].iterrows():
        issue(
            row,
            "proposal_id",
            "appraisal_duplicate",
            "tweede appreciatie van hetzelfde voorstel; de eerste is gebruikt",
            row["proposal_id"],
        )
    a = a[~dup][["proposal_id", "appraisal_value", "appraisal_note"]].rename(
        columns={"appraisal_value": "appraisal"}
    )
    out = out.merge(a, on="proposal_id", how="left", validate="1:1")
    out["appraisal"] = out["appraisal"].fillna("").astype("string")
    out["appraisal_note"] = out["appraisal_note"].fillna("").astype("string")
    return out, pd.DataFrame(issues, columns=PROBLEM_COLUMNS)


def _appraisal_problem(
    row: pd.Series, column: str, code: str, message: str, value: str, level: str = "warning"
) -> dict:
    """A problem with one row of the appraisal file, where the analyst finds it."""
    return {
        "level": level,
        "source_file": row["source_file"],
        "source_sheet": "",
        "source_row": row["source_row"],
        "column": column,
        "value": value,
        "code": code,
        "message": message,
    }


def _unusable_appraisal(
    row: pd.Series, has_id: bool, known: set[str], reference: Reference
) -> dict | None:
    """Why an appraisal row cannot be used (an unknown appraisal, or no proposal it belongs
    to), as a problem; None when it can."""
    if row["appraisal_value"] is None or pd.isna(row["appraisal_value"]):
        choices = ", ".join(v for k, v in reference.appraisal_labels.items() if k)
        return _appraisal_problem(
            row,
            "Appreciatie",
            "appraisal_unknown_value",
            f"onbekende appreciatie; kies uit {choices}; regel niet gebruikt",
            row["appraisal"],
        )
    if row["proposal_id"] in known:
        return None
    label = row["proposal_id"] if has_id else f"{row['organisation']} / {row['title']}"
    return _appraisal_problem(
        row,
        "proposal_id" if has_id else "Titel voorstel",
        "appraisal_unmatched",
        "appreciatie hoort bij geen enkel voorstel (controleer kenmerk, organisatie en "
        "titel: is het voorstel hernoemd of ingetrokken?)",
        label,
    )


def _follow_retitles(
    appraisals: pd.DataFrame, proposals: pd.DataFrame, organisation: pd.Series
) -> list[tuple[str, str, str]]:
    """(proposal id, appraisal's id, evidence) for appraisals whose proposal its partner
    retitled: matched as 'what changed' matches a retitle, among proposals without an appraisal,
    and only where one proposal of the partner fits (else it stays unmatched, with its warning)."""
    gone = appraisals[~appraisals["proposal_id"].isin(proposals["proposal_id"])]
    if gone.empty:
        return []
    old = pd.DataFrame(
        {
            "proposal_id": gone["proposal_id"],
            "organisation": organisation[gone.index],
            "title": gone["title"],
            "summary": "",
            "source_file": "",
            "source_row": "",
            "cost_text": "",
        }
    ).drop_duplicates("proposal_id")
    free = proposals[~proposals["proposal_id"].isin(appraisals["proposal_id"])]
    # an appraisal has only a title to go by: it follows only a retitle that is unambiguous
    return match_retitled(free, old, unique=True)


# --- the whole cleaning --------------------------------------------------------------------------


def _join_flags(flags: pd.DataFrame) -> pd.Series:
    """Boolean flag columns -> ';'-separated codes per row, in column order."""
    text = pd.Series("", index=flags.index, dtype=object)
    for code in flags.columns:
        text = text + np.where(flags[code].to_numpy(dtype=bool), code + ";", "")
    return text.str.rstrip(";")


def _with_reason(text: str, hit: pd.DataFrame, code: str) -> pd.Series | str:
    """The general text, followed by the amount reader's own reason where it gave one."""
    if code not in _AMOUNT_CODES or "amount_notes" not in hit.columns:
        return text
    notes = hit["amount_notes"].fillna("").astype(str)
    return notes.map(lambda n: f"{text} ({n})" if n else text)


# Flags ingest sets on a row (its problems already say where and why).
_INGEST_CODES = (
    "text_repaired",
    "possible_subtotal",
    "unread_column",
    "cost_from_details",
    "detail_rows_differ",
    "cost_is_total_less_own",
    "count_times_price",
    "confidential",
)
_AMOUNT_CODES = (
    "basis_assumed",
    "amount_ambiguous",
    "amount_missing",
    "amount_partly_pm",
    "amount_computed",
    "fte_converted",
)


def _flag_issues(
    frame: pd.DataFrame,
    codes: list[str],
    columns: dict[str, tuple[str, str]],
    texts: Mapping[str, str],
) -> pd.DataFrame:
    """One warning row per (row, code) set in frame's flag columns, with the code's text."""
    parts = []
    for code in codes:
        if code not in frame.columns:
            continue
        hit = frame[frame[code].astype(bool)]
        if hit.empty:
            continue
        column, value_col = columns.get(code, ("", ""))
        if code in _AMOUNT_CODES and "cost_columns" in hit.columns:
            column = hit["cost_columns"].map(_partner_cost_columns).replace("", column)
        parts.append(
            pd.DataFrame(
                {
                    "level": "warning",
                    "source_file": hit["source_file"].astype(str),
                    "source_sheet": hit["source_sheet"].astype(str),
                    "source_row": hit["source_row"],
                    "column": column,
                    "value": hit[value_col].astype(str) if value_col else "",
                    "code": code,
                    "message": _with_reason(texts[code], hit, code),
                }
            )
        )
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=PROBLEM_COLUMNS)


def clean_submissions(
    subs: Submissions,
    appraisals: pd.DataFrame,
    reference: Reference,
    decisions: pd.DataFrame | None = None,
) -> CleanResult:
    """Everything from submission rows to the proposals table, with rejects, issues, accounting,
    the analyst's questions and what became of their `decisions` (review.read_decisions):
    candidates, rejections, merged proposals with their appraisals and flags, the review."""
    rows = subs.rows.reset_index(drop=True)
    cand = candidates(rows, reference)
    reasons = rejection_reasons(cand, rows, reference)
    rejected, reject_issues = rejected_rows(cand, reasons)
    ok = cand.drop(index=sorted(set(reasons["index"].astype(int))))
    proposals, id_map, locations = merge_duplicates(ok, reference)
    proposals, appraisal_issues = attach_appraisals(proposals, appraisals, id_map, reference)
    for code in ("analyst_decided", "decision_outdated"):
        proposals[code] = False
    codes, texts = flag_codes(reference.problems), reference.problem_texts
    issues = _sorted_issues(
        _concat_issues(
            problems_frame(subs.problems),
            reject_issues,
            _flag_issues(ok, [c for c in codes if c not in (*_PROPOSAL_CODES, *_INGEST_CODES)], _FLAG_PLACES, texts),
            _flag_issues(proposals, list(_PROPOSAL_CODES), {c: ("Titel voorstel", "title") for c in _PROPOSAL_CODES}, texts),
            appraisal_issues,
        )
    )  # fmt: skip
    reviewed = review_proposals(
        proposals, issues, locations, no_decisions() if decisions is None else decisions, reference
    )
    ok = ok.merge(reviewed.withdrawn_rows.drop(columns="proposal_id"), how="left", indicator=True)
    ok = ok[ok.pop("_merge") == "left_only"]
    proposals = reviewed.proposals
    proposals["data_issues"] = _join_flags(proposals[[c for c in codes if c in proposals.columns]])
    proposals = proposals.sort_values(["theme", "proposal_id"], kind="stable").reset_index(
        drop=True
    )
    proposals = _typed(proposals[PROPOSAL_COLUMNS])
    validate_proposals(proposals, reference.theme_slugs, reference.appraisal_codes)
    if proposals["proposal_id"].duplicated().any():
        raise AssertionError("proposal ids are not unique after merging duplicates")
    withdrawn = reviewed.withdrawn_rows.drop(columns="proposal_id").assign(reason="withdrawn")
    skipped = pd.concat([subs.skipped, withdrawn], ignore_index=True)
    accounting = account_rows(subs, ok, rejected, proposals, skipped)
    return CleanResult(
        proposals, rejected.reset_index(drop=True), reviewed.issues, accounting,
        reviewed.questions, reviewed.log,
    )  # fmt: skip


def candidates(rows: pd.DataFrame, reference: Reference) -> pd.DataFrame:
    """One candidate per submission row: normalised organisation and theme, the costs as read,
    and every flag as a boolean column (ingest's, the vocabularies', the amount reader's)."""
    text = (rows["title"].fillna("") + " " + rows["summary"].fillna("")).astype("string")
    org, org_flags = normalise_organisation(
        rows["organisation"], rows["organisation_hint"], reference
    )
    theme, theme_flags = normalise_theme(
        rows["theme"], text, reference, _column(rows, "theme_hint")
    )
    ingest_flags = _column(rows, "ingest_flags")
    theme_flags = theme_flags.assign(
        **{
            code: ingest_flags.str.contains(rf"(?:^|;){code}(?:;|$)", regex=True)
            for code in _INGEST_CODES
        }
    )
    cand = pd.DataFrame(
        {
            "title": rows["title"].str.replace(r"\s+", " ", regex=True).str.strip(),
            "summary": rows["summary"].str.replace(r"\s+", " ", regex=True).str.strip(),
            "organisation": org,
            "theme": theme,
            "contact_person": rows["contact_person"],
            "contact_email": rows["contact_email"],
            "source_file": rows["source_file"],
            "source_sheet": rows["source_sheet"],
            "source_row": rows["source_row"],
            "theme_raw": rows["theme"],
            "organisation_raw": rows["organisation"],
            "cost_columns": _column(rows, "cost_columns"),  # the partner's headers, for messages
        }
    )
    cand = pd.concat([cand, parse_costs(rows, reference), org_flags, theme_flags], axis=1)
    cand["personal_data_removed"] = _has_personal_data(cand)
    for code in _AMOUNT_CODES:
        cand[code] = cand["amount_flags"].str.contains(rf"(?:^|;){code}(?:;|$)", regex=True)
    return cand


def rejection_reasons(cand: pd.DataFrame, rows: pd.DataFrame, reference: Reference) -> pd.DataFrame:
    """Why rows are rejected, all of them collected: cost errors from the parser, the schema's
    failures, a sheet without a cost column (index, column, code, message, value)."""
    reasons: list[pd.DataFrame] = []
    cost_bad = cand["cost_error"] != ""
    if cost_bad.any():
        bad = cand[cost_bad]
        columns = rows.loc[cost_bad, "cost_columns"].fillna("")
        col_names = [
            cell_pairs(c).get(f, f) for c, f in zip(columns, bad["cost_error_field"], strict=True)
        ]
        reasons.append(
            pd.DataFrame(
                {
                    "index": bad.index,
                    "column": col_names,
                    "code": bad["cost_error"],
                    "message": bad["cost_error_message"],
                    "value": bad["cost_text"].astype(str),
                }
            )
        )
    failures = schema_failures(candidates_schema(reference.theme_slugs), cand)
    if not failures.empty:
        failures["message"] = failures["code"].map(reference.problem_texts).fillna(failures["code"])
        failures["value"] = [
            str(cand.at[i, c]) if c in cand.columns else ""
            for i, c in zip(failures["index"], failures["column"], strict=True)
        ]
        column_names = {"title": "Titel voorstel", "organisation": "Organisatie", "theme": "Thema"}
        failures["column"] = failures["column"].map(lambda c: column_names.get(c, c))
        reasons.append(failures)
    missing_cost = rows["cost_scale"].fillna("") == ""
    if missing_cost.any():
        reasons.append(
            pd.DataFrame(
                {
                    "index": rows.index[missing_cost],
                    "column": "",
                    "code": "missing_cost_column",
                    "message": reference.problem_texts["missing_cost_column"],
                    "value": "",
                }
            )
        )
    if not reasons:
        return pd.DataFrame(columns=["index", "column", "code", "message", "value"])
    return pd.concat(reasons, ignore_index=True)


def rejected_rows(cand: pd.DataFrame, reasons: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The rejected rows with their reasons (rejected.csv), and a problem per reason."""
    if not len(reasons):
        empty = cand.iloc[0:0][["source_file", "source_sheet", "source_row", "organisation_raw",
                                "theme_raw", "title", "cost_text"]]  # fmt: skip
        rejected = empty.rename(columns={"organisation_raw": "organisation", "theme_raw": "theme"})
        return rejected.assign(reason="", message=""), pd.DataFrame(columns=PROBLEM_COLUMNS)
    where = cand[["source_file", "source_sheet", "source_row"]]
    issues = reasons.join(where, on="index").assign(level="rejected")[PROBLEM_COLUMNS]
    summary = reasons.groupby("index").agg(
        reason=("code", lambda s: ";".join(dict.fromkeys(s))),
        message=("message", lambda s: "; ".join(dict.fromkeys(s))),
    )
    idx = sorted(set(reasons["index"].astype(int)))
    columns = ["source_file", "source_sheet", "source_row", "organisation_raw", "theme_raw",
               "title", "cost_text"]  # fmt: skip
    rejected = cand.loc[idx, columns].join(summary)
    return rejected.rename(
        columns={"organisation_raw": "organisation", "theme_raw": "theme"}
    ), issues


@dataclass
class Reviewed:
    """The proposals after the analyst's decisions, with the questions, what became of each
    decision, the issues as they now stand and the rows an analyst withdrew."""

    proposals: pd.DataFrame
    questions: pd.DataFrame
    log: pd.DataFrame
    issues: pd.DataFrame
    withdrawn_rows: pd.DataFrame


def review_proposals(
    proposals: pd.DataFrame,
    issues: pd.DataFrame,
    locations: pd.DataFrame,
    decisions: pd.DataFrame,
    reference: Reference,
) -> Reviewed:
    """The analyst's review: a question per flag an analyst can settle, then their decisions
    (review.settle); withdrawn and merged proposals leave the table, their rows are said."""
    rules = reference.review
    questions = build_questions(proposals, issues, locations, rules, reference.theme_labels)
    settled = settle(proposals, questions, decisions, rules, reference)
    questions = settled.settled_questions()
    withdrawn_rows = locations[locations["proposal_id"].isin(settled.withdrawn)]
    kept = settled.proposals[
        ~settled.proposals["proposal_id"].isin([*settled.withdrawn, *settled.merged])
    ].copy()
    issues = _sorted_issues(
        _concat_issues(
            mark_decided(issues, questions, locations),
            pd.DataFrame(settled.problems, columns=PROBLEM_COLUMNS),
            _review_notices(withdrawn_rows, settled.merged, locations, reference.problem_texts),
            _followed_notices(settled.followed, kept),
        )
    )
    return Reviewed(kept, questions, settled.log, issues, withdrawn_rows)


# Flags set on the proposal after merging (the rest on each row before it).
_PROPOSAL_CODES = ("duplicate_merged", "duplicate_amounts_differ", "possible_duplicate")
# Where each row flag points in the partner's file: (column in words, the value shown).
_FLAG_PLACES = {
    "org_unknown": ("Organisatie", "organisation_raw"),
    "org_fuzzy": ("Organisatie", "organisation_raw"),
    "org_inferred": ("Organisatie", "organisation"),
    "theme_fuzzy": ("Thema", "theme_raw"),
    "theme_inferred": ("Thema", "theme_raw"),
    "theme_from_file": ("Thema", "theme_raw"),
    "theme_unknown": ("Thema", "theme_raw"),
    "personal_data_removed": ("Titel voorstel", "title"),
    **{c: ("Indicatieve kosten", "cost_text") for c in _AMOUNT_CODES},
}


def _partner_cost_columns(cost_columns: object) -> str:
    """The partner's own header(s) of the cost cells ('cost=Gevraagde bijdrage' -> 'Gevraagde
    bijdrage'), so a message about the amount names the column as the partner wrote it."""
    names = [v for v in cell_pairs(str(cost_columns or "")).values() if v]
    return ", ".join(dict.fromkeys(names))


def _concat_issues(*frames: pd.DataFrame) -> pd.DataFrame:
    used = [f for f in frames if len(f)]
    return pd.concat(used, ignore_index=True) if used else pd.DataFrame(columns=PROBLEM_COLUMNS)


def _followed_notices(
    followed: list[tuple[str, str, str]], proposals: pd.DataFrame
) -> pd.DataFrame:
    """A notice per decision that followed a proposal its partner retitled."""
    by_id = proposals.set_index("proposal_id")
    rows = [
        {"source_file": by_id.at[new, "source_file"], "source_sheet": by_id.at[new, "source_sheet"],
         "source_row": by_id.at[new, "source_row"], "level": "notice", "column": "Titel voorstel",
         "value": by_id.at[new, "title"], "code": "followed_retitle",
         "message": f"beoordeling gevolgd naar het hernoemde voorstel {new} (was {old}; {why})"}
        for new, old, why in followed
        if new in by_id.index
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=PROBLEM_COLUMNS)


def _review_notices(
    withdrawn_rows: pd.DataFrame,
    merged: dict[str, str],
    locations: pd.DataFrame,
    texts: Mapping[str, str],
) -> pd.DataFrame:
    """A line per row an analyst withdrew (skipped) and per proposal merged into another."""
    rows = [
        {**r, "level": "skipped", "column": "", "value": "", "code": "analyst_withdrawn",
         "message": texts["analyst_withdrawn"]}
        for r in withdrawn_rows.drop(columns="proposal_id").to_dict("records")
    ]  # fmt: skip
    for pid, target in merged.items():
        for r in (
            locations[locations["proposal_id"] == pid]
            .drop(columns="proposal_id")
            .to_dict("records")
        ):
            rows.append({**r, "level": "notice", "column": "", "value": target, "code": "analyst_merged",
                         "message": f"{texts['analyst_merged']}: {target}"})  # fmt: skip
    return pd.DataFrame(rows, columns=PROBLEM_COLUMNS)


def _has_personal_data(cand: pd.DataFrame) -> pd.Series:
    """True where the public filter would take something out of the title, summary or the
    organisation as typed (the public documents never show it; the analyst should know)."""
    names = known_names(cand["contact_person"].fillna("").astype(str))
    text = (
        cand["title"].fillna("").astype(str)
        + " | " + cand["summary"].fillna("").astype(str)
        + " | " + cand["organisation_raw"].fillna("").astype(str)
    )  # fmt: skip
    seen = {t: bool(mask_personal(t, names)[1]) for t in set(text)}  # each distinct text once
    return text.map(seen).astype(bool)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """The contract's dtypes: amounts float, years nullable integers, row counts int, the rest text."""
    out = frame.copy()
    for col in out.columns:
        if col in (*AMOUNT_COLUMNS, "fte"):
            out[col] = out[col].astype(float)
        elif col in ("first_year", "last_year"):
            out[col] = out[col].astype("Int64")
        elif col in ("source_row", "merged_rows"):
            out[col] = out[col].astype("int64")
        else:
            out[col] = out[col].fillna("").astype("string")
    return out


def _sorted_issues(issues: pd.DataFrame) -> pd.DataFrame:
    issues = issues.copy()
    issues["source_row"] = pd.to_numeric(issues["source_row"], errors="coerce").astype("Int64")
    for col in ("level", "source_file", "source_sheet", "column", "value", "code", "message"):
        issues[col] = issues[col].fillna("").astype(str)
    order = {"rejected": 0, "skipped": 1, "warning": 2, "notice": 3}
    issues["_o"] = issues["level"].map(order)
    issues = issues.sort_values(
        ["source_file", "source_sheet", "source_row", "_o", "code"],
        na_position="first",
        kind="stable",
    )
    return issues.drop(columns="_o").reset_index(drop=True)


def account_rows(
    subs: Submissions,
    kept: pd.DataFrame,
    rejected: pd.DataFrame,
    proposals: pd.DataFrame,
    skipped: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Per file and sheet: rows in = in proposals (first or merged) + rejected + skipped.
    `skipped`: ingest's skipped rows and any an analyst withdrew (default: ingest's)."""
    keys = ["source_file", "source_sheet"]

    def count(frame: pd.DataFrame, name: str) -> pd.Series:
        if frame.empty:
            empty = pd.MultiIndex.from_tuples([], names=keys)
            return pd.Series(dtype="int64", index=empty, name=name)
        return frame.groupby(keys).size().rename(name)

    skipped = subs.skipped if skipped is None else skipped
    parts = [
        count(pd.concat([subs.rows[keys], subs.skipped[keys]]), "rows_in"),
        count(kept, "in_proposals"),
        count(rejected, "rejected"),
        *(
            count(skipped[skipped["reason"] == name.removeprefix("skipped_")], name)
            for name in SKIPPED_COUNTS
        ),
    ]
    unknown = set(skipped["reason"]) - {n.removeprefix("skipped_") for n in SKIPPED_COUNTS}
    if unknown:
        raise AssertionError(f"skip reasons without an accounting column: {sorted(unknown)}")
    table = pd.concat(parts, axis=1).fillna(0).astype("int64")
    table.index.names = keys
    table = table.reset_index()
    if table.empty:
        return pd.DataFrame(columns=[*keys, *ACCOUNTING_COUNTS])
    primary = proposals.groupby(keys).size().rename("first")
    table = table.merge(primary, left_on=keys, right_index=True, how="left").fillna({"first": 0})
    table["merged"] = (table["in_proposals"] - table["first"]).clip(lower=0).astype("int64")
    table = table.drop(columns="first")
    balance = table["in_proposals"] + table["rejected"] + table[SKIPPED_COUNTS].sum(axis=1)
    if (balance != table["rows_in"]).any():
        raise AssertionError(f"rows not accounted for:\n{table[balance != table['rows_in']]}")
    cols = [*keys, *ACCOUNTING_COUNTS]
    return table[cols].sort_values(keys).reset_index(drop=True)
