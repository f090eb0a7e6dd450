"""Uploading a document and a new version of it."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from coordination.models import Document
from ncm_portal.forms import PortalForm, PortalModelForm


class DocumentForm(PortalModelForm):
    submit_label = _("Upload")

    file = forms.FileField(label=_("File"))
    language = forms.ChoiceField(label=_("Language of the file"), choices=settings.LANGUAGES)

    class Meta:
        model = Document
        fields = ["title", "category", "audience", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class DocumentVersionForm(PortalForm):
    submit_label = _("Upload the new version")

    file = forms.FileField(label=_("File"))
    language = forms.ChoiceField(label=_("Language of the file"), choices=settings.LANGUAGES)
