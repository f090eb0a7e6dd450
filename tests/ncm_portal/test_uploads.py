"""Uploaded files are what their names say, and their names are safe to keep and send back: the
shared checks, then the document library and the dataset upload that use them."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.urls import reverse

from ncm_portal.uploads import check_content, safe_filename

# --- Real files of each kind, made here -------------------------------------------------------


def png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, "PNG")
    return buffer.getvalue()


def jpeg() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, "JPEG")
    return buffer.getvalue()


def xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["a", 1])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ooxml(main: str, extra: str = "", parts=()) -> bytes:
    """A minimal Office Open XML package whose main part has the given content type."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'content-types"><Override PartName="/main.xml" ContentType="{main}"/>{extra}</Types>',
        )
        archive.writestr("main.xml", "<document/>")
        for part in parts:
            archive.writestr(part, b"\xd0\xcf\x11\xe0 macro project")
    return buffer.getvalue()


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOCM = "application/vnd.ms-word.document.macroEnabled.main+xml"


def opendocument(mimetype: str, parts=()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>")
        for part in parts:
            archive.writestr(part, "<script/>")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return buffer.getvalue()


PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500)


def refused(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as error:
        check_content(SimpleUploadedFile(name, content), name.rsplit(".", 1)[-1], name=name)
    assert error.value.error_dict["file"][0].code == "content_mismatch"
    return error.value.message_dict["file"][0]


# --- The shared content check -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("letter.pdf", PDF),
        ("minutes.docx", ooxml(DOCX)),
        ("budget.xlsx", xlsx()),
        (
            "slides.pptx",
            ooxml(
                "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"
            ),
        ),
        ("notes.odt", opendocument("application/vnd.oasis.opendocument.text")),
        ("table.ods", opendocument("application/vnd.oasis.opendocument.spreadsheet")),
        ("old.doc", OLE),
        ("old.xls", OLE),
        ("memo.rtf", b"{\\rtf1\\ansi Hello}"),
        ("photo.png", png()),
        ("photo.jpg", jpeg()),
        ("photo.jpeg", jpeg()),
        ("scan.tif", b"II*\x00" + bytes(100)),
        ("scan.tiff", b"MM\x00*" + bytes(100)),
        ("annexes.zip", plain_zip()),
        ("annexes.zip", ooxml(DOCX)),  # an Office file is a zip too
        ("data.csv", "name;valeur\nÉtude;1,5\n".encode("cp1252")),
        ("data.csv", "name,value\nx,1\n".encode("utf-16")),
        ("readme.txt", b"Hello\n"),
    ],
)
def test_files_that_are_what_they_say_pass(name, content):
    check_content(SimpleUploadedFile(name, content), name.rsplit(".", 1)[-1])


def test_a_pdf_must_start_as_a_pdf():
    message = refused("report.pdf", png())
    assert message == (
        "“report.pdf” is named as a PDF document, but it holds a PNG image. Upload it with the "
        "extension that matches its content, or save it again as a PDF document."
    )
    assert "its content is not" in refused("report.pdf", b"just some words")


