"""No page loads anything from another site: every asset is served by the portal."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db

ASSET = re.compile(r"""<(?:script|link|img|iframe|source)\b[^>]*?\b(?:src|href)=["']([^"']+)""")
PAGES = [
    ("coordination:dashboard", []),
    ("coordination:institution-list", []),
    ("coordination:body-list", []),
    ("coordination:convention-list", []),
    ("coordination:mandate-matrix", []),
    ("coordination:institution-create", []),
    ("coordination:body-detail", [1]),
    ("coordination:institution-detail", [1]),
]


def test_pages_load_only_the_portals_own_assets(client):
    call_command("seed_demo", verbosity=0)
    signed_in = client.post(
        reverse("login"), {"username": "secretariat@ncm.example", "password": "ncm-demo-2026"}
    )
    assert signed_in.status_code == 302
    for name, args in PAGES:
        html = client.get(reverse(name, args=args)).content.decode()
        assets = ASSET.findall(html)
        assert assets, name
        for url in assets:
            assert url.startswith("/static/"), f"{name} loads {url}"
            assert finders.find(url.removeprefix("/static/")), f"{url} is not served"
            # The Chinese font (10 MB) is for the PDF renderer only; pages use the reader's fonts.
            assert "pdf_fonts" not in url and "noto-sans-sc" not in url, f"{name} loads {url}"


def test_sign_in_page_loads_only_own_assets(client):
    html = client.get(reverse("login")).content.decode()
    assert all(u.startswith("/static/") for u in ASSET.findall(html))
    assert "<script>" not in html  # no inline scripts
