"""Files of the shapes focal points really send (tests/inventories/files/): nothing in them is
lost, misread or stuck. The tests look at outcomes, stored values and pages only."""

import csv
import io
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from inventories import readers, services
from inventories.ingest.errors import ReadError
from inventories.messages import render
from inventories.models import (
    CustomsRecord,
    DatasetVersion,
    MonitoringRecord,
    RejectedRow,
)
from inventories.services import ingest
from tests.inventories.helpers import CUSTOMS_HEADER, committed, csv_bytes, customs_row, receive

pytestmark = pytest.mark.django_db
Status = DatasetVersion.Status
FILES = Path(__file__).parent / "files"


def file_bytes(name: str) -> bytes:
    return (FILES / name).read_bytes()


def rejected_csv(client, version) -> list[list[str]]:
    response = client.get(reverse("inventories:version-rejected", args=[version.pk]))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    previous = csv.field_size_limit(16 * 1024 * 1024)  # rejected cells come back whole
    try:
        return list(csv.reader(io.StringIO(text)))
    finally:
        csv.field_size_limit(previous)


def read_again(version, *, actor, day_first=None, decimal_comma=None, sheet=""):
    with committed():
        services.version_retry(
            actor=actor,
            version=version,
            day_first=version.day_first if day_first is None else day_first,
            decimal_comma=version.decimal_comma if decimal_comma is None else decimal_comma,
            sheet=sheet,
        )
    version.refresh_from_db()
    return version


# --- Results below the limit -------------------------------------------------------------------


def test_results_below_the_limit_are_accepted_as_censored_values(client, focal_point, institution):
    version = receive(
        focal_point,
        institution,
        file_bytes("monitoring_censored.csv"),
        name="monitoring.csv",
        dataset_type="monitoring",
    )
    assert version.status == Status.VALIDATED, (version.error, version.top_reasons)
    assert (version.rows_accepted, version.rows_rejected) == (18, 2)
    assert version.rows_below_limit == 16
    records = {r.sample_id: r for r in MonitoringRecord.objects.filter(version=version)}
    expected = {
        "W-001": (Decimal("0.42"), "", None),
        "W-002": (None, "<", Decimal("0.05")),  # <LOQ: the row's LOQ
        "W-003": (None, "<", Decimal("0.05")),
        "W-004": (None, "<", Decimal("0.05")),  # <0,05 with a decimal comma
        "W-005": (None, "nd", Decimal("0.02")),  # ND: below the row's LOD
        "W-006": (None, "nd", Decimal("0.02")),
        "W-007": (None, "nd", Decimal("0.02")),
        "W-008": (None, "nd", Decimal("0.02")),
        "W-009": (None, "nd", Decimal("0.02")),  # BDL
        "W-010": (None, "<", Decimal("0.02")),  # < LOD: the row's LOD
        "W-011": (None, "nd", Decimal("0.02")),  # "-"
        "W-012": (None, "nd", Decimal("0.02")),  # no detectado
        "W-013": (None, "nd", Decimal("0.02")),  # не обнаружено
        "W-014": (None, "nd", Decimal("0.02")),  # non détecté
        "W-015": (Decimal("1.3"), "", None),
        "W-016": (None, "<", Decimal("0.05")),  # "<" alone: the LOQ
        "W-017": (None, "<", Decimal("0.05")),  # flag column, no result: the LOQ
        "W-018": (None, "<", Decimal("0.07")),  # flag column and a number: below that number
    }
    assert {k: (r.value, r.qualifier, r.limit) for k, r in records.items()} == expected
    assert all(r.below_limit == bool(r.qualifier) for r in records.values())
    rejected = {r.row_number: r for r in RejectedRow.objects.filter(version=version)}
    assert rejected[20].code == "limit_missing" and "LOQ" in rejected[20].reason
    assert rejected[21].code == "not_a_number" and "traces" in rejected[21].reason

    client.force_login(focal_point)
    page = client.get(reverse("inventories:version-detail", args=[version.pk])).content.decode()
    assert "&lt; 0.05" in page and "n.d." in page
    assert 'id="rows-below-limit">16<' in page


