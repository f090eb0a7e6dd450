"""The audit history: who changed what, and when, across the registry, workplans and reports."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from coordination.audit import selectors
from coordination.audit.forms import AuditFilterForm
from coordination.permissions import can_view_audit_log


@require_GET
def audit_log(request):
    if not can_view_audit_log(request.user):
        raise PermissionDenied(_("The audit history is for the secretariat and administrators."))
    form = AuditFilterForm(request.GET or None)
    key, before = "", None
    if form.is_valid():
        key = form.cleaned_data["kind"]
        before = form.cleaned_data["before"]
    changes = selectors.recent_changes(key=key, before=before)
    older = None
    if len(changes) == selectors.PAGE:
        older = changes[-1].when.isoformat()
    return render(
        request,
        "coordination/audit_log.html",
        {"form": form, "changes": changes, "older": older, "kind": key},
    )
