"""In a browser: the coordinator's journey from a new domestic-abuse referral to `ready`,
with a supervisor's sign-off on the way. Every step goes through the pages a coordinator
uses; the safeguards refuse on screen (an unsafe channel) and show what is still missing
(sign-off); every key page is accessible and within the strict Content Security Policy."""

from __future__ import annotations

import datetime
import time
from typing import Any

import pytest
from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.utils import timezone

from amends.cases.models import Case
from conftest import PASSWORD, accessibility_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HARMED_MOBILE = "07700 900201"
SHARED_LANDLINE = "01632 960555"
RESPONSIBLE_MOBILE = "07700 900202"


class Journey:
    """The browser page with the steps every part of the journey repeats."""

    def __init__(self, page: Any, live_server: Any, cast: Any) -> None:
        self.page = page
        self.url = live_server.url
        self.cast = cast
        # allauth refuses a code used once already, so a second sign-in by the same
        # person within one TOTP period waits for the next code.
        self.codes_used: dict[str, str] = {}
        self.reference = ""

    def code_for(self, name: str) -> str:
        while True:
            counter = int(time.time()) // app_settings.TOTP_PERIOD
            code = format_hotp_value(hotp_value(self.cast.totp_secrets[name], counter))
            if self.codes_used.get(name) != code:
                self.codes_used[name] = code
                return code
            time.sleep(1)

    def sign_in(self, name: str) -> None:
        page = self.page
        page.goto(f"{self.url}/")
        page.get_by_label("Email").fill(f"{name}@example.org")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_url("**/accounts/2fa/authenticate/")
        page.get_by_label("Code").fill(self.code_for(name))
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_url(f"{self.url}/")

    def sign_out(self) -> None:
        self.page.get_by_role("button", name="Sign out").click()
        self.page.wait_for_url("**/accounts/login/**")

    def check(self, shot: str) -> None:
        """The page has no serious accessibility problem; a screenshot to look at."""
        violations = accessibility_violations(self.page)
        assert violations == [], [(v["id"], [n["html"] for n in v["nodes"]]) for v in violations]
        screenshot(self.page, f"journey-{shot}")

    def case_page(self, case: Case) -> None:
        self.page.goto(f"{self.url}/cases/{case.reference}/")

    def move(self, target: str, next_action: str, *, days: int = 5) -> None:
        """Moves the case with the form of the panel for `target` on the case page."""
        panel = self.page.get_by_test_id(f"move-{target}")
        panel.get_by_label("Next action").fill(next_action)
        due = timezone.localdate() + datetime.timedelta(days=days)
        panel.get_by_label("Due").fill(due.isoformat())
        panel.get_by_role("button").click()
        self.page.get_by_text("The case is now in").wait_for()

    def stage(self) -> str:
        return str(self.page.get_by_test_id("stage").inner_text())

    def assess(self, name: str, concerns: dict[str, str], *, shot: str) -> None:
        """Assesses from the case page: "Some" concern everywhere but in `concerns`."""
        page = self.page
        page.get_by_role("link", name=f"Assess {name}", exact=True).click()
        page.get_by_role("heading", level=1, name=f"Assess {name}").wait_for()
        for question in page.get_by_role("group").all():
            title = question.locator("legend").inner_text()
            answer = next((a for q, a in concerns.items() if q in title), "Some")
            question.get_by_label(answer, exact=True).check()
        page.get_by_label("Notes").fill("Seen at the office, with a support worker.")
        self.check(shot)
        page.get_by_role("button", name="Record the assessment").click()
        page.get_by_text("The assessment was recorded.").wait_for()

    def consent(self, name: str, *, witness: str, shot: str = "") -> None:
        """Records verbal consent, with a witness, to the planned letter exchange."""
        page = self.page
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()
        page.get_by_role("link", name=self.reference).click()
        row = page.get_by_role("row", name=name)
        row.get_by_role("link", name="Consent").click()
        page.get_by_role("link", name="Record consent").click()
        page.get_by_label("What is the consent for?").select_option(label="Take part in a process")
        page.get_by_label("Process", exact=True).select_option(label="Letter exchange")
        page.get_by_label("Verbal, with a witness").check()
        page.get_by_role("textbox", name="Witness").fill(witness)
        if shot:
            self.check(shot)
        page.get_by_role("button", name="Record the consent").click()
        page.get_by_text("The consent is recorded.").wait_for()

    def participant(self, name: str) -> None:
        self.page.get_by_role("link", name=name).first.click()
        self.page.get_by_role("heading", level=1, name=name).wait_for()


