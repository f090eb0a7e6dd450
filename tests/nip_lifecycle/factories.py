"""Builders for NIP cycle tests: the three committees, documents with versions, adopted ballots
and approved minutes, and a cycle carried to a given step."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from coordination import services as coordination
from coordination.ballots import services as votes
from coordination.documents import services as documents
from coordination.meetings import services as meetings
from coordination.models import Ballot, Designation, Meeting, MinutesItem, Role
from nip_lifecycle import services
from nip_lifecycle.models import Cycle, ReferenceAmendment, Step
from tests.factories import (
    DesignationFactory,
    InstitutionFactory,
    MembershipFactory,
    PersonFactory,
    UserFactory,
)


class Mechanism:
    """A lead body, a technical committee and a steering committee with two voting members;
    the secretariat serves all three, a reviewer serves the technical committee only."""

    def __init__(self, secretariat):
        self.secretariat = secretariat
        self.lead = coordination.body_create(actor=secretariat, name="NCM plenary", kind="ncm")
        self.tc = coordination.body_create(
            actor=secretariat, name="Technical Committee", kind="technical"
        )
        self.sc = coordination.body_create(
            actor=secretariat, name="Steering Committee", kind="steering"
        )
        self.reviewer = UserFactory(email="reviewer@ncm.test", role=Role.SECRETARIAT)
        from guardian.shortcuts import assign_perm

        assign_perm("coordination.change_body", self.reviewer, self.tc)
        self.voters = []
        for i, (name, acronym) in enumerate(
            (("Ministry of Health", "MoH"), ("Customs Service", "VCS"))
        ):
            institution = InstitutionFactory(name=name, acronym=acronym)
            MembershipFactory(body=self.sc, institution=institution)
            MembershipFactory(body=self.lead, institution=institution)
            person = PersonFactory(
                institution=institution,
                name=f"Delegate {i}",
                user=UserFactory(email=f"{acronym.lower()}@ncm.test", role=Role.MEMBER),
            )
            DesignationFactory(person=person, kind=Designation.Kind.REPRESENTATIVE, body=self.sc)
            self.voters.append(person)

    def cycle(self, *, article_25_4=False, title="NIP update for the 2023 and 2025 listings"):
        return services.cycle_create(
            actor=self.secretariat,
            title=title,
            trigger=Cycle.Trigger.NEW_LISTING,
            lead_body=self.lead,
            technical_committee=self.tc,
            steering_committee=self.sc,
            article_25_4=article_25_4,
        )

    def document(self, title, content=None):
        upload = SimpleUploadedFile(
            f"{title[:20]}.pdf", content or f"%PDF-1.4 {title}".encode(), "application/pdf"
        )
        return documents.document_upload(
            actor=self.secretariat,
            title=title,
            category="report",
            audience="signed_in",
            file=upload,
            language="en",
            body=self.lead,
        )

    def ballot(self, question="Approve the step?", *, choices=("yes", "yes"), about=None) -> Ballot:
        """A ballot of the steering committee on ``about`` (a step), voted and closed."""
        ballot = votes.ballot_create(
            actor=self.secretariat,
            body=self.sc,
            question=question,
            closes_at=timezone.now() + datetime.timedelta(days=1),
            decides=about,
        )
        ballot = votes.ballot_open(actor=self.secretariat, ballot=ballot)
        for person, code in zip(self.voters, choices, strict=False):
            elector = ballot.electors.get(institution=person.institution)
            votes.vote_cast(
                actor=person.user,
                ballot=ballot,
                elector=elector,
                option=ballot.options.get(code=code),
            )
        now = timezone.now()
        Ballot.objects.filter(pk=ballot.pk).update(
            opens_at=now - datetime.timedelta(hours=1),
            closes_at=now - datetime.timedelta(seconds=1),
        )
        return votes.ballot_close(ballot=Ballot.objects.get(pk=ballot.pk))

    def minutes_item(
        self, decision="The committee approves the step.", *, approve=True, about=None
    ):
        """A decision on ``about`` (a step) in the minutes of a held steering committee
        meeting, circulated and (unless asked otherwise) approved."""
        start = timezone.now() - datetime.timedelta(days=10)
        meeting = Meeting.objects.create(
            body=self.sc,
            title="Steering Committee, 1st meeting",
            start=start,
            end=start + datetime.timedelta(hours=3),
            status=Meeting.Status.HELD,
        )
        agenda = meetings.agenda_item_add(
            actor=self.secretariat, meeting=meeting, title="NIP update", subject=about
        )
        minutes = meetings.minutes_open(actor=self.secretariat, meeting=meeting)
        item = minutes.items.get(agenda_item=agenda)
        meetings.minutes_item_update(
            actor=self.secretariat, item=item, summary="Discussed.", decisions=decision
        )
        meetings.minutes_circulate(actor=self.secretariat, minutes=minutes)
        if approve:
            meetings.minutes_approve(actor=self.secretariat, minutes=minutes)
        return MinutesItem.objects.select_related("minutes").get(pk=item.pk)

    def fulfil(self, step: Step) -> Step:
        """Tick the checklist and attach a document to every expected deliverable."""
        for item in step.checklist.all():
            services.checklist_item_mark(actor=self.secretariat, item=item, done=True)
        for deliverable in step.deliverables.all():
            services.deliverable_attach(
                actor=self.secretariat,
                deliverable=deliverable,
                document=self.document(deliverable.name),
            )
        return Step.objects.get(pk=step.pk)

    def carry(self, step: Step, *, ballot: Ballot | None = None) -> Step:
        """Take a step from not started to completed through its gate."""
        actor = self.secretariat
        if step.status == Step.Status.NOT_STARTED:
            step = services.step_start(actor=actor, step=step)
        step = self.fulfil(step)
        if step.needs_technical_review:
            step = services.step_submit_for_review(actor=actor, step=step)
            services.step_review(
                actor=self.reviewer, step=step, outcome="cleared", text="Data validated."
            )
            step = Step.objects.get(pk=step.pk)
        if step.needs_approval:
            step = services.step_approve(
                actor=actor, step=step, ballot=ballot or self.ballot(about=step)
            )
        return services.step_complete(actor=actor, step=step)


def reference(code: str) -> ReferenceAmendment:
    return ReferenceAmendment.objects.get(code=code)