def test_lod_and_loq_columns_are_limits_not_a_below_limit_flag(focal_point, institution):
    version = receive(
        focal_point,
        institution,
        file_bytes("monitoring_lab_export.csv"),
        name="lab.csv",
        dataset_type="monitoring",
    )
    assert version.status == Status.VALIDATED, (version.status, version.top_reasons)
    results = {
        r.sample_id: (r.value, r.qualifier, r.limit, r.lod, r.loq)
        for r in MonitoringRecord.objects.filter(version=version)
    }
    assert results == {
        "S1": (Decimal("0.8"), "", None, Decimal("0.1"), Decimal("0.3")),
        "S2": (None, "<", Decimal("0.3"), Decimal("0.1"), Decimal("0.3")),
        "S3": (None, "<", Decimal("0.1"), Decimal("0.1"), Decimal("0.3")),
        "S4": (None, "nd", Decimal("0.1"), Decimal("0.1"), Decimal("0.3")),
    }
    # The matched chemical counts as flagged: HCB is listed.
    assert version.rows_flagged == 4


def test_column_mapping_guesses_only_exact_names_and_shows_samples(
    client, focal_point, institution
):
    content = (
        b"Sample,Station,Matrix,Sample date,Parameter,Value measured,Unit,LOD,LOQ,Lab name\n"
        b"S1,Port Veridia,air,2025-02-10,HCB,0.8,pg/m3,0.1,0.3,NEL\n"
        b"S2,Port Veridia,air,2025-02-11,HCB,<LOQ,pg/m3,0.1,0.3,NEL\n"
    )
    version = receive(focal_point, institution, content, name="lab.csv", dataset_type="monitoring")
    assert version.status == Status.NEEDS_MAPPING
    client.force_login(focal_point)
    page = client.get(reverse("inventories:version-map", args=[version.pk])).content.decode()
    # "LOD" is offered as the LOD, never as the below-limit flag; "Value measured" is not guessed.
    form = page[page.index('id="map-form"') :] if 'id="map-form"' in page else page
    assert 'name="col__below_limit"' in form
    flag = form[form.index('name="col__below_limit"') :]
    flag = flag[: flag.index("</select>")]
    assert 'value="LOD" selected' not in flag and 'value="LOQ" selected' not in flag
    lod = form[form.index('name="col__lod"') :]
    assert 'value="LOD" selected' in lod[: lod.index("</select>")]
    value = form[form.index('name="col__value"') :]
    assert "selected" not in value[: value.index("</select>")].replace('value="" selected', "")
    # Each file column is shown with a sample of its values.
    assert "Value measured" in page and "&lt;LOQ" in page and "Port Veridia" in page


def test_the_monitoring_figures_report_censored_values_as_such(
    focal_point, institution, secretariat
):
    from inventories.selectors_summaries import censored_median, monitoring_summary
    from reporting.prefill import _median_text

    version = receive(
        focal_point,
        institution,
        file_bytes("monitoring_censored.csv"),
        name="monitoring.csv",
        dataset_type="monitoring",
    )
    with committed():
        services.version_review(actor=focal_point, version=version, action="submit")
        services.version_review(actor=secretariat, version=version, action="accept")
    rows = monitoring_summary(analyte="PFOS", matrix="surface_water")["rows"]
    assert sum(r["samples"] for r in rows) == 18
    assert sum(r["below_limit"] for r in rows) == 16
    assert sum(r["detected"] for r in rows) == 2
    # No result below the limit is ever counted as a value: the minimum is a detected one.
    assert min(r["minimum"] for r in rows if r["minimum"] is not None) == Decimal("0.42")
    # A median among censored results reads "< limit", not a number.
    assert censored_median([Decimal("1")], [Decimal("0.05"), Decimal("0.02")], 0) == (
        None,
        "<",
        Decimal("0.05"),
    )
    assert censored_median([Decimal("1"), Decimal("3")], [Decimal("0.05")], 0) == (
        Decimal("1"),
        "",
        None,
    )
    assert censored_median([], [], 2) == (None, "nd", None)
    assert _median_text(None, "<", Decimal("0.050000")) == "< 0.05"
    assert _median_text(None, "nd", None) == "n.d."


