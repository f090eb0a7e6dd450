"""Article 15 deadlines reach the reminder engine: the round's report (to those who manage
reports, until it is submitted) and each section assigned with a date (to the focal points of
its institution, until they submit it)."""

import datetime

import pytest
from django.utils import timezone

from ncm_portal import deadlines
from reporting import deadline_providers as providers
from reporting.models import Report, Round, Section
from reporting.services import article15 as services

pytestmark = pytest.mark.django_db


def test_both_kinds_are_registered_with_the_reminder_engine():
    kinds = {k.kind: k for k in deadlines.kinds()}
    assert kinds["article15_report_due"].provider is providers.reports_due
    assert kinds["article15_section_due"].provider is providers.sections_due
    assert kinds["article15_report_due"].calendar is providers.reports_in_range


def test_a_started_report_is_reminded_to_the_secretariat_until_submitted(
    secretariat, viewer, contact_point
):
    on = datetime.date(2026, 7, 1)
    # Not started: the calendar shows the deadline, nobody is mailed yet.
    assert not list(providers.reports_due(on))
    in_calendar = list(
        providers.reports_in_range(datetime.date(2026, 8, 1), datetime.date(2026, 9, 30))
    )
    assert [d.key for d in in_calendar] == ["article15-round:6"]
    report = services.report_start(round=Round.objects.get(number=6), actor=secretariat)
    due = {d.key: d for d in providers.reports_due(on)}
    sixth = due["article15-round:6"]
    assert sixth.due == datetime.date(2026, 8, 31)
    assert sixth.url == report.get_absolute_url()
    assert secretariat.pk in sixth.recipient_ids and viewer.pk not in sixth.recipient_ids
    assert set(due) == {"article15-round:6"}
    # Once the report is submitted, nothing more is owed.
    for assignment in report.assignments.select_related("section"):
        services.section_submit(report=report, section=assignment.section, actor=secretariat)
        services.section_review(
            report=report, section=assignment.section, action="accept", actor=secretariat
        )
    services.report_approve(report=report, actor=contact_point)
    services.report_mark_submitted(
        report=report, submitted_on=timezone.localdate(), reference="ERS", actor=secretariat
    )
    assert Report.objects.get(pk=report.pk).status == Report.Status.SUBMITTED
    assert "article15-round:6" not in {d.key for d in providers.reports_due(on)}


def test_a_section_due_is_reminded_to_the_focal_points_of_its_institution(
    draft, secretariat, customs_service, customs_focal, health_focal
):
    section = Section.objects.get(round=draft.round, code="B-II")
    services.section_assign(
        report=draft,
        section=section,
        institution=customs_service,
        due_on=datetime.date(2026, 12, 10),
        actor=secretariat,
    )
    found = list(providers.sections_due(datetime.date(2026, 12, 1)))
    assert [d.recipient_ids for d in found] == [(customs_focal.pk,)]
    assert found[0].due == datetime.date(2026, 12, 10)
    assert found[0].context["institution"] == "Customs Service of Veridia"
    assert not list(providers.sections_due(datetime.date(2026, 11, 1)))  # not yet in reach
    in_range = list(
        providers.sections_in_range(datetime.date(2026, 12, 1), datetime.date(2026, 12, 31))
    )
    assert [d.key for d in in_range] == [found[0].key]
    services.section_submit(report=draft, section=section, actor=customs_focal)
    assert not list(providers.sections_due(datetime.date(2026, 12, 1)))


def test_the_reminder_mail_is_rendered_for_both_kinds(
    draft, secretariat, customs_service, customs_focal, mailoutbox
):
    from coordination.reminders.services import send_due_reminders

    section = Section.objects.get(round=draft.round, code="B-II")
    services.section_assign(
        report=draft,
        section=section,
        institution=customs_service,
        due_on=datetime.date(2026, 8, 20),
        actor=secretariat,
    )
    send_due_reminders(on=datetime.date(2026, 8, 20))
    subjects = {m.subject for m in mailoutbox}
    assert any("National report" in s and "Sixth round" in s for s in subjects)
    assert any("Report section due today" in s for s in subjects)
