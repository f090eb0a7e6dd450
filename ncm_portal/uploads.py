"""Checks on uploaded files that every app shares: is the content what the name says, and a name
that is safe to store and to send back.

:func:`check_content` compares the first bytes (and, for office files, the zip directory and the
declared content types) with what the extension promises, and raises a ``ValidationError`` whose
message names the file, what it was declared as and, when recognisable, what it really holds.
:func:`text_encoding` is the test the dataset reader uses too: text in a known encoding, or
binary. :func:`safe_filename` turns an uploaded name into one without path separators, control
or direction characters, leading dots or excessive length, keeping its extension.
"""

from __future__ import annotations

import codecs
import os
import re
import unicodedata
import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

HEAD_BYTES = 1024 * 1024
MAX_NAME_CHARS = 150
MAX_NAME_BYTES = 240
CONTENT_TYPES_MAX_BYTES = 1024 * 1024

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06")
BINARY_SIGNATURES = (
    b"\x89PNG",
    b"%PDF",
    b"GIF8",
    b"\xff\xd8\xff",
    b"PK\x03\x04",
    b"PK\x05\x06",
    b"\xd0\xcf\x11\xe0",
    b"\x1f\x8b",
    b"7z\xbc\xaf",
    b"Rar!",
)
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 26, 27))

# --- Text or binary ----------------------------------------------------------------------------


def _utf16_without_bom(sample):
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even = sample[0 : pairs * 2 : 2].count(0)
    odd = sample[1 : pairs * 2 : 2].count(0)
    # Mostly-ASCII UTF-16 has a NUL in every other byte, on the same side.
    if odd >= pairs * 0.25 and even * 5 <= odd:
        return "utf-16-le"
    if even >= pairs * 0.25 and odd * 5 <= even:
        return "utf-16-be"
    return None


