"""In a browser on a phone-sized screen: a participant opens their survey link, answers
with the keyboard-friendly radio buttons and a text box, and sends; the page and the
staff's follow-up page are accessible and within the strict Content Security Policy."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from amends.followups.models import SurveyResponse
from amends.followups.tests.helpers import send_survey
from conftest import accessibility_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_participant_answers_the_survey_on_a_phone(
    page, live_server, cast, harmed, responsible, planned
):
    _invitation, token = send_survey(cast.coordinator, harmed)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}{reverse('survey:answer', args=[token])}")
    assert page.get_by_role("heading", name="How did it go for you?").is_visible()
    assert accessibility_violations(page) == []
    satisfaction = page.get_by_role("group", name="How satisfied are you")
    satisfaction.get_by_label("4 – Satisfied").check()
    page.get_by_role("group", name="Did you receive an apology?").get_by_label("Yes").check()
    page.get_by_label("Is there anything else you would like to tell us?").fill(
        "Thank you for listening."
    )
    screenshot(page, "survey-phone")
    page.get_by_role("button", name="Send my answers").click()
    page.get_by_text("Your answers are saved.").wait_for()
    assert accessibility_violations(page) == []
    answers = {
        a.question_key: (a.number, a.choice, a.text)
        for a in SurveyResponse.objects.get(participant=harmed).answers.all()
    }
    assert answers == {
        "satisfaction": (4, "", ""),
        "apology_received": (None, "yes", ""),
        "comments": (None, "", "Thank you for listening."),
    }
    assert page.csp_violations == []


def test_the_follow_up_page_for_staff_is_accessible(page, live_server, cast, case, planned):
    client = Client()
    client.force_login(cast.coordinator)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page.goto(f"{live_server.url}{reverse('followups:case', args=[case.reference])}")
    assert page.get_by_role("heading", name="Follow-up", exact=True).is_visible()
    assert accessibility_violations(page) == []
    screenshot(page, "follow-up-case")
    assert page.csp_violations == []
