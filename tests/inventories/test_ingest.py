"""Uploads go through the real pipeline: stored untouched, read, validated, loaded all or
nothing."""

import hashlib
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from inventories import services
from inventories.models import (
    ColumnMapping,
    CustomsRecord,
    CustomsTotal,
    DatasetVersion,
    RejectedRow,
)
from inventories.services import ingest
from tests.inventories.helpers import CUSTOMS_HEADER, committed, csv_bytes, customs_row, receive

pytestmark = pytest.mark.django_db
Status = DatasetVersion.Status


def test_a_clean_file_is_stored_untouched_and_loaded(focal_point, institution):
    content = csv_bytes([customs_row(i) for i in range(1, 6)])
    version = receive(focal_point, institution, content)
    assert version.status == Status.VALIDATED
    assert version.sha256 == hashlib.sha256(content).hexdigest()
    assert version.size == len(content)
    with version.raw_file.open("rb") as handle:
        assert handle.read() == content
    assert version.rows_accepted == 5 and version.rows_rejected == 0
    record = CustomsRecord.objects.get(version=version, row_number=2)
    assert record.net_mass_kg == Decimal("100.5")
    assert record.match == "group"  # 3824.82: PCB or PBB
    assert version.dataset.current_version_id == version.pk


def test_each_bad_row_is_rejected_with_its_row_and_column(focal_point, institution):
    rows = [
        customs_row(1),
        customs_row(2, declared_on="31/02/2025"),
        customs_row(3, net_mass_kg="-4"),
        customs_row(4, quantity="ten"),
        customs_row(5, flow="IMPORT"),  # case does not matter
        customs_row(1),  # duplicate declaration id
        customs_row(7, hs_code="7700.10"),  # unknown chapter: accepted and flagged
        customs_row(8, description="x" * 1_048_576),  # a one-megabyte cell
    ]
    version = receive(focal_point, institution, csv_bytes(rows))
    assert version.status == Status.PROBLEMS  # more than half of the rows were rejected
    rejected = {r.row_number: r for r in RejectedRow.objects.filter(version=version)}
    assert set(rejected) == {3, 4, 5, 7, 9}
    assert rejected[3].column == "declared_on" and "not a date" in rejected[3].reason
    assert rejected[4].column == "net_mass_kg" and rejected[4].code == "negative"
    assert rejected[5].column == "quantity" and "not a number" in rejected[5].reason
    assert rejected[7].code == "duplicate"
    assert rejected[9].code == "too_long"
    flagged = CustomsRecord.objects.get(version=version, row_number=8)
    assert flagged.hs_known is False
    assert version.rows_accepted == 3 and version.rows_rejected == 5
    # The rejected rows come back as the uploader sent them, reasons first.
    lines = list(ingest.rejected_rows_csv(version))
    assert lines[0][:3] == ["Row", "Column", "Reason"] and lines[0][3:] == CUSTOMS_HEADER
    assert lines[1][0] == "3" and lines[1][3] == "VR-2025-000002"


@pytest.mark.parametrize(
    "content, name, code_words",
    [
        (b'declaration_id,declared_on\n"VR-1,2025-01-01\n', "customs.csv", ""),
        (b"declaration_id,declared_on,flow\n", "customs.csv", "no data rows"),
    ],
    ids=["truncated", "header-only"],
)
def test_unreadable_files_fail_with_a_message_and_keep_the_file(
    focal_point, institution, content, name, code_words
):
    version = receive(focal_point, institution, content, name=name)
    assert version.status in (Status.FAILED, Status.NEEDS_MAPPING)
    if version.status == Status.FAILED:
        assert version.error
        if code_words:
            assert code_words in version.error.lower()
    with version.raw_file.open("rb") as handle:
        assert handle.read() == content
    assert not CustomsRecord.objects.filter(version=version).exists()


def test_a_truncated_file_loads_nothing(focal_point, institution):
    content = csv_bytes([customs_row(i) for i in range(1, 50)]) + b'VR-9,"2025-01-01'
    version = receive(focal_point, institution, content)
    assert version.status == Status.FAILED
    assert "row" in version.error.lower() or "line" in version.error.lower()
    assert not CustomsRecord.objects.filter(version=version).exists()


CONTENT_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/></Types>'
)