def text_encoding(head: bytes, *, whole: bool) -> str | None:
    """The codec of a text sample (UTF-8 with or without BOM, UTF-16, Windows-1252, Latin-1), or
    None when it is binary (an image, a PDF, a workbook, an archive, control bytes). ``whole``
    says the sample is the whole file, so it may not end inside a multibyte character."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith(codecs.BOM_UTF32_LE) or head.startswith(codecs.BOM_UTF32_BE):
        return None
    if head.startswith(codecs.BOM_UTF16_LE) or head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"
    if b"\x00" in head:
        return _utf16_without_bom(head)
    if head.startswith(BINARY_SIGNATURES) or (
        len(head.translate(None, _CONTROL_BYTES)) < len(head) * 0.99
    ):
        return None
    try:
        # ``final`` is false when the sample may end inside a multibyte character.
        codecs.getincrementaldecoder("utf-8")("strict").decode(head, final=whole)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        head.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


# --- What a file holds -------------------------------------------------------------------------

OOXML_MAIN = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
OPENDOCUMENT = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
    "odp": b"application/vnd.oasis.opendocument.presentation",
}
TEXT_EXTENSIONS = {"txt", "csv", "tsv"}

KIND_LABELS = {
    "pdf": gettext_lazy("a PDF document"),
    "docx": gettext_lazy("a Word document (.docx)"),
    "xlsx": gettext_lazy("an Excel workbook (.xlsx)"),
    "pptx": gettext_lazy("a PowerPoint presentation (.pptx)"),
    "odt": gettext_lazy("an OpenDocument text (.odt)"),
    "ods": gettext_lazy("an OpenDocument spreadsheet (.ods)"),
    "odp": gettext_lazy("an OpenDocument presentation (.odp)"),
    "ole": gettext_lazy("an older Office file (.doc, .xls or .ppt)"),
    "rtf": gettext_lazy("a Rich Text document (.rtf)"),
    "png": gettext_lazy("a PNG image"),
    "jpeg": gettext_lazy("a JPEG image"),
    "gif": gettext_lazy("a GIF image"),
    "tiff": gettext_lazy("a TIFF image"),
    "zip": gettext_lazy("a zip archive"),
    "gzip": gettext_lazy("a gzip archive"),
    "7z": gettext_lazy("a 7-Zip archive"),
    "rar": gettext_lazy("a RAR archive"),
    "exe": gettext_lazy("a Windows program"),
    "elf": gettext_lazy("a Linux program"),
    "text": gettext_lazy("a text file"),
    "binary": gettext_lazy("binary data"),
    "macro": gettext_lazy("an Office file with macros"),
}
DECLARED = {
    "pdf": "pdf",
    "docx": "docx",
    "xlsx": "xlsx",
    "pptx": "pptx",
    "odt": "odt",
    "ods": "ods",
    "odp": "odp",
    "doc": "ole",
    "xls": "ole",
    "ppt": "ole",
    "rtf": "rtf",
    "png": "png",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "gif": "gif",
    "tif": "tiff",
    "tiff": "tiff",
    "zip": "zip",
    "txt": "text",
    "csv": "text",
    "tsv": "text",
}
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (OLE_SIGNATURE, "ole"),
    (b"{\\rtf", "rtf"),
    (b"\x1f\x8b", "gzip"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
    (b"Rar!\x1a\x07", "rar"),
    (b"MZ", "exe"),
    (b"\x7fELF", "elf"),
)


# A macro project inside an Office file: word/vbaProject.bin, xl/vbaProject.bin,
# ppt/vbaProject.bin (and their signatures, vbaData.xml), an ActiveX control, or the Basic and
# Scripts folders of an OpenDocument file. Such a file is refused whatever else it declares.
_MACRO_PART = re.compile(
    r"(^|/)(vba[^/]*\.(bin|xml)|activeX/[^/]*\.bin)$|^(Basic|Scripts)/", re.IGNORECASE
)


def _carries_macros(names, types: str) -> bool:
    lowered = types.lower()
    return (
        any(_MACRO_PART.search(name) for name in names)
        or "macroenabled" in lowered
        or "vbaproject" in lowered
    )


def _zip_kind(handle) -> str:
    """docx, xlsx, pptx, odt, ods, odp, macro (an Office file with macros), or zip."""
    try:
        with zipfile.ZipFile(handle) as archive:
            names = set(archive.namelist())
            types = ""
            if "[Content_Types].xml" in names:
                with archive.open("[Content_Types].xml") as member:
                    types = member.read(CONTENT_TYPES_MAX_BYTES).decode("utf-8", "replace")
            office = "[Content_Types].xml" in names or "mimetype" in names
            if office and _carries_macros(names, types):
                return "macro"
            if types:
                for kind, main in OOXML_MAIN.items():
                    if main in types:
                        return kind
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    mimetype = member.read(200).strip()
                for kind, wanted in OPENDOCUMENT.items():
                    if mimetype == wanted:
                        return kind
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, KeyError):
        return "binary"
    return "zip"


def _head(upload) -> bytes:
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return head


def content_kind(upload, *, head: bytes | None = None) -> str:
    """What the file holds, from its content alone (one of the keys of KIND_LABELS)."""
    head = _head(upload) if head is None else head
    if head.startswith(ZIP_SIGNATURES):
        try:
            return _zip_kind(upload.file if hasattr(upload, "file") else upload)
        finally:
            upload.seek(0)
    # A PDF's header may follow a few bytes of junk; readers accept it within the first kilobyte.
    if b"%PDF" in head[:1024]:
        return "pdf"
    for signature, kind in _SIGNATURES:
        if head.startswith(signature):
            return kind
    size = getattr(upload, "size", None)
    return "text" if text_encoding(head, whole=size is not None and size <= len(head)) else "binary"


def check_content(upload, extension: str, *, name: str | None = None) -> None:
    """Refuse a file whose content is not what its extension says. Extensions this module does
    not know (set by a deployment) are let through."""
    extension = extension.lower().lstrip(".")
    declared = DECLARED.get(extension)
    if declared is None:
        return
    if declared == "text":
        # The dataset reader's own test: text in an encoding it reads, whatever the first bytes.
        head = _head(upload)
        size = getattr(upload, "size", None)
        if text_encoding(head, whole=size is not None and size <= len(head)) is not None:
            return
        kind = content_kind(upload, head=head)
        kind = "binary" if kind == "text" else kind
    else:
        kind = content_kind(upload)
    if kind == declared or (declared == "zip" and kind in OOXML_MAIN.keys() | OPENDOCUMENT.keys()):
        return
    params = {
        "name": name or os.path.basename(str(upload.name)),
        "declared": KIND_LABELS[declared],
        "actual": KIND_LABELS[kind],
    }
    if kind == "macro":
        message = _(
            "“%(name)s” carries macros (a program inside the document), which the portal does not "
            "accept. Save it again without macros, for example as %(declared)s, and upload it."
        )
        params["declared"] = KIND_LABELS[declared if declared in OOXML_MAIN else "docx"]
    elif kind == "ole" and declared in OOXML_MAIN:
        message = _(
            "“%(name)s” is password-protected or saved in an older Office format (.doc, .xls, "
            ".ppt). Remove the password or save it as %(declared)s, then upload it again."
        )
    elif kind in ("binary", "text", "zip"):
        message = _(
            "“%(name)s” is named as %(declared)s, but its content is not: it holds %(actual)s. "
            "The file may be damaged or renamed; save it again in that format and upload it."
        )
    else:
        message = _(
            "“%(name)s” is named as %(declared)s, but it holds %(actual)s. Upload it with the "
            "extension that matches its content, or save it again as %(declared)s."
        )
    raise ValidationError({"file": ValidationError(message % params, code="content_mismatch")})


# --- Names -------------------------------------------------------------------------------------

_RESERVED = re.compile(r'[<>:"/\\|?*]')


def safe_filename(name: str, *, default: str = "file") -> str:
    """The last part of an uploaded name, without control, format (direction) or reserved
    characters, leading dots and spaces, with runs of spaces collapsed, and short enough for any
    file system (the extension kept). A name left empty becomes ``default`` with the extension."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in name)
    name = "".join(c for c in name if unicodedata.category(c) != "Cf")
    name = _RESERVED.sub("_", name)
    name = " ".join(name.split())
    name = re.sub(r" +\.", ".", name)
    hidden = name.startswith(".")
    name = name.lstrip(". ").rstrip(". ")
    if hidden and "." not in name:
        # ".csv": the part after the dot is the extension.
        name = f"{default}.{name}" if name else default
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    extension = extension[:16]
    suffix = f".{extension}" if extension else ""
    stem = stem.strip() or default
    limit = MAX_NAME_CHARS - len(suffix)
    stem = stem[:limit]
    while len((stem + suffix).encode("utf-8")) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return (stem.rstrip(". ") or default) + suffix
