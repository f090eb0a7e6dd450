"""Outputs of an Article 15 national report: the PDF, the XLSX annex and the JSON are rendered by
the Celery task from one assembled document, stored with their hash, downloaded byte for byte
by the people who may read the report, and carry what the report says (read back from the
files themselves)."""

import datetime
import hashlib
import io
import json
import zoneinfo
from collections import defaultdict

import pytest
from django.db import connection
from django.db.models import Q, Sum
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.formats import date_format
from openpyxl import load_workbook
from pypdf import PdfReader

from coordination.models import Role
from inventories.models import (
    CustomsTotal,
    Dataset,
    DatasetVersion,
)
from reporting import tasks
from reporting.article15_formats import PDF_ROW_LIMIT, pdf_page_count
from reporting.document import report_document
from reporting.models import Answer, Question, Report, ReportOutput, Round
from reporting.services import article15
from reporting.services import outputs as services
from tests.factories import InstitutionFactory, UserFactory
from tests.pdfs import embedded_fonts
from tests.reporting.article15_helpers import LINES_NOT_ACCEPTED, customs_version

pytestmark = pytest.mark.django_db

Status = ReportOutput.Status

# Declaration lines of the customs service: (date, flow, HS code, partner, net mass in kg).
LINES = [
    (datetime.date(2025, 3, 14), "import", "3824.82.00", "DE", "100.5"),
    (datetime.date(2025, 6, 1), "import", "3824.82", "FR", "50.25"),
    (datetime.date(2025, 7, 1), "export", "3824.82", "NL", "20"),
    (datetime.date(2025, 3, 14), "import", "8504.22.00", "DE", "2300"),
    (datetime.date(2024, 5, 2), "import", "2903.92", "CN", "12.125"),
    (datetime.date(2025, 2, 2), "import", "8471.30", "CN", "999"),  # not a POP
]


@pytest.fixture
def customs(db):
    """Two accepted customs versions in the sixth round's period, and one not accepted (which
    no report may use)."""
    service = InstitutionFactory(name="Veridia Customs Service", acronym="VCS")
    first = customs_version(
        service, year=2025, lines=[line for line in LINES if line[0].year == 2025], sha="a1" * 32
    )
    second = customs_version(
        service, year=2024, lines=[line for line in LINES if line[0].year == 2024], sha="b2" * 32
    )
    customs_version(service, year=2023, lines=LINES_NOT_ACCEPTED, sha="c3" * 32, accepted=False)
    return [first, second]


@pytest.fixture
def report(secretariat, customs):
    """The sixth round's report, started and prefilled from the data through the services."""
    started = article15.report_start(round=Round.objects.get(number=6), actor=secretariat)
    return Report.objects.get(pk=started.pk)


@pytest.fixture
def rendered(django_capture_on_commit_callbacks, secretariat):
    def render(report, kind, actor=None):
        with django_capture_on_commit_callbacks(execute=True):
            output = services.output_request(report=report, kind=kind, actor=actor or secretariat)
        output.refresh_from_db()  # the task ran on commit (eagerly in tests)
        return output

    return render


