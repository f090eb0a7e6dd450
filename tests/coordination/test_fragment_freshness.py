"""Cached page fragments (ncm_portal.fragments) change on the very next request after each
service that changes what they show: change through the service, fetch the page, see it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coordination.fragments import CALENDAR, REGISTRY, WORKPLANS
from coordination.models import Body, Designation, Institution, Membership, Task
from coordination.registry import services as registry
from coordination.workplans import services as workplans
from ncm_portal import fragments
from tests.factories import (
    BodyFactory,
    InstitutionFactory,
    MembershipFactory,
    PersonFactory,
    days_from_today,
    workplan_with_task,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(client, admin_user):
    client.force_login(admin_user)

    def fetch(url):
        response = client.get(url)
        assert response.status_code == 200
        return response.content.decode()

    return fetch


def test_the_fragments_are_cached_and_every_write_retires_them(page, secretariat):
    """The second request reads no task from the database (the rows come from the cache), and
    a write that no service made (``QuerySet.update``, which sends no signal) still retires
    them: the database connection watches every statement that writes to a declared table."""
    workplan, task = workplan_with_task(title="Mercury survey")
    url = workplan.get_absolute_url() + f"?open={task.activity_id}"
    assert "Mercury survey" in page(url)
    with CaptureQueriesContext(connection) as queries:
        assert "Mercury survey" in page(url)
    assert not [q for q in queries if f'FROM "{Task._meta.db_table}"' in q["sql"]]
    Task.objects.filter(pk=task.pk).update(title="Renamed quietly")
    assert "Renamed quietly" in page(url)


def test_a_write_to_an_undeclared_table_retires_nothing():
    """Only the declared tables' writes bump: a notification does not retire the registry."""
    from coordination.models import Notification

    before = fragments.stamp(REGISTRY, WORKPLANS, CALENDAR)
    Notification.objects.filter(pk=0).update(read_at=None)
    assert fragments.stamp(REGISTRY, WORKPLANS, CALENDAR) == before
    Task.objects.filter(pk=0).update(title="x")
    assert fragments.stamp(WORKPLANS) != before.split("-")[1]


def _principal_ending_soon(committed, admin_user, institution, body, *, start):
    """Rosa Mendes, designated through the service as the institution's principal representative
    to the body from ``start`` days from today until 20 days from today."""
    person = PersonFactory(name="Rosa Mendes", institution=institution)
    designation = committed(
        registry.designation_create,
        actor=admin_user,
        person=person,
        institution=institution,
        kind=Designation.Kind.REPRESENTATIVE,
        capacity=Designation.Capacity.PRINCIPAL,
        body=body,
        start_date=days_from_today(start),
        end_date=days_from_today(20),
    )
    return person, designation


# --- The workplan's task tables and timeline --------------------------------------------------


def test_workplan_tasks_follow_task_services(page, committed, admin_user):
    workplan, task = workplan_with_task(title="Mercury survey")
    url = workplan.get_absolute_url()
    opened = f"{url}?open={task.activity_id}"
    tasks = reverse("coordination:activity-tasks", args=[task.activity_id])
    for shown in (url, opened, tasks):  # the timeline, and the activity's table both ways
        assert "Mercury survey" in page(shown)

    committed(workplans.task_update, actor=admin_user, task=task, title="PCB phase-out plan")
    for shown in (url, opened, tasks):
        html = page(shown)
        assert "PCB phase-out plan" in html and "Mercury survey" not in html

    committed(workplans.task_update, actor=admin_user, task=task, status=Task.Status.DELAYED)
    assert 'class="status-delayed' in page(url)
    assert "Delayed" in page(tasks) and "Delayed" in page(opened)

    committed(
        workplans.task_create,
        actor=admin_user,
        activity=task.activity,
        title="Customs training",
        lead_institution=task.lead_institution,
        start_date=days_from_today(-5),
        due_date=days_from_today(30),
    )
    assert "Customs training" in page(url)  # its bar in the timeline
    assert "Show its 2 tasks" in page(url)
    assert page(opened).count("Customs training") >= 2  # its row and its bar
    assert "Customs training" in page(tasks)

    committed(workplans.activity_create, actor=admin_user, workplan=workplan, title="Outreach")
    assert "Outreach" in page(url)


