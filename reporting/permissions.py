"""Who may do what with a national report (Article 15 of the Stockholm Convention, Article 21
of the Minamata Convention: ``reporting/conventions.py``).

- Everyone signed in whose role lets them read the registry reads the reports.
- Those holding ``reporting.manage_report`` (the secretariat, administrators) start reports,
  assign sections, review them, record the submission and start corrections.
- A section assigned to an institution is answered by that institution's focal points only (an
  object permission on the institution, given with their designation); a section assigned to no
  institution is answered by the secretariat.
- The person currently designated to the round's convention role that approves its reports
  approves: the Stockholm Convention's official contact point; for Minamata, its official
  contact point or national focal point.
"""

from django.utils import timezone

from coordination import permissions as coordination_perms

MANAGE_REPORT = "reporting.manage_report"


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


# The performance report names institutions that miss meetings and deadlines: it is for the
# people who run the mechanism and its members, not for read-only viewers.
PERFORMANCE_READERS = ("administrator", "secretariat", "focal_point", "member")


def can_view_performance(user) -> bool:
    return _active(user) and user.role in PERFORMANCE_READERS


def can_view_report(user, report=None) -> bool:
    return _active(user) and coordination_perms.has_role(user)


def can_manage_reports(user) -> bool:
    return _active(user) and user.has_perm(MANAGE_REPORT)


def can_edit_report(user, report) -> bool:
    """Assign, review, prefill: the report's managers while it is a draft."""
    return can_manage_reports(user) and not report.is_locked


def is_focal_point_of(user, institution) -> bool:
    """A focal point of this very institution: the object permission, not the role-wide one the
    secretariat holds on every institution."""
    if not _active(user) or institution is None:
        return False
    return user.is_superuser or user.has_perm(coordination_perms.CHANGE_INSTITUTION, institution)


def focal_institution_ids(user) -> set[int] | None:
    """The institutions the user is a focal point of, in one query at most per request
    (``coordination.permissions.institution_ids_kept_by``; None: every institution, for a
    superuser)."""
    if not _active(user):
        return set()
    if user.is_superuser:
        return None
    return set(coordination_perms.institution_ids_kept_by(user))


def may_answer_for(user, assignment, focal_ids: set[int] | None = ...) -> bool:
    """Whoever answers this section, whatever state the section or report is in. ``focal_ids``
    (from focal_institution_ids) spares a query per section on pages listing many."""
    if assignment.institution_id is None:
        return can_manage_reports(user)
    if focal_ids is ...:
        return is_focal_point_of(user, assignment.institution)
    return _active(user) and (focal_ids is None or assignment.institution_id in focal_ids)


def can_answer(user, assignment, focal_ids: set[int] | None = ...) -> bool:
    return (
        not assignment.report.is_locked
        and assignment.is_open()
        and may_answer_for(user, assignment, focal_ids)
    )


def is_official_contact_point(user, on=None) -> bool:
    """The person currently designated to the Stockholm Convention's official contact point."""
    from nip_lifecycle.services.cycles import is_official_contact_point as designated

    person = getattr(user, "person", None) if _active(user) else None
    return person is not None and designated(person, on or timezone.localdate())


def is_report_approver(user, convention: str, on=None) -> bool:
    """The person currently designated to a role of ``convention`` that approves its national
    reports (``reporting.conventions``)."""
    if convention == "stockholm":
        return is_official_contact_point(user, on)
    from coordination.models import Designation
    from reporting.conventions import kind_of

    person = getattr(user, "person", None) if _active(user) else None
    if person is None:
        return False
    return (
        Designation.objects.current(on or timezone.localdate())
        .filter(
            person=person,
            kind=Designation.Kind.CONVENTION,
            convention_role__convention__code=convention,
            convention_role__code__in=kind_of(convention).approver_roles,
        )
        .exists()
    )


def can_approve(user, report) -> bool:
    return not report.is_locked and is_report_approver(user, report.round.convention)


require = coordination_perms.require
