"""In a browser: a case at `ready` goes through the whole process to closing (issue 4).

Preparation meetings with each key participant, a joint meeting with staggered times,
recorded as held; an agreement with restitution and work, both parties' consent to each
item, payments and verified hours, the items completed; the follow-up check-ins, a survey
the person harmed answers through the link in their e-mail; the case closed as completed
with an agreement. Every step after `ready` goes through the pages staff use; every key
page is accessible and within the strict Content Security Policy.
"""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from amends.cases.models import Case, ParticipantRole
from amends.cases.tests.builders import drive_to_ready, participant
from amends.followups.models import SurveyResponse
from amends.followups.tests.helpers import add_email
from amends.meetings.models import Attendee, Meeting, MeetingKind
from conftest import accessibility_violations, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HANA = "Hana H. (person harmed)"
RAY = "Ray R. (person responsible)"


class Journey:
    def __init__(self, page: Any, live_server: Any, case: Case) -> None:
        self.page = page
        self.url = live_server.url
        self.case = case

    def sign_in(self, user: Any) -> None:
        # The sign-in with a second factor has its own browser test (test_browser_journey).
        client = Client()
        client.force_login(user)
        context = self.page.context
        context.clear_cookies()
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": self.url,
                }
            ]
        )

    def check(self, shot: str) -> None:
        """The page has no serious accessibility problem; a screenshot to look at."""
        violations = accessibility_violations(self.page)
        assert violations == [], [(v["id"], [n["html"] for n in v["nodes"]]) for v in violations]
        screenshot(self.page, f"process-{shot}")

    def case_page(self) -> None:
        self.page.goto(f"{self.url}/cases/{self.case.reference}/")

    def open(self, link: str) -> None:
        """Opens one of the case's process pages from the case page."""
        self.case_page()
        self.page.get_by_role("region", name="The process and after").get_by_role(
            "link", name=link, exact=True
        ).click()

    def move(self, target: str, next_action: str, *, days: int = 5) -> None:
        panel = self.page.get_by_test_id(f"move-{target}")
        panel.get_by_label("Next action").fill(next_action)
        due = timezone.localdate() + datetime.timedelta(days=days)
        panel.get_by_label("Due").fill(due.isoformat())
        panel.get_by_role("button").click()
        self.page.get_by_text("The case is now in").wait_for()

    def stage(self) -> str:
        return str(self.page.get_by_test_id("stage").inner_text())

    def schedule(
        self,
        kind_link: str,
        day: datetime.date,
        starts: str,
        ends: str,
        invite: list[str],
        times: dict[str, tuple[str, str]] | None = None,
    ) -> None:
        page = self.page
        page.get_by_role("link", name=kind_link).click()
        page.get_by_role("heading", level=1, name="Schedule a meeting").wait_for()
        page.get_by_label("Phone call").check()
        page.get_by_label("Date").fill(day.isoformat())
        page.get_by_label("Starts at").fill(starts)
        page.get_by_label("Ends at").fill(ends)
        for name in invite:
            page.get_by_role("checkbox", name=name, exact=True).check()
        if times:
            page.get_by_text("Each person's own arrival and departure").click()
            for name, (arrives, leaves) in times.items():
                page.get_by_label(f"{name} arrives").fill(arrives)
                page.get_by_label(f"{name} leaves").fill(leaves)
        page.get_by_role("button", name="Schedule and send the invitations").click()
        page.get_by_text("The meeting is scheduled; invitations are on their way.").wait_for()


def ready_case(cast: Any) -> Case:
    case = drive_to_ready(
        cast.case,
        coordinator=cast.coordinator,
        supervisor=cast.supervisor,
        facilitator=cast.facilitator,
        process_type="meeting",
    )
    add_email(participant(case, ParticipantRole.HARMED), "hana@example.org")
    add_email(participant(case, ParticipantRole.RESPONSIBLE), "ray@example.net")
    return case