def test_workplan_tasks_follow_the_registry(page, committed, admin_user):
    lead = InstitutionFactory(acronym="EPA")
    assignee = PersonFactory(name="Ana Lima")
    workplan, task = workplan_with_task(lead=lead, assignee=assignee)
    tasks = reverse("coordination:activity-tasks", args=[task.activity_id])
    opened = f"{workplan.get_absolute_url()}?open={task.activity_id}"
    for url in (tasks, opened):
        html = page(url)
        assert "EPA" in html and "Ana Lima" in html

    committed(registry.institution_update, actor=admin_user, institution=lead, acronym="NEPA")
    assert "NEPA" in page(tasks) and "NEPA" in page(opened)
    committed(registry.person_update, actor=admin_user, person=assignee, name="Ana Lima Souza")
    assert "Ana Lima Souza" in page(tasks) and "Ana Lima Souza" in page(opened)


# --- The institution directory's rows ---------------------------------------------------------


def test_directory_rows_follow_registry_services(page, committed, admin_user):
    url = reverse("coordination:institution-list")
    institution = InstitutionFactory(name="Institution 00000 Water Board")
    assert "Water Board" in page(url)

    committed(
        registry.institution_update,
        actor=admin_user,
        institution=institution,
        name="Institution 00000 Water Authority",
    )
    html = page(url)
    assert "Water Authority" in html and "Water Board" not in html

    committed(
        registry.institution_create,
        actor=admin_user,
        name="Institution 00000 Customs",
        kind=institution.kind,
    )
    assert "Institution 00000 Customs" in page(url)

    body = BodyFactory(acronym="CHEM")
    committed(
        registry.membership_add,
        actor=admin_user,
        body=body,
        institution=institution,
        start_date=days_from_today(-1),
    )
    assert ">CHEM</" in page(url).replace("<bdi>", "").replace("</bdi>", "")

    committed(registry.body_update, actor=admin_user, body=body, acronym="CHEMCOM")
    assert "CHEMCOM" in page(url)


def test_directory_filters_counter_and_pages_follow_registry_services(page, committed, admin_user):
    url = reverse("coordination:institution-list")
    count = Institution.objects.count()
    html = page(url)
    assert f"{count} institutions" in html and "Chemicals Committee" not in html

    # The filter form lists the active bodies.
    body = committed(
        registry.body_create,
        actor=admin_user,
        name="Chemicals Committee",
        kind=Body.Kind.TECHNICAL,
    )
    assert ">Chemicals Committee</option>" in page(url)
    committed(registry.body_update, actor=admin_user, body=body, name="Chemicals Board")
    html = page(url)
    assert ">Chemicals Board</option>" in html and "Chemicals Committee" not in html

    # The form shows the query asked, and only to that query.
    assert 'value="Water"' in page(url + "?q=Water") and 'value="Water"' not in page(url)

    # The counter and the pages.
    InstitutionFactory.create_batch(50 - count - 1)
    committed(
        registry.institution_create, actor=admin_user, name="Institution 00000 A", kind="agency"
    )
    html = page(url)
    assert "50 institutions" in html and "Page 1 of 2" not in html
    committed(
        registry.institution_create, actor=admin_user, name="Institution 99999 Z", kind="agency"
    )
    html = page(url)
    assert "51 institutions" in html and "Page 1 of 2" in html
    assert "Institution 99999 Z" in page(url + "?page=2")


# --- A body's member table --------------------------------------------------------------------


