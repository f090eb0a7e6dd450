"""The trade table of an Article 15 report counts every matched customs line once: for the one
chemical its code identifies, or in a row of its own under a code that names a group of chemicals
or only may hold one. Its quantities add up to the declarations' net mass, for each flow and year,
on the page, in the PDF, in the XLSX and in the JSON; a group row can be attributed to its
chemicals with a reason, and a national code that points at one chemical resolves its lines."""

import datetime
import io
import json
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.urls import reverse
from openpyxl import load_workbook

from inventories.models import (
    Chemical,
    CustomsRecord,
    Dataset,
    DatasetVersion,
    HSCode,
    NationalProductCode,
)
from inventories.services.customs import MatchIndex, totals_compute, totals_rebuild
from inventories.services.ingest import hs_chapter_known
from reporting.models import Answer, GroupAttribution, Question, ReportEvent, Round
from reporting.services import article15
from reporting.services import outputs as output_services
from reporting.services.article15_groups import group_attribute, group_attribution_withdraw
from tests.factories import InstitutionFactory, UserFactory
from tests.reporting.test_article15_outputs import pdf_text

pytestmark = pytest.mark.django_db

D = datetime.date
# (date, flow, HS code, national code, partner, net mass)
LINES = [
    (D(2025, 3, 1), "import", "2910.40", "", "DE", "10"),  # dieldrin: specific
    (D(2025, 3, 2), "import", "2903.82", "", "DE", "12000"),  # aldrin, chlordane or heptachlor
    (D(2025, 4, 2), "import", "2903.82.00", "", "FR", "9199.5"),
    (D(2025, 5, 2), "import", "2903.82", "2903.82.10", "FR", "30"),  # national: aldrin alone
    (D(2025, 5, 3), "export", "3824.84", "", "NL", "40.25"),  # a mixture: group of ten
    (D(2025, 6, 3), "import", "8504.22", "", "CN", "2300"),  # transformer: may hold PCB
    (D(2024, 6, 3), "import", "2903.92", "", "CN", "12.125"),  # HCB or DDT
    (D(2024, 7, 3), "export", "2910.40", "", "NL", "3"),
    (D(2025, 2, 2), "import", "8471.30", "", "CN", "999"),  # not a POP
]


def load_lines(lines, *, year=2025):
    dataset = Dataset.objects.create(
        institution=InstitutionFactory(),
        dataset_type="customs",
        period_start=D(year - 1, 1, 1),
        period_end=D(year, 12, 31),
    )
    version = DatasetVersion.objects.create(
        dataset=dataset,
        number=1,
        raw_file="datasets/raw/test",
        sha256="d4" * 32,
        size=1,
        original_name="customs.csv",
        status=DatasetVersion.Status.VALIDATED,
        review_status=DatasetVersion.Review.ACCEPTED,
    )
    index = MatchIndex()
    records = []
    for number, (day, flow, hs_code, national, partner, mass) in enumerate(lines, 1):
        found = index.resolve(hs_code, national)
        records.append(
            CustomsRecord(
                version=version,
                row_number=number,
                declaration_id=f"G-{number}",
                declared_on=day,
                flow=flow,
                hs_code=hs_code,
                national_code=national,
                description=f"Declared goods {number}",
                origin_country=partner if flow == "import" else "",
                consignment_country=partner if flow == "export" else "",
                net_mass_kg=Decimal(mass),
                match=found.match if found else "",
                hs_known=hs_chapter_known(hs_code),
            )
        )
    CustomsRecord.objects.bulk_create(records)
    totals_compute(version.pk)
    version.rows_accepted = len(records)
    version.save(update_fields=["rows_accepted"])
    dataset.accepted_version = version
    dataset.save(update_fields=["accepted_version"])
    return version


@pytest.fixture
def aldrin_subdivision(db):
    code = NationalProductCode.objects.create(
        code="2903.82.10",
        description="Aldrin",
        hs_code=HSCode.objects.get(code="2903.82"),
        match="specific",
    )
    code.chemicals.set([Chemical.objects.get(slug="aldrin")])
    return code


