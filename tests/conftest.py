import datetime
import os
import socket
from urllib.parse import urlparse

import pytest
from django.utils import timezone

from coordination.models import Designation, Role
from coordination.services import focal_point_permissions_sync
from tests import shifted_clock
from tests.factories import DesignationFactory, InstitutionFactory, PersonFactory, UserFactory

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _answers(url: str) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port), timeout=3):
            return True
    except OSError:
        return False


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    """With NCM_TEST_CLOCK_SHIFT_DAYS set, the whole run (test database included) lives that many
    days away from the real date; see tests/shifted_clock.py."""
    shifted_clock.start()


def pytest_report_header(config):
    days = shifted_clock.shift_days()
    if days:
        return f"clock shifted by {days:+d} days: today is {timezone.localdate().isoformat()}"
    return None


def pytest_sessionstart(session):
    """In CI the suite runs against real PostgreSQL and Redis, or not at all."""
    if not IN_CI:
        return
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    problems = []
    if not database_url.startswith(("postgres://", "postgresql://")):
        problems.append("DATABASE_URL must point at PostgreSQL in CI")
    elif not _answers(database_url):
        problems.append(f"PostgreSQL does not answer at {database_url}")
    if not redis_url:
        problems.append("REDIS_URL must be set in CI")
    elif not _answers(redis_url):
        problems.append(f"Redis does not answer at {redis_url}")
    if not os.path.exists("/usr/bin/chromium"):
        problems.append("Chromium is missing at /usr/bin/chromium")
    if problems:
        pytest.exit("; ".join(problems), returncode=3)


def require_service(name: str, available: bool) -> None:
    """Skip a test that needs a service outside CI; in CI, a missing service is a failure."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{name} is required in CI")
    pytest.skip(f"{name} is not configured here")


@pytest.fixture
def today() -> datetime.date:
    """The date every test counts from: the portal's today, in its time zone."""
    return timezone.localdate()


@pytest.fixture(autouse=True)
def _media_and_mail(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Password hashing is deliberately slow; tests only need it to work.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A request in another language leaves it active in the thread; start each test afresh."""
    from django.conf import settings
    from django.utils import translation

    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_fragments():
    """Cached page fragments outlive a test's rolled-back rows (and, in Redis, the run): new
    stamps at each start, so no test sees rows cached by another one."""
    from coordination.fragments import REGISTRY, WORKPLANS
    from ncm_portal.fragments import bump

    bump(REGISTRY, WORKPLANS)


@pytest.fixture(autouse=True)
def _eager_celery(request):
    """Tasks run in-process unless a test asks for a real worker."""
    from ncm_portal.celery import app

    eager = "celery_worker" not in request.keywords
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = eager
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def admin_user(db):
    return UserFactory(
        email="admin@ncm.test", is_staff=True, is_superuser=True, role=Role.ADMINISTRATOR
    )


@pytest.fixture
def secretariat(db):
    return UserFactory(email="secretariat@ncm.test", role=Role.SECRETARIAT)


@pytest.fixture
def member(db):
    return UserFactory(email="member@ncm.test", role=Role.MEMBER)


@pytest.fixture
def viewer(db):
    return UserFactory(email="viewer@ncm.test", role=Role.VIEWER)


@pytest.fixture
def institution(db):
    return InstitutionFactory(name="Veridia Customs Service", acronym="VCS")


@pytest.fixture
def other_institution(db):
    return InstitutionFactory(name="Ministry of Health", acronym="MoH")


@pytest.fixture
def focal_point(db, institution):
    """A user who is the current focal point of ``institution``."""
    user = UserFactory(email="focal@ncm.test", role=Role.FOCAL_POINT)
    person = PersonFactory(institution=institution, user=user)
    DesignationFactory(person=person, kind=Designation.Kind.INSTITUTION_FOCAL_POINT)
    focal_point_permissions_sync()
    return user