def test_office_files_must_be_zips_with_the_right_content_type():
    assert "it holds a zip archive" in refused("minutes.docx", plain_zip())
    # A workbook renamed .docx: a zip, but with the spreadsheet content type.
    assert "it holds an Excel workbook (.xlsx)" in refused("minutes.docx", xlsx())
    assert "it holds a Word document (.docx)" in refused("budget.xlsx", ooxml(DOCX))
    assert "carries macros" in refused("minutes.docx", ooxml(DOCM))
    assert "password-protected or saved in an older Office format" in refused("budget.xlsx", OLE)
    assert "its content is not" in refused("budget.xlsx", b"PK\x03\x04 not really a zip")
    assert "it holds a zip archive" in refused(
        "notes.odt", opendocument("application/zip-but-not-odf")
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        # The plain document part declared, and a macro project carried beside it.
        ("minutes.docx", ooxml(DOCX, parts=["word/vbaProject.bin"])),
        ("minutes.docx", ooxml(DOCX, parts=["word/vbaData.xml"])),
        (
            "budget.xlsx",
            ooxml(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                parts=["xl/vbaProject.bin"],
            ),
        ),
        (
            "slides.pptx",
            ooxml(
                "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
                parts=["ppt/VBAPROJECT.BIN"],
            ),
        ),
        (
            "minutes.docx",
            ooxml(
                DOCX,
                extra='<Default Extension="bin" ContentType='
                '"application/vnd.ms-office.vbaProject"/>',
            ),
        ),
        ("minutes.docx", ooxml(DOCX, parts=["word/activeX/activeX1.bin"])),
        (
            "notes.odt",
            opendocument(
                "application/vnd.oasis.opendocument.text", parts=["Basic/Standard/Module1.xml"]
            ),
        ),
        ("annexes.zip", ooxml(DOCX, parts=["word/vbaProject.bin"])),
    ],
)
def test_an_office_file_carrying_a_macro_project_is_refused(name, content):
    message = refused(name, content)
    assert "carries macros" in message and name in message


def test_an_image_must_be_what_its_extension_says():
    assert "it holds a JPEG image" in refused("photo.png", jpeg())
    assert "it holds a PNG image" in refused("photo.jpg", png())
    assert "it holds a Windows program" in refused("photo.png", b"MZ\x90\x00" + bytes(100))


def test_a_csv_must_not_be_binary():
    assert "it holds a PNG image" in refused("data.csv", png())
    assert "it holds binary data" in refused("data.csv", bytes(range(256)) * 4)
    assert "it holds an Excel workbook (.xlsx)" in refused("data.csv", xlsx())


def test_a_file_on_disk_is_checked_like_one_in_memory():
    upload = TemporaryUploadedFile("budget.xlsx", "application/octet-stream", 0, None)
    upload.write(ooxml(DOCX))
    upload.size = upload.tell()
    with pytest.raises(ValidationError):
        check_content(upload, "xlsx")
    upload.seek(0)
    assert upload.read(2) == b"PK"  # left at the start for storing


def test_extensions_without_a_rule_pass():
    check_content(SimpleUploadedFile("drawing.svg", b"<svg/>"), "svg")


# --- Names ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("uploaded", "kept"),
    [
        ("report.pdf", "report.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\amina\\Desktop\\budget 2026.xlsx", "budget 2026.xlsx"),
        ("bad\x00name\r\n.pdf", "bad name.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),  # no right-to-left override
        ('quote"s <and> pipes|?.docx', "quote_s _and_ pipes__.docx"),
        (".htaccess", "file.htaccess"),
        ("...hidden.csv", "hidden.csv"),
        (".csv", "file.csv"),
        ("", "file"),
        ("   .  ", "file"),
        ("Compte rendu – réunion n°3.pdf", "Compte rendu – réunion n°3.pdf"),
    ],
)
def test_names_are_made_safe(uploaded, kept):
    assert safe_filename(uploaded) == kept


def test_overlong_names_are_cut_and_keep_their_extension():
    name = safe_filename("a" * 500 + ".pdf")
    assert len(name) == 150 and name.endswith("aaa.pdf")
    arabic = safe_filename("تقرير" * 100 + ".docx")
    assert arabic.endswith(".docx") and len(arabic.encode()) <= 240


# --- The document library ---------------------------------------------------------------------


@pytest.fixture
def body(secretariat):
    from coordination import services

    return services.body_create(actor=secretariat, name="Technical Committee", kind="technical")


