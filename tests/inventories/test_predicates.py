"""The state predicates of dataset versions: each one is true where its service acts and false
where the service refuses, by the same rule."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from inventories import services
from inventories.models import DatasetVersion
from tests.inventories.helpers import csv_bytes, customs_row, receive

pytestmark = pytest.mark.django_db
Status = DatasetVersion.Status


@pytest.fixture
def version(focal_point, institution):
    return receive(focal_point, institution, csv_bytes([customs_row(1), customs_row(2)]))


def _review(version, action, actor, comment=""):
    return services.version_review(actor=actor, version=version, action=action, comment=comment)


def _refused(version, action, actor, code="state"):
    with pytest.raises(ValidationError) as refusal:
        _review(version, action, actor, comment="Why")
    assert refusal.value.code == code


def test_each_review_step_is_offered_exactly_when_the_service_takes_it(
    version, focal_point, secretariat
):
    assert version.is_validated and version.status_tone == "success"
    assert version.can_submit_for_review()
    assert not version.can_start_review() and not version.can_decide_review()
    _refused(version, "start", secretariat)
    _refused(version, "accept", secretariat)

    version = _review(version, "submit", focal_point)
    assert not version.can_submit_for_review()
    assert version.can_start_review() and version.can_decide_review()
    _refused(version, "submit", focal_point)

    version = _review(version, "start", secretariat)
    assert not version.can_start_review() and version.can_decide_review()
    _refused(version, "start", secretariat)

    version = _review(version, "return", secretariat, comment="Check row 2.")
    assert version.can_submit_for_review() and not version.can_decide_review()
    _refused(version, "return", secretariat)

    version = _review(version, "submit", focal_point)
    version = _review(version, "accept", secretariat)
    for action in DatasetVersion.REVIEW_MOVES:
        assert not version.allows_review(action)
        _refused(version, action, focal_point if action == "submit" else secretariat)


def test_a_replaced_version_is_no_longer_reviewed(version, focal_point):
    DatasetVersion.objects.filter(pk=version.pk).update(superseded_at=timezone.now())
    version.refresh_from_db()
    assert not version.can_submit_for_review()
    _refused(version, "submit", focal_point, code="superseded")


def test_only_a_version_waiting_for_its_columns_is_mapped(version, focal_point):
    assert not version.awaits_mapping()
    with pytest.raises(ValidationError) as refusal:
        services.version_map_columns(
            actor=focal_point, version=version, column_map={}, value_map={}
        )
    assert refusal.value.code == "state"
    version.status = Status.NEEDS_MAPPING
    assert version.awaits_mapping() and version.status_tone == "warning"


def test_the_progress_and_badge_read_the_status():
    version = DatasetVersion(status=Status.QUEUED)
    assert version.is_waiting and version.is_running and version.status_tone == "info"
    version.status = Status.VALIDATING
    assert not version.is_waiting and version.is_running
    version.status = Status.FAILED
    assert version.has_failed and version.status_tone == "danger"
