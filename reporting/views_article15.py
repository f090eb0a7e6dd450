"""Pages of the conventions' national reports (Article 15 of the Stockholm Convention first,
Article 21 of the Minamata Convention: ``reporting/conventions.py``). Each view fetches what it
needs through a selector that checks access, binds a form and calls one service."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ncm_portal.views import form_page, post_service, run_service
from reporting import display, forms, selectors
from reporting import permissions as perms
from reporting.conventions import KINDS, STOCKHOLM
from reporting.models import GroupAttribution, Question, Round
from reporting.obligations import reports as obligation_reports
from reporting.services import article15 as services
from reporting.services import article15_answers as answering
from reporting.services import article15_groups as grouping


def _section_url(report, section_pk) -> str:
    return reverse("reporting:article15-section", args=[report.pk, section_pk])


def _report(request, pk, manage=False):
    return selectors.report_get_for_user(user=request.user, pk=pk, manage=manage)


@require_GET
def report_list(request, convention: str = STOCKHOLM):
    """The rounds of one convention's national report (Article 15 by default)."""
    if convention not in KINDS:
        raise Http404
    if not perms.can_view_report(request.user):
        raise PermissionDenied
    return render(
        request,
        "reporting/article15/report_list.html",
        {
            "rows": selectors.round_list(user=request.user, convention=convention),
            "can_start": perms.can_manage_reports(request.user),
            "kind": KINDS[convention],
        },
    )


@require_POST
def report_start(request, number: int, convention: str = STOCKHOLM):
    if not perms.can_manage_reports(request.user):
        raise PermissionDenied
    round_ = get_object_or_404(Round, convention=convention, number=number)
    try:
        report = services.report_start(round=round_, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(round_.list_url)
    messages.success(
        request,
        _("The report of the %(round)s is started and prefilled from the accepted data.")
        % {"round": round_.label},
    )
    return redirect(report)


@require_GET
def report_detail(request, pk: int):
    report = _report(request, pk)
    context = selectors.report_detail(report=report, user=request.user)
    can_edit = perms.can_edit_report(request.user, report)
    for part in context["parts"]:
        part["rows"] = display.section_rows_html(part["assignments"], report, can_edit)
    context.update(
        event_rows=display.trail_rows(report),
        can_edit=can_edit,
        can_manage=perms.can_manage_reports(request.user),
        can_approve=perms.can_approve(request.user, report),
        can_request=perms.can_view_report(request.user, report),
        can_record=perms.can_manage_reports(request.user)
        or perms.is_report_approver(request.user, report.round.convention),
        obligation=obligation_reports.instance_for(report.round),
    )
    return render(request, "reporting/article15/report_detail.html", context)


@require_POST
def report_prefill(request, pk: int):
    report = _report(request, pk, manage=True)
    return post_service(
        request,
        lambda actor: services.report_prefill(report=report, actor=actor),
        report,
        _("Prefilled figures computed again from the data accepted today."),
    )


@require_POST
def report_approve(request, pk: int):
    report = _report(request, pk)
    return post_service(
        request,
        lambda actor: services.report_approve(report=report, actor=actor),
        report,
        _("Report approved. It is locked: record its submission once it is sent."),
    )


@require_http_methods(["GET", "POST"])
def report_mark_submitted(request, pk: int):
    report = _report(request, pk)
    if not (
        perms.can_manage_reports(request.user)
        or perms.is_report_approver(request.user, report.round.convention)
    ):
        raise PermissionDenied
    form = forms.SubmittedForm(request.POST or None)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            form,
            services.report_mark_submitted,
            report=report,
            actor=request.user,
            submitted_on=form.cleaned_data["submitted_on"],
            reference=form.cleaned_data["reference"],
        )
    ):
        messages.success(request, _("Submission recorded."))
        return redirect(report)
    return form_page(
        request,
        form,
        title=_("Record the submission of %(report)s") % {"report": report},
        cancel_url=report.get_absolute_url(),
        intro=_(
            "The date on which the official contact point submitted the report through the "
            "Convention's Electronic Reporting System, and the reference it received."
        ),
    )