def declared(version_ids=None) -> dict:
    """(year, flow) -> net mass of the matched declarations of the accepted versions."""
    lines = CustomsRecord.objects.exclude(match="")
    if version_ids is not None:
        lines = lines.filter(version_id__in=version_ids)
    totals = defaultdict(Decimal)
    for line in lines:
        totals[(line.declared_on.year, line.flow)] += line.net_mass_kg
    return dict(totals)


def summed(rows, *, year="year", flow="flow", quantity="quantity_kg") -> dict:
    totals = defaultdict(Decimal)
    for row in rows:
        if row[flow] in ("import", "export"):
            totals[(int(row[year]), row[flow])] += Decimal(str(row[quantity]))
    return dict(totals)


def trade_answer(report) -> Answer:
    return Answer.objects.select_related("question").get(
        report=report, question__prefill=Question.Prefill.TRADE
    )


@pytest.fixture
def report(secretariat):
    return article15.report_start(round=Round.objects.get(number=6), actor=secretariat)


@pytest.mark.parametrize("with_national_code", [False, True])
def test_the_table_adds_up_to_the_declarations_on_the_page_and_in_every_output(
    request, client, secretariat, django_capture_on_commit_callbacks, with_national_code
):
    if with_national_code:
        request.getfixturevalue("aldrin_subdivision")
    version = load_lines(LINES)
    report = article15.report_start(round=Round.objects.get(number=6), actor=secretariat)
    expected = declared([version.pk])
    assert expected[(2025, "import")] == Decimal("23539.5")
    rows = trade_answer(report).prefilled["rows"]
    assert summed(rows) == expected

    # Group codes appear as groups, with their declarations; nothing is counted per member.
    groups = {(r["code"], r["year"], r["flow"]): r for r in rows if r["match"] == "group"}
    aldrin_group = groups[("2903.82", 2025, "import")]
    assert aldrin_group["chemical"] == "Aldrin, Chlordane or Heptachlor — HS 2903.82"
    assert aldrin_group["quantity_kg"] == (21199.5 if with_national_code else 21229.5)
    assert aldrin_group["lines"] == (2 if with_national_code else 3)
    by_slug = {r["chemical_slug"]: r for r in rows if r["chemical_slug"]}
    assert by_slug["dieldrin"]["quantity_kg"] == 10  # 2025 import; its 3824.84 line is elsewhere
    assert ("aldrin" in by_slug) is with_national_code
    assert "chlordane" not in by_slug and "heptachlor" not in by_slug and "pcb" not in by_slug
    assert {r["match"] for r in rows} == {"specific", "group", "indicative"}

    # The page.
    client.force_login(secretariat)
    section = trade_answer(report).question.section
    page = client.get(reverse("reporting:article15-section", args=[report.pk, section.pk]))
    assert page.status_code == 200
    item = next(i for i in page.context["items"] if i["question"].prefill == "trade")
    table = item["prefilled_table"]["rows"]
    cells = [{c["key"]: c["value"] for c in row["cells"]} for row in table]
    assert summed(cells) == expected
    html = page.content.decode()
    assert "Aldrin, Chlordane or Heptachlor — HS 2903.82" in html
    assert "code=2903.82" in html  # linked to its declarations

    outputs = {}
    for kind in ("pdf", "xlsx", "json"):
        with django_capture_on_commit_callbacks(execute=True):
            output = output_services.output_request(report=report, kind=kind, actor=secretariat)
        output.refresh_from_db()
        assert output.status == "ready", output.error
        outputs[kind] = output.file.read()

    data = json.loads(outputs["json"])
    question = next(
        q
        for p in data["parts"]
        for s in p["sections"]
        for q in s["questions"]
        if q["code"] == trade_answer(report).question.code
    )
    assert summed(question["rows"]) == expected

    workbook = load_workbook(io.BytesIO(outputs["xlsx"]))
    sheet = next(
        workbook[name]
        for name in workbook.sheetnames
        if any(
            cell.value == "quantity_kg" or cell.value == "Quantity (kg)"
            for cell in next(workbook[name].iter_rows(max_row=1))
        )
    )
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    at = {
        label: header.index(label)
        for label in ("Year", "Production, import or export", "Quantity (kg)")
    }
    xlsx_rows = [
        {
            "year": r[at["Year"]],
            "flow": r[at["Production, import or export"]],
            "quantity_kg": r[at["Quantity (kg)"]],
        }
        for r in sheet.iter_rows(min_row=2, values_only=True)
    ]
    assert summed(xlsx_rows) == expected

    text = pdf_text(outputs["pdf"])
    assert "Aldrin, Chlordane or Heptachlor — HS 2903.82" in text
    shown = "21,199.5" if with_national_code else "21,229.5"
    assert shown in text
    for row in rows:
        assert f"{row['quantity_kg']:,}".rstrip("0").rstrip(".") in text


