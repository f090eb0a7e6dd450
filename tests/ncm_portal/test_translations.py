import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.translation import to_locale

LOCALE = Path(settings.BASE_DIR) / "locale"
CATALOGUES = sorted(LOCALE.glob("*/LC_MESSAGES/django.po"))


def test_every_offered_language_but_english_has_a_catalogue():
    # Catalogues are named by locale: zh-hans lives in locale/zh_Hans.
    offered = {to_locale(code) for code, _ in settings.LANGUAGES} - {"en"}
    assert {p.parts[-3] for p in CATALOGUES} == offered


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda p: p.parts[-3])
def test_catalogue_is_complete_and_compiled(po, tmp_path):
    if not shutil.which("msgfmt"):
        pytest.skip("GNU gettext is not installed")
    compiled = tmp_path / "django.mo"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", str(compiled), str(po)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr
    assert compiled.read_bytes() == po.with_suffix(".mo").read_bytes(), (
        f"{po} changed since it was compiled: run make messages"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("fr", "Tableau de bord"),
        ("ru", "Учреждения"),
        ("es", "Instituciones"),
        ("ar", "المؤسسات"),
        ("zh-hans", "机构"),
    ],
)
def test_pages_speak_the_users_language(client, secretariat, language, text):
    secretariat.language = language
    secretariat.save()
    client.force_login(secretariat)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    html = client.get(reverse("coordination:dashboard")).content.decode()
    assert f'lang="{language}"' in html
    assert text in html


@pytest.mark.django_db
def test_arabic_is_laid_out_right_to_left(client, secretariat):
    secretariat.language = "ar"
    secretariat.save()
    client.force_login(secretariat)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    html = client.get(reverse("coordination:dashboard")).content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "bootstrap.rtl.min.css" in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    html = client.get(reverse("coordination:dashboard")).content.decode()
    assert 'dir="ltr"' in html
    assert "bootstrap.rtl.min.css" not in html
