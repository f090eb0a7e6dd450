"""The home page's "What needs me" list seen from outside (who sees what, replies from it), and
the defects found on the way: times in e-mails and PDFs in the zone they name, agenda papers on
the meeting page, an alternate whose principal voted, quorums as percentages, the meeting form's
order."""

import datetime
import io
import re
import zoneinfo

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import dateformat, timezone
from pypdf import PdfReader

from coordination import services
from coordination.ballots import services as votes
from coordination.meetings.forms import MeetingForm
from coordination.models import Designation, Reply, Role
from ncm_portal.pdf import render_pdf
from tests.factories import (
    DesignationFactory,
    InstitutionFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

KIRITIMATI = "Pacific/Kiritimati"  # UTC+14: a day ahead of UTC for ten hours of the day
HOME = reverse("coordination:dashboard")


@pytest.fixture
def council(secretariat):
    body = services.body_create(
        actor=secretariat,
        name="Steering Committee",
        kind="steering",
        secretariat=[secretariat],
        notice_period_days=7,
    )
    seats = {}
    for name in ("Health", "Customs"):
        institution = InstitutionFactory(name=f"Ministry of {name}")
        MembershipFactory(body=body, institution=institution)
        for capacity in ("principal", "alternate"):
            email = f"{name}.{capacity}@t.test"
            person = PersonFactory(
                institution=institution,
                name=f"{name} {capacity}",
                email=email,
                user=UserFactory(email=email, role=Role.MEMBER),
            )
            DesignationFactory(
                person=person, kind=Designation.Kind.REPRESENTATIVE, body=body, capacity=capacity
            )
            seats[(name, capacity)] = person
    return body, seats


def convene(secretariat, body, *, zone=KIRITIMATI, hour=7, minute=17):
    """A meeting at 07:17 in ``zone``, two weeks ahead."""
    day = timezone.localdate() + datetime.timedelta(days=14)
    start = datetime.datetime.combine(day, datetime.time(hour, minute), zoneinfo.ZoneInfo(zone))
    meeting = services.meeting_create(
        actor=secretariat,
        body=body,
        title="Steering Committee, third meeting",
        start=start,
        end=start + datetime.timedelta(hours=2),
        time_zone=zone,
        modality="in_person",
        venue="Ministry of Environment",
    )
    return services.meeting_convene(actor=secretariat, meeting=meeting)


def test_the_notice_prints_the_meeting_time_in_the_zone_it_names(
    secretariat, council, django_capture_on_commit_callbacks, settings
):
    settings.TIME_ZONE = "UTC"
    body, _seats = council
    with django_capture_on_commit_callbacks(execute=True):
        convene(secretariat, body)
    (when,) = {line for m in mail.outbox for line in m.body.splitlines() if "When:" in line}
    assert "(Pacific/Kiritimati)" in when
    assert re.search(r"7:17\s*a\.m\.", when) and re.search(r"9:17\s*a\.m\.", when), when
    assert "5:17" not in when  # 07:17 in Kiritimati is 17:17 the day before in UTC


def test_the_ballot_record_prints_its_times_in_the_zone_it_names(secretariat, council):
    body, seats = council
    ballot = votes.ballot_create(
        actor=secretariat,
        body=body,
        question="Adopt the plan?",
        closes_at=timezone.now() + datetime.timedelta(days=1),
    )
    ballot = votes.ballot_open(actor=secretariat, ballot=ballot)
    zone = zoneinfo.ZoneInfo("Asia/Kathmandu")  # UTC+05:45
    opened = timezone.localtime(ballot.opened_at, zone)
    with timezone.override(zone):
        from coordination.ballots.services import _record_context

        pdf = render_pdf("coordination/ballot_record.html", _record_context(ballot))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Asia/Kathmandu" in text
    # The hour and minutes as the page prints them ("8:15 p.m.", or "8 p.m." on the hour): the
    # quarter-hour offset shows in them.
    assert dateformat.format(opened, "P") in text


def test_each_person_sees_only_what_concerns_them(client, secretariat, council):
    body, seats = council
    meeting = convene(secretariat, body)
    ballot = votes.ballot_open(
        actor=secretariat,
        ballot=votes.ballot_create(
            actor=secretariat,
            body=body,
            question="Adopt the plan?",
            closes_at=timezone.now() + datetime.timedelta(days=1),
        ),
    )
    health = seats[("Health", "principal")].user
    client.force_login(health)
    page = client.get(HOME).content.decode()
    assert "Steering Committee, third meeting" in page and "Adopt the plan?" in page
    # Someone outside the body: nothing of it.
    outsider = UserFactory(role=Role.MEMBER)
    PersonFactory(user=outsider)
    client.force_login(outsider)
    page = client.get(HOME).content.decode()
    assert "third meeting" not in page and "Adopt the plan?" not in page
    assert "Nothing needs you at the moment" in page
    # A viewer without a person: an empty list, said plainly.
    client.force_login(UserFactory(role=Role.VIEWER))
    assert "Nothing needs you at the moment" in client.get(HOME).content.decode()
    # Anonymous: to the sign-in page.
    client.logout()
    assert client.get(HOME).status_code == 302
    # Once the principal of Health has voted, neither Health's principal nor its alternate is
    # asked again; Customs still is.
    votes.vote_cast(
        actor=health,
        ballot=ballot,
        elector=ballot.electors.get(institution=seats[("Health", "principal")].institution),
        option=ballot.options.first(),
    )
    for who, asked in (
        (("Health", "principal"), False),
        (("Health", "alternate"), False),
        (("Customs", "alternate"), True),
    ):
        client.force_login(seats[who].user)
        assert ("Adopt the plan?" in client.get(HOME).content.decode()) is asked, who
    assert meeting.pk


def test_a_reply_from_the_home_page_is_for_oneself_only(client, secretariat, council):
    body, seats = council
    meeting = convene(secretariat, body)
    health, customs = seats[("Health", "principal")], seats[("Customs", "principal")]
    client.force_login(health.user)
    url = reverse("coordination:reply-create", args=[meeting.pk])
    response = client.post(url, {"person": health.pk, "response": "online", "next": HOME})
    assert response.status_code == 302 and response.url == HOME
    assert Reply.objects.get(person=health).response == "online"
    # Not for someone else, and never back to another site.
    response = client.post(
        url, {"person": customs.pk, "response": "decline", "next": "https://evil.example/"}
    )
    assert response.status_code == 403
    response = client.post(
        url, {"person": health.pk, "response": "decline", "next": "https://evil.example/"}
    )
    assert response.url == meeting.get_absolute_url()
    assert not Reply.objects.filter(person=customs).exists()


def test_a_paper_attached_to_an_agenda_item_is_in_the_meetings_documents(
    client, secretariat, council
):
    body, seats = council
    meeting = convene(secretariat, body)
    item = services.agenda_item_add(actor=secretariat, meeting=meeting, title="Budget")
    services.document_upload(
        actor=secretariat,
        title="Budget proposal",
        category="report",
        audience="body_members",
        file=SimpleUploadedFile("b.pdf", b"%PDF-1.4"),
        language="en",
        agenda_item=item,
    )
    client.force_login(seats[("Health", "principal")].user)
    response = client.get(meeting.get_absolute_url())
    assert [d.title for d in response.context["documents"]] == ["Budget proposal"]


def test_an_alternate_whose_principal_voted_is_shown_who_voted(client, secretariat, council):
    body, seats = council
    ballot = votes.ballot_open(
        actor=secretariat,
        ballot=votes.ballot_create(
            actor=secretariat,
            body=body,
            question="Adopt the plan?",
            closes_at=timezone.now() + datetime.timedelta(days=1),
        ),
    )
    principal, alternate = seats[("Health", "principal")], seats[("Health", "alternate")]
    votes.vote_cast(
        actor=principal.user,
        ballot=ballot,
        elector=ballot.electors.get(institution=principal.institution),
        option=ballot.options.first(),
    )
    client.force_login(alternate.user)
    response = client.get(ballot.get_absolute_url())
    page = response.content.decode()
    assert response.context["vote_form"] is None
    assert "Health principal voted for Ministry of Health" in page
    assert "Cast the vote" not in page
    # Customs' alternate still has the form.
    client.force_login(seats[("Customs", "alternate")].user)
    assert client.get(ballot.get_absolute_url()).context["vote_form"] is not None


def test_quorums_read_as_percentages(client, secretariat, council):
    body, _seats = council
    ballot = votes.ballot_create(
        actor=secretariat,
        body=body,
        question="Adopt the plan?",
        quorum_share="0.50",
        closes_at=timezone.now() + datetime.timedelta(days=1),
    )
    client.force_login(secretariat)
    page = client.get(ballot.get_absolute_url()).content.decode()
    assert "Quorum: 50 % of the electorate" in page and "0.50" not in page
    form = client.get(reverse("coordination:ballot-create", args=[body.pk])).context["form"]
    assert form["quorum_share"].value() in ("50", 50)


def test_the_meeting_form_asks_for_the_time_zone_before_the_times():
    names = list(MeetingForm().fields)
    assert names.index("time_zone") < names.index("start") < names.index("end")


def test_an_unread_agenda_paper_is_on_the_list_until_opened(client, secretariat, council):
    from coordination.documents.deadlines import documents_unread

    body, seats = council
    day = timezone.localdate() + datetime.timedelta(days=4)
    start = datetime.datetime.combine(day, datetime.time(10), zoneinfo.ZoneInfo("Asia/Kathmandu"))
    meeting = services.meeting_create(
        actor=secretariat,
        body=body,
        title="Extraordinary meeting",
        start=start,
        end=start + datetime.timedelta(hours=2),
        time_zone="Asia/Kathmandu",
        modality="in_person",
        venue="Ministry of Environment",
    )
    services.meeting_convene(actor=secretariat, meeting=meeting, short_notice_reason="Urgent")
    item = services.agenda_item_add(actor=secretariat, meeting=meeting, title="Budget")
    paper = services.document_upload(
        actor=secretariat,
        title="Budget proposal",
        category="report",
        audience="body_members",
        file=SimpleUploadedFile("b.pdf", b"%PDF-1.4"),
        language="en",
        agenda_item=item,
    )
    services.document_circulate(actor=secretariat, document=paper)
    health = seats[("Health", "principal")].user
    reminded = {d.key: d.recipient_ids for d in documents_unread(timezone.localdate())}
    assert health.pk in reminded[f"document:{paper.pk}:v1"]
    client.force_login(health)
    assert "Budget proposal" in client.get(HOME).content.decode()
    client.get(reverse("coordination:document-download", args=[paper.pk, 1]))
    client.get(reverse("coordination:document-download", args=[paper.pk, 1]))  # opened twice
    assert "Budget proposal" not in client.get(HOME).content.decode()
    reminded = {d.key: d.recipient_ids for d in documents_unread(timezone.localdate())}
    assert health.pk not in reminded[f"document:{paper.pk}:v1"]


def test_the_ballot_notice_names_the_zone_of_its_closing_time(
    secretariat, council, django_capture_on_commit_callbacks, settings
):
    settings.TIME_ZONE = "UTC"
    body, seats = council
    voter = seats[("Health", "principal")].user
    voter.time_zone = KIRITIMATI
    voter.save(update_fields=["time_zone"])
    closes = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=1)
    ballot = votes.ballot_create(
        actor=secretariat, body=body, question="Adopt the plan?", closes_at=closes
    )
    with django_capture_on_commit_callbacks(execute=True):
        votes.ballot_open(actor=secretariat, ballot=ballot)
    by_address = {m.to[0]: m.body for m in mail.outbox}
    local = timezone.localtime(closes, zoneinfo.ZoneInfo(KIRITIMATI))
    mine = by_address[voter.email]
    assert "(Pacific/Kiritimati)" in mine and local.strftime("%-I:%M") in mine
    assert "(UTC)" in by_address[seats[("Customs", "principal")].user.email]