def clock_moves_on(meeting: Meeting) -> None:
    """The joint meeting's day comes: it started two hours ago (a meeting can only be
    scheduled in the future and recorded once it has started)."""
    shift = meeting.starts_at - (timezone.now() - datetime.timedelta(hours=2))
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=meeting.starts_at - shift, ends_at=meeting.ends_at - shift
    )
    for attendee in Attendee.objects.filter(meeting=meeting):
        Attendee.objects.filter(pk=attendee.pk).update(
            arrives_at=attendee.arrives_at - shift, leaves_at=attendee.leaves_at - shift
        )


def test_a_ready_case_goes_through_a_meeting_and_an_agreement_to_closing(
    live_server, page, cast, settings, mailoutbox
):
    # The survey link in the e-mail points at this test's server.
    settings.SITE_URL = live_server.url
    case = ready_case(cast)
    journey = Journey(page, live_server, case)
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)

    # the coordinator starts the process
    journey.sign_in(cast.coordinator)
    journey.case_page()
    assert journey.stage() == "Ready"
    journey.check("01-case-ready")
    journey.move("process", "Hold the preparation meetings")
    assert journey.stage() == "Process"

    # the facilitator prepares each person, then schedules the joint meeting
    journey.sign_in(cast.facilitator)
    journey.open("Meetings")
    page.get_by_role("heading", level=1, name="Meetings").wait_for()
    journey.check("02-meetings-empty")
    for number, person in enumerate((HANA, RAY)):
        journey.open("Meetings")
        journey.schedule(
            "Schedule a preparation meeting",
            tomorrow,
            f"{10 + number}:00",
            f"{10 + number}:45",
            [person, "Facilitator"],
        )
    journey.check("03-preparation-meeting")
    day = today + datetime.timedelta(days=7)
    journey.open("Meetings")
    journey.schedule(
        "Schedule a joint meeting",
        day,
        "14:00",
        "16:00",
        [HANA, RAY, "Facilitator"],
        times={HANA: ("14:00", "16:00"), RAY: ("14:15", "15:45")},
    )
    journey.check("04-joint-meeting")
    joint = Meeting.objects.get(case=case, kind=MeetingKind.VICTIM_OFFENDER)
    arrivals = {
        role: timezone.localtime(arrives).strftime("%H:%M")
        for role, arrives in Attendee.objects.filter(
            meeting=joint, participant__isnull=False
        ).values_list("participant__role", "arrives_at")
    }
    assert arrivals == {"harmed": "14:00", "responsible": "14:15"}

    # the day comes: the facilitator records the joint meeting as held
    clock_moves_on(joint)
    page.reload()
    page.get_by_role("link", name="Record the session").click()
    page.get_by_role("heading", level=1, name="Record the session").wait_for()
    page.get_by_label("Yes, it took place").check()
    for name in (HANA, RAY, "Facilitator"):
        page.get_by_role("checkbox", name=name, exact=True).check()
    page.get_by_label("Outcome").select_option(label="An agreement was reached")
    page.get_by_label("Restricted notes").fill("Both spoke; Ray offered to pay and to work.")
    journey.check("05-session-record")
    page.get_by_role("button", name="Save the session record").click()
    page.get_by_text("The session is recorded.").wait_for()
    assert page.get_by_test_id("meeting-status").inner_text() == "Held"
    journey.check("06-meeting-held")

    # the agreement: restitution and work, each consented to by both parties
    journey.open("Agreement")
    page.get_by_role("heading", level=1, name="Agreement").wait_for()
    journey.check("07-agreement-empty")
    start = page.get_by_role("region", name="Start an agreement")
    start.get_by_label("Person responsible").select_option(label=RAY)
    start.get_by_label("Made on").fill(today.isoformat())
    send(
        page,
        start.get_by_role("button", name="Start the agreement"),
        "The agreement is started: add its items.",
    )
    due = today + datetime.timedelta(days=60)
    add_item(
        page,
        "Restitution (money)",
        "Ray pays Hana 120 GBP for the broken window, in two payments.",
        due,
        amount="120.00",
        loss="150.00",
        currency="GBP (£)",
        schedule="60 a month",
    )
    add_item(
        page,
        "Work (reparative or community)",
        "Ray works 6 hours at the community garden.",
        due,
        hours="6",
        placement="Northshire community garden",
    )
    for item in items(page):
        for person in (RAY, HANA):
            give_consent(page, item, person)
    journey.check("08-agreement-consented")
    restitution, work = items(page)
    assert "Not in force yet" not in restitution.inner_text()

    # payments and hours are recorded, the hours verified, the items completed
    for amount in ("60.00", "60.00"):
        record_payment(page, items(page)[0], today, amount)
    assert items(page)[0].get_by_test_id("outstanding").inner_text() == "0.00 GBP"
    for hours in ("4", "2"):
        record_hours(page, items(page)[1], today, hours)
    while (verify := page.get_by_role("button", name=re.compile("^Verify the hours"))).count():
        send(page, verify.first, "The hours are verified.")
    assert items(page)[1].get_by_test_id("hours").inner_text() == "6.00 / 6.00"
    # each item completes itself once fully paid, or its hours all verified
    assert [i.get_by_test_id("item-status").inner_text() for i in items(page)] == [
        "Completed",
        "Completed",
    ]
    assert page.get_by_text("Change the status").count() == 0
    journey.check("09-items-completed")

    # the coordinator moves the case on: monitoring, then follow-up
    journey.sign_in(cast.coordinator)
    journey.case_page()
    journey.move("agreement", "Watch the agreement")
    assert journey.stage() == "Agreement"
    journey.move("follow_up", "Call each person")
    assert journey.stage() == "Follow-up"
    journey.check("10-case-follow-up")

    # follow-up: the first check-in with each person, and the survey to the person harmed
    journey.sign_in(cast.facilitator)
    journey.open("Follow-up and surveys")
    page.get_by_role("heading", level=1, name="Follow-up", exact=True).wait_for()
    journey.check("11-follow-up")
    for person in (HANA, RAY):
        page.get_by_role(
            "link", name=re.compile(f"^Record the check-in .* with {re.escape(person)}")
        ).first.click()
        page.get_by_role("group", name="How did it go?").get_by_label("Spoke with them").check()
        page.get_by_label("How are they doing?").select_option(index=4)
        page.get_by_label("Notes").fill("Doing well; glad it is over.")
        page.get_by_role("button", name="Record the check-in").click()
        page.get_by_text("The check-in is recorded.").wait_for()
    journey.check("12-check-ins")
    sent = len(mailoutbox)
    page.get_by_role("region", name=HANA).get_by_role(
        "button", name="E-mail the survey link"
    ).click()
    page.get_by_text("The survey link is on its way by e-mail.").wait_for()
    journey.check("13-survey-sent")
    assert len(mailoutbox) == sent + 1
    message = mailoutbox[-1]
    assert message.to == ["hana@example.org"]
    link = re.search(rf"{re.escape(live_server.url)}/survey/[A-Za-z0-9_-]+/", str(message.body))
    assert link is not None, message.body

    # the person harmed answers through the link, in a browser of their own
    visitor = page.context.browser.new_context(locale="en-GB")
    survey = visitor.new_page()
    survey.goto(link.group(0))
    survey.get_by_role("heading", name="How did it go for you?").wait_for()
    survey.get_by_role("group", name="How satisfied are you").get_by_label("4 – Satisfied").check()
    survey.get_by_role("group", name="Did you receive an apology?").get_by_label("Yes").check()
    survey.get_by_label("Is there anything else you would like to tell us?").fill(
        "Thank you for listening."
    )
    assert accessibility_violations(survey) == []
    screenshot(survey, "process-14-survey")
    survey.get_by_role("button", name="Send my answers").click()
    survey.get_by_text("Your answers are saved.").wait_for()
    screenshot(survey, "process-15-survey-thanks")
    visitor.close()
    answers = SurveyResponse.objects.get(participant__case=case).answers.all()
    assert {a.question_key: (a.number, a.choice) for a in answers if not a.text} == {
        "satisfaction": (4, ""),
        "apology_received": (None, "yes"),
    }

    # the coordinator closes the case; later check-ins are months away
    journey.sign_in(cast.coordinator)
    journey.case_page()
    closing = page.locator("details", has=page.locator("summary", has_text="Close the case"))
    closing.locator("summary").click()
    # The pause and close forms share their field ids (id_reason, id_note), so the labels
    # "Why close the case?" and "Note" point at the hidden pause form: found by name.
    closing.locator("select[name=reason]").select_option(label="Completed with an agreement")
    closing.locator("textarea[name=note]").fill(
        "Agreement kept; the later check-ins are months away and the programme will make them."
    )
    journey.check("16-closing")
    with page.expect_navigation():
        closing.get_by_role("button", name="Close the case").click()
    # then
    assert journey.stage() == "Closed"
    case.refresh_from_db()
    assert case.stage == "closed"
    assert case.closure_reason == "completed_agreement"
    journey.check("17-case-closed")
    assert page.csp_violations == []