def test_the_article15_monitoring_table_never_turns_censored_results_into_zero(
    focal_point, institution, secretariat
):
    from reporting.models import Question, Round
    from reporting.prefill import monitoring_rows

    version = receive(
        focal_point,
        institution,
        file_bytes("monitoring_censored.csv"),
        name="monitoring.csv",
        dataset_type="monitoring",
    )
    with committed():
        services.version_review(actor=focal_point, version=version, action="submit")
        services.version_review(actor=secretariat, version=version, action="accept")
    round_ = Round.objects.filter(period_start__year__lte=2025, period_end__year__gte=2025).first()
    assert round_ is not None
    rows, sources = monitoring_rows(round_)
    assert rows and sources
    assert sum(r["below_limit"] for r in rows) == 16
    for row in rows:
        assert row["median"] != "0" and row["mean"] != 0
        if row["detected"] == 0:
            assert row["mean"] is None and row["median"].startswith(("<", "n.d."))
    question = Question.objects.filter(prefill="monitoring", kind="table").first()
    keys = [c["key"] for c in question.columns]
    assert "below_limit" in keys and "median" in keys


# --- Nothing is cut, nothing replaces good data by accident --------------------------------------


def test_rejected_cells_come_back_whole_and_corrections_keep_them(client, focal_point, institution):
    first = receive(focal_point, institution, file_bytes("customs_cells_to_keep.csv"))
    assert first.rows_rejected == 3
    client.force_login(focal_point)
    lines = rejected_csv(client, first)
    assert lines[0][3:] == CUSTOMS_HEADER
    description = CUSTOMS_HEADER.index("description") + 3
    trader = CUSTOMS_HEADER.index("trader") + 3
    declaration = CUSTOMS_HEADER.index("declaration_id") + 3
    cells = {line[declaration][-1]: line for line in lines[1:]}  # by declaration 1, 2, 3

    def plain(text):  # the export protects text that a spreadsheet would take as a formula
        return text[1:] if text[:1] == "'" and text[1:2] in "=+-@" else text

    long_text = cells["1"][description]
    assert len(long_text) == 250
    assert cells["2"][description] == "first line\nsecond line"
    assert plain(cells["3"][description]) == "=SUM(A1:A2)"
    assert plain(cells["3"][trader]) == "-Veridia Trading"
    # Fixed and sent back, the rows keep every character.
    fixed = io.StringIO()
    writer = csv.writer(fixed, lineterminator="\r\n")
    writer.writerow(lines[0])
    mass = CUSTOMS_HEADER.index("net_mass_kg") + 3
    for line in lines[1:]:
        line[mass] = line[mass].lstrip("'-")
        writer.writerow(line)
    second = receive(
        focal_point, institution, fixed.getvalue().encode(), name="fixed.csv", corrects=first
    )
    assert second.status == Status.VALIDATED, (second.top_reasons, second.error)
    assert (second.rows_accepted, second.rows_rejected) == (4, 0)
    stored = {r.declaration_id[-1]: r for r in CustomsRecord.objects.filter(version=second)}
    assert stored["1"].description == long_text and len(stored["1"].description) == 250
    assert stored["2"].description == "first line\nsecond line"
    assert stored["3"].description == "=SUM(A1:A2)"
    assert stored["3"].trader == "-Veridia Trading"


