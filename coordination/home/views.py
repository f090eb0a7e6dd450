"""The home page: what needs the signed-in person, and the registry at a glance."""

from django.shortcuts import render

from coordination.home import selectors
from coordination.models import Reply, Role
from coordination.registry.selectors import (
    bodies_served_by,
    body_list,
    institutions_for_focal_point,
    mechanism_warnings,
    registry_counts,
    vacancy_warnings,
)


def dashboard(request):
    """Every role's home page: first what the mechanism expects of this person (the reminders'
    own deadlines), then what their role looks after."""
    user = request.user
    role = user.role
    context = {"role": role}
    served = None
    if role == Role.SECRETARIAT:
        context["served_key"] = selectors.bodies_served_key(user)
        served = context["bodies"] = selectors.bodies_served(user, key=context["served_key"])
    me = selectors.me_for(user, served=served)
    context["needs"] = selectors.what_needs_me(me)
    context["reply_choices"] = Reply.Response.choices
    context["me_person"] = me.person
    if role in (Role.ADMINISTRATOR, Role.SECRETARIAT):
        context["warnings"] = mechanism_warnings()
        context["counts"], context["missing_reports"] = selectors.mechanism_at_a_glance()
        context["overdue_count"] = context["counts"]["overdue_tasks"]
    if role == Role.ADMINISTRATOR:
        context["bodies"] = bodies_served_by(user)
    if role == Role.FOCAL_POINT:
        mine = list(institutions_for_focal_point(user))
        context["institutions"] = [
            {
                "institution": inst,
                "warnings": vacancy_warnings(institution=inst),
            }
            for inst in mine
        ]
    if role in (Role.FOCAL_POINT, Role.MEMBER):
        # The designations of the standing: the same rows, read once.
        context["me"] = (
            {"person": me.person, "current_designations": me.designations} if me.person else None
        )
    if role == Role.VIEWER:
        context["counts"] = registry_counts()
        context["bodies"] = body_list().filter(active=True)
    return render(request, f"coordination/dashboard_{role.value}.html", context)
