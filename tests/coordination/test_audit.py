"""The audit history the secretariat reads: who changed what and when, across models."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from coordination.models import Institution
from reporting.models import Question, Round
from reporting.services import article15 as reports
from reporting.services.article15_answers import answer_save
from tests.factories import InstitutionFactory, workplan_with_task

pytestmark = pytest.mark.django_db

URL = reverse("coordination:audit-log")


def test_the_secretariat_sees_who_changed_which_field(client, secretariat, institution):
    client.force_login(secretariat)
    form = client.get(reverse("coordination:institution-update", args=[institution.pk]))
    assert form.status_code == 200
    data = {
        name: field.value() or ""
        for name, field in form.context["form"].fields.items()
        for field in [form.context["form"][name]]
    }
    data.update(phone="+000 555 0101", mandates=[m.pk for m in institution.mandates.all()])
    data = {k: v for k, v in data.items() if v is not None}
    response = client.post(reverse("coordination:institution-update", args=[institution.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]

    page = client.get(URL).content.decode()
    assert "+000 555 0101" in page
    assert str(secretariat) in page
    assert institution.name in page


def test_changes_to_report_answers_are_in_the_history(client, secretariat, institution):
    report = reports.report_start(round=Round.objects.get(number=6), actor=secretariat)
    question = Question.objects.filter(
        section__round__number=6, kind=Question.Kind.TEXT, prefill=""
    ).first()
    answer_save(
        report=report,
        question=question,
        value="Customs and the EPA share the data.",
        actor=secretariat,
        override_reason="",
    )
    answer_save(
        report=report,
        question=question,
        value="Customs, the EPA and the laboratory.",
        actor=secretariat,
        override_reason="",
    )
    client.force_login(secretariat)
    page = client.get(URL, {"kind": "article15-answer"}).content.decode()
    assert "Customs and the EPA share the data." in page
    assert "Customs, the EPA and the laboratory." in page
    assert "Institutions" not in page.split("<tbody>")[1]


@pytest.mark.parametrize("who", ["viewer", "member", "focal_point"])
def test_only_the_secretariat_and_administrators_read_it(client, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == 403


def test_anonymous_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_page_costs_a_bounded_number_of_queries(client, secretariat):
    for n in range(60):
        institution = InstitutionFactory(name=f"Agency {n}", acronym=f"AG{n}")
        institution.phone = f"+000 {n}"
        institution.save()
    workplan_with_task()
    client.force_login(secretariat)
    client.get(URL)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    assert len(response.context["changes"]) == 50
    assert len(queries) <= 40, [q["sql"][:120] for q in queries]

    older = client.get(URL, {"before": response.context["older"]})
    assert older.status_code == 200
    seen = {(c.key, c.object_id, c.when) for c in response.context["changes"]}
    assert not seen & {(c.key, c.object_id, c.when) for c in older.context["changes"]}
    assert Institution.history.count() >= 120
