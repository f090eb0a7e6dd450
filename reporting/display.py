"""Rows of a national report's page written in Python: the sections table and the report's
trail repeat one row many times, and a row here costs a fraction of what the template's includes,
filters and translation tags cost. The HTML is the templates' own, escaped the same way."""

from django.core.cache import cache
from django.urls import reverse
from django.utils.formats import date_format, localize
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext, ngettext, pgettext


def _text(value) -> str:
    """``{{ value }}``: localized, escaped; nothing for None."""
    if value is None:
        return ""
    value = localize(value)
    return conditional_escape(value if isinstance(value, str) else str(value))


def _trusted(translated: str) -> SafeString:
    """A translation of a fixed message, written as the template's ``{% translate %}`` writes
    it: as the translator wrote it (the catalogues are part of the code)."""
    return mark_safe(translated)  # noqa: S308 - the project's own catalogues


def _bdi(value) -> str:
    """``|bdi``: the name escaped and isolated (ncm_portal.bidi)."""
    return format_html("<bdi>{}</bdi>", value)


def _date(value, format_name: str) -> str:
    """``|date:format_name``: in the reader's time zone and locale; nothing for no date."""
    if value in (None, ""):
        return ""
    return conditional_escape(date_format(template_localtime(value), format_name))


def _format(translated: str, original: str, **values) -> str:
    """``{% blocktranslate %}``: the translation with its values (escaped by the caller), the
    message as written if a translation does not fit them."""
    try:
        return translated % values
    except (KeyError, ValueError):
        return original % values


def section_rows_html(assignments, report, can_edit: bool) -> SafeString:
    """The rows of a part's sections table (``report_detail.html``): the section with its link,
    who answers it, its status (and the secretariat's comment when returned), how many of its
    questions are answered and overridden, its due date and what the reader may do with it.
    ``assignment.answered``, ``total``, ``overrides`` and ``can_answer`` are set by
    ``selectors.report_detail``."""
    # A template's translated literals are safe: written as they are translated (_trusted).
    secretariat = _trusted(gettext("The secretariat"))
    answer_label = _trusted(pgettext("verb", "Answer"))
    assign_label = _trusted(gettext("Assign"))
    rows = []
    for assignment in assignments:
        section = assignment.section
        section_url = conditional_escape(
            reverse("reporting:article15-section", args=[report.pk, assignment.section_id])
        )
        institution = assignment.institution
        status = (
            f'<span class="badge section-status text-bg-{_text(assignment.status_tone)}">'
            f"{_text(assignment.get_status_display())}</span>"
        )
        comment = ""
        if assignment.comment and assignment.is_returned:
            comment = f'<div class="small text-body-secondary">{_text(assignment.comment)}</div>'
        answered = _format(
            gettext("%(done)s of %(total)s"),
            "%(done)s of %(total)s",
            done=_text(assignment.answered),
            total=_text(assignment.total),
        )
        overrides = ""
        if assignment.overrides:
            singular, plural = "%(n)s override", "%(n)s overrides"
            counted = _format(
                ngettext(singular, plural, assignment.overrides),
                singular if assignment.overrides == 1 else plural,
                n=_text(assignment.overrides),
            )
            overrides = f'<span class="badge text-bg-warning">{counted}</span>'
        actions = []
        if assignment.can_answer:
            answer = f'<a class="btn btn-sm btn-primary" href="{section_url}">{answer_label}</a>'
            actions.append(answer)
        if can_edit and assignment.can_reassign():
            assign_url = conditional_escape(
                reverse("reporting:article15-assign", args=[report.pk, assignment.section_id])
            )
            actions.append(
                f'<a class="btn btn-sm btn-outline-secondary" href="{assign_url}">'
                f"{assign_label}</a>"
            )
        actions = "\n    ".join(actions)
        rows.append(
            f'<tr id="section-{_text(section.code)}">\n'
            f'  <td><a href="{section_url}">{_text(section.code)} {_text(section.title)}</a></td>\n'
            f"  <td>{_bdi((institution.name if institution else '') or secretariat)}</td>\n"
            f"  <td>{status}\n    {comment}</td>\n"
            f"  <td>{answered}\n    {overrides}</td>\n"
            f"  <td>{_date(assignment.due_on, 'DATE_FORMAT') or '—'}</td>\n"
            f'  <td class="text-end">\n    {actions}\n  </td>\n'
            "</tr>"
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - every value is escaped above


def event_rows_html(events) -> SafeString:
    """The rows of a report's trail (``partials/_events.html``): when, who, what, which section,
    from which state to which, and the note; one row saying so when nothing is recorded."""
    rows = []
    portal = _trusted(gettext("the portal"))
    for event in events:
        assignment = event.assignment  # selected with its section: no query
        section = assignment.section.code if assignment is not None else ""
        rows.append(
            f"<tr><td>{_date(event.at, 'DATETIME_FORMAT')}</td>"
            f"<td>{_bdi(event.actor or portal)}</td>"
            f"<td>{_text(event.action_label)}</td><td>{_text(section)}</td>"
            f"<td>{_text(event.from_label)}</td><td>{_text(event.to_label)}</td>"
            f"<td>{_text(event.note)}</td></tr>"
        )
    if not rows:
        nothing = _trusted(gettext("Nothing recorded yet."))
        rows.append(f'<tr><td colspan="7" class="text-body-secondary">{nothing}</td></tr>')
    return mark_safe("\n".join(rows))  # noqa: S308 - every value is escaped above


def trail_rows(report) -> SafeString:
    """``event_rows_html`` of the report's trail, kept in the cache until an event, a section or
    an account changes (the ``report-trail`` and ``users`` stamps), in the reader's language and
    time zone: the trail reads the same for whoever may open the report."""
    from coordination.fragments import USERS
    from ncm_portal import fragments
    from reporting import selectors
    from reporting.fragments import TRAIL

    key = f"reporting:trail:{report.pk}|" + fragments.key(TRAIL, USERS)
    found = cache.get(key)
    if found is None:
        found = str(event_rows_html(selectors.report_events(report)))
        cache.set(key, found, fragments.TIMEOUT)
    return mark_safe(found)  # noqa: S308 - built by event_rows_html, which escapes every value
