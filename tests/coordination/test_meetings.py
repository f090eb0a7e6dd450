import datetime
import zoneinfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from coordination import services
from coordination.meetings.selectors import quorum
from coordination.models import (
    Attendance,
    Designation,
    ExternalEvent,
    Meeting,
    Minutes,
    Reply,
    Role,
    Task,
    Workplan,
)
from tests.factories import (
    DesignationFactory,
    InstitutionFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
    days_from_today,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee(secretariat):
    body = services.body_create(
        actor=secretariat,
        name="Technical Committee",
        kind="technical",
        notice_period_days=14,
        quorum_share="0.50",
    )
    people = {}
    for name in ("EPA", "Customs", "Health", "University"):
        institution = InstitutionFactory(name=name)
        MembershipFactory(body=body, institution=institution)
        principal = PersonFactory(institution=institution, email=f"{name.lower()}.p@gov.test")
        alternate = PersonFactory(institution=institution, email=f"{name.lower()}.a@gov.test")
        DesignationFactory(person=principal, kind="representative", body=body)
        DesignationFactory(
            person=alternate,
            kind="representative",
            body=body,
            capacity=Designation.Capacity.ALTERNATE,
        )
        people[name] = (institution, principal, alternate)
    observer = InstitutionFactory(name="NGO")
    MembershipFactory(body=body, institution=observer, role="observer")
    return body, people


def plan(secretariat, body, *, days_ahead=30, modality="hybrid"):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=days_ahead)
    return services.meeting_create(
        actor=secretariat,
        body=body,
        title="Fourth regular meeting",
        kind="regular",
        start=start,
        end=start + datetime.timedelta(hours=3),
        time_zone="Africa/Nairobi",
        modality=modality,
        venue="Ministry, room 4",
        online_link="https://meet.example.org/tc",
    )


def test_notice_goes_to_principals_and_alternates_with_a_valid_ics(
    secretariat, committee, django_capture_on_commit_callbacks
):
    body, people = committee
    meeting = plan(secretariat, body)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_convene(actor=secretariat, meeting=meeting)
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted(f"{n.lower()}.{c}@gov.test" for n in people for c in "pa")
    message = mail.outbox[0]
    assert message.subject == "Notice of meeting: Fourth regular meeting"
    (name, content, mimetype) = message.attachments[0]
    assert name == "meeting.ics" and mimetype.startswith("text/calendar; method=REQUEST")
    calendar = Calendar.from_ical(content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["UID"]) == meeting.uid and int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == meeting.start
    assert event["DTSTART"].params["TZID"] == "Africa/Nairobi"
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Africa/Nairobi"]


def test_short_notice_needs_a_reason_that_stays_on_record(secretariat, committee):
    body, _ = committee
    meeting = plan(secretariat, body, days_ahead=5)
    with pytest.raises(ValidationError) as refused:
        services.meeting_convene(actor=secretariat, meeting=meeting)
    assert "short_notice_reason" in refused.value.message_dict
    convened = services.meeting_convene(
        actor=secretariat, meeting=meeting, short_notice_reason="COP decision needs a position"
    )
    assert convened.short_notice_reason == "COP decision needs a position"


def test_moving_a_meeting_resends_the_notice_and_resets_replies(
    secretariat, committee, django_capture_on_commit_callbacks
):
    body, people = committee
    meeting = services.meeting_convene(actor=secretariat, meeting=plan(secretariat, body))
    _, principal, _ = people["EPA"]
    principal.user = UserFactory()
    principal.save()
    services.reply_record(
        actor=principal.user, meeting=meeting, person=principal, response=Reply.Response.ONLINE
    )
    assert Reply.objects.filter(meeting=meeting, for_start=meeting.start).count() == 1
    later = meeting.start + datetime.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        moved = services.meeting_update(
            actor=secretariat, meeting=meeting, start=later, end=later + datetime.timedelta(hours=3)
        )
    assert moved.sequence == 1
    assert not Reply.objects.filter(meeting=meeting, for_start=moved.start).exists()
    assert Reply.objects.filter(meeting=meeting).count() == 1  # the old answer stays on record
    assert all(m.subject == "New date: Fourth regular meeting" for m in mail.outbox)
    event = Calendar.from_ical(mail.outbox[0].attachments[0][1]).walk("VEVENT")[0]
    assert int(event["SEQUENCE"]) == 1


