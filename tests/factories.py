import datetime

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from coordination.models import (
    ROLE_GROUPS,
    Body,
    ConventionRole,
    Designation,
    Institution,
    Membership,
    Person,
    Role,
    User,
)

PASSWORD = "correct-horse-battery"


def days_from_today(days: int) -> datetime.date:
    """The date ``days`` after (or, negative, before) the portal's today."""
    return timezone.localdate() + datetime.timedelta(days=days)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@ncm.test")
    full_name = factory.Faker("name")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=ROLE_GROUPS[Role(extracted)]))


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Institution {n:05d}")
    acronym = factory.Sequence(lambda n: f"I{n}")
    kind = Institution.Kind.AGENCY


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Body

    name = factory.Sequence(lambda n: f"Committee {n}")
    kind = Body.Kind.TECHNICAL


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"person{n}@gov.test")
    institution = factory.SubFactory(InstitutionFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    body = factory.SubFactory(BodyFactory)
    institution = factory.SubFactory(InstitutionFactory)
    start_date = factory.LazyFunction(lambda: days_from_today(-10 * 365))


class DesignationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Designation

    person = factory.SubFactory(PersonFactory)
    institution = factory.SelfAttribute("person.institution")
    kind = Designation.Kind.INSTITUTION_FOCAL_POINT
    start_date = factory.LazyFunction(lambda: days_from_today(-10 * 365))


def convention_role(convention: str, code: str) -> ConventionRole:
    return ConventionRole.objects.get(convention__code=convention, code=code)


def workplan_with_task(*, body=None, lead=None, due=None, **task_fields):
    """A workplan of ``body`` with one activity and one task led by ``lead``: the workplan runs
    from a year ago to a year ahead, the task started 300 days ago and is due in nine days
    (open, neither overdue nor due within the week) unless ``due`` says otherwise."""
    from coordination.models import Activity, Task, Workplan

    body = body or BodyFactory()
    lead = lead or InstitutionFactory()
    workplan = Workplan.objects.create(
        body=body,
        title=f"Workplan of {body.name}",
        period_start=days_from_today(-365),
        period_end=days_from_today(365),
    )
    activity = Activity.objects.create(workplan=workplan, title="Inventories", order=1)
    task = Task.objects.create(
        activity=activity,
        title=task_fields.pop("title", "PCB inventory"),
        lead_institution=lead,
        start_date=days_from_today(-300),
        due_date=days_from_today(9) if due is None else due,
        **task_fields,
    )
    return workplan, task
