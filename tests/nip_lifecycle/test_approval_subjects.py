"""A step's approval cites only a decision taken on that very step: a closed ballot that adopted
it, or a decision in approved minutes under an agenda item about it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from nip_lifecycle import forms, services
from nip_lifecycle.models import Step

pytestmark = pytest.mark.django_db


def _cleared(mechanism, cycle, number=5) -> Step:
    actor = mechanism.secretariat
    step = services.step_start(actor=actor, step=cycle.steps.get(number=number))
    step = mechanism.fulfil(step)
    if step.needs_technical_review:
        step = services.step_submit_for_review(actor=actor, step=step)
        services.step_review(actor=mechanism.reviewer, step=step, outcome="cleared", text="OK.")
    return Step.objects.get(pk=step.pk)


def test_an_unrelated_adopted_ballot_does_not_approve_a_step(mechanism, cycle):
    step = _cleared(mechanism, cycle)
    unrelated = mechanism.ballot("Adopt the joint workplan 2026-2027?")
    other_step = mechanism.ballot("Approve step 4?", about=cycle.steps.get(number=4))
    for ballot in (unrelated, other_step):
        assert ballot.result["outcome"] == "adopted"
        with pytest.raises(ValidationError) as refused:
            services.step_approve(actor=mechanism.secretariat, step=step, ballot=ballot)
        assert refused.value.error_dict["ballot"][0].code == "unrelated"
    assert Step.objects.get(pk=step.pk).status == Step.Status.CLEARED
    tied = mechanism.ballot("Approve step 5?", about=step)
    rejected = mechanism.ballot("Approve step 5 (first try)?", about=step, choices=("no", "no"))
    form = forms.ApprovalForm(committee=mechanism.sc, step=step)
    assert list(form.fields["ballot"].queryset) == [tied]  # neither unrelated nor rejected
    assert rejected not in form.fields["ballot"].queryset
    step = services.step_approve(actor=mechanism.secretariat, step=step, ballot=tied)
    assert step.status == Step.Status.APPROVED and step.approval_ballot == tied


def test_a_decision_in_minutes_counts_only_under_an_agenda_item_about_the_step(mechanism, cycle):
    step = _cleared(mechanism, cycle)
    unrelated = mechanism.minutes_item("The workplan is adopted.")
    with pytest.raises(ValidationError) as refused:
        services.step_approve(actor=mechanism.secretariat, step=step, minutes_item=unrelated)
    assert refused.value.error_dict["minutes_item"][0].code == "unrelated"
    tied = mechanism.minutes_item("Step 5 is approved.", about=step)
    form = forms.ApprovalForm(committee=mechanism.sc, step=step)
    assert list(form.fields["minutes_item"].queryset) == [tied]
    step = services.step_approve(actor=mechanism.secretariat, step=step, minutes_item=tied)
    assert step.approval_minutes_item == tied


def test_the_step_page_puts_the_step_to_a_vote_or_on_an_agenda(client, mechanism, cycle):
    import datetime

    from django.utils import timezone

    from coordination.models import AgendaItem, Ballot, Meeting

    step = _cleared(mechanism, cycle)
    start = timezone.now() + datetime.timedelta(days=20)
    end = start + datetime.timedelta(hours=3)
    meeting = Meeting.objects.create(
        body=mechanism.sc, title="Steering Committee, 2nd meeting", start=start, end=end
    )
    client.force_login(mechanism.secretariat)
    page = client.get(step.get_absolute_url()).content.decode()
    vote_url = reverse("coordination:ballot-create", args=[mechanism.sc.pk]) + f"?step={step.pk}"
    agenda_url = reverse("coordination:agenda-create", args=[meeting.pk]) + f"?step={step.pk}"
    assert vote_url in page and agenda_url in page
    closes = (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        vote_url,
        {
            "question": "Approve step 5?",
            "kind": "yes_no",
            "electorate": "institutions",
            "quorum_share": "0.5",
            "majority": "simple",
            "closes_at": closes,
        },
    )
    assert response.status_code == 302
    assert Ballot.objects.get(question="Approve step 5?").decides == step
    response = client.post(agenda_url, {"title": "Step 5", "expected_outcome": "decision"})
    assert response.status_code == 302
    assert AgendaItem.objects.get(meeting=meeting, title="Step 5").subject == step
    # Another body's meeting cannot take the step on its agenda.
    foreign = Meeting.objects.create(
        body=mechanism.tc, title="Technical Committee", start=start, end=end
    )
    url = reverse("coordination:agenda-create", args=[foreign.pk]) + f"?step={step.pk}"
    assert client.get(url).status_code == 404