def test_only_invitees_reply_and_only_for_themselves(secretariat, committee):
    body, people = committee
    meeting = services.meeting_convene(actor=secretariat, meeting=plan(secretariat, body))
    _, principal, alternate = people["Customs"]
    principal.user = UserFactory()
    principal.save()
    with pytest.raises(Exception):  # noqa: B017 - PermissionDenied
        services.reply_record(
            actor=principal.user, meeting=meeting, person=alternate, response="in_person"
        )
    with pytest.raises(ValidationError):
        services.reply_record(
            actor=secretariat, meeting=meeting, person=PersonFactory(), response="in_person"
        )


def test_quorum_counts_principals_alternates_and_stand_ins_not_observers(secretariat, committee):
    body, people = committee
    meeting = services.meeting_convene(actor=secretariat, meeting=plan(secretariat, body))
    epa, customs, health = people["EPA"], people["Customs"], people["Health"]
    services.attendance_record(
        actor=secretariat,
        meeting=meeting,
        institution=epa[0],
        presence="principal",
        person=epa[1],
        mode="in_person",
    )
    q = quorum(meeting)
    assert (q.members, q.required, q.present, q.met) == (4, 2, 1, False)
    services.attendance_record(
        actor=secretariat,
        meeting=meeting,
        institution=customs[0],
        presence="alternate",
        person=customs[2],
        mode="online",
    )
    assert quorum(meeting).met
    services.attendance_record(
        actor=secretariat,
        meeting=meeting,
        institution=health[0],
        presence="stand_in",
        stand_in_name="Dr. Okafor",
    )
    assert quorum(meeting).present == 3
    with pytest.raises(ValidationError):
        services.attendance_record(
            actor=secretariat, meeting=meeting, institution=health[0], presence="stand_in"
        )
    ngo = body.memberships.get(role="observer").institution
    services.attendance_record(
        actor=secretariat,
        meeting=meeting,
        institution=ngo,
        presence="stand_in",
        stand_in_name="Observer",
    )
    assert quorum(meeting).present == 3


def _held(secretariat, body):
    meeting = plan(secretariat, body)
    services.agenda_item_add(
        actor=secretariat,
        meeting=meeting,
        title="PCB inventory report",
        expected_outcome="decision",
    )
    services.meeting_convene(actor=secretariat, meeting=meeting)
    past = timezone.now() - datetime.timedelta(days=1)
    Meeting.objects.filter(pk=meeting.pk).update(start=past, end=past + datetime.timedelta(hours=2))
    meeting.refresh_from_db()
    return services.meeting_mark_held(actor=secretariat, meeting=meeting)


def test_approved_minutes_are_locked_and_a_change_voids_the_approval(secretariat, committee):
    body, people = committee
    meeting = _held(secretariat, body)
    Workplan.objects.create(
        body=body,
        title="Plan",
        period_start=days_from_today(-7 * 365),
        period_end=days_from_today(4 * 365),
    )
    minutes = services.minutes_open(actor=secretariat, meeting=meeting)
    (item,) = minutes.items.all()
    services.minutes_item_update(
        actor=secretariat, item=item, summary="Report presented.", decisions="Report validated."
    )
    action = services.action_item_add(
        actor=secretariat,
        item=item,
        title="Send the validated PCB report to the SC",
        lead_institution=people["EPA"][0],
        due_date=timezone.localdate() + datetime.timedelta(days=20),
    )
    task = Task.objects.get(pk=action.task_id)
    assert task.activity.workplan.body == body and task.lead_institution == people["EPA"][0]
    services.minutes_circulate(actor=secretariat, minutes=minutes)
    services.minutes_approve(actor=secretariat, minutes=minutes)
    meeting.refresh_from_db()
    assert meeting.status == "minutes_approved"
    with pytest.raises(ValidationError) as locked:
        services.minutes_item_update(actor=secretariat, item=item, summary="x", decisions="y")
    assert locked.value.code == "locked"

    second = services.minutes_open(actor=secretariat, meeting=meeting)
    assert second.version == 2 and second.status == "draft"
    assert second.items.get().decisions == "Report validated."
    assert second.items.get().actions.get().task_id == task.pk  # no duplicate task
    minutes.refresh_from_db()
    meeting.refresh_from_db()
    assert minutes.status == Minutes.Status.REPLACED and meeting.status == "held"


