"""Builders shared by the Article 15 tests: accepted (and not accepted) customs versions made of
declaration lines, and the people who take part in a report."""

import datetime
from decimal import Decimal

from coordination.models import Designation, Role
from coordination.services import focal_point_permissions_sync
from inventories.models import CustomsRecord, Dataset, DatasetVersion
from inventories.services.aggregates import aggregate_customs
from inventories.services.customs import MatchIndex
from inventories.services.ingest import hs_chapter_known
from tests.factories import DesignationFactory, PersonFactory, UserFactory, convention_role

# Declaration lines: (date, flow, HS code, partner, net mass in kg).
LINES_2025 = [
    (datetime.date(2025, 3, 14), "import", "3824.82.00", "DE", "100.5"),
    (datetime.date(2025, 6, 1), "import", "3824.82", "FR", "50.25"),
    (datetime.date(2025, 7, 1), "export", "3824.82", "NL", "20"),
    (datetime.date(2025, 3, 14), "import", "8504.22.00", "DE", "2300"),
    (datetime.date(2025, 2, 2), "import", "8471.30", "CN", "999"),  # not a POP
]
LINES_2024 = [(datetime.date(2024, 5, 2), "import", "2903.92", "CN", "12.125")]
LINES_NOT_ACCEPTED = [(datetime.date(2023, 4, 4), "import", "3824.82", "DE", "777777")]


def customs_version(institution, *, year, lines, sha, accepted=True) -> DatasetVersion:
    dataset = Dataset.objects.create(
        institution=institution,
        dataset_type="customs",
        period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year, 12, 31),
    )
    version = DatasetVersion.objects.create(
        dataset=dataset,
        number=1,
        raw_file="datasets/raw/test",
        sha256=sha,
        size=1,
        original_name=f"customs-{year}.csv",
        status=DatasetVersion.Status.VALIDATED,
        review_status=(
            DatasetVersion.Review.ACCEPTED if accepted else DatasetVersion.Review.SUBMITTED
        ),
    )
    index = MatchIndex()
    records = []
    for number, (declared_on, flow, hs_code, partner, mass) in enumerate(lines, 1):
        match = index.match_of(hs_code, "")
        records.append(
            CustomsRecord(
                version=version,
                row_number=number,
                declaration_id=f"D-{version.pk}-{number}",
                declared_on=declared_on,
                flow=flow,
                hs_code=hs_code,
                origin_country=partner if flow == "import" else "",
                consignment_country=partner if flow == "export" else "",
                net_mass_kg=Decimal(mass),
                match=match,
                hs_known=hs_chapter_known(hs_code),
            )
        )
    CustomsRecord.objects.bulk_create(records)
    aggregate_customs(version)
    version.rows_accepted = len(records)
    version.save(update_fields=["rows_accepted"])
    if accepted:
        dataset.accepted_version = version
        dataset.save(update_fields=["accepted_version"])
    return version


def focal_point_of(institution, email: str):
    user = UserFactory(email=email, role=Role.FOCAL_POINT)
    person = PersonFactory(institution=institution, user=user)
    DesignationFactory(person=person, kind=Designation.Kind.INSTITUTION_FOCAL_POINT)
    focal_point_permissions_sync()
    return user


def official_contact_point(institution, email: str = "ocp@ncm.test"):
    """A member whose person is currently designated to the Stockholm official contact point."""
    user = UserFactory(email=email, role=Role.MEMBER)
    person = PersonFactory(institution=institution, user=user)
    DesignationFactory(
        person=person,
        kind=Designation.Kind.CONVENTION,
        convention_role=convention_role("stockholm", "official-contact-point"),
    )
    return user