def test_a_group_row_is_attributed_with_a_reason_and_the_table_still_adds_up(
    report, secretariat, aldrin_subdivision
):
    load_lines(LINES)
    article15.report_prefill(report=report, actor=secretariat)
    answer = trade_answer(report)
    args = {
        "report": report,
        "question": answer.question,
        "code": "2903.82",
        "national": False,
        "year": 2025,
        "flow": "import",
    }
    with pytest.raises(ValidationError) as no_reason:
        group_attribute(**args, shares={"aldrin": None}, reason=" ", actor=secretariat)
    assert no_reason.value.code == "reason_required"
    with pytest.raises(ValidationError) as too_much:
        group_attribute(
            **args,
            shares={"aldrin": "20000", "chlordane": "2000"},
            reason="Declared as Aldrin 40 EC",
            actor=secretariat,
        )
    assert too_much.value.code == "does_not_add_up"
    with pytest.raises(ValidationError) as stranger:
        group_attribute(**args, shares={"dieldrin": None}, reason="x", actor=secretariat)
    assert stranger.value.code == "not_a_member"

    group_attribute(
        **args,
        shares={"aldrin": "20000", "chlordane": "1199.5"},
        reason="The descriptions name Aldrin 40 EC and a chlordane termiticide",
        actor=secretariat,
    )
    rows = trade_answer(report).prefilled["rows"]
    assert summed(rows) == declared()
    assert not [
        r
        for r in rows
        if r.get("code") == "2903.82"
        and r["match"] == "group"
        and r["year"] == 2025
        and r["flow"] == "import"
        and not r.get("attributed")
    ]
    shares = {r["chemical_slug"]: r["quantity_kg"] for r in rows if r.get("attributed")}
    assert shares == {"aldrin": 20000, "chlordane": 1199.5}
    event = ReportEvent.objects.filter(report=report, action="group_attribute").get()
    assert event.actor == secretariat and "Aldrin 40 EC" in event.note

    # Computed again from the data, the attribution stays with the answer.
    article15.report_prefill(report=report, actor=secretariat)
    assert summed(trade_answer(report).prefilled["rows"]) == declared()
    assert {
        r["chemical_slug"] for r in trade_answer(report).prefilled["rows"] if r.get("attributed")
    } == {"aldrin", "chlordane"}

    group_attribution_withdraw(
        report=report, attribution=GroupAttribution.objects.get(), actor=secretariat
    )
    rows = trade_answer(report).prefilled["rows"]
    assert not any(r.get("attributed") for r in rows)
    assert summed(rows) == declared()


def test_only_those_who_answer_the_section_attribute_a_group_row(report, secretariat):
    load_lines(LINES)
    article15.report_prefill(report=report, actor=secretariat)
    answer = trade_answer(report)
    outsider = UserFactory(email="outsider@ncm.test")
    with pytest.raises(PermissionDenied):
        group_attribute(
            report=report,
            question=answer.question,
            code="2903.82",
            national=False,
            year=2025,
            flow="import",
            shares={"aldrin": None},
            reason="x",
            actor=outsider,
        )
    assert not GroupAttribution.objects.exists()


def test_a_national_code_added_later_resolves_the_lines_already_accepted(secretariat):
    version = load_lines(LINES)
    aldrin = Chemical.objects.get(slug="aldrin")
    code = NationalProductCode.objects.create(
        code="2903.82.10",
        description="Aldrin",
        hs_code=HSCode.objects.get(code="2903.82"),
        match="specific",
    )
    code.chemicals.set([aldrin])
    totals_rebuild()
    totals_rebuild()  # a second run changes nothing
    from inventories.models import CustomsTotal

    rows = CustomsTotal.objects.filter(version=version, chemical=aldrin)
    assert rows.aggregate(kg=Sum("net_mass_kg"))["kg"] == Decimal("30")
    assert CustomsRecord.objects.get(version=version, national_code="2903.82.10").match == (
        "specific"
    )
    everything = CustomsTotal.objects.filter(version=version).aggregate(kg=Sum("net_mass_kg"))
    assert everything["kg"] == sum(declared([version.pk]).values())


