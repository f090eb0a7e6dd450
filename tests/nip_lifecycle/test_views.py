"""The pages: the permission wall (anonymous, wrong role, wrong institution) and the happy
paths, with a fixed number of queries on the list and cycle pages."""

import pytest
from django.urls import reverse
from django.utils import timezone

from nip_lifecycle import services
from nip_lifecycle.models import Cycle, Step
from tests.nip_lifecycle.factories import reference

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"nip_lifecycle:{name}", args=args)


def test_anonymous_visitors_are_sent_to_sign_in(client, cycle):
    for address in (
        url("cycle-list"),
        url("cycle-detail", cycle.pk),
        url("step-detail", cycle.steps.first().pk),
    ):
        response = client.get(address)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_anyone_signed_in_reads_but_only_the_secretariat_manages(client, cycle, viewer, mechanism):
    step = cycle.steps.get(number=1)
    client.force_login(viewer)
    assert client.get(url("cycle-list")).status_code == 200
    page = client.get(url("cycle-detail", cycle.pk))
    assert page.status_code == 200 and "Record the transmission" not in page.content.decode()
    assert client.get(url("step-detail", step.pk)).status_code == 200
    for name, args in (
        ("cycle-create", ()),
        ("amendment-add", (cycle.pk,)),
        ("step-update", (step.pk,)),
        ("issue-add", (cycle.pk,)),
        ("transmission-record", (cycle.pk,)),
    ):
        assert client.get(url(name, *args)).status_code == 403
    assert client.post(url("step-start", step.pk)).status_code == 403
    assert client.post(url("package-request", cycle.pk)).status_code == 403
    step.refresh_from_db()
    assert step.status == Step.Status.NOT_STARTED


