"""The permission matrix: every URL pattern of the portal, requested by every role, answers with
the status written down in ``tests/ncm_portal/permission_matrix.py``.

The data set is built once for the module inside a transaction that is rolled back at the end;
each case runs in its own savepoint, so a POST that changes something leaves nothing behind.
A URL pattern without an entry in the matrix, or an entry without a URL pattern, fails the
module: the matrix is the one place where who may open what is written down.
"""

import datetime
import functools
import hashlib
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.tokens import default_token_generator
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.ncm_portal.permission_matrix import (
    EXCLUDED_PREFIXES,
    LOGIN,
    MATRIX,
    ROLES,
    TOKEN_CASES,
    XFAIL,
)

SIGN_IN = "/accounts/login/?next="

# --- The URL patterns --------------------------------------------------------------------------


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), f"{namespace}{entry.name}" if entry.name else None


def portal_routes() -> list[tuple[str, str | None]]:
    """(route, name) of every pattern, without the Django admin site (it has its own
    permission system and is not the portal's pages)."""
    return [
        (route, name)
        for route, name in _walk(get_resolver().url_patterns)
        if not route.startswith(EXCLUDED_PREFIXES)
    ]


@functools.cache
def portal_names() -> frozenset[str]:
    return frozenset(name for _route, name in portal_routes() if name)


# --- The data set ------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n% a letter\n"


