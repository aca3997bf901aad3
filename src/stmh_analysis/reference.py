"""Load the vocabularies and settings in data/reference/ into lookup structures.

Everything an analyst may want to change without code lives in those files; this module only
reads and checks them, so a broken edit fails here with the file and entry named.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from stmh_analysis.amounts.words import (
    WORDS_FILE,
    AmountWords,
    AmountWordsError,
    load_amount_words,
)
from stmh_analysis.labels import LABELS_FILE, Labels, LabelsError, labels_from
from stmh_analysis.limits import Limits, limits_from_settings
from stmh_analysis.problems import ProblemCode, problem_codes
from stmh_analysis.review_rules import RULES_FILE as REVIEW_RULES_FILE
from stmh_analysis.review_rules import ReviewRules, ReviewRulesError, read_review_rules
from stmh_analysis.settings_file import SAFE_LOADER, SettingsError, SettingsFile, yaml_error_words
from stmh_analysis.text import match_key
from stmh_analysis.workbook_words import WORDS_FILE as WORKBOOK_WORDS_FILE
from stmh_analysis.workbook_words import WorkbookWords, read_workbook_words

FALLBACK_THEME = "overig"  # the theme of anything that fits none (flagged, never dropped)


@dataclass(frozen=True)
class Appraisal:
    """One row of data/reference/appraisals.yaml ('' is: no appraisal yet)."""

    code: str
    label: str
    order: int
    ranking_score: float
    scenario_value: float
    aliases: tuple[str, ...]
    public: bool = False  # the public bijlage, Kamerbrief and workbook may show these proposals


class ReferenceError(ValueError):
    """A reference file is missing or does not have the expected shape."""


@dataclass(frozen=True)
class MemoHeader:
    """The nota's header block and margin, as on the ministry's memo paper (settings.yaml: nota)."""

    to: str = "de Minister van Justitie en Veiligheid"
    sender: str = ""
    margin: tuple[str, ...] = ()
    subject: str = ""


def memo_from_settings(memo: dict) -> MemoHeader:
    return MemoHeader(
        to=str(memo.get("to", MemoHeader.to)),
        sender=str(memo.get("from", "")),
        margin=tuple(str(line) for line in memo.get("margin") or ()),
        subject=str(memo.get("subject", "")),
    )


@dataclass(frozen=True)
class LetterHeader:
    """The Kamerbrief's address, place, subject and signatory (settings.yaml: kamerbrief)."""

    to: tuple[str, ...] = (
        "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal",
        "Postbus 20018",
        "2500 EA  DEN HAAG",
    )
    place: str = "Den Haag"
    subject: str = ""
    signatory: str = ""  # the office that signs ('De Minister van Justitie en Veiligheid')
    signatory_name: str = ""  # the person, when known; empty leaves the line for the signature


def letter_from_settings(letter: dict) -> LetterHeader:
    return LetterHeader(
        to=tuple(str(line) for line in letter.get("to") or LetterHeader.to),
        place=str(letter.get("place", LetterHeader.place)),
        subject=str(letter.get("subject", "")),
        signatory=str(letter.get("signatory", "")),
        signatory_name=str(letter.get("signatory_name", "") or ""),
    )


