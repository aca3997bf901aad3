"""The data one briefing reads (data/processed, the reference, the release it compares with),
its options, and the public view of the proposals (publishable columns only, masked)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from stmh_analysis import store
from stmh_analysis.parameters import check_date
from stmh_analysis.privacy import known_names, mask_personal
from stmh_analysis.reference import Reference
from stmh_analysis.releases import Release

PUBLIC_COLUMNS = (
    "proposal_id",
    "theme",
    "title",
    "summary",
    "organisation",
    "co_submitters",
    "cost_status",
    "structural_low_eur",
    "structural_high_eur",
    "incidental_low_eur",
    "incidental_high_eur",
    "first_year",
    "last_year",
    "appraisal",
)


class DocumentError(ValueError):
    """A document cannot be made as asked; the message says why and what to do, in Dutch."""


@dataclass(frozen=True)
class BriefingOptions:
    audience: str = "nota"  # nota, bijlage, or a theme slug
    title: str = ""
    reference_code: str = ""
    date: str = ""  # ISO date of the document; empty: today
    public_appraisals: tuple[str, ...] = ()  # load() fills in appraisals.yaml's `public: true`
    run_date: str = ""  # ISO timestamp of the run, for provenance only

    def __post_init__(self) -> None:
        try:
            check_date(self.date)
        except ValueError as exc:
            raise DocumentError(f"datum: {self.date!r} is geen datum zoals 2024-01-29") from exc

    @property
    def day(self) -> dt.date:
        return dt.date.fromisoformat(self.date) if self.date else dt.date.today()


@dataclass
class BriefingData:
    """Everything the documents read from data/processed."""

    proposals: pd.DataFrame
    ranking: pd.DataFrame
    portfolio: pd.DataFrame
    portfolio_summary: pd.DataFrame
    gap: pd.DataFrame
    issues: pd.DataFrame
    rejected: pd.DataFrame
    accounting: pd.DataFrame
    inputs: pd.DataFrame
    baseline: pd.DataFrame | None  # the proposals of the release compared with (None: no release)
    rank_parameters: dict
    reference: Reference
    provenance: dict = field(default_factory=dict)
    scenarios: pd.DataFrame = field(default_factory=pd.DataFrame)
    scenario_choices: pd.DataFrame = field(default_factory=pd.DataFrame)
    frontier: pd.DataFrame = field(default_factory=pd.DataFrame)
    baseline_release: Release | None = None
    charts: dict[str, str] = field(default_factory=dict)  # name -> inline SVG (charts.json)
    review: pd.DataFrame = field(
        default_factory=pd.DataFrame
    )  # the analyst's questions (review.csv)

    def theme_label(self, slug: str) -> str:
        return self.reference.theme_labels.get(slug, slug)


_MADE_BY = {
    "proposals": "notebook 01-clean-submissions",
    "rejected": "notebook 01-clean-submissions",
    "issues": "notebook 01-clean-submissions",
    "accounting": "notebook 01-clean-submissions",
    "inputs": "notebook 01-clean-submissions",
    "review": "notebook 01-clean-submissions",
    "ranking": "notebook 02-rank-proposals",
    "portfolio": "notebook 02-rank-proposals",
    "portfolio_summary": "notebook 02-rank-proposals",
    "gap": "notebook 02-rank-proposals",
    "rank_parameters": "notebook 02-rank-proposals",
    "scenarios": "notebook 02-rank-proposals",
    "scenario_choices": "notebook 02-rank-proposals",
    "frontier": "notebook 02-rank-proposals",
    "charts": "notebook 02-rank-proposals",
}


def load_briefing_data(
    processed: Path,
    reference: Reference,
    provenance: dict | None = None,
    baseline: Release | None = None,
) -> BriefingData:
    """The processed tables, and the proposals of the `baseline` release when given; a missing
    table raises DocumentError naming what makes it."""
    missing = [
        name
        for name, path in (
            *(
                (n, processed / f"{n}.csv")
                for n in _MADE_BY
                if n not in ("rank_parameters", "charts")
            ),
            ("rank_parameters", processed / "rank_parameters.json"),
            ("charts", processed / "charts.json"),
        )
        if not path.exists()
    ]
    if missing:
        makers = sorted({_MADE_BY[n] for n in missing})
        raise DocumentError(
            f"In {processed} ontbreekt {', '.join(missing)}. Voer eerst {' en '.join(makers)} uit "
            "(in JupyterLab of met papermill), of in één keer: stmh run."
        )

    def csv(name: str) -> pd.DataFrame:
        return pd.read_csv(
            processed / f"{name}.csv",
            encoding="utf-8-sig",
            keep_default_na=False,
            dtype={"source_row": "string"},
        )

    return BriefingData(
        proposals=store.read_table(processed / "proposals"),
        ranking=store.read_table(processed / "ranking"),
        portfolio=store.read_table(processed / "portfolio"),
        portfolio_summary=csv("portfolio_summary"),
        gap=csv("gap"),
        issues=csv("issues"),
        rejected=csv("rejected"),
        accounting=csv("accounting"),
        inputs=csv("inputs"),
        baseline=pd.read_parquet(baseline.proposals) if baseline is not None else None,
        baseline_release=baseline,
        charts=json.loads((processed / "charts.json").read_text(encoding="utf-8")),
        rank_parameters=json.loads(
            (processed / "rank_parameters.json").read_text(encoding="utf-8")
        ),
        reference=reference,
        provenance=provenance or {},
        scenarios=store.read_table(processed / "scenarios"),
        scenario_choices=csv("scenario_choices"),
        frontier=csv("frontier"),
        review=csv("review"),
    )


def provenance_here() -> dict[str, str]:
    """The provenance of a document run by hand (in JupyterLab), where no `stmh run` gave one:
    now, this package's version and the checkout's commit, so the sentence is whole there too."""
    from importlib import metadata

    from stmh_analysis.pipeline import git_commit

    return {
        "run_date": dt.datetime.now().isoformat(timespec="seconds"),
        "package_version": metadata.version("stmh-analysis"),
        "git_commit": git_commit(),
    }


def public_view(proposals: pd.DataFrame) -> pd.DataFrame:
    """Only publishable columns; e-mail addresses, phone numbers and person names in the title,
    summary and organisation are masked by the one privacy filter (privacy.mask_personal)."""
    return _masked(proposals)[[c for c in PUBLIC_COLUMNS if c in proposals.columns]].copy()


def _masked(proposals: pd.DataFrame) -> pd.DataFrame:
    """The proposals with their title, summary and organisation through the privacy filter."""
    names = known_names(
        proposals.get("contact_person", pd.Series(dtype=str)).fillna("").astype(str)
    )
    out = proposals.copy()
    for col in ("title", "summary", "organisation"):
        if col in out.columns:
            out[col] = [mask_personal(t, names)[0] for t in out[col].fillna("").astype(str)]
    return out
