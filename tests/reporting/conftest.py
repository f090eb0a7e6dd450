import pytest

from reporting.models import Round
from reporting.services import article15
from tests.factories import InstitutionFactory
from tests.reporting.article15_helpers import (
    LINES_2024,
    LINES_2025,
    LINES_NOT_ACCEPTED,
    customs_version,
    focal_point_of,
    official_contact_point,
)


@pytest.fixture
def customs_service(db):
    return InstitutionFactory(name="Customs Service of Veridia", acronym="CSV")


@pytest.fixture
def accepted_customs(customs_service):
    """Two accepted customs versions in the sixth round's period and one awaiting review."""
    return {
        "accepted": [
            customs_version(customs_service, year=2025, lines=LINES_2025, sha="a1" * 32),
            customs_version(customs_service, year=2024, lines=LINES_2024, sha="b2" * 32),
        ],
        "pending": customs_version(
            customs_service, year=2023, lines=LINES_NOT_ACCEPTED, sha="c3" * 32, accepted=False
        ),
    }


@pytest.fixture
def sixth(db):
    return Round.objects.get(number=6)


@pytest.fixture
def draft(secretariat, accepted_customs, sixth):
    return article15.report_start(round=sixth, actor=secretariat)


@pytest.fixture
def customs_focal(customs_service):
    return focal_point_of(customs_service, "customs.focal@ncm.test")


@pytest.fixture
def health(db):
    return InstitutionFactory(name="Ministry of Health of Veridia", acronym="MHV")


@pytest.fixture
def health_focal(health):
    return focal_point_of(health, "health.focal@ncm.test")


@pytest.fixture
def contact_point(db):
    ministry = InstitutionFactory(name="Ministry of Environment of Veridia", acronym="MEV")
    return official_contact_point(ministry)
