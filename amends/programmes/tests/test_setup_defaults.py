"""Every new programme starts usable: settings, offence taxonomy, eligibility policy,
assessment template and information sheet, set up once and never overwritten."""

from __future__ import annotations

import pytest

from amends.accounts.models import Membership, User
from amends.accounts.roles import Role
from amends.audit.actions import Action
from amends.audit.models import AuditEvent
from amends.core.errors import PermissionRefused
from amends.core.testing.matrix import domain_snapshot
from amends.programmes import selectors
from amends.programmes.models import (
    AssessmentTemplate,
    EligibilityPolicy,
    InformationSheet,
    OffenceCategory,
    Organisation,
    ProcessType,
    Programme,
    ProgrammeSettings,
    Terminology,
)
from amends.programmes.questions import highest_score, question_problems
from amends.programmes.services import (
    offence_category_update,
    programme_create,
    programme_settings_update,
    programme_setup_defaults,
)
from amends.programmes.tests.helpers import present

SENSITIVE = {"domestic-abuse", "sexual-harm", "trafficking", "hate-crime", "child-victim"}


@pytest.fixture
def bare(db):
    organisation = Organisation.objects.create(name="Org", slug="org")
    return Programme.objects.create(organisation=organisation, name="Bare", slug="bare")


def test_defaults_offer_every_process_with_the_standard_windows_and_no_fast_track(bare):
    # when
    programme_settings = programme_setup_defaults(actor=None, programme=bare)
    # then
    stored = ProgrammeSettings.objects.get(programme=bare)
    assert stored == programme_settings
    assert stored.process_types == list(ProcessType.values)
    assert (stored.assessment_validity_days, stored.consent_validity_days) == (90, 180)
    assert stored.fast_track_enabled is False
    assert stored.terminology == Terminology.HARMED_RESPONSIBLE
    assert stored.default_language == "en"


def test_default_taxonomy_marks_the_specialist_categories_sensitive(bare):
    programme_setup_defaults(actor=None, programme=bare)
    categories = {c.code: c for c in OffenceCategory.objects.filter(programme=bare)}
    assert set(categories) == {"property", "violence", "other", *SENSITIVE}
    assert {code for code, c in categories.items() if c.is_sensitive} == SENSITIVE
    assert {code for code, c in categories.items() if c.allows_fast_track} == {"property"}
    assert all(c.is_active for c in categories.values())
    assert len({c.position for c in categories.values()}) == len(categories)


def test_default_policy_puts_sensitive_categories_under_the_specialist_protocol(bare):
    programme_setup_defaults(actor=None, programme=bare)
    policy = EligibilityPolicy.objects.get(programme=bare)
    assert policy.version == 1
    assert set(policy.eligible_categories) == {"property", "violence", "other"}
    assert set(policy.specialist_categories) == SENSITIVE
    assert policy.excluded_categories == []
    assert policy.minimum_age_responsible == 10
    assert policy.minimum_age_harmed is None
    assert policy.created_by is None


def test_default_template_covers_the_design_questions_and_passes_its_own_checks(bare):
    programme_setup_defaults(actor=None, programme=bare)
    template = AssessmentTemplate.objects.get(programme=bare)
    questions = {q["key"]: q for q in template.questions}
    assert set(questions) == {
        "readiness",
        "acknowledgment",
        "power_imbalance",
        "coercive_control",
        "ongoing_contact",
        "safety_concerns",
        "wellbeing",
        "retraumatisation",
        "capacity",
        "needs",
    }
    assert question_problems(template.questions) == []
    assert 1 <= template.medium_threshold < template.high_threshold
    assert template.high_threshold <= highest_score(template.questions)
    # Coercive control from "considerable" makes the risk high and rules out meeting;
    # serious safety concerns rule out any process.
    assert questions["coercive_control"]["high_at"] == 2
    assert questions["coercive_control"]["indirect_at"] == 2
    assert questions["safety_concerns"]["none_at"] == 3