def test_a_version_with_no_accepted_row_does_not_replace_the_current_one(
    client, focal_point, institution, member, other_institution
):
    good = receive(focal_point, institution, csv_bytes([customs_row(n) for n in range(1, 5)]))
    assert good.status == Status.VALIDATED
    bad = receive(focal_point, institution, file_bytes("customs_all_rejected.csv"), name="bad.csv")
    assert bad.status == Status.PROBLEMS
    assert (bad.rows_accepted, bad.rows_rejected) == (0, 5)
    good.refresh_from_db()
    assert good.superseded_at is None and good.dataset.current_version_id == good.pk
    assert CustomsRecord.objects.filter(version=good).count() == 4

    client.force_login(focal_point)
    url = reverse("inventories:version-detail", args=[bad.pk])
    page = client.get(url).content.decode()
    assert "Validated with problems" in page
    assert reverse("inventories:version-detail", args=[good.pk]) in page
    assert 'id="confirm-replacement"' in page
    # Only someone who may upload for the institution confirms.
    confirm = reverse("inventories:version-confirm-replacement", args=[bad.pk])
    client.force_login(member)
    assert client.post(confirm).status_code == 403
    bad.refresh_from_db()
    assert bad.status == Status.PROBLEMS
    client.force_login(focal_point)
    assert client.post(confirm).status_code == 302
    bad.refresh_from_db()
    good.refresh_from_db()
    assert bad.status == Status.VALIDATED and bad.dataset.current_version_id == bad.pk
    assert good.superseded_at is not None
    assert bad.events.filter(action="replacement_confirmed", actor=focal_point).exists()


def test_a_version_with_more_than_half_rejected_waits_for_confirmation(focal_point, institution):
    good = receive(focal_point, institution, csv_bytes([customs_row(n) for n in range(1, 5)]))
    rows = [customs_row(n, net_mass_kg="?" if n > 2 else "1") for n in range(1, 6)]
    doubtful = receive(focal_point, institution, csv_bytes(rows), name="doubtful.csv")
    assert (doubtful.rows_accepted, doubtful.rows_rejected) == (2, 3)
    assert doubtful.status == Status.PROBLEMS
    good.refresh_from_db()
    assert good.dataset.current_version_id == good.pk
    # A held version cannot go to the technical committee before it is confirmed.
    with pytest.raises(services.datasets.ValidationError):
        services.version_review(actor=focal_point, version=doubtful, action="submit")
    # Half rejected is not more than half: the version replaces the current one.
    rows = [customs_row(n, net_mass_kg="?" if n > 2 else "1") for n in range(1, 5)]
    half = receive(focal_point, institution, csv_bytes(rows), name="half.csv")
    assert half.status == Status.VALIDATED and half.dataset.current_version_id == half.pk
    # A newer version now holds the data: the one held back before it can no longer replace it.
    doubtful.refresh_from_db()
    assert doubtful.superseded_at is not None and not doubtful.awaits_confirmation
    assert not doubtful.can_read_again
    with pytest.raises(services.datasets.ValidationError):
        services.datasets.version_confirm_replacement(actor=focal_point, version=doubtful)
    half.refresh_from_db()
    assert half.dataset.current_version_id == half.pk


def test_flagged_figures_count_the_whole_version(focal_point, institution):
    rows = [customs_row(1), customs_row(2, net_mass_kg="-5"), customs_row(3)]
    first = receive(focal_point, institution, csv_bytes(rows))
    assert first.rows_flagged == 2  # both accepted lines match a listed chemical
    lines = list(ingest.rejected_rows_csv(first))
    fixed = io.StringIO()
    writer = csv.writer(fixed, lineterminator="\n")
    writer.writerow(lines[0])
    writer.writerows([cell.replace("-5", "5") for cell in line] for line in lines[1:])
    second = receive(
        focal_point, institution, fixed.getvalue().encode(), name="fixed.csv", corrects=first
    )
    assert second.rows_accepted == 3
    assert second.rows_flagged == 3  # the corrected row and the two carried over


# --- Never stuck ------------------------------------------------------------------------------


def test_a_decimal_comma_read_with_a_point_is_noticed_and_read_again(
    client, focal_point, institution
):
    version = receive(
        focal_point, institution, file_bytes("customs_decimal_comma.csv"), decimal_comma=False
    )
    assert version.rows_accepted == 0 and version.status == Status.PROBLEMS
    assert [h["code"] for h in version.hints] == ["decimal_comma"]
    client.force_login(focal_point)
    page = client.get(reverse("inventories:version-detail", args=[version.pk])).content.decode()
    assert "seems to use a decimal comma" in page
    assert "Read again with a decimal comma" in page
    with committed():
        response = client.post(
            reverse("inventories:version-retry", args=[version.pk]),
            {"day_first": "1", "decimal_comma": "1"},
        )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.status == Status.VALIDATED, version.top_reasons
    assert (version.rows_accepted, version.rows_rejected) == (8, 0)
    assert version.hints == []
    record = CustomsRecord.objects.get(version=version, row_number=2)
    assert record.net_mass_kg == Decimal("1385.439") and record.quantity == Decimal("1.5")
    assert RejectedRow.objects.filter(version=version).count() == 0


