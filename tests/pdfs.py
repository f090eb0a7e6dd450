"""Reading rendered PDFs back in tests: their text, and the fonts they carry inside them."""

import io

from pypdf import PdfReader


def pdf_text(data: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


def embedded_fonts(data: bytes) -> set[str]:
    """The names of the fonts whose glyphs are embedded in the file (without the subset tag)."""
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for ref in page["/Resources"].get("/Font", {}).values():
            font = ref.get_object()
            for face in [font, *(d.get_object() for d in font.get("/DescendantFonts", []))]:
                descriptor = face.get("/FontDescriptor")
                files = ("/FontFile", "/FontFile2", "/FontFile3")
                if descriptor and any(k in descriptor.get_object() for k in files):
                    names.add(str(face["/BaseFont"]).lstrip("/").split("+", 1)[-1])
    return names
