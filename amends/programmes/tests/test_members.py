"""Administrators give and remove roles; each change needs a fresh password and is audited."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from amends.accounts.models import Membership, User
from amends.accounts.roles import Role
from amends.accounts.selectors import programme_roles
from amends.accounts.services import membership_grant, membership_revoke
from amends.audit.actions import Action
from amends.audit.models import AuditEvent
from amends.core.errors import ApplicationError, PermissionRefused
from amends.core.testing.matrix import domain_snapshot


def _add_url(cast):
    return reverse("programmes:member_add", args=[cast.programme.slug])


def test_administrator_gives_a_new_person_a_role_and_they_are_invited(
    cast, client_for, django_capture_on_commit_callbacks
):
    client = client_for("administrator", reauthenticated=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _add_url(cast),
            {"email": "New.Person@Example.org", "full_name": "New Person", "role": "coordinator"},
        )
    assert response.status_code == 302
    user = User.objects.get(email="new.person@example.org")
    assert not user.has_usable_password()
    assert Membership.objects.filter(
        user=user, programme=cast.programme, role="coordinator"
    ).exists()
    assert [message.to for message in mail.outbox] == [["new.person@example.org"]]
    assert "/accounts/password/reset/key/" in mail.outbox[0].body
    granted = AuditEvent.objects.get(action=Action.MEMBERSHIP_GRANTED, data__user=user.pk)
    assert granted.actor_id == cast.administrator.pk
    assert granted.programme_id == cast.programme.pk
    assert AuditEvent.objects.filter(action=Action.ACCOUNT_CREATED, target_id=str(user.pk)).exists()


def test_giving_an_existing_user_a_role_sends_no_invitation(cast, client_for):
    client = client_for("administrator", reauthenticated=True)
    client.post(
        _add_url(cast), {"email": "evaluator@example.org", "full_name": "", "role": "facilitator"}
    )
    assert set(programme_roles(User.objects.get(pk=cast.evaluator.pk))[cast.programme.pk]) == {
        Role.EVALUATOR,
        Role.FACILITATOR,
    }
    assert mail.outbox == []


def test_changing_roles_asks_for_the_password_again_and_changes_nothing_until_then(
    cast, client_for
):
    client = client_for("administrator")
    before = domain_snapshot()
    response = client.post(
        _add_url(cast), {"email": "x@example.org", "full_name": "X", "role": "referrer"}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert domain_snapshot() == before


def test_bad_input_gets_a_clear_message_and_changes_nothing(cast, client_for):
    client = client_for("administrator", reauthenticated=True)
    before = domain_snapshot()
    response = client.post(
        _add_url(cast), {"email": "not-an-address", "full_name": "", "role": "boss"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Enter a valid email address." in body
    assert "Select a valid choice." in body
    assert domain_snapshot() == before


def test_a_new_person_needs_a_name(cast, client_for):
    client = client_for("administrator", reauthenticated=True)
    response = client.post(
        _add_url(cast), {"email": "nameless@example.org", "full_name": " ", "role": "referrer"}
    )
    assert response.status_code == 400
    assert "Give the person&#x27;s full name." in response.content.decode()
    assert not User.objects.filter(email="nameless@example.org").exists()


def test_the_last_administrator_cannot_be_removed(cast):
    membership = Membership.objects.get(user=cast.administrator, role=Role.ADMINISTRATOR)
    with pytest.raises(ApplicationError, match="not removed") as refusal:
        membership_revoke(
            actor=cast.administrator, membership_id=membership.pk, programme=cast.programme
        )
    assert "at least one administrator" in refusal.value.reasons[0]
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_an_administrator_can_be_removed_when_another_remains(cast):
    membership_grant(
        actor=cast.platform_admin,
        programme=cast.programme,
        user=cast.supervisor,
        role=Role.ADMINISTRATOR,
    )
    membership = Membership.objects.get(user=cast.administrator, role=Role.ADMINISTRATOR)
    membership_revoke(
        actor=cast.platform_admin, membership_id=membership.pk, programme=cast.programme
    )
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEvent.objects.filter(
        action=Action.MEMBERSHIP_REVOKED, data__role="administrator"
    ).exists()


def test_granting_a_role_already_held_changes_nothing(cast):
    before = AuditEvent.objects.count()
    membership_grant(
        actor=cast.administrator,
        programme=cast.programme,
        user=cast.coordinator,
        role=Role.COORDINATOR,
    )
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("actor", ["coordinator", "supervisor", "other_supervisor"])
def test_only_administrators_may_grant_roles(cast, actor):
    with pytest.raises(PermissionRefused):
        membership_grant(
            actor=cast.users[actor],
            programme=cast.programme,
            user=cast.no_role,
            role=Role.COORDINATOR,
        )
    assert not Membership.objects.filter(user=cast.no_role).exists()


def test_an_administrator_of_one_programme_cannot_grant_roles_in_another(cast):
    with pytest.raises(PermissionRefused):
        membership_grant(
            actor=cast.administrator,
            programme=cast.other_programme,
            user=cast.no_role,
            role=Role.COORDINATOR,
        )


def test_a_user_holds_different_roles_in_different_programmes(cast):
    membership_grant(
        actor=cast.platform_admin,
        programme=cast.other_programme,
        user=cast.coordinator,
        role=Role.FACILITATOR,
    )
    roles = programme_roles(User.objects.get(pk=cast.coordinator.pk))
    assert roles == {
        cast.programme.pk: frozenset({Role.COORDINATOR}),
        cast.other_programme.pk: frozenset({Role.FACILITATOR}),
    }


def test_supervisor_sees_the_members_but_no_way_to_change_them(cast, client_for):
    response = client_for("supervisor").get(
        reverse("programmes:members", args=[cast.programme.slug])
    )
    body = response.content.decode()
    assert "coordinator@example.org" in body
    assert "Give the role" not in body
    assert "Remove" not in body


def test_a_programme_administrator_cannot_give_a_platform_administrator_a_role(cast):
    with pytest.raises(PermissionRefused):
        membership_grant(
            actor=cast.administrator,
            programme=cast.programme,
            user=cast.platform_admin,
            role=Role.EVALUATOR,
        )
    assert not Membership.objects.filter(user=cast.platform_admin).exists()
