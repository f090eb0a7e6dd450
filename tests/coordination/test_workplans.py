import csv
import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from coordination import services
from coordination.models import (
    Designation,
    ProgressReport,
    Task,
    WorkplanRevision,
)
from coordination.workplans.selectors import institution_scorecard, revision_diff
from tests.factories import (
    DesignationFactory,
    InstitutionFactory,
    MembershipFactory,
    PersonFactory,
    days_from_today,
    workplan_with_task,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def served_body(secretariat):
    return services.body_create(actor=secretariat, name="Steering Committee", kind="steering")


@pytest.fixture
def plan(served_body, institution):
    workplan, task = workplan_with_task(body=served_body, lead=institution)
    return workplan, task


def test_tasks_must_fall_in_the_workplan_period(secretariat, plan, institution):
    workplan, task = plan
    with pytest.raises(ValidationError) as refused:
        services.task_create(
            actor=secretariat,
            activity=task.activity,
            title="Too late",
            lead_institution=institution,
            start_date=days_from_today(391),
            due_date=days_from_today(543),
        )
    assert refused.value.code == "outside_period"


def test_a_donor_funded_task_names_its_donor(secretariat, plan, institution):
    _, task = plan
    with pytest.raises(ValidationError) as refused:
        services.task_update(actor=secretariat, task=task, funding_source="donor", donor_name="")
    assert "donor_name" in refused.value.message_dict


def test_revisions_are_circulated_adopted_and_superseded(
    secretariat, plan, institution, django_capture_on_commit_callbacks
):
    workplan, task = plan
    MembershipFactory(body=workplan.body, institution=institution)
    rep = PersonFactory(institution=institution, email="rep@gov.test", language="es")
    DesignationFactory(person=rep, kind=Designation.Kind.REPRESENTATIVE, body=workplan.body)
    first = services.revision_draft(actor=secretariat, workplan=workplan, note="First plan")
    with pytest.raises(ValidationError):
        services.revision_adopt(actor=secretariat, revision=first)  # not circulated yet
    with django_capture_on_commit_callbacks(execute=True):
        services.revision_circulate(actor=secretariat, revision=first)
    assert [m.to for m in mail.outbox] == [["rep@gov.test"]]
    assert f"/revisions/{first.pk}/" in mail.outbox[0].body
    first = services.revision_adopt(actor=secretariat, revision=first)
    assert first.status == "adopted"

    other = InstitutionFactory(name="Ministry of Agriculture")
    services.task_update(
        actor=secretariat,
        task=task,
        due_date=days_from_today(115),
        lead_institution=other,
        budget_amount="1000",
        budget_currency="USD",
    )
    services.task_create(
        actor=secretariat,
        activity=task.activity,
        title="Pesticide stocks survey",
        lead_institution=other,
        start_date=days_from_today(-280),
        due_date=days_from_today(-96),
    )
    second = services.revision_draft(actor=secretariat, workplan=workplan)
    assert second.number == 2
    # Refreshing a draft keeps its number.
    assert services.revision_draft(actor=secretariat, workplan=workplan).pk == second.pk
    services.revision_circulate(actor=secretariat, revision=second)
    services.revision_adopt(actor=secretariat, revision=second)
    first.refresh_from_db()
    assert first.status == WorkplanRevision.Status.SUPERSEDED and first.superseded_at

    diff = revision_diff(first.snapshot, second.snapshot)
    assert [t["title"] for t in diff["added"]] == ["Pesticide stocks survey"]
    assert diff["removed"] == []
    (change,) = diff["changed"]
    assert {what for what, _, _ in change.changes} == {
        "due",
        "lead institution",
        "budget",
        "currency",
    }


def test_revision_pages_show_content_and_changes(client, secretariat, plan):
    workplan, task = plan
    first = services.revision_draft(actor=secretariat, workplan=workplan)
    services.revision_circulate(actor=secretariat, revision=first)
    services.revision_adopt(actor=secretariat, revision=first)
    services.task_update(actor=secretariat, task=task, due_date=days_from_today(56))
    second = services.revision_draft(actor=secretariat, workplan=workplan)
    client.force_login(secretariat)
    page = client.get(reverse("coordination:revision-detail", args=[second.pk])).content.decode()
    assert "What changed since revision 1" in page
    assert days_from_today(56).isoformat() in page
    compare = client.get(
        reverse("coordination:revision-compare", args=[workplan.pk]) + "?from=1&to=2"
    ).content.decode()
    assert "diff-changed" in compare


def test_focal_point_reports_only_on_own_institutions_tasks(
    client, secretariat, focal_point, plan, institution
):
    workplan, own_task = plan
    foreign = Task.objects.create(
        activity=own_task.activity,
        title="Not yours",
        lead_institution=InstitutionFactory(),
        start_date=days_from_today(-308),
        due_date=days_from_today(-5),
    )
    reporting_round = services.round_open(
        actor=secretariat,
        workplan=workplan,
        title="Before the December meeting",
        due_date=days_from_today(-5),
    )
    client.force_login(focal_point)
    foreign_url = reverse(
        "coordination:progress-report-create", args=[reporting_round.pk, foreign.pk]
    )
    assert client.get(foreign_url).status_code == 403
    payload = {"status": "in_progress", "percent_complete": 40, "narrative": "Half the sites."}
    assert client.post(foreign_url, payload).status_code == 403
    with pytest.raises(PermissionDenied):
        services.progress_report_submit(
            actor=focal_point, reporting_round=reporting_round, task=foreign, **payload
        )

    own_url = reverse("coordination:progress-report-create", args=[reporting_round.pk, own_task.pk])
    response = client.post(own_url, {**payload, "money_spent": "1200", "currency": "usd"})
    assert response.status_code == 302
    own_task.refresh_from_db()
    assert (own_task.status, own_task.percent_complete) == ("in_progress", 40)
    report = ProgressReport.objects.get()
    assert report.currency == "USD" and report.institution == institution
    # The report stays in the task's history; a second one in the same round is refused.
    response = client.post(own_url, payload)
    assert response.status_code == 200
    assert "already been reported" in response.content.decode()
    page = client.get(reverse("coordination:task-detail", args=[own_task.pk])).content.decode()
    assert "Half the sites." in page

    status = client.get(reverse("coordination:round-detail", args=[reporting_round.pk]))
    text = status.content.decode()
    assert "Still to report" in text and foreign.lead_institution.name in text


def test_a_done_task_is_complete(secretariat, plan):
    workplan, task = plan
    reporting_round = services.round_open(
        actor=secretariat, workplan=workplan, title="R", due_date=days_from_today(-5)
    )
    with pytest.raises(ValidationError) as refused:
        services.progress_report_submit(
            actor=secretariat,
            reporting_round=reporting_round,
            task=task,
            status="done",
            percent_complete=80,
            narrative="Finished",
        )
    assert "percent_complete" in refused.value.message_dict


def test_scorecard_counts_tasks_and_reports(secretariat, plan, institution):
    workplan, task = plan
    Task.objects.create(
        activity=task.activity,
        title="Overdue one",
        lead_institution=institution,
        start_date=days_from_today(-339),
        due_date=days_from_today(-280),
    )
    reporting_round = services.round_open(
        actor=secretariat, workplan=workplan, title="R", due_date=days_from_today(10 * 365)
    )
    services.progress_report_submit(
        actor=secretariat,
        reporting_round=reporting_round,
        task=task,
        status="in_progress",
        percent_complete=10,
        narrative="Started",
    )
    (row,) = institution_scorecard(workplan=workplan)
    assert row["institution"] == institution
    assert (row["total"], row["overdue"], row["on_track"]) == (2, 1, 1)
    assert (row["reports_expected"], row["reports_on_time"], row["reports_missing"]) == (2, 1, 1)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exports_neutralise_formulas(client, secretariat, plan, fmt):
    workplan, task = plan
    Task.objects.filter(pk=task.pk).update(title='=HYPERLINK("http://evil.example","x")')
    Task.objects.create(
        activity=task.activity,
        title="@SUM(1+1)",
        lead_institution=task.lead_institution,
        start_date=days_from_today(-308),
        due_date=days_from_today(-280),
        donor_name="-2+3",
    )
    client.force_login(secretariat)
    response = client.get(reverse("coordination:workplan-export", args=[workplan.pk, fmt]))
    assert response.status_code == 200
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = [
            [c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)
        ]
    cells = [str(c) for row in rows[1:] for c in row]
    assert '\'=HYPERLINK("http://evil.example","x")' in cells
    assert "'@SUM(1+1)" in cells and "'-2+3" in cells
    assert not any(c.startswith(("=", "@", "+", "-")) for c in cells if c)


def test_unknown_export_format_is_404(client, secretariat, plan):
    client.force_login(secretariat)
    assert (
        client.get(reverse("coordination:workplan-export", args=[plan[0].pk, "pdf"])).status_code
        == 404
    )


def test_task_filters(client, focal_point, plan, institution):
    workplan, task = plan
    other = workplan_with_task(lead=InstitutionFactory(), title="Someone else's")[1]
    Task.objects.filter(pk=other.pk).update(
        start_date=days_from_today(-335), due_date=days_from_today(-309)
    )
    client.force_login(focal_point)
    url = reverse("coordination:task-list")
    mine = client.get(url + "?mine=true").content.decode()
    assert task.title in mine and "Someone else" not in mine
    overdue = client.get(url + "?overdue=true").content.decode()
    assert "Someone else" in overdue and task.title not in overdue
    body = client.get(url + f"?body={workplan.body.pk}").content.decode()
    assert task.title in body and "Someone else" not in body


def test_members_cannot_change_a_workplan(client, member, plan):
    workplan, task = plan
    client.force_login(member)
    for url in (
        reverse("coordination:activity-create", args=[workplan.pk]),
        reverse("coordination:task-create", args=[task.activity_id]),
        reverse("coordination:task-update", args=[task.pk]),
        reverse("coordination:revision-draft", args=[workplan.pk]),
        reverse("coordination:round-create", args=[workplan.pk]),
        reverse("coordination:workplan-create", args=[workplan.body_id]),
    ):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"title": "x"}).status_code == 403, url


