"""The Django admin shows what has a life of its own (ballots, designations, memberships,
meetings and their attendance, tasks...) read-only: its changes go through the services."""

import datetime

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from coordination import models
from coordination import services as registry
from coordination.ballots import services as votes
from tests.factories import DesignationFactory

pytestmark = pytest.mark.django_db

SERVICE_ONLY = [
    models.Ballot,
    models.Designation,
    models.Membership,
    models.Attendance,
    models.Reply,
    models.Task,
    models.Meeting,
    models.Minutes,
    models.WorkplanRevision,
    models.ReportingRound,
    models.ProgressReport,
]


@pytest.mark.parametrize("model", SERVICE_ONLY, ids=lambda m: m.__name__)
def test_the_admin_cannot_add_change_or_delete_what_has_a_service(admin_user, model):
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    model_admin = admin.site._registry[model]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, None)
    assert not model_admin.has_delete_permission(request, None)
    assert model_admin.has_view_permission(request, None)
    for inline in model_admin.get_inline_instances(request, None):
        assert not inline.has_add_permission(request, None)
        assert not inline.has_change_permission(request, None)


def test_a_ballot_cannot_be_closed_by_hand_in_the_admin(client, admin_user, secretariat):
    body = registry.body_create(actor=secretariat, name="Council", kind="ncm")
    ballot = votes.ballot_create(
        actor=secretariat,
        body=body,
        question="Adopt?",
        closes_at=timezone.now() + datetime.timedelta(days=7),
    )
    client.force_login(admin_user)
    url = reverse("admin:coordination_ballot_change", args=[ballot.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    response = client.post(url, {"question": "Adopt?", "status": "closed", "kind": ballot.kind})
    assert response.status_code == 403
    ballot.refresh_from_db()
    assert ballot.status == models.Ballot.Status.DRAFT
    assert not ballot.events.filter(kind="closed").exists()


def test_a_designation_cannot_be_ended_in_the_admin(client, admin_user):
    designation = DesignationFactory()
    client.force_login(admin_user)
    url = reverse("admin:coordination_designation_change", args=[designation.pk])
    response = client.post(url, {"end_date": timezone.localdate().isoformat()})
    assert response.status_code == 403
    designation.refresh_from_db()
    assert designation.end_date is None
