"""The home page shows each user their programmes and what their roles let them do."""

from __future__ import annotations

from django.utils.html import escape

from amends.accounts.roles import ROLE_DESCRIPTIONS, Role


def test_coordinator_sees_their_programme_and_role_but_not_administration_links(client_for):
    body = client_for("coordinator").get("/").content.decode()
    assert "Northshire RJ" in body
    assert "Southvale RJ" not in body
    assert escape(str(ROLE_DESCRIPTIONS[Role.COORDINATOR])) in body
    assert "Members and roles" not in body
    assert "Audit log" not in body


def test_administrator_sees_links_to_members_and_audit(client_for):
    body = client_for("administrator").get("/").content.decode()
    assert "Members and roles" in body
    assert "Audit log" in body


def test_platform_administrator_sees_every_programme(client_for):
    body = client_for("platform_admin").get("/").content.decode()
    assert "Northshire RJ" in body
    assert "Southvale RJ" in body
    assert "Platform admin" in body


def test_a_user_without_roles_is_told_how_to_get_one(client_for):
    body = client_for("no_role").get("/").content.decode()
    assert "You do not hold a role in any programme yet" in body


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_home_page_query_count_does_not_grow_with_programmes(
    cast, client_for, django_assert_max_num_queries
):
    from amends.programmes.models import Programme

    for number in range(15):
        Programme.objects.create(
            organisation=cast.programme.organisation, name=f"P{number}", slug=f"p{number}"
        )
    client = client_for("platform_admin")
    with django_assert_max_num_queries(12):
        assert client.get("/").status_code == 200