def test_body_members_follow_registry_services(page, committed, admin_user):
    body = BodyFactory()
    url = reverse("coordination:body-detail", args=[body.pk])
    seat = MembershipFactory(body=body, institution=InstitutionFactory(name="Ministry of Health"))
    assert "Ministry of Health" in page(url)

    newcomer = InstitutionFactory(name="Customs Service")
    committed(
        registry.membership_add,
        actor=admin_user,
        body=body,
        institution=newcomer,
        start_date=days_from_today(-3),
    )
    assert "Customs Service" in page(url)

    person = PersonFactory(name="Rosa Mendes", institution=seat.institution)
    committed(
        registry.designation_create,
        actor=admin_user,
        person=person,
        institution=seat.institution,
        kind=Designation.Kind.REPRESENTATIVE,
        body=body,
        start_date=days_from_today(-1),
    )
    assert "Rosa Mendes" in page(url)

    committed(registry.person_update, actor=admin_user, person=person, name="Rosa Mendes Cruz")
    assert "Rosa Mendes Cruz" in page(url)

    committed(
        registry.institution_update,
        actor=admin_user,
        institution=seat.institution,
        name="Ministry of Health and Welfare",
    )
    assert "Ministry of Health and Welfare" in page(url)

    committed(
        registry.membership_change_role,
        actor=admin_user,
        membership=seat,
        role=Membership.Role.CHAIR,
        on=days_from_today(0),
    )
    assert str(Membership.Role.CHAIR.label) in page(url)

    newcomer_seat = Membership.objects.get(body=body, institution=newcomer)
    committed(
        registry.membership_end,
        actor=admin_user,
        membership=newcomer_seat,
        end_date=days_from_today(-1),
    )
    members, former = page(url).split('id="ballots"')
    assert "Customs Service</" not in members
    assert "Customs Service</" in former.split("Former and future members")[1]


def test_body_page_head_rules_and_side_follow_registry_services(page, committed, admin_user):
    """The heading (the chair), the warnings, the rules, the sub-bodies, the workplans and the
    mandate, and the pages of members."""
    body = BodyFactory(name="Chemicals Committee", meetings_per_year=4)
    url = reverse("coordination:body-detail", args=[body.pk])
    html = page(url)
    assert "chaired by" not in html and "4 a year" in html and "has no principal" not in html

    institution = InstitutionFactory(name="Ministry of Health")
    seat = committed(
        registry.membership_add,
        actor=admin_user,
        body=body,
        institution=institution,
        role=Membership.Role.CHAIR,
        start_date=days_from_today(-3),
    )
    html = page(url)
    assert "chaired by" in html and "Ministry of Health" in html.split("chaired by")[1][:200]
    assert "has no principal representative in Chemicals Committee" in html

    _principal_ending_soon(committed, admin_user, institution, body, start=-1)
    html = page(url)
    assert "has no principal representative" not in html
    assert "Rosa Mendes&#x27;s designation" in html  # ends within the warning's days

    committed(
        registry.membership_change_role,
        actor=admin_user,
        membership=seat,
        role=Membership.Role.MEMBER,
        on=days_from_today(0),
    )
    assert "chaired by" not in page(url)

    committed(
        registry.body_update,
        actor=admin_user,
        body=body,
        meetings_per_year=7,
        mandate="Coordinates the chemicals conventions.",
    )
    html = page(url)
    assert "7 a year" in html and "Coordinates the chemicals conventions." in html

    committed(
        registry.body_create,
        actor=admin_user,
        name="Mercury Working Group",
        kind=Body.Kind.TECHNICAL,
        parent=body,
    )
    assert "Mercury Working Group" in page(url)

    committed(
        workplans.workplan_create,
        actor=admin_user,
        body=body,
        title="Chemicals plan 2030",
        period_start=days_from_today(0),
        period_end=days_from_today(365),
    )
    assert "Chemicals plan 2030" in page(url)

    # The pages of members: 50 a page.
    for _ in range(49):
        MembershipFactory(body=body)
    assert "Page 1 of 2" not in page(url)
    committed(
        registry.membership_add,
        actor=admin_user,
        body=body,
        institution=InstitutionFactory(),
        start_date=days_from_today(-1),
    )
    assert "Page 1 of 2" in page(url)
    assert "Page 2 of 2" in page(url + "?page=2")


