"""Step 5 (weighted ranking, action plans that become workplan tasks) and step 6 (sections with
versions, comments by member institutions with their resolutions and the comment log)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coordination.models import Task, Workplan
from coordination.workplans.services import workplan_create
from nip_lifecycle import selectors, services
from nip_lifecycle.models import ConsultationComment
from tests.factories import InstitutionFactory, PersonFactory, UserFactory, days_from_today

pytestmark = pytest.mark.django_db


def test_issues_are_ranked_by_their_weighted_scores(mechanism, cycle):
    actor = mechanism.secretariat
    criteria = list(cycle.criteria.all())
    pcb = services.issue_add(actor=actor, cycle=cycle, title="PCB-containing equipment in use")
    foams = services.issue_add(actor=actor, cycle=cycle, title="PFAS in firefighting foams")
    services.issue_score(actor=actor, issue=pcb, scores={c.pk: 4 for c in criteria})
    services.issue_score(actor=actor, issue=foams, scores={c.pk: 3 for c in criteria})
    # Foams are a legal obligation now (weight 3): score 5 there and on health.
    health, legal = criteria[0], criteria[3]
    services.issue_score(actor=actor, issue=foams, scores={health.pk: 5, legal.pk: 5})
    ranking = selectors.priority_ranking(cycle)
    assert [r["issue"].title for r in ranking["rows"]] == [
        "PCB-containing equipment in use",
        "PFAS in firefighting foams",
    ]
    services.criteria_set_weights(
        actor=actor, cycle=cycle, weights={c.pk: 0 for c in criteria} | {legal.pk: 10}
    )
    ranking = selectors.priority_ranking(cycle)
    assert ranking["rows"][0]["issue"] == foams and ranking["rows"][0]["weighted"] == 5
    with pytest.raises(ValidationError):
        services.issue_score(actor=actor, issue=pcb, scores={health.pk: 6})


def test_action_plan_activities_become_workplan_tasks(mechanism, cycle):
    actor = mechanism.secretariat
    objective = services.objective_add(
        actor=actor, cycle=cycle, title="Phase out PCB equipment by 2028"
    )
    lead = InstitutionFactory(name="Veridia Power Utility")
    with pytest.raises(ValidationError):
        services.action_add(
            actor=actor,
            objective=objective,
            title="Label transformers",
            lead_institution=lead,
            start_date=days_from_today(-280),
            due_date=days_from_today(-67),
        )
    workplan = workplan_create(
        actor=actor,
        body=mechanism.lead,
        title="NIP implementation",
        period_start=days_from_today(-339),
        period_end=days_from_today(756),
    )
    services.cycle_set_workplan(actor=actor, cycle=cycle, workplan=workplan)
    cycle.refresh_from_db()
    item = services.action_add(
        actor=actor,
        objective=objective,
        title="Label transformers",
        lead_institution=lead,
        start_date=days_from_today(-280),
        due_date=days_from_today(-67),
    )
    services.action_add(
        actor=actor,
        objective=objective,
        title="Ship PCB oil for destruction",
        lead_institution=lead,
        start_date=days_from_today(26),
        due_date=days_from_today(572),
    )
    task = Task.objects.get(pk=item.task_id)
    assert task.activity.workplan == workplan and task.lead_institution == lead
    assert workplan.activities.count() == 1  # one activity per objective
    assert Task.objects.filter(activity__workplan=workplan).count() == 2
    assert Workplan.objects.count() == 1


@pytest.fixture
def draft(mechanism, cycle):
    actor = mechanism.secretariat
    section = services.section_add(
        actor=actor, cycle=cycle, title="Action plan on PCB", text="Phase out by 2028."
    )
    services.consultation_set_open(actor=actor, cycle=cycle, open=True)
    cycle.refresh_from_db()
    return section


def test_member_institutions_comment_and_each_comment_gets_a_resolution(mechanism, draft):
    delegate = mechanism.voters[0].user
    comment = services.comment_add(actor=delegate, section=draft, text="Add the 2027 milestone.")
    assert comment.institution.name == "Ministry of Health" and comment.version.number == 1
    with pytest.raises(ValidationError):
        services.comment_resolve(
            actor=mechanism.secretariat, comment=comment, resolution="not_accepted"
        )
    services.comment_resolve(
        actor=mechanism.secretariat,
        comment=comment,
        resolution="partly",
        reason="Milestone added for 2028, not 2027.",
    )
    services.section_revise(
        actor=mechanism.secretariat,
        section=draft,
        text="Phase out by 2028; milestone in 2028.",
        note="Comment 1",
    )
    stats = selectors.comment_statistics(draft.cycle)
    assert stats["total"] == 1
    assert stats["institutions"] == [{"name": "Ministry of Health", "total": 1, "pending": 0}]
    assert ConsultationComment.objects.get().resolution_reason.startswith("Milestone added")
    assert draft.versions.count() == 2


def test_a_person_of_another_institution_cannot_comment(mechanism, draft):
    outsider = PersonFactory(
        institution=InstitutionFactory(name="Not a member"), user=UserFactory(role="member")
    )
    with pytest.raises(PermissionDenied):
        services.comment_add(actor=outsider.user, section=draft, text="Hello")


def test_comments_wait_for_the_consultation_to_open(mechanism, draft):
    services.consultation_set_open(actor=mechanism.secretariat, cycle=draft.cycle, open=False)
    draft.cycle.refresh_from_db()
    with pytest.raises(ValidationError):
        services.comment_add(actor=mechanism.voters[0].user, section=draft, text="Late.")


def test_a_transmitted_cycle_keeps_its_draft_and_assessment(mechanism, draft):
    cycle = draft.cycle
    cycle.status = "abandoned"
    cycle.save(update_fields=["status"])
    with pytest.raises(ValidationError):
        services.section_revise(actor=mechanism.secretariat, section=draft, text="Changed.")
    with pytest.raises(ValidationError):
        services.issue_add(actor=mechanism.secretariat, cycle=cycle, title="Late issue")