def test_a_coordinator_takes_a_domestic_abuse_referral_to_ready_with_a_sign_off(
    live_server, page, cast
):
    journey = Journey(page, live_server, cast)

    # given the coordinator signs in and enters a domestic-abuse referral from the police
    journey.sign_in("coordinator")
    page.get_by_role("link", name="New referral").click()
    page.wait_for_url("**/referrals/new/northshire-rj/")
    page.get_by_label("Who is referring?").select_option("police")
    page.get_by_label("Referring agency").fill("Northshire Police")
    page.get_by_label("Referrer's name").fill("DC Rowe")
    reported = timezone.localdate() - datetime.timedelta(days=3)
    page.get_by_label("Date the crime was reported").fill(reported.isoformat())
    page.get_by_label("Kind of offence").select_option(label="Domestic abuse")
    harmed = page.locator("section[aria-labelledby='person-0-heading']")
    harmed.get_by_label("Role").select_option("harmed")
    harmed.get_by_label("Given name").fill("Hana")
    harmed.get_by_label("Family name").fill("Harmed")
    harmed.get_by_label("Date of birth").fill("1988-04-12")
    harmed.get_by_label("Phone number").fill(HARMED_MOBILE)
    harmed.get_by_role("group", name="Is it safe to phone or text this number?").get_by_label(
        "Yes, safe to use"
    ).check()
    harmed.get_by_label("Safe times to call").fill("weekday mornings")
    responsible = page.locator("section[aria-labelledby='person-1-heading']")
    responsible.get_by_label("Role").select_option("responsible")
    responsible.get_by_label("Given name").fill("Ray")
    responsible.get_by_label("Family name").fill("Responsible")
    responsible.get_by_label("Date of birth").fill("1985-09-30")
    responsible.get_by_label("Phone number").fill(RESPONSIBLE_MOBILE)
    responsible.get_by_role("group", name="Is it safe to phone or text this number?").get_by_label(
        "Yes, safe to use"
    ).check()
    page.get_by_label("What happened").fill("Repeated threats at the family home.")
    page.get_by_label("I confirm there is an evidential basis for this referral").check()
    journey.check("01-referral")
    page.get_by_role("button", name="Take the referral in").click()
    page.wait_for_url("**/cases/C-*/")
    case = Case.objects.get()
    journey.reference = case.reference
    assert journey.stage() == "Referred"
    journey.check("02-case-referred")

    # screening: the policy sends domestic abuse to the specialist protocol
    journey.move("screening", "Screen the referral")
    page.get_by_role("link", name="Screening decision").click()
    page.wait_for_url(f"**/referrals/{case.reference}/screening/")
    assert page.get_by_text("Eligible under the specialist protocol.").is_visible()
    journey.check("03-screening")
    page.get_by_label("Accept the referral").check()
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_url(f"**/cases/{case.reference}/")
    journey.move("contact", "Phone Hana on a safe number")
    assert journey.stage() == "Contact"

    # contact: a facilitator, the information given, the acknowledgment, safe contact
    facilitators = page.locator("section[aria-labelledby='facilitators']")
    facilitators.get_by_label("Facilitator").select_option(label="Facilitator")
    facilitators.get_by_role("button", name="Assign").click()
    page.get_by_text("Facilitator is assigned.").wait_for()
    journey.check("04-case-contact")

    journey.participant("Hana H. (person harmed)")
    channels = page.locator("section[aria-labelledby='channels']")
    channels.get_by_text("Add a way to reach them").click()
    channels.get_by_label("Kind").select_option(label="Phone")
    channels.get_by_label("Number, address or details").fill(SHARED_LANDLINE)
    channels.get_by_role("group", name="Is it safe to contact the person this way?").get_by_label(
        "No", exact=True
    ).check()
    channels.get_by_label("Notes (optional)").fill("The family's shared landline.")
    channels.get_by_role("button", name="Add the channel").click()
    page.get_by_text("The contact channel is added.").wait_for()
    information = page.locator("section[aria-labelledby='information']")
    information.get_by_label("Information sheet").select_option(index=1)
    information.get_by_label("How was it given?").select_option(label="Phone call")
    information.get_by_label("Legal advice was offered").check()
    information.get_by_role("button", name="Record the information given").click()
    page.get_by_text("The information given is recorded.").wait_for()
    # the shared landline is refused
    contact = page.locator("section[aria-labelledby='contact']")
    contact.get_by_role("combobox", name="How", exact=True).select_option(label="Phone call")
    contact.get_by_label("Channel").select_option(
        label=f"Phone: {SHARED_LANDLINE} — UNSAFE, never use"
    )
    contact.get_by_label("Outcome").select_option(label="Spoke with them")
    contact.get_by_label("Time spent (minutes)").fill("10")
    contact.get_by_role("button", name="Record the contact").click()
    refusal = page.get_by_role("alert")
    refusal.wait_for()
    journey.check("05-unsafe-channel-refused")
    assert "unsafe" in refusal.inner_text().lower()
    # the safe mobile is used
    contact = page.locator("section[aria-labelledby='contact']")
    contact.get_by_role("combobox", name="How", exact=True).select_option(label="Phone call")
    contact.get_by_label("Channel").select_option(
        label=f"Phone: {HARMED_MOBILE} (weekday mornings)"
    )
    contact.get_by_label("Outcome").select_option(label="Spoke with them")
    contact.get_by_label("Time spent (minutes)").fill("25")
    contact.get_by_label("Notes (optional)").fill("Talked through what restorative justice is.")
    contact.get_by_role("button", name="Record the contact").click()
    page.get_by_text("The contact is recorded.").wait_for()
    journey.check("06-participant-harmed")

    journey.case_page(case)
    journey.participant("Ray R. (person responsible)")
    information = page.locator("section[aria-labelledby='information']")
    information.get_by_label("Information sheet").select_option(index=1)
    information.get_by_label("How was it given?").select_option(label="In person")
    information.get_by_label("Legal advice was offered").check()
    information.get_by_role("button", name="Record the information given").click()
    page.get_by_text("The information given is recorded.").wait_for()
    acknowledgment = page.locator("section[aria-labelledby='acknowledgment']")
    acknowledgment.get_by_role("combobox", name="How", exact=True).select_option(
        label="Said so to a facilitator"
    )
    acknowledgment.get_by_role("button", name="Record the acknowledgment").click()
    page.get_by_text("The acknowledgment is recorded.").wait_for()
    contact = page.locator("section[aria-labelledby='contact']")
    contact.get_by_role("combobox", name="How", exact=True).select_option(label="Phone call")
    contact.get_by_label("Channel").select_option(label=f"Phone: {RESPONSIBLE_MOBILE}")
    contact.get_by_label("Outcome").select_option(label="Spoke with them")
    contact.get_by_role("button", name="Record the contact").click()
    page.get_by_text("The contact is recorded.").wait_for()
    journey.check("07-participant-responsible")

    journey.case_page(case)
    journey.move("assessment", "Assess both people")
    assert journey.stage() == "Assessment"

    # assessment: Hana at medium risk; coercive control makes Ray high risk, letters only
    journey.assess("Hana H. (person harmed)", {}, shot="08-assessment-harmed")
    assert page.get_by_text("Medium", exact=True).first.is_visible()
    journey.case_page(case)
    journey.assess(
        "Ray R. (person responsible)",
        {"Indicators of coercive control": "Considerable"},
        shot="09-assessment-responsible",
    )
    journey.case_page(case)
    to_preparation = page.get_by_test_id("move-preparation")
    assert "A supervisor must sign off this case because the offence is in a sensitive " in (
        to_preparation.inner_text()
    )
    assert to_preparation.get_by_role("button").count() == 0
    # the programme uses no fast track, so none is offered
    assert page.get_by_test_id("move-ready").count() == 0
    assert page.get_by_text("Sign-off needed").is_visible()
    journey.check("10-case-needs-sign-off")

    # sign-off: by the supervisor, who works on no case
    journey.sign_out()
    journey.sign_in("supervisor")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()
    page.get_by_role("link", name=case.reference).click()
    page.get_by_role("link", name="Why, and who can sign off").click()
    page.wait_for_url(f"**/cases/{case.reference}/sign-off/")
    journey.check("11-sign-off")
    page.get_by_label("Notes (optional)").fill("Letters only; keep the safety plan current.")
    page.get_by_role("button", name="Sign off the case").click()
    page.get_by_text("You signed off the case.").wait_for()
    journey.check("12-case-signed-off")
    journey.sign_out()

    # preparation: the plan, the safety plan, consent, then ready
    journey.sign_in("coordinator")
    journey.case_page(case)
    journey.move("preparation", "Agree the letters with both people")
    assert journey.stage() == "Preparation"
    plan = page.locator("section[aria-labelledby='next-action']")
    plan.get_by_text("Change the plan").click()
    plan.get_by_label("Planned process").select_option(label="Letter exchange")
    plan.get_by_role("button", name="Save the plan").click()
    page.get_by_text("The plan is saved.").wait_for()

    page.get_by_role("link", name="Open the safety plan").click()
    page.wait_for_url(f"**/cases/{case.reference}/safety-plan/")
    for measure in ("Support person present", "Exit plan", "Code word"):
        page.get_by_label(measure).check()
    page.get_by_label("Notes").fill("Letters go through the facilitator only.")
    journey.check("13-safety-plan")
    page.get_by_role("button", name="Save the safety plan").click()
    page.get_by_text("The safety plan is saved.").wait_for()

    journey.consent("Hana H. (person harmed)", witness="Sam Witness", shot="14-consent-form")
    journey.consent("Ray R. (person responsible)", witness="Sam Witness")
    journey.check("15-consent")

    journey.case_page(case)
    to_ready = page.get_by_test_id("move-ready")
    gates = ("G1", "G2", "G3", "G4", "G5", "G6", "G7", "G8", "G9", "G10", "G13")
    checklist = to_ready.locator(".checklist > li")
    assert checklist.count() == len(gates)
    for gate in gates:
        item = checklist.filter(has_text=f"{gate} · ")
        assert item.locator(".badge").inner_text() == "Met", item.inner_text()
    journey.check("16-checklist-all-met")
    journey.move("ready", "Send the first letter")
    # then
    assert journey.stage() == "Ready"
    case.refresh_from_db()
    assert case.stage == "ready"
    assert page.get_by_role("heading", name="Back to preparation").is_visible()
    journey.check("17-case-ready")
    assert page.csp_violations == []
