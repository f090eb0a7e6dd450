import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_debug_off_and_a_secret():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="x7#Lq2!vR9@pZ4$wK8^mN3&bT6*hJ1(cF5)dG0-sY_uE+iO=aW~lX|kV?",
        DJANGO_ALLOWED_HOSTS="ncm.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_secret_is_required_when_debug_is_off():
    result = _manage("check", DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client, settings):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"] is True
    if settings.REDIS_URL:
        assert body["checks"]["broker"] is True
    else:
        assert "broker" not in body["checks"]


@pytest.mark.django_db
def test_healthz_says_when_the_broker_is_down(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": True, "broker": False},
    }


def test_embedded_defaults():
    """Without any environment: SQLite under var/, tasks in-process, mail as files."""
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "from ncm_portal.celery import app; "
        "print(json.dumps([s.DATABASES['default']['ENGINE'], str(s.DATABASES['default']['NAME']),"
        " app.conf.task_always_eager, s.EMAIL_BACKEND, str(s.EMAIL_FILE_PATH)]))"
    )
    environment = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("DJANGO_") and k not in ("DATABASE_URL", "REDIS_URL", "EMAIL_URL")
    }
    environment.update(DJANGO_DEBUG="1", DJANGO_SETTINGS_MODULE="ncm_portal.settings")
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    import json

    engine, name, eager, backend, mail_dir = json.loads(result.stdout.strip().splitlines()[-1])
    assert engine == "django.db.backends.sqlite3"
    assert name == str(ROOT / "var" / "ncm_portal.sqlite3")
    assert eager is True
    assert backend == "django.core.mail.backends.filebased.EmailBackend"
    assert mail_dir == str(ROOT / "var" / "mail")


@pytest.mark.django_db
def test_dates_follow_the_users_time_zone(client, institution):
    import datetime

    from coordination.models import Designation
    from tests.factories import DesignationFactory, PersonFactory, UserFactory

    designation = DesignationFactory(
        person=PersonFactory(institution=institution),
        end_date=datetime.date(2026, 3, 1),
        handover_note="Files handed over.",
        ended_at=datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.UTC),
    )
    assert Designation.objects.get(pk=designation.pk).ended_at.hour == 12
    url = reverse("coordination:institution-detail", args=[institution.pk])

    client.force_login(UserFactory(time_zone=""))
    assert "March 1, 2026, noon" in client.get(url).content.decode()
    client.force_login(UserFactory(time_zone="Pacific/Kiritimati"))  # UTC+14
    assert "March 2, 2026, 2 a.m." in client.get(url).content.decode()
