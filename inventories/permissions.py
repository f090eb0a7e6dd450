"""Who may do what with datasets. A focal point acts for the institutions they hold an object
permission on; the secretariat for every institution; reviewers hold
`inventories.review_dataset`."""

from coordination.permissions import (
    CHANGE_INSTITUTION,
    has_model_or_object_perm,
    institution_ids_kept_by,
    keeps_an_institution,
    keeps_every_institution,
)


def can_upload(user, institution) -> bool:
    return has_model_or_object_perm(user, CHANGE_INSTITUTION, institution)


def can_upload_any(user) -> bool:
    """The upload page and the API keys: the secretariat, and focal points of an institution."""
    return keeps_every_institution(user) or keeps_an_institution(user)


def can_view_dataset(user, dataset) -> bool:
    """Rows, rejected rows and the raw file: the institution, the secretariat and the reviewers.
    Asked for every row of a list: one query per request at most."""
    return (
        keeps_every_institution(user)
        or can_review(user)
        or dataset.institution_id in institution_ids_kept_by(user)
    )


def can_view_every_dataset(user) -> bool:
    return keeps_every_institution(user) or can_review(user)


def can_view_schedules(user) -> bool:
    """Who owes which dataset and who is late: those who see every institution's datasets."""
    return can_view_every_dataset(user)


def can_review(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm("inventories.review_dataset")


def can_manage_reference(user) -> bool:
    return user.has_perm("inventories.change_nationalproductcode")


def can_manage_schedules(user) -> bool:
    return user.has_perm("inventories.add_submissionschedule")
