"""The facilitator pages: what each shows, forms that go through the services, refusals
that change nothing, and the warnings on the case page."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from amends.audit.models import AuditEvent
from amends.core.testing.matrix import domain_snapshot
from amends.facilitators.models import Accreditation, FacilitatorProfile, TrainingRecord

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    return timezone.localdate()


def test_the_roster_shows_each_facilitator_and_the_programme_summary(cast, roster, client_for):
    nia = roster.facilitator("Nia Lapsing")
    roster.accreditation(nia, today() - datetime.timedelta(days=300), today())
    response = client_for("coordinator").get(
        reverse("facilitators:roster", args=[cast.programme.slug])
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nia Lapsing" in page
    assert "Runs out in 0 days" in page
    assert '<dd class="mb-0" data-testid="summary-facilitators">2</dd>' in page
    assert '<dd class="mb-0" data-testid="summary-lapsing">1</dd>' in page
    assert "calendar year (from 1 January)" in page


def test_the_roster_takes_the_same_number_of_queries_however_long_it_is(cast, roster, client_for):
    client = client_for("supervisor")
    url = reverse("facilitators:roster", args=[cast.programme.slug])
    client.get(url)
    with CaptureQueriesContext(connection) as short:
        client.get(url)
    for number in range(5):
        user = roster.compliant(roster.facilitator(f"Extra {number}"), today())
        roster.endorsement(user, "youth")
    with CaptureQueriesContext(connection) as long:
        client.get(url)
    assert len(long) == len(short)


def test_the_list_of_rosters_summarises_each_programme_managed(cast, client_for):
    page = client_for("supervisor").get(reverse("facilitators:rosters")).content.decode()
    assert cast.programme.name in page
    assert cast.other_programme.name not in page


def test_a_manager_sees_a_facilitators_profile_with_the_forms_to_record_evidence(cast, client_for):
    response = client_for("supervisor").get(
        reverse("facilitators:profile", args=[cast.facilitator.pk])
    )
    page = response.content.decode()
    assert "Record an accreditation" in page
    assert "Record a supervision session" in page
    assert "Change my details" not in page
    assert AuditEvent.objects.filter(
        action="facilitator.profile_viewed", actor=cast.supervisor
    ).exists()


def test_a_facilitator_edits_their_own_profile_but_records_no_evidence(cast, client_for):
    page = client_for("facilitator").get(reverse("facilitators:me")).content.decode()
    assert "My profile" in page
    assert "Change my details" in page
    assert "Record training" in page
    assert "Record an accreditation" not in page
    assert "recorded by a coordinator or supervisor" in page
    assert not AuditEvent.objects.filter(action="facilitator.profile_viewed").exists()


def test_a_facilitator_saves_their_details_through_the_form(cast, client_for):
    response = client_for("facilitator").post(
        reverse("facilitators:details_update"),
        {
            "details-gender": "woman",
            "details-languages": "EN, pl",
            "details-cultural_competencies": "Polish community\nYoung people",
            "details-regions": "Eastbank, Westfield",
            "details-capacity": "3",
        },
    )
    assert response.status_code == 302
    profile = FacilitatorProfile.objects.get(user=cast.facilitator)
    assert profile.languages == ["en", "pl"]
    assert profile.cultural_competencies == ["Polish community", "Young people"]
    assert profile.regions == ["Eastbank", "Westfield"]


def test_training_with_no_hours_is_refused_on_the_page_and_nothing_changes(cast, client_for):
    before = domain_snapshot()
    response = client_for("facilitator").post(
        reverse("facilitators:training_add"),
        {
            "training-course": "Circles",
            "training-provider": "RJC",
            "training-completed_on": today().isoformat(),
            "training-hours": "0",
        },
    )
    assert response.status_code == 400
    assert "The training was not recorded." in response.content.decode()
    assert "more than 0" in response.content.decode()
    assert domain_snapshot() == before
    assert not TrainingRecord.objects.exists()


def test_an_accreditation_that_ends_before_it_starts_is_refused_on_the_page(cast, client_for):
    count = Accreditation.objects.count()
    response = client_for("coordinator").post(
        reverse("facilitators:accreditation_add", args=[cast.facilitator.pk]),
        {
            "accreditation-level": "advanced",
            "accreditation-issuer": "RJC",
            "accreditation-valid_from": today().isoformat(),
            "accreditation-valid_to": (today() - datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "It cannot end before it starts." in response.content.decode()
    assert Accreditation.objects.count() == count


def test_a_recorded_supervision_shows_on_the_profile(cast, client_for):
    client = client_for("coordinator")
    response = client.post(
        reverse("facilitators:supervision_add", args=[cast.facilitator.pk]),
        {
            "supervision-held_on": today().isoformat(),
            "supervision-supervisor": cast.supervisor.pk,
            "supervision-notes": "Good reflective practice.",
        },
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Good reflective practice." in page
    assert "next due by" in page


def test_the_case_page_shows_an_assigned_facilitators_warnings(cast, client_for):
    page = (
        client_for("coordinator")
        .get(reverse("cases:detail", args=[cast.case.reference]))
        .content.decode()
    )
    assert 'data-testid="facilitator-warnings"' in page
    assert "Facilitator: No supervision is recorded." in page


def test_the_case_page_has_no_warnings_for_a_compliant_facilitator(cast, roster, client_for):
    roster.supervision(cast.facilitator, today())
    roster.training(cast.facilitator, today(), "16")
    roster.observed(cast.facilitator, today())
    roster.process(cast.facilitator, today())
    page = (
        client_for("facilitator")
        .get(reverse("cases:detail", args=[cast.case.reference]))
        .content.decode()
    )
    assert 'data-testid="facilitator-warnings"' not in page
