"""Demo Article 15 reports for the fictional Republic of Veridia: the fifth round's report,
answered, approved by the official contact point and submitted through the ERS; and the sixth
round's report in progress, with Part A accepted, Section I being answered by the secretariat,
Section II (production, import and export) assigned to the customs service, whose focal point
has it to answer, and the unintentional releases and PCB sections assigned to the
Environmental Protection Agency. Everything goes through the services; running it again changes
nothing.

The rounds' deadlines are the Convention's real dates (reference data), not the demo's story, so
what the sixth report looks like depends on the day the demo is built. Up to a year after the
sixth round's deadline (31 August 2026) it is in progress as described: on time before the
deadline, late after it, as many Parties' reports are while the Secretariat still takes them. Built
later than that, the demo shows it submitted a few days before its deadline, as the fifth was; the
seventh round's format is not in the reference data yet, so there is no later report to start.

Beside them, the Minamata Convention's Article 21 report of the current round (the first whose
due date, read from the obligations register, is not yet past on the day the demo is built) is in
draft: started and prefilled, the secretariat's first answer saved, and the section on mercury
supply sources and trade assigned to the customs service. And the Basel Convention's annual report
on the year before the demo's day (due at the end of that day's year) is in draft, its tables of
exports and imports of wastes prefilled from the environment agency's accepted movements."""

import datetime

from django.utils import timezone

from coordination.models import Institution, User
from reporting.models import Answer, Question, Report, Round, Section
from reporting.services import article15 as services
from reporting.services.article15_answers import answer_save

D = datetime.date
# Reports are submitted five days before the deadline, approved two days before that.
SUBMITTED_BEFORE_DEADLINE = datetime.timedelta(days=5)
APPROVED_BEFORE_SUBMISSION = datetime.timedelta(days=2)
ASSIGNED_DUE_BEFORE_DEADLINE = datetime.timedelta(days=62)
# How long after its deadline the demo still shows the sixth report being answered.
KEPT_IN_PROGRESS_AFTER_DEADLINE = datetime.timedelta(days=365)

# Answers the secretariat gives, by question code (tables as rows).
SECRETARIAT_ANSWERS = {
    "A-3": "Ministry of Environment and Climate (Chemicals and POPs Unit); Veridia Customs "
    "Service; Environmental Protection Agency; National Plant Protection Service; Central "
    "Environmental Laboratory.",
    "B-I-4": "Inventories of the chemicals listed since 2017 depend on customs data that "
    "identify them only by indicative HS headings.",
    "B-II-1": True,
    "B-II-2": True,
    "B-II-3": True,
    "B-II-4": True,
    "B-II-5": False,
    "B-II-7": "Customs statistics",
    "B-III-1": False,
    "B-IV-1": True,
    "B-IV-2": "2008-03-14",
    "B-IV-3": True,
    "B-IV-5": True,
    "B-V-1": True,
    "B-V-2": {
        "rows": [
            {"chemical": "DDT", "quantity_kg": 1250, "managed": True},
            {"chemical": "Dieldrin", "quantity_kg": 85, "managed": False},
        ],
        "note": "Obsolete stocks held by the National Plant Protection Service.",
    },
    "B-V-3": True,
    "B-V-4": 4,
    "B-VI-2": True,
    "B-VI-3": True,
    "B-VI-5": True,
    "B-VI-6": False,
    "B-VI-7": "Monitoring of air shows falling concentrations of HCB since 2023.",
    "C-3": True,
    "C-4": 12.5,
}


def _questions(round_: Round) -> dict[str, Question]:
    return {q.code: q for q in Question.objects.filter(section__round=round_)}


def _computed(report: Report, question: Question) -> bool:
    """Whether the portal prefilled the question from accepted data: its figures then stand."""
    prefilled = (
        Answer.objects.filter(report=report, question=question)
        .values_list("prefilled", flat=True)
        .first()
    )
    return prefilled is not None


