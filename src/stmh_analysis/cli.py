"""The `stmh` command: run, review, check, release, template, amount. Exit codes: 0 success, 1 input problems, 2 usage error."""

from __future__ import annotations

import argparse
import errno
import re
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from stmh_analysis.amounts import AmountError, parse_amount
from stmh_analysis.startup import decline_slow_optional_modules

if TYPE_CHECKING:
    from stmh_analysis.reference import Reference

EXIT_OK, EXIT_INPUT, EXIT_USAGE = 0, 1, 2


def _euros(text: str) -> float:
    """'2000000', '2.000.000', '€ 2 mln' -> euros, for budget options (checked as in notebooks)."""
    from stmh_analysis.parameters import parse_euros

    try:
        return parse_euros(text, "bedrag")
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _weight(text: str) -> tuple[str, float]:
    name, sep, value = text.partition("=")
    try:
        if not sep:
            raise ValueError
        return name.strip(), float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"--weight vraagt NAAM=GETAL, bijvoorbeeld appraisal=2; niet {text!r}"
        ) from None


def _scenario(text: str) -> tuple[str, float]:
    name, sep, amount = text.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(
            f"--scenario vraagt NAAM=BEDRAG, bijvoorbeeld extra=2500000; niet {text!r}"
        )
    return name.strip(), _euros(amount)


# argparse's own messages, in the words of the analyst who typed the command (the rest of what
# argparse says, the help texts, is the project's own).
_USAGE_WORDS = (
    (re.compile(r"^unrecognized arguments: (.*)$"), "onbekende optie(s): {0}"),
    (re.compile(r"^the following arguments are required: (.*)$"), "dit ontbreekt nog: {0}"),
    (
        re.compile(
            r"^argument (?:command|OPDRACHT): invalid choice: '([^']*)' \(choose from (.*)\)$"
        ),
        "onbekende opdracht {0!r}; kies uit {1}",
    ),
    (re.compile(r"^argument (\S+): expected one argument$"), "{0} vraagt een waarde"),
    (re.compile(r"^argument (\S+): invalid \S+ value: (.*)$"), "{0}: ongeldige waarde {1}"),
    (
        re.compile(r"^argument (\S+): invalid choice: (.*) \(choose from (.*)\)$"),
        "{0}: ongeldige keuze {1}; kies uit {2}",
    ),
    (re.compile(r"^argument (\S+): (.*)$"), "{0}: {1}"),
)


def usage_in_dutch(message: str) -> str:
    """argparse's error message in Dutch (unknown ones as they are)."""
    for pattern, words in _USAGE_WORDS:
        m = pattern.match(message)
        if m:
            return words.format(*m.groups())
    return message


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistake in the command is explained in Dutch with where to look, and the
    help's own headings are Dutch."""

    _HEADINGS = (("usage:", "gebruik:"), ("positional arguments:", "argumenten:"),
                 ("options:", "opties:"), ("show this help message and exit", "deze hulp tonen"))  # fmt: skip

    def _dutch(self, text: str) -> str:
        for english, dutch in self._HEADINGS:
            text = text.replace(english, dutch)
        return text

    def format_usage(self) -> str:
        return self._dutch(super().format_usage())

    def format_help(self) -> str:
        return self._dutch(super().format_help())

    def error(self, message: str):  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(
            EXIT_USAGE,
            f"{self.prog}: fout in de opdracht: {usage_in_dutch(message)}. "
            f"Zie {self.prog} --help.\n",
        )


def build_parser() -> argparse.ArgumentParser:
    """The command line: `stmh run`, `release`, `review`, `check`, `template` and `amount`, each
    declared by its own function below, every text an analyst reads in Dutch."""
    p = _Parser(
        prog="stmh",
        description="Voorstellen van de partners van Samen tegen mensenhandel opschonen, "
        "rangschikken en in nota, Kamerbrief en bijlage zetten.",
    )
    sub = p.add_subparsers(
        dest="command", required=True, parser_class=_Parser, title="opdrachten", metavar="OPDRACHT"
    )
    for add in (_add_run, _add_release, _add_review, _add_check, _add_template, _add_amount):
        add(sub)
    return p