def send(page: Any, button: Any, done: str) -> None:
    """Clicks a form's button and waits for the next page to say `done` (or fails with
    the refusal it shows instead)."""
    with page.expect_navigation():
        button.click()
    said = page.get_by_text(done)
    if not said.count():
        refusal = page.locator(".alert")
        pytest.fail(f"not {done!r}: " + " | ".join(refusal.all_inner_texts()))


def items(page: Any) -> list[Any]:
    return page.locator("article.card").all()


def add_item(page: Any, kind: str, terms: str, due: datetime.date, **fields: str) -> None:
    page.get_by_role("link", name="Add an item").click()
    page.get_by_role("heading", level=1, name="Add an item").wait_for()
    page.get_by_label("Kind of item").select_option(label=kind)
    page.get_by_label("Terms").fill(terms)
    page.get_by_label("Due by").fill(due.isoformat())
    page.get_by_label("Owed to").select_option(label=HANA)
    labels = {
        "amount": "Amount",
        "loss": "Documented loss",
        "schedule": "Payment schedule",
        "hours": "Hours planned",
        "placement": "Placement",
    }
    for key, value in fields.items():
        if key == "currency":
            page.get_by_label("Currency").select_option(label=value)
        else:
            page.get_by_label(labels[key], exact=True).fill(value)
    page.get_by_role("button", name="Add the item").click()
    page.get_by_text("The item is added. Record each party's consent to it.").wait_for()


