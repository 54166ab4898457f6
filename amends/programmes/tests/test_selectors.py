"""Reading a programme's configuration: current versions, the taxonomy, the labels."""

from __future__ import annotations

from amends.programmes import selectors
from amends.programmes.models import OffenceCategory
from amends.programmes.services import (
    offence_category_add,
    offence_category_update,
    programme_settings_update,
)
from amends.programmes.tests.helpers import present


def test_current_versions_are_the_highest_and_none_when_a_programme_has_none(cast, db):
    from amends.programmes.models import Organisation, Programme

    empty = Programme.objects.create(
        organisation=Organisation.objects.create(name="E", slug="e"), name="E", slug="e"
    )
    assert selectors.current_eligibility_policy(empty) is None
    assert selectors.current_assessment_template(empty) is None
    assert selectors.current_information_sheet(empty, "en") is None
    assert selectors.information_sheet_languages(empty) == []
    assert present(selectors.current_eligibility_policy(cast.programme)).version == 1


def test_offence_categories_in_use_by_default_and_all_when_asked(cast):
    offence_category_update(
        actor=None,
        category=OffenceCategory.objects.get(programme=cast.programme, code="other"),
        is_active=False,
    )
    in_use = [c.code for c in selectors.offence_categories(cast.programme)]
    every = [c.code for c in selectors.offence_categories(cast.programme, active_only=False)]
    assert "other" not in in_use
    assert every[-1] == "other"
    assert every[0] == "property"


def test_each_programme_sees_only_its_own_categories(cast):
    offence_category_add(actor=None, programme=cast.other_programme, code="fraud", name="Fraud")
    assert "fraud" not in {c.code for c in selectors.offence_categories(cast.programme)}


def test_eligibility_rules_read_per_category(cast):
    rules = selectors.eligibility_rule_by_code(selectors.current_eligibility_policy(cast.programme))
    assert rules["property"] == selectors.ELIGIBLE
    assert rules["domestic-abuse"] == selectors.SPECIALIST
    assert selectors.eligibility_rule_by_code(None) == {}


def test_the_parties_are_called_as_the_programme_chose(cast):
    assert selectors.party_labels(cast.programme).harmed == "Person harmed"
    programme_settings_update(actor=None, programme=cast.programme, terminology="victim_offender")
    labels = selectors.party_labels(cast.programme)
    assert (labels.harmed, labels.responsible) == ("Victim", "Offender")


def test_a_request_reads_the_settings_once_and_sees_a_change_made_in_it(cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from amends.core import request_context
    from amends.programmes.selectors import settings_for
    from amends.programmes.services import programme_settings_update

    programme = cast.programme
    context = request_context.RequestContext(request_id="r" * 12, ip_address=None)
    with request_context.bound(context):
        with CaptureQueriesContext(connection) as reads:
            first = settings_for(programme)
            assert settings_for(programme) is first
        assert len(reads) == 1
        programme_settings_update(
            actor=cast.users["supervisor"],
            programme=programme,
            consent_validity_days=first.consent_validity_days + 1,
        )
        assert settings_for(programme).consent_validity_days == first.consent_validity_days + 1
    # Outside a request nothing is remembered.
    assert settings_for(programme) is not settings_for(programme)