def test_dates_read_in_the_wrong_order_are_noticed(focal_point, institution):
    version = receive(
        focal_point, institution, file_bytes("customs_day_first.csv"), day_first=False
    )
    assert [h["code"] for h in version.hints] == ["day_first"]
    version = read_again(version, actor=focal_point, day_first=True)
    assert version.status == Status.VALIDATED and version.rows_accepted == 8
    dates = sorted(
        CustomsRecord.objects.filter(version=version).values_list("declared_on", flat=True)
    )
    assert (dates[0].day, dates[0].month) == (14, 3)


def test_a_validated_version_can_be_read_again_until_it_is_accepted(
    focal_point, institution, secretariat
):
    first = receive(focal_point, institution, csv_bytes([customs_row(1), customs_row(2)]))
    content = file_bytes("customs_decimal_comma.csv").replace(b"1385,439", b"1385.5")
    second = receive(focal_point, institution, content, name="second.csv", decimal_comma=True)
    assert second.status == Status.VALIDATED and second.rows_rejected == 1
    first.refresh_from_db()
    assert first.superseded_at is not None
    # Read again, the earlier reading is set aside; the version it replaced is current meanwhile.
    with committed():
        services.version_retry(
            actor=focal_point, version=second, day_first=True, decimal_comma=False
        )
        first.refresh_from_db()
        assert first.superseded_at is None
    second.refresh_from_db()
    assert second.status == Status.PROBLEMS  # read with a point, most rows fail
    assert CustomsRecord.objects.filter(version=second).count() == second.rows_accepted
    second = read_again(second, actor=focal_point, decimal_comma=True)
    assert second.status == Status.VALIDATED and second.dataset.current_version_id == second.pk
    assert CustomsRecord.objects.filter(version=second).count() == 7
    with committed():
        services.version_review(actor=focal_point, version=second, action="submit")
    with pytest.raises(services.datasets.ValidationError):
        services.version_retry(
            actor=focal_point, version=second, day_first=True, decimal_comma=True
        )


def _workbook(*sheets) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_a_cover_sheet_is_passed_over_for_the_sheet_that_matches(client, focal_point, institution):
    data = [CUSTOMS_HEADER] + [[customs_row(n)[c] for c in CUSTOMS_HEADER] for n in range(1, 4)]
    other = [["Summary", "Total"], ["Lines", "3"]]
    content = _workbook(
        ("Cover", [["Veridia customs extract, first quarter"]]),
        ("Summary", other),
        ("Declarations", data),
    )
    version = receive(focal_point, institution, content, name="extract.xlsx")
    assert version.status == Status.VALIDATED, version.error
    assert version.rows_accepted == 3
    assert version.sheets == ["Cover", "Summary", "Declarations"]
    client.force_login(focal_point)
    page = client.get(reverse("inventories:version-detail", args=[version.pk])).content.decode()
    assert "“Declarations”" in page
    # "Read again" lists the workbook's sheets.
    retry = page[page.index('id="read-again"') :]
    for name in ("Cover", "Summary", "Declarations"):
        assert f'value="{name}"' in retry


def test_formulas_never_computed_are_reported_once_by_column(focal_point, institution):
    header = [*CUSTOMS_HEADER]
    mass = header.index("net_mass_kg")
    rows = []
    for n in range(2, 40):
        row = [customs_row(n)[c] for c in CUSTOMS_HEADER]
        row[mass] = f"=J{n}*0.9"  # written by a script: no spreadsheet computed it
        rows.append(row)
    content = _workbook(("Data", [header, *rows]))
    version = receive(focal_point, institution, content, name="script.xlsx")
    assert version.status == Status.FAILED
    assert "Column L (“net_mass_kg”)" in version.error
    assert "never computed" in version.error
    assert not RejectedRow.objects.filter(version=version).exists()


