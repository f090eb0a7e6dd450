"""The obligations' pages: the country's standing across the conventions, one page per
convention, recording an obligation as met, opening a Rotterdam obligation, and planning the
coming ones."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coordination.models import Convention
from ncm_portal.views import form_page, run_service
from reporting.models import ObligationInstance
from reporting.obligations import permissions as perms
from reporting.obligations import reports, selectors, services
from reporting.obligations.forms import CompleteForm, OpenForm


def _viewer(request):
    if not perms.can_view(request.user):
        raise PermissionDenied


@require_GET
def standing(request):
    _viewer(request)
    return render(
        request,
        "reporting/obligations/standing.html",
        {
            "conventions": selectors.standing(),
            "can_manage": perms.can_manage(request.user),
            "today": timezone.localdate(),
        },
    )


@require_GET
def convention(request, code: str):
    _viewer(request)
    context = selectors.convention_overview(convention=get_object_or_404(Convention, code=code))
    held = perms.held_roles(request.user)
    for group in ("late", "due"):
        for row in context[group]:
            # A national report the portal holds is met by recording its submission.
            row.may_complete = (
                row.instance is not None
                and row.report is None
                and perms.can_complete(request.user, row.instance, held)
            )
    context["can_manage"] = perms.can_manage(request.user)
    context["can_open"] = context["can_manage"] and code == Convention.Code.ROTTERDAM
    return render(request, "reporting/obligations/convention.html", context)


@require_http_methods(["GET", "POST"])
def complete(request, pk: int):
    _viewer(request)
    instance = get_object_or_404(ObligationInstance.objects.select_related("convention"), pk=pk)
    if not perms.can_complete(request.user, instance):
        raise PermissionDenied
    report = reports.report_for(instance)
    if report is not None:
        messages.info(
            request,
            _("This obligation is met by recording the submission of its report."),
        )
        return redirect(report)
    form = CompleteForm(request.POST or None, initial={"completed_on": timezone.localdate()})
    if form.is_valid():
        done = run_service(
            form,
            services.obligation_complete,
            instance=instance,
            completed_on=form.cleaned_data["completed_on"],
            reference=form.cleaned_data["reference"],
            note=form.cleaned_data["note"],
            actor=request.user,
        )
        if done is not None:
            if done.met_on_time:
                messages.success(request, _("Recorded as met on time."))
            else:
                messages.warning(request, _("Recorded as met, after its due date."))
            return redirect(done.get_absolute_url())
    return form_page(
        request,
        form,
        title=_("Record as met: %(label)s") % {"label": instance.label},
        cancel_url=instance.get_absolute_url(),
        intro=_("Due on %(day)s to the Convention's secretariat.")
        % {"day": date_format(instance.due_on, "DATE_FORMAT")},
        status=400 if form.is_bound else 200,
    )


@require_http_methods(["GET", "POST"])
def open_obligation(request):
    if not perms.can_manage(request.user):
        raise PermissionDenied
    form = OpenForm(request.POST or None)
    if form.is_valid():
        instance = run_service(
            form, services.obligation_open, actor=request.user, **form.cleaned_data
        )
        if instance is not None:
            messages.success(
                request,
                _("Obligation opened: due on %(day)s.")
                % {"day": date_format(instance.due_on, "DATE_FORMAT")},
            )
            return redirect(instance.get_absolute_url())
    return form_page(
        request,
        form,
        title=_("Open a Rotterdam Convention obligation"),
        cancel_url=reverse("reporting:obligations-convention", args=["rotterdam"]),
        intro=_(
            "The due date is the Convention's: nine months after the decision guidance "
            "document was dispatched for an import response (Article 10(2)), ninety days "
            "after the final regulatory action took effect for a notification "
            "(Article 5(1))."
        ),
        status=400 if form.is_bound else 200,
    )


@require_POST
def plan(request):
    if not perms.can_manage(request.user):
        raise PermissionDenied
    try:
        created = services.obligations_plan(actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(count)s obligations added to the plan.") % {"count": len(created)}
        )
    return redirect("reporting:obligations")
