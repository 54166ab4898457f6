"""Keeping the partner directory."""

from __future__ import annotations

import pytest

from amends.audit.models import AuditEvent
from amends.core.errors import ApplicationError, PermissionRefused
from amends.core.testing.matrix import domain_snapshot
from amends.support.services import partner_update
from amends.support.tests.helpers import COUNSELLING, add_partner, details


def test_a_partner_is_added_with_its_services_languages_and_regions(cast):
    partner = add_partner(cast, languages=[" EN", "cy", "en"], regions=["Northtown ", ""])
    assert partner.service_types == ["counselling", "mental_health"]
    assert partner.languages == ["en", "cy"]
    assert partner.regions == ["Northtown"]
    assert partner.language_labels == ["English", "Welsh"]
    assert (
        AuditEvent.objects.filter(action="support.partner_added").get().data["name"] == COUNSELLING
    )


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"name": "  "}, "Give the organisation's name."),
        ({"service_types": []}, "Choose at least one service the partner offers."),
        ({"service_types": ["astrology"]}, "Choose services from the list."),
        ({"languages": ["english"]}, "These are not language codes: english."),
        ({"email": "not an address"}, "The e-mail address is not valid."),
        ({"website": "javascript:alert(1)"}, "The website must be an address starting with"),
        ({"phone": "call us"}, "The phone number does not look like a phone number."),
    ],
)
def test_bad_partner_details_are_refused_with_a_reason_and_change_nothing(cast, overrides, reason):
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        add_partner(cast, **overrides)
    assert any(each.startswith(reason) for each in refusal.value.reasons), refusal.value.reasons
    assert domain_snapshot() == before


def test_two_partners_of_a_programme_cannot_share_a_name(cast):
    add_partner(cast)
    with pytest.raises(ApplicationError) as refusal:
        add_partner(cast, name="northshire  victim COUNSELLING")
    assert refusal.value.reasons == ["The directory already has a partner with this name."]


def test_another_programme_may_use_the_same_name(cast):
    from amends.support.services import partner_create

    add_partner(cast)
    partner_create(actor=cast.other_supervisor, programme=cast.other_programme, details=details())


@pytest.mark.parametrize(
    "name", ["facilitator", "advocate", "referrer", "administrator", "evaluator"]
)
def test_only_coordinators_and_supervisors_keep_the_directory(cast, name):
    with pytest.raises(PermissionRefused):
        _add_as(cast, name)


def _add_as(cast, name):
    from amends.support.services import partner_create

    return partner_create(actor=cast.users[name], programme=cast.programme, details=details())


def test_a_change_is_audited_with_old_and_new_values_and_a_no_change_is_not(cast):
    partner = add_partner(cast)
    partner_update(actor=cast.supervisor, partner=partner, details=details(is_active=False))
    partner_update(actor=cast.supervisor, partner=partner, details=details(is_active=False))
    (event,) = AuditEvent.objects.filter(action="support.partner_changed")
    assert event.data == {"old": {"is_active": True}, "new": {"is_active": False}}