@pytest.mark.parametrize(
    "name, text",
    [
        ("customs_cp1251.csv", "Масло трансформаторное, содержащее ПХБ"),
        ("customs_koi8r.csv", "Масло трансформаторное, содержащее ПХБ"),
        ("customs_cp1256.csv", "زيت المحولات الكهربائية المستعمل"),
        ("customs_cp1252.csv", "Huile de transformateur usagée"),
    ],
)
def test_legacy_encodings_are_recognised(client, focal_point, institution, name, text):
    version = receive(focal_point, institution, file_bytes(name), name=name)
    assert version.status == Status.VALIDATED, version.error
    assert CustomsRecord.objects.get(version=version, row_number=2).description == text
    client.force_login(focal_point)
    page = client.get(reverse("inventories:version-detail", args=[version.pk])).content.decode()
    label = {
        "customs_cp1251.csv": "Windows-1251",
        "customs_koi8r.csv": "KOI8-R",
        "customs_cp1256.csv": "Windows-1256",
        "customs_cp1252.csv": "Windows-1252",
    }[name]
    assert label in page


def test_a_file_without_line_breaks_is_refused(focal_point, institution, monkeypatch):
    monkeypatch.setattr(readers, "ENCODING_SAMPLE_BYTES", 16 * 1024)
    version = receive(
        focal_point, institution, file_bytes("customs_no_line_break.csv"), name="one-line.csv"
    )
    assert version.status == Status.FAILED
    assert "no line break" in version.error


def test_a_huge_line_is_refused_quickly_in_bounded_memory(tmp_path):
    one_line = tmp_path / "one-line.csv"
    with open(one_line, "wb") as handle:
        for _ in range(40):
            handle.write(b"x," * (512 * 1024))
    header_then_line = tmp_path / "long-line.csv"
    with open(header_then_line, "wb") as handle:
        handle.write(b"declaration_id,description\n")
        for _ in range(20):
            handle.write(b"y" * (1024 * 1024))
        handle.write(b"\n")
    for path, code in ((one_line, "no_line_break"), (header_then_line, "line_too_long")):
        tracemalloc.start()
        started = time.monotonic()
        with pytest.raises(ReadError) as refused:
            readers.sniff(path, name=path.name)
        elapsed = time.monotonic() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert refused.value.code == code
        assert elapsed < 10
        assert peak < 8 * 1024 * 1024, peak


# --- Row messages -------------------------------------------------------------------------------


def test_row_messages_name_the_repeated_row_and_count_columns(focal_point, institution):
    version = receive(focal_point, institution, file_bytes("customs_duplicates_short.csv"))
    rejected = {r.row_number: r for r in RejectedRow.objects.filter(version=version)}
    assert set(rejected) == {4, 6}
    assert rejected[4].code == "duplicate" and "row 2" in rejected[4].reason
    assert rejected[6].code == "short_row"
    assert "6 columns" in rejected[6].reason and "14" in rejected[6].reason
    assert rejected[6].cells[:6] == [customs_row(5)[c] for c in CUSTOMS_HEADER[:6]]


# --- Messages in the reader's language ----------------------------------------------------------


def _page_in(client, user, language, url):
    client.force_login(user)
    client.cookies["django_language"] = language
    return client.get(url).content.decode()