def test_the_library_refuses_a_renamed_file_and_keeps_what_was_typed(client, secretariat, body):
    from coordination.models import Document

    client.force_login(secretariat)
    url = reverse("coordination:document-create") + f"?body={body.pk}"
    payload = {
        "title": "PCB inventory",
        "category": "report",
        "audience": "signed_in",
        "language": "en",
        "description": "Second draft for comments",
    }
    response = client.post(url, {**payload, "file": SimpleUploadedFile("draft.pdf", png())})
    assert response.status_code == 200
    page = response.content.decode()
    assert "“draft.pdf” is named as a PDF document, but it holds a PNG image." in page
    assert 'value="PCB inventory"' in page and "Second draft for comments" in page
    assert not Document.objects.exists()


def test_the_library_keeps_and_sends_back_a_safe_name(client, secretariat, body):
    from coordination import services

    document = services.document_upload(
        actor=secretariat,
        title="Budget",
        category="report",
        audience="signed_in",
        file=SimpleUploadedFile("../..\\\x07.budget\u202e.xlsx", xlsx()),
        language="en",
        body=body,
    )
    version = document.versions.get()
    assert version.original_name == "budget.xlsx"
    assert "/" not in version.file.name.split("documents/", 1)[1].split("/", 1)[1]
    client.force_login(secretariat)
    response = client.get(reverse("coordination:document-download", args=[document.pk, 1]))
    assert response["Content-Disposition"] == 'attachment; filename="budget.xlsx"'


def test_a_name_stored_before_is_made_safe_when_sent_back(client, secretariat, body):
    from coordination import services

    document = services.document_upload(
        actor=secretariat,
        title="Letter",
        category="report",
        audience="signed_in",
        file=SimpleUploadedFile("letter.pdf", PDF),
        language="en",
        body=body,
    )
    document.versions.update(original_name='evil"\r\nSet-Cookie: x=1.pdf')
    client.force_login(secretariat)
    response = client.get(reverse("coordination:document-download", args=[document.pk, 1]))
    assert response["Content-Disposition"] == 'attachment; filename="evil_ Set-Cookie_ x=1.pdf"'


# --- Dataset uploads --------------------------------------------------------------------------


def test_a_dataset_that_is_not_what_its_name_says_is_refused_in_the_form(
    client, focal_point, institution
):
    from inventories.models import DatasetVersion
    from tests.inventories.test_views import upload_post

    client.force_login(focal_point)
    response = upload_post(client, institution, png(), name="customs.csv")
    assert response.status_code == 400
    page = response.content.decode()
    assert "“customs.csv” is named as a text file, but it holds a PNG image." in page
    assert 'value="2025-01-01"' in page  # the period typed is still there
    response = upload_post(client, institution, ooxml(DOCX), name="customs.xlsx")
    assert "“customs.xlsx” is named as an Excel workbook (.xlsx), but it holds a Word" in (
        response.content.decode()
    )
    response = upload_post(client, institution, OLE, name="customs.xlsx")
    assert "password-protected" in response.content.decode()
    assert not DatasetVersion.objects.exists()


def test_a_dataset_keeps_a_safe_name_and_sends_it_back(client, focal_point, institution):
    from tests.inventories.helpers import csv_bytes, customs_row, receive

    version = receive(
        focal_point,
        institution,
        csv_bytes([customs_row(1)]),
        name="..\\..\\\x1bcustoms\u202e 2025.csv",
    )
    assert version.original_name == "customs 2025.csv"
    assert version.status == "validated", version.error
    client.force_login(focal_point)
    response = client.get(reverse("inventories:version-raw", args=[version.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="customs 2025.csv"'


def test_the_api_refuses_a_binary_file_named_csv(client, focal_point, institution):
    from inventories.models import DatasetVersion
    from inventories.services import token_create

    _token, secret = token_create(actor=focal_point, institution=institution, name="customs")
    response = client.post(
        reverse("inventories:api-push"),
        {
            "dataset_type": "customs",
            "period_start": "2025-01-01",
            "period_end": "2025-12-31",
            "file": SimpleUploadedFile("extract.csv", png()),
        },
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert response.status_code == 400
    assert "it holds a PNG image" in response.content.decode()
    assert not DatasetVersion.objects.exists()
