"""``{% can %}`` asks the permission functions the views enforce, by name."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template

from coordination.models import Role
from ncm_portal import permissions
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MENU = Template(
    '{% load permissions %}{% can "inventories.upload_any" as may_upload %}'
    '{% can "reporting.view_performance" as may_read %}{{ may_upload }} {{ may_read }}'
)


def test_the_tag_answers_what_the_view_enforces():
    from inventories.permissions import can_upload_any
    from reporting.permissions import can_view_performance

    for role in (Role.VIEWER, Role.MEMBER, Role.FOCAL_POINT, Role.SECRETARIAT):
        user = UserFactory(role=role)
        expected = f"{can_upload_any(user)} {can_view_performance(user)}"
        assert MENU.render(Context({"user": user})) == expected, role
    assert MENU.render(Context({"user": AnonymousUser()})) == "False False"


def test_a_viewer_may_neither_upload_nor_read_the_performance_report():
    assert MENU.render(Context({"user": UserFactory(role=Role.VIEWER)})) == "False False"
    assert MENU.render(Context({"user": UserFactory(role=Role.SECRETARIAT)})) == "True True"


def test_an_unknown_permission_is_an_error_not_a_silent_no():
    with pytest.raises(LookupError, match="inventories.fly"):
        permissions.predicate("inventories.fly")
    with pytest.raises(LookupError, match="nowhere.read"):
        permissions.predicate("nowhere.read")
