"""In a browser: a supervisor looks through the programme's settings and publishes new
versions. Accessible, and within the strict Content Security Policy."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from amends.programmes import selectors
from amends.programmes.tests.helpers import present
from conftest import accessibility_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page: Any, live_server: Any, user: Any) -> None:
    # The sign-in journey has its own browser test.
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _no_violations(page: Any) -> None:
    violations = accessibility_violations(page)
    assert violations == [], [(v["id"], [n["html"] for n in v["nodes"]]) for v in violations]


def test_a_supervisor_changes_the_rules_and_publishes_new_versions(live_server, page, cast):
    _sign_in(page, live_server, cast.supervisor)
    settings_url = f"{live_server.url}/programmes/{cast.programme.slug}/settings/"
    # the members page leads to the settings
    page.goto(f"{live_server.url}/programmes/{cast.programme.slug}/members/")
    page.get_by_role("link", name="Programme settings").click()
    page.wait_for_url(settings_url)
    _no_violations(page)
    screenshot(page, "programme-settings")

    # working rules
    page.get_by_role("link", name="Change the working rules").click()
    offered = page.get_by_role("group", name="Process types offered")
    offered.get_by_label("Reparation panel").uncheck()
    page.get_by_label("An assessment stays valid for (days)").fill("60")
    _no_violations(page)
    screenshot(page, "programme-settings-working-rules")
    page.get_by_role("button", name="Save the working rules").click()
    page.wait_for_url(settings_url)
    assert page.get_by_text("The working rules were saved.").is_visible()
    assert "panel" not in selectors.settings_for(cast.programme).process_types

    # eligibility: exclude "Other"
    page.get_by_role("link", name="Publish a new version of the eligibility policy").click()
    _no_violations(page)
    screenshot(page, "programme-settings-eligibility")
    page.get_by_role("group", name="Other", exact=True).get_by_label("Excluded").check()
    page.get_by_role("button", name="Publish the new version").click()
    page.wait_for_url(settings_url)
    policy = present(selectors.current_eligibility_policy(cast.programme))
    assert (policy.version, policy.excluded_categories) == (2, ["other"])

    # assessment template: a mistake is explained in the form
    page.get_by_role("link", name="Publish a new version of the assessment template").click()
    page.get_by_label("Questions (JSON)").fill('[{"key": "safety", "weight": 3,}]')
    page.get_by_role("button", name="Publish the new version").click()
    assert page.get_by_text("This is not valid JSON").is_visible()
    _no_violations(page)
    screenshot(page, "programme-settings-assessment-error")
    assert present(selectors.current_assessment_template(cast.programme)).version == 1

    # information sheet: a new English version, and the first one stays readable
    page.goto(settings_url)
    page.get_by_role("link", name="Publish a new version in “en”").click()
    assert page.get_by_label("Title").input_value().startswith("Restorative justice")
    page.get_by_label("Title").fill("Restorative justice in Northshire")
    _no_violations(page)
    page.get_by_role("button", name="Publish the sheet").click()
    page.wait_for_url(settings_url)
    assert present(selectors.current_information_sheet(cast.programme, "en")).version == 2
    page.get_by_role("link", name="Version 1").last.click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Restorative justice:")
    _no_violations(page)
    screenshot(page, "programme-settings-information-v1")
    assert page.csp_violations == []
