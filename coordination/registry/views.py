"""Registry pages. Each view binds a form, calls one service or selector, and renders."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coordination import permissions as perms
from coordination.accounts.services import can_invite, invitation_revoke, invitation_send
from coordination.fragments import REGISTRY, WORKPLANS
from coordination.meetings.selectors import body_participation, body_regularity
from coordination.models import Body, Designation, Institution, Membership, Person
from coordination.registry import selectors, services
from coordination.registry.filters import InstitutionFilter
from coordination.registry.forms import (
    BodyForm,
    DesignationEndForm,
    DesignationForm,
    InstitutionForm,
    MembershipEndForm,
    MembershipForm,
    MembershipRoleForm,
    PersonForm,
)
from ncm_portal import fragments
from ncm_portal.views import form_page, post_service, run_service

# --- Institutions -----------------------------------------------------------------------------


def institution_list(request):
    """The directory. Its filter form, counter, rows and pagination are cached fragments (under
    the registry's stamp and the query), so the filter set and the page are built lazily: only
    when a fragment is built again."""
    data = request.GET or None
    filterset = SimpleLazyObject(
        lambda: InstitutionFilter(data, queryset=selectors.institution_list())
    )
    page = SimpleLazyObject(lambda: Paginator(filterset.qs, 50).get_page(request.GET.get("page")))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "coordination/institution_list.html",
        {
            "filter": filterset,
            "page": page,
            "page_asked": request.GET.get("page", ""),
            "query": query.urlencode(),
            "can_add": perms.can_add_institution(request.user),
            "fragment_key": fragments.key(REGISTRY),
        },
    )


def institution_detail(request, pk):
    context = selectors.institution_detail(pk=pk)
    institution = context["institution"]
    user = request.user
    context.update(
        can_change=perms.can_change_institution(user, institution),
        can_add_person=perms.can_add_person(user, institution),
        can_designate=perms.can_designate(user),
        can_end=perms.can_end_designation(user),
        can_invite=can_invite(user),
    )
    return render(request, "coordination/institution_detail.html", context)


@require_http_methods(["GET", "POST"])
def institution_create(request):
    perms.require(perms.can_add_institution(request.user))
    form = InstitutionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        institution = run_service(
            form, services.institution_create, actor=request.user, **form.cleaned_data
        )
        if institution:
            messages.success(request, _("Institution %(name)s added.") % {"name": institution})
            return redirect(institution)
    return form_page(
        request,
        form,
        title=_("New institution"),
        cancel_url=reverse("coordination:institution-list"),
    )


@require_http_methods(["GET", "POST"])
def institution_update(request, pk):
    institution = get_object_or_404(Institution, pk=pk)
    perms.require(perms.can_change_institution(request.user, institution))
    form = InstitutionForm(
        request.POST or None,
        instance=institution,
        keeps_registry=perms.keeps_every_institution(request.user),
    )
    if request.method == "POST" and form.is_valid():
        updated = run_service(
            form,
            services.institution_update,
            actor=request.user,
            institution=institution,
            **form.cleaned_data,
        )
        if updated:
            messages.success(request, _("Changes to %(name)s saved.") % {"name": updated})
            return redirect(updated)
    return form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": institution},
        cancel_url=institution.get_absolute_url(),
    )


# --- People -----------------------------------------------------------------------------------


def _person_form_kwargs(user, institution=None):
    """Which institutions the user may place a person in, and whether they may link accounts."""
    if perms.can_add_any_person(user):
        choices = Institution.objects.filter(active=True)
    else:
        choices = selectors.institutions_for_focal_point(user)
    return {
        "institutions": choices if institution is None else None,
        "may_link_accounts": perms.can_link_accounts(user),
    }


@require_http_methods(["GET", "POST"])
def person_create(request, pk):
    institution = get_object_or_404(Institution, pk=pk)
    perms.require(perms.can_add_person(request.user, institution))
    form = PersonForm(request.POST or None, **_person_form_kwargs(request.user, institution))
    if request.method == "POST" and form.is_valid():
        person = run_service(
            form,
            services.person_create,
            actor=request.user,
            institution=institution,
            **form.cleaned_data,
        )
        if person:
            messages.success(
                request,
                _("%(name)s added to %(institution)s.")
                % {"name": person, "institution": institution},
            )
            return redirect(institution)
    return form_page(
        request,
        form,
        title=_("New contact at %(institution)s") % {"institution": institution},
        cancel_url=institution.get_absolute_url(),
    )


def person_detail(request, pk):
    context = selectors.person_detail(pk=pk)
    person = context["person"]
    context.update(
        can_change=perms.can_change_person(request.user, person),
        can_end=perms.can_end_designation(request.user),
        can_invite=can_invite(request.user) and person.active,
        invitation=selectors.invitation_of(person) if person.user_id else None,
    )
    return render(request, "coordination/person_detail.html", context)


@require_POST
def person_invite(request, pk):
    """Invite the person to sign in, or send the invitation again."""
    person = get_object_or_404(Person.objects.select_related("user"), pk=pk)
    sent_before = person.user_id is not None and selectors.invitation_of(person) is not None
    try:
        invitation = invitation_send(actor=request.user, person=person)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        message = (
            _("The invitation went to %(email)s again; the earlier link no longer works.")
            if sent_before
            else _("%(email)s is invited to sign in.")
        )
        messages.success(request, message % {"email": invitation.user.email})
    return redirect(person)


@require_POST
def person_invitation_revoke(request, pk):
    person = get_object_or_404(Person, pk=pk)
    return post_service(
        request,
        invitation_revoke,
        person,
        _("The invitation is revoked: its link no longer works."),
        person=person,
    )


@require_http_methods(["GET", "POST"])
def person_update(request, pk):
    person = get_object_or_404(Person.objects.select_related("institution"), pk=pk)
    perms.require(perms.can_change_person(request.user, person))
    form = PersonForm(request.POST or None, instance=person, **_person_form_kwargs(request.user))
    if request.method == "POST" and form.is_valid():
        updated = run_service(
            form, services.person_update, actor=request.user, person=person, **form.cleaned_data
        )
        if updated:
            messages.success(request, _("Changes to %(name)s saved.") % {"name": updated})
            return redirect(updated)
    return form_page(
        request,
        form,
        title=_("Edit %(name)s") % {"name": person},
        cancel_url=person.get_absolute_url(),
    )


# --- Designations -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def designation_create(request, pk):
    institution = get_object_or_404(Institution, pk=pk)
    perms.require(perms.can_designate(request.user))
    initial = {"kind": request.GET.get("kind"), "body": request.GET.get("body")}
    form = DesignationForm(
        request.POST or None, request.FILES or None, institution=institution, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        designation = run_service(
            form,
            services.designation_create,
            actor=request.user,
            institution=institution,
            **form.cleaned_data,
        )
        if designation:
            messages.success(
                request,
                _("%(person)s is now designated: %(role)s.")
                % {"person": designation.person, "role": designation.role_label},
            )
            return redirect(institution)
    return form_page(
        request,
        form,
        title=_("Designate someone for %(institution)s") % {"institution": institution},
        cancel_url=institution.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
def designation_end(request, pk):
    designation = get_object_or_404(
        Designation.objects.select_related(
            "person", "institution", "body", "convention_role__convention"
        ),
        pk=pk,
    )
    perms.require(perms.can_end_designation(request.user))
    form = DesignationEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ended = run_service(
            form,
            services.designation_end,
            actor=request.user,
            designation=designation,
            **form.cleaned_data,
        )
        if ended:
            messages.success(
                request,
                _(
                    "The designation of %(person)s as %(role)s has ended; "
                    "the handover note is on record."
                )
                % {"person": ended.person, "role": ended.role_label},
            )
            return redirect(designation.institution)
    return form_page(
        request,
        form,
        title=_("End designation: %(person)s, %(role)s")
        % {"person": designation.person, "role": designation.role_label},
        intro=_(
            "Nothing is deleted: the designation and your handover note stay in the role's history."
        ),
        cancel_url=designation.institution.get_absolute_url(),
    )


def _download(field_file):
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return FileResponse(handle, as_attachment=True, filename=field_file.name.rsplit("/", 1)[-1])


def designation_letter(request, pk):
    return _download(get_object_or_404(Designation, pk=pk).letter)


# --- Bodies and memberships -------------------------------------------------------------------


def body_list(request):
    return render(
        request,
        "coordination/body_list.html",
        {"bodies": selectors.body_list(), "can_add": perms.can_add_body(request.user)},
    )


def body_detail(request, pk):
    page = request.GET.get("page")
    context = selectors.body_detail(pk=pk, page=page)
    body = context["body"]

    secretariat = services.body_secretariat(body)
    regularity = body_regularity(body)
    context.update(
        regularity=regularity,
        # Without a meeting held (regularity's last), nobody has attended one.
        participation=body_participation(body) if regularity["last"] else [],
        meetings=body.meetings.order_by("-start")[:8],
        ballots=body.ballots.order_by("-created_at")[:8],
        secretariat=secretariat,
        # can_manage_body, answered from the list just read: those who serve the body hold its
        # object permission, the others need the model-wide one.
        can_manage=perms.manages_every_body(request.user) or request.user in secretariat,
        can_designate=perms.can_designate(request.user),
        page_asked=page or "",
        fragment_key=fragments.key(REGISTRY),
        workplans_key=fragments.key(REGISTRY, WORKPLANS),
    )
    return render(request, "coordination/body_detail.html", context)


@require_http_methods(["GET", "POST"])
def body_create(request):
    perms.require(perms.can_add_body(request.user))
    form = BodyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        body = run_service(form, services.body_create, actor=request.user, **form.cleaned_data)
        if body:
            messages.success(request, _("Body %(name)s created.") % {"name": body})
            return redirect(body)
    return form_page(
        request, form, title=_("New body"), cancel_url=reverse("coordination:body-list")
    )


@require_http_methods(["GET", "POST"])
def body_update(request, pk):
    body = get_object_or_404(Body, pk=pk)
    perms.require(perms.can_manage_body(request.user, body))
    form = BodyForm(
        request.POST or None,
        request.FILES or None,
        instance=body,
        initial={"secretariat": services.body_secretariat(body)},
    )
    if request.method == "POST" and form.is_valid():
        updated = run_service(
            form, services.body_update, actor=request.user, body=body, **form.cleaned_data
        )
        if updated:
            messages.success(request, _("Changes to %(name)s saved.") % {"name": updated})
            return redirect(updated)
    return form_page(
        request, form, title=_("Edit %(name)s") % {"name": body}, cancel_url=body.get_absolute_url()
    )


def body_terms_of_reference(request, pk):
    return _download(get_object_or_404(Body, pk=pk).terms_of_reference)


@require_http_methods(["GET", "POST"])
def membership_create(request, pk):
    body = get_object_or_404(Body, pk=pk)
    perms.require(perms.can_manage_body(request.user, body))
    form = MembershipForm(request.POST or None, request.FILES or None, body=body)
    if request.method == "POST" and form.is_valid():
        membership = run_service(
            form, services.membership_add, actor=request.user, body=body, **form.cleaned_data
        )
        if membership:
            messages.success(
                request,
                _("%(institution)s now sits in %(body)s.")
                % {"institution": membership.institution, "body": body},
            )
            return redirect(body)
    return form_page(
        request,
        form,
        title=_("Add a member institution to %(body)s") % {"body": body},
        cancel_url=body.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
def membership_end(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("body", "institution"), pk=pk)
    perms.require(perms.can_manage_body(request.user, membership.body))
    form = MembershipEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ended = run_service(
            form,
            services.membership_end,
            actor=request.user,
            membership=membership,
            **form.cleaned_data,
        )
        if ended:
            messages.success(
                request,
                _("%(institution)s no longer sits in %(body)s.")
                % {"institution": ended.institution, "body": ended.body},
            )
            return redirect(ended.body)
    return form_page(
        request,
        form,
        title=_("End the membership of %(institution)s in %(body)s")
        % {"institution": membership.institution, "body": membership.body},
        cancel_url=membership.body.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
def membership_change_role(request, pk):
    membership = get_object_or_404(Membership.objects.select_related("body", "institution"), pk=pk)
    perms.require(perms.can_manage_body(request.user, membership.body))
    form = MembershipRoleForm(request.POST or None, initial={"role": membership.role})
    if request.method == "POST" and form.is_valid():
        changed = run_service(
            form,
            services.membership_change_role,
            actor=request.user,
            membership=membership,
            **form.cleaned_data,
        )
        if changed:
            messages.success(
                request,
                _("%(institution)s is now %(role)s of %(body)s.")
                % {
                    "institution": changed.institution,
                    "role": changed.get_role_display(),
                    "body": changed.body,
                },
            )
            return redirect(changed.body)
    return form_page(
        request,
        form,
        title=_("Change the role of %(institution)s in %(body)s")
        % {"institution": membership.institution, "body": membership.body},
        cancel_url=membership.body.get_absolute_url(),
    )


def membership_letter(request, pk):
    return _download(get_object_or_404(Membership, pk=pk).invitation_letter)


# --- Conventions and the map ------------------------------------------------------------------


def convention_list(request):
    return render(
        request,
        "coordination/convention_list.html",
        {"conventions": selectors.convention_roles_with_holders()},
    )


def mandate_matrix(request):
    return render(request, "coordination/mandate_matrix.html", selectors.mandates_matrix())
