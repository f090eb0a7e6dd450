"""People and bodies the obligations' tests share: convention role holders of the registry."""

from coordination.models import Body, Convention, Designation, Role
from tests.factories import (
    BodyFactory,
    DesignationFactory,
    InstitutionFactory,
    PersonFactory,
    UserFactory,
    convention_role,
)


def role_holder(convention: str, role: str, email: str, institution=None, user_role=Role.MEMBER):
    """A user whose person is currently designated to a convention role."""
    institution = institution or InstitutionFactory()
    user = UserFactory(email=email, role=user_role)
    person = PersonFactory(institution=institution, user=user)
    DesignationFactory(
        person=person,
        kind=Designation.Kind.CONVENTION,
        convention_role=convention_role(convention, role),
    )
    return user


def steering_committee(*conventions: str) -> Body:
    body = BodyFactory(name="Steering Committee", kind=Body.Kind.STEERING)
    body.conventions.set(Convention.objects.filter(code__in=conventions))
    return body
