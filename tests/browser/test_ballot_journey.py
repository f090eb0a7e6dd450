"""A ballot from creation to its frozen result and PDF record, in headless Chromium."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from coordination import services
from coordination.ballots import services as votes
from coordination.models import Ballot, Designation, Role
from tests.browser.helpers import sign_in
from tests.factories import (
    DesignationFactory,
    InstitutionFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_ballot_is_voted_closed_and_recorded(page):
    secretariat = UserFactory(email="secretariat@ncm.test", role=Role.SECRETARIAT)
    body = services.body_create(actor=secretariat, name="Steering Committee", kind="steering")
    voters = {}
    for name, acronym in (("Ministry of Health", "MoH"), ("Customs", "VCS")):
        institution = InstitutionFactory(name=name, acronym=acronym)
        MembershipFactory(body=body, institution=institution)
        for capacity in (Designation.Capacity.PRINCIPAL, Designation.Capacity.ALTERNATE):
            email = f"{acronym.lower()}.{capacity}@ncm.test"
            person = PersonFactory(
                institution=institution,
                name=f"{acronym} {capacity}",
                user=UserFactory(email=email, role=Role.MEMBER),
            )
            DesignationFactory(
                person=person, kind=Designation.Kind.REPRESENTATIVE, body=body, capacity=capacity
            )
            voters[(acronym, capacity)] = email

    sign_in(page, "secretariat@ncm.test")
    page.goto(reverse("coordination:body-detail", args=[body.pk]))
    page.get_by_role("link", name="New ballot").click()
    page.fill("#id_question", "Adopt the joint workplan 2026-2027?")
    page.fill(
        "#id_closes_at",
        (timezone.localtime() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
    )
    page.click("#submit-id-submit")
    page.wait_for_selector("text=Ballot created.")
    ballot_url = page.url
    page.get_by_role("button", name="Open the ballot now").click()
    page.wait_for_selector("text=The ballot is open.")

    # The Ministry of Health votes through its principal; Customs through its alternate.
    for email in (voters[("MoH", "principal")], voters[("VCS", "alternate")]):
        sign_in(page, email)
        page.goto(ballot_url)
        page.get_by_label("Yes").check()
        page.get_by_role("button", name="Cast the vote").click()
        page.wait_for_selector("text=Vote recorded. Your receipt code is")
        assert len(page.locator("#receipt").inner_text()) == 19
    page.goto(ballot_url)
    assert page.locator("#turnout").inner_text() == "2 / 2"

    # The principal of Customs comes too late: the alternate's vote binds the institution, and
    # the page says so instead of offering a form that would refuse the vote.
    sign_in(page, voters[("VCS", "principal")])
    page.goto(ballot_url)
    assert "VCS alternate voted for Customs" in page.locator("#voted-for-me").inner_text()
    assert page.get_by_role("button", name="Cast the vote").count() == 0

    # The deadline passes; the sweeper closes the ballot.
    ballot = Ballot.objects.get(question__startswith="Adopt the joint workplan")
    votes.sweep(now=ballot.closes_at + datetime.timedelta(seconds=1))
    sign_in(page, "secretariat@ncm.test")
    page.goto(ballot_url)
    assert page.locator(".ballot-status").inner_text() == "Closed"
    assert "Adopted." in page.locator("#result .outcome").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Record of the vote (PDF)").click()
    path = download.value.path()
    with open(path, "rb") as handle:
        assert handle.read(5) == b"%PDF-"
