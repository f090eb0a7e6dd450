"""The PDF renderer reaches nothing outside the portal's own static files."""

import socket

import pytest
from django.template import engines

from ncm_portal import pdf
from tests.pdfs import embedded_fonts, pdf_text

HOSTILE = [
    "file:///etc/passwd",
    "/etc/passwd",
    "http://127.0.0.1:6379/",
    "http://169.254.169.254/latest/meta-data/",
    "https://portal.invalid/static/../../../../etc/passwd",
    "https://portal.invalid/static/css/print.css?redirect=http://example.org/",
    "https://example.org/static/css/print.css",
]


@pytest.mark.parametrize("url", HOSTILE)
def test_the_fetcher_refuses_everything_but_portal_static_files(url):
    with pytest.raises(pdf.BlockedResource):
        pdf.PortalURLFetcher().fetch(url if "://" in url else "https://portal.invalid" + url)


def test_portal_static_files_are_served():
    response = pdf.PortalURLFetcher().fetch("https://portal.invalid/static/css/print.css")
    assert b"font-family" in response.read()


def test_a_hostile_document_renders_without_reading_files_or_opening_connections(
    monkeypatch, tmp_path
):
    connections, opened = [], []
    real_connect = socket.socket.connect

    def watching_connect(self, address):
        connections.append(address)
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", watching_connect)
    real_open = open

    def watching_open(path, *args, **kwargs):
        opened.append(str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", watching_open)
    template = engines["django"].from_string(
        "".join(f'<img src="{u}"><link rel="stylesheet" href="{u}">' for u in HOSTILE)
        + "<p>Record</p>"
    )
    monkeypatch.setattr(pdf, "render_to_string", lambda name, context: template.render(context))
    document = pdf.render_pdf("ignored.html", {})
    assert document.startswith(b"%PDF")
    assert connections == []
    assert not any("passwd" in path for path in opened)


def test_chinese_is_set_in_the_font_the_portal_ships(monkeypatch, caplog):
    """The server needs no Chinese font of its own: PDFs take Noto Sans SC from the portal's
    static files and embed it, so every character comes out as a glyph, none as a blank box."""
    template = engines["django"].from_string(
        '{% load static %}<html lang="zh-hans"><head>'
        '<link rel="stylesheet" href="{% static \'css/print.css\' %}">'
        '<link rel="stylesheet" href="{% static \'css/pdf_fonts.css\' %}"></head>'
        "<body><h1>关于持久性有机污染物的斯德哥尔摩公约</h1><p>国家实施计划（2026年）。</p></body></html>"
    )
    monkeypatch.setattr(pdf, "render_to_string", lambda name, context: template.render(context))
    document = pdf.render_pdf("ignored.html", {})
    assert "关于持久性有机污染物的斯德哥尔摩公约 国家实施计划（2026年）。" in pdf_text(document)
    assert "Noto-Sans-SC" in embedded_fonts(document)
    assert not [r for r in caplog.records if "notdef" in r.getMessage()]


def test_documents_without_chinese_keep_their_latin_font_and_carry_no_other(monkeypatch):
    template = engines["django"].from_string(
        '{% load static %}<html lang="en"><head>'
        '<link rel="stylesheet" href="{% static \'css/print.css\' %}">'
        '<link rel="stylesheet" href="{% static \'css/pdf_fonts.css\' %}"></head>'
        "<body><h1>Record of the vote</h1><p>Adopted.</p></body></html>"
    )
    monkeypatch.setattr(pdf, "render_to_string", lambda name, context: template.render(context))
    assert embedded_fonts(pdf.render_pdf("ignored.html", {})) == {"DejaVu-Sans", "DejaVu-Sans-Bold"}
