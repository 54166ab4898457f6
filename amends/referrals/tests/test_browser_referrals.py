"""In a browser: a referrer sends a referral and follows it; a coordinator meets the
duplicates step and screens a referral. Accessible, and within the strict CSP."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from amends.cases.models import Case
from amends.referrals.tests.helpers import HARMED_PHONE, submit, to_screening
from conftest import accessibility_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Any, live_server: Any, user: Any) -> None:
    # The sign-in journey has its own browser test.
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def no_violations(page: Any) -> None:
    violations = accessibility_violations(page)
    assert violations == [], [(v["id"], [n["html"] for n in v["nodes"]]) for v in violations]


def test_a_referrer_sends_a_referral_and_sees_it_received(live_server, page, cast):
    # given
    sign_in(page, live_server, cast.referrer)
    page.goto(f"{live_server.url}/referrals/")
    page.wait_for_url("**/referrals/new/northshire-rj/")
    no_violations(page)
    screenshot(page, "referral-new-referrer")
    # when
    page.get_by_label("Who is referring?").select_option("police")
    page.get_by_label("Referring agency").fill("Northshire Police")
    page.get_by_label("Kind of offence").select_option(
        label="Property (theft, burglary, criminal damage)"
    )
    page.get_by_role("button", name="Add another person").click()
    page.wait_for_selector("#person-2-heading")
    first = page.locator("section[aria-labelledby='person-0-heading']")
    first.get_by_label("Given name").fill("Hana")
    first.get_by_label("Phone number").fill(HARMED_PHONE)
    first.get_by_role("group", name="Is it safe to phone or text this number?").get_by_label(
        "Yes, safe to use"
    ).check()
    second = page.locator("section[aria-labelledby='person-1-heading']")
    second.get_by_label("Given name").fill("Ray")
    page.get_by_label("I confirm there is an evidential basis for this referral").check()
    page.get_by_role("button", name="Send the referral").click()
    # then
    page.wait_for_url("**/referrals/mine/")
    case = Case.objects.get()
    assert case.participants.count() == 2  # the empty third person was left out
    row = page.get_by_role("row", name=case.reference)
    assert "Received" in row.inner_text()
    no_violations(page)
    screenshot(page, "referral-mine")
    assert page.csp_violations == []


def test_a_coordinator_is_asked_about_a_possible_duplicate_then_screens(live_server, page, cast):
    # given someone already known
    submit(cast.coordinator, cast.programme)
    sign_in(page, live_server, cast.coordinator)
    page.goto(f"{live_server.url}/referrals/new/northshire-rj/")
    page.get_by_label("Who is referring?").select_option("self")
    page.get_by_label("Kind of offence").select_option(label="Violence against the person")
    first = page.locator("section[aria-labelledby='person-0-heading']")
    first.get_by_label("Given name").fill("Someone")
    first.get_by_label("Phone number").fill("07700 900111")
    first.get_by_role("group", name="Is it safe to phone or text this number?").get_by_label(
        "No, never use it"
    ).check()
    page.locator("section[aria-labelledby='person-1-heading']").get_by_label("Given name").fill(
        "Other"
    )
    page.get_by_label("I confirm there is an evidential basis for this referral").check()
    page.get_by_role("button", name="Take the referral in").click()
    # when the duplicates step asks
    page.get_by_text("Is this someone the programme already knows?").wait_for()
    no_violations(page)
    screenshot(page, "referral-new-duplicates")
    page.get_by_label("The same person as Hana Harmed — link them").check()
    page.get_by_role("button", name="Take the referral in").click()
    # then the case opens, with the known person linked
    page.wait_for_url("**/cases/C-*/")
    case = Case.objects.latest("pk")
    assert case.participants.get(role="harmed").person.given_name == "Hana"
    # and screening shows the evaluation
    to_screening(case)
    page.goto(f"{live_server.url}/referrals/{case.reference}/screening/")
    assert page.get_by_text("Every offence is eligible under version 1 of the policy.").is_visible()
    no_violations(page)
    screenshot(page, "referral-screening")
    page.get_by_label("Decline it and return it to the referrer").check()
    page.get_by_label("Reason for the referrer").fill("Not suitable for now.")
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_url(f"**/cases/{case.reference}/")
    case.refresh_from_db()
    assert case.stage == "closed"
    assert page.csp_violations == []