@require_http_methods(["GET", "POST"])
def report_correct(request, pk: int):
    report = _report(request, pk, manage=True)
    form = forms.CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        new = run_service(
            form,
            services.report_correct,
            report=report,
            actor=request.user,
            reason=form.cleaned_data["reason"],
        )
        if new:
            messages.success(
                request,
                _("Version %(version)s started; version %(old)s is superseded and stays readable.")
                % {"version": new.version, "old": report.version},
            )
            return redirect(new)
    return form_page(
        request,
        form,
        title=_("Correct %(report)s") % {"report": report},
        cancel_url=report.get_absolute_url(),
        intro=_(
            "A correction is a new version with every answer copied. The current version "
            "becomes superseded and stays readable."
        ),
    )


# --- Sections ----------------------------------------------------------------------------------


def _section_page(request, report, assignment, forms_by_question=None, status=200):
    context = selectors.section_detail(assignment=assignment, user=request.user)
    forms_by_question = forms_by_question or {}
    for item in context["items"]:
        question, answer = item["question"], item["answer"]
        item["form"] = forms_by_question.get(question.pk) or _answer_form(question, answer)
        item["extra_rows"] = range(forms.EXTRA_ROWS)
    context["review_form"] = forms.ReviewForm()
    return render(request, "reporting/article15/section_detail.html", context, status=status)


def _answer_form(question, answer, data=None):
    initial = {}
    if answer is not None and question.kind != Question.Kind.TABLE:
        value = answer.effective
        if question.kind == Question.Kind.YES_NO and value is not None:
            value = "yes" if value else "no"
        initial["value"] = value
    if answer is not None:
        initial["override_reason"] = answer.override_reason
        if question.kind == Question.Kind.TABLE and isinstance(answer.effective, dict):
            initial["note"] = answer.effective.get("note", "")
    return forms.AnswerForm(data, question=question, initial=initial)


@require_GET
def section_detail(request, pk: int, section_pk: int):
    report = _report(request, pk)
    assignment = selectors.section_get(report=report, section_pk=section_pk)
    return _section_page(request, report, assignment)


@require_POST
def answer_save(request, pk: int, question_pk: int):
    report = _report(request, pk)
    question = get_object_or_404(
        Question.objects.select_related("section"), pk=question_pk, section__round=report.round_id
    )
    assignment = selectors.section_get(report=report, section_pk=question.section_id)
    if not perms.may_answer_for(request.user, assignment):
        raise PermissionDenied
    form = forms.AnswerForm(request.POST, question=question)
    if form.is_valid() and run_service(
        form,
        answering.answer_save,
        report=report,
        question=question,
        actor=request.user,
        value=form.cleaned_data["answer"],
        override_reason=form.cleaned_data["override_reason"],
    ):
        messages.success(request, _("Answer to %(code)s saved.") % {"code": question.code})
        return redirect(_section_url(report, question.section_id) + f"#question-{question.pk}")
    assignment.refresh_from_db()
    return _section_page(request, report, assignment, {question.pk: form}, status=400)


@require_POST
def section_submit(request, pk: int, section_pk: int):
    report = _report(request, pk)
    assignment = selectors.section_get(report=report, section_pk=section_pk)
    if not perms.may_answer_for(request.user, assignment):
        raise PermissionDenied
    return post_service(
        request,
        lambda actor: services.section_submit(
            report=report, section=assignment.section, actor=actor
        ),
        report,
        _("Section %(code)s submitted for review.") % {"code": assignment.section.code},
    )


@require_POST
def section_review(request, pk: int, section_pk: int):
    report = _report(request, pk, manage=True)
    assignment = selectors.section_get(report=report, section_pk=section_pk)
    form = forms.ReviewForm(request.POST)
    if form.is_valid() and run_service(
        form,
        services.section_review,
        report=report,
        section=assignment.section,
        actor=request.user,
        action=form.cleaned_data["action"],
        comment=form.cleaned_data["comment"],
    ):
        messages.success(
            request, _("Review of %(code)s recorded.") % {"code": assignment.section.code}
        )
        return redirect(report)
    for error in form.non_field_errors() + [e for errs in form.errors.values() for e in errs]:
        messages.error(request, error)
    return redirect(_section_url(report, assignment.section_id))


