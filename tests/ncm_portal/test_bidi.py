"""Names that people type are shown isolated, so that direction controls in them (U+202E
RIGHT-TO-LEFT OVERRIDE, U+2066-2069) cannot reorder the text around them: ``<bdi>`` in pages and
PDFs, Unicode isolates in plain-text e-mails."""

import pathlib
import re

import pytest
from django.conf import settings
from django.core import mail
from django.template import Context, Template
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape

from coordination.models import Designation
from coordination.registry import notifications
from ncm_portal.bidi import isolated
from tests.factories import DesignationFactory, InstitutionFactory, PersonFactory

EVIL = "Ali\u202eexe.fdp"


def test_the_filters_escape_and_isolate():
    html = Template("{{ name|bdi }} {{ empty|bdi }}").render(
        Context({"name": "<b>Ali</b>\u202e", "empty": ""})
    )
    assert html == "<bdi>&lt;b&gt;Ali&lt;/b&gt;\u202e</bdi> "
    assert isolated(EVIL) == "\u2068" + EVIL + "\u202c\u2069"
    assert isolated("a\u2067b") == "\u2068a\u2067b\u2069\u2069"
    assert isolated("plain") == "\u2068plain\u2069"


def _outside_title(page: str) -> str:
    return re.sub(r"<title>.*?</title>", "", page, flags=re.S)


@pytest.mark.django_db
def test_pages_show_a_name_with_an_override_only_isolated(client, viewer):
    institution = InstitutionFactory(name=EVIL, acronym="")
    person = PersonFactory(name=EVIL, institution=institution)
    DesignationFactory(person=person, kind=Designation.Kind.INSTITUTION_FOCAL_POINT)
    client.force_login(viewer)
    for url in (
        reverse("coordination:person-detail", args=[person.pk]),
        reverse("coordination:institution-detail", args=[institution.pk]),
        reverse("coordination:institution-list"),
    ):
        page = _outside_title(client.get(url).content.decode())
        shown = page.count(escape(EVIL))
        assert shown >= 1, url
        wrapped = page.count(f"<bdi>{escape(EVIL)}</bdi>") + page.count(escape(isolated(EVIL)))
        assert wrapped == shown, url


@pytest.mark.django_db
def test_emails_isolate_the_name(secretariat):
    institution = InstitutionFactory(name=EVIL)
    person = PersonFactory(name=EVIL, institution=institution, email="ali@gov.test")
    designation = DesignationFactory(person=person, kind=Designation.Kind.INSTITUTION_FOCAL_POINT)
    assert notifications.designation_created(designation.pk) == 1
    body = mail.outbox[0].body
    # "Dear ...", the institution, and the role ("Focal point of ...").
    assert body.count("\u2068" + EVIL) == body.count(EVIL) == 3
    assert body.count(isolated(EVIL)) == 2


@pytest.mark.django_db
def test_the_html_given_to_the_pdf_renderer_isolates_names(secretariat):
    from nip_lifecycle.selectors import package_context
    from tests.nip_lifecycle.factories import Mechanism

    mechanism = Mechanism(secretariat)
    mechanism.lead.name = EVIL
    mechanism.lead.save()
    cycle = mechanism.cycle()
    html = render_to_string("nip_lifecycle/package_pdf.html", package_context(cycle))
    shown = html.count(escape(EVIL))
    assert shown >= 2
    assert html.count(f"<bdi>{escape(EVIL)}</bdi>") == shown


# A name of a person, an institution or a body printed without isolation, outside a tag.
_NAME = re.compile(
    r"\{\{\s*[\w.]*(person|institution|body|lead_body|committee|assignee|presenter)"
    r"\.(name|acronym|full_name|get_full_name)\s*(\|(?!.*\b(bdi|isolate)\b)[^}]*)?\}\}"
)


def test_every_template_isolates_the_names_it_prints():
    """A guard for new templates: names of people, institutions and bodies go through |bdi in
    HTML (pages, PDFs) and through |isolate in plain text (e-mails)."""
    root = pathlib.Path(settings.BASE_DIR) / "templates"
    bare = []
    for path in root.rglob("*"):
        if path.suffix not in (".html", ".txt"):
            continue
        text = path.read_text()
        # Attributes, page titles, <option> and blocktranslate bodies cannot hold markup.
        text = re.sub(r"<option.*?</option>", "", text, flags=re.S)
        text = re.sub(r"<[^>]*>", "", text)
        text = re.sub(r"\{% block title %\}.*?\{% endblock %\}", "", text, flags=re.S)
        for match in _NAME.finditer(text):
            bare.append(f"{path.relative_to(root)}: {match.group(0)}")
    assert not bare, "isolate these names with |bdi (HTML) or |isolate (text):\n" + "\n".join(bare)
