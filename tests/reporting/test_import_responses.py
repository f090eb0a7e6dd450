"""Rotterdam import responses as a workflow: opened with the obligation from the decision
guidance document's dispatch; drafted; approved only by citing the steering committee's own
decision on it (a closed ballot that adopted it, or a decision in approved minutes); transmitted
by the designated national authority, which meets the obligation; customs lines under its HS
codes and the export notifications received shown beside it."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from coordination.models import Ballot, Body, Convention
from reporting.models import ImportResponse, ObligationEvent
from reporting.obligations import rotterdam, services
from reporting.obligations.register import add_months
from tests.factories import BodyFactory, days_from_today
from tests.reporting.article15_helpers import customs_version
from tests.reporting.obligations_helpers import role_holder

pytestmark = pytest.mark.django_db
Decision = ImportResponse.Decision


@pytest.fixture
def committees(db):
    rotterdam_ = Convention.objects.filter(code="rotterdam")
    tc = BodyFactory(name="Technical Committee", kind=Body.Kind.TECHNICAL)
    sc = BodyFactory(name="Steering Committee", kind=Body.Kind.STEERING)
    for body in (tc, sc):
        body.conventions.set(rotterdam_)
    return tc, sc


@pytest.fixture
def dna(db):
    return role_holder("rotterdam", "designated-national-authority", "dna@ncm.test")


@pytest.fixture
def response(secretariat, committees, dna):
    instance = services.obligation_open(
        obligation="rotterdam-import-response",
        subject="Chemical R",
        hs_codes="3824.82",
        trigger_date=days_from_today(-60),
        actor=secretariat,
    )
    return instance.import_response


def adopting_ballot(body, thing) -> Ballot:
    """A closed ballot of ``body`` that adopted ``thing``."""
    now = timezone.now()
    return Ballot.objects.create(
        body=body,
        question="Approve the import response?",
        kind=Ballot.Kind.YES_NO,
        status=Ballot.Status.CLOSED,
        result={"outcome": "adopted", "words": "Adopted"},
        decides_type=ContentType.objects.get_for_model(thing),
        decides_id=thing.pk,
        opens_at=now - datetime.timedelta(days=3),
        closes_at=now - datetime.timedelta(days=1),
        opened_at=now - datetime.timedelta(days=3),
        closed_at=now - datetime.timedelta(days=1),
    )


def test_opening_an_import_response_prepares_its_decision_with_the_committees(response, committees):
    tc, sc = committees
    assert response.status == ImportResponse.Status.PREPARING
    assert (response.technical_committee, response.steering_committee) == (tc, sc)
    assert response.obligation.due_on == add_months(response.dgd_dispatched_on, 9)
    assert response.codes == ["3824.82"]
    assert not response.obligation.can_complete()  # met only by the transmission


def test_the_whole_journey_meets_the_obligation_on_time(response, secretariat, dna, committees):
    _tc, sc = committees
    with pytest.raises(ValidationError):  # conditions are stated
        rotterdam.import_response_draft(
            response=response, decision=Decision.CONSENT_CONDITIONS, conditions="", actor=dna
        )
    response = rotterdam.import_response_draft(
        response=response,
        decision=Decision.CONSENT_CONDITIONS,
        conditions="Only for registered uses, under import licence.",
        actor=dna,
    )
    assert response.status == ImportResponse.Status.PROPOSED
    with pytest.raises(ValidationError):  # no decision to cite
        rotterdam.import_response_approve(response=response, actor=secretariat)
    ballot = adopting_ballot(sc, response)
    assert rotterdam.approval_candidates(response)["ballots"] == [ballot]
    with pytest.raises(PermissionDenied):
        rotterdam.import_response_approve(response=response, ballot=ballot, actor=dna)
    response = rotterdam.import_response_approve(
        response=response, ballot=ballot, actor=secretariat
    )
    assert response.status == ImportResponse.Status.APPROVED
    with pytest.raises(ValidationError):
        rotterdam.import_response_draft(
            response=response, decision=Decision.CONSENT, conditions="", actor=dna
        )
    response = rotterdam.import_response_transmit(
        response=response, transmitted_on=days_from_today(0), reference="PIC-IR-1", actor=dna
    )
    obligation = response.obligation
    obligation.refresh_from_db()
    assert response.status == ImportResponse.Status.TRANSMITTED
    assert obligation.completed_on == days_from_today(0) and obligation.met_on_time
    actions = list(obligation.events.values_list("action", flat=True))
    assert actions == ["opened", "drafted", "approved", "completed"]


def test_a_ballot_of_another_body_or_on_another_thing_is_refused(response, secretariat, dna):
    rotterdam.import_response_draft(
        response=response, decision=Decision.NO_CONSENT, conditions="", actor=dna
    )
    other_body = BodyFactory(name="Working Group", kind=Body.Kind.WORKING_GROUP)
    with pytest.raises(ValidationError):
        rotterdam.import_response_approve(
            response=response, ballot=adopting_ballot(other_body, response), actor=secretariat
        )
    with pytest.raises(ValidationError):
        rotterdam.import_response_approve(
            response=response,
            ballot=adopting_ballot(response.steering_committee, other_body),
            actor=secretariat,
        )


def test_only_the_secretariat_and_the_dna_act_on_it(response, member):
    basel = role_holder("basel", "focal-point", "bfp@ncm.test")
    for user in (member, basel):
        with pytest.raises(PermissionDenied):
            rotterdam.import_response_draft(
                response=response, decision=Decision.NO_CONSENT, conditions="", actor=user
            )
        with pytest.raises(PermissionDenied):
            rotterdam.export_notification_record(
                response=response,
                received_on=days_from_today(0),
                exporting_party="Atlantis",
                actor=user,
            )


def test_the_page_shows_customs_lines_under_its_codes_and_export_notifications(
    client, response, dna, viewer
):
    customs = response.obligation.responsible_institution
    since = response.dgd_dispatched_on
    year = since.year
    lines = [
        (since + datetime.timedelta(days=1), "import", "3824.82.00", "DE", "12.5"),
        (since - datetime.timedelta(days=1), "import", "3824.82", "DE", "99"),
    ]
    customs_version(
        customs, year=year, lines=[ln for ln in lines if ln[0].year == year], sha="d4" * 32
    )
    rotterdam.export_notification_record(
        response=response,
        received_on=days_from_today(-2),
        exporting_party="Atlantis",
        reference="EN-7",
        actor=dna,
    )
    assert response.obligation.events.filter(
        action=ObligationEvent.Action.EXPORT_NOTIFICATION
    ).exists()
    client.force_login(viewer)
    page = client.get(reverse("reporting:import-response", args=[response.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    if lines[0][0] <= days_from_today(0):
        assert "3824.82.00" in html
    assert "Atlantis" in html and "EN-7" in html
    assert "Record the draft decision" not in html  # a viewer is offered no form
    client.force_login(dna)
    html = client.get(reverse("reporting:import-response", args=[response.pk])).content.decode()
    assert "Record the draft decision" in html and "Record the approval" not in html


def test_drafting_through_the_page_then_the_secretariat_is_offered_the_approval(
    client, response, dna, secretariat
):
    client.force_login(dna)
    url = reverse("reporting:import-response-draft", args=[response.pk])
    assert client.post(url, {"decision": "no_consent"}).status_code == 302
    assert (
        client.post(
            reverse("reporting:import-response-approve", args=[response.pk]), {}
        ).status_code
        == 403
    )
    client.force_login(secretariat)
    html = client.get(reverse("reporting:import-response", args=[response.pk])).content.decode()
    assert "Put it to a vote of the steering committee" in html


def test_the_steering_committee_can_be_asked_to_vote_on_it(client, response, admin_user):
    client.force_login(admin_user)
    url = reverse("coordination:ballot-create", args=[response.steering_committee.pk])
    page = client.get(url + f"?import_response={response.pk}")
    assert page.status_code == 200
    assert "Approve: Import response: Chemical R?" in page.content.decode()


def test_the_reminder_and_what_needs_me_link_to_the_response_page(
    secretariat, committees, dna, today
):
    from coordination.home.selectors import me_for
    from ncm_portal import deadlines

    response = services.obligation_open(
        obligation="rotterdam-import-response",
        subject="Chemical S",
        trigger_date=days_from_today(-250),
        actor=secretariat,
    ).import_response  # due within the reminders' 90 days
    key = f"obligation:{response.obligation.pk}"
    reminded = {d.key: d for d in deadlines.get("convention_obligation_due").provider(today)}
    listed = {d.key: d for d in deadlines.for_person(me_for(dna, on=today), today)}
    assert reminded[key].url == listed[key].url == response.get_absolute_url()