def test_secretariat_of_another_body_cannot_change_this_plan(client, plan):
    from coordination.models import Role
    from tests.factories import UserFactory

    other = UserFactory(role=Role.SECRETARIAT)
    services.body_create(actor=other, name="Technical Committee", kind="technical")
    client.force_login(other)
    url = reverse("coordination:task-update", args=[plan[1].pk])
    assert client.get(url).status_code == 403


def test_workplan_pages_cost_the_same_with_more_tasks(client, secretariat, plan, institution):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    workplan, task = plan
    client.force_login(secretariat)

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    urls = [
        reverse("coordination:workplan-detail", args=[workplan.pk]),
        reverse("coordination:task-list"),
        reverse("coordination:workplan-scorecard", args=[workplan.pk]),
    ]
    before = [count(u) for u in urls]
    for i in range(12):
        created = Task.objects.create(
            activity=task.activity,
            title=f"Task {i}",
            lead_institution=InstitutionFactory(),
            assignee=PersonFactory(),
            start_date=days_from_today(-308),
            due_date=days_from_today(-219),
        )
        created.supporting_institutions.set([institution])
    assert [count(u) for u in urls] == before


def test_timeline_is_drawn_on_the_server(client, secretariat, plan):
    client.force_login(secretariat)
    page = client.get(reverse("coordination:workplan-detail", args=[plan[0].pk])).content.decode()
    assert "<svg" in page and "PCB inventory" in page and "<rect" in page