def give_consent(page: Any, item: Any, person: str) -> None:
    item.get_by_text(f"Record the consent of {person}").click()
    form = item.locator("details[open] form")
    form.get_by_label("Verbal, with a witness").check()
    form.get_by_role("textbox", name="Witness").fill("Sam Witness")
    send(
        page,
        form.get_by_role("button", name="Record the consent"),
        "The consent to the item is recorded.",
    )


def record_payment(page: Any, item: Any, day: datetime.date, amount: str) -> None:
    item.get_by_text("Record a payment").click()
    form = item.locator("details[open] form")
    form.get_by_label("Paid on").fill(day.isoformat())
    form.get_by_label("Amount").fill(amount)
    form.get_by_label("Received by").select_option(label="The programme, to pass on")
    send(page, form.get_by_role("button", name="Record the payment"), "The payment is recorded.")


def record_hours(page: Any, item: Any, day: datetime.date, hours: str) -> None:
    item.get_by_text("Record hours of work").click()
    form = item.locator("details[open] form")
    form.get_by_label("Worked on").fill(day.isoformat())
    form.get_by_role("spinbutton", name="Hours", exact=True).fill(hours)
    send(
        page,
        form.get_by_role("button", name="Record the hours"),
        "The hours are recorded; they count once verified.",
    )