def test_default_information_sheet_is_plain_english_and_says_what_g3_requires(bare):
    programme_setup_defaults(actor=None, programme=bare)
    sheet = InformationSheet.objects.get(programme=bare)
    assert (sheet.language, sheet.version) == ("en", 1)
    body = sheet.body.lower()
    for promise in (
        "voluntary",
        "stop at any time",
        "will not be held against you",
        "what stays private",
        "court or police case",
        "not evidence of guilt",
        "legal advice",
        "interpreter",
    ):
        assert promise in body, promise


def test_setting_up_twice_changes_and_records_nothing_the_second_time(bare):
    programme_setup_defaults(actor=None, programme=bare)
    before, events = domain_snapshot(), AuditEvent.objects.count()
    # when
    programme_setup_defaults(actor=None, programme=bare)
    # then
    assert domain_snapshot() == before
    assert AuditEvent.objects.count() == events


def test_setting_up_never_overwrites_what_the_programme_changed(bare, cast):
    programme_setup_defaults(actor=None, programme=bare)
    programme_settings_update(actor=None, programme=bare, assessment_validity_days=30)
    category = OffenceCategory.objects.get(programme=bare, code="violence")
    offence_category_update(actor=None, category=category, is_active=False)
    # when
    programme_setup_defaults(actor=None, programme=bare)
    # then
    assert selectors.settings_for(bare).assessment_validity_days == 30
    assert OffenceCategory.objects.get(pk=category.pk).is_active is False


def test_every_row_set_up_is_audited_as_done_by_the_system(bare):
    programme_setup_defaults(actor=None, programme=bare)
    events = AuditEvent.objects.filter(programme_id=bare.pk)
    actions = [event.action for event in events]
    assert actions.count(Action.PROGRAMME_SETTINGS_CHANGED) == 1
    assert actions.count(Action.OFFENCE_CATEGORY_ADDED) == 8
    assert actions.count(Action.ELIGIBILITY_POLICY_VERSIONED) == 1
    assert actions.count(Action.ASSESSMENT_TEMPLATE_VERSIONED) == 1
    assert actions.count(Action.INFORMATION_SHEET_VERSIONED) == 1
    assert {event.actor_label for event in events} == {"system"}


def test_a_new_programme_is_created_ready_to_take_referrals(cast):
    # when
    programme = programme_create(
        actor=cast.platform_admin, organisation=cast.programme.organisation, name="Eastfield RJ"
    )
    # then
    assert ProgrammeSettings.objects.filter(programme=programme).exists()
    assert present(selectors.current_eligibility_policy(programme)).version == 1
    assert present(selectors.current_assessment_template(programme)).version == 1
    assert present(selectors.current_information_sheet(programme, "en")).version == 1
    assert AuditEvent.objects.filter(
        action=Action.ELIGIBILITY_POLICY_VERSIONED, actor=cast.platform_admin
    ).exists()


def test_a_supervisor_may_set_up_their_own_programme(bare, cast):
    # given
    Membership.objects.create(user=cast.supervisor, programme=bare, role=Role.SUPERVISOR)
    supervisor = User.objects.get(pk=cast.supervisor.pk)
    # when
    programme_setup_defaults(actor=supervisor, programme=bare)
    # then
    assert present(selectors.current_eligibility_policy(bare)).created_by == supervisor


@pytest.mark.parametrize("name", ["coordinator", "facilitator", "evaluator", "other_supervisor"])
def test_people_who_may_not_configure_cannot_set_up_and_nothing_is_created(cast, bare, name):
    # given the role in a programme that is not set up yet
    if name != "other_supervisor":
        Membership.objects.create(user=cast.users[name], programme=bare, role=Role(name))
    user = User.objects.get(pk=cast.users[name].pk)
    before = domain_snapshot()
    # when, then
    with pytest.raises(PermissionRefused):
        programme_setup_defaults(actor=user, programme=bare)
    assert domain_snapshot() == before