def test_the_reference_keeps_group_codes_apart_from_specific_ones(db):
    codes = {c.code: c for c in HSCode.objects.prefetch_related("chemicals")}
    for group in ("2903.81", "2903.82", "2903.92", "3808.59", "3824.84", "3824.85", "3824.86"):
        assert codes[group].match == "group"
        assert codes[group].chemicals.count() > 1
    for code in codes.values():
        if code.match == "specific":
            assert code.chemicals.count() == 1, code.code


def test_the_focal_point_of_the_answering_institution_attributes_a_row_through_its_page(
    client, report, secretariat, customs_service, viewer
):
    from tests.reporting.article15_helpers import focal_point_of

    load_lines(LINES)
    article15.report_prefill(report=report, actor=secretariat)
    answer = trade_answer(report)
    article15.section_assign(
        report=report,
        section=answer.question.section,
        institution=customs_service,
        actor=secretariat,
        due_on=None,
    )
    focal = focal_point_of(customs_service, "customs.focal@ncm.test")
    other = focal_point_of(InstitutionFactory(), "other.focal@ncm.test")
    url = reverse("reporting:article15-group-attribute", args=[report.pk, answer.question.pk])
    query = {"code": "2903.82", "national": "0", "year": 2025, "flow": "import"}
    assert client.get(url, query).status_code == 302  # anonymous: to sign in
    for outsider in (viewer, other):
        client.force_login(outsider)
        assert client.get(url, query).status_code == 403
        section = client.get(
            reverse("reporting:article15-section", args=[report.pk, answer.question.section_id])
        )
        assert "group-attribute-link" not in section.content.decode()

    client.force_login(focal)
    section = client.get(
        reverse("reporting:article15-section", args=[report.pk, answer.question.section_id])
    ).content.decode()
    assert "group-attribute-link" in section
    page = client.get(url, query)
    assert page.status_code == 200
    assert "Declared goods 2" in page.content.decode()  # the declarations' descriptions
    assert client.get(url, {**query, "year": 2019}).status_code == 404
    refused = client.post(
        url + "?" + "&".join(f"{k}={v}" for k, v in query.items()),
        {"mode": "split", "kg_aldrin": "1", "reason": "Label"},
    )
    assert refused.status_code == 400 and not GroupAttribution.objects.exists()
    done = client.post(
        url + "?" + "&".join(f"{k}={v}" for k, v in query.items()),
        {"mode": "all", "chemical": "heptachlor", "reason": "Every line reads Heptachlor 25 WP"},
    )
    assert done.status_code == 302
    attribution = GroupAttribution.objects.get()
    assert attribution.attributed_by == focal and attribution.all_to_one
    rows = trade_answer(report).prefilled["rows"]
    assert summed(rows) == declared()
    assert [r["quantity_kg"] for r in rows if r["chemical_slug"] == "heptachlor"] == [21229.5]


def test_a_correction_keeps_the_attributions_of_its_group_rows(report, secretariat):
    load_lines(LINES)
    article15.report_prefill(report=report, actor=secretariat)
    answer = trade_answer(report)
    group_attribute(
        report=report,
        question=answer.question,
        code="2903.92",
        national=False,
        year=2024,
        flow="import",
        shares={"ddt": None},
        reason="Declared as DDT 75 WP",
        actor=secretariat,
    )
    from reporting.models import Report

    Report.objects.filter(pk=report.pk).update(status=Report.Status.APPROVED)
    report.refresh_from_db()
    new = article15.report_correct(report=report, reason="A late declaration", actor=secretariat)
    kept = GroupAttribution.objects.get(answer__report=new)
    assert (kept.code, kept.shares[0]["slug"], kept.reason) == (
        "2903.92",
        "ddt",
        "Declared as DDT 75 WP",
    )
    article15.report_prefill(report=new, actor=secretariat)
    rows = trade_answer(new).prefilled["rows"]
    assert [r["quantity_kg"] for r in rows if r["chemical_slug"] == "ddt"] == [12.125]
    assert summed(rows) == declared()