def test_the_technical_committee_reviews_but_does_not_manage(client, mechanism, cycle):
    step = services.step_start(actor=mechanism.secretariat, step=cycle.steps.get(number=4))
    services.step_submit_for_review(actor=mechanism.secretariat, step=step)
    client.force_login(mechanism.reviewer)
    assert client.post(url("step-complete", step.pk)).status_code == 403
    response = client.post(
        url("step-review", step.pk),
        {"outcome": "returned", "text": "Methods differ between regions."},
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.status == Step.Status.RETURNED


def test_a_member_of_another_institution_cannot_comment(client, mechanism, cycle, focal_point):
    section = services.section_add(
        actor=mechanism.secretariat, cycle=cycle, title="PCB", text="Text."
    )
    services.consultation_set_open(actor=mechanism.secretariat, cycle=cycle, open=True)
    client.force_login(focal_point)  # Veridia Customs Service is no member of the lead body
    assert client.post(url("comment-add", section.pk), {"text": "Hi"}).status_code == 403
    client.force_login(mechanism.voters[1].user)
    assert client.post(url("comment-add", section.pk), {"text": "Fine."}).status_code == 302
    assert section.comments.get().institution.acronym == "VCS"


def test_the_secretariat_creates_a_cycle_and_plans_it(client, mechanism):
    client.force_login(mechanism.secretariat)
    response = client.post(
        url("cycle-create"),
        {
            "title": "Update for PFHxS",
            "trigger": "new_listing",
            "lead_body": mechanism.lead.pk,
            "technical_committee": mechanism.tc.pk,
            "steering_committee": mechanism.sc.pk,
        },
    )
    cycle = Cycle.objects.get(title="Update for PFHxS")
    assert response.status_code == 302 and response["Location"] == cycle.get_absolute_url()
    client.post(url("amendment-add", cycle.pk), {"reference": reference("cop-10").pk})
    page = client.get(url("cycle-detail", cycle.pk)).content.decode()
    assert "16 November 2025" in page or "Nov. 16, 2025" in page
    assert "<svg" in page and "nip-timeline" in page
    step = cycle.steps.get(number=1)
    client.post(url("step-start", step.pk))
    response = client.post(url("step-complete", step.pk), follow=True)
    assert "Deliverables without a document" in response.content.decode()


def test_pages_cost_a_fixed_number_of_queries(client, mechanism, django_assert_max_num_queries):
    for i in range(3):
        cycle = mechanism.cycle(title=f"Cycle {i}")
        services.amendment_add(
            actor=mechanism.secretariat, cycle=cycle, reference=reference("cop-4")
        )
    client.force_login(mechanism.secretariat)
    with django_assert_max_num_queries(15):
        assert client.get(url("cycle-list")).status_code == 200
    with django_assert_max_num_queries(30):
        assert client.get(url("cycle-detail", cycle.pk)).status_code == 200


def test_every_page_of_a_cycle_renders(client, mechanism, cycle):
    client.force_login(mechanism.secretariat)
    services.section_add(actor=mechanism.secretariat, cycle=cycle, title="PCB", text="Text.")
    issue = services.issue_add(actor=mechanism.secretariat, cycle=cycle, title="Open burning")
    objective = services.objective_add(actor=mechanism.secretariat, cycle=cycle, title="Reduce")
    comment_section = cycle.sections.get()
    for address in (
        url("priority-detail", cycle.pk),
        url("draft-detail", cycle.pk),
        url("consultation-detail", cycle.pk),
        url("issue-score", issue.pk),
        url("objective-add", cycle.pk),
        url("action-add", objective.pk),
        url("cycle-workplan", cycle.pk),
        url("section-revise", comment_section.pk),
        url("cycle-deadline", cycle.pk),
        url("transmission-record", cycle.pk),
        url("step-approve", cycle.steps.get(number=7).pk),
        url("deliverable-attach", cycle.steps.get(number=1).deliverables.first().pk),
        url("checklist-add", cycle.steps.first().pk),
    ):
        assert client.get(address).status_code == 200, address
    step4 = client.get(url("step-detail", cycle.steps.get(number=4).pk)).content.decode()
    assert "No inventory datasets cover these years yet" in step4
    # Step 4 lists the inventories of the years before it, with their validation status.
    from inventories.models import Dataset
    from tests.factories import InstitutionFactory

    today = timezone.localdate()
    Dataset.objects.create(
        institution=InstitutionFactory(name="Central Environmental Laboratory"),
        dataset_type="monitoring",
        period_start=today.replace(year=today.year - 2, month=1, day=1),
        period_end=today.replace(year=today.year - 2, month=12, day=31),
    )
    step4 = client.get(url("step-detail", cycle.steps.get(number=4).pk)).content.decode()
    assert "Central Environmental Laboratory" in step4 and "Monitoring results" in step4


def test_the_administration_lists_the_reference_data_and_the_cycles(client, admin_user, cycle):
    client.force_login(admin_user)
    for model in ("steptemplate", "referenceamendment", "cycle", "cycleevent"):
        response = client.get(reverse(f"admin:nip_lifecycle_{model}_changelist"))
        assert response.status_code == 200, model
    assert (
        client.get(reverse("admin:nip_lifecycle_cycle_change", args=[cycle.pk])).status_code == 200
    )


def test_the_step_page_costs_the_same_however_much_is_done(
    client, mechanism, cycle, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    actor = mechanism.secretariat
    client.force_login(actor)
    step = services.step_start(actor=actor, step=cycle.steps.get(number=4))
    first, *others = list(step.checklist.all())
    services.checklist_item_mark(actor=actor, item=first, done=True)
    deliverable = step.deliverables.first()
    services.deliverable_attach(
        actor=actor, deliverable=deliverable, document=mechanism.document("Inventory")
    )
    services.step_submit_for_review(actor=actor, step=step)
    services.step_review(actor=mechanism.reviewer, step=step, outcome="comments", text="Check.")
    address = url("step-detail", step.pk)
    with CaptureQueriesContext(connection) as before:
        assert client.get(address).status_code == 200
    for item in others:
        services.checklist_item_mark(actor=actor, item=item, done=True)
    services.step_review(actor=mechanism.reviewer, step=step, outcome="comments", text="More.")
    with django_assert_num_queries(len(before.captured_queries)):
        assert client.get(address).status_code == 200