def _add_folders(parser: argparse.ArgumentParser, *names: str) -> None:
    """The folder options a command takes (--raw, --processed, --reports, --reference, --releases),
    each with the same words and the same default everywhere."""
    words = {
        "raw": "map met de inzendingen van de partners (standaard: data/raw)",
        "processed": "map voor de opgeschoonde gegevens (standaard: data/processed)",
        "reports": "map voor de documenten (standaard: reports)",
        "reference": "map met de woordenlijsten en instellingen (standaard: data/reference)",
        "releases": "map met de vastgelegde versies (standaard: releases)",
    }
    for name in names:
        parser.add_argument(f"--{name}", type=Path, metavar="MAP", help=words[name])


def _add_run(sub) -> None:
    run = sub.add_parser("run", help="de hele pijplijn uitvoeren (alleen wat veranderd is)")
    _add_folders(run, "raw", "processed", "reports", "reference")
    _add_budget_options(run.add_argument_group("budget en rangschikking"))
    _add_document_options(run.add_argument_group("documenten"))
    how = run.add_argument_group("uitvoering")
    how.add_argument(
        "--jobs",
        type=int,
        default=0,
        metavar="AANTAL",
        help="documenten tegelijk (standaard: het aantal kernen)",
    )
    how.add_argument("--force", action="store_true", help="elke stap opnieuw uitvoeren")
    how.add_argument(
        "--keep-edits",
        action="store_true",
        help="met de hand gewijzigde uitvoer behouden in plaats van de stap opnieuw uit te voeren "
        "(het manifest vermeldt het)",
    )
    how.add_argument(
        "--strict", action="store_true", help="één afgewezen regel stopt de run (afsluitcode 1)"
    )
    how.add_argument("--quiet", action="store_true", help="geen voortgangsbalk")


def _add_budget_options(budget) -> None:
    budget.add_argument(
        "--budget",
        type=_euros,
        metavar="EUR",
        help="structureel budget per jaar (standaard: settings.yaml); 2.000.000, 2 mln en 2000000 "
        "betekenen hetzelfde",
    )
    budget.add_argument(
        "--incidental-budget",
        type=_euros,
        metavar="EUR",
        help="incidentele ruimte in totaal over de looptijd (standaard: settings.yaml)",
    )
    budget.add_argument(
        "--require-each-theme",
        action="store_true",
        default=None,
        help="budgetscenario: ten minste één voorstel per thema",
    )
    budget.add_argument(
        "--criteria",
        metavar="CRITERIA",
        help="criteria van de rangschikking op volgorde, met komma's "
        "(appraisal,expected_cost,cost_range)",
    )
    budget.add_argument(
        "--weight",
        type=_weight,
        action="append",
        metavar="NAAM=GEWICHT",
        help="rangschikken op een gewogen score; herhaal per criterium",
    )
    budget.add_argument(
        "--scenario",
        type=_scenario,
        action="append",
        metavar="NAAM=EUR",
        help="een budgetscenario voor deze run erbij: een naam en een structureel budget per jaar",
    )
    budget.add_argument(
        "--confirm-budget",
        action="store_true",
        help="een budget onder de ondergrens of boven de grens van settings.yaml is zo bedoeld",
    )


def _add_document_options(docs) -> None:
    docs.add_argument(
        "--audience",
        action="append",
        metavar="DOCUMENT",
        help="alleen dit document (nota, kamerbrief, bijlage of een thema); herhaalbaar",
    )
    docs.add_argument(
        "--title", metavar="TITEL", help="titel van de documenten (standaard: die van het notebook)"
    )
    docs.add_argument("--reference-code", metavar="KENMERK", help="kenmerk op de documenten")
    docs.add_argument(
        "--date",
        default="",
        metavar="JJJJ-MM-DD",
        help="datum op de documenten, bewaard voor latere runs; 'vandaag' zet terug naar de "
        "standaard: de datum van de run die de inhoud van een document het laatst veranderde",
    )
    docs.add_argument(
        "--compare-with",
        metavar="NAAM",
        help="'wat is gewijzigd' ten opzichte van deze release (standaard: de laatste)",
    )
    _add_folders(docs, "releases")


