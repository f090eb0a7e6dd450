"""Pages for what the secretariat keeps beside the datasets: submission schedules, national product
codes, emission factors, and the tokens of the data API."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coordination.permissions import require
from inventories import permissions as perms
from inventories import selectors, services
from inventories.forms import (
    EmissionFactorForm,
    EmissionFactorImportForm,
    NationalCodeForm,
    ScheduleForm,
    TokenForm,
)
from inventories.models import (
    ApiToken,
    EmissionFactor,
    NationalProductCode,
    SourceCategory,
    SubmissionSchedule,
)
from inventories.schedules import owed
from inventories.services.customs import national_code_save
from ncm_portal.views import form_page, run_service


def schedule_list(request):
    require(perms.can_view_schedules(request.user))
    items = owed(on=timezone.localdate(), horizon_days=60)
    return render(
        request,
        "inventories/schedule_list.html",
        {
            "items": items,
            "late": [o for o in items if o.late],
            "schedules": SubmissionSchedule.objects.select_related("institution"),
            "can_manage": perms.can_manage_schedules(request.user),
            "today": timezone.localdate(),
        },
    )


def schedule_edit(request, pk=None):
    require(perms.can_manage_schedules(request.user))
    schedule = get_object_or_404(SubmissionSchedule, pk=pk) if pk else None
    form = ScheduleForm(request.POST or None, instance=schedule)
    if request.method == "POST" and form.is_valid():
        fields = {f: form.cleaned_data[f] for f in form.Meta.fields}
        saved = run_service(
            form, services.schedule_save, actor=request.user, schedule=schedule, **fields
        )
        if saved is not None:
            messages.success(request, _("Schedule saved."))
            return redirect("inventories:schedule-list")
    return form_page(
        request,
        form,
        title=_("Submission schedule"),
        cancel_url=reverse("inventories:schedule-list"),
    )


# --- Reference codes the secretariat keeps -------------------------------------------------------


def national_code_list(request):
    codes = NationalProductCode.objects.select_related("hs_code").prefetch_related("chemicals")
    from inventories.selectors_data import group_codes_without_subdivision

    return render(
        request,
        "inventories/national_code_list.html",
        {
            "codes": codes,
            "can_manage": perms.can_manage_reference(request.user),
            "unresolved_groups": group_codes_without_subdivision(),
        },
    )


def national_code_edit(request, pk=None):
    require(perms.can_manage_reference(request.user))
    code = get_object_or_404(NationalProductCode, pk=pk) if pk else None
    form = NationalCodeForm(request.POST or None, instance=code)
    if request.method == "POST" and form.is_valid():
        national_code_save(form=form, actor=request.user)
        messages.success(
            request,
            _(
                "National code saved. The customs totals of the accepted data are computed again "
                "with it."
            ),
        )
        return redirect("inventories:national-code-list")
    return form_page(
        request,
        form,
        title=_("National product code"),
        cancel_url=reverse("inventories:national-code-list"),
    )


def emission_factor_list(request):
    factors = EmissionFactor.objects.select_related("category", "category__group")
    categories = SourceCategory.objects.select_related("group").annotate(
        factors=Count("emission_factors")
    )
    return render(
        request,
        "inventories/emission_factor_list.html",
        {
            "factors": factors,
            "categories": categories,
            "can_manage": perms.can_manage_reference(request.user),
        },
    )


def emission_factor_edit(request, pk=None):
    require(perms.can_manage_reference(request.user))
    factor = get_object_or_404(EmissionFactor, pk=pk) if pk else None
    form = EmissionFactorForm(request.POST or None, instance=factor)
    if request.method == "POST" and form.is_valid():
        saved = form.save(commit=False)
        saved.entered_by = request.user
        saved._history_user = request.user
        saved.save()
        messages.success(request, _("Emission factor saved."))
        return redirect("inventories:emission-factor-list")
    return form_page(
        request,
        form,
        title=_("Emission factor"),
        cancel_url=reverse("inventories:emission-factor-list"),
    )


def emission_factor_import(request):
    require(perms.can_manage_reference(request.user))
    form = EmissionFactorImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        from inventories.services.factors import import_factors

        try:
            count = import_factors(actor=request.user, file=form.cleaned_data["file"])
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("%(count)s emission factors imported.") % {"count": count})
            return redirect("inventories:emission-factor-list")
    return form_page(
        request,
        form,
        title=_("Import emission factors"),
        cancel_url=reverse("inventories:emission-factor-list"),
    )


# --- API keys ------------------------------------------------------------------------------------


def token_list(request):
    require(perms.can_upload_any(request.user))
    institutions = selectors.institutions_for_upload(request.user)
    form = TokenForm(request.POST or None, institutions=institutions)
    secret = None
    if request.method == "POST" and form.is_valid():
        token, secret = services.token_create(
            actor=request.user,
            institution=form.cleaned_data["institution"],
            name=form.cleaned_data["name"],
        )
        form = TokenForm(institutions=institutions)
    tokens = ApiToken.objects.filter(institution__in=institutions).select_related(
        "institution", "created_by"
    )
    response = render(
        request, "inventories/token_list.html", {"form": form, "tokens": tokens, "secret": secret}
    )
    if secret:
        response["Cache-Control"] = "no-store"
    return response


@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken.objects.select_related("institution"), pk=pk)
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, _("Key revoked: systems using it can no longer push files."))
    return redirect("inventories:token-list")
