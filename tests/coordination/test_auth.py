import re

import pytest
from django.core import mail
from django.urls import reverse

from coordination.models import Person, Role
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def test_sign_in_with_email_any_case_and_sign_out(client, secretariat):
    response = client.post(
        reverse("login"), {"username": "SECRETARIAT@ncm.test", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("coordination:dashboard")
    assert client.get(reverse("coordination:dashboard")).status_code == 200

    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("coordination:dashboard")).status_code == 302


def test_wrong_password_says_what_to_check(client, secretariat):
    response = client.post(reverse("login"), {"username": secretariat.email, "password": "nope"})
    assert response.status_code == 200
    assert "do not match" in response.content.decode()


def test_sign_in_switches_to_the_users_language(client):
    user = UserFactory(email="fr@ncm.test", language="fr", role=Role.MEMBER)
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.cookies["django_language"].value == "fr"


def test_password_reset_by_email(client, member):
    response = client.post(reverse("password_reset"), {"email": member.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [member.email]
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+)", message.body).group(1)

    response = client.get(link, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0]
    new = "a-new-long-password-2026"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    response = client.post(reverse("login"), {"username": member.email, "password": new})
    assert response.status_code == 302
    assert response.wsgi_request.user == member


def test_password_reset_for_unknown_address_reveals_nothing(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@ncm.test"})
    assert response.status_code == 302
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("role", "heading"),
    [
        (Role.ADMINISTRATOR, "Administrator dashboard"),
        (Role.SECRETARIAT, "Secretariat dashboard"),
        (Role.FOCAL_POINT, "Focal point dashboard"),
        (Role.MEMBER, "Member dashboard"),
        (Role.VIEWER, "The mechanism at a glance"),
    ],
)
def test_each_role_lands_on_its_own_dashboard(client, role, heading):
    user = UserFactory(role=role)
    client.force_login(user)
    response = client.get(reverse("coordination:dashboard"))
    assert response.status_code == 200
    assert f'<h1 class="h3 mb-3">{heading}</h1>' in response.content.decode() or (
        heading in response.content.decode()
    )
    assert response.templates[0].name == f"coordination/dashboard_{role.value}.html"


def test_member_dashboard_lists_my_roles(client, member, institution):
    person = Person.objects.create(name="Lena", institution=institution, user=member)
    from tests.factories import DesignationFactory

    DesignationFactory(person=person)
    client.force_login(member)
    response = client.get(reverse("coordination:dashboard"))
    # The institution's name is isolated inside the label (Unicode isolates, ncm_portal/bidi.py).
    assert "Focal point of \u2068Veridia Customs Service" in response.content.decode()


def test_changing_language_is_kept_in_the_profile(client, member):
    client.force_login(member)
    client.post(reverse("set_language"), {"language": "ru", "next": "/"})
    member.refresh_from_db()
    assert member.language == "ru"


def test_profile_rejects_an_unknown_time_zone(client, member):
    client.force_login(member)
    response = client.post(
        reverse("profile"), {"full_name": "M", "language": "en", "time_zone": "Mars/Olympus"}
    )
    assert response.status_code == 200
    assert "Unknown time zone" in response.content.decode()
    response = client.post(
        reverse("profile"), {"full_name": "M", "language": "en", "time_zone": "Pacific/Fiji"}
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.time_zone == "Pacific/Fiji"


def test_non_staff_user_cannot_reach_the_admin(client, member):
    client.force_login(member)
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