def _add_release(sub) -> None:
    release = sub.add_parser(
        "release",
        help="de huidige documenten, tabellen en ingezonden bestanden vastleggen als wat is verstuurd",
    )
    release.add_argument("name", metavar="NAAM", help="bijvoorbeeld kamerbrief-januari")
    _add_folders(release, "raw", "processed", "reports", "releases")
    release.add_argument(
        "--force",
        action="store_true",
        help="ook vastleggen als er nog open vragen zijn die een openbaar cijfer raken "
        "(de release vermeldt ze)",
    )


def _add_review(sub) -> None:
    review = sub.add_parser(
        "review",
        help="uitvoeren wat veranderd is en de vragen voor de analist op een rij zetten "
        "(reports/te-beoordelen.xlsx)",
    )
    _add_folders(review, "raw", "processed", "reports", "reference")
    review.add_argument("--quiet", action="store_true", help="geen voortgangsbalk")


def _add_check(sub) -> None:
    check = sub.add_parser("check", help="inzendingen inlezen en controleren; schrijft niets")
    check.add_argument("dir", type=Path, metavar="MAP", help="map met inzendingen")
    _add_folders(check, "reference")


def _add_template(sub) -> None:
    template = sub.add_parser(
        "template", help="het invulblad schrijven dat partners invullen (.xlsx)"
    )
    template.add_argument(
        "path", type=Path, metavar="PAD", help="bijvoorbeeld invulblad-voorstellen.xlsx"
    )
    _add_folders(template, "reference")
    template.add_argument("--force", action="store_true", help="een bestaand bestand overschrijven")


def _add_amount(sub) -> None:
    amount = sub.add_parser("amount", help="laten zien hoe één kostentekst wordt gelezen, als JSON")
    amount.add_argument(
        "text", metavar="TEKST", help="de kostentekst, bijvoorbeeld '€ 1,5 mln per jaar'"
    )
    amount.add_argument("--basis", metavar="TEKST", help="de cel Structureel/incidenteel")
    amount.add_argument("--duration", metavar="TEKST", help="de cel Looptijd")
    amount.add_argument(
        "--scale",
        type=float,
        default=1.0,
        metavar="FACTOR",
        help="eenheid van de kolom, bijvoorbeeld 1000 voor 'x € 1.000'",
    )


def cmd_amount(args: argparse.Namespace) -> int:
    reference = _reference(None, "amount")
    if reference is None:
        return EXIT_USAGE
    try:
        result = parse_amount(
            args.text, basis=args.basis, duration=args.duration, scale=args.scale,
            fte_rate_eur=reference.fte_rate_eur, words=reference.amount_words,
        )  # fmt: skip
    except AmountError as exc:
        import json

        print(json.dumps({"error": exc.reason, "message": str(exc)}, ensure_ascii=False))
        return EXIT_INPUT
    print(result.to_json())
    return EXIT_OK


def _reference(folder: Path | None, command: str):
    """The vocabularies of `folder` (default data/reference), or None after saying what is wrong."""
    from stmh_analysis.paths import Paths
    from stmh_analysis.reference import ReferenceError, load_reference

    try:
        return load_reference(folder or Paths.default().reference)
    except ReferenceError as exc:
        print(f"stmh {command}: {exc}", file=sys.stderr)
        return None


def cmd_check(args: argparse.Namespace) -> int:
    from stmh_analysis.steps import clean_raw

    if not args.dir.is_dir():
        print(f"stmh check: map niet gevonden: {args.dir}", file=sys.stderr)
        return EXIT_USAGE
    reference = _reference(args.reference, "check")
    if reference is None:
        return EXIT_USAGE
    out = clean_raw(args.dir, reference)
    issues = out.result.issues
    print(check_report(out, reference))
    n_rej = len(out.result.rejected)
    n_err = int((issues["level"] == "error").sum())
    return EXIT_INPUT if n_rej or n_err else EXIT_OK