@dataclass(frozen=True)
class Reference:
    """All vocabularies and settings of one run."""

    theme_labels: dict[str, str]
    theme_aliases: dict[str, str]  # match key -> slug
    theme_keywords: dict[str, tuple[str, ...]]  # slug -> match keys
    org_aliases: dict[str, str]  # match key -> canonical
    org_long_names: dict[str, str]  # canonical -> long name
    header_aliases: dict[str, str]  # match key -> field
    header_words: tuple[tuple[str, tuple[str, ...]], ...]  # (field, words all in the header)
    required_fields: tuple[str, ...]
    cost_fields: tuple[str, ...]
    fte_rate_eur: float
    fte_rate_source: str
    budget_structural_eur: float
    budget_incidental_eur_per_year: float
    budget_incidental_years: tuple[int, int]
    horizon_years: tuple[int, int]
    max_amount_eur: float
    min_budget_eur: float  # a budget parameter below this is refused unless confirmed
    frontier_budget_factor: float  # the frontier reaches this times the largest scenario budget
    merge_similarity: float
    flag_similarity: float
    duplicate_ignore_words: frozenset[str]  # left out when titles are compared
    appraisals: tuple[Appraisal, ...]
    scenario_entries: tuple[
        dict, ...
    ]  # scenarios.yaml as written; scenarios.load_scenarios reads it
    files: tuple[Path, ...] = field(default=())
    memo: MemoHeader = field(default_factory=lambda: MemoHeader())
    letter: LetterHeader = field(default_factory=lambda: LetterHeader())  # the Kamerbrief's
    amount_words: AmountWords | None = None  # amount_words.yaml: the words the amount reader knows
    workbook_words: WorkbookWords | None = None  # workbook_words.yaml: how partners build sheets
    limits: Limits = field(default_factory=Limits)  # settings.yaml: what one file may cost
    review: ReviewRules | None = None  # review.yaml: which flags ask the analyst what
    labels: Labels = field(default_factory=Labels)  # labels.yaml: the words shown for codes
    problems: dict[str, ProblemCode] = field(default_factory=dict)  # problems.csv, by code

    @property
    def problem_texts(self) -> dict[str, str]:
        """Problem code -> its Dutch text (problems.csv of this reference folder)."""
        return {code: p.text for code, p in self.problems.items()}

    @property
    def appraisal_codes(self) -> tuple[str, ...]:
        """kansrijk, nader_uitwerken, niet_kansrijk: the appraisals an analyst can give."""
        return tuple(a.code for a in self.appraisals if a.code)

    @property
    def public_appraisals(self) -> tuple[str, ...]:
        """The appraisals whose proposals the public documents show (`public: true`): the
        default of the publication rule (publication.published), which a run may override."""
        return tuple(a.code for a in self.appraisals if a.public)

    @property
    def appraisal_values(self) -> dict[str, float]:
        """What the budget scenario maximises per appraisal ('none': no appraisal yet)."""
        return {a.code or "none": a.scenario_value for a in self.appraisals}

    @property
    def appraisal_labels(self) -> dict[str, str]:
        return {a.code: a.label for a in self.appraisals}

    @property
    def appraisal_order(self) -> dict[str, int]:
        return {a.code: a.order for a in self.appraisals}

    @property
    def appraisal_scores(self) -> dict[str, float]:
        return {a.code: a.ranking_score for a in self.appraisals}

    @property
    def appraisal_aliases(self) -> dict[str, str]:
        """How analysts write an appraisal (match key) -> its code."""
        table: dict[str, str] = {}
        for a in self.appraisals:
            for alias in (a.code, a.label, *a.aliases):
                if a.code and match_key(alias):
                    table[match_key(alias)] = a.code
        return table

    @property
    def theme_slugs(self) -> tuple[str, ...]:
        """The themes of data/reference/themes.yaml, in the order of that file."""
        return tuple(self.theme_labels)

    @property
    def budget_incidental_eur(self) -> float:
        """The whole incidental envelope over its years, in euros."""
        first, last = self.budget_incidental_years
        return self.budget_incidental_eur_per_year * (last - first + 1)

    @property
    def horizon_length(self) -> int:
        first, last = self.horizon_years
        return last - first + 1


def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        raise ReferenceError(f"referentiebestand ontbreekt: {path}")
    text = path.read_text(encoding="utf-8")
    try:
        data = yaml.load(text, Loader=SAFE_LOADER)
    except yaml.YAMLError as exc:
        raise ReferenceError(yaml_error_words(exc, path.name, text)) from None
    if not isinstance(data, dict):
        raise ReferenceError(f"{path.name}: verwacht bovenaan namen met waarden (een mapping)")
    return data


def _add_alias(table: dict[str, str], alias: object, target: str, where: str) -> None:
    key = match_key(alias)
    if not key:
        raise ReferenceError(f"{where}: lege alias voor {target!r}")
    known = table.get(key)
    if known is not None and known != target:
        raise ReferenceError(f"{where}: alias {alias!r} wijst naar zowel {known!r} als {target!r}")
    table[key] = target


def _yes_no(value: Any, where: str) -> bool:
    """A YAML true/false; anything else (a word, a number) is refused rather than guessed."""
    if isinstance(value, bool):
        return value
    raise ReferenceError(f"{where}: schrijf true of false, niet {value!r}")


