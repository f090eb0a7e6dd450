"""Two-step sign-in: the code page after the password, and enrolment under My settings."""

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from coordination.accounts import two_factor
from coordination.accounts.forms import CodeForm


def with_language(response, user):
    """Signing in switches the interface to the language the user chose in their profile."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        user.language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
        secure=settings.LANGUAGE_COOKIE_SECURE,
    )
    return response


def _paused(request):
    from ncm_portal.security import locked_out

    return locked_out(request, after_code=True)


@login_not_required
@require_http_methods(["GET", "POST"])
def sign_in_code(request):
    """The second step: nobody is signed in until the code is right."""
    state = two_factor.pending(request)
    if state is None:
        messages.info(request, _("Sign in with your e-mail address and password first."))
        return redirect("login")
    user, backend, next_url = state
    credentials = {settings.AXES_USERNAME_FORM_FIELD: user.email}
    if AxesProxyHandler.is_locked(request, credentials):
        two_factor.pending_clear(request)
        return _paused(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = two_factor.verify(user=user, code=form.cleaned_data["code"])
        except two_factor.CodeRefused as refused:
            form.add_error("code", refused.message)
            if not refused.wait:
                # A wrong code counts against the sign-in like a wrong password (django-axes).
                user_login_failed.send(sender=__name__, credentials=credentials, request=request)
                if getattr(request, "axes_locked_out", False):
                    two_factor.pending_clear(request)
                    request.axes_locked_out = False
                    return _paused(request)
        else:
            two_factor.pending_clear(request)
            auth_login(request, user, backend=backend)
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                left = two_factor.backup_codes_left(user)
                messages.warning(
                    request,
                    _(
                        "You signed in with a backup code; %(count)s are left. Make new ones under "
                        "My settings when you run low."
                    )
                    % {"count": left},
                )
            return with_language(redirect(next_url), user)
    return render(request, "registration/login_code.html", {"form": form})


def _require_allowed(request):
    if not two_factor.may_use(request.user):
        raise PermissionDenied


def status(request):
    _require_allowed(request)
    user = request.user
    disable_form = CodeForm(submit_label=_("Turn off two-step sign-in"), auto_id="off_%s")
    disable_form.helper.form_action = reverse("two-factor-disable")
    renew_form = CodeForm(submit_label=_("Make new backup codes"), auto_id="renew_%s")
    renew_form.helper.form_action = reverse("two-factor-backup-codes")
    for form in (disable_form, renew_form):
        form.fields["code"].widget.attrs.pop("autofocus")
    context = {
        "enabled": two_factor.is_enabled(user),
        "may_disable": not two_factor.is_required(user),
        "codes_left": two_factor.backup_codes_left(user),
        "disable_form": disable_form,
        "renew_form": renew_form,
    }
    return render(request, "registration/two_factor.html", context)


@require_http_methods(["GET", "POST"])
def setup(request):
    _require_allowed(request)
    if two_factor.is_enabled(request.user):
        messages.info(request, _("Two-step sign-in is already on."))
        return redirect("two-factor")
    offer = two_factor.setup_for(request)
    form = CodeForm(request.POST or None, submit_label=_("Turn on two-step sign-in"))
    form.fields["code"].help_text = _("The six digits the app shows once you have added the key.")
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor.enrol(
                user=request.user, key=offer.key, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            form.add_service_error(ValidationError({"code": error.messages}))
        else:
            # This session has now shown a code: it counts as signed in with two steps.
            otp_login(request, two_factor.device_of(request.user))
            request.session.pop(two_factor.SETUP_KEY, None)
            request.session[two_factor.NEW_CODES_KEY] = codes
            messages.success(request, _("Two-step sign-in is on."))
            return redirect("two-factor-backup-codes")
    return render(request, "registration/two_factor_setup.html", {"offer": offer, "form": form})


@require_http_methods(["GET", "POST"])
def backup_codes(request):
    """New backup codes, shown once: right after enrolment, or after a code asks for new ones."""
    _require_allowed(request)
    if request.method == "POST":
        form = CodeForm(request.POST)
        if not _code_is_right(request, form):
            return redirect("two-factor")
        codes = two_factor.renew_backup_codes(user=request.user)
        messages.success(request, _("New backup codes made; the old ones no longer work."))
    else:
        codes = request.session.pop(two_factor.NEW_CODES_KEY, None)
        if not codes:
            return redirect("two-factor")
    response = render(request, "registration/two_factor_codes.html", {"codes": codes})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def disable(request):
    _require_allowed(request)
    if two_factor.is_required(request.user):
        messages.error(request, _("Two-step sign-in is required for your role; it stays on."))
        return redirect("two-factor")
    form = CodeForm(request.POST)
    if _code_is_right(request, form):
        two_factor.disable(user=request.user)
        messages.success(request, _("Two-step sign-in is off: your password alone signs you in."))
    return redirect("two-factor")


def _code_is_right(request, form) -> bool:
    if not form.is_valid():
        messages.error(request, _("Enter a code from your authenticator app or a backup code."))
        return False
    try:
        two_factor.verify(user=request.user, code=form.cleaned_data["code"])
    except two_factor.CodeRefused as refused:
        messages.error(request, refused.message)
        return False
    return True
