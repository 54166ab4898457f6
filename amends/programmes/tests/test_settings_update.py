"""Administrators and supervisors change the programme's working rules; every change is
audited with old and new values, and bad input changes nothing."""

from __future__ import annotations

import pytest

from amends.audit.actions import Action
from amends.audit.models import AuditEvent
from amends.core.errors import ApplicationError, PermissionRefused
from amends.core.testing.matrix import domain_snapshot
from amends.programmes import selectors
from amends.programmes.models import Organisation, ProcessType, Programme, ProgrammeSettings
from amends.programmes.services import information_sheet_publish, programme_settings_update


def test_administrator_changes_the_rules_and_the_audit_keeps_old_and_new_values(cast):
    # when
    saved = programme_settings_update(
        actor=cast.administrator,
        programme=cast.programme,
        process_types=["letters", "meeting"],
        assessment_validity_days=60,
        fast_track_enabled=True,
        terminology="victim_offender",
    )
    # then
    stored = ProgrammeSettings.objects.get(programme=cast.programme)
    assert stored == saved
    assert stored.process_types == ["meeting", "letters"]  # in the catalogue's order
    assert stored.assessment_validity_days == 60
    assert stored.fast_track_enabled is True
    assert stored.consent_validity_days == 180  # not given, not changed
    event = AuditEvent.objects.get(
        action=Action.PROGRAMME_SETTINGS_CHANGED, actor=cast.administrator
    )
    assert event.programme_id == cast.programme.pk
    assert event.data["changed"]["assessment_validity_days"] == {"old": 90, "new": 60}
    assert event.data["changed"]["fast_track_enabled"] == {"old": False, "new": True}
    assert event.data["changed"]["process_types"]["new"] == ["meeting", "letters"]
    assert "consent_validity_days" not in event.data["changed"]


def test_saving_the_same_values_records_nothing(cast):
    before = AuditEvent.objects.count()
    programme_settings_update(
        actor=cast.supervisor,
        programme=cast.programme,
        process_types=list(reversed(ProcessType.values)),
        assessment_validity_days=90,
    )
    assert AuditEvent.objects.count() == before


def test_the_default_language_can_be_one_with_a_published_sheet(cast):
    information_sheet_publish(
        actor=cast.administrator,
        programme=cast.programme,
        language="cy",
        title="Cyfiawnder adferol",
        body="Testun",
    )
    programme_settings_update(
        actor=cast.administrator, programme=cast.programme, default_language="CY "
    )
    assert selectors.settings_for(cast.programme).default_language == "cy"


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"process_types": []}, "Offer at least one process type."),
        ({"process_types": ["meeting", "duel"]}, "“duel” is not a process type Amends knows."),
        ({"assessment_validity_days": 0}, "An assessment must stay valid for at least one day."),
        ({"consent_validity_days": -5}, "A consent must stay valid for at least one day."),
        ({"consent_validity_days": True}, "A consent must stay valid for at least one day."),
        ({"assessment_validity_days": 3651}, "at most 3650 days"),
        ({"terminology": "culprit"}, "Choose one of the terminologies offered."),
        ({"default_language": "english"}, "“english” is not a language code"),
        ({"default_language": "fr"}, "There is no information sheet in “fr” yet."),
    ],
)
def test_bad_settings_are_refused_with_a_reason_and_change_nothing(cast, changes, reason):
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        programme_settings_update(actor=cast.administrator, programme=cast.programme, **changes)
    assert refusal.value.message == "The settings were not changed."
    assert any(reason in text for text in refusal.value.reasons), refusal.value.reasons
    assert domain_snapshot() == before


@pytest.mark.parametrize(
    "name", ["coordinator", "facilitator", "advocate", "referrer", "evaluator", "no_role"]
)
def test_only_administrators_and_supervisors_may_change_the_rules(cast, name):
    before = domain_snapshot()
    with pytest.raises(PermissionRefused):
        programme_settings_update(
            actor=cast.users[name], programme=cast.programme, assessment_validity_days=30
        )
    assert domain_snapshot() == before


def test_a_supervisor_of_another_programme_may_not_change_this_one(cast):
    with pytest.raises(PermissionRefused):
        programme_settings_update(
            actor=cast.other_supervisor, programme=cast.programme, assessment_validity_days=30
        )
    programme_settings_update(
        actor=cast.other_supervisor, programme=cast.other_programme, assessment_validity_days=30
    )
    assert selectors.settings_for(cast.other_programme).assessment_validity_days == 30
    assert selectors.settings_for(cast.programme).assessment_validity_days == 90


def test_a_programme_never_set_up_reads_as_the_defaults_and_is_set_up_on_first_change(db):
    # given a programme made before configuration existed
    organisation = Organisation.objects.create(name="Old", slug="old")
    programme = Programme.objects.create(organisation=organisation, name="Old RJ", slug="old-rj")
    # then it reads as the defaults without a row
    assert selectors.settings_for(programme).process_types == list(ProcessType.values)
    assert not ProgrammeSettings.objects.filter(programme=programme).exists()
    # when it is first changed
    programme_settings_update(actor=None, programme=programme, consent_validity_days=365)
    # then it has every default and the change
    assert selectors.settings_for(programme).consent_validity_days == 365
    assert selectors.current_eligibility_policy(programme) is not None
