"""The official contact point finds on the home page the national report whose sections are all
accepted, awaiting their approval; once approved, it leaves the list and the reminders."""

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting.deadline_providers import reports_awaiting_approval
from reporting.models import Section
from reporting.services import article15 as services

pytestmark = pytest.mark.django_db


def test_the_contact_point_is_asked_to_approve_a_report_ready_for_it(
    client, secretariat, draft, contact_point
):
    contact = contact_point
    client.force_login(contact)
    home = reverse("coordination:dashboard")
    assert "National reports awaiting your approval" not in client.get(home).content.decode()
    for section in Section.objects.filter(round=draft.round):
        services.section_submit(report=draft, section=section, actor=secretariat)
        services.section_review(report=draft, section=section, action="accept", actor=secretariat)
    page = client.get(home).content.decode()
    assert "National reports awaiting your approval" in page
    assert draft.get_absolute_url() in page
    (reminded,) = reports_awaiting_approval(timezone.localdate())
    assert reminded.recipient_ids == (contact.pk,)
    # Nobody else is asked: the secretariat manages the report but does not approve it.
    client.force_login(secretariat)
    assert "National reports awaiting your approval" not in client.get(home).content.decode()
    services.report_approve(report=draft, actor=contact)
    client.force_login(contact)
    assert "National reports awaiting your approval" not in client.get(home).content.decode()
    assert list(reports_awaiting_approval(timezone.localdate())) == []
