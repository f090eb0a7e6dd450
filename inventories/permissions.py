"""Who may do what with datasets. A focal point acts for the institutions they hold an object
permission on; the secretariat for every institution; reviewers hold
`inventories.review_dataset`."""

from coordination.permissions import CHANGE_INSTITUTION, _either


def can_upload(user, institution) -> bool:
    return _either(user, CHANGE_INSTITUTION, institution)


def can_view_dataset(user, dataset) -> bool:
    """Rows, rejected rows and the raw file: the institution, the secretariat and the reviewers."""
    return can_upload(user, dataset.institution) or can_review(user)


def can_review(user) -> bool:
    return user.is_authenticated and user.is_active and user.has_perm("inventories.review_dataset")


def can_manage_reference(user) -> bool:
    return user.has_perm("inventories.change_nationalproductcode")


def can_manage_schedules(user) -> bool:
    return user.has_perm("inventories.add_submissionschedule")