def test_an_action_needs_a_workplan_covering_its_date(secretariat, committee):
    body, people = committee
    meeting = _held(secretariat, body)
    item = services.minutes_open(actor=secretariat, meeting=meeting).items.get()
    with pytest.raises(ValidationError) as refused:
        services.action_item_add(
            actor=secretariat,
            item=item,
            title="x",
            lead_institution=people["EPA"][0],
            due_date=days_from_today(4 * 365 + 1),
        )
    assert "no workplan covering" in refused.value.message_dict["due_date"][0]


# --- Documents --------------------------------------------------------------------------------


def upload(secretariat, body, audience="body_members", name="report.pdf", content=b"%PDF-1.4 x"):
    return services.document_upload(
        actor=secretariat,
        title="PCB inventory draft",
        category="report",
        audience=audience,
        file=SimpleUploadedFile(name, content),
        language="en",
        body=body,
    )


def test_documents_reach_only_their_audience(client, secretariat, committee):
    body, people = committee
    members_only = upload(secretariat, body)
    secret = upload(secretariat, body, audience="secretariat")
    everyone = upload(secretariat, body, audience="signed_in")
    insider = UserFactory(role=Role.MEMBER)
    people["EPA"][1].user = insider
    people["EPA"][1].save()
    outsider = UserFactory(role=Role.MEMBER)
    PersonFactory(user=outsider)  # works somewhere that is not a member

    def status(user, document):
        client.force_login(user)
        return client.get(
            reverse("coordination:document-download", args=[document.pk, 1])
        ).status_code

    assert status(insider, members_only) == 200
    assert status(outsider, members_only) == 403
    assert status(insider, secret) == 403
    assert status(outsider, everyone) == 200
    assert status(secretariat, secret) == 200
    client.force_login(outsider)
    listing = client.get(reverse("coordination:document-list")).content.decode()
    assert listing.count("PCB inventory draft") == 1  # only the one for everyone
    page = client.get(reverse("coordination:document-detail", args=[secret.pk]))
    assert page.status_code == 403 and "not allowed" in page.content.decode()


def test_versions_keep_hash_size_and_earlier_files(client, secretariat, committee):
    body, _ = committee
    document = upload(secretariat, body, content=b"%PDF first draft")
    services.document_add_version(
        actor=secretariat,
        document=document,
        file=SimpleUploadedFile("v2.pdf", b"%PDF second draft"),
        language="fr",
    )
    first, second = document.versions.order_by("number")
    import hashlib

    assert first.sha256 == hashlib.sha256(b"%PDF first draft").hexdigest() and first.size == 16
    assert second.language == "fr"
    client.force_login(secretariat)
    old = client.get(reverse("coordination:document-download", args=[document.pk, 1]))
    assert b"".join(old.streaming_content) == b"%PDF first draft"


def test_refused_uploads_say_why(client, secretariat, committee, settings):
    body, _ = committee
    settings.NCM_DOCUMENT_MAX_BYTES = 10
    client.force_login(secretariat)
    url = reverse("coordination:document-create") + f"?body={body.pk}"
    payload = {"title": "Big", "category": "report", "audience": "signed_in", "language": "en"}
    response = client.post(url, {**payload, "file": SimpleUploadedFile("big.pdf", b"x" * 50)})
    assert "the largest accepted is 10\xa0bytes" in response.content.decode()
    response = client.post(url, {**payload, "file": SimpleUploadedFile("run.exe", b"MZ")})
    assert "Files of type “.exe” are not accepted" in response.content.decode()


