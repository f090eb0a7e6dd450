"""The dataset pages from the outside: who may see and do what, and what each page shows."""

import datetime
import io
import json

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coordination.models import Designation, Role
from coordination.services import focal_point_permissions_sync
from inventories import services
from inventories.models import ApiToken, DatasetVersion, SubmissionSchedule
from tests.factories import DesignationFactory, PersonFactory, UserFactory
from tests.inventories.helpers import CUSTOMS_HEADER, committed, csv_bytes, customs_row, receive

pytestmark = pytest.mark.django_db
Status = DatasetVersion.Status


@pytest.fixture
def other_focal_point(other_institution):
    user = UserFactory(email="other.focal@ncm.test", role=Role.FOCAL_POINT)
    person = PersonFactory(institution=other_institution, user=user)
    DesignationFactory(person=person, kind=Designation.Kind.INSTITUTION_FOCAL_POINT)
    focal_point_permissions_sync()
    return user


@pytest.fixture
def version(focal_point, institution):
    rows = [customs_row(1), customs_row(2, net_mass_kg="-1"), customs_row(3)]
    return receive(focal_point, institution, csv_bytes(rows))


def upload_post(client, institution, content, name="customs.csv", **extra):
    data = {
        "institution": institution.pk,
        "dataset_type": "customs",
        "period_start": "2025-01-01",
        "period_end": "2025-12-31",
        "day_first": "1",
        "decimal_comma": "0",
        "sheet": "",
        "file": SimpleUploadedFile(name, content),
        **extra,
    }
    with committed():
        return client.post(reverse("inventories:upload"), data)