def _problem_line(rec: dict, reference: Reference) -> str:
    where = [rec["source_file"]]
    if rec["source_sheet"]:
        where.append(f"blad {rec['source_sheet']!r}")
    if rec["source_row"] is not None and str(rec["source_row"]) not in ("", "<NA>"):
        where.append(f"regel {rec['source_row']}")
    if rec["column"]:
        where.append(f"kolom {rec['column']!r}")
    value = f" (waarde {str(rec['value'])[:80]!r})" if rec["value"] else ""
    level = reference.labels.word("level", rec["level"]).upper()
    line = f"{level:12} {', '.join(where)}: {rec['message']}{value} [{rec['code']}]"
    if rec["level"] in ("error", "rejected"):
        known = reference.problems.get(rec["code"])
        if known is not None:
            line += f"\n{'':12} wat te doen: {known.action}"
    return line


def check_report(out, reference: Reference) -> str:
    """What `stmh check` prints, in Dutch: first whole files (not read, older versions), then every
    problem with file, sheet, row and column, then the count and the verdict."""
    issues = out.result.issues
    lines: list[str] = []
    files_first = issues[(issues["level"] == "error") | (issues["code"] == "superseded_version")]
    if len(files_first):
        lines.append("Bestanden:")
        lines += [_problem_line(r, reference) for r in files_first.to_dict("records")]
        lines.append("")
    rest = issues.drop(index=files_first.index)
    lines += [_problem_line(r, reference) for r in rest.to_dict("records")]
    acc = out.result.accounting
    rows_in = int(acc["rows_in"].sum()) if len(acc) else 0
    n_rej = len(out.result.rejected)
    n_err = int((issues["level"] == "error").sum())
    in_proposals = int(acc["in_proposals"].sum()) if len(acc) else 0
    merged = int(acc["merged"].sum()) if len(acc) else 0
    lines.append(
        f"\n{rows_in} regels gelezen uit {out.inputs.shape[0]} bestanden: "
        f"{len(out.result.proposals)} voorstellen ({merged} regels samengevoegd als dubbel), "
        f"{n_rej} afgewezen, {rows_in - in_proposals - n_rej} overgeslagen (leeg, verborgen, "
        f"totalen, tussenkoppen, voorbeelden, opmerkingen, oudere versies); "
        f"{int((issues['level'] == 'warning').sum())} opmerkingen om na te lopen."
    )
    if n_err:
        lines.append(
            f"Niet bruikbaar zoals het is: {n_err} bestand(en) konden niet worden gelezen (zie boven); "
            "de voorstellen daarin ontbreken."
        )
    if n_rej:
        lines.append(f"Niet bruikbaar zoals het is: {n_rej} regel(s) afgewezen (zie boven).")
    if not n_err and not n_rej:
        lines.append("Bruikbaar: alle bestanden gelezen, geen regel afgewezen.")
    return "\n".join(lines)