def test_an_xlsx_zip_bomb_is_refused_before_it_is_opened(focal_point, institution):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        # Declared as a workbook, so the upload's own check lets it through to the reader, which
        # refuses it from the zip directory (the upload's check reads only the content types).
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (1100 * 1024 * 1024 // 20) * 20)
    version = receive(focal_point, institution, buffer.getvalue(), name="bomb.xlsx")
    assert version.status == Status.FAILED
    assert version.error


def test_a_file_over_the_limit_is_refused_in_the_form(focal_point, institution, settings):
    settings.NCM_DATASET_MAX_BYTES = 100
    with pytest.raises(ValidationError) as refused:
        receive(focal_point, institution, csv_bytes([customs_row(1), customs_row(2)]))
    assert "largest accepted" in str(refused.value)


def test_wrong_encoding_is_detected_and_read(focal_point, institution):
    rows = [customs_row(1, trader="Société Générale d'Équipement", description="Œuvre €")]
    content = csv_bytes(rows, delimiter=";", encoding="cp1252")
    version = receive(focal_point, institution, content)
    assert version.status == Status.VALIDATED, version.error
    assert version.encoding in ("cp1252", "latin-1")
    assert CustomsRecord.objects.get(version=version).trader == "Société Générale d'Équipement"


def test_decimal_comma_and_day_first_dates(focal_point, institution):
    rows = [customs_row(1, net_mass_kg="1.234,5", declared_on="14/03/2025", value="")]
    rows[0]["currency"] = ""
    content = csv_bytes(rows, delimiter=";")
    version = receive(focal_point, institution, content, decimal_comma=True, day_first=True)
    record = CustomsRecord.objects.get(version=version)
    assert record.net_mass_kg == Decimal("1234.5")
    assert record.declared_on.isoformat() == "2025-03-14"


def test_the_same_file_twice_is_recognised(focal_point, institution):
    content = csv_bytes([customs_row(1)])
    first = receive(focal_point, institution, content)
    again = services.dataset_receive(
        actor=focal_point,
        institution=institution,
        dataset_type="customs",
        period_start=first.dataset.period_start,
        period_end=first.dataset.period_end,
        file=SimpleUploadedFile("renamed.csv", content),
    )
    assert again.pk == first.pk and again.is_duplicate
    assert DatasetVersion.objects.count() == 1


def test_running_the_task_again_changes_nothing(focal_point, institution):
    version = receive(focal_point, institution, csv_bytes([customs_row(i) for i in range(1, 4)]))
    before = (CustomsRecord.objects.count(), CustomsTotal.objects.count(), version.events.count())
    assert services.version_process(version.pk) == Status.VALIDATED
    assert (
        CustomsRecord.objects.count(),
        CustomsTotal.objects.count(),
        version.events.count(),
    ) == before


def test_a_failure_at_the_last_batch_leaves_no_rows(focal_point, institution, monkeypatch):
    from inventories import readers
    from inventories.ingest import read

    monkeypatch.setattr(read, "CHUNK_BYTES", 1000)  # about ten rows a batch
    monkeypatch.setattr(readers, "BATCH_ROWS", 10)
    original = ingest.aggregate

    def explode(version, schema):
        assert CustomsRecord.objects.filter(version=version).count() == 45  # all batches written
        raise RuntimeError("disk full")

    monkeypatch.setattr(ingest, "aggregate", explode)
    version = receive(focal_point, institution, csv_bytes([customs_row(i) for i in range(1, 46)]))
    assert version.status == Status.FAILED
    assert "internal error" in version.error
    assert not CustomsRecord.objects.filter(version=version).exists()
    assert not RejectedRow.objects.filter(version=version).exists()
    assert version.dataset.current_version_id is None
    monkeypatch.setattr(ingest, "aggregate", original)


def test_a_new_version_supersedes_the_previous_after_validation(focal_point, institution):
    first = receive(focal_point, institution, csv_bytes([customs_row(1)]))
    second = receive(focal_point, institution, csv_bytes([customs_row(1), customs_row(2)]))
    first.refresh_from_db()
    assert second.number == 2 and first.superseded_at is not None
    assert second.dataset.current_version_id == second.pk
    assert CustomsRecord.objects.filter(version=first).count() == 1  # still readable


def test_headers_that_differ_are_mapped_once_and_remembered(focal_point, institution):
    header = ["Decl No", "Date", "Régime", "Commodity code", "Origin", "Net weight kg"]
    rows = [
        {
            "Decl No": "A1",
            "Date": "2025-02-01",
            "Régime": "IM4",
            "Commodity code": "2903.92",
            "Origin": "IN",
            "Net weight kg": "25",
        },
        {
            "Decl No": "A2",
            "Date": "2025-02-02",
            "Régime": "EX1",
            "Commodity code": "2903.92",
            "Origin": "",
            "Net weight kg": "5",
        },
    ]
    content = csv_bytes(rows, header=header)
    version = receive(focal_point, institution, content)
    assert version.status == Status.NEEDS_MAPPING
    column_map = {
        "declaration_id": "Decl No",
        "declared_on": "Date",
        "flow": "Régime",
        "hs_code": "Commodity code",
        "origin_country": "Origin",
        "net_mass_kg": "Net weight kg",
    }
    with committed():
        services.version_map_columns(
            actor=focal_point,
            version=version,
            column_map=column_map,
            value_map={"flow": {"IM4": "import", "EX1": "export"}},
        )
    version.refresh_from_db()
    assert version.status == Status.VALIDATED
    assert version.rows_accepted == 1  # the export lacks its destination
    assert RejectedRow.objects.get(version=version).code == "partner_missing"
    assert ColumnMapping.objects.get(institution=institution).value_map["flow"]["IM4"] == "import"
    # The next file with the same headers needs no mapping.
    later = receive(
        focal_point,
        institution,
        csv_bytes(rows[:1], header=header),
        start=version.dataset.period_end.replace(year=2026, month=1, day=1),
        end=version.dataset.period_end.replace(year=2026),
    )
    assert later.status == Status.VALIDATED


def test_missing_required_columns_ask_for_a_mapping(focal_point, institution):
    content = b"declaration_id,declared_on\nA1,2025-01-01\n"
    version = receive(focal_point, institution, content)
    assert version.status == Status.NEEDS_MAPPING
    assert "flow" in version.top_reasons[0]["missing"]
    with pytest.raises(ValidationError):
        services.version_map_columns(
            actor=focal_point,
            version=version,
            column_map={"declaration_id": "declaration_id"},
            value_map={},
        )


def test_extra_columns_are_ignored_and_named(focal_point, institution):
    header = [*CUSTOMS_HEADER, "internal_note"]
    row = customs_row(1)
    row["internal_note"] = "keep out"
    version = receive(focal_point, institution, csv_bytes([row], header=header))
    assert version.status == Status.VALIDATED
    assert "internal_note" in version.error


def test_a_focal_point_uploads_only_for_their_institution(focal_point, other_institution):
    with pytest.raises(PermissionDenied):
        receive(focal_point, other_institution, csv_bytes([customs_row(1)]))


def test_a_member_cannot_upload(member, institution):
    with pytest.raises(PermissionDenied):
        receive(member, institution, csv_bytes([customs_row(1)]))


def test_hs_and_national_codes_are_matched_to_chemicals(focal_point, institution, secretariat):
    from inventories.models import Chemical, HSCode, NationalProductCode

    national = NationalProductCode.objects.create(
        code="2909.30.10",
        description="decaBDE",
        hs_code=HSCode.objects.get(code="2909.30"),
        match="specific",
    )
    national.chemicals.set([Chemical.objects.get(slug="decabde")])
    rows = [
        customs_row(1, hs_code="3824.82.00", net_mass_kg="100"),  # PCB or PBB: a group
        customs_row(2, hs_code="8504.22", net_mass_kg="2000"),  # transformer: PCB, indicative
        customs_row(3, hs_code="2909.30", national_code="2909.30.10", net_mass_kg="7"),
        customs_row(4, hs_code="2909.30", net_mass_kg="3"),  # indicative only
        customs_row(5, hs_code="0901.11", net_mass_kg="9"),  # coffee: no match
    ]
    version = receive(focal_point, institution, csv_bytes(rows))
    matches = dict(CustomsRecord.objects.filter(version=version).values_list("row_number", "match"))
    assert matches == {2: "group", 3: "indicative", 4: "specific", 5: "indicative", 6: ""}
    totals = {
        (t.chemical.slug if t.chemical else t.code, t.match): t.net_mass_kg
        for t in CustomsTotal.objects.filter(version=version).select_related("chemical")
    }
    # Each line is counted once: for its chemical, or under its group or indicative code.
    assert totals == {
        ("3824.82", "group"): Decimal("100"),
        ("8504.22", "indicative"): Decimal("2000"),
        ("decabde", "specific"): Decimal("7"),
        ("2909.30", "indicative"): Decimal("3"),
    }


def test_an_unknown_coded_value_is_mapped_or_its_rows_rejected(focal_point, institution):
    rows = [customs_row(1), customs_row(2, flow="transit"), customs_row(3, flow="IM")]
    version = receive(focal_point, institution, csv_bytes(rows))
    assert version.status == Status.NEEDS_MAPPING
    assert version.top_reasons[0]["unmapped_values"] == {"flow": ["IM", "transit"]}
    with committed():
        services.version_map_columns(
            actor=focal_point,
            version=version,
            column_map={c: c for c in CUSTOMS_HEADER},
            value_map={"flow": {"IM": "import", "transit": ""}},
        )
    version.refresh_from_db()
    assert version.status == Status.VALIDATED
    assert version.rows_accepted == 2
    rejected = RejectedRow.objects.get(version=version)
    assert rejected.row_number == 3 and "transit" in rejected.reason


def test_an_xlsx_with_two_sheets_a_late_header_and_formulas(focal_point, institution):
    import openpyxl

    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Notes"
    notes.append(["Extract of the customs system, all chapters"])
    data = book.create_sheet("Declarations")
    data.append(["Veridia Customs Service — quarterly extract"])
    data.append([])
    data.append(CUSTOMS_HEADER)
    for n in range(1, 4):
        row = customs_row(n)
        data.append([row[c] for c in CUSTOMS_HEADER])
    data.append([])  # an empty row is skipped
    buffer = io.BytesIO()
    book.save(buffer)
    version = receive(
        focal_point, institution, buffer.getvalue(), name="extract.xlsx", sheet="Declarations"
    )
    assert version.status == Status.VALIDATED, version.error
    assert version.header_row == 3 and version.sheets == ["Notes", "Declarations"]
    assert list(
        CustomsRecord.objects.filter(version=version).values_list("row_number", flat=True)
    ) == [4, 5, 6]


def test_an_xlsx_sheet_with_no_rows_fails_clearly(focal_point, institution):
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(CUSTOMS_HEADER)
    buffer = io.BytesIO()
    book.save(buffer)
    version = receive(focal_point, institution, buffer.getvalue(), name="empty.xlsx")
    assert version.status == Status.FAILED
    assert "no data rows" in version.error


def test_errors_are_written_in_the_uploaders_language(focal_point, institution):
    focal_point.language = "fr"
    focal_point.save(update_fields=["language"])
    version = receive(focal_point, institution, b"declaration_id\n")
    assert version.status == Status.FAILED
    assert version.error and "The file" not in version.error


def test_a_correction_repeating_a_kept_declaration_names_the_kept_row(focal_point, institution):
    rows = [customs_row(1), customs_row(2, net_mass_kg="-5"), customs_row(3)]
    first = receive(focal_point, institution, csv_bytes(rows))
    assert (first.rows_accepted, first.rows_rejected) == (2, 1)
    lines = list(ingest.rejected_rows_csv(first))
    place = lines[0].index("declaration_id")
    fixed = [cell.replace("-5", "5") for cell in lines[1]]
    again = list(fixed)
    again[0], again[place] = "9", customs_row(3)["declaration_id"]  # row 4 of the first file
    twice = list(fixed)
    twice[0] = "10"  # the fixed row's own declaration, a second time
    content = io.StringIO()
    writer = __import__("csv").writer(content, lineterminator="\n")
    writer.writerows([lines[0], fixed, again, twice])
    second = receive(
        focal_point, institution, content.getvalue().encode(), name="fixed.csv", corrects=first
    )
    assert (second.rows_accepted, second.rows_rejected) == (3, 2)
    rejected = {r.row_number: r for r in RejectedRow.objects.filter(version=second)}
    assert rejected[9].code == "duplicate" and "row 4" in rejected[9].reason
    assert rejected[10].code == "duplicate" and "row 3" in rejected[10].reason
    assert rejected[9].cells[place] == customs_row(3)["declaration_id"]


def test_rejected_rows_fixed_and_uploaded_again_complete_the_dataset(focal_point, institution):
    rows = [
        customs_row(1),
        customs_row(2, net_mass_kg="-5"),
        customs_row(3),
        customs_row(4, declared_on="2025-02-30"),
    ]
    first = receive(focal_point, institution, csv_bytes(rows))
    assert (first.rows_accepted, first.rows_rejected) == (2, 2)
    lines = list(ingest.rejected_rows_csv(first))
    fixed = io.StringIO()
    writer = __import__("csv").writer(fixed, lineterminator="\n")
    writer.writerow(lines[0])
    for line in lines[1:]:
        line = [cell.replace("-5", "5").replace("2025-02-30", "2025-02-28") for cell in line]
        writer.writerow(line)
    second = receive(
        focal_point, institution, fixed.getvalue().encode(), name="fixed.csv", corrects=first
    )
    assert second.status == Status.VALIDATED, (second.error, second.top_reasons)
    assert (second.rows_accepted, second.rows_rejected) == (4, 0)
    numbers = list(
        CustomsRecord.objects.filter(version=second)
        .order_by("row_number")
        .values_list("row_number", flat=True)
    )
    assert numbers == [2, 3, 4, 5]  # the rows keep the numbers they had in the first file
    first.refresh_from_db()
    assert first.superseded_at is not None
    assert CustomsRecord.objects.filter(version=first).count() == 2  # unchanged
    # The same fixed file again adds nothing twice: its declarations are already there.
    assert CustomsTotal.objects.filter(version=second).exists()
