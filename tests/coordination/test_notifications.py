import pytest
from django.urls import reverse

from coordination.models import Notification, NotificationPreference
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_unread_count_and_opening_a_notification(client, member):
    first = Notification.objects.create(user=member, kind="task_due", title="Due", url="/tasks/")
    Notification.objects.create(user=member, kind="task_due", title="Other")
    Notification.objects.create(user=UserFactory(), kind="task_due", title="Not mine")
    client.force_login(member)
    page = client.get(reverse("coordination:notification-list")).content.decode()
    assert 'id="unread-count">2' in page and "Not mine" not in page

    response = client.post(reverse("coordination:notification-open", args=[first.pk]))
    assert response.status_code == 302 and response["Location"] == "/tasks/"
    first.refresh_from_db()
    assert first.read_at is not None

    client.post(reverse("coordination:notification-read-all"))
    assert not Notification.objects.filter(user=member, read_at__isnull=True).exists()


def test_a_notification_never_redirects_off_site(client, member):
    evil = Notification.objects.create(
        user=member, kind="task_due", title="x", url="https://evil.example/"
    )
    client.force_login(member)
    response = client.post(reverse("coordination:notification-open", args=[evil.pk]))
    assert response["Location"] == reverse("coordination:notification-list")


def test_someone_elses_notification_stays_unread(client, member):
    theirs = Notification.objects.create(user=UserFactory(), kind="task_due", title="x")
    client.force_login(member)
    client.post(reverse("coordination:notification-open", args=[theirs.pk]))
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_preferences_page_saves_a_choice_per_kind(client, member):
    client.force_login(member)
    page = client.get(reverse("coordination:notification-preferences")).content.decode()
    assert "Tasks falling due" in page and "Progress reports awaited" in page
    response = client.post(
        reverse("coordination:notification-preferences"),
        {
            "task_due": "digest",
            "progress_report_due": "portal",
            "meeting_ahead": "immediate",
            "minutes_approval": "immediate",
        },
    )
    assert response.status_code == 302
    saved = dict(NotificationPreference.objects.filter(user=member).values_list("kind", "delivery"))
    assert saved["task_due"] == "digest" and saved["progress_report_due"] == "portal"
