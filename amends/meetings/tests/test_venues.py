"""The programme's venue directory: its coordinators and supervisors keep it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from amends.audit.models import AuditEvent
from amends.core.errors import ApplicationError, PermissionRefused
from amends.meetings.models import Venue
from amends.meetings.services import venue_create, venue_update

pytestmark = pytest.mark.django_db


def _add(cast, actor=None, **values):
    return venue_create(
        actor=actor or cast.coordinator,
        programme=cast.programme,
        name=values.pop("name", "Town Hall"),
        address=values.pop("address", "1 High Street"),
        **values,
    )


def test_a_coordinator_adds_a_venue(cast):
    venue = _add(cast, has_separate_waiting_areas=True, notes="Keys at reception")
    assert (venue.name, venue.has_separate_waiting_areas, venue.is_active) == (
        "Town Hall",
        True,
        True,
    )
    event = AuditEvent.objects.get(action="venue.added")
    assert "Keys" not in str(event.data)


def test_only_coordinators_and_supervisors_keep_the_directory(cast):
    for name in ("facilitator", "advocate", "administrator", "other_supervisor"):
        with pytest.raises(PermissionRefused):
            _add(cast, actor=getattr(cast, name))
    assert not Venue.objects.exists()


def test_a_venue_needs_a_name_and_an_address_and_a_name_of_its_own(cast):
    _add(cast)
    with pytest.raises(ApplicationError) as refused:
        _add(cast, name=" town  hall ", address="")
    assert refused.value.reasons == [
        "The programme already has a venue with that name.",
        "Give the venue's address.",
    ]
    assert Venue.objects.count() == 1


def test_a_venue_is_changed_and_retired(cast):
    venue = _add(cast)
    changed = venue_update(
        actor=cast.supervisor,
        venue=venue,
        name="Town Hall",
        address="2 High Street",
        is_active=False,
    )
    assert (changed.address, changed.is_active) == ("2 High Street", False)
    assert AuditEvent.objects.get(action="venue.changed").data["fields"] == ["address", "is_active"]
    again = venue_update(
        actor=cast.supervisor,
        venue=venue,
        name="Town Hall",
        address="2 High Street",
        is_active=False,
    )
    assert AuditEvent.objects.filter(action="venue.changed").count() == 1
    assert again.address == "2 High Street"


def test_a_retired_venue_is_not_offered_for_new_meetings(cast, case, harmed):
    from amends.meetings.tests.helpers import schedule_preparation

    venue = _add(cast)
    venue_update(
        actor=cast.coordinator,
        venue=venue,
        name="Town Hall",
        address="1 High Street",
        is_active=False,
    )
    with pytest.raises(ApplicationError) as refused:
        schedule_preparation(cast, case, harmed, modality="in_person", venue=venue)
    assert refused.value.reasons == ["That venue is no longer in use."]


def test_the_directory_pages(cast, client_for):
    venue = _add(cast)
    listing = client_for("facilitator").get(reverse("meetings:venues", args=[cast.programme.slug]))
    assert listing.status_code == 200
    assert "Town Hall" in listing.content.decode()
    client = client_for("coordinator")
    added = client.post(
        reverse("meetings:venue_add", args=[cast.programme.slug]),
        {"name": "Library", "address": "5 Book Lane", "has_separate_waiting_areas": "on"},
    )
    assert added.status_code == 302
    assert Venue.objects.get(name="Library").has_separate_waiting_areas
    refused = client.post(
        reverse("meetings:venue_edit", args=[cast.programme.slug, venue.pk]),
        {"name": "Library", "address": "1 High Street", "is_active": "on"},
    )
    assert refused.status_code == 400
    assert "The programme already has a venue with that name." in refused.content.decode()
    venue.refresh_from_db()
    assert venue.name == "Town Hall"
