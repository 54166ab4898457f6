"""In a browser: a coordinator opens a domestic-abuse case, reads the ranked list of
facilitators with the reasons, assigns the top suggestion, then previews the batch run for
the programme's other waiting cases, changes one row with a note and applies it.
Accessible, and within the strict Content Security Policy."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.test import Client

from amends.audit.actions import Action
from amends.audit.models import AuditEvent
from amends.cases.models import Case, FacilitatorAssignment
from amends.cases.tests.builders import accept_referral, build_case, move
from amends.facilitators.models import FacilitatorProfile
from amends.programmes.defaults import DOMESTIC_ABUSE
from conftest import accessibility_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Any, live_server: Any, user: Any) -> None:
    # The sign-in journey has its own browser test.
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def check(page: Any, shot: str) -> None:
    violations = accessibility_violations(page)
    assert violations == [], [(v["id"], [n["html"] for n in v["nodes"]]) for v in violations]
    screenshot(page, f"matching-{shot}")


def waiting_case(cast: Any, *categories: str, region: str = "") -> Case:
    case = build_case(cast.programme, categories=categories or ("violence",))
    case = move(case, "screening", cast.coordinator)
    accept_referral(case, cast.coordinator)
    case = move(case, "contact", cast.coordinator)
    Case.objects.filter(pk=case.pk).update(region=region)
    return case


def facilitator(roster: Any, name: str, *endorsements: str, **profile: Any) -> Any:
    user = roster.facilitator(name)
    roster.accreditation(user, datetime.date(2000, 1, 1), datetime.date(2099, 12, 31))
    for code in endorsements:
        roster.endorsement(user, code)
    FacilitatorProfile.objects.create(user=user, capacity=4, **profile)
    return user


def test_a_coordinator_matches_a_domestic_abuse_case_then_runs_the_batch(
    live_server, page, cast, roster
):
    # given a roster and three cases waiting for a facilitator
    asha = facilitator(roster, "Asha Ahmed", "domestic_abuse", gender="woman", regions=["North"])
    facilitator(roster, "Beth Brown", "domestic_abuse", gender="woman")
    facilitator(roster, "Carl Cole", gender="man", regions=["North"])
    abuse = waiting_case(cast, DOMESTIC_ABUSE, region="North")
    first, second = waiting_case(cast, region="North"), waiting_case(cast)
    sign_in(page, live_server, cast.coordinator)

    # when the coordinator opens the case's matches
    page.goto(f"{live_server.url}/cases/{abuse.reference}/")
    page.goto(f"{live_server.url}/facilitators/cases/{abuse.reference}/matches/")
    page.get_by_role("heading", level=1, name=f"Facilitators for case {abuse.reference}").wait_for()
    # then the ranked list says who fits and why; Carl is not suggested, with the reason
    top = page.get_by_test_id(f"suggestion-{asha.pk}")
    assert "Rank 1" in top.inner_text()
    assert "Works in North." in top.inner_text()
    assert "Endorsement needed: Domestic abuse." in page.get_by_test_id("needs").inner_text()
    assert page.get_by_test_id("pair-1").is_visible()
    page.get_by_text("1 facilitator cannot take it").click()
    assert "Does not hold the endorsement this case needs: Domestic abuse." in (
        page.get_by_text("Does not hold the endorsement").first.inner_text()
    )
    check(page, "ranked-list")

    # when they assign the top suggestion
    top.get_by_role("button", name="Assign Asha Ahmed").click()
    # then they are back on the case, with Asha assigned
    page.get_by_text("Asha Ahmed is assigned.").wait_for()
    assert FacilitatorAssignment.objects.filter(case=abuse, facilitator=asha).exists()
    check(page, "assigned")

    # when they preview the batch run for the programme's other waiting cases
    page.goto(f"{live_server.url}/facilitators/programme/{cast.programme.slug}/batch/")
    page.get_by_role("heading", level=1, name="Assign waiting cases — Northshire RJ").wait_for()
    assert page.get_by_test_id(f"batch-row-{first.reference}").is_visible()
    assert page.get_by_test_id(f"batch-row-{abuse.reference}").count() == 0
    check(page, "batch-preview")
    # and change one row, saying why
    choice = page.get_by_label(f"Facilitator for {second.reference}")
    planned = choice.input_value()
    other = next(
        option.get_attribute("value")
        for option in choice.locator("option").all()
        if option.get_attribute("value") not in ("", planned)
    )
    choice.select_option(other)
    page.get_by_label("Why you changed the plan").fill("They asked for more cases.")
    page.get_by_role("button", name="Apply these assignments").click()
    # then every row is applied and reported, the changed one with the note in the audit
    page.get_by_role("heading", level=1, name="Assignments applied").wait_for()
    assert "2 cases now have a facilitator" in page.get_by_test_id("applied-summary").inner_text()
    assert FacilitatorAssignment.objects.filter(case=first).exists()
    changed = FacilitatorAssignment.objects.get(case=second, facilitator_id=int(other))
    event = AuditEvent.objects.get(action=Action.FACILITATOR_ASSIGNED, target_id=str(second.pk))
    assert event.data["facilitator"] == changed.facilitator_id
    assert event.data["reason"].endswith("Reason given: They asked for more cases.")
    check(page, "batch-applied")
    assert page.csp_violations == []