def test_reasons_and_outcomes_are_shown_in_the_readers_language(
    client, focal_point, institution, secretariat
):
    focal_point.language = "es"
    focal_point.save(update_fields=["language"])
    header = [*CUSTOMS_HEADER, "nota interna"]
    rows = [customs_row(n) for n in range(1, 4)]
    rows.append(customs_row(4, quantity="diez"))
    rows.append(customs_row(5, description="x" * 12_345))
    for row in rows:
        row["nota interna"] = "-"
    version = receive(focal_point, institution, csv_bytes(rows, header=header))
    assert version.rows_rejected == 2
    # Stored for the uploader in Spanish, shown to each reader in their own language.
    assert "no es un número" in RejectedRow.objects.get(version=version, row_number=5).reason
    url = reverse("inventories:version-detail", args=[version.pk])
    english = _page_in(client, secretariat, "en", url)
    assert "“diez” is not a number." in english and "no es un número" not in english
    assert "Columns ignored: nota interna." in english
    assert "12,345 characters" in english
    assert "2 rejected" in english or "rows accepted, 2 rejected" in english
    spanish = _page_in(client, focal_point, "es", url)
    assert "no es un número" in spanish
    french = _page_in(client, secretariat, "fr", url)
    assert "n&#x27;est pas un nombre" in french
    assert "12\u202f345" in french or "12\xa0345" in french
    # The rejected rows download in the reader's language too.
    client.cookies["django_language"] = "en"
    client.force_login(secretariat)
    lines = rejected_csv(client, version)
    assert any("is not a number" in line[2] for line in lines[1:])


def test_raw_codes_do_not_reach_the_page(client, focal_point, institution):
    content = b"declaration_id,declared_on\nA1,2025-01-01\n"
    version = receive(focal_point, institution, content)
    assert version.status == Status.NEEDS_MAPPING
    page = _page_in(
        client, focal_point, "en", reverse("inventories:version-detail", args=[version.pk])
    )
    history = page[page.index("History") :]
    assert "needs_mapping" not in history and "Columns to map" in history
    assert "net_mass_kg" not in history and "Net mass" in history
    good = receive(focal_point, institution, csv_bytes([customs_row(1)]), name="good.csv")
    page = _page_in(
        client, focal_point, "en", reverse("inventories:version-detail", args=[good.pk])
    )
    rows = page[page.index('<h2 class="h5">Rows</h2>') :]
    assert ">Import<" in rows and ">import<" not in rows


def test_messages_stored_as_plain_text_stay_readable(client, focal_point, institution):
    import importlib

    from django.apps import apps

    version = receive(focal_point, institution, csv_bytes([customs_row(1), customs_row(2)]))
    RejectedRow.objects.create(
        version=version,
        row_number=9,
        column="quantity",
        reason="An old reason, written in English.",
        code="old",
    )
    DatasetVersion.objects.filter(pk=version.pk).update(
        error="Columns ignored: old.",
        error_message={},
        rows_rejected=1,
        top_reasons=[
            {
                "code": "old",
                "column": "quantity",
                "count": 1,
                "example": "An old reason, written in English.",
            }
        ],
    )
    version.events.update(message={}, note="An old note.")
    migration = importlib.import_module(
        "inventories.migrations.0005_messages_in_the_readers_language"
    )
    migration.keep_plain_messages(apps, None)
    version.refresh_from_db()
    assert version.error_message == {"text": "Columns ignored: old."}
    assert version.top_reasons[0]["message"] == {"text": "An old reason, written in English."}
    page = _page_in(
        client, focal_point, "fr", reverse("inventories:version-detail", args=[version.pk])
    )
    assert "An old reason, written in English." in page
    assert "Columns ignored: old." in page and "An old note." in page


def test_a_sheet_too_large_to_read_whole_is_refused_with_what_to_do(
    focal_point, institution, settings
):
    rows = [[customs_row(n)[c] for c in CUSTOMS_HEADER] for n in range(1, 200)]
    content = _workbook(("Cover", [["Customs extract"]]), ("Declarations", [CUSTOMS_HEADER, *rows]))
    settings.NCM_WORKBOOK_SHEET_MAX_BYTES = 4096  # this sheet unpacks to about 40 kB
    version = receive(focal_point, institution, content, name="big.xlsx")
    assert version.status == Status.FAILED
    assert "“Declarations”" in version.error and "CSV UTF-8" in version.error
    with translation.override("fr"):  # kept as its text and figures, shown in each language
        assert "CSV UTF-8" in render(version.error_message)
    assert version.raw_file.read() == content  # the upload is kept, to be read again
    assert not CustomsRecord.objects.filter(version=version).exists()

    settings.NCM_WORKBOOK_SHEET_MAX_BYTES = 1024 * 1024
    again = receive(focal_point, institution, content + b"", name="big-again.xlsx")
    assert again.is_duplicate or again.status == Status.VALIDATED
