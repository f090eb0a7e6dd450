"""A national report whose sections are all accepted is brought, through the reminder engine, to
the approver of its own convention, in that person's language: the Basel focal point for a
Basel annual report, the Stockholm official contact point for an Article 15 report, the
Minamata national focal point for an Article 21 report, and none of them for another's."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import formats, timezone, translation

from coordination.reminders.services import send_due_reminders
from reporting.deadline_providers import reports_awaiting_approval
from reporting.models import Round
from reporting.services import article15 as services
from tests.reporting.obligations_helpers import role_holder
from tests.reporting.test_national_reports import _accept_everything

pytestmark = pytest.mark.django_db


@pytest.fixture
def approvers(db):
    basel = role_holder("basel", "focal-point", "basel.focal@ncm.test")
    basel.language, basel.time_zone = "fr", "Europe/Paris"
    basel.save(update_fields=["language", "time_zone"])
    stockholm = role_holder("stockholm", "official-contact-point", "ocp@ncm.test")
    minamata = role_holder("minamata", "national-focal-point", "hg.focal@ncm.test")
    return {"basel": basel, "stockholm": stockholm, "minamata": minamata}


def _ready(round_, secretariat):
    report = services.report_start(round=round_, actor=secretariat)
    _accept_everything(report, secretariat)
    return report


@pytest.fixture
def ready(secretariat, today):
    """A Basel annual report (on the year before this one: due at the end of this year) and the
    sixth Article 15 report, every section accepted."""
    return {
        "basel": _ready(Round.objects.get(convention="basel", number=today.year - 1), secretariat),
        "stockholm": _ready(Round.objects.get(convention="stockholm", number=6), secretariat),
    }


def _by_report(on):
    return {d.url: d.recipient_ids for d in reports_awaiting_approval(on)}


def test_each_report_awaits_the_approver_of_its_own_convention(approvers, ready, today):
    found = _by_report(today)
    assert found == {
        ready["basel"].get_absolute_url(): (approvers["basel"].pk,),
        ready["stockholm"].get_absolute_url(): (approvers["stockholm"].pk,),
    }


def test_the_basel_approver_is_mailed_the_basel_one_in_french_and_not_the_stockholm_one(
    approvers, ready
):
    basel = ready["basel"]
    due = basel.round.due
    send_due_reminders(on=due)
    link = basel.get_absolute_url()
    to_basel = [m for m in mail.outbox if m.to == [approvers["basel"].email]]
    to_stockholm = [m for m in mail.outbox if m.to == [approvers["stockholm"].email]]
    assert len(to_basel) == 1
    (message,) = to_basel
    assert link in message.body
    assert ready["stockholm"].get_absolute_url() not in message.body
    assert "Un rapport national attend votre approbation" in message.subject
    with translation.override("fr"):
        assert formats.date_format(due, "DATE_FORMAT") in message.body
    assert not any(link in m.body for m in to_stockholm)
    assert not any(link in m.body for m in mail.outbox if m.to == [approvers["minamata"].email])


def test_the_stockholm_approver_is_mailed_the_stockholm_one_and_not_the_basel_one(approvers, ready):
    stockholm = ready["stockholm"]
    send_due_reminders(on=stockholm.round.due)
    link = stockholm.get_absolute_url()
    to_stockholm = [m for m in mail.outbox if m.to == [approvers["stockholm"].email]]
    assert [m for m in to_stockholm if link in m.body]
    assert not any(ready["basel"].get_absolute_url() in m.body for m in to_stockholm)
    assert not any(link in m.body for m in mail.outbox if m.to == [approvers["basel"].email])


def test_the_home_page_lists_it_for_its_approver_only_and_approval_ends_it(
    client, approvers, ready, today
):
    home = reverse("coordination:dashboard")
    basel = ready["basel"]
    client.force_login(approvers["basel"])
    page = client.get(home).content.decode()
    assert basel.get_absolute_url() in page
    assert ready["stockholm"].get_absolute_url() not in page
    for other in ("stockholm", "minamata"):
        client.force_login(approvers[other])
        assert basel.get_absolute_url() not in client.get(home).content.decode()
    services.report_approve(report=basel, actor=approvers["basel"])
    assert basel.get_absolute_url() not in _by_report(timezone.localdate())


def test_a_minamata_report_goes_to_the_minamata_focal_point(approvers, secretariat, today):
    round_ = Round.objects.filter(convention="minamata").order_by("-deadline").first()
    report = _ready(round_, secretariat)
    assert _by_report(today)[report.get_absolute_url()] == (approvers["minamata"].pk,)
