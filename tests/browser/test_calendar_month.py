"""The calendar's month counts a day's deadlines; the count opens their list in place."""

import pytest
from django.urls import reverse

from coordination.models import Role, Task
from tests.factories import PASSWORD, UserFactory, days_from_today, workplan_with_task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_days_deadlines_open_in_place(page):
    UserFactory(email="member@ncm.test", role=Role.MEMBER)
    due = days_from_today(14)
    _workplan, task = workplan_with_task(title="PCB inventory", due=due)
    Task.objects.create(
        activity=task.activity,
        title="Customs survey",
        lead_institution=task.lead_institution,
        start_date=days_from_today(-30),
        due_date=due,
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/accounts/login/")
    page.fill("#id_username", "member@ncm.test")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")

    url = reverse("coordination:calendar") + f"?month={due:%Y-%m}"
    page.goto(url)
    cell = page.locator(f"#day-{due.isoformat()}")
    assert "PCB inventory" not in cell.inner_text()
    cell.get_by_role("link", name="2 deadlines").click()
    cell.locator(".calendar-day-deadlines").wait_for()
    assert page.url.endswith(url)  # in place: the page was not left
    text = cell.inner_text()
    assert "PCB inventory" in text and "Customs survey" in text
