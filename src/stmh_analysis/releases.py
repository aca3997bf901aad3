"""Releases: what was circulated, frozen, so "what changed" compares with what was sent out.

`stmh release NAAM` copies the reports, the processed tables, the manifest and every raw file
that fed them into `releases/<date>-<naam>/`, writes a small sidecar per raw file (its SHA-256,
when it was received, which release first used it), makes the folder read-only and adds one line
to `releases/releases.csv`. Nothing here ever writes under data/raw; a release is only made from a
run whose outputs are still the files that run wrote, so a release is exactly what was read.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import re
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

from stmh_analysis.paths import Paths, raw_inputs
from stmh_analysis.store import count_csv_rows, sha256_file

RELEASE_FILE = "release.json"
LOG_NAME = "releases.csv"
LOG_COLUMNS = ("released_at", "name", "folder", "run_date", "proposals", "raw_files", "git_commit")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")


class ReleaseError(ValueError):
    """A release cannot be made or found; the message says why and what to do, in Dutch."""


@dataclass(frozen=True)
class Release:
    """One frozen release: its name, folder and moment."""

    name: str
    folder: Path
    released_at: str  # ISO timestamp

    @property
    def day(self) -> dt.date:
        return dt.datetime.fromisoformat(self.released_at).date()

    @property
    def proposals(self) -> Path:
        """The proposals as they were circulated (exact values)."""
        return self.folder / "processed" / "proposals.parquet"


def check_name(name: str) -> str:
    """The release name as given, if usable in a folder name; else ReleaseError with a suggestion."""
    if _NAME.match(name):
        return name
    suggestion = re.sub(r"[^a-z0-9_-]+", "-", name.strip().lower()).strip("-_") or "kamerbrief"
    raise ReleaseError(
        f"releasenaam {name!r}: gebruik kleine letters, cijfers, - en _ (hoogstens 60 tekens), "
        f"bijvoorbeeld {suggestion[:60]!r}"
    )


def _logged_folders(releases_dir: Path) -> set[str]:
    log = releases_dir / LOG_NAME
    if not log.is_file():
        return set()
    with log.open(encoding="utf-8", newline="") as fh:
        return {row.get("folder", "") for row in csv.DictReader(fh)}


def list_releases(releases_dir: Path) -> list[Release]:
    """Every release under `releases_dir` that is in releases.csv, oldest first. A folder a killed
    `stmh release` left without its log line was never made: 'what changed' does not see it
    (the next `stmh release` completes it, finish_interrupted)."""
    logged = _logged_folders(releases_dir)
    found = []
    for meta in sorted(releases_dir.glob(f"*/{RELEASE_FILE}")):
        if meta.parent.name not in logged:
            continue
        info = json.loads(meta.read_text(encoding="utf-8"))
        found.append(Release(info["name"], meta.parent, info["released_at"]))
    return sorted(found, key=lambda r: r.released_at)


def finish_interrupted(releases_dir: Path) -> list[str]:
    """What a killed `stmh release` left: a half-copied `.…tmp` folder is removed; a complete
    folder whose log line is missing gets it. Returns what was done, in Dutch."""
    done = []
    for tmp in sorted(releases_dir.glob(".*.tmp")):
        if tmp.is_dir() and not tmp.is_symlink():
            for root, dirs, _ in os.walk(tmp):
                for d in dirs:
                    os.chmod(Path(root) / d, 0o755)
            shutil.rmtree(tmp, ignore_errors=True)
            done.append(f"onvolledige release {tmp.name} verwijderd")
    logged = _logged_folders(releases_dir)
    for meta in sorted(releases_dir.glob(f"*/{RELEASE_FILE}")):
        if meta.parent.name in logged:
            continue
        info = json.loads(meta.read_text(encoding="utf-8"))
        _append_log(releases_dir, {
            "released_at": info["released_at"], "name": info["name"], "folder": meta.parent.name,
            "run_date": info.get("run_date", ""), "proposals": info.get("proposals", ""),
            "raw_files": len(info.get("raw_files", [])), "git_commit": info.get("git_commit", ""),
        })  # fmt: skip
        done.append(f"release {info['name']} was niet afgerond; regel in {LOG_NAME} toegevoegd")
    return done


def find_release(releases_dir: Path, name: str = "") -> Release | None:
    """The release called `name` (its name or its folder), or the last one when `name` is empty;
    None when there is none yet. An unknown name raises ReleaseError listing the known ones."""
    releases = list_releases(releases_dir)
    if not name:
        return releases[-1] if releases else None
    matches = [r for r in releases if name in (r.name, r.folder.name)]
    if not matches:
        known = ", ".join(r.name for r in releases) or "nog geen"
        raise ReleaseError(
            f"vergelijken met release {name!r}: niet gevonden in {releases_dir} (bekend: {known})"
        )
    return matches[-1]


def _outputs_as_recorded(paths: Paths, manifest: dict) -> dict[str, Path]:
    """label -> file for every output the last run recorded; ReleaseError when one differs."""
    roots = {"processed": paths.processed, "reports": paths.reports}
    files, stale = {}, []
    for label, digest in manifest.get("outputs", {}).items():
        root, _, rel = label.partition("/")
        path = roots[root] / rel
        if not path.is_file() or sha256_file(path) != digest:
            stale.append(label)
        files[label] = path
    if stale:
        raise ReleaseError(
            "de rapporten en gegevens zijn niet meer die van de laatste run "
            f"({', '.join(stale[:5])}{' …' if len(stale) > 5 else ''} gewijzigd of verdwenen); "
            "voer eerst stmh run uit en maak dan de release"
        )
    return files


def _raw_as_recorded(paths: Paths, manifest: dict) -> dict[str, Path]:
    """name -> raw file for every input of the last run; ReleaseError when the raw folder changed."""
    inputs = manifest.get("inputs", {})
    now = {p.name: p for p in raw_inputs(paths.raw)}
    changed = sorted(
        n
        for n in inputs.keys() | now.keys()
        if n not in now or sha256_file(now[n]) != inputs.get(n)
    )
    if changed:
        raise ReleaseError(
            f"data/raw is gewijzigd sinds de laatste run ({', '.join(changed)}); "
            "voer eerst stmh run uit en maak dan de release"
        )
    return {n: now[n] for n in sorted(inputs)}


def _earlier_sidecars(releases: list[Release]) -> dict[str, dict]:
    """sha256 -> the first sidecar that recorded a raw file with that content."""
    first: dict[str, dict] = {}
    for release in releases:
        for side in sorted((release.folder / "raw").glob("*.meta.json")):
            info = json.loads(side.read_text(encoding="utf-8"))
            first.setdefault(info["sha256"], info)
    return first


def _freeze(folder: Path) -> None:
    """Files -r--r--r--, folders r-x: a release is not changed or deleted by accident."""
    for root, dirs, files in os.walk(folder):
        for name in files:
            os.chmod(Path(root) / name, stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
        for name in dirs:
            os.chmod(Path(root) / name, 0o555)
    os.chmod(folder, 0o555)


def _public_appraisals(manifest: dict, paths: Paths) -> list[str]:
    """The appraisals the run's public documents showed, as its manifest records them; for a
    manifest from before that was recorded, the publication rule as it stands (appraisals.yaml)."""
    public = manifest.get("used", {}).get("public_appraisals")
    if public is None:
        from stmh_analysis.reference import load_reference

        public = load_reference(paths.reference).public_appraisals
    return list(public)


def open_public_questions(processed: Path, public_appraisals: list[str]) -> list[str]:
    """The analyst's open questions that can change a figure in the public bijlage (review.yaml
    says which kinds do), each as 'partner: title (kind)', for proposals the bijlage shows."""
    import pandas as pd

    from stmh_analysis.publication import published

    review_csv, proposals_file = processed / "review.csv", processed / "proposals.parquet"
    if not review_csv.is_file() or not proposals_file.is_file():
        return []
    review = pd.read_csv(review_csv, encoding="utf-8-sig", keep_default_na=False)
    if review.empty:
        return []
    proposals = pd.read_parquet(proposals_file)
    shown = set(proposals.loc[published(proposals, public_appraisals), "proposal_id"])
    touches = review["touches_public_figure"].astype(str).str.lower().isin(["true", "1"])
    hit = review[
        review["status"].isin(["open", "opnieuw open"])
        & touches
        & review["proposal_id"].isin(shown)
    ]
    return [f"{r['organisation']}: {r['title']} ({r['kind']})" for r in hit.to_dict("records")]


def make_release(
    name: str, paths: Paths, releases_dir: Path, now: dt.datetime, force: bool = False
) -> Release:
    """Freeze the last run's reports, processed tables, manifest and raw files as release `name`.
    Refuses while questions are open that can change a public figure, unless `force` (then the
    release records them). Holds the project lock, as a run does."""
    from stmh_analysis.runlock import exclusive

    name = check_name(name)
    with exclusive(paths.log_dir, "stmh release"):
        return _release_locked(name, paths, releases_dir, now, force)


def _release_locked(
    name: str, paths: Paths, releases_dir: Path, now: dt.datetime, force: bool
) -> Release:
    if releases_dir.is_dir():
        finish_interrupted(releases_dir)
    manifest_path = paths.reports / "manifest.json"
    manifest, earlier = _check_releasable(name, manifest_path, releases_dir)
    outputs = _outputs_as_recorded(paths, manifest)
    raw = _raw_as_recorded(paths, manifest)
    still_open = open_public_questions(paths.processed, _public_appraisals(manifest, paths))
    if still_open and not force:
        shown = "; ".join(still_open[:5]) + (" …" if len(still_open) > 5 else "")
        raise ReleaseError(
            f"{len(still_open)} open vraag/vragen van de analist raken een cijfer in de openbare "
            f"bijlage ({shown}). Beantwoord ze in reports/te-beoordelen.xlsx, sla dat op als "
            "data/raw/beoordelingen.xlsx en voer stmh run uit; of geef --force om toch vast te "
            "leggen (de release vermeldt de open vragen)"
        )

    released_at = now.astimezone().replace(microsecond=0).isoformat()
    folder = releases_dir / f"{now.date().isoformat()}-{name}"
    if folder.exists():
        raise ReleaseError(f"{folder} bestaat al; kies een andere naam")
    tmp = releases_dir / f".{folder.name}.tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    for label, path in outputs.items():
        target = tmp / label
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    shutil.copy2(manifest_path, tmp / "manifest.json")
    _archive_copies(outputs, tmp / "archief")
    _copy_raw(raw, tmp / "raw", _earlier_sidecars(earlier), name)
    info = _release_record(
        name, released_at, manifest, outputs, raw, still_open if force else [], tmp
    )
    (tmp / RELEASE_FILE).write_text(
        json.dumps(info, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    os.replace(tmp, folder)
    _freeze(folder)
    _append_log(
        releases_dir,
        {
            "released_at": released_at,
            "name": name,
            "folder": folder.name,
            "run_date": info["run_date"],
            "proposals": info["proposals"],
            "raw_files": len(raw),
            "git_commit": info["git_commit"],
        },
    )
    return Release(name, folder, released_at)


def _check_releasable(name: str, manifest_path: Path, releases_dir: Path) -> tuple[dict, list]:
    """The last run's manifest and the earlier releases, when a release named `name` can be
    made: a run exists, none of its steps failed, the name is free."""
    if not manifest_path.is_file():
        raise ReleaseError(
            f"geen run gevonden ({manifest_path} ontbreekt); voer eerst stmh run uit"
        )
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    failed = [s["name"] for s in manifest.get("steps", []) if s.get("status") == "failed"]
    if failed:
        raise ReleaseError(
            f"de laatste run is mislukt ({', '.join(failed)}); los dat op en voer stmh run uit"
        )
    earlier = list_releases(releases_dir)
    if any(r.name == name for r in earlier):
        raise ReleaseError(f"er is al een release {name!r}; kies een andere naam")
    return manifest, earlier


def _copy_raw(raw: dict[str, Path], target: Path, first: dict, name: str) -> None:
    """The raw files as the run read them, each with a sidecar: its hash, when it was received
    and in which release it first appeared (kept from an earlier release of the same file)."""
    target.mkdir(parents=True, exist_ok=True)
    for file_name, path in raw.items():
        digest = sha256_file(path)
        shutil.copy2(path, target / file_name)
        seen = first.get(digest)
        received = dt.datetime.fromtimestamp(path.stat().st_mtime).date().isoformat()
        sidecar = {
            "file": file_name,
            "sha256": digest,
            "received": seen["received"] if seen else received,
            "first_release": seen["first_release"] if seen else name,
        }
        (target / f"{file_name}.meta.json").write_text(
            json.dumps(sidecar, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
        )


def _release_record(
    name: str,
    released_at: str,
    manifest: dict,
    outputs: dict[str, Path],
    raw: dict[str, Path],
    forced_open: list[str],
    tmp: Path,
) -> dict:
    """release.json: what was released, from which run, and the hash of every file in it."""
    return {
        "name": name,
        "released_at": released_at,
        "run_date": manifest.get("run_date", ""),
        "git_commit": manifest.get("git_commit", ""),
        "proposals": count_csv_rows(outputs.get("processed/proposals.csv")),
        "raw_files": sorted(raw),
        "forced_with_open_questions": forced_open,
        "files": {
            str(p.relative_to(tmp)): sha256_file(p)
            for p in sorted(tmp.rglob("*"))
            if p.is_file() and p.name != RELEASE_FILE
        },
    }


def _archive_copies(outputs: dict[str, Path], folder: Path) -> None:
    """Each document as the archive wants it: PDF/A-2a (tagged and archivable), made from the
    very HTML that was released, as `archief/<document>.pdf`."""
    from stmh_analysis.report.render import ARCHIVE_VARIANT, html_to_pdf

    for label, path in sorted(outputs.items()):
        if label.startswith("reports/") and path.suffix == ".html":
            html = path.read_text(encoding="utf-8")
            html_to_pdf(html, folder / f"{path.stem}.pdf", variant=ARCHIVE_VARIANT)


def _append_log(releases_dir: Path, row: dict) -> None:
    log = releases_dir / LOG_NAME
    new = not log.exists()
    with log.open("a", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=LOG_COLUMNS)
        if new:
            writer.writeheader()
        writer.writerow(row)