@require_http_methods(["GET", "POST"])
def section_assign(request, pk: int, section_pk: int):
    report = _report(request, pk, manage=True)
    assignment = selectors.section_get(report=report, section_pk=section_pk)
    form = forms.AssignForm(
        request.POST or None,
        initial={"institution": assignment.institution, "due_on": assignment.due_on},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            form,
            services.section_assign,
            report=report,
            section=assignment.section,
            actor=request.user,
            **form.cleaned_data,
        )
    ):
        institution = form.cleaned_data["institution"]
        messages.success(
            request,
            _("Section %(code)s assigned to %(institution)s.")
            % {
                "code": assignment.section.code,
                "institution": institution.name if institution else _("the secretariat"),
            },
        )
        return redirect(report)
    return form_page(
        request,
        form,
        title=_("Assign %(code)s %(title)s")
        % {"code": assignment.section.code, "title": assignment.section.title},
        cancel_url=report.get_absolute_url(),
        intro=_(
            "The focal points of the institution answer the section and submit it for "
            "review; they are reminded before the date."
        ),
    )


def _group_args(request) -> dict:
    """The group row a page is about, from its query: code, national, year, flow."""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        raise Http404(_("This row cannot be found.")) from None
    code, flow = request.GET.get("code", "").strip(), request.GET.get("flow", "")
    if not code or flow not in ("import", "export"):
        raise Http404(_("This row cannot be found."))
    return {
        "code": code,
        "national": request.GET.get("national") == "1",
        "year": year,
        "flow": flow,
    }


def _trade_question(report, question_pk):
    return get_object_or_404(
        Question.objects.select_related("section"),
        pk=question_pk,
        section__round=report.round_id,
        prefill=Question.Prefill.TRADE,
    )


@require_http_methods(["GET", "POST"])
def group_attribute(request, pk: int, question_pk: int):
    """A group row of the trade table, the declarations behind it, and the form that attributes
    it to its chemicals."""
    report = _report(request, pk)
    question = _trade_question(report, question_pk)
    assignment = selectors.section_get(report=report, section_pk=question.section_id)
    if not perms.may_answer_for(request.user, assignment):
        raise PermissionDenied
    group = _group_args(request)
    detail = selectors.group_row_detail(report=report, question=question, **group)
    if detail is None:
        raise Http404(
            _("No customs lines are counted under this group code in that year and flow.")
        )
    initial = {}
    kept = detail["attribution"]
    if kept is not None:
        initial = {"mode": "all" if kept.all_to_one else "split", "reason": kept.reason}
        if kept.all_to_one:
            initial["chemical"] = kept.shares[0]["slug"]
        else:
            initial.update({f"kg_{s['slug']}": s["kg"] for s in kept.shares})
    form = forms.GroupAttributionForm(
        request.POST or None, members=detail["members"], initial=initial
    )
    back = _section_url(report, question.section_id) + f"#question-{question.pk}"
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            form,
            grouping.group_attribute,
            report=report,
            question=question,
            actor=request.user,
            shares=form.shares(),
            reason=form.cleaned_data["reason"],
            **group,
        )
    ):
        messages.success(
            request, _("%(row)s attributed to its chemicals.") % {"row": detail["row"]["chemical"]}
        )
        return redirect(back)
    return render(
        request,
        "reporting/article15/group_attribute.html",
        {"report": report, "question": question, "form": form, "back": back, **detail},
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def group_attribution_withdraw(request, pk: int, question_pk: int, attribution_pk: int):
    report = _report(request, pk)
    question = _trade_question(report, question_pk)
    assignment = selectors.section_get(report=report, section_pk=question.section_id)
    if not perms.may_answer_for(request.user, assignment):
        raise PermissionDenied
    attribution = get_object_or_404(
        GroupAttribution, pk=attribution_pk, answer__report=report, answer__question=question
    )
    return post_service(
        request,
        lambda actor: grouping.group_attribution_withdraw(
            report=report, attribution=attribution, actor=actor
        ),
        _section_url(report, question.section_id) + f"#question-{question.pk}",
        _("The attribution is withdrawn: the row is a group row again."),
    )