def _answer_all(report, section, questions, actor, *, override_reasons=None, keep_computed=False):
    for question in questions.values():
        if question.section_id != section.pk or question.code not in SECRETARIAT_ANSWERS:
            continue
        if keep_computed and _computed(report, question):
            continue
        answer_save(
            report=report,
            question=question,
            value=SECRETARIAT_ANSWERS[question.code],
            actor=actor,
            override_reason=(override_reasons or {}).get(question.code, ""),
        )


def _official_contact_point() -> User | None:
    from reporting import permissions

    for user in User.objects.filter(person__isnull=False, is_active=True):
        if permissions.is_official_contact_point(user):
            return user
    return None


def _submitted(
    round_: Round, secretariat: User, focal: User | None, customs: Institution
) -> Report | None:
    """The round's report, answered, approved by the official contact point and submitted through
    the ERS five days before the deadline (the fifth round's on 26 August 2022)."""
    submitted_on = round_.due - SUBMITTED_BEFORE_DEADLINE
    approved_at = datetime.datetime.combine(
        submitted_on - APPROVED_BEFORE_SUBMISSION, datetime.time(10, 30), tzinfo=datetime.UTC
    )
    first, last = round_.period_start.year, round_.period_end.year
    report = services.report_start(round=round_, actor=secretariat)
    questions = _questions(round_)
    for section in Section.objects.filter(round=round_).order_by("order"):
        if section.code == "B-II" and focal is not None:
            services.section_assign(
                report=report,
                section=section,
                institution=customs,
                actor=secretariat,
                due_on=round_.due - ASSIGNED_DUE_BEFORE_DEADLINE,
            )
            trade = questions["B-II-6"]
            if not _computed(report, trade):  # the customs data of those years, if accepted
                answer_save(
                    report=report,
                    question=trade,
                    actor=focal,
                    value={
                        "rows": [
                            {
                                "chemical": "Polychlorinated biphenyls (PCB)",
                                "year": last,
                                "flow": "import",
                                "quantity_kg": 0,
                                "partners": "",
                                "estimate": True,
                            }
                        ],
                        "note": f"No declaration under the PCB subheadings in {first}-{last}.",
                    },
                )
            for code in ("B-II-1", "B-II-3", "B-II-7"):
                answer_save(
                    report=report,
                    question=questions[code],
                    actor=focal,
                    value=SECRETARIAT_ANSWERS[code],
                )
            services.section_submit(report=report, section=section, actor=focal)
        else:
            _answer_all(report, section, questions, secretariat, keep_computed=True)
            services.section_submit(report=report, section=section, actor=secretariat)
        services.section_review(report=report, section=section, action="accept", actor=secretariat)
    contact_point = _official_contact_point()
    if contact_point is None:
        return report
    report = services.report_approve(report=report, actor=contact_point)
    Report.objects.filter(pk=report.pk).update(approved_at=approved_at)  # as it happened
    return services.report_mark_submitted(
        report=report,
        submitted_on=submitted_on,
        reference=f"ERS-SC{round_.number}-VRD-{submitted_on:%Y-%m%d}",
        actor=secretariat,
    )


def _sixth(secretariat: User, customs: Institution, agency: Institution | None) -> Report:
    round_ = Round.objects.get(convention="stockholm", number=6)
    report = services.report_start(round=round_, actor=secretariat)
    questions = _questions(round_)
    sections = {s.code: s for s in Section.objects.filter(round=round_)}
    due = timezone.localdate() + datetime.timedelta(days=30)
    # Part A: answered and accepted.
    _answer_all(report, sections["A"], questions, secretariat)
    services.section_submit(report=report, section=sections["A"], actor=secretariat)
    services.section_review(
        report=report,
        section=sections["A"],
        action="accept",
        actor=secretariat,
        comment="Complete.",
    )
    # Section I: being answered by the secretariat.
    answer_save(
        report=report,
        question=questions["B-I-4"],
        actor=secretariat,
        value=SECRETARIAT_ANSWERS["B-I-4"],
    )
    # Section II: the customs service's focal point has it to answer.
    services.section_assign(
        report=report, section=sections["B-II"], institution=customs, due_on=due, actor=secretariat
    )
    if agency is not None:
        for code in ("B-IV", "C"):
            services.section_assign(
                report=report,
                section=sections[code],
                institution=agency,
                due_on=due,
                actor=secretariat,
            )
    return report


