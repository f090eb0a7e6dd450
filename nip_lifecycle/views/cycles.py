"""NIP cycles: the list, a new cycle, a cycle's page, its amendments and deadline."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ncm_portal.views import form_page, run_service
from nip_lifecycle import forms, selectors, services
from nip_lifecycle import permissions as perms
from nip_lifecycle.views.common import form_service, get_cycle, list_url


def cycle_list(request):
    perms.require(perms.can_view_cycle(request.user))
    cycles = list(selectors.cycle_list(user=request.user))
    today = timezone.localdate()
    rows = []
    for cycle in cycles:
        deadline = cycle.deadline(cycle.amendments.all())
        steps = sorted(cycle.steps.all(), key=lambda s: s.number)
        rows.append(
            {
                "cycle": cycle,
                "deadline": deadline,
                "days_left": selectors.days_left(deadline, today),
                "days_late": -(selectors.days_left(deadline, today) or 0),
                "current": next((s for s in steps if not s.is_completed), None),
                "completed": sum(1 for s in steps if s.is_completed),
            }
        )
    return render(
        request,
        "nip_lifecycle/cycle_list.html",
        {"rows": rows, "can_add": perms.can_add_cycle(request.user)},
    )


@require_http_methods(["GET", "POST"])
def cycle_create(request):
    perms.require(perms.can_add_cycle(request.user))
    form = forms.CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        cycle = run_service(form, services.cycle_create, actor=request.user, **form.cleaned_data)
        if cycle:
            messages.success(request, _("Cycle created with its eight steps."))
            return redirect(cycle)
    return form_page(request, form, title=_("New NIP update cycle"), cancel_url=list_url())


def cycle_detail(request, pk):
    cycle = get_cycle(request, pk)
    context = selectors.cycle_detail(cycle=cycle)
    context.update(
        can_manage=perms.can_manage_cycle(request.user, cycle),
        events=selectors.cycle_events(cycle, limit=30),
    )
    return render(request, "nip_lifecycle/cycle_detail.html", context)


@require_http_methods(["GET", "POST"])
def amendment_add(request, pk):
    cycle = get_cycle(request, pk, manage=True)
    form = forms.AmendmentForm(request.POST or None)
    if cycle.article_25_4:
        intro = _(
            "This Party made an Article 25(4) declaration: enter the date each amendment "
            "entered into force for it."
        )
    else:
        intro = _("The Party's date is the general entry-into-force date unless you enter another.")
    return form_service(
        request,
        form,
        services.amendment_add,
        cycle=cycle,
        then=cycle,
        success=_("Amendment added; the deadline is recomputed."),
        title=_("Amendment answered by %(cycle)s") % {"cycle": cycle},
        intro=intro,
        cancel_url=cycle.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
def cycle_deadline(request, pk):
    cycle = get_cycle(request, pk, manage=True)
    form = forms.DeadlineForm(
        request.POST or None,
        initial={"deadline": cycle.deadline_override, "reason": cycle.deadline_override_reason},
    )
    return form_service(
        request,
        form,
        services.cycle_set_deadline,
        success=_("Deadline saved."),
        then=cycle,
        cycle=cycle,
        title=_("Transmission deadline"),
        intro=_("By the rule: %(date)s (entry into force for the Party plus two years).")
        % {"date": cycle.computed_deadline() or "—"},
        cancel_url=cycle.get_absolute_url(),
    )


# --- Steps ------------------------------------------------------------------------------------