def _appraisals(doc: dict[str, Any]) -> tuple[Appraisal, ...]:
    rows = []
    for entry in doc.get("appraisals", []):
        try:
            rows.append(
                Appraisal(
                    code=str(entry["code"] or ""),
                    label=str(entry["label"]),
                    order=int(entry["order"]),
                    ranking_score=float(entry["ranking_score"]),
                    scenario_value=float(entry["scenario_value"]),
                    aliases=tuple(str(a) for a in entry.get("aliases") or ()),
                    public=_yes_no(
                        entry.get("public", False),
                        f"appraisals.yaml: {entry.get('code')!r}: public",
                    ),
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ReferenceError(f"appraisals.yaml: regel {entry!r} is onvolledig: {exc}") from exc
    codes = [a.code for a in rows]
    if "" not in codes or len(set(codes)) != len(codes):
        raise ReferenceError(
            "appraisals.yaml: elke code één keer, en één regel met code '' voor 'nog geen appreciatie'"
        )
    return tuple(sorted(rows, key=lambda a: a.order))


_YAML_FILES = (
    "themes.yaml",
    "organisations.yaml",
    "headers.yaml",
    "settings.yaml",
    "appraisals.yaml",
    "scenarios.yaml",
)


def load_reference(folder: Path) -> Reference:
    """Every vocabulary and setting in `folder` (data/reference), checked; ReferenceError in
    Dutch names the file, and in settings.yaml the section and line, of anything unusable."""
    files = tuple(folder / n for n in _YAML_FILES)
    themes_doc, orgs_doc, headers_doc, settings, appraisals_doc, scenarios_doc = (
        _read_yaml(p) for p in files
    )
    try:
        amount_words = load_amount_words(folder / WORDS_FILE)
    except AmountWordsError as exc:
        raise ReferenceError(str(exc)) from exc
    try:
        workbook_words = read_workbook_words(folder / WORKBOOK_WORDS_FILE)
    except (OSError, yaml.YAMLError, TypeError, ValueError) as exc:
        raise ReferenceError(f"{WORKBOOK_WORDS_FILE}: niet te lezen: {exc}") from exc
    problems = problem_codes(folder)
    try:
        review = read_review_rules(folder / REVIEW_RULES_FILE, set(problems))
    except (ReviewRulesError, OSError) as exc:
        raise ReferenceError(str(exc)) from exc
    try:
        labels = labels_from(_read_yaml(folder / LABELS_FILE))
    except LabelsError as exc:
        raise ReferenceError(str(exc)) from None
    # every file here is an input of the steps that read the reference: an edit reruns them
    files = (
        *files,
        folder / LABELS_FILE,
        folder / WORDS_FILE,
        folder / WORKBOOK_WORDS_FILE,
        folder / "problems.csv",
        folder / REVIEW_RULES_FILE,
    )
    settings_file = SettingsFile(settings, folder / "settings.yaml")
    return Reference(
        **_theme_tables(themes_doc),
        **_organisation_tables(orgs_doc),
        **_header_tables(headers_doc),
        **_settings_values(settings_file),
        appraisals=_appraisals(appraisals_doc),
        scenario_entries=tuple(scenarios_doc.get("scenarios") or ()),
        files=files,
        amount_words=amount_words,
        workbook_words=workbook_words,
        review=review,
        labels=labels,
        problems=problems,
    )


def _theme_tables(doc: dict[str, Any]) -> dict[str, Any]:
    """themes.yaml -> the labels, aliases and keywords of each theme (slug)."""
    labels: dict[str, str] = {}
    aliases: dict[str, str] = {}
    keywords: dict[str, tuple[str, ...]] = {}
    for entry in doc.get("themes", []):
        slug = entry.get("slug")
        if not isinstance(slug, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", slug):
            raise ReferenceError(
                f"themes.yaml: slug {slug!r} mag alleen kleine letters, cijfers en _ bevatten (bv. opvang)"
            )
        if slug in labels or slug in ("nota", "bijlage", "kamerbrief"):
            raise ReferenceError(
                f"themes.yaml: slug {slug!r} staat er twee keer in of is de naam van een document"
            )
        if "label" not in entry:
            raise ReferenceError(f"themes.yaml: thema {slug!r} heeft geen 'label:'")
        labels[slug] = str(entry["label"])
        for alias in [slug, entry["label"], *entry.get("aliases", [])]:
            _add_alias(aliases, alias, slug, "themes.yaml")
        keywords[slug] = tuple(match_key(k) for k in entry.get("keywords", []))
    if FALLBACK_THEME not in labels:
        raise ReferenceError(
            f"themes.yaml: het thema {FALLBACK_THEME!r} is nodig voor voorstellen die bij geen thema passen"
        )
    return {"theme_labels": labels, "theme_aliases": aliases, "theme_keywords": keywords}


def _organisation_tables(doc: dict[str, Any]) -> dict[str, Any]:
    """organisations.yaml -> how each partner is written (alias -> canonical) and its long name."""
    aliases: dict[str, str] = {}
    long_names: dict[str, str] = {}
    for entry in doc.get("organisations", []):
        if "canonical" not in entry:
            raise ReferenceError(f"organisations.yaml: regel {entry!r} heeft geen 'canonical:'")
        canonical = str(entry["canonical"])
        long_names[canonical] = str(entry.get("long_name", canonical))
        for alias in [canonical, long_names[canonical], *entry.get("aliases", [])]:
            _add_alias(aliases, alias, canonical, "organisations.yaml")
    return {"org_aliases": aliases, "org_long_names": long_names}


def _header_tables(doc: dict[str, Any]) -> dict[str, Any]:
    """headers.yaml -> column header aliases, the words a long header contains, required fields."""
    aliases: dict[str, str] = {}
    for fieldname, names in doc.get("fields", {}).items():
        for alias in names:
            _add_alias(aliases, alias, fieldname, "headers.yaml")
    fields = set(doc.get("fields", {}))
    header_words = []
    for fieldname, lines in (doc.get("contains") or {}).items():
        if fieldname not in fields:
            raise ReferenceError(f"headers.yaml: 'contains' noemt onbekend veld {fieldname!r}")
        for words in lines:
            header_words.append((fieldname, tuple(match_key(w) for w in words)))
    return {
        "header_aliases": aliases,
        "header_words": tuple(header_words),
        "required_fields": tuple(doc.get("required", ["title"])),
        "cost_fields": tuple(doc.get("cost_fields", ["cost"])),
    }


def _settings_values(settings: SettingsFile) -> dict[str, Any]:
    """settings.yaml -> the numbers the analysis assumes, each checked where it is written."""
    try:
        values = {
            "fte_rate_eur": settings.euros("fte_rate_eur", "value"),
            "fte_rate_source": str(settings.value("fte_rate_eur", "source", "")).strip(),
            "budget_structural_eur": settings.euros("budget", "structural_eur_per_year"),
            "budget_incidental_eur_per_year": settings.euros("budget", "incidental_eur_per_year"),
            "budget_incidental_years": (
                settings.year("budget", "incidental_first_year"),
                settings.year("budget", "incidental_last_year"),
            ),
            "horizon_years": (
                settings.year("horizon", "first_year"),
                settings.year("horizon", "last_year"),
            ),
            "max_amount_eur": settings.euros("plausibility", "max_amount_eur"),
            "min_budget_eur": settings.euros("plausibility", "min_budget_eur", 10_000),
            "frontier_budget_factor": settings.number("frontier", "max_budget_factor", 3),
            "merge_similarity": settings.number("duplicates", "merge_similarity"),
            "flag_similarity": settings.number("duplicates", "flag_similarity"),
            "duplicate_ignore_words": frozenset(
                match_key(w) for w in settings.value("duplicates", "ignore_words", None) or ()
            ),
            "limits": limits_from_settings(settings.data.get("limits")),
            "memo": memo_from_settings(settings.section("nota", required=False)),
            "letter": letter_from_settings(settings.section("kamerbrief", required=False)),
        }
    except SettingsError as exc:
        raise ReferenceError(str(exc)) from None
    except (TypeError, ValueError) as exc:
        raise ReferenceError(f"settings.yaml: {exc}") from None
    if values["fte_rate_eur"] <= 0:
        raise ReferenceError(f"{settings.where('fte_rate_eur', 'value')}: moet groter dan 0 zijn")
    return values
