"""Who may do what in a NIP cycle. The secretariat serving the lead body manages the cycle; the
secretariat serving the technical committee records its reviews; members of the lead body's
member institutions comment on the draft; everyone signed in who may see bodies reads."""

from coordination import permissions as perms


def can_view_cycle(user, cycle=None) -> bool:
    return perms.has_role(user)


def can_add_cycle(user, body=None) -> bool:
    if body is not None:
        return perms.can_manage_body(user, body)
    return perms.is_secretariat(user)


def can_manage_cycle(user, cycle) -> bool:
    return perms.can_manage_body(user, cycle.lead_body)


def can_review(user, cycle) -> bool:
    return perms.can_manage_body(user, cycle.technical_committee) or can_manage_cycle(user, cycle)


def can_comment(user, cycle) -> bool:
    """Focal points and members of the lead body's member institutions."""
    return user.is_authenticated and perms.is_member_of(user, cycle.lead_body)


require = perms.require
