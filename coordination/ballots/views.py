"""Ballot pages: create, open, vote, follow the turnout, read the frozen result and record."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coordination import permissions as perms
from coordination.ballots import services, tally
from coordination.ballots.forms import BallotForm, CancelForm, CloseEarlyForm, VoteForm
from coordination.documents.selectors import documents_visible_to
from coordination.models import Ballot, Body
from ncm_portal.views import form_page, post_service, run_service


def ballot_list(request):
    return render(
        request,
        "coordination/ballot_list.html",
        {
            "ballots": Ballot.objects.select_related("body")
            .annotate(turnout=Count("participations", distinct=True))
            .order_by("-created_at")[:100]
        },
    )


@require_http_methods(["GET", "POST"])
def ballot_create(request, pk):
    body = get_object_or_404(Body, pk=pk)
    perms.require(perms.can_manage_body(request.user, body))
    decides = _decided(request, body)
    form = BallotForm(
        request.POST or None,
        initial={"quorum_share": body.quorum_share, "question": _question_for(decides)},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        opens_at = data.pop("opens_at")
        ballot = run_service(
            form, services.ballot_create, actor=request.user, body=body, decides=decides, **data
        )
        if ballot and opens_at:
            ballot = run_service(
                form,
                services.ballot_schedule,
                actor=request.user,
                ballot=ballot,
                opens_at=opens_at,
                closes_at=data["closes_at"],
            )
        if ballot:
            messages.success(request, _("Ballot created."))
            return redirect(ballot)
    return form_page(
        request,
        form,
        title=_("New ballot of %(body)s") % {"body": body},
        intro=_(
            "The rules cannot change once the ballot opens. Leave “Opens” empty to open it by hand."
        ),
        cancel_url=body.get_absolute_url(),
    )


def _decided(request, body):
    """What the ballot decides, named in the address (?minutes=12, ?step=4): it must be one
    that the body decides."""
    from django.core.exceptions import ObjectDoesNotExist

    from coordination import decisions

    try:
        return decisions.subject_from(request.GET, body) or decisions.subject_from(
            request.POST, body, prefix="decides_"
        )
    except ObjectDoesNotExist as missing:
        raise Http404 from missing


def _question_for(decides) -> str:
    if decides is None:
        return ""
    return _("Approve: %(what)s?") % {"what": decides}


def ballot_detail(request, pk):
    ballot = services.catch_up(get_object_or_404(Ballot.objects.select_related("body"), pk=pk))
    person = getattr(request.user, "person", None)
    my_electors = services.electors_for(ballot, person) if person else Ballot.objects.none()
    related = ["cast_by"] if ballot.secret else ["cast_by", "named_vote__option"]
    participations = {p.elector_id: p for p in ballot.participations.select_related(*related)}
    electors = list(ballot.electors.select_related("institution", "person").order_by("pk"))
    # An elector that has voted binds its voters (the principal's vote binds the alternate):
    # they are shown who voted instead of a form that would refuse them.
    mine = list(my_electors)
    voted_for_me = [
        (e, participations[e.pk])
        for e in mine
        if e.pk in participations
        and not (ballot.allow_change and participations[e.pk].cast_by_id == person.pk)
    ]
    my_electors = my_electors.exclude(pk__in=[e.pk for e, _p in voted_for_me])
    can_vote = ballot.accepts_votes() and person is not None and len(mine) > len(voted_for_me)
    live_tally = ballot.status == Ballot.Status.OPEN and ballot.shows_results_while_open
    show_results = ballot.status == Ballot.Status.CLOSED or live_tally
    live = tally.tally(ballot) if live_tally else None
    can_manage = perms.can_manage_body(request.user, ballot.body)
    return render(
        request,
        "coordination/ballot_detail.html",
        {
            "ballot": ballot,
            "options": ballot.options.all(),
            "electors": [(e, participations.get(e.pk)) for e in electors],
            "turnout": len(participations),
            "vote_form": VoteForm(ballot=ballot, electors=my_electors) if can_vote else None,
            "voted_for_me": voted_for_me if ballot.status == Ballot.Status.OPEN else [],
            "show_results": show_results,
            "result": ballot.result if ballot.status == Ballot.Status.CLOSED else live,
            "show_choices": not ballot.secret and ballot.status == Ballot.Status.CLOSED,
            "events": ballot.events.order_by("sequence"),
            "can_manage": can_manage,
            "can_close_early": can_manage and ballot.can_close_early(),
            "documents": documents_visible_to(request.user, ballot.documents.all()),
        },
    )


@require_POST
def ballot_vote(request, pk):
    ballot = get_object_or_404(Ballot.objects.select_related("body"), pk=pk)
    person = getattr(request.user, "person", None)
    if person is None:
        raise PermissionDenied
    form = VoteForm(request.POST, ballot=ballot, electors=services.electors_for(ballot, person))
    if not form.is_valid():
        messages.error(request, _("Choose whom you vote for and one option."))
        return redirect(ballot)
    try:
        _participation, receipt = services.vote_cast(
            actor=request.user, ballot=ballot, **form.cleaned_data
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        # Shown once, never stored: not in the messages (which may land in the session table),
        # not in any log. Only the voter and the ballot box know it.
        return render(
            request, "coordination/ballot_voted.html", {"ballot": ballot, "receipt": receipt}
        )
    return redirect(ballot)


@require_POST
def ballot_open(request, pk):
    ballot = get_object_or_404(Ballot.objects.select_related("body"), pk=pk)
    return post_service(
        request, services.ballot_open, ballot, _("The ballot is open."), ballot=ballot
    )


@require_http_methods(["GET", "POST"])
def ballot_cancel(request, pk):
    ballot = get_object_or_404(Ballot.objects.select_related("body"), pk=pk)
    perms.require(perms.can_manage_body(request.user, ballot.body))
    form = CancelForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            form,
            services.ballot_cancel,
            actor=request.user,
            ballot=ballot,
            reason=form.cleaned_data["reason"],
        )
    ):
        messages.success(request, _("The ballot is cancelled."))
        return redirect(ballot)
    return form_page(
        request, form, title=_("Cancel %(q)s") % {"q": ballot}, cancel_url=ballot.get_absolute_url()
    )


@require_http_methods(["GET", "POST"])
def ballot_close_early(request, pk):
    ballot = get_object_or_404(Ballot.objects.select_related("body"), pk=pk)
    perms.require(perms.can_manage_body(request.user, ballot.body))
    form = CloseEarlyForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            form,
            services.ballot_close_early,
            actor=request.user,
            ballot=ballot,
            reason=form.cleaned_data["reason"],
        )
    ):
        messages.success(request, _("The ballot is closed."))
        return redirect(ballot)
    return form_page(
        request,
        form,
        title=_("Close %(q)s before its deadline") % {"q": ballot},
        intro=_(
            "Every elector has voted. The result is counted now; the reason is recorded in "
            "the audit trail."
        ),
        cancel_url=ballot.get_absolute_url(),
    )


def ballot_record(request, pk):
    ballot = get_object_or_404(Ballot, pk=pk)
    if not ballot.record:
        raise Http404
    return FileResponse(
        ballot.record.open("rb"), as_attachment=True, filename=f"ballot-{ballot.pk}-record.pdf"
    )


def cited_ballot(request):
    """The ballot a POST cites as the decision (the service checks that it decided the thing)."""
    from coordination.models import Ballot

    value = request.POST.get("ballot", "")
    if not value:
        return None
    if not value.isdigit():
        raise Http404
    return get_object_or_404(Ballot.objects.select_related("body"), pk=value)
