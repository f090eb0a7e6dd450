"""Names that people type, shown so that their writing direction cannot spill over the page.

A name may hold right-to-left text or direction controls (U+202E RIGHT-TO-LEFT OVERRIDE,
U+2066-2069 isolates) that would otherwise reorder the words around it: "Paid by ‮evil" reads
backwards to the end of the line. Every user-provided name is shown isolated:

* in HTML pages and PDFs through ``{{ name|bdi }}``, which escapes and wraps it in ``<bdi>``;
* in plain-text e-mails through ``{{ name|isolate }}``, which wraps it in FIRST STRONG ISOLATE
  (U+2068) and POP DIRECTIONAL ISOLATE (U+2069) and closes any isolate or embedding it leaves open.

Both filters are template built-ins (see ``TEMPLATES`` in the settings): no ``{% load %}`` needed.
"""

from django import template
from django.utils.html import format_html

register = template.Library()

FSI = "\u2068"
PDI = "\u2069"
_EMBED_CLOSE = "\u202c"  # POP DIRECTIONAL FORMATTING


def isolated(value) -> str:
    """The text in its own directional isolate, with every embedding it opens closed inside."""
    text = "" if value is None else str(value)
    opened_isolates = sum(text.count(c) for c in "\u2066\u2067\u2068") - text.count(PDI)
    opened_embeddings = sum(text.count(c) for c in "\u202a\u202b\u202d\u202e") - text.count(
        _EMBED_CLOSE
    )
    closing = _EMBED_CLOSE * max(0, opened_embeddings) + PDI * max(0, opened_isolates)
    return f"{FSI}{text}{closing}{PDI}"


@register.filter(is_safe=True)
def bdi(value):
    """``<bdi>name</bdi>``, escaped: the name's direction stays inside it."""
    if value is None or value == "":
        return value
    return format_html("<bdi>{}</bdi>", value)


@register.filter(is_safe=False)
def isolate(value):
    """The name between Unicode isolates, for plain text (e-mails, subjects, CSV-free text)."""
    if value is None or value == "":
        return value
    return isolated(value)