# --- Calendar and feeds -----------------------------------------------------------------------


def test_feeds_parse_strictly_and_a_revoked_token_is_404(client, secretariat, committee):
    from ical.calendar_stream import IcsCalendarStream

    body, people = committee
    meeting = plan(secretariat, body)
    services.meeting_convene(actor=secretariat, meeting=meeting)
    services.external_event_save(
        actor=secretariat,
        title="COP-13 of the Stockholm Convention",
        kind="cop",
        start=timezone.now() + datetime.timedelta(days=60),
        end=timezone.now() + datetime.timedelta(days=70),
        time_zone="Europe/Zurich",
        location="Geneva",
        url="https://www.pops.int",
        public=True,
    )
    token = services.calendar_token_renew(user=secretariat)
    client.logout()
    response = client.get(reverse("calendar-feed", args=[token.token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    parsed = Calendar.from_ical(response.content)
    summaries = {str(e["SUMMARY"]) for e in parsed.walk("VEVENT")}
    assert "Technical Committee: Fourth regular meeting" in summaries
    strict = IcsCalendarStream.calendar_from_ics(response.content.decode())
    assert {e.summary for e in strict.events} >= {"COP-13 of the Stockholm Convention"}

    public = client.get(reverse("calendar-public"))
    assert "COP-13" in public.content.decode() and "Fourth regular" not in public.content.decode()
    IcsCalendarStream.calendar_from_ics(public.content.decode())

    services.calendar_token_revoke(user=secretariat)
    assert client.get(reverse("calendar-feed", args=[token.token])).status_code == 404
    assert client.get(reverse("calendar-feed", args=["guess"])).status_code == 404


def test_calendar_shows_meetings_events_and_deadlines(client, secretariat, committee):
    from tests.factories import workplan_with_task

    body, people = committee
    meeting = plan(secretariat, body, days_ahead=3)
    _, task = workplan_with_task(
        body=body, lead=people["EPA"][0], due=timezone.localdate() + datetime.timedelta(days=3)
    )
    client.force_login(secretariat)
    month = timezone.localtime(meeting.start).strftime("%Y-%m")
    page = client.get(reverse("coordination:calendar") + f"?month={month}&view=list")
    text = page.content.decode()
    assert "Fourth regular meeting" in text and task.title in text
    other = services.body_create(actor=secretariat, name="Other body", kind="other")
    filtered = client.get(reverse("coordination:calendar") + f"?month={month}&body={other.pk}")
    assert "Fourth regular meeting" not in filtered.content.decode()


def test_join_button_appears_shortly_before_the_start(client, secretariat, committee):
    body, _ = committee
    meeting = plan(secretariat, body)
    services.meeting_convene(actor=secretariat, meeting=meeting)
    client.force_login(secretariat)
    url = reverse("coordination:meeting-join", args=[meeting.pk])
    assert "Join online" not in client.get(url).content.decode()
    soon = timezone.now() + datetime.timedelta(minutes=20)
    Meeting.objects.filter(pk=meeting.pk).update(start=soon, end=soon + datetime.timedelta(hours=1))
    assert "Join online" in client.get(url).content.decode()


def test_regularity_and_participation_on_the_body_page(client, secretariat, committee):
    body, people = committee
    for months_ago in (14, 8):
        start = timezone.now() - datetime.timedelta(days=30 * months_ago)
        meeting = Meeting.objects.create(
            body=body,
            title=f"M{months_ago}",
            start=start,
            end=start + datetime.timedelta(hours=2),
            status="held",
        )
        Attendance.objects.create(
            meeting=meeting, institution=people["EPA"][0], presence="principal"
        )
        Attendance.objects.create(
            meeting=meeting,
            institution=people["Health"][0],
            presence="stand_in",
            stand_in_name="Someone",
        )
    client.force_login(secretariat)
    page = client.get(reverse("coordination:body-detail", args=[body.pk])).content.decode()
    assert "1 meetings held in the last twelve months" in page
    assert "A meeting is overdue since" in page
    assert "2/2 (100%)" in page


def test_meeting_and_unread_document_reminders(client, secretariat, committee):
    from coordination.services import send_due_reminders

    body, people = committee
    institution, principal, _ = people["EPA"]
    principal.user = UserFactory(email="erik@ncm.test")
    principal.save()
    meeting = plan(secretariat, body, days_ahead=3)
    meeting = services.meeting_convene(
        actor=secretariat, meeting=meeting, short_notice_reason="Urgent validation"
    )
    document = services.document_upload(
        actor=secretariat,
        title="Draft report",
        category="report",
        audience="body_members",
        file=SimpleUploadedFile("r.pdf", b"%PDF"),
        language="en",
        meeting=meeting,
    )
    services.document_circulate(actor=secretariat, document=document)
    mail.outbox.clear()
    send_due_reminders()
    subjects = sorted(m.subject for m in mail.outbox if m.to == ["erik@ncm.test"])
    assert subjects == [
        "In 3 days: Fourth regular meeting",
        "To read before the meeting: Draft report",
    ]
    # Once read, the document is not reminded again (the meeting still is, the day before).
    client.force_login(principal.user)
    client.get(reverse("coordination:document-download", args=[document.pk, 1]))
    from coordination.documents.deadlines import documents_unread

    assert list(documents_unread(timezone.localdate())) == []


def test_meeting_page_costs_the_same_with_more_documents_and_members(
    client, secretariat, committee
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    body, _ = committee
    meeting = services.meeting_convene(actor=secretariat, meeting=plan(secretariat, body))
    item = services.agenda_item_add(actor=secretariat, meeting=meeting, title="Item")
    client.force_login(secretariat)
    url = reverse("coordination:meeting-detail", args=[meeting.pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def add_documents(n):
        for i in range(n):
            services.document_upload(
                actor=secretariat,
                title=f"Doc {i}",
                category="report",
                audience="body_members",
                file=SimpleUploadedFile(f"d{i}.pdf", b"%PDF"),
                language="en",
                agenda_item=item,
            )

    add_documents(1)
    before = count()
    add_documents(6)
    for _ in range(3):
        institution = InstitutionFactory()
        MembershipFactory(body=body, institution=institution)
        DesignationFactory(
            person=PersonFactory(institution=institution), kind="representative", body=body
        )
    assert count() == before


def test_a_personal_feed_leaves_out_bodies_the_institution_has_left(client, secretariat, committee):
    body, people = committee
    meeting = services.meeting_convene(actor=secretariat, meeting=plan(secretariat, body))
    institution, principal, _ = people["Health"]
    principal.user = UserFactory(role=Role.MEMBER)
    principal.save()
    token = services.calendar_token_renew(user=principal.user).token
    feed = client.get(reverse("calendar-feed", args=[token])).content.decode()
    assert meeting.uid in feed and "meet.example.org" in feed
    membership = body.memberships.get(institution=institution)
    services.membership_end(actor=secretariat, membership=membership, end_date=timezone.localdate())
    feed = client.get(reverse("calendar-feed", args=[token])).content.decode()
    assert meeting.uid not in feed
    assert "meet.example.org" not in feed and "Ministry, room 4" not in feed


def test_adding_an_external_event_through_its_page(client, secretariat):
    client.force_login(secretariat)
    start = timezone.localdate() + datetime.timedelta(days=60)
    response = client.post(
        reverse("coordination:event-create"),
        {
            "title": "COP-13",
            "kind": "cop",
            "start": f"{start}T10:00",
            "end": f"{start + datetime.timedelta(days=9)}T18:00",
            "time_zone": "Europe/Zurich",
            "location": "Geneva",
            "url": "https://www.pops.int",
            "public": "on",
        },
    )
    assert response.status_code == 302
    event = ExternalEvent.objects.get(title="COP-13")
    assert str(event.start.astimezone(zoneinfo.ZoneInfo("Europe/Zurich")).time()) == "10:00:00"
    invalid = client.post(reverse("coordination:event-create"), {"title": "COP-13"})
    assert invalid.status_code == 200
