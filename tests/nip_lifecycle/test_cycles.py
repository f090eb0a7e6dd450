"""Cycles: the eight steps from their templates, the amendments answered and the transmission
deadline for a Party under the general rule and for an Article 25(4) Party."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nip_lifecycle import services
from nip_lifecycle.models import CycleEvent, ReferenceAmendment, StepTemplate
from tests.nip_lifecycle.factories import reference

pytestmark = pytest.mark.django_db


def test_reference_data_lists_the_cop_amendments_and_the_eight_steps():
    assert ReferenceAmendment.objects.count() == 9
    cop4 = reference("cop-4")
    assert cop4.entry_into_force == datetime.date(2010, 8, 26)
    assert "lindane" in cop4.chemicals
    cop11 = reference("cop-11")
    assert cop11.entry_into_force is None and not cop11.date_confirmed
    assert "unconfirmed" in cop11.note
    assert list(StepTemplate.objects.values_list("number", flat=True)) == list(range(1, 9))


def test_a_cycle_has_eight_steps_with_checklists_deliverables_and_criteria(cycle):
    steps = list(cycle.steps.order_by("number"))
    assert [s.number for s in steps] == list(range(1, 9))
    assert all(s.checklist.exists() and s.deliverables.exists() for s in steps)
    assert [s.number for s in steps if s.needs_technical_review] == [4, 5, 6]
    assert [s.number for s in steps if s.needs_approval] == [4, 5, 6, 7]
    assert cycle.criteria.count() == 6
    assert CycleEvent.objects.filter(cycle=cycle, kind="cycle_created").exists()


def test_deadline_for_a_party_under_the_general_rule(mechanism, cycle):
    """The 2009 amendments entered into force on 26 August 2010: due 26 August 2012."""
    services.amendment_add(actor=mechanism.secretariat, cycle=cycle, reference=reference("cop-4"))
    assert cycle.deadline() == datetime.date(2012, 8, 26)
    # The latest amendment answered decides.
    services.amendment_add(actor=mechanism.secretariat, cycle=cycle, reference=reference("cop-10"))
    assert cycle.deadline() == datetime.date(2025, 11, 16)


def test_deadline_for_an_article_25_4_party_uses_its_own_date(mechanism):
    cycle = mechanism.cycle(article_25_4=True, title="Update for PFHxS")
    with pytest.raises(ValidationError) as refused:
        services.amendment_add(
            actor=mechanism.secretariat, cycle=cycle, reference=reference("cop-10")
        )
    assert "Article 25(4)" in refused.value.message_dict["party_entry_into_force"][0]
    # Ratification deposited on 1 March 2024: bound 90 days later, on 30 May 2024.
    amendment = services.amendment_add(
        actor=mechanism.secretariat,
        cycle=cycle,
        reference=reference("cop-10"),
        party_entry_into_force=datetime.date(2024, 5, 30),
        party_date_note="Ratification deposited on 1 March 2024, plus 90 days.",
    )
    assert amendment.entry_into_force == datetime.date(2023, 11, 16)
    assert cycle.deadline() == datetime.date(2026, 5, 30)


def test_an_amendment_without_a_known_date_needs_the_partys_date(mechanism, cycle):
    with pytest.raises(ValidationError):
        services.amendment_add(
            actor=mechanism.secretariat, cycle=cycle, reference=reference("cop-12")
        )
    services.amendment_add(
        actor=mechanism.secretariat,
        cycle=cycle,
        reference=reference("cop-12"),
        party_entry_into_force=datetime.date(2026, 11, 10),
    )
    assert cycle.deadline() == datetime.date(2028, 11, 10)


def test_the_deadline_can_be_overridden_with_a_reason_only(mechanism, cycle):
    services.amendment_add(actor=mechanism.secretariat, cycle=cycle, reference=reference("cop-4"))
    with pytest.raises(ValidationError):
        services.cycle_set_deadline(
            actor=mechanism.secretariat, cycle=cycle, deadline=datetime.date(2013, 1, 31)
        )
    services.cycle_set_deadline(
        actor=mechanism.secretariat,
        cycle=cycle,
        deadline=datetime.date(2013, 1, 31),
        reason="Extension agreed with the Secretariat.",
    )
    cycle.refresh_from_db()
    assert cycle.deadline() == datetime.date(2013, 1, 31)
    assert cycle.computed_deadline() == datetime.date(2012, 8, 26)
    event = CycleEvent.objects.get(cycle=cycle, kind="deadline_set")
    assert event.reason == "Extension agreed with the Secretariat."
    services.cycle_set_deadline(actor=mechanism.secretariat, cycle=cycle, deadline=None)
    cycle.refresh_from_db()
    assert cycle.deadline() == datetime.date(2012, 8, 26)


def test_only_the_secretariat_of_the_lead_body_manages_the_cycle(mechanism, cycle, member):
    with pytest.raises(PermissionDenied):
        services.amendment_add(actor=member, cycle=cycle, reference=reference("cop-4"))
    with pytest.raises(PermissionDenied):
        # The technical committee's secretariat reviews; it does not manage the cycle.
        services.amendment_add(actor=mechanism.reviewer, cycle=cycle, reference=reference("cop-4"))
