"""What a ballot or an agenda item decides, and which decisions may be cited as deciding it.

A ballot's ``decides`` and an agenda item's ``subject`` name the thing put to the body: minutes,
a workplan revision, an agenda item, or what an app above coordination registers here in its
``AppConfig.ready()`` (a NIP step), so that this module never imports those apps. A decision may
be cited for a thing only if it was taken on that very thing: a closed ballot that adopted it, or
a decision in approved minutes under an agenda item whose subject it is."""

from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _

# A yes/no ballot carried or a silence procedure with no objection. A choice ballot's "winner" is
# not an adoption: the option that won may be "return it for revision".
ADOPTED_OUTCOMES = ("adopted",)


@dataclass(frozen=True)
class Subject:
    key: str  # the name in the address: ?minutes=12, ?step=4
    model: str  # "app_label.ModelName"
    body_path: str  # the lookup from the thing to the body that decides it

    @property
    def model_class(self) -> type[Model]:
        return apps.get_model(self.model)


SUBJECTS: dict[str, Subject] = {}


def register(key: str, model: str, body_path: str) -> None:
    SUBJECTS[key] = Subject(key, model, body_path)


register("agenda_item", "coordination.AgendaItem", "meeting__body")
register("minutes", "coordination.Minutes", "meeting__body")
register("revision", "coordination.WorkplanRevision", "workplan__body")


def subject_from(params, body, *, prefix: str = ""):
    """The thing named in a request's parameters (``?step=4``, or ``decides_step`` in a form),
    looked up only among those the body decides; None when none is named, DoesNotExist when the
    one named is not the body's."""
    for key, subject in SUBJECTS.items():
        value = params.get(f"{prefix}{key}") or params.get(key)
        if value and str(value).isdigit():
            return subject.model_class.objects.get(pk=value, **{subject.body_path: body})
    return None


def subject_key(thing) -> str:
    """The key under which ``thing``'s kind is registered (for links that name it)."""
    label = thing._meta.label
    return next((k for k, s in SUBJECTS.items() if s.model == label), "")


def _about(thing) -> dict:
    return {
        "decides_type": ContentType.objects.get_for_model(thing),
        "decides_id": thing.pk,
    }


def adopting_ballots(thing, body):
    """The closed ballots of ``body`` that adopted ``thing``: the only ones that may be cited as
    its approval."""
    from coordination.models import Ballot

    return (
        Ballot.objects.filter(body=body, status=Ballot.Status.CLOSED, **_about(thing))
        .filter(result__outcome__in=ADOPTED_OUTCOMES)
        .order_by("-closed_at")
    )


def deciding_minutes_items(thing, body):
    """Decisions on ``thing`` in approved minutes of ``body``'s meetings."""
    from coordination.models import Minutes, MinutesItem

    about = _about(thing)
    return (
        MinutesItem.objects.filter(
            minutes__meeting__body=body,
            minutes__status=Minutes.Status.APPROVED,
            agenda_item__subject_type=about["decides_type"],
            agenda_item__subject_id=about["decides_id"],
        )
        .exclude(decisions="")
        .select_related("minutes__meeting", "agenda_item")
        .order_by("-minutes__meeting__start", "-minutes__version")
    )


def _refused(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def require_adopting_ballot(ballot, thing, body, *, field: str = "ballot") -> None:
    """Refuse a ballot that was not held by ``body``, is not closed, did not adopt, or decided
    something other than ``thing``."""
    from coordination.models import Ballot

    if ballot.body_id != body.pk:
        raise _refused(
            field,
            _("The ballot was held by %(body)s, not by %(committee)s.")
            % {"body": ballot.body, "committee": body},
            "other_body",
        )
    if ballot.status != Ballot.Status.CLOSED or not ballot.result:
        raise _refused(field, _("The ballot is not closed yet."), "ballot_open")
    if ballot.result.get("outcome") not in ADOPTED_OUTCOMES:
        raise _refused(
            field,
            _("The ballot did not adopt the proposal: %(words)s")
            % {"words": ballot.result.get("words", "")},
            "not_adopted",
        )
    about = _about(thing)
    if ballot.decides_type_id != about["decides_type"].pk or ballot.decides_id != thing.pk:
        raise _refused(
            field,
            _("The ballot “%(ballot)s” did not decide %(thing)s.")
            % {"ballot": ballot, "thing": thing},
            "unrelated",
        )


def require_deciding_item(item, thing, body, *, field: str = "minutes_item") -> None:
    """Refuse a minutes item that is not a decision on ``thing`` in approved minutes of
    ``body``."""
    from coordination.models import Minutes

    minutes = item.minutes
    if minutes.meeting.body_id != body.pk:
        message = _("The decision was taken by %(body)s, not by %(committee)s.") % {
            "body": minutes.meeting.body,
            "committee": body,
        }
        raise _refused(field, message, "other_body")
    if minutes.status != Minutes.Status.APPROVED:
        raise _refused(
            field,
            _("The minutes recording the decision are not approved (they are “%(status)s”).")
            % {"status": minutes.get_status_display()},
            "minutes_not_approved",
        )
    if not item.decisions.strip():
        raise _refused(field, _("This minutes item records no decision."), "no_decision")
    about = _about(thing)
    agenda = item.agenda_item
    if agenda.subject_type_id != about["decides_type"].pk or agenda.subject_id != thing.pk:
        raise _refused(
            field,
            _("The agenda item “%(item)s” was not about %(thing)s.")
            % {"item": agenda.title, "thing": thing},
            "unrelated",
        )
