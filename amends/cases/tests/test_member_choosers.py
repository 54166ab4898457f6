"""Choosing a colleague on the case page and in the case list's filters: a list while a
programme has few members, an e-mail address (or the people a link chose) beyond that,
so neither page grows with the programme."""

from __future__ import annotations

import pytest
from django.urls import reverse

from amends.accounts.models import Membership, User
from amends.accounts.roles import Role
from amends.cases.models import FacilitatorAssignment
from amends.core import forms as core_forms
from conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def many(monkeypatch):
    """A programme with more members than are listed (the limit set low for the test)."""
    from amends.cases import filters, selectors

    for module in (core_forms, filters, selectors):
        monkeypatch.setattr(module, "MEMBER_LIST_LIMIT", 2)


def _facilitator(cast, email):
    from conftest import _accredit

    user = make_user(email, email.split("@")[0].title())
    Membership.objects.create(user=user, programme=cast.programme, role=Role.FACILITATOR)
    _accredit(user, recorded_by=cast.users["coordinator"])
    return user


class TestCasePage:
    def test_a_few_facilitators_are_offered_as_a_list(self, cast, client_for):
        _facilitator(cast, "mira@example.org")
        html = client_for("coordinator").get(reverse("cases:detail", args=[cast.case.reference]))

        assert '<select name="facilitator"' in html.content.decode()

    def test_a_deactivated_member_is_never_offered(self, cast, client_for, monkeypatch):
        _facilitator(cast, "mira@example.org")
        _facilitator(cast, "gone@example.org")
        User.objects.filter(email="gone@example.org").update(is_active=False)
        from amends.cases import selectors

        monkeypatch.setattr(selectors, "MEMBER_LIST_LIMIT", 3)
        html = client_for("coordinator").get(reverse("cases:detail", args=[cast.case.reference]))

        # Three facilitators in the programme, within the limit: a list, offering Mira (the
        # third is assigned already) and not the one whose account was deactivated.
        page = html.content.decode()
        assert '<select name="facilitator"' in page
        assert "Mira" in page
        assert "Gone" not in page

    def test_many_are_chosen_by_e_mail_address_in_any_letter_case(self, cast, client_for, many):
        chosen = _facilitator(cast, "mira@example.org")
        _facilitator(cast, "otto@example.org")
        _facilitator(cast, "ines@example.org")
        client = client_for("coordinator")
        page = client.get(reverse("cases:detail", args=[cast.case.reference])).content.decode()
        assert '<select name="facilitator"' not in page
        assert 'type="email" name="facilitator"' in page

        client.post(
            reverse("cases:assign", args=[cast.case.reference]),
            {"facilitator": " MIRA@example.org "},
        )

        assert FacilitatorAssignment.objects.filter(case=cast.case, facilitator=chosen).exists()

    def test_an_address_of_someone_who_cannot_be_chosen_changes_nothing(
        self, cast, client_for, many
    ):
        _facilitator(cast, "mira@example.org")
        _facilitator(cast, "otto@example.org")
        _facilitator(cast, "ines@example.org")
        case = cast.case
        before = FacilitatorAssignment.objects.count()

        response = client_for("coordinator").post(
            reverse("cases:assign", args=[case.reference]),
            # A member of the programme, but not a facilitator.
            {"facilitator": cast.users["advocate"].email},
        )

        assert response.status_code == 400
        assert "Nobody with that e-mail address can be chosen here." in response.content.decode()
        assert FacilitatorAssignment.objects.count() == before

    def test_taking_someone_off_the_case_still_works_with_many(self, cast, client_for, many):
        _facilitator(cast, "mira@example.org")
        _facilitator(cast, "otto@example.org")
        assigned = cast.users["facilitator"]

        client_for("coordinator").post(
            reverse("cases:assign", args=[cast.case.reference]),
            {"facilitator": assigned.pk, "remove": "on"},
        )

        assert not FacilitatorAssignment.objects.filter(
            case=cast.case, facilitator=assigned
        ).exists()

    def test_the_coordinator_chooser_shows_the_current_coordinator_s_address(
        self, cast, client_for, many
    ):
        for name in ("ana", "bo"):
            user = make_user(f"{name}@example.org", name.title())
            Membership.objects.create(user=user, programme=cast.programme, role=Role.COORDINATOR)
        page = client_for("coordinator").get(reverse("cases:detail", args=[cast.case.reference]))

        assert f'value="{cast.case.coordinator.email}"' in page.content.decode()


class TestCaseListFilters:
    def _options(self, response, name):
        form = response.context["form"]
        return [str(label) for value, label in form.fields[name].choices if value]

    def test_with_many_only_you_and_who_a_link_chose_are_offered(self, cast, client_for, many):
        otto = _facilitator(cast, "otto@example.org")
        _facilitator(cast, "mira@example.org")
        client = client_for("supervisor")  # a facilitator too (conftest)
        Membership.objects.create(
            user=cast.users["supervisor"], programme=cast.programme, role=Role.FACILITATOR
        )

        plain = client.get(reverse("cases:list"))
        chosen = client.get(reverse("cases:list"), {"facilitator": otto.pk})

        assert self._options(plain, "facilitator") == ["No facilitator yet", "Supervisor"]
        assert "Otto" in self._options(chosen, "facilitator")
        assert chosen.context["form"].is_valid()

    def test_with_many_someone_outside_the_programme_is_still_refused(self, cast, client_for, many):
        _facilitator(cast, "otto@example.org")
        _facilitator(cast, "mira@example.org")
        stranger = make_user("stranger@example.org", "Stranger")

        response = client_for("coordinator").get(
            reverse("cases:list"), {"facilitator": stranger.pk}
        )

        assert not response.context["form"].is_valid()
        assert "facilitator" in response.context["form"].errors

    def test_someone_in_two_of_your_programmes_counts_once_toward_the_limit(
        self, cast, client_for, many
    ):
        # Two people, each a facilitator in both of the coordinator's programmes: four
        # memberships, but two people, which is within the limit, so both are listed.
        Membership.objects.create(
            user=cast.users["coordinator"], programme=cast.other_programme, role=Role.COORDINATOR
        )
        mira = _facilitator(cast, "mira@example.org")
        for person in (mira, cast.users["facilitator"]):
            Membership.objects.create(
                user=person, programme=cast.other_programme, role=Role.FACILITATOR
            )

        response = client_for("coordinator").get(reverse("cases:list"))

        assert self._options(response, "facilitator") == [
            "No facilitator yet",
            "Facilitator",
            "Mira",
        ]
        assert not response.context["form"].fields["facilitator"].help_text
