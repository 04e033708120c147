from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from skills4cities.accounts.enums import MemberRole
from skills4cities.accounts.models import Membership
from skills4cities.core.models import AuditEntry
from tests import factories
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_login_page_and_sign_in_with_username(client: Client, alice: Any) -> None:
    assert client.get("/accounts/login/").status_code == 200

    response = client.post("/accounts/login/", {"login": "alice", "password": "correct horse battery staple"})

    assert response.status_code == 302
    assert client.get("/me/").status_code == 200


def test_wrong_password_redisplays_the_form_with_an_error(client: Client, alice: Any) -> None:
    response = client.post("/accounts/login/", {"login": "alice", "password": "wrong"})

    assert response.status_code == 200
    assert "not correct" in response.content.decode()


def test_password_reset_sends_an_email(client: Client, alice: Any) -> None:
    response = client.post("/accounts/password/reset/", {"email": "alice@example.org"})

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_sign_up_creates_an_account_in_the_current_language(client: Client, db: Any) -> None:
    response = client.post(
        "/accounts/signup/",
        {
            "email": "new@example.org",
            "username": "newcomer",
            "password1": "a long pass phrase 42",
            "password2": "a long pass phrase 42",
        },
        HTTP_ACCEPT_LANGUAGE="es",
    )

    assert response.status_code == 302
    from skills4cities.accounts.models import User

    assert User.objects.get(username="newcomer").preferred_language == "es"


def test_profile_requires_login(client: Client) -> None:
    response = client.get("/me/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_profile_saves_the_preferred_language(alice: Any) -> None:
    client = client_for(alice)

    response = client.post("/me/", {"first_name": "Alice", "last_name": "Ivanova", "preferred_language": "bg"})

    assert response.status_code == 302
    alice.refresh_from_db()
    assert (alice.first_name, alice.preferred_language) == ("Alice", "bg")


def test_a_member_sees_the_organisation_but_cannot_manage_it(city: Any, alice: Any, bob: Any) -> None:
    client = client_for(alice)

    page = client.get(f"/organisations/{city.public_id}/")
    post = client.post(f"/organisations/{city.public_id}/", {"username": "alice", "role": "assessor"})

    assert page.status_code == 200
    assert "Add a member" not in page.content.decode()
    assert post.status_code == 403
    assert set(Membership.objects.filter(user=alice).values_list("role", flat=True)) == {"learner"}


def test_an_outsider_gets_404_and_changes_nothing(city: Any, alice: Any, charlie: Any) -> None:
    client = client_for(charlie)
    members_before = Membership.objects.count()

    assert client.get(f"/organisations/{city.public_id}/").status_code == 404
    assert (
        client.post(f"/organisations/{city.public_id}/", {"username": "charlie", "role": "org_admin"}).status_code
        == 404
    )
    assert Membership.objects.count() == members_before


def test_the_organisation_admin_adds_a_member_and_it_is_audited(city: Any, bob: Any, charlie: Any) -> None:
    response = client_for(bob).post(f"/organisations/{city.public_id}/", {"username": "charlie", "role": "assessor"})

    assert response.status_code == 302
    assert Membership.objects.filter(user=charlie, organisation=city, role=MemberRole.ASSESSOR).exists()
    assert AuditEntry.objects.filter(action="membership.grant", object_id=str(city.public_id)).count() == 1


def test_adding_an_unknown_user_redisplays_the_form_with_the_error(city: Any, bob: Any) -> None:
    response = client_for(bob).post(f"/organisations/{city.public_id}/", {"username": "nobody", "role": "assessor"})

    assert response.status_code == 200
    assert "No account has the username or e-mail" in response.content.decode()


def test_organisation_list_shows_only_own_organisations(city: Any, alice: Any, charlie: Any) -> None:
    html = client_for(alice).get("/organisations/").content.decode()

    assert "City of Sofia" in html
    assert "Cluj VET Centre" not in html


def test_site_admin_sees_every_organisation(city: Any, charlie: Any) -> None:
    admin = factories.UserFactory(username="root", is_superuser=True, is_staff=True)

    html = client_for(admin).get("/organisations/").content.decode()

    assert "City of Sofia" in html and "Cluj VET Centre" in html
