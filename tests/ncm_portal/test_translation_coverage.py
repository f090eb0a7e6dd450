"""Every translatable string in the code and templates is in every catalogue, translated.

``test_translations.py`` checks the catalogues as committed; this test extracts the strings afresh
from the sources (``makemessages`` on a copy of the checkout, so the real catalogues are never
touched) and fails when a string was added to the code but nobody ran ``make messages`` and
translated it.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.utils.translation import to_locale

from tests.conftest import IN_CI

BASE = Path(settings.BASE_DIR)
# What `make messages` reads: the apps and templates (it ignores .venv, var, tests and bench).
SOURCES = [
    "manage.py",
    "ncm_portal",
    "coordination",
    "nip_lifecycle",
    "inventories",
    "reporting",
    "templates",
    "locale",
]
# By locale name, as makemessages and the catalogue folders know them (zh-hans is zh_Hans).
LANGUAGES = sorted(to_locale(code) for code, _ in settings.LANGUAGES if code != "en")


def _gettext_tools():
    missing = [t for t in ("xgettext", "msgmerge", "msgattrib") if not shutil.which(t)]
    if missing:
        if IN_CI:
            pytest.fail(f"GNU gettext is required in CI ({', '.join(missing)} missing)")
        pytest.skip("GNU gettext is not installed")


def _entries(po: Path, *flags: str) -> list[str]:
    """The msgids of the entries msgattrib selects with ``flags``, one string per entry."""
    result = subprocess.run(
        ["msgattrib", *flags, "--no-wrap", "--no-location", str(po)],
        capture_output=True,
        text=True,
        check=True,
    )
    blocks = result.stdout.split("\n\n")
    return [b.strip() for b in blocks if "msgid" in b and 'msgid ""\nmsgstr ""' not in b]


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory):
    _gettext_tools()
    copy = tmp_path_factory.mktemp("checkout")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo")
    for name in SOURCES:
        source = BASE / name
        if source.is_dir():
            shutil.copytree(source, copy / name, ignore=ignore)
        else:
            shutil.copy2(source, copy / name)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONSAFEPATH")}
    # Run from the copy: its settings put LOCALE_PATHS in the copy, never in the real checkout.
    env["DJANGO_DEBUG"] = "1"
    code = "import ncm_portal.settings as s, sys; sys.stdout.write(str(s.BASE_DIR))"
    where = subprocess.run(
        [sys.executable, "-c", code], cwd=copy, env=env, capture_output=True, text=True
    )
    assert where.stdout == str(copy), f"the copy imported settings from {where.stdout!r}"
    languages = [arg for code in LANGUAGES for arg in ("-l", code)]
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", *languages, "--no-obsolete"],
        cwd=copy,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return copy / "locale"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_in_the_sources_is_translated(fresh_catalogues, language):
    po = fresh_catalogues / language / "LC_MESSAGES" / "django.po"
    untranslated = _entries(po, "--untranslated")
    # msgmerge marks a new string close to an old one fuzzy, with the old translation as a guess.
    fuzzy = _entries(po, "--only-fuzzy")
    missing = untranslated + fuzzy
    assert not missing, (
        f"{len(missing)} string(s) of the sources are not translated in {language}: "
        "run make messages and translate them\n\n" + "\n\n".join(missing[:20])
    )