def test_timeline_coordinates_keep_a_decimal_point_in_every_language(client, secretariat, plan):
    import re

    secretariat.language = "fr"
    secretariat.save(update_fields=["language"])
    client.force_login(secretariat)
    page = client.get(
        reverse("coordination:workplan-detail", args=[plan[0].pk]), HTTP_ACCEPT_LANGUAGE="fr"
    ).content.decode()
    assert 'lang="fr"' in page
    svg = page[page.index("<svg") : page.index("</svg>")]
    coordinates = re.findall(r' (?:x|y|width|x1|x2)="([^"]*)"', svg)
    number = re.compile(r"-?\d+(\.\d+)?%?")
    assert coordinates and all(number.fullmatch(c) for c in coordinates), coordinates


# --- Activities collapsed to their task counts --------------------------------------------------


def test_activities_show_their_task_counts_and_open_on_demand(client, secretariat, plan):
    """The page lists each activity with its number of tasks; its tasks open in place with
    htmx, or, without JavaScript, through a link that opens that activity on the page."""
    workplan, task = plan
    Task.objects.create(
        activity=task.activity,
        title="Customs survey",
        lead_institution=task.lead_institution,
        start_date=days_from_today(-30),
        due_date=days_from_today(40),
    )
    empty = workplan.activities.create(title="Outreach", order=2)
    client.force_login(secretariat)
    url = reverse("coordination:workplan-detail", args=[workplan.pk])
    page = client.get(url).content.decode()
    tasks_url = reverse("coordination:activity-tasks", args=[task.activity_id])
    assert "Show its 2 tasks" in page
    assert f'href="?open={task.activity_id}#activity-{task.activity_id}"' in page
    assert f'hx-get="{tasks_url}"' in page
    assert "task-table" not in page  # no task row until an activity is opened
    assert "No task in this activity yet." in page  # the empty activity says so
    assert f"?open={empty.pk}" not in page

    partial = client.get(tasks_url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "task-table" in partial
    assert "PCB inventory" in partial and "Customs survey" in partial
    assert partial.count("<tr>") == 3  # the header and the two tasks

    opened = client.get(url, {"open": task.activity_id}).content.decode()
    assert "task-table" in opened and "Customs survey" in opened
    assert "Show its 2 tasks" not in opened
    assert f'href="{url}#activity-{task.activity_id}"' in opened  # "Hide the tasks"


@pytest.mark.parametrize("value", ["", "x", "0", "99999999"])
def test_an_unknown_activity_to_open_opens_nothing(client, secretariat, plan, value):
    workplan, task = plan
    client.force_login(secretariat)
    url = reverse("coordination:workplan-detail", args=[workplan.pk])
    response = client.get(url, {"open": value})
    assert response.status_code == 200 and response.context["open"] is None
    assert "task-table" not in response.content.decode()


def test_another_plans_activity_does_not_open_here(client, secretariat, plan):
    workplan, _task = plan
    _other, foreign = workplan_with_task(title="Foreign task")
    client.force_login(secretariat)
    url = reverse("coordination:workplan-detail", args=[workplan.pk])
    page = client.get(url, {"open": foreign.activity_id}).content.decode()
    assert "Foreign task" not in page


def test_an_activitys_tasks_cost_the_same_with_more_tasks(client, secretariat, plan):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    workplan, task = plan
    client.force_login(secretariat)
    urls = [
        reverse("coordination:activity-tasks", args=[task.activity_id]),
        reverse("coordination:workplan-detail", args=[workplan.pk]) + f"?open={task.activity_id}",
    ]

    def count(url):
        cache.clear()  # built, not read from the cache
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = [count(u) for u in urls]
    for i in range(12):
        Task.objects.create(
            activity=task.activity,
            title=f"Task {i}",
            lead_institution=InstitutionFactory(),
            assignee=PersonFactory(),
            start_date=days_from_today(-308),
            due_date=days_from_today(-219),
        )
    assert [count(u) for u in urls] == before
