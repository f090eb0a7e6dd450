"""The document library: list, upload, versions, download and circulation."""

import contextlib
import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from coordination import permissions as perms
from coordination.documents import selectors, services
from coordination.documents.forms import DocumentForm, DocumentVersionForm
from coordination.models import AgendaItem, Body, Document, DocumentVersion, Meeting
from ncm_portal.uploads import safe_filename
from ncm_portal.views import form_page, post_service, run_service


def document_list(request):
    documents = selectors.documents_visible_to(
        request.user,
        Document.objects.select_related("body", "meeting__body").prefetch_related("versions"),
    )
    q = request.GET.get("q", "").strip()
    category = request.GET.get("category", "")
    body_id = request.GET.get("body", "")
    after, before = request.GET.get("from", ""), request.GET.get("to", "")
    if q:
        documents = documents.filter(Q(title__icontains=q) | Q(description__icontains=q))
    if category:
        documents = documents.filter(category=category)
    if body_id.isdigit():
        documents = documents.filter(
            Q(body_id=body_id)
            | Q(meeting__body_id=body_id)
            | Q(agenda_item__meeting__body_id=body_id)
            | Q(ballot__body_id=body_id)
        )
    for bound, lookup in ((after, "created_at__date__gte"), (before, "created_at__date__lte")):
        with contextlib.suppress(ValueError):
            documents = documents.filter(**{lookup: datetime.date.fromisoformat(bound)})
    page = Paginator(documents.order_by("-created_at"), 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "coordination/document_list.html",
        {
            "page": page,
            "query": query.urlencode(),
            "categories": Document.Category.choices,
            "bodies": Body.objects.filter(active=True),
            "filters": {
                "q": q,
                "category": category,
                "body": body_id,
                "from": after,
                "to": before,
            },
            "can_add": perms.can_add_documents(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def document_create(request):
    """Upload a document, attached to a body, a meeting or an agenda item (from the URL)."""
    attach = {}
    if request.GET.get("agenda_item"):
        attach["agenda_item"] = get_object_or_404(
            AgendaItem.objects.select_related("meeting__body"), pk=request.GET["agenda_item"]
        )
        owner = attach["agenda_item"].meeting.body
    elif request.GET.get("meeting"):
        attach["meeting"] = get_object_or_404(
            Meeting.objects.select_related("body"), pk=request.GET["meeting"]
        )
        owner = attach["meeting"].body
    elif request.GET.get("body"):
        attach["body"] = owner = get_object_or_404(Body, pk=request.GET["body"])
    elif request.GET.get("ballot"):
        from coordination.models import Ballot

        attach["ballot"] = get_object_or_404(
            Ballot.objects.select_related("body"), pk=request.GET["ballot"]
        )
        owner = attach["ballot"].body
    else:
        owner = None
    perms.require(perms.can_add_documents(request.user, owner))
    form = DocumentForm(
        request.POST or None,
        request.FILES or None,
        initial={"language": request.LANGUAGE_CODE},
    )
    if request.method == "POST" and form.is_valid():
        document = run_service(
            form, services.document_upload, actor=request.user, **attach, **form.cleaned_data
        )
        if document:
            messages.success(request, _("Document %(title)s uploaded.") % {"title": document})
            target = (
                attach.get("agenda_item") and attach["agenda_item"].meeting or attach.get("meeting")
            )
            return redirect(target or document)
    return form_page(
        request,
        form,
        title=_("Upload a document"),
        cancel_url=reverse("coordination:document-list"),
    )


def _visible_document(request, pk) -> Document:
    document = get_object_or_404(
        Document.objects.select_related("body", "meeting__body", "agenda_item__meeting__body"),
        pk=pk,
    )
    if not perms.can_view_document(request.user, document):
        raise PermissionDenied
    return document


def document_detail(request, pk):
    document = _visible_document(request, pk)
    return render(
        request,
        "coordination/document_detail.html",
        {
            "document": document,
            "versions": document.versions.select_related("uploaded_by"),
            "can_manage": perms.can_add_documents(request.user, document.audience_body),
        },
    )


def document_download(request, pk, version):
    document = _visible_document(request, pk)
    row = get_object_or_404(DocumentVersion, document=document, number=version)
    try:
        handle = row.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    services.document_mark_read(user=request.user, version=row)
    return FileResponse(handle, as_attachment=True, filename=safe_filename(row.original_name))


@require_http_methods(["GET", "POST"])
def document_version_create(request, pk):
    document = _visible_document(request, pk)
    perms.require(perms.can_add_documents(request.user, document.audience_body))
    form = DocumentVersionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        version = run_service(
            form,
            services.document_add_version,
            actor=request.user,
            document=document,
            **form.cleaned_data,
        )
        if version:
            messages.success(request, _("Version %(n)s uploaded.") % {"n": version.number})
            return redirect(document)
    return form_page(
        request,
        form,
        title=_("New version of %(title)s") % {"title": document},
        cancel_url=document.get_absolute_url(),
    )


@require_POST
def document_circulate(request, pk):
    document = _visible_document(request, pk)
    return post_service(
        request,
        services.document_circulate,
        document,
        _("Document circulated."),
        document=document,
    )
