"""Reads that the inventories pages share, already filtered by what the user may see."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from coordination.models import Institution, User
from coordination.registry.selectors import institutions_for_focal_point
from inventories import permissions as perms
from inventories.models import Dataset, DatasetVersion


def sees_all_datasets(user: User) -> bool:
    return perms.can_view_every_dataset(user)


def institutions_for_upload(user: User) -> QuerySet[Institution]:
    """The institutions this user may upload for: all of them for the secretariat, else those
    whose focal point they are."""
    if perms.keeps_every_institution(user):
        return Institution.objects.filter(active=True).order_by("name")
    return institutions_for_focal_point(user)


def dataset_list(*, user: User) -> QuerySet[Dataset]:
    datasets = Dataset.objects.select_related(
        "institution", "current_version", "accepted_version"
    ).order_by("-period_end", "institution__name", "dataset_type")
    if sees_all_datasets(user):
        return datasets
    return datasets.filter(institution__in=institutions_for_focal_point(user))


def dataset_get_for_user(*, user: User, pk: int) -> Dataset:
    dataset = get_object_or_404(Dataset.objects.select_related("institution"), pk=pk)
    if not perms.can_view_dataset(user, dataset):
        raise PermissionDenied
    return dataset


def version_get_for_user(*, user: User, pk: int) -> DatasetVersion:
    version = get_object_or_404(
        DatasetVersion.objects.select_related("dataset", "dataset__institution", "uploaded_by"),
        pk=pk,
    )
    if not perms.can_view_dataset(user, version.dataset):
        raise PermissionDenied
    return version


def review_queue() -> QuerySet[DatasetVersion]:
    return (
        DatasetVersion.objects.filter(
            status=DatasetVersion.Status.VALIDATED,
            superseded_at__isnull=True,
            review_status__in=[DatasetVersion.Review.SUBMITTED, DatasetVersion.Review.UNDER_REVIEW],
        )
        .select_related("dataset", "dataset__institution", "uploaded_by")
        .order_by("uploaded_at")
    )


def records_page(version: DatasetVersion, model, *, after: int, size: int = 50):
    """One page of a version's rows in the order written (the file's, after the rows a correction
    carries over), by keyset on their place: fast on the millionth row too. ``after`` is the place
    of the last row of the page before, or -1; the place to continue from is returned."""
    rows = list(
        model.objects.filter(version=version, ordinal__gt=after).order_by("ordinal")[: size + 1]
    )
    more = len(rows) > size
    return rows[:size], (rows[size - 1].ordinal if more else None)


def datasets_covering(*, start, end) -> QuerySet[Dataset]:
    """Datasets whose period overlaps [start, end], with their current and accepted versions:
    the inventories a NIP update draws on."""
    return (
        Dataset.objects.filter(period_start__lte=end, period_end__gte=start)
        .select_related("institution", "current_version", "accepted_version")
        .order_by("dataset_type", "institution__name", "-period_end")
    )


ROW_NUMBERS_AT_MOST = 2_000


def parse_row_numbers(text: str) -> list[int] | None:
    """``2,3,7`` (as a report's traceability link writes them): the row numbers, sorted and once
    each; None when the text is not such a list or names too many rows."""
    try:
        numbers = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        return None
    if not numbers or numbers[0] < 1 or len(numbers) > ROW_NUMBERS_AT_MOST:
        return None
    return numbers


def records_numbered(version: DatasetVersion, model, numbers: list[int]) -> list:
    """The accepted rows of a version that bear these row numbers, in file order."""
    return list(
        model.objects.filter(version=version, row_number__in=numbers).order_by("row_number")
    )
