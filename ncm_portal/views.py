"""Helpers every app's views use: the form page, and a service's refusal shown as form errors or
a message."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

FORM_TEMPLATE = "coordination/form_page.html"


def form_page(request, form, *, title: str, cancel_url: str, intro: str = "", status=200):
    return render(
        request,
        FORM_TEMPLATE,
        {"form": form, "title": title, "cancel_url": cancel_url, "intro": intro},
        status=status,
    )


def run_service(form, service, **kwargs):
    """Call a service; its refusals become form errors. Returns the result or None."""
    try:
        return service(**kwargs)
    except ValidationError as error:
        form.add_service_error(error)
        return None


def post_service(request, service, redirect_to, success, **kwargs):
    """Run a service for a POST button; its refusal becomes an error message."""
    try:
        service(actor=request.user, **kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect(redirect_to)