def seed_reporting_demo(*, institutions: dict[str, Institution], users: list[User]) -> None:
    """``institutions`` by acronym; ``users`` the demo accounts."""
    by_email = {u.email: u for u in users}
    secretariat = by_email["secretariat@ncm.example"]
    focal = by_email.get("focal.point@ncm.example")
    customs = institutions["VCS"]
    if not Report.objects.filter(round__convention="stockholm", round__number=5).exists():
        _submitted(Round.objects.get(convention="stockholm", number=5), secretariat, focal, customs)
    if not Report.objects.filter(round__convention="stockholm", round__number=6).exists():
        sixth = Round.objects.get(convention="stockholm", number=6)
        if timezone.localdate() > sixth.due + KEPT_IN_PROGRESS_AFTER_DEADLINE:
            _submitted(sixth, secretariat, focal, customs)
        else:
            _sixth(secretariat, customs, institutions.get("EPA"))


def current_minamata_round(on: datetime.date | None = None) -> Round | None:
    """The Minamata round due next (the first not yet past its due date), if any."""
    on = on or timezone.localdate()
    rounds = Round.objects.filter(convention="minamata")
    return min((r for r in rounds if r.due >= on), key=lambda r: r.due, default=None)


def seed_minamata_report(*, institutions: dict[str, Institution], users: list[User]) -> None:
    """The current Minamata round's report, in draft; once the register's last Minamata date
    has passed (it holds no later round), the last round's report, in draft and late."""
    round_ = current_minamata_round() or max(
        Round.objects.filter(convention="minamata"), key=lambda r: r.due, default=None
    )
    if round_ is None or Report.objects.filter(round=round_).exists():
        return
    secretariat = next(u for u in users if u.email == "secretariat@ncm.example")
    report = services.report_start(round=round_, actor=secretariat)
    questions = _questions(round_)
    sections = {s.code: s for s in Section.objects.filter(round=round_)}
    if "B-3-2" in questions:
        answer_save(report=report, question=questions["B-3-2"], actor=secretariat, value=False)
    if "B-3" in sections and "VCS" in institutions:
        services.section_assign(
            report=report,
            section=sections["B-3"],
            institution=institutions["VCS"],
            due_on=timezone.localdate() + datetime.timedelta(days=30),
            actor=secretariat,
        )


def basel_demo_round(on: datetime.date | None = None) -> Round | None:
    """The Basel round of the year before ``on`` (due at the end of ``on``'s year), if the
    reference data holds it."""
    on = on or timezone.localdate()
    return Round.objects.filter(convention="basel", number=on.year - 1).first()


def seed_basel_report(*, calendar=None, users: list[User]) -> None:
    """The Basel annual report on the year before the story's day, in draft, its tables of
    exports and imports prefilled from the demo's accepted movements of wastes."""
    round_ = basel_demo_round(calendar.today if calendar is not None else None)
    if round_ is None or Report.objects.filter(round=round_).exists():
        return
    secretariat = next(u for u in users if u.email == "secretariat@ncm.example")
    services.report_start(round=round_, actor=secretariat)


def seed_reports(run) -> None:
    """The demo's part of reporting (a seeder of ncm_portal.demo): the Article 15 reports, then
    the obligations under the other conventions."""
    seed_reporting_demo(institutions=run.institutions, users=run.users)
    seed_minamata_report(institutions=run.institutions, users=run.users)
    seed_basel_report(calendar=run.calendar, users=run.users)
    from reporting.obligations.demo import seed_obligations

    seed_obligations(run)