def test_body_page_shows_each_reader_their_own_actions(client, admin_user, viewer):
    """The cached parts of a body's page that hold actions are kept per kind of reader."""
    body = BodyFactory()
    MembershipFactory(body=body)
    url = reverse("coordination:body-detail", args=[body.pk])
    edit = reverse("coordination:body-update", args=[body.pk])
    new_workplan = reverse("coordination:workplan-create", args=[body.pk])
    for user, sees in ((admin_user, True), (viewer, False), (admin_user, True)):
        client.force_login(user)
        html = client.get(url).content.decode()
        assert (edit in html) is sees and (new_workplan in html) is sees, user
        assert ("End seat" in html) is sees, user


# --- The mechanism's warnings on the home page ------------------------------------------------


def test_home_page_warnings_follow_registry_services(page, committed, admin_user):
    """The secretariat's and administrators' warnings are kept under the registry's stamp."""
    url = reverse("coordination:dashboard")
    body = BodyFactory(name="Chemicals Committee")
    institution = InstitutionFactory()
    committed(
        registry.membership_add,
        actor=admin_user,
        body=body,
        institution=institution,
        start_date=days_from_today(-30),
    )
    assert "has no principal representative in Chemicals Committee" in page(url)

    person, designation = _principal_ending_soon(
        committed, admin_user, institution, body, start=-10
    )
    html = page(url)
    assert "has no principal representative in Chemicals Committee" not in html
    assert "Rosa Mendes&#x27;s designation" in html  # ends within the warning's 60 days

    committed(registry.person_update, actor=admin_user, person=person, name="Rosa Cruz")
    assert "Rosa Cruz&#x27;s designation" in page(url)

    committed(
        registry.designation_end,
        actor=admin_user,
        designation=designation,
        end_date=days_from_today(-2),
        handover_note="Moved on.",
    )
    html = page(url)
    assert "Rosa Cruz&#x27;s designation" not in html
    assert "has no principal representative in Chemicals Committee" in html


# --- The home page's counts and missing progress reports --------------------------------------


def _counted(html, label):
    """The figure above ``label`` in the home page's counts."""
    import re

    found = re.search(r'<div class="fs-3">(\d+)</div><div class="small">' + label, html)
    assert found, label
    return int(found.group(1))


def test_the_home_counts_follow_the_registry_services(page, committed, admin_user):
    before = _counted(page("/"), "active institutions")
    assert _counted(page("/"), "active institutions") == before  # from the cache
    institution = committed(
        registry.institution_create,
        actor=admin_user,
        name="Port Health Authority",
        acronym="PHA",
        kind="agency",
    )
    assert _counted(page("/"), "active institutions") == before + 1
    committed(registry.institution_update, actor=admin_user, institution=institution, active=False)
    assert _counted(page("/"), "active institutions") == before


def test_the_bodies_a_secretary_serves_follow_the_service(
    client, committed, admin_user, secretariat
):
    client.force_login(secretariat)
    body = BodyFactory(name="Chemicals Coordination Board", acronym="CCB")
    assert "Chemicals Coordination Board" not in client.get("/").content.decode()
    committed(registry.body_set_secretariat, actor=admin_user, body=body, users=[secretariat])
    assert "Chemicals Coordination Board" in client.get("/").content.decode()
    committed(registry.body_set_secretariat, actor=admin_user, body=body, users=[])
    assert "Chemicals Coordination Board" not in client.get("/").content.decode()


def test_the_home_count_of_accounts_follows_the_accounts(page, admin_user):
    """The administrator's home page counts the active accounts (``users`` stamp)."""
    from tests.factories import UserFactory

    def accounts():
        import re

        html = page("/")
        return int(re.search(r"(\d+) active accounts?", html).group(1))

    before = accounts()
    assert accounts() == before  # from the cache
    other = UserFactory(email="new.account@ncm.test")
    assert accounts() == before + 1
    other.is_active = False
    other.save()
    assert accounts() == before
