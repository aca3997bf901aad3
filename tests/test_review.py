"""The analyst's review: questions, the review workbook, decisions read back and applied, a
partner's correction never hidden behind an old decision, retitles followed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from stmh_analysis import steps
from stmh_analysis.review import _Invalid, decided_amounts
from stmh_analysis.review_rules import ReviewRulesError, read_review_rules

ROOT = Path(__file__).resolve().parents[1]
SUBMISSION = """Organisatie;Thema;Titel voorstel;Omschrijving;Indicatieve kosten
CKM;Opvang;Extra opvangplekken slachtoffers;Meer bedden in de regio;€ 60.000
CKM;;Voorlichting op scholen over loverboys;Lessen voor jongeren in het voortgezet onderwijs;€ 120.000 per jaar
CKM;Opvang;Training hulpverleners;Training voor 40 hulpverleners;€ 10.000 per groep × 3 groepen
CKM;Opvang;Casusregie in de regio;Regie op complexe zaken;€ 250.000 per jaar
"""
ADJUSTED = "aangepast (zie de kolommen)"


@pytest.fixture()
def raw(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "ckm.csv").write_text(SUBMISSION, encoding="utf-8")
    return folder


def clean(raw: Path, reference, tmp_path: Path):
    out = steps.clean_raw(raw, reference)
    steps.write_clean(out, tmp_path / "processed", tmp_path / "reports", reference)
    return out.result


def question(result, title: str, kind: str) -> str:
    q = result.questions
    return q[(q["title"] == title) & (q["kind"] == kind)]["question_id"].iloc[0]


def fill_in(workbook: Path, target: Path, answers: dict[str, dict[str, object]]) -> None:
    """What an analyst does in Excel: type in the yellow columns, save under another name."""
    wb = load_workbook(workbook)
    ws = wb["Vragen"]
    head = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        for header, value in answers.get(row[head.index("Vraag")].value, {}).items():
            row[head.index(header)].value = value
    wb.save(target)


def proposal(result, title: str) -> dict:
    p = result.proposals
    return p[p["title"] == title].iloc[0].to_dict()


def test_review_workbook_has_its_sheets_dropdowns_and_frozen_header(raw, reference, tmp_path):
    result = clean(raw, reference, tmp_path)
    wb = load_workbook(tmp_path / "reports" / "te-beoordelen.xlsx")
    assert wb.sheetnames == ["Toelichting", "Vragen", "Lijsten"]
    ws = wb["Vragen"]
    head = [c.value for c in ws[1]]
    assert ws.freeze_panes == "B2"
    assert ws.max_row == len(result.questions) + 1
    lists = {
        next(iter(dv.sqref.ranges)).coord.split(":")[0].rstrip("0123456789"): dv.formula1
        for dv in ws.data_validations.dataValidation
        if dv.type == "list"
    }
    letter = {h: ws.cell(row=1, column=j + 1).column_letter for j, h in enumerate(head)}
    assert "Lijsten" in lists[letter["Besluit"]]
    assert "Lijsten" in lists[letter["Thema (besluit)"]]
    assert "Lijsten" in lists[letter["Organisatie (besluit)"]]
    choices = [c.value for c in wb["Lijsten"]["A"][1:]]
    assert ADJUSTED in choices and "lezing klopt" in choices
    # no contact details in the review workbook
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "@" not in text


def test_every_flag_an_analyst_can_settle_has_a_question(reference, tmp_path):
    """On the repository's own submissions: each warning whose code review.yaml asks about is a
    question of its proposal (found by the row it came from, merged rows included)."""
    result = clean(ROOT / "data" / "raw", reference, tmp_path)
    rules = reference.review
    asked = {(q["source_file"], code) for q in result.questions.to_dict("records")
             for code in q["codes"].split(";")}  # fmt: skip
    flagged = result.issues[
        (result.issues["level"] == "warning") & result.issues["code"].map(rules.kind_of).notna()
    ]
    assert len(flagged) > 0
    ids = set(result.questions["question_id"])
    for rec in flagged.to_dict("records"):
        kind = rules.kind_of(rec["code"])
        assert any(q.endswith("/" + kind) for q in ids), rec
        assert (rec["source_file"], rec["code"]) in asked or rec[
            "code"
        ] == "duplicate_amounts_differ"


def test_decisions_are_applied_kept_and_reopened_when_the_partner_changes_the_text(
    raw, reference, tmp_path
):
    first = clean(raw, reference, tmp_path)
    assumed = question(first, "Extra opvangplekken slachtoffers", "bedrag")
    inferred = question(first, "Voorlichting op scholen over loverboys", "thema")
    computed = question(first, "Training hulpverleners", "bedrag")
    assert set(first.questions["status"]) == {"open"}
    fill_in(
        tmp_path / "reports" / "te-beoordelen.xlsx",
        raw / "beoordelingen.xlsx",
        {
            assumed: {"Besluit": ADJUSTED, "Structureel laag (€ per jaar)": 60000,
                      "Reden": "partner belde: per jaar", "Beoordeeld door": "A. Analist",
                      "Datum": "2026-12-02"},
            inferred: {"Besluit": "lezing klopt", "Beoordeeld door": "A. Analist"},
        },
    )  # fmt: skip
    raw_bytes = {p.name: p.read_bytes() for p in raw.iterdir()}

    second = clean(raw, reference, tmp_path)
    decided = proposal(second, "Extra opvangplekken slachtoffers")
    assert decided["structural_low_eur"] == decided["structural_high_eur"] == 60000
    assert decided["incidental_low_eur"] == 0
    assert decided["data_issues"] == "analyst_decided"
    assert (
        "analyst_decided"
        in proposal(second, "Voorlichting op scholen over loverboys")["data_issues"]
    )
    status = second.questions.set_index("question_id")["status"]
    assert status[assumed] == status[inferred] == "besloten"
    assert status[computed] == "open"
    log = second.decisions.set_index("question_id")
    assert (
        log.loc[assumed, "status"] == "applied" and log.loc[assumed, "decided_by"] == "A. Analist"
    )
    # the warnings it settled are notices now, saying who decided
    settled = second.issues[
        (second.issues["code"] == "basis_assumed") & (second.issues["source_row"] == 2)
    ]
    assert list(settled["level"]) == ["notice"] and "A. Analist" in settled["message"].iloc[0]
    # the decided rows come back filled in, so saving the whole sheet keeps them
    wb = load_workbook(tmp_path / "reports" / "te-beoordelen.xlsx")
    ws = wb["Vragen"]
    head = [c.value for c in ws[1]]
    rows = {r[head.index("Vraag")].value: r for r in ws.iter_rows(min_row=2)}
    assert rows[assumed][head.index("Besluit")].value == ADJUSTED
    assert rows[assumed][head.index("Structureel laag (€ per jaar)")].value == 60000

    # the partner corrects the amount: the old decision must not hide the new text
    text = (
        (raw / "ckm.csv")
        .read_text(encoding="utf-8")
        .replace(
            "slachtoffers;Meer bedden in de regio;€ 60.000",
            "slachtoffers;Meer bedden in de regio;€ 65.000",
        )
    )
    (raw / "ckm.csv").write_text(text, encoding="utf-8")
    third = clean(raw, reference, tmp_path)
    again = proposal(third, "Extra opvangplekken slachtoffers")
    assert again["incidental_low_eur"] == 65000 and again["structural_low_eur"] == 0
    assert (
        "decision_outdated" in again["data_issues"]
        and "analyst_decided" not in again["data_issues"]
    )
    q = third.questions.set_index("question_id").loc[assumed]
    assert q["status"] == "opnieuw open"
    assert "€ 60.000" in q["earlier_decision"] and "€ 65.000" in q["earlier_decision"]
    warning = third.issues[third.issues["code"] == "decision_outdated"]
    assert (
        len(warning) == 1
        and "€ 60.000" in warning["message"].iloc[0]
        and "€ 65.000" in warning["message"].iloc[0]
    )
    assert third.decisions.set_index("question_id").loc[assumed, "status"] == "outdated"
    # the other decision still holds
    assert (
        "analyst_decided"
        in proposal(third, "Voorlichting op scholen over loverboys")["data_issues"]
    )
    # raw was never written
    assert {p.name: p.read_bytes() for p in raw.iterdir() if p.name != "ckm.csv"} == {
        n: b for n, b in raw_bytes.items() if n != "ckm.csv"
    }


def test_a_retitled_proposal_keeps_its_decision_and_appraisal(raw, reference, tmp_path):
    first = clean(raw, reference, tmp_path)
    qid = question(first, "Extra opvangplekken slachtoffers", "bedrag")
    fill_in(tmp_path / "reports" / "te-beoordelen.xlsx", raw / "beoordelingen.xlsx",
            {qid: {"Besluit": ADJUSTED, "Structureel laag (€ per jaar)": 60000, "Beoordeeld door": "B"}})  # fmt: skip
    (raw / "appreciaties.csv").write_text(
        "Organisatie;Titel voorstel;Appreciatie;Toelichting\n"
        "CKM;Extra opvangplekken slachtoffers;kansrijk;past in actielijn 2\n",
        encoding="utf-8",
    )
    text = (raw / "ckm.csv").read_text(encoding="utf-8")
    (raw / "ckm.csv").write_text(
        text.replace("Extra opvangplekken slachtoffers", "Extra opvangplekken voor slachtoffers"),
        encoding="utf-8",
    )
    result = clean(raw, reference, tmp_path)
    renamed = proposal(result, "Extra opvangplekken voor slachtoffers")
    assert renamed["proposal_id"] != qid.partition("/")[0]
    assert renamed["structural_low_eur"] == 60000 and "analyst_decided" in renamed["data_issues"]
    assert renamed["appraisal"] == "kansrijk"
    followed = result.issues[result.issues["code"] == "followed_retitle"]
    assert len(followed) == 2 and set(followed["level"]) == {"notice"}  # appraisal and decision
    assert followed["message"].str.contains(renamed["proposal_id"]).all()
    assert result.decisions["status"].tolist() == ["applied"]


def test_a_decision_for_a_proposal_that_is_gone_is_listed(raw, reference, tmp_path):
    first = clean(raw, reference, tmp_path)
    qid = question(first, "Training hulpverleners", "bedrag")
    fill_in(tmp_path / "reports" / "te-beoordelen.xlsx", raw / "beoordelingen.xlsx",
            {qid: {"Besluit": "lezing klopt", "Beoordeeld door": "C"}})  # fmt: skip
    lines = (raw / "ckm.csv").read_text(encoding="utf-8").splitlines()
    (raw / "ckm.csv").write_text(
        "\n".join(line for line in lines if "Training" not in line) + "\n", encoding="utf-8"
    )
    result = clean(raw, reference, tmp_path)
    assert result.decisions["status"].tolist() == ["unmatched"]
    gone = result.issues[result.issues["code"] == "decision_unmatched"]
    assert (
        gone["source_file"].tolist() == ["beoordelingen.xlsx"] and gone["source_row"].notna().all()
    )


def test_withdraw_and_merge_keep_every_row_accounted_for(raw, reference, tmp_path):
    extra = "CKM;Opvang;Extra opvangplaatsen slachtoffers;Meer bedden;€ 50.000 per jaar\n"
    (raw / "ckm.csv").write_text(SUBMISSION + extra, encoding="utf-8")
    first = clean(raw, reference, tmp_path)
    dubbel = first.questions[first.questions["kind"] == "dubbel"]
    assert len(dubbel) == 2
    computed = question(first, "Training hulpverleners", "bedrag")
    fill_in(tmp_path / "reports" / "te-beoordelen.xlsx", raw / "beoordelingen.xlsx", {
        dubbel["question_id"].iloc[0]: {"Besluit": "samenvoegen met het andere voorstel", "Beoordeeld door": "D"},
        computed: {"Besluit": "intrekken (geen voorstel)", "Beoordeeld door": "D"},
    })  # fmt: skip
    result = clean(raw, reference, tmp_path)
    assert len(result.proposals) == len(first.proposals) - 2
    acc = result.accounting.iloc[0]
    assert acc["rows_in"] == 5 and acc["skipped_withdrawn"] == 1 and acc["merged"] == 1
    assert set(result.decisions["status"]) == {"applied"}
    assert "analyst_withdrawn" in set(result.issues["code"])


@pytest.mark.parametrize(
    ("answer", "column"),
    [
        ({"Besluit": ADJUSTED}, "Structureel laag (€ per jaar)"),
        ({"Besluit": ADJUSTED, "Structureel laag (€ per jaar)": 5, "Structureel hoog (€ per jaar)": 2}, "Structureel hoog"),
        ({"Besluit": ADJUSTED, "Incidenteel laag (€ totaal)": "veel"}, "Incidenteel laag"),
        ({"Besluit": ADJUSTED, "Incidenteel laag (€ totaal)": 5, "Eerste jaar": 2027, "Laatste jaar": 2025}, "Laatste jaar"),
        ({"Besluit": "samenvoegen met het andere voorstel"}, "Besluit"),
        ({"Besluit": "misschien"}, "Besluit"),
    ],
)  # fmt: skip
def test_an_incomplete_decision_is_reported_where_it_stands_and_not_applied(
    answer, column, raw, reference, tmp_path
):
    first = clean(raw, reference, tmp_path)
    qid = question(first, "Extra opvangplekken slachtoffers", "bedrag")
    fill_in(tmp_path / "reports" / "te-beoordelen.xlsx", raw / "beoordelingen.xlsx", {qid: answer})
    result = clean(raw, reference, tmp_path)
    bad = result.issues[result.issues["code"] == "decision_invalid"]
    assert len(bad) == 1 and bad["column"].iloc[0].startswith(column)
    assert bad["source_file"].iloc[0] == "beoordelingen.xlsx"
    assert result.questions.set_index("question_id").loc[qid, "status"] == "open"
    assert proposal(result, "Extra opvangplekken slachtoffers")["incidental_low_eur"] == 60000


def test_decided_amounts_fill_the_high_estimate_and_check_years():
    base = {c: "" for c in ("structural_low_eur", "structural_high_eur", "incidental_low_eur",
                             "incidental_high_eur", "first_year", "last_year")}  # fmt: skip
    got = decided_amounts({**base, "structural_low_eur": "€ 30.000", "first_year": 2025.0})
    assert got["structural_low_eur"] == got["structural_high_eur"] == 30000
    assert got["first_year"] == 2025 and pd.isna(got["last_year"])
    with pytest.raises(_Invalid):
        decided_amounts({**base, "incidental_low_eur": -5})
    with pytest.raises(_Invalid):
        decided_amounts({**base, "first_year": "volgend jaar"})


def test_review_rules_refuse_an_unknown_code_or_kind(tmp_path):
    source = (ROOT / "data" / "reference" / "review.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "review.yaml"
    broken.write_text(source.replace("amount_ambiguous", "amount_ambigous"), encoding="utf-8")
    with pytest.raises(ReviewRulesError, match="amount_ambigous"):
        read_review_rules(broken, {"amount_ambiguous"} | _codes())
    broken.write_text(source.replace("  subtotaal:", "  tussentotaal:"), encoding="utf-8")
    with pytest.raises(ReviewRulesError, match="tussentotaal"):
        read_review_rules(broken)


def _codes() -> set[str]:
    from stmh_analysis.problems import problem_codes

    return set(problem_codes()) - {"amount_ambiguous"}


def test_decisions_in_a_csv_are_read_too(raw, reference, tmp_path):
    first = clean(raw, reference, tmp_path)
    q = first.questions.set_index("question_id")
    qid = question(first, "Extra opvangplekken slachtoffers", "bedrag")
    (raw / "beoordelingen.csv").write_text(
        "Vraag;Besluit;Controlecode;Beoordeeld door\n"
        f"{qid};lezing klopt;{q.loc[qid, 'fingerprint']};E\n",
        encoding="utf-8",
    )
    result = clean(raw, reference, tmp_path)
    assert result.decisions["status"].tolist() == ["applied"]
    assert (
        "basis_assumed" not in proposal(result, "Extra opvangplekken slachtoffers")["data_issues"]
    )
    shutil.rmtree(tmp_path / "processed")


def test_decisions_typed_into_the_review_workbook_itself_are_kept_aside(raw, reference, tmp_path):
    first = clean(raw, reference, tmp_path)
    qid = question(first, "Extra opvangplekken slachtoffers", "bedrag")
    target = tmp_path / "reports" / "te-beoordelen.xlsx"
    fill_in(target, target, {qid: {"Besluit": "lezing klopt"}})  # saved in place, not in raw
    clean(raw, reference, tmp_path)
    kept = list((tmp_path / "reports").glob("te-beoordelen (ingevuld *).xlsx"))
    assert len(kept) == 1
    ws = load_workbook(kept[0])["Vragen"]
    assert "lezing klopt" in [c.value for row in ws.iter_rows() for c in row]
    clean(raw, reference, tmp_path)  # an untouched workbook is simply replaced
    assert len(list((tmp_path / "reports").glob("te-beoordelen (ingevuld *).xlsx"))) == 1


def test_an_appraisal_follows_a_retitle_only_where_one_proposal_fits(raw, reference, tmp_path):
    """Two proposals of the partner resemble the appraisal's old title: which one it became is not
    evident, so the appraisal stays unmatched (with its warning) rather than moving at random."""
    (raw / "ckm.csv").write_text(
        SUBMISSION
        + "CKM;Opvang;Extra opvangplekken slachtoffers noord;Bedden;€ 10.000 per jaar\n"
        + "CKM;Opvang;Extra opvangplekken slachtoffers zuid;Bedden;€ 10.000 per jaar\n",
        encoding="utf-8",
    )
    (raw / "appreciaties.csv").write_text(
        "Organisatie;Titel voorstel;Appreciatie\nCKM;Extra opvangplekken slachtoffers oost;kansrijk\n",
        encoding="utf-8",
    )
    result = clean(raw, reference, tmp_path)
    assert "followed_retitle" not in set(result.issues["code"])
    assert "appraisal_unmatched" in set(result.issues["code"])
    assert (result.proposals["appraisal"] == "").all()