def _build() -> SimpleNamespace:
    """One small mechanism: institution A (whose focal point is "focal_point") sits in the NCM,
    institution B (whose focal point is "other_focal_point") does not. The member is A's
    representative in the NCM; the secretariat serves the NCM and its committees. Every object in
    a URL belongs to the NCM or to institution A."""
    from coordination import services
    from coordination.ballots import services as votes
    from coordination.models import Ballot, Designation, Meeting, Notification, Role
    from inventories import services as inventory
    from inventories.models import EmissionFactor, HSCode, NationalProductCode
    from nip_lifecycle import services as nip
    from nip_lifecycle.models import Cycle, EndorsementPackage
    from tests.factories import (
        DesignationFactory,
        InstitutionFactory,
        MembershipFactory,
        PersonFactory,
        UserFactory,
        workplan_with_task,
    )
    from tests.inventories.helpers import csv_bytes, customs_row, receive

    now = timezone.now()
    w = SimpleNamespace()
    w.institution = InstitutionFactory(name="Veridia Customs Service", acronym="VCS")
    w.other_institution = InstitutionFactory(name="Ministry of Health", acronym="MoH")

    users = {
        "viewer": UserFactory(email="viewer@matrix.test", role=Role.VIEWER),
        "member": UserFactory(email="member@matrix.test", role=Role.MEMBER),
        "focal_point": UserFactory(email="focal@matrix.test", role=Role.FOCAL_POINT),
        "other_focal_point": UserFactory(email="other.focal@matrix.test", role=Role.FOCAL_POINT),
        "secretariat": UserFactory(email="secretariat@matrix.test", role=Role.SECRETARIAT),
        "administrator": UserFactory(
            email="admin@matrix.test", is_staff=True, is_superuser=True, role=Role.ADMINISTRATOR
        ),
    }
    w.users = users
    secretariat = users["secretariat"]

    w.person = PersonFactory(
        institution=w.institution, user=users["member"], name="Delegate of Customs"
    )
    focal = PersonFactory(institution=w.institution, user=users["focal_point"], name="Focal A")
    DesignationFactory(person=focal, kind=Designation.Kind.INSTITUTION_FOCAL_POINT)
    other = PersonFactory(
        institution=w.other_institution, user=users["other_focal_point"], name="Focal B"
    )
    DesignationFactory(person=other, kind=Designation.Kind.INSTITUTION_FOCAL_POINT)
    services.focal_point_permissions_sync()

    # Bodies: the NCM (A sits in it) and the two committees of the NIP cycle.
    w.body = services.body_create(
        actor=secretariat, name="National Coordination Mechanism", kind="ncm"
    )
    w.body.terms_of_reference.save("terms-of-reference.pdf", ContentFile(PDF))
    tc = services.body_create(actor=secretariat, name="Technical Committee", kind="technical")
    sc = services.body_create(actor=secretariat, name="Steering Committee", kind="steering")
    w.membership = MembershipFactory(body=w.body, institution=w.institution)
    w.membership.invitation_letter.save("invitation.pdf", ContentFile(PDF))
    w.designation = DesignationFactory(
        person=w.person, kind=Designation.Kind.REPRESENTATIVE, body=w.body
    )
    w.designation.letter.save("designation.pdf", ContentFile(PDF))

    # Workplan, task led by A, a draft revision and an open reporting round.
    w.workplan, w.task = workplan_with_task(
        body=w.body, lead=w.institution, due=timezone.localdate() + datetime.timedelta(days=40)
    )
    w.activity = w.task.activity
    w.revision = services.revision_draft(actor=secretariat, workplan=w.workplan, note="First")
    w.round = services.round_open(
        actor=secretariat,
        workplan=w.workplan,
        title="Progress in the last quarter",
        due_date=timezone.localdate() + datetime.timedelta(days=14),
    )

    # A convened meeting ahead, and a held one with minutes in draft.
    start = (now + datetime.timedelta(days=30)).replace(microsecond=0)
    w.meeting = services.meeting_create(
        actor=secretariat,
        body=w.body,
        title="NCM plenary",
        start=start,
        end=start + datetime.timedelta(hours=3),
        time_zone="UTC",
        modality="online",
        online_link="https://meet.example.org/ncm",
    )
    services.agenda_item_add(actor=secretariat, meeting=w.meeting, title="Workplan")
    w.meeting = services.meeting_convene(actor=secretariat, meeting=w.meeting)
    held_start = now - datetime.timedelta(days=10)
    held = Meeting.objects.create(
        body=w.body,
        title="NCM plenary, last session",
        start=held_start,
        end=held_start + datetime.timedelta(hours=3),
        status=Meeting.Status.HELD,
    )
    services.agenda_item_add(actor=secretariat, meeting=held, title="Inventories")
    w.minutes = services.minutes_open(actor=secretariat, meeting=held)
    w.minutes_item = w.minutes.items.get()

    # A document for the NCM's member institutions only.
    w.document = services.document_upload(
        actor=secretariat,
        title="Draft PCB inventory report",
        category="report",
        audience="body_members",
        file=SimpleUploadedFile("pcb-inventory.pdf", PDF, "application/pdf"),
        language="en",
        body=w.body,
    )

    # An open ballot, and a closed one with its record.
    w.ballot = votes.ballot_create(
        actor=secretariat,
        body=w.body,
        question="Adopt the workplan?",
        closes_at=now + datetime.timedelta(days=7),
    )
    w.ballot = votes.ballot_open(actor=secretariat, ballot=w.ballot)
    w.elector = w.ballot.electors.get(institution=w.institution)
    w.option = w.ballot.options.get(code="yes")
    closed = votes.ballot_create(
        actor=secretariat,
        body=w.body,
        question="Approve the minutes?",
        closes_at=now + datetime.timedelta(days=7),
    )
    closed = votes.ballot_open(actor=secretariat, ballot=closed)
    Ballot.objects.filter(pk=closed.pk).update(
        opens_at=now - datetime.timedelta(hours=2), closes_at=now - datetime.timedelta(hours=1)
    )
    w.closed_ballot = votes.ballot_close(ballot=Ballot.objects.get(pk=closed.pk))

    w.notification = Notification.objects.create(
        user=users["member"], kind="task_due", title="A task is due", url="/tasks/"
    )
    w.calendar_token = services.calendar_token_renew(user=users["member"]).token

    # A NIP cycle led by the NCM, with one of everything in its URLs.
    w.cycle = nip.cycle_create(
        actor=secretariat,
        title="NIP update for the 2023 and 2025 listings",
        trigger=Cycle.Trigger.NEW_LISTING,
        lead_body=w.body,
        technical_committee=tc,
        steering_committee=sc,
    )
    w.step = w.cycle.steps.get(number=1)
    w.checklist_item = nip.checklist_item_add(actor=secretariat, step=w.step, text="Team named")
    w.deliverable = nip.deliverable_add(actor=secretariat, step=w.step, name="Inception report")
    w.issue = nip.issue_add(actor=secretariat, cycle=w.cycle, title="Open burning of waste")
    w.objective = nip.objective_add(actor=secretariat, cycle=w.cycle, title="Halve open burning")
    w.section = nip.section_add(
        actor=secretariat, cycle=w.cycle, title="PCB", text="PCB in transformers."
    )
    nip.consultation_set_open(actor=secretariat, cycle=w.cycle, open=True)
    w.comment = nip.comment_add(actor=users["member"], section=w.section, text="Add the ports.")
    package = EndorsementPackage(
        cycle=w.cycle,
        status=EndorsementPackage.Status.READY,
        sha256=hashlib.sha256(PDF).hexdigest(),
        size=len(PDF),
        requested_by=secretariat,
        rendered_at=now,
    )
    package.file.save("package.pdf", ContentFile(PDF), save=False)
    package.save()
    w.package = package

    # A customs dataset of A (one row rejected), API keys of A and B, and reference data.
    w.version = receive(
        users["focal_point"],
        w.institution,
        csv_bytes([customs_row(1), customs_row(2, quantity="many")]),
    )
    w.dataset = w.version.dataset
    w.api_token, w.api_secret = inventory.token_create(
        actor=users["focal_point"], institution=w.institution, name="Customs extract job"
    )
    _token, w.other_api_secret = inventory.token_create(
        actor=users["other_focal_point"], institution=w.other_institution, name="MoH system"
    )
    w.schedule = inventory.schedule_save(
        actor=secretariat,
        institution=w.institution,
        dataset_type="customs",
        frequency="yearly",
        days_after_period=90,
        starts_on=datetime.date(2024, 1, 1),
    )
    w.national_code = NationalProductCode.objects.create(
        code="3824.99.10",
        description="Mixtures containing PCB",
        hs_code=HSCode.objects.order_by("code").first(),
        match="specific",
    )
    w.emission_factor = EmissionFactor.objects.order_by("pk").first()
    w.chemical = "pcb"

    # The sixth round's Article 15 report: section B-II given to institution A, a JSON output.
    from reporting.models import ObligationInstance, Round
    from reporting.services import article15 as national_reports
    from reporting.services import outputs as report_outputs

    w.report = national_reports.report_start(round=Round.objects.get(number=6), actor=secretariat)
    w.report_section = w.report.round.sections.get(code="B-II")
    national_reports.section_assign(
        report=w.report, section=w.report_section, institution=w.institution, actor=secretariat
    )
    w.report_question = w.report_section.questions.order_by("order").first()
    w.report_trade = w.report_section.questions.get(prefill="trade")
    w.report_output = report_outputs.output_request(report=w.report, kind="json", actor=secretariat)
    # The task would run when the transaction commits, which this data set never does.
    report_outputs.output_render(output_id=w.report_output.pk)
    w.report_output.refresh_from_db()

    # An obligation under the Basel Convention, and a Rotterdam import response being prepared.
    from reporting.obligations import services as obligations

    obligations.obligations_plan()
    w.obligation = ObligationInstance.objects.filter(obligation="basel-annual-report").first()
    w.import_response = obligations.obligation_open(
        obligation="rotterdam-import-response",
        subject="Chemical R",
        hs_codes="2909.30",
        trigger_date=timezone.localdate() - datetime.timedelta(days=30),
        actor=secretariat,
    ).import_response

    # Someone who asked for a password reset (never signs in, so the token stays valid).
    forgetful = UserFactory(email="forgetful@matrix.test", role=Role.VIEWER)
    w.reset_uid = urlsafe_base64_encode(force_bytes(forgetful.pk))
    w.reset_token = default_token_generator.make_token(forgetful)

    # One session per role, signed in once: each case only presents its cookie.
    w.sessions = {}
    for role, user in users.items():
        browser = Client()
        browser.force_login(user)
        w.sessions[role] = browser.cookies[django_settings.SESSION_COOKIE_NAME].value
    return w


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The data set, built once; rolled back when the module is done."""
    from ncm_portal.celery import app

    media = tmp_path_factory.mktemp("matrix-media")
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        with (
            override_settings(
                MEDIA_ROOT=media,
                EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            ),
            django_db_blocker.unblock(),
            transaction.atomic(),
        ):
            yield _build()
            transaction.set_rollback(True)
    finally:
        app.conf.task_always_eager = eager


@pytest.fixture(autouse=True)
def _media_and_mail(settings):
    """Replaces the project-wide fixture: the files of the data set stay where they were written
    (the module's media directory) for every case."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- Filling the URLs --------------------------------------------------------------------------

# URL name -> the object of the data set whose primary key is the URL's ``pk``.
PK_OF = {
    "coordination:institution-detail": "institution",
    "coordination:institution-update": "institution",
    "coordination:person-create": "institution",
    "coordination:designation-create": "institution",
    "coordination:person-detail": "person",
    "coordination:person-update": "person",
    "coordination:person-invite": "person",
    "coordination:person-invitation-revoke": "person",
    "coordination:designation-end": "designation",
    "coordination:designation-letter": "designation",
    "coordination:body-detail": "body",
    "coordination:body-update": "body",
    "coordination:body-terms-of-reference": "body",
    "coordination:membership-create": "body",
    "coordination:membership-end": "membership",
    "coordination:membership-role": "membership",
    "coordination:membership-letter": "membership",
    "coordination:workplan-create": "body",
    "coordination:workplan-detail": "workplan",
    "coordination:workplan-print": "workplan",
    "coordination:activity-create": "workplan",
    "coordination:activity-tasks": "activity",
    "coordination:task-create": "activity",
    "coordination:task-detail": "task",
    "coordination:task-update": "task",
    "coordination:revision-draft": "workplan",
    "coordination:revision-compare": "workplan",
    "coordination:revision-detail": "revision",
    "coordination:revision-circulate": "revision",
    "coordination:revision-adopt": "revision",
    "coordination:round-create": "workplan",
    "coordination:round-detail": "round",
    "coordination:round-close": "round",
    "coordination:workplan-scorecard": "workplan",
    "coordination:meeting-create": "body",
    "coordination:meeting-detail": "meeting",
    "coordination:meeting-join": "meeting",
    "coordination:meeting-update": "meeting",
    "coordination:meeting-convene": "meeting",
    "coordination:meeting-cancel": "meeting",
    "coordination:meeting-held": "meeting",
    "coordination:meeting-ics": "meeting",
    "coordination:agenda-create": "meeting",
    "coordination:reply-create": "meeting",
    "coordination:attendance-save": "meeting",
    "coordination:minutes-open": "meeting",
    "coordination:minutes-detail": "minutes",
    "coordination:minutes-circulate": "minutes",
    "coordination:minutes-approve": "minutes",
    "coordination:minutes-item-save": "minutes_item",
    "coordination:action-create": "minutes_item",
    "coordination:document-detail": "document",
    "coordination:document-version-create": "document",
    "coordination:document-circulate": "document",
    "coordination:ballot-create": "body",
    "coordination:ballot-detail": "ballot",
    "coordination:ballot-vote": "ballot",
    "coordination:ballot-open": "ballot",
    "coordination:ballot-cancel": "ballot",
    "coordination:ballot-close-early": "ballot",
    "coordination:ballot-record": "closed_ballot",
    "coordination:notification-open": "notification",
    "nip_lifecycle:cycle-detail": "cycle",
    "nip_lifecycle:amendment-add": "cycle",
    "nip_lifecycle:cycle-deadline": "cycle",
    "nip_lifecycle:priority-detail": "cycle",
    "nip_lifecycle:criteria-weights": "cycle",
    "nip_lifecycle:issue-add": "cycle",
    "nip_lifecycle:issue-score": "issue",
    "nip_lifecycle:objective-add": "cycle",
    "nip_lifecycle:cycle-workplan": "cycle",
    "nip_lifecycle:action-add": "objective",
    "nip_lifecycle:draft-detail": "cycle",
    "nip_lifecycle:section-add": "cycle",
    "nip_lifecycle:section-revise": "section",
    "nip_lifecycle:consultation-detail": "cycle",
    "nip_lifecycle:consultation-toggle": "cycle",
    "nip_lifecycle:comment-add": "section",
    "nip_lifecycle:comment-resolve": "comment",
    "nip_lifecycle:transmission-record": "cycle",
    "nip_lifecycle:package-request": "cycle",
    "nip_lifecycle:package-progress": "package",
    "nip_lifecycle:package-download": "package",
    "nip_lifecycle:step-detail": "step",
    "nip_lifecycle:step-update": "step",
    "nip_lifecycle:step-start": "step",
    "nip_lifecycle:step-submit": "step",
    "nip_lifecycle:step-review": "step",
    "nip_lifecycle:step-approve": "step",
    "nip_lifecycle:step-complete": "step",
    "nip_lifecycle:checklist-add": "step",
    "nip_lifecycle:checklist-mark": "checklist_item",
    "nip_lifecycle:deliverable-add": "step",
    "nip_lifecycle:deliverable-attach": "deliverable",
    "inventories:dataset-detail": "dataset",
    "inventories:version-detail": "version",
    "inventories:version-progress": "version",
    "inventories:version-map": "version",
    "inventories:version-retry": "version",
    "inventories:version-confirm-replacement": "version",
    "inventories:version-rejected": "version",
    "inventories:version-raw": "version",
    "inventories:version-rows": "version",
    "inventories:schedule-edit": "schedule",
    "inventories:national-code-edit": "national_code",
    "inventories:emission-factor-edit": "emission_factor",
    "inventories:token-revoke": "api_token",
    "reporting:article15-detail": "report",
    "reporting:obligations-complete": "obligation",
    "reporting:import-response": "import_response",
    "reporting:import-response-draft": "import_response",
    "reporting:import-response-approve": "import_response",
    "reporting:import-response-transmit": "import_response",
    "reporting:import-response-export-notification": "import_response",
    "reporting:article15-prefill": "report",
    "reporting:article15-approve": "report",
    "reporting:article15-mark-submitted": "report",
    "reporting:article15-correct": "report",
    "reporting:article15-output-status": "report_output",
    "reporting:article15-output-download": "report_output",
}

# URL name -> the URL's arguments, for the patterns that take more than a ``pk``.
OTHER_KWARGS = {
    "password_reset_confirm": lambda w: {"uidb64": w.reset_uid, "token": w.reset_token},
    "invitation-accept": lambda w: {"uidb64": w.reset_uid, "token": "a-stale-link"},
    "calendar-feed": lambda w: {"token": w.calendar_token},
    "coordination:workplan-export": lambda w: {"pk": w.workplan.pk, "fmt": "csv"},
    "coordination:progress-report-create": lambda w: {"pk": w.round.pk, "task_pk": w.task.pk},
    "coordination:document-download": lambda w: {"pk": w.document.pk, "version": 1},
    "inventories:type-detail": lambda w: {"dataset_type": "customs"},
    "inventories:type-template": lambda w: {"dataset_type": "customs", "fmt": "csv"},
    "inventories:version-review": lambda w: {"pk": w.version.pk, "action": "submit"},
    "inventories:api-version": lambda w: {"key": w.version.key},
    "inventories:chemical-detail": lambda w: {"slug": w.chemical},
    "reporting:article15-start": lambda w: {"number": 6},
    "reporting:national-report-list": lambda w: {"convention": "minamata"},
    "reporting:national-report-start": lambda w: {"convention": "minamata", "number": 2027},
    "reporting:obligations-convention": lambda w: {"code": "basel"},
    "reporting:article15-section": lambda w: {"pk": w.report.pk, "section_pk": w.report_section.pk},
    "reporting:article15-assign": lambda w: {"pk": w.report.pk, "section_pk": w.report_section.pk},
    "reporting:article15-section-submit": lambda w: {
        "pk": w.report.pk,
        "section_pk": w.report_section.pk,
    },
    "reporting:article15-section-review": lambda w: {
        "pk": w.report.pk,
        "section_pk": w.report_section.pk,
    },
    "reporting:article15-answer": lambda w: {
        "pk": w.report.pk,
        "question_pk": w.report_question.pk,
    },
    "reporting:article15-output-request": lambda w: {"pk": w.report.pk, "kind": "json"},
    # No customs data in this world: the group row is not found once the door is passed.
    "reporting:article15-group-attribute": lambda w: {
        "pk": w.report.pk,
        "question_pk": w.report_trade.pk,
    },
    "reporting:article15-group-withdraw": lambda w: {
        "pk": w.report.pk,
        "question_pk": w.report_trade.pk,
        "attribution_pk": 0,
    },
}

# URL name -> the minimal POST that gets past the form to the permission check.
POST_DATA = {
    "coordination:reply-create": lambda w: {"person": w.person.pk, "response": "online"},
    "coordination:minutes-item-save": lambda w: {
        f"m{w.minutes_item.pk}-summary": "Discussed.",
        f"m{w.minutes_item.pk}-decisions": "",
    },
    "coordination:action-create": lambda w: {
        f"a{w.minutes_item.pk}-title": "Send the inventory to the ministry",
        f"a{w.minutes_item.pk}-lead_institution": w.institution.pk,
        f"a{w.minutes_item.pk}-due_date": (
            timezone.localdate() + datetime.timedelta(days=30)
        ).isoformat(),
    },
    "coordination:ballot-vote": lambda w: {"elector": w.elector.pk, "option": w.option.pk},
    "nip_lifecycle:comment-add": lambda w: {"text": "Add the ports of entry."},
    "nip_lifecycle:checklist-mark": lambda w: {"done": "1"},
    "nip_lifecycle:consultation-toggle": lambda w: {"open": "0"},
    "reporting:import-response-draft": lambda w: {"decision": "no_consent"},
    "reporting:import-response-export-notification": lambda w: {
        "received_on": timezone.localdate().isoformat(),
        "exporting_party": "Atlantis",
    },
}


# URL name -> the query string a page needs to show something (the portal links it so).
QUERY = {
    "inventories:data-customs-lines": "?chemical=pcb",
    "reporting:article15-group-attribute": "?code=2903.82&national=0&year=2025&flow=import",
}


def url_of(name: str, w) -> str:
    if name in PK_OF:
        address = reverse(name, kwargs={"pk": getattr(w, PK_OF[name]).pk})
    elif name in OTHER_KWARGS:
        address = reverse(name, kwargs=OTHER_KWARGS[name](w))
    else:
        address = reverse(name)
    return address + QUERY.get(name, "")


def request_as(client, w, role: str, method: str, name: str):
    if role != "anonymous":
        client.cookies[django_settings.SESSION_COOKIE_NAME] = w.sessions[role]
    address = url_of(name, w)
    if method == "GET":
        return client.get(address)
    return client.post(address, POST_DATA[name](w) if name in POST_DATA else {})


def outcome(response):
    """The status as the matrix writes it: LOGIN for a redirect to the sign-in page."""
    location = response.get("Location", "")
    if response.status_code == 302 and location.startswith(SIGN_IN):
        return LOGIN
    return response.status_code


# --- The tests ---------------------------------------------------------------------------------


def test_every_url_pattern_is_in_the_matrix():
    unnamed = sorted(route for route, name in portal_routes() if not name)
    assert not unnamed, "name these URL patterns, then add them to the permission matrix: " + (
        ", ".join(unnamed)
    )
    missing = sorted(portal_names() - set(MATRIX))
    assert not missing, "\n".join(
        f"add {name} to the permission matrix (tests/ncm_portal/permission_matrix.py)"
        for name in missing
    )


def test_the_matrix_names_only_urls_that_exist():
    stale = sorted(set(MATRIX) - portal_names())
    assert not stale, "\n".join(
        f"{name} is no longer a URL of the portal: remove it from the permission matrix"
        for name in stale
    )


def test_every_url_with_arguments_knows_its_objects():
    unfilled = sorted(
        name
        for route, name in portal_routes()
        if "<" in route and name not in PK_OF and name not in OTHER_KWARGS
    )
    assert not unfilled, "\n".join(
        f"say which object of the data set fills the URL of {name} (PK_OF or OTHER_KWARGS)"
        for name in unfilled
    )


def test_only_post_only_views_have_a_post_row():
    for name, methods in MATRIX.items():
        assert "GET" in methods, f"{name}: every URL gets a GET row"
        if "POST" in methods:
            signed_in = {role: s for role, s in methods["GET"].items() if role != "anonymous"}
            assert set(signed_in.values()) == {405}, (
                f"{name}: a POST row is for views that accept only POST (their GET answers 405)"
            )


def _cases():
    for name, methods in MATRIX.items():
        for method, by_role in methods.items():
            for role, expected in by_role.items():
                reason = XFAIL.get((name, method, role))
                marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
                yield pytest.param(
                    name, method, role, expected, marks=marks, id=f"{name}-{method}-{role}"
                )


def test_xfail_names_cases_of_the_matrix():
    for name, method, role in XFAIL:
        assert role in MATRIX.get(name, {}).get(method, {}), (name, method, role)


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method", "role", "expected"), list(_cases()))
def test_permission_matrix(client, world, name, method, role, expected):
    if name not in portal_names():
        pytest.fail(f"{name} is no longer a URL of the portal: remove it from the matrix")
    response = request_as(client, world, role, method, name)
    got = outcome(response)
    where = f" -> {response['Location']}" if response.has_header("Location") else ""
    assert got == expected, (
        f"{method} {url_of(name, world)} as {role}: expected {expected}, got {got}{where}"
    )


@pytest.mark.django_db
def test_the_data_set_has_a_user_for_every_role(world):
    assert set(ROLES) == {"anonymous", *world.users}
    assert world.users["focal_point"].has_perm("coordination.change_institution", world.institution)
    assert not world.users["other_focal_point"].has_perm(
        "coordination.change_institution", world.institution
    )


def _credential(w, kind: str) -> dict:
    secret = {"key": w.api_secret, "other key": w.other_api_secret}.get(kind)
    return {"Authorization": f"Bearer {secret}"} if secret else {}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "method", "credential", "expected"),
    [pytest.param(*case[1:], id=case[0]) for case in TOKEN_CASES],
)
def test_a_key_or_token_instead_of_a_session(client, world, name, method, credential, expected):
    if credential == "unknown token":
        address = reverse(name, kwargs={"token": "no-such-token"})
    else:
        address = url_of(name, world)
    headers = _credential(world, credential)
    if method == "GET":
        response = client.get(address, headers=headers)
    else:
        response = client.post(address, {}, headers=headers)
    assert response.status_code == expected, response.content[:300]