def test_anonymous_users_are_sent_to_sign_in(client, version):
    for url in (
        reverse("inventories:index"),
        reverse("inventories:upload"),
        reverse("inventories:version-detail", args=[version.pk]),
        reverse("inventories:version-rejected", args=[version.pk]),
        reverse("inventories:version-raw", args=[version.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_a_focal_point_uploads_and_sees_the_outcome(client, focal_point, institution):
    client.force_login(focal_point)
    rows = [customs_row(1), customs_row(2, declared_on="2025-13-01"), customs_row(3)]
    response = upload_post(client, institution, csv_bytes(rows))
    version = DatasetVersion.objects.get()
    assert response.status_code == 302 and response["Location"] == version.get_absolute_url()
    page = client.get(version.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert 'id="rows-accepted">2<' in text and 'id="rows-rejected">1<' in text
    assert "2025-13-01" in text and "not a date" in text
    rejected = client.get(reverse("inventories:version-rejected", args=[version.pk]))
    body = b"".join(rejected.streaming_content).decode("utf-8-sig")
    lines = body.strip().splitlines()
    assert lines[0].startswith("Row,Column,Reason,declaration_id")
    assert lines[1].startswith("3,declared_on,") and "VR-2025-000002" in lines[1]
    raw = client.get(reverse("inventories:version-raw", args=[version.pk]))
    assert b"".join(raw.streaming_content) == csv_bytes(rows)


def test_bad_input_in_the_form_gets_a_message_and_no_version(client, focal_point, institution):
    client.force_login(focal_point)
    response = upload_post(client, institution, b"\x00\x01", name="customs.pdf")
    assert response.status_code == 400
    assert "not accepted" in response.content.decode()
    assert not DatasetVersion.objects.exists()


def test_the_same_file_twice_says_so(client, focal_point, institution):
    client.force_login(focal_point)
    content = csv_bytes([customs_row(1)])
    upload_post(client, institution, content)
    response = upload_post(client, institution, content)
    assert DatasetVersion.objects.count() == 1
    page = client.get(response["Location"])
    assert "already uploaded" in page.content.decode()


def test_the_upload_form_offers_only_my_institutions(
    client, focal_point, institution, other_institution
):
    client.force_login(focal_point)
    page = client.get(reverse("inventories:upload")).content.decode()
    assert institution.name in page and other_institution.name not in page
    response = upload_post(client, other_institution, csv_bytes([customs_row(1)]))
    assert response.status_code == 400 and not DatasetVersion.objects.exists()


def test_members_and_viewers_cannot_upload(client, member, viewer):
    for user in (member, viewer):
        client.force_login(user)
        assert client.get(reverse("inventories:upload")).status_code == 403


def test_another_institution_cannot_see_a_dataset(client, version, other_focal_point, member):
    for user in (other_focal_point, member):
        client.force_login(user)
        for name in ("version-detail", "version-rejected", "version-raw"):
            assert client.get(reverse(f"inventories:{name}", args=[version.pk])).status_code == 403
        assert (
            client.get(reverse("inventories:dataset-detail", args=[version.dataset_id])).status_code
            == 403
        )
        listing = client.get(reverse("inventories:dataset-list")).content.decode()
        assert f'href="/inventories/datasets/{version.dataset_id}/"' not in listing


def test_the_review_goes_from_submission_to_acceptance(client, version, focal_point, secretariat):
    client.force_login(focal_point)
    url = lambda action: reverse("inventories:version-review", args=[version.pk, action])  # noqa: E731
    assert client.post(url("accept")).status_code == 403  # the institution cannot accept its own
    client.post(url("submit"))
    version.refresh_from_db()
    assert version.review_status == "submitted"
    client.force_login(secretariat)
    client.post(url("return"), {"comment": ""})
    version.refresh_from_db()
    assert version.review_status == "submitted"  # a return needs its reason
    client.post(url("return"), {"comment": "Row 3 mass looks like grams."})
    version.refresh_from_db()
    assert version.review_status == "returned"
    assert version.events.filter(action="review_return", note__contains="grams").exists()
    client.force_login(focal_point)
    client.post(url("submit"))
    client.force_login(secretariat)
    client.post(url("accept"))
    version.refresh_from_db()
    assert version.review_status == "accepted"
    assert version.dataset.accepted_version_id == version.pk
    queue = client.get(reverse("inventories:review-queue"))
    assert queue.status_code == 200


def test_the_review_queue_is_for_reviewers(client, focal_point, member):
    for user in (focal_point, member):
        client.force_login(user)
        assert client.get(reverse("inventories:review-queue")).status_code == 403


def test_mapping_page_maps_columns(client, focal_point, institution):
    client.force_login(focal_point)
    header = ["Decl", "Date", "Flow", "HS", "Origin", "Mass"]
    row = {
        "Decl": "A1",
        "Date": "2025-02-01",
        "Flow": "import",
        "HS": "2903.92",
        "Origin": "IN",
        "Mass": "25",
    }
    upload_post(client, institution, csv_bytes([row], header=header))
    version = DatasetVersion.objects.get()
    assert version.status == Status.NEEDS_MAPPING
    page = client.get(version.get_absolute_url()).content.decode()
    assert 'id="map-form"' in page
    data = {f"col__{c}": "" for c in CUSTOMS_HEADER}
    data.update(
        {
            "col__declaration_id": "Decl",
            "col__declared_on": "Date",
            "col__flow": "Flow",
            "col__hs_code": "HS",
            "col__origin_country": "Origin",
            "col__net_mass_kg": "Mass",
            "remember": "on",
        }
    )
    with committed():
        response = client.post(reverse("inventories:version-map", args=[version.pk]), data)
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == Status.VALIDATED and version.rows_accepted == 1


def test_a_failed_version_can_be_read_again_with_other_settings(client, focal_point, institution):
    client.force_login(focal_point)
    rows = [customs_row(1, declared_on="03/14/2025")]
    upload_post(client, institution, csv_bytes(rows))
    version = DatasetVersion.objects.get()
    assert version.rows_rejected == 1  # read day first, 14 is not a month
    # A file that fails as a whole (here: a sheet that does not exist) can be read again.
    book = openpyxl.Workbook()
    book.active.title = "Declarations"
    book.active.append(CUSTOMS_HEADER)
    book.active.append([customs_row(5)[c] for c in CUSTOMS_HEADER])
    buffer = io.BytesIO()
    book.save(buffer)
    upload_post(
        client,
        institution,
        buffer.getvalue(),
        name="extract.xlsx",
        sheet="Sheet9",
        period_start="2026-01-01",
        period_end="2026-03-31",
    )
    failed = DatasetVersion.objects.exclude(pk=version.pk).get()
    assert failed.status == Status.FAILED and "Declarations" in failed.error
    with committed():
        client.post(
            reverse("inventories:version-retry", args=[failed.pk]),
            {"day_first": "1", "decimal_comma": "0", "sheet": "Declarations"},
        )
    failed.refresh_from_db()
    assert failed.status == Status.VALIDATED and failed.rows_accepted == 1


def test_the_progress_partial_polls_while_running_and_refreshes_when_done(
    client, version, focal_point
):
    client.force_login(focal_point)
    DatasetVersion.objects.filter(pk=version.pk).update(
        status=Status.VALIDATING, rows_estimated=100
    )
    partial = client.get(reverse("inventories:version-progress", args=[version.pk]))
    assert 'hx-trigger="every 2s"' in partial.content.decode()
    DatasetVersion.objects.filter(pk=version.pk).update(status=Status.VALIDATED)
    done = client.get(
        reverse("inventories:version-progress", args=[version.pk]), HTTP_HX_REQUEST="true"
    )
    assert done["HX-Refresh"] == "true"


def test_type_pages_document_the_schema_and_serve_templates(client, viewer):
    client.force_login(viewer)
    page = client.get(reverse("inventories:type-detail", args=["monitoring"])).content.decode()
    assert "below_limit" in page and "LOQ" in page
    csv_template = client.get(reverse("inventories:type-template", args=["customs", "csv"]))
    assert csv_template.content.decode("utf-8-sig").splitlines()[0] == ",".join(CUSTOMS_HEADER)
    xlsx_template = client.get(reverse("inventories:type-template", args=["pcb", "xlsx"]))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_template.content)).active
    assert [c.value for c in next(sheet.iter_rows(max_row=1))][:3] == [
        "owner",
        "site",
        "equipment_type",
    ]
    assert client.get(reverse("inventories:type-detail", args=["nope"])).status_code == 404


def test_the_templates_upload_cleanly(focal_point, institution, client, viewer):
    """A template filled in as given passes validation: the documentation does not lie."""
    client.force_login(viewer)
    for dataset_type in ("customs", "monitoring", "pesticides", "pcb", "upops"):
        content = client.get(
            reverse("inventories:type-template", args=[dataset_type, "csv"])
        ).content
        version = receive(focal_point, institution, content, dataset_type=dataset_type)
        assert version.status == Status.VALIDATED, (
            dataset_type,
            version.error,
            version.top_reasons,
        )
        assert version.rows_rejected == 0, (
            dataset_type,
            list(version.rejected_rows.values("reason")),
        )


def test_schedules_show_who_is_late_and_remind(client, secretariat, focal_point, institution):
    from coordination.services import send_due_reminders

    schedule = SubmissionSchedule.objects.create(
        institution=institution,
        dataset_type="customs",
        frequency="quarterly",
        days_after_period=30,
        starts_on=datetime.date(2026, 1, 1),
    )
    client.force_login(secretariat)
    page = client.get(reverse("inventories:schedule-list")).content.decode()
    assert 'id="late-datasets"' in page and institution.name in page
    assert send_due_reminders(on=datetime.date(2026, 10, 30))["sent"] >= 1
    from django.core import mail

    subjects = [m.subject for m in mail.outbox if m.to == [focal_point.email]]
    assert any("Customs declarations" in s for s in subjects), subjects
    assert send_due_reminders(on=datetime.date(2026, 10, 30))["sent"] == 0
    # Delivering the quarter clears it.
    receive(
        focal_point,
        institution,
        csv_bytes([customs_row(1)]),
        start=datetime.date(2026, 7, 1),
        end=datetime.date(2026, 9, 30),
    )
    from inventories.schedules import owed

    items = {o.period_start: o for o in owed(on=datetime.date(2026, 10, 30))}
    assert items[datetime.date(2026, 7, 1)].delivered is not None
    assert items[datetime.date(2026, 4, 1)].delivered is None
    assert schedule.pk


def test_schedules_are_not_for_focal_points(client, focal_point):
    client.force_login(focal_point)
    assert client.get(reverse("inventories:schedule-list")).status_code == 403
    assert client.get(reverse("inventories:schedule-create")).status_code == 403


def test_national_codes_are_kept_by_the_secretariat(client, secretariat, focal_point):
    client.force_login(focal_point)
    assert client.get(reverse("inventories:national-code-create")).status_code == 403
    client.force_login(secretariat)
    from inventories.models import Chemical, HSCode

    response = client.post(
        reverse("inventories:national-code-create"),
        {
            "code": "3824.82.10",
            "description": "Askarel",
            "match": "specific",
            "hs_code": HSCode.objects.get(code="3824.82").pk,
            "chemicals": [Chemical.objects.get(slug="pcb").pk],
        },
    )
    assert response.status_code == 302
    assert (
        client.get(reverse("inventories:national-code-list")).content.decode().count("Askarel") == 1
    )


def test_emission_factors_import_all_or_nothing(client, secretariat):
    from inventories.models import EmissionFactor

    client.force_login(secretariat)
    before = EmissionFactor.objects.count()
    good = (
        "category,class,class_description,vector,factor,unit,source\n"
        "1a,1,Low technology combustion,air,3500,t,Toolkit workbook 2013\n"
        "1a,1,Low technology combustion,residue,75,t,Toolkit workbook 2013\n"
    )
    bad = good + "9z,1,Nothing,air,1,t,x\n"
    response = client.post(
        reverse("inventories:emission-factor-import"),
        {"file": SimpleUploadedFile("f.csv", bad.encode())},
    )
    assert response.status_code == 200 and "Row 4" in response.content.decode()
    assert EmissionFactor.objects.count() == before
    client.post(
        reverse("inventories:emission-factor-import"),
        {"file": SimpleUploadedFile("f.csv", good.encode())},
    )
    assert EmissionFactor.objects.count() == before + 2


# --- The API ------------------------------------------------------------------------------------


def test_api_pushes_a_file_and_reports_its_status(client, focal_point, institution):
    token, secret = services.token_create(
        actor=focal_point, institution=institution, name="ASYCUDA"
    )
    content = csv_bytes([customs_row(1), customs_row(2)])
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    with committed():
        response = client.post(
            reverse("inventories:api-push"),
            {
                "dataset_type": "customs",
                "period_start": "2025-01-01",
                "period_end": "2025-01-31",
                "file": SimpleUploadedFile("jan.csv", content),
            },
            **auth,
        )
    assert response.status_code == 202, response.content
    body = response.json()
    status = client.get(body["status_url"], **auth).json()
    assert status["status"] == "validated" and status["rows_accepted"] == 2
    assert status["sha256"] == DatasetVersion.objects.get().sha256
    again = client.post(
        reverse("inventories:api-push"),
        {
            "dataset_type": "customs",
            "period_start": "2025-01-01",
            "period_end": "2025-01-31",
            "file": SimpleUploadedFile("jan.csv", content),
        },
        **auth,
    )
    assert again.status_code == 200 and again.json()["duplicate"] is True
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=None)
    services.token_revoke(actor=focal_point, token=token)
    assert client.get(body["status_url"], **auth).status_code == 401


def test_an_api_key_is_scoped_to_its_institution(
    client, focal_point, institution, other_focal_point, other_institution
):
    _token, mine = services.token_create(actor=focal_point, institution=institution, name="A")
    _token, theirs = services.token_create(
        actor=other_focal_point, institution=other_institution, name="B"
    )
    with committed():
        response = client.post(
            reverse("inventories:api-push"),
            {
                "dataset_type": "customs",
                "period_start": "2025-01-01",
                "period_end": "2025-01-31",
                "file": SimpleUploadedFile("jan.csv", csv_bytes([customs_row(1)])),
            },
            HTTP_AUTHORIZATION=f"Bearer {mine}",
        )
    version = DatasetVersion.objects.get()
    assert version.dataset.institution == institution
    other = client.get(response.json()["status_url"], HTTP_AUTHORIZATION=f"Bearer {theirs}")
    assert other.status_code == 404
    assert client.post(reverse("inventories:api-push"), {}).status_code == 401
    with pytest.raises(Exception):  # noqa: B017 - a focal point cannot mint keys for others
        services.token_create(actor=focal_point, institution=other_institution, name="C")


def test_api_refusals_are_explained(client, focal_point, institution):
    _token, secret = services.token_create(actor=focal_point, institution=institution, name="A")
    response = client.post(
        reverse("inventories:api-push"),
        {
            "dataset_type": "customs",
            "period_start": "2025-02-30",
            "period_end": "2025-01-31",
            "file": SimpleUploadedFile("jan.csv", b"x"),
        },
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 400 and "YYYY-MM-DD" in response.json()["error"]


def test_openapi_description_lists_the_endpoints(client):
    document = json.loads(client.get(reverse("inventories:api-openapi")).content)
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == {"/datasets/", "/versions/{id}/"}


def test_api_keys_page_shows_a_new_key_once(client, focal_point, institution, member):
    client.force_login(member)
    assert client.get(reverse("inventories:token-list")).status_code == 403
    client.force_login(focal_point)
    response = client.post(
        reverse("inventories:token-list"), {"institution": institution.pk, "name": "LIMS"}
    )
    assert 'id="new-key"' in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert 'id="new-key"' not in client.get(reverse("inventories:token-list")).content.decode()


def test_dataset_pages_cost_a_fixed_number_of_queries(
    client, focal_point, institution, secretariat, django_assert_max_num_queries
):
    small = receive(focal_point, institution, csv_bytes([customs_row(i) for i in range(1, 4)]))
    big = receive(
        focal_point,
        institution,
        csv_bytes([customs_row(i) for i in range(1, 300)]),
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 3, 31),
    )
    client.force_login(secretariat)
    counts = {}
    for version in (small, big):
        for url in (
            version.get_absolute_url(),
            reverse("inventories:dataset-list"),
            reverse("inventories:index"),
            reverse("inventories:review-queue"),
        ):
            with django_assert_max_num_queries(15) as captured:
                assert client.get(url).status_code == 200
            counts.setdefault(url.replace(str(version.pk), "<pk>"), set()).add(len(captured))
    assert all(len(seen) == 1 for seen in counts.values()), counts
