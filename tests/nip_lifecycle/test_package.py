"""The endorsement package: rendered by the task through the shared renderer, stored with its
hash, and carrying the ballot result and every annex's SHA-256 (read back from the PDF)."""

import hashlib
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from coordination.models import DocumentVersion
from nip_lifecycle import services, tasks
from nip_lifecycle.models import Cycle, EndorsementPackage, Step
from tests.factories import days_from_today
from tests.nip_lifecycle.factories import reference

pytestmark = pytest.mark.django_db


@pytest.fixture
def endorsed(mechanism, cycle):
    """A cycle with its eight steps completed, endorsed by a ballot, and transmitted."""
    services.amendment_add(actor=mechanism.secretariat, cycle=cycle, reference=reference("cop-4"))
    for step in cycle.steps.order_by("number")[:6]:
        mechanism.carry(step)
    endorsement = mechanism.ballot(
        "Endorse the updated NIP for transmission to the COP?", about=cycle.steps.get(number=7)
    )
    mechanism.carry(cycle.steps.get(number=7), ballot=endorsement)
    contact = _official_contact_point(mechanism)
    services.transmission_record(
        actor=mechanism.secretariat,
        cycle=cycle,
        transmitted_on=days_from_today(-279),
        reference="VER/NIP/2026/01",
        transmitted_by=contact,
        acknowledgment=mechanism.document("Acknowledgment of receipt"),
    )
    mechanism.carry(cycle.steps.get(number=8))
    return cycle, endorsement


def _official_contact_point(mechanism):
    from tests.factories import DesignationFactory, PersonFactory, convention_role

    person = PersonFactory(name="Nadia Haddad")
    DesignationFactory(
        person=person,
        kind="convention",
        convention_role=convention_role("stockholm", "official-contact-point"),
        start_date=days_from_today(-2531),
    )
    return person


@pytest.fixture
def request_package(django_capture_on_commit_callbacks):
    def request(mechanism, cycle):
        with django_capture_on_commit_callbacks(execute=True):
            package = services.package_request(actor=mechanism.secretariat, cycle=cycle)
        package.refresh_from_db()  # the task ran on commit (eagerly in tests)
        return package

    return request


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_the_package_carries_the_ballot_result_and_the_document_hashes(
    mechanism, endorsed, request_package
):
    cycle, endorsement = endorsed
    assert set(cycle.steps.values_list("status", flat=True)) == {Step.Status.COMPLETED}
    package = request_package(mechanism, cycle)
    assert package.status == EndorsementPackage.Status.READY and package.progress == 100
    data = package.file.read()
    assert hashlib.sha256(data).hexdigest() == package.sha256 and len(data) == package.size
    text = pdf_text(data)
    assert endorsement.result["words"] in " ".join(text.split())
    hashes = DocumentVersion.objects.filter(
        document__in=[d.document for s in cycle.steps.all() for d in s.deliverables.all()]
    ).values_list("sha256", flat=True)
    assert len(hashes) == 15
    acknowledgment = Cycle.objects.get(pk=cycle.pk).acknowledgment.versions.get().sha256
    assert acknowledgment in text
    for digest in hashes:
        assert digest in text
    assert "VER/NIP/2026/01" in text
    assert "Data validated." in text


def test_the_task_is_idempotent(mechanism, endorsed, request_package):
    cycle, _ = endorsed
    package = request_package(mechanism, cycle)
    first = (package.sha256, package.file.name)
    tasks.endorsement_package_render(package.pk)
    package.refresh_from_db()
    assert (package.sha256, package.file.name) == first


def test_the_download_returns_the_stored_bytes_unchanged(
    client, mechanism, endorsed, request_package
):
    cycle, _ = endorsed
    package = request_package(mechanism, cycle)
    client.force_login(mechanism.secretariat)
    response = client.get(reverse("nip_lifecycle:package-download", args=[package.pk]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == package.sha256
    progress = client.get(reverse("nip_lifecycle:package-progress", args=[package.pk]))
    assert progress.status_code == 200 and package.sha256 in progress.content.decode()


def test_transmission_is_recorded_only_for_the_official_contact_point(mechanism, cycle):
    from django.core.exceptions import ValidationError

    from tests.factories import PersonFactory

    for step in cycle.steps.order_by("number")[:7]:
        mechanism.carry(step)
    with pytest.raises(ValidationError) as refused:
        services.transmission_record(
            actor=mechanism.secretariat,
            cycle=cycle,
            transmitted_on=days_from_today(-279),
            reference="X",
            transmitted_by=PersonFactory(name="Someone Else"),
        )
    assert "was not the official contact point" in " ".join(refused.value.messages)


def test_a_failed_render_is_recorded_and_shown(client, mechanism, cycle, monkeypatch):
    def broken(template, context):
        raise ValueError("font missing")

    monkeypatch.setattr("ncm_portal.pdf.render_pdf", broken)
    package = EndorsementPackage.objects.create(cycle=cycle, requested_by=mechanism.secretariat)
    with pytest.raises(ValueError):
        tasks.endorsement_package_render(package.pk)
    package.refresh_from_db()
    assert package.status == EndorsementPackage.Status.FAILED and "font missing" in package.error
    client.force_login(mechanism.secretariat)
    progress = client.get(reverse("nip_lifecycle:package-progress", args=[package.pk]))
    assert "font missing" in progress.content.decode()
    download = client.get(reverse("nip_lifecycle:package-download", args=[package.pk]))
    assert download.status_code == 404


def test_a_transient_error_puts_the_package_back_in_the_queue(mechanism, cycle, monkeypatch):
    def unreachable(template, context):
        raise OSError("storage unreachable")

    monkeypatch.setattr("ncm_portal.pdf.render_pdf", unreachable)
    package = EndorsementPackage.objects.create(cycle=cycle, requested_by=mechanism.secretariat)
    with pytest.raises(OSError):
        services.package_render(package_id=package.pk)
    package.refresh_from_db()
    assert package.status == EndorsementPackage.Status.QUEUED  # the retry renders it


def test_a_package_in_progress_is_polled(client, mechanism, cycle):
    package = EndorsementPackage.objects.create(cycle=cycle, status="rendering", progress=30)
    client.force_login(mechanism.secretariat)
    body = client.get(reverse("nip_lifecycle:package-progress", args=[package.pk])).content
    assert b'hx-trigger="every 2s"' in body and b'value="30"' in body
