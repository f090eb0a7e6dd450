"""Designation, membership and terms-of-reference letters get the library's content check: a
file that is not what its name says, or an Office file carrying macros, is refused with the
reason, through the services and through the pages."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from coordination import services
from coordination.models import Designation, Membership
from tests.factories import InstitutionFactory, PersonFactory
from tests.ncm_portal.test_uploads import DOCX, PDF, ooxml, png

pytestmark = pytest.mark.django_db

MACRO_DOCX = ooxml(DOCX, parts=["word/vbaProject.bin"])


@pytest.fixture
def body(secretariat):
    return services.body_create(actor=secretariat, name="Technical Committee", kind="technical")


def test_a_designation_letter_that_is_not_a_pdf_is_refused(secretariat):
    person = PersonFactory()
    with pytest.raises(ValidationError) as refused:
        services.designation_create(
            actor=secretariat,
            person=person,
            institution=person.institution,
            kind=Designation.Kind.INSTITUTION_FOCAL_POINT,
            start_date=timezone.localdate(),
            letter=SimpleUploadedFile("letter.pdf", png()),
        )
    assert "it holds a PNG image" in refused.value.message_dict["letter"][0]
    assert not Designation.objects.filter(person=person).exists()


def test_a_membership_letter_carrying_macros_is_refused(secretariat, body):
    institution = InstitutionFactory()
    with pytest.raises(ValidationError) as refused:
        services.membership_add(
            actor=secretariat,
            body=body,
            institution=institution,
            start_date=timezone.localdate(),
            invitation_letter=SimpleUploadedFile("invitation.docx", MACRO_DOCX),
        )
    assert "carries macros" in refused.value.message_dict["invitation_letter"][0]
    assert not Membership.objects.filter(institution=institution).exists()
    # A real PDF passes.
    membership = services.membership_add(
        actor=secretariat,
        body=body,
        institution=institution,
        start_date=timezone.localdate(),
        invitation_letter=SimpleUploadedFile("invitation.pdf", PDF),
    )
    assert membership.invitation_letter.name.endswith(".pdf")
    # Saving the row again does not read the stored file again.
    services.membership_end(
        actor=secretariat,
        membership=membership,
        end_date=timezone.localdate() + datetime.timedelta(days=1),
    )


def test_terms_of_reference_are_checked_on_the_page(client, secretariat, body):
    client.force_login(secretariat)
    response = client.post(
        reverse("coordination:body-update", args=[body.pk]),
        {
            "name": body.name,
            "kind": body.kind,
            "notice_period_days": 14,
            "quorum_share": "0.50",
            "meetings_per_year": 2,
            "active": "on",
            "terms_of_reference": SimpleUploadedFile("terms.docx", MACRO_DOCX),
        },
    )
    assert response.status_code == 200
    assert "carries macros" in response.content.decode()
    body.refresh_from_db()
    assert not body.terms_of_reference