def pdf_text(data: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def trade_questions(report):
    return Question.objects.filter(
        section__round=report.round, kind=Question.Kind.TABLE, prefill=Question.Prefill.TRADE
    ).order_by("section__order", "order")


def accepted_customs_totals(report) -> dict:
    """Import and export totals (kg) per chemical, year and flow, from the accepted versions."""
    rnd = report.round
    totals = (
        CustomsTotal.objects.filter(
            version__in=Dataset.objects.exclude(accepted_version=None).values("accepted_version"),
            year__gte=rnd.period_start.year,
            year__lte=rnd.period_end.year,
        )
        .filter(Q(chemical=None) | Q(chemical__annex_a=True) | Q(chemical__annex_b=True))
        .values("chemical__slug", "code", "year", "flow")
        .annotate(kg=Sum("net_mass_kg"))
    )
    return {
        (t["chemical__slug"] or t["code"], t["year"], t["flow"]): float(t["kg"]) for t in totals
    }


# --- The document --------------------------------------------------------------------------


def test_the_document_is_assembled_in_a_fixed_number_of_queries(report):
    with CaptureQueriesContext(connection) as few:
        document = report_document(report)
    # Every answer of the round, whatever their number, costs no further query.
    questions = Question.objects.filter(section__round=report.round)
    Answer.objects.bulk_create(
        [
            Answer(report=report, question=q, value="x")
            for q in questions
            if not Answer.objects.filter(report=report, question=q).exists()
        ]
    )
    with CaptureQueriesContext(connection) as many:
        fuller = report_document(report)
    assert len(many) == len(few) <= 7
    assert fuller.counts["questions"] == questions.count() == document.counts["questions"]
    assert [s["code"] for s in document.sections] == list(
        report.round.sections.order_by("order").values_list("code", flat=True)
    )


def test_the_sources_are_the_accepted_versions_with_their_institution_period_and_hash(
    report, customs
):
    document = report_document(report)
    hashes = {s["sha256"] for s in document.sources}
    assert {v.sha256 for v in customs} <= hashes
    assert "c3" * 32 not in hashes  # never accepted
    source = next(s for s in document.sources if s["sha256"] == customs[0].sha256)
    assert source["institution"] == "Veridia Customs Service"
    assert source["period_start"] == datetime.date(2025, 1, 1)
    assert source["questions"]


# --- PDF -----------------------------------------------------------------------------------


def test_the_pdf_carries_every_section_the_hashes_and_the_override_reason(
    report, rendered, secretariat
):
    question = trade_questions(report).first()
    answer = Answer.objects.get(report=report, question=question)
    answer.value = {
        "rows": [{"chemical": "PCB", "year": 2025, "flow": "import", "quantity_kg": 1.0}],
        "note": "",
    }
    answer.overridden, answer.override_reason = True, "Customs double-counted a re-export"
    answer.save()

    output = rendered(report, "pdf")
    assert output.status == Status.READY and output.progress == 100, output.error
    data = output.file.read()
    assert hashlib.sha256(data).hexdigest() == output.sha256 and len(data) == output.size
    assert output.pages == len(PdfReader(io.BytesIO(data)).pages) == pdf_page_count(data) > 2
    text = pdf_text(data)
    for title in report.round.sections.values_list("title", flat=True):
        assert " ".join(title.split()) in text
    for version in DatasetVersion.objects.filter(review_status="accepted"):
        assert version.sha256 in text
    assert "Customs double-counted a re-export" in text
    assert report.round.label in text


def test_a_long_table_is_cut_in_the_pdf_and_whole_in_the_xlsx(report, rendered):
    question = trade_questions(report).first()
    rows = [
        {"chemical": f"Chemical {n}", "year": 2025, "flow": "import", "quantity_kg": n}
        for n in range(PDF_ROW_LIMIT + 25)
    ]
    Answer.objects.filter(report=report, question=question).update(
        value={"rows": rows, "note": ""}, overridden=True, override_reason="Test of length"
    )
    text = pdf_text(rendered(report, "pdf").file.read())
    assert f"Chemical {PDF_ROW_LIMIT - 1}" in text and f"Chemical {PDF_ROW_LIMIT} " not in text
    assert "25 more rows are in the XLSX annex" in text
    workbook = load_workbook(rendered(report, "xlsx").file)
    sheet = list(_sheet_of(workbook, question).iter_rows(values_only=True))
    assert len(sheet) == len(rows) + 1
    quantity = sheet[0].index("Quantity (kg)")
    assert [row[quantity] for row in sheet[1:]] == list(range(len(rows)))


# --- XLSX ----------------------------------------------------------------------------------


def _sheet_of(workbook, question):
    return workbook[question.code[:28]]


def test_the_xlsx_trade_figures_equal_the_accepted_customs_totals(report, rendered):
    output = rendered(report, "xlsx")
    assert output.status == Status.READY, output.error
    workbook = load_workbook(io.BytesIO(output.file.read()))
    expected = accepted_customs_totals(report)
    assert expected  # the fixture's lines give totals to compare
    found = defaultdict(float)
    for question in trade_questions(report):
        rows = list(_sheet_of(workbook, question).iter_rows(values_only=True))
        header = list(rows[0])
        at = {key: header.index(label) for key, label in _labels(question).items()}
        for row in rows[1:]:
            if row[at["flow"]] in ("import", "export"):
                quantity = row[at["quantity_kg"]]
                assert isinstance(quantity, (int, float))  # a number, not text
                key = row[at["chemical_slug"]] or row[at["code"]]
                found[(key, row[at["year"]], row[at["flow"]])] += quantity
    assert set(found) == set(expected)
    for key, kg in expected.items():
        assert found[key] == pytest.approx(kg)
    answers = workbook[workbook.sheetnames[1]]
    codes = {row[3] for row in answers.iter_rows(min_row=2, values_only=True)}
    assert codes == set(
        Question.objects.filter(section__round=report.round).values_list("code", flat=True)
    )
    sources = list(workbook[workbook.sheetnames[-1]].iter_rows(values_only=True))
    assert {v.sha256 for v in DatasetVersion.objects.filter(review_status="accepted")} <= {
        row[8] for row in sources[1:]
    }


def _labels(question) -> dict:
    """Column key -> header label, as the XLSX writes them (declared labels, else the key)."""
    labels = {c["key"]: c.get("label") or c["key"] for c in question.columns}
    for key in ("chemical_slug", "code", "year", "flow", "quantity_kg"):
        labels.setdefault(key, key)
    return labels


def test_formula_like_text_is_neutralised_in_the_xlsx(report, rendered):
    question = Question.objects.filter(section__round=report.round, kind=Question.Kind.TEXT).first()
    Answer.objects.update_or_create(
        report=report, question=question, defaults={"value": '=HYPERLINK("http://x","y")'}
    )
    workbook = load_workbook(rendered(report, "xlsx").file)
    answers = workbook[workbook.sheetnames[1]]
    cell = next(
        row[6] for row in answers.iter_rows(min_row=2, values_only=True) if row[3] == question.code
    )
    assert cell == '\'=HYPERLINK("http://x","y")'


def test_a_negative_number_stays_a_number_and_formula_text_in_tables_is_neutralised(
    report, rendered
):
    number = Question.objects.filter(section__round=report.round, kind=Question.Kind.NUMBER).first()
    text = Question.objects.filter(section__round=report.round, kind=Question.Kind.TEXT).first()
    Answer.objects.update_or_create(report=report, question=number, defaults={"value": -12.5})
    Answer.objects.update_or_create(report=report, question=text, defaults={"value": "-1+2"})
    workbook = load_workbook(rendered(report, "xlsx").file)
    answers = workbook[workbook.sheetnames[1]]
    by_code = {row[3]: row[6] for row in answers.iter_rows(min_row=2, values_only=True)}
    assert by_code[number.code] == -12.5
    assert by_code[text.code] == "'-1+2"
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                assert not (isinstance(value, str) and value.startswith(("=", "+", "-", "@")))


# --- JSON ----------------------------------------------------------------------------------


def test_the_json_carries_every_answer_the_round_version_status_and_sources(report, rendered):
    output = rendered(report, "json")
    assert output.status == Status.READY, output.error
    data = json.loads(output.file.read())
    assert data["report"]["round"]["number"] == 6
    assert data["report"]["version"] == report.version
    assert data["report"]["status"] == report.status
    questions = {q["code"]: q for p in data["parts"] for s in p["sections"] for q in s["questions"]}
    answers = Answer.objects.filter(report=report).select_related("question")
    assert set(questions) == set(
        Question.objects.filter(section__round=report.round).values_list("code", flat=True)
    )
    for answer in answers:
        item = questions[answer.question.code]
        if answer.question.kind == Question.Kind.TABLE:
            expected = (answer.effective or {}).get("rows", [])
            assert len(item["rows"]) == len(expected)
            for got, row in zip(item["rows"], expected, strict=True):
                assert {k: got[k] for k in row} == row
        else:
            assert item["answer"] == answer.effective
    assert {s["sha256"] for s in data["sources"]} >= {
        v.sha256 for v in DatasetVersion.objects.filter(review_status="accepted")
    }


# --- Storage, idempotence, the task ----------------------------------------------------------


def test_rendering_twice_gives_files_whose_hash_matches_the_download(
    client, report, rendered, secretariat
):
    first, second = rendered(report, "pdf"), rendered(report, "pdf")
    assert first.pk != second.pk
    client.force_login(secretariat)
    for output in (first, second):
        response = client.get(reverse("reporting:article15-output-download", args=[output.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert (
            f"article15-round6-v{report.version}-{output.pk}.pdf" in response["Content-Disposition"]
        )
        body = b"".join(response.streaming_content)
        assert hashlib.sha256(body).hexdigest() == output.sha256 and len(body) == output.size


def test_the_task_is_idempotent(report, rendered):
    output = rendered(report, "xlsx")
    before = (output.sha256, output.file.name, output.rendered_at)
    assert tasks.article15_output_render.delay(output.pk).get() == Status.READY
    output.refresh_from_db()
    assert (output.sha256, output.file.name, output.rendered_at) == before


def test_a_request_while_one_is_queued_returns_that_one(report, secretariat):
    first = services.output_request(report=report, kind="pdf", actor=secretariat)
    again = services.output_request(report=report, kind="pdf", actor=secretariat)
    assert again.pk == first.pk and first.status == Status.QUEUED  # not yet committed


def test_an_approved_report_can_still_be_rendered(report, rendered):
    Report.objects.filter(pk=report.pk).update(status=Report.Status.APPROVED)
    report.refresh_from_db()
    assert report.is_locked
    for kind in ("pdf", "xlsx", "json"):
        output = rendered(report, kind)
        assert output.status == Status.READY, output.error
    assert "Approved" in pdf_text(report.outputs.get(kind="pdf").file.read())


def test_a_failed_render_is_recorded_and_shown(client, report, secretariat, monkeypatch):
    def broken(template, context):
        raise ValueError("the template could not be read")

    monkeypatch.setattr("ncm_portal.pdf.render_pdf", broken)
    output = ReportOutput.objects.create(report=report, kind="pdf", requested_by=secretariat)
    with pytest.raises(ValueError):
        tasks.article15_output_render(output.pk)
    output.refresh_from_db()
    assert output.status == Status.FAILED and "could not be read" in output.error
    client.force_login(secretariat)
    status = client.get(reverse("reporting:article15-output-status", args=[output.pk]))
    assert "could not be read" in status.content.decode()
    download = client.get(reverse("reporting:article15-output-download", args=[output.pk]))
    assert download.status_code == 404


def test_a_transient_error_puts_the_output_back_in_the_queue(report, secretariat, monkeypatch):
    def unreachable(template, context):
        raise OSError("storage unreachable")

    monkeypatch.setattr("ncm_portal.pdf.render_pdf", unreachable)
    output = ReportOutput.objects.create(report=report, kind="pdf", requested_by=secretariat)
    with pytest.raises(OSError):
        services.output_render(output_id=output.pk)
    output.refresh_from_db()
    assert output.status == Status.QUEUED  # the retry renders it


def test_a_transient_error_is_retried_then_recorded_when_it_outlasts_the_retries(
    report, secretariat, monkeypatch
):
    from celery.exceptions import Retry

    def unreachable(template, context):
        raise OSError("storage unreachable")

    monkeypatch.setattr("ncm_portal.pdf.render_pdf", unreachable)
    output = ReportOutput.objects.create(report=report, kind="pdf", requested_by=secretariat)
    task = tasks.article15_output_render
    with pytest.raises(Retry):
        task.delay(output.pk)
    output.refresh_from_db()
    assert output.status == Status.QUEUED  # waiting for the retry
    with pytest.raises(OSError):
        task.apply(args=[output.pk], retries=task.max_retries)  # the last attempt
    output.refresh_from_db()
    assert output.status == Status.FAILED and output.error == "storage unreachable"


def test_an_output_in_progress_is_polled(client, report, secretariat):
    output = ReportOutput.objects.create(
        report=report, kind="pdf", status=Status.RENDERING, progress=40
    )
    client.force_login(secretariat)
    body = client.get(reverse("reporting:article15-output-status", args=[output.pk])).content
    assert b'hx-trigger="every 2s"' in body and b'value="40"' in body


# --- The permission wall ---------------------------------------------------------------------


def test_a_reader_requests_and_downloads_through_the_pages(
    client, report, secretariat, django_capture_on_commit_callbacks
):
    client.force_login(secretariat)
    url = reverse("reporting:article15-output-request", args=[report.pk, "json"])
    assert client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    output = report.outputs.get(kind="json")
    output.refresh_from_db()
    assert output.status == Status.READY
    download = client.get(reverse("reporting:article15-output-download", args=[output.pk]))
    assert download["Content-Type"] == "application/json"
    assert json.loads(b"".join(download.streaming_content))["report"]["id"] == report.pk
    bad = client.post(reverse("reporting:article15-output-request", args=[report.pk, "docx"]))
    assert bad.status_code == 302 and not report.outputs.filter(kind="docx").exists()


@pytest.fixture
def ready_output(report, rendered):
    return rendered(report, "json")


def test_anonymous_visitors_are_sent_to_sign_in(client, report, ready_output):
    for url in (
        reverse("reporting:article15-output-download", args=[ready_output.pk]),
        reverse("reporting:article15-output-status", args=[ready_output.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    response = client.post(reverse("reporting:article15-output-request", args=[report.pk, "pdf"]))
    assert response.status_code == 302 and "login" in response["Location"]
    assert report.outputs.count() == 1


def test_a_signed_in_user_with_no_role_gets_nothing(client, report, ready_output):
    client.force_login(UserFactory())  # in no group: may not read the registry or reports
    download = reverse("reporting:article15-output-download", args=[ready_output.pk])
    status = reverse("reporting:article15-output-status", args=[ready_output.pk])
    assert client.get(download).status_code == 403
    assert client.get(status).status_code == 403
    response = client.post(reverse("reporting:article15-output-request", args=[report.pk, "pdf"]))
    assert response.status_code == 403
    assert report.outputs.count() == 1


def test_a_viewer_reads_the_report_so_requests_and_downloads_its_outputs(
    client, report, ready_output, django_capture_on_commit_callbacks
):
    client.force_login(UserFactory(role=Role.VIEWER))
    download = client.get(reverse("reporting:article15-output-download", args=[ready_output.pk]))
    assert download.status_code == 200
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == ready_output.sha256
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reporting:article15-output-request", args=[report.pk, "xlsx"])
        )
    assert response.status_code == 302
    assert report.outputs.get(kind="xlsx").status == Status.READY


def test_the_outputs_panel_offers_the_three_outputs_and_links_a_ready_one(
    rf, report, ready_output, secretariat
):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = secretariat
    context = {"report": report, "outputs": list(report.outputs.all()), "can_request": True}
    html = render_to_string("reporting/article15/_outputs.html", context, request=request)
    for kind in ("pdf", "xlsx", "json"):
        assert reverse("reporting:article15-output-request", args=[report.pk, kind]) in html
    assert reverse("reporting:article15-output-download", args=[ready_output.pk]) in html
    assert ready_output.sha256 in html
    context["can_request"] = False
    html = render_to_string("reporting/article15/_outputs.html", context, request=request)
    assert "<form" not in html
    assert reverse("reporting:article15-output-request", args=[report.pk, "pdf"]) not in html
    assert reverse("reporting:article15-output-download", args=[ready_output.pk]) in html


def test_the_pdf_shows_times_in_the_requesters_time_zone(report, rendered, secretariat):
    secretariat.time_zone = "Pacific/Kiritimati"  # UTC+14: the day differs from UTC's
    secretariat.save(update_fields=["time_zone"])
    output = rendered(report, "pdf")
    zone = zoneinfo.ZoneInfo("Pacific/Kiritimati")
    text = pdf_text(output.file.read())
    moments = [output.rendered_at - datetime.timedelta(minutes=m) for m in (0, 1)]
    assert any(
        f"Generated on {date_format(m.astimezone(zone), 'DATETIME_FORMAT')}" in text
        for m in moments
    )


def test_a_chinese_reader_gets_the_pdf_in_chinese_set_in_the_portals_font(
    report, rendered, secretariat, caplog
):
    secretariat.language = "zh-hans"
    secretariat.save(update_fields=["language"])
    output = rendered(report, "pdf")
    assert output.status == Status.READY, output.error
    data = output.file.read()
    text = pdf_text(data)
    assert "关于持久性有机污染物的斯德哥尔摩公约" in text
    assert "根据第15条提交的国家报告" in text
    assert "Noto-Sans-SC" in embedded_fonts(data)
    assert not [r for r in caplog.records if "notdef" in r.getMessage()]


def test_the_report_page_shows_the_outputs_panel(client, report, ready_output, secretariat):
    client.force_login(secretariat)
    page = client.get(report.get_absolute_url()).content.decode()
    assert reverse("reporting:article15-output-request", args=[report.pk, "pdf"]) in page
    assert reverse("reporting:article15-output-download", args=[ready_output.pk]) in page
