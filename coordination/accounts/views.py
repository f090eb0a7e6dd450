"""Signing in and out, password reset, and the user's own settings."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.i18n import set_language

from coordination.accounts import services, sign_in_limits, two_factor, views_two_factor
from coordination.accounts.forms import ProfileForm, SignInForm

public = login_not_required


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"

    def post(self, request, *args, **kwargs):
        # Before the password is even checked: a guess made during the wait would be free.
        refusal = sign_in_limits.refusal(request)
        if refusal is not None:
            return render(
                request,
                "registration/sign_in_slowed.html",
                {"wait_seconds": refusal.wait_seconds, "address_capped": refusal.address_capped},
                status=429,
            )
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        user = form.get_user()
        if two_factor.is_enabled(user):
            # The password was right; nobody is signed in until the code is (see
            # views_two_factor.sign_in_code).
            two_factor.pending_start(self.request, user, next_url=self.get_success_url())
            return redirect("login-code")
        return views_two_factor.with_language(super().form_valid(form), user)


class LimitedPasswordResetView(auth_views.PasswordResetView):
    """Password reset, at most so many e-mails an hour per account and per client address. The
    answer is the same page whether or not the account exists and whether or not a message went
    out, so the form tells nobody which addresses have accounts."""

    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        if sign_in_limits.password_reset_allowed(self.request, form.cleaned_data["email"]):
            return super().form_valid(form)
        return HttpResponseRedirect(self.get_success_url())


@public
def admin_login(request, extra_context=None):
    """The admin site signs people in through the portal's own page."""
    if request.user.is_authenticated:
        raise PermissionDenied
    return redirect_to_login(request.GET.get("next", reverse("admin:index")))


@public
def invitation_accept(request, uidb64, token):
    """The invited person sets their password with the link of their invitation, once."""
    from django.contrib.auth.forms import SetPasswordForm
    from django.core.exceptions import ValidationError
    from django.utils.http import urlsafe_base64_decode

    from coordination.models import User

    try:
        user = User.objects.get(pk=urlsafe_base64_decode(uidb64).decode())
    except (ValueError, TypeError, OverflowError, User.DoesNotExist):
        user = None
    valid = user is not None and services.invitation_tokens.check_token(user, token)
    form = SetPasswordForm(user, request.POST or None) if valid else None
    if valid and request.method == "POST" and form.is_valid():
        try:
            services.invitation_accept(
                user=user, token=token, password=form.cleaned_data["new_password1"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("Your password is set. Sign in with your e-mail address and the new password."),
            )
            return redirect("login")
    return render(
        request,
        "registration/invitation_accept.html",
        {"form": form, "validlink": valid, "invited": user if valid else None},
    )


def choose_language(request):
    """Switch language; a signed-in user keeps the choice in their profile."""
    response = set_language(request)
    language = request.POST.get("language")
    if (
        request.method == "POST"
        and request.user.is_authenticated
        and language in dict(settings.LANGUAGES)
    ):
        request.user.language = language
        request.user.save(update_fields=["language"])
    return response


def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        messages.success(request, _("Your settings are saved."))
        return views_two_factor.with_language(redirect("profile"), user)
    context = {"form": form, "two_factor_allowed": two_factor.may_use(request.user)}
    if context["two_factor_allowed"]:
        context["two_factor_enabled"] = two_factor.is_enabled(request.user)
    return render(request, "registration/profile.html", context)


urlpatterns = [
    path("login/", SignInView.as_view(), name="login"),
    path("login/code/", views_two_factor.sign_in_code, name="login-code"),
    path("welcome/<uidb64>/<token>/", invitation_accept, name="invitation-accept"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("profile/", profile, name="profile"),
    path("profile/two-step/", views_two_factor.status, name="two-factor"),
    path("profile/two-step/set-up/", views_two_factor.setup, name="two-factor-setup"),
    path(
        "profile/two-step/backup-codes/",
        views_two_factor.backup_codes,
        name="two-factor-backup-codes",
    ),
    path("profile/two-step/turn-off/", views_two_factor.disable, name="two-factor-disable"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        LimitedPasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
