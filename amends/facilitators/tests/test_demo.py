"""The demo roster: a spread of accreditations, one lapsing soon, one with overdue
supervision, one that G6 refuses; made through the services and safe to run twice."""

from __future__ import annotations

from django.utils import timezone

from amends.facilitators.demo import demo_facilitator_roster
from amends.facilitators.models import Accreditation
from amends.facilitators.selectors import roster_for_programme


def test_the_demo_roster_shows_every_situation_and_can_be_made_twice(cast):
    def make():
        return demo_facilitator_roster(
            cast.programme,
            admin=cast.platform_admin,
            supervisor=cast.supervisor,
            facilitator=cast.facilitator,
            password="demo passphrase for tests",  # noqa: S106 - a test account
            domain="demo.example.org",
        )

    people = make()
    count = Accreditation.objects.count()
    assert make() == people
    assert Accreditation.objects.count() == count
    roster = roster_for_programme(cast.programme, day=timezone.localdate())
    figures = {row.facilitator.full_name: row.figures for row in roster.rows}
    assert {row.figures.level for row in roster.rows} >= {"foundation", "intermediate", "advanced"}
    assert figures["Grace Mensah"].lapsing_soon
    assert figures["Tomasz Nowak"].supervision_overdue
    assert not figures["Daniel Price"].accredited
    assert roster.summary.lapsing_soon == 1