def cmd_run(args: argparse.Namespace) -> int:
    from stmh_analysis.pipeline import (
        InputRejected,
        ParameterError,
        StepFailed,
        run_pipeline,
    )
    from stmh_analysis.runlock import ProjectBusy

    options = run_options(args)
    paths = options.paths
    start = time.perf_counter()
    print(f"stmh run: {paths.raw} -> {paths.processed}, {paths.reports}")
    try:
        manifest = run_pipeline(options, progress=not args.quiet)
    except ParameterError as exc:
        print(f"stmh run: fout in een parameter: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except InputRejected as exc:
        print(f"stmh run: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except StepFailed as exc:
        print(f"stmh run: mislukt: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except ProjectBusy as exc:
        print(f"stmh run: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"stmh run: {folder_problem(exc)}", file=sys.stderr)
        return EXIT_USAGE
    print(run_summary(manifest, time.perf_counter() - start, paths.reports))
    _warn_unread_files(paths.processed / "issues.csv")
    return EXIT_OK


def run_options(args: argparse.Namespace):
    """The run's options from the command line (folders, budget, ranking, documents)."""
    from stmh_analysis.paths import Paths
    from stmh_analysis.pipeline import RunOptions

    paths = Paths.default().with_overrides(
        raw=args.raw,
        processed=args.processed,
        reports=args.reports,
        reference=args.reference,
        releases=args.releases,
    )
    return RunOptions(
        paths=paths,
        budget_structural_eur=args.budget,
        budget_incidental_eur=args.incidental_budget,
        require_each_theme=args.require_each_theme,
        ranking_criteria=[c.strip() for c in args.criteria.split(",")] if args.criteria else None,
        ranking_weights=dict(args.weight) if args.weight else None,
        audiences=tuple(args.audience) if args.audience else None,
        title=args.title,
        reference_code=args.reference_code,
        date=args.date,
        jobs=args.jobs,
        force=args.force,
        strict=args.strict,
        keep_edits=args.keep_edits,
        confirm_budget=args.confirm_budget,
        extra_scenarios=dict(args.scenario) if args.scenario else None,
        compare_with=args.compare_with,
    )


def run_summary(manifest: dict, seconds: float, reports: Path) -> str:
    """The run's last line: how long, how many steps ran and were up to date, where the reports are."""
    ran = [s for s in manifest["steps"] if s["status"] == "ran"]
    if not ran:
        return f"Alles actueel ({seconds:.1f} s). Rapporten in {reports}"
    empty = sum(1 for s in manifest["steps"] if s["status"] == "empty")
    without = f", {empty} thema('s) zonder voorstellen (geen document)" if empty else ""
    return (
        f"Klaar in {seconds:.1f} s: {len(ran)} stap(pen) uitgevoerd, "
        f"{len(manifest['skipped'])} actueel{without}. Rapporten in {reports}"
    )


def _warn_unread_files(issues_csv: Path) -> None:
    """At the end of a run: the partner files that could not be read, so nobody misses that
    their proposals are absent from every figure (the nota says it in its first point too)."""
    import csv

    if not issues_csv.is_file():
        return
    with issues_csv.open(encoding="utf-8-sig", newline="") as fh:
        unread = dict.fromkeys(
            r.get("source_file", "") for r in csv.DictReader(fh) if r.get("level") == "error"
        )
    if unread:
        print(
            f"Let op: {len(unread)} bestand(en) niet gelezen: {', '.join(unread)}. De voorstellen "
            "daarin ontbreken in de rapporten; zie stmh check voor wat te doen."
        )


_OS_REASONS = {
    errno.ENOTDIR: "een deel van het pad is een bestand, geen map",
    errno.EEXIST: "er staat al een bestand met die naam waar een map hoort",
    errno.EISDIR: "er staat een map waar een bestand hoort",
    errno.EACCES: "u mag daar niet schrijven",
    errno.EPERM: "u mag daar niet schrijven",
    errno.EROFS: "de schijf is alleen-lezen",
    errno.ENOSPC: "de schijf is vol",
    errno.ENOENT: "de map bestaat niet",
}


def folder_problem(exc: OSError) -> str:
    """A fault a user can cause with folders, in Dutch: the path, why, and what to do."""
    where = exc.filename or "?"
    why = _OS_REASONS.get(exc.errno or 0, exc.strerror or type(exc).__name__)
    return (
        f"kan niet schrijven naar {where}: {why}. Kies een andere map (--reports, --processed) of "
        "maak ruimte of rechten vrij, en voer stmh run opnieuw uit."
    )


def cmd_review(args: argparse.Namespace) -> int:
    """`stmh run` for everything that changed, then the review queue in words."""
    for name in (
        "budget",
        "incidental_budget",
        "require_each_theme",
        "criteria",
        "weight",
        "scenario",
        "audience",
        "title",
        "reference_code",
        "releases",
        "compare_with",
    ):
        setattr(args, name, None)  # fmt: skip
    args.date, args.jobs, args.force, args.strict = "", 0, False, False
    args.keep_edits, args.confirm_budget = False, False
    code = cmd_run(args)
    if code != EXIT_OK:
        return code
    from stmh_analysis.paths import Paths

    paths = Paths.default().with_overrides(processed=args.processed, reports=args.reports)
    print(review_summary(paths.processed, paths.reports))
    return EXIT_OK


def review_summary(processed: Path, reports: Path) -> str:
    """The questions per kind and status, and what became of the decisions, in Dutch."""
    import csv
    from collections import Counter

    def rows(name: str) -> list[dict]:
        path = processed / name
        if not path.is_file():
            return []
        with path.open(encoding="utf-8-sig", newline="") as fh:
            return list(csv.DictReader(fh))

    questions, decisions = rows("review.csv"), rows("decisions.csv")
    per = Counter((q["kind"], q["status"]) for q in questions)
    still_open = sum(n for (_, status), n in per.items() if status != "besloten")
    lines = [f"Te beoordelen: {still_open} open vraag/vragen, "
             f"{len(questions) - still_open} besloten ({reports / 'te-beoordelen.xlsx'})"]  # fmt: skip
    for kind in dict.fromkeys(k for k, _ in sorted(per)):
        counts = ", ".join(
            f"{per[(kind, s)]} {s}" for s in ("open", "opnieuw open", "besloten") if per[(kind, s)]
        )
        lines.append(f"  {kind:<12} {counts}")
    fate = Counter(d["status"] for d in decisions)
    words = {"applied": "toegepast", "outdated": "niet toegepast: de partner wijzigde de tekst",
             "unmatched": "hoort bij geen voorstel meer", "invalid": "onvolledig of past niet bij de vraag"}  # fmt: skip
    if decisions:
        lines.append(
            "Beoordelingen uit data/raw: "
            + "; ".join(f"{n} {words.get(s, s)}" for s, n in fate.items())
        )
    if still_open:
        lines.append("Vul de gele kolommen in, sla het werkblad op als data/raw/beoordelingen.xlsx "
                     "en voer stmh review of stmh run opnieuw uit.")  # fmt: skip
    return "\n".join(lines)


def cmd_release(args: argparse.Namespace) -> int:
    import datetime as dt

    from stmh_analysis.paths import Paths
    from stmh_analysis.releases import ReleaseError, make_release
    from stmh_analysis.runlock import ProjectBusy

    paths = Paths.default().with_overrides(
        raw=args.raw, processed=args.processed, reports=args.reports, releases=args.releases
    )
    try:
        from stmh_analysis.releases import finish_interrupted
        from stmh_analysis.runlock import exclusive

        if paths.releases.is_dir():
            with exclusive(paths.log_dir, "stmh release"):
                for line in finish_interrupted(paths.releases):
                    print(f"stmh release: {line}")
        release = make_release(
            args.name, paths, paths.releases, dt.datetime.now(), force=args.force
        )
    except (ReleaseError, ProjectBusy) as exc:
        print(f"stmh release: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        print(f"stmh release: {folder_problem(exc)}", file=sys.stderr)
        return EXIT_USAGE
    print(
        f"Release {release.name} vastgelegd in {release.folder} (alleen-lezen); "
        f"regel toegevoegd aan {paths.releases / 'releases.csv'}. De volgende run vergelijkt "
        "'Wijzigingen' met deze release."
    )
    return EXIT_OK


def cmd_template(args: argparse.Namespace) -> int:
    from stmh_analysis.template import DATA_SHEET, write_template

    target: Path = args.path
    if target.suffix.lower() != ".xlsx":
        print(f"stmh template: {target} moet op .xlsx eindigen", file=sys.stderr)
        return EXIT_USAGE
    if target.exists() and not args.force:
        print(
            f"stmh template: {target} bestaat al; kies een andere naam of geef --force",
            file=sys.stderr,
        )
        return EXIT_USAGE
    if not target.parent.is_dir():
        print(f"stmh template: map niet gevonden: {target.parent}", file=sys.stderr)
        return EXIT_USAGE
    reference = _reference(args.reference, "template")
    if reference is None:
        return EXIT_USAGE
    write_template(target, reference)
    print(
        f"Invulblad geschreven: {target} (blad '{DATA_SHEET}', met keuzelijsten en toelichting). "
        "Controleer een ingevuld blad met: stmh check MAP"
    )
    return EXIT_OK


def main(argv: list[str] | None = None) -> int:
    decline_slow_optional_modules()
    parser = build_parser()
    args = parser.parse_args(argv)
    handlers = {
        "run": cmd_run,
        "check": cmd_check,
        "amount": cmd_amount,
        "release": cmd_release,
        "review": cmd_review,
        "template": cmd_template,
    }
    handler = handlers[args.command]
    return handler(args)


if __name__ == "__main__":
    sys.exit(main())
