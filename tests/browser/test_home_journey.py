"""The home page tells each person what the mechanism expects of them, in headless Chromium: a
member finds the meeting just convened and the ballot just opened, replies and votes from there;
a focal point finds the Article 15 section assigned to their institution and the dataset the
schedule says is due."""

import datetime

import pytest
from django.utils import timezone

from coordination import services
from coordination.ballots import services as votes
from coordination.models import Ballot, Designation, Meeting, Reply, Role
from inventories.models import SubmissionSchedule
from reporting.models import Round, Section
from reporting.services import article15
from tests.browser.helpers import sign_in
from tests.factories import (
    DesignationFactory,
    InstitutionFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
)
from tests.reporting.article15_helpers import focal_point_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_replies_and_votes_from_the_home_page(page):
    secretariat = UserFactory(email="secretariat@ncm.test", role=Role.SECRETARIAT)
    body = services.body_create(
        actor=secretariat, name="Steering Committee", kind="steering", secretariat=[secretariat]
    )
    health = InstitutionFactory(name="Ministry of Health", acronym="MoH")
    MembershipFactory(body=body, institution=health)
    member = UserFactory(email="moh.principal@ncm.test", role=Role.MEMBER)
    person = PersonFactory(institution=health, name="Amina Health", user=member)
    DesignationFactory(
        person=person,
        kind=Designation.Kind.REPRESENTATIVE,
        body=body,
        capacity=Designation.Capacity.PRINCIPAL,
    )
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=30)
    meeting = services.meeting_create(
        actor=secretariat,
        body=body,
        title="Steering Committee, third meeting",
        start=start,
        end=start + datetime.timedelta(hours=2),
        time_zone="Asia/Kathmandu",
        modality="in_person",
        venue="Ministry of Environment, room 4",
    )
    services.meeting_convene(actor=secretariat, meeting=meeting)
    ballot = votes.ballot_create(
        actor=secretariat,
        body=body,
        question="Adopt the joint workplan 2027?",
        closes_at=timezone.now() + datetime.timedelta(days=2),
    )
    votes.ballot_open(ballot=ballot, actor=secretariat)

    sign_in(page, "moh.principal@ncm.test")
    needs = page.locator("#what-needs-me")
    meeting_item = needs.locator(".need-meeting_reply")
    ballot_item = needs.locator(".need-ballot_closing")
    assert "Steering Committee, third meeting" in meeting_item.inner_text()
    local = timezone.localtime(start, meeting.zone)
    assert f"{local:%H:%M}" in meeting_item.inner_text() or local.strftime("%-I:%M") in (
        meeting_item.inner_text()
    )
    assert "Asia/Kathmandu" in meeting_item.inner_text()
    assert "Adopt the joint workplan 2027?" in ballot_item.inner_text()
    assert "left" in ballot_item.inner_text()
    # The ballot closes sooner than the meeting starts: it comes first.
    assert needs.locator("li.need").first.get_attribute("class").endswith("need-ballot_closing")

    meeting_item.get_by_role("button", name="Attending online").click()
    page.wait_for_selector("text=Your reply is recorded.")
    assert page.url.endswith("/")
    assert Reply.objects.get(meeting=meeting, person=person).response == "online"
    assert page.locator("#what-needs-me .need-meeting_reply").count() == 0

    page.locator("#what-needs-me .need-ballot_closing").get_by_role("button", name="Yes").click()
    page.wait_for_selector("text=Vote recorded. Your receipt code is")
    assert Ballot.objects.get(pk=ballot.pk).participations.count() == 1

    page.goto("/")
    assert "Nothing needs you at the moment" in page.locator("#what-needs-me").inner_text()
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.CONVENED


def test_a_focal_point_finds_the_article15_section_and_the_dataset_due(page):
    secretariat = UserFactory(email="secretariat@ncm.test", role=Role.SECRETARIAT)
    customs = InstitutionFactory(name="Veridia Customs Service", acronym="VCS")
    focal_point_of(customs, "customs.focal@ncm.test")
    report = article15.report_start(round=Round.objects.get(number=6), actor=secretariat)
    section = Section.objects.get(round=report.round, code="B-II")
    due_on = timezone.localdate() + datetime.timedelta(days=10)
    article15.section_assign(
        report=report, section=section, institution=customs, due_on=due_on, actor=secretariat
    )
    # Quarterly customs data, 30 days after each quarter: the last quarter is owed.
    today = timezone.localdate()
    SubmissionSchedule.objects.create(
        institution=customs,
        dataset_type="customs",
        frequency="quarterly",
        days_after_period=30,
        starts_on=today.replace(day=1) - datetime.timedelta(days=200),
    )

    sign_in(page, "customs.focal@ncm.test")
    needs = page.locator("#what-needs-me")
    section_item = needs.locator(".need-article15_section_due")
    assert "B-II" in section_item.inner_text()
    assert "Veridia Customs Service" in section_item.inner_text()
    dataset_item = needs.locator(".need-dataset_due").first
    assert "Customs" in dataset_item.inner_text()

    # Each line leads straight to the action.
    section_item.get_by_role("link").click()
    page.wait_for_url(f"**/reports/article15/{report.pk}/sections/{section.pk}/**")
    page.goto("/")
    page.locator("#what-needs-me .need-dataset_due").first.get_by_role("link").click()
    page.wait_for_url("**/upload/**")
    assert page.locator("#id_dataset_type").input_value() == "customs"
