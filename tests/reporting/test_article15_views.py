"""The pages of Article 15 reports: who may see and do what from the outside (anonymous
visitors, viewers, focal points of the right and the wrong institution, the secretariat, the
official contact point), what the pages show, and a fixed number of queries per page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reporting.models import Answer, Question, Report, Round, Section, SectionAssignment
from reporting.services import article15 as services
from reporting.services.article15_answers import answer_save
from tests.factories import days_from_today

pytestmark = pytest.mark.django_db
Status = SectionAssignment.Status


def _section(report, code) -> Section:
    return Section.objects.get(round=report.round, code=code)


def _question(report, code) -> Question:
    return Question.objects.get(section__round=report.round, code=code)


def _urls(report):
    b2 = _section(report, "B-II")
    return {
        "list": reverse("reporting:article15-list"),
        "detail": reverse("reporting:article15-detail", args=[report.pk]),
        "section": reverse("reporting:article15-section", args=[report.pk, b2.pk]),
        "assign": reverse("reporting:article15-assign", args=[report.pk, b2.pk]),
    }


@pytest.fixture
def assigned(draft, secretariat, customs_service):
    services.section_assign(
        report=draft,
        section=_section(draft, "B-II"),
        institution=customs_service,
        actor=secretariat,
        due_on=days_from_today(-5),
    )
    return draft


def test_anonymous_visitors_are_sent_to_sign_in(client, draft):
    for url in _urls(draft).values():
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    response = client.post(
        reverse("reporting:article15-answer", args=[draft.pk, _question(draft, "A-3").pk]),
        {f"q{_question(draft, 'A-3').pk}-value": "x"},
    )
    assert response.status_code == 302 and "login" in response["Location"]
    assert Answer.objects.get(report=draft, question__code="A-3").value is None


def test_a_viewer_reads_but_cannot_change_anything(client, assigned, viewer):
    client.force_login(viewer)
    urls = _urls(assigned)
    for name in ("list", "detail", "section"):
        assert client.get(urls[name]).status_code == 200
    page = client.get(urls["section"]).content.decode()
    assert "Save the answer" not in page and "Record the review" not in page
    assert client.get(urls["assign"]).status_code == 403
    question = _question(assigned, "B-II-1")
    response = client.post(
        reverse("reporting:article15-answer", args=[assigned.pk, question.pk]),
        {f"q{question.pk}-value": "yes"},
    )
    assert response.status_code == 403
    assert (
        client.post(reverse("reporting:article15-prefill", args=[assigned.pk])).status_code == 403
    )
    assert client.post(reverse("reporting:article15-start", args=[7])).status_code == 403
    assert Answer.objects.get(report=assigned, question=question).value is None


def test_a_focal_point_of_another_institution_cannot_answer(client, assigned, health_focal):
    client.force_login(health_focal)
    question = _question(assigned, "B-II-1")
    response = client.post(
        reverse("reporting:article15-answer", args=[assigned.pk, question.pk]),
        {f"q{question.pk}-value": "yes"},
    )
    assert response.status_code == 403
    section = _section(assigned, "B-II")
    response = client.post(
        reverse("reporting:article15-section-submit", args=[assigned.pk, section.pk])
    )
    assert response.status_code == 403
    assert "Save the answer" not in client.get(_urls(assigned)["section"]).content.decode()
    assert Answer.objects.get(report=assigned, question=question).value is None
    assert assigned.assignments.get(section=section).status == Status.NOT_STARTED


def test_the_focal_point_of_the_assigned_institution_answers_and_submits(
    client, assigned, customs_focal
):
    client.force_login(customs_focal)
    detail = client.get(_urls(assigned)["detail"]).content.decode()
    assert (
        reverse("reporting:article15-section", args=[assigned.pk, _section(assigned, "B-II").pk])
        in detail
    )
    page = client.get(_urls(assigned)["section"]).content.decode()
    assert "Save the answer to B-II-1" in page
    question = _question(assigned, "B-II-1")
    response = client.post(
        reverse("reporting:article15-answer", args=[assigned.pk, question.pk]),
        {f"q{question.pk}-value": "yes"},
    )
    assert response.status_code == 302
    assert Answer.objects.get(report=assigned, question=question).value is True
    section = _section(assigned, "B-II")
    client.post(reverse("reporting:article15-section-submit", args=[assigned.pk, section.pk]))
    assert assigned.assignments.get(section=section).status == Status.SUBMITTED


def test_a_table_is_answered_cell_by_cell_and_an_override_without_reason_is_refused(
    client, assigned, customs_focal
):
    client.force_login(customs_focal)
    question = _question(assigned, "B-II-6")
    answer = Answer.objects.get(report=assigned, question=question)
    prefix = f"q{question.pk}"
    data = {}
    for i, row in enumerate(answer.prefilled["rows"]):
        for key, value in row.items():
            if isinstance(value, bool):
                if value:
                    data[f"{prefix}-cell-{i}-{key}"] = "on"
            else:
                data[f"{prefix}-cell-{i}-{key}"] = str(value)
    url = reverse("reporting:article15-answer", args=[assigned.pk, question.pk])
    # Unchanged: the computed figures are confirmed, not overridden.
    assert client.post(url, data).status_code == 302
    answer.refresh_from_db()
    assert answer.value is None and not answer.overridden
    # A production row added: an override, refused without its reason and shown as such.
    n = len(answer.prefilled["rows"])
    data.update(
        {
            f"{prefix}-cell-{n}-chemical": "DDT",
            f"{prefix}-cell-{n}-year": "2024",
            f"{prefix}-cell-{n}-flow": "production",
            f"{prefix}-cell-{n}-quantity_kg": "0",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 400
    assert "say why it is replaced" in response.content.decode()
    data[f"{prefix}-override_reason"] = "No production, confirmed by the ministry"
    assert client.post(url, data).status_code == 302
    answer.refresh_from_db()
    assert answer.overridden and answer.value["rows"][-1]["flow"] == "production"
    page = client.get(_urls(assigned)["section"]).content.decode()
    assert "No production, confirmed by the ministry" in page


def test_each_import_and_export_total_links_to_the_customs_lines_behind_it(
    client, assigned, secretariat, accepted_customs
):
    client.force_login(secretariat)
    page = client.get(_urls(assigned)["section"]).content.decode()
    link = (
        reverse("inventories:data-customs-lines")
        + "?code=3824.82&amp;national=0&amp;year=2025&amp;flow=import"
        + "&amp;match=group"
    )
    assert link in page
    assert "a1" * 32 in page  # the source's hash
    lines = client.get(link.replace("&amp;", "&"))
    assert lines.status_code == 200
    text = lines.content.decode()
    assert f"D-{accepted_customs['accepted'][0].pk}-1" in text
    assert "777777" not in text


def test_the_secretariat_assigns_and_reviews_through_the_pages(
    client, draft, secretariat, customs_service
):
    client.force_login(secretariat)
    urls = _urls(draft)
    assert client.get(urls["assign"]).status_code == 200
    response = client.post(
        urls["assign"],
        {"institution": customs_service.pk, "due_on": days_from_today(-5).isoformat()},
    )
    assert response.status_code == 302
    assignment = draft.assignments.get(section__code="B-II")
    assert assignment.institution == customs_service
    assert assignment.due_on == days_from_today(-5)
    # Part A is the secretariat's own: answered, submitted, then accepted.
    part_a = _section(draft, "A")
    services.section_submit(report=draft, section=part_a, actor=secretariat)
    review = reverse("reporting:article15-section-review", args=[draft.pk, part_a.pk])
    assert client.post(review, {"action": "return", "comment": ""}).status_code == 302
    assert draft.assignments.get(section=part_a).status == Status.SUBMITTED
    assert client.post(review, {"action": "accept", "comment": "Good"}).status_code == 302
    assert draft.assignments.get(section=part_a).status == Status.ACCEPTED
    page = client.get(urls["detail"]).content.decode()
    assert "Customs Service of Veridia" in page and 'id="report-outputs"' in page


def _accept_all(report, actor):
    for assignment in report.assignments.select_related("section"):
        services.section_submit(report=report, section=assignment.section, actor=actor)
        services.section_review(
            report=report, section=assignment.section, action="accept", actor=actor
        )


def test_the_official_contact_point_approves_and_the_report_is_locked(
    client, draft, secretariat, contact_point
):
    _accept_all(draft, secretariat)
    approve = reverse("reporting:article15-approve", args=[draft.pk])
    client.force_login(secretariat)
    assert client.post(approve).status_code == 403
    client.force_login(contact_point)
    page = client.get(_urls(draft)["detail"]).content.decode()
    assert 'id="approve-report"' in page
    assert client.post(approve).status_code == 302
    draft.refresh_from_db()
    assert draft.status == Report.Status.APPROVED
    client.force_login(secretariat)
    page = client.get(_urls(draft)["detail"]).content.decode()
    assert "approved and locked" in page
    response = client.post(_urls(draft)["assign"], {"institution": ""}, follow=True)
    assert "can no longer be changed" in response.content.decode()
    submitted = reverse("reporting:article15-mark-submitted", args=[draft.pk])
    response = client.post(
        submitted, {"submitted_on": days_from_today(-100).isoformat(), "reference": "ERS-42"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.submission_reference) == (Report.Status.SUBMITTED, "ERS-42")
    correct = reverse("reporting:article15-correct", args=[draft.pk])
    response = client.post(correct, {"reason": "PCB exports were wrong"})
    new = Report.objects.get(round=draft.round, version=2)
    assert response["Location"] == new.get_absolute_url()
    old_page = client.get(_urls(draft)["detail"])
    assert old_page.status_code == 200 and "superseded" in old_page.content.decode()
    assert f'<a href="{new.get_absolute_url()}">See version 2.</a>' in old_page.content.decode()


def test_the_list_shows_rounds_with_their_deadline_and_days_left(client, draft, secretariat):
    client.force_login(secretariat)
    page = client.get(reverse("reporting:article15-list")).content.decode()
    assert "Sixth round" in page and "SC-12/19" in page and "Seventh round" in page
    assert draft.get_absolute_url() in page
    assert "days-left" in page
    assert "Start the report" in page  # for the rounds without a report


def test_pages_cost_a_fixed_number_of_queries(client, draft, secretariat, customs_service):
    client.force_login(secretariat)
    urls = _urls(draft)
    counts = {}
    for name in ("list", "detail", "section"):
        client.get(urls[name])  # warm the session and the caches
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(urls[name]).status_code == 200
        counts[name] = len(ctx)
    # More sections assigned, more answers, more reports: the same number of queries.
    for code in ("A", "B-I", "B-III", "C"):
        services.section_assign(
            report=draft,
            section=_section(draft, code),
            institution=customs_service,
            actor=secretariat,
        )
    answer_save(report=draft, question=_question(draft, "B-II-1"), value=True, actor=secretariat)
    services.report_start(round=Round.objects.get(number=5), actor=secretariat)
    for name in ("list", "detail", "section"):
        client.get(urls[name])  # the report's trail, retired by the new events, is built again
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(urls[name]).status_code == 200
        assert len(ctx) == counts[name], name


def test_the_trail_shows_each_event_on_the_next_request(
    client, draft, secretariat, customs_service, customs_focal
):
    """The report's trail is kept in the cache (``reporting.display.trail_rows``); each service
    that records an event, and a change of the name of who acted, shows on the next request."""
    client.force_login(secretariat)
    url = reverse("reporting:article15-detail", args=[draft.pk])

    def named(person):
        return client.get(url).content.decode().count(person.full_name)

    before = named(secretariat)
    assert named(secretariat) == before  # from the cache
    section = _section(draft, "B-II")
    services.section_assign(
        report=draft,
        section=section,
        institution=customs_service,
        actor=secretariat,
        due_on=days_from_today(10),
    )
    assert named(secretariat) == before + 1
    assert named(customs_focal) == 0
    services.section_submit(report=draft, section=section, actor=customs_focal)
    assert named(customs_focal) == 1
    customs_focal.full_name = "Renamed Focal Point"  # shown only in the trail
    customs_focal.save()
    assert "Renamed Focal Point" in client.get(url).content.decode()
