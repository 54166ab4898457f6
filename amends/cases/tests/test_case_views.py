"""The case and participant pages: what each role sees, audited views, and bad input
answered in the form with nothing changed."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from amends.audit.models import AuditEvent
from amends.cases.models import Case, ContactLog, ParticipantRole
from amends.cases.services import contact_record
from amends.cases.tests.builders import participant
from amends.core.testing.matrix import domain_snapshot
from amends.people.services import contact_channel_add

pytestmark = pytest.mark.django_db


def test_the_case_page_shows_the_stage_the_checklist_and_the_allowed_actions(cast, client_for):
    response = client_for("coordinator").get(reverse("cases:detail", args=[cast.case.reference]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Move to assessment" in page
    assert "G10 · Safe contact" in page
    assert "Pause now" in page
    assert "Close the case" in page


def test_a_facilitator_sees_the_checklist_but_cannot_move_or_close(cast, client_for):
    page = client_for("facilitator").get(reverse("cases:detail", args=[cast.case.reference]))
    content = page.content.decode()
    assert "G1 · Eligibility" in content
    assert f'action="/cases/{cast.case.reference}/move/"' not in content
    assert "Close the case" not in content
    assert "Pause now" in content


def test_every_view_of_a_case_and_of_a_person_is_audited(cast, client_for):
    client = client_for("coordinator")
    harmed = participant(cast.case, ParticipantRole.HARMED)
    client.get(reverse("cases:detail", args=[cast.case.reference]))
    client.get(reverse("cases:participant", args=[cast.case.reference, harmed.pk]))
    case_views = AuditEvent.objects.filter(action="case.viewed", target_id=str(cast.case.pk))
    person_views = AuditEvent.objects.filter(
        action="person.viewed", target_id=str(harmed.person_id)
    )
    assert case_views.get().actor == cast.coordinator
    assert person_views.get().actor == cast.coordinator


def test_a_move_with_unmet_gates_shows_the_reasons_and_changes_nothing(cast, client_for):
    case = cast.case
    referral = case.referral
    referral.evidential_basis_confirmed = False
    referral.save()
    before = domain_snapshot()
    response = client_for("coordinator").post(
        reverse("cases:move", args=[case.reference]),
        {
            "target": "assessment",
            "assessment-target": "assessment",
            "assessment-expected_stage": "contact",
            "assessment-next_action": "Assess",
            "assessment-next_action_due": (
                timezone.localdate() + datetime.timedelta(days=2)
            ).isoformat(),
        },
    )
    assert response.status_code == 409
    assert (
        "The referrer has not confirmed that there is an evidential basis."
        in response.content.decode()
    )
    assert domain_snapshot() == before


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"assessment-next_action": "", "assessment-next_action_due": "2026-02-30"},
            "Enter a valid date",
        ),
        (
            {"assessment-next_action": "Assess", "assessment-next_action_due": "2001-01-01"},
            "cannot be due in the past",
        ),
    ],
)
def test_impossible_dates_and_missing_fields_get_a_clear_message(cast, client_for, data, message):
    case = cast.case
    before = domain_snapshot()
    response = client_for("coordinator").post(
        reverse("cases:move", args=[case.reference]),
        {
            "target": "assessment",
            "assessment-target": "assessment",
            "assessment-expected_stage": "contact",
            **data,
        },
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert domain_snapshot() == before


def test_a_transition_the_table_does_not_allow_gets_a_clear_message(cast, client_for):
    case = cast.case
    before = domain_snapshot()
    response = client_for("coordinator").post(
        reverse("cases:move", args=[case.reference]),
        {
            "target": "ready",
            "ready-target": "ready",
            "ready-expected_stage": "contact",
            "ready-next_action": "Meet",
            "ready-next_action_due": (
                timezone.localdate() + datetime.timedelta(days=2)
            ).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "A case cannot move from “Contact” to “Ready”." in response.content.decode()
    assert domain_snapshot() == before


@pytest.mark.gate("G10")
def test_choosing_an_unsafe_channel_in_the_contact_form_is_refused(cast, client_for):
    harmed = participant(cast.case, ParticipantRole.HARMED)
    unsafe = contact_channel_add(
        actor=None, person=harmed.person, kind="phone", value="+44 7700 900777", is_safe=False
    )
    before = domain_snapshot()
    response = client_for("facilitator").post(
        reverse("cases:contact_add", args=[cast.case.reference, harmed.pk]),
        {
            "method": "phone",
            "channel": unsafe.pk,
            "outcome": "reached",
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "minutes": "5",
        },
    )
    assert response.status_code == 400
    assert "This channel is marked unsafe" in response.content.decode()
    assert domain_snapshot() == before


def test_the_contact_form_marks_unsafe_channels(cast, client_for):
    harmed = participant(cast.case, ParticipantRole.HARMED)
    contact_channel_add(
        actor=None, person=harmed.person, kind="phone", value="+44 7700 900777", is_safe=False
    )
    page = client_for("facilitator").get(
        reverse("cases:participant", args=[cast.case.reference, harmed.pk])
    )
    assert "UNSAFE, never use" in page.content.decode()


def test_a_channel_must_be_declared_safe_or_unsafe(cast, client_for):
    harmed = participant(cast.case, ParticipantRole.HARMED)
    before = domain_snapshot()
    response = client_for("facilitator").post(
        reverse("cases:channel_add", args=[cast.case.reference, harmed.pk]),
        {"kind": "phone", "value": "+44 7700 900111"},
    )
    assert response.status_code == 400
    assert "Is it safe to contact the person this way?" in response.content.decode()
    assert domain_snapshot() == before


@pytest.mark.gate("G10")
def test_an_advocate_sees_the_person_they_support_and_never_the_other_party(cast, client_for):
    harmed = participant(cast.case, ParticipantRole.HARMED)
    responsible = participant(cast.case, ParticipantRole.RESPONSIBLE)
    contact_record(
        actor=cast.facilitator,
        participant=harmed,
        method="phone",
        outcome="reached",
        occurred_at=timezone.now(),
        channel=harmed.person.channels.get(),
        notes="Private session note",
    )
    client = client_for("advocate")
    page = client.get(
        reverse("cases:participant", args=[cast.case.reference, harmed.pk])
    ).content.decode()
    assert "Hana" in page
    assert "Contact" in page  # the case stage
    responsible_phone = responsible.person.channels.get().value
    assert responsible_phone not in page
    assert "Ray" not in page
    assert "Private session note" not in page
    assert (
        client.get(
            reverse("cases:participant", args=[cast.case.reference, responsible.pk])
        ).status_code
        == 404
    )
    assert client.get(reverse("cases:detail", args=[cast.case.reference])).status_code == 404
    assert ContactLog.objects.count() == 1


def test_the_participant_page_lists_the_contact_log_for_case_workers(cast, client_for):
    harmed = participant(cast.case, ParticipantRole.HARMED)
    contact_record(
        actor=cast.facilitator,
        participant=harmed,
        method="phone",
        outcome="reached",
        occurred_at=timezone.now(),
        channel=harmed.person.channels.get(),
        notes="Agreed to a visit",
    )
    page = client_for("coordinator").get(
        reverse("cases:participant", args=[cast.case.reference, harmed.pk])
    )
    assert "Agreed to a visit" in page.content.decode()


def test_pausing_and_closing_from_the_page(cast, client_for):
    client = client_for("coordinator")
    reference = cast.case.reference
    client.post(
        reverse("cases:pause", args=[reference]),
        {"expected_stage": "contact", "reason": "legal_hold"},
    )
    assert Case.objects.get(pk=cast.case.pk).stage == "paused"
    page = client.get(reverse("cases:detail", args=[reference])).content.decode()
    assert "Resume in “Contact”" in page
    response = client.post(
        reverse("cases:close", args=[reference]), {"expected_stage": "paused", "reason": "other"}
    )
    assert response.status_code == 400
    assert "Say why the case is closed." in response.content.decode()
    client.post(
        reverse("cases:close", args=[reference]),
        {"expected_stage": "paused", "reason": "not_suitable"},
    )
    assert Case.objects.get(pk=cast.case.pk).stage == "closed"


def test_an_advocate_finds_the_people_they_support_and_only_them(cast, client_for):
    case = cast.case
    page = client_for("advocate").get(reverse("cases:supported"))
    content = page.content.decode()
    harmed = participant(case, ParticipantRole.HARMED)
    assert reverse("cases:participant", args=[case.reference, harmed.pk]) in content
    assert "Ray" not in content
    assert client_for("coordinator").get(reverse("cases:supported")).status_code == 403


@pytest.mark.parametrize(
    "page",
    [
        "cases:detail",
        "safety:plan",
        "assessments:sign_off",
        "cases:participant",
        "consent:participant",
        "consent:give",
        "consent:withdraw",
        "assessments:new",
    ],
)
def test_every_page_showing_case_or_person_content_is_audited(cast, client_for, page):
    case = cast.case
    harmed = participant(case, ParticipantRole.HARMED)
    args = (
        [case.reference]
        if page in ("cases:detail", "safety:plan", "assessments:sign_off")
        else [
            case.reference,
            harmed.pk,
        ]
    )
    before = AuditEvent.objects.filter(action__in=["case.viewed", "person.viewed"]).count()
    response = client_for("coordinator").get(reverse(page, args=args))
    assert response.status_code == 200
    viewed = AuditEvent.objects.filter(action__in=["case.viewed", "person.viewed"])
    assert viewed.count() == before + 1
    assert viewed.latest("pk").actor == cast.coordinator


def test_a_missing_date_of_birth_is_asked_for_and_recorded_on_the_persons_page(cast, client_for):
    case = cast.case
    supporter = participant_add_for_test(cast, case)
    url = reverse("cases:participant", args=[case.reference, supporter.pk])
    client = client_for("coordinator")
    assert "The date of birth is not recorded." in client.get(url).content.decode()
    response = client.post(
        reverse("cases:birth_date", args=[case.reference, supporter.pk]),
        {"date_of_birth": "1850-01-01"},
    )
    assert response.status_code == 400
    assert "more than 120 years ago" in response.content.decode()
    client.post(
        reverse("cases:birth_date", args=[case.reference, supporter.pk]),
        {"date_of_birth": "1990-06-01"},
    )
    supporter.person.refresh_from_db()
    assert supporter.person.date_of_birth == datetime.date(1990, 6, 1)


def test_the_coordinator_names_the_advocate_who_then_sees_the_person(cast, client_for):
    case = cast.case
    responsible = participant(case, ParticipantRole.RESPONSIBLE)
    url = reverse("cases:participant", args=[case.reference, responsible.pk])
    assert client_for("advocate").get(url).status_code == 404
    client_for("coordinator").post(
        reverse("cases:advocate", args=[case.reference, responsible.pk]),
        {"advocate": cast.advocate.pk},
    )
    assert client_for("advocate").get(url).status_code == 200
    refused = client_for("coordinator").post(
        reverse("cases:advocate", args=[case.reference, responsible.pk]),
        {"advocate": cast.facilitator.pk},
    )
    assert refused.status_code == 400


def test_a_facilitator_preference_is_recorded_and_a_bad_one_changes_nothing(cast, client_for):
    case = cast.case
    harmed = participant(case, ParticipantRole.HARMED)
    url = reverse("cases:facilitator_preference", args=[case.reference, harmed.pk])
    response = client_for("coordinator").post(url, {"gender": "woman"})
    assert response.status_code == 302
    harmed.refresh_from_db()
    assert harmed.preferred_facilitator_gender == "woman"
    before = domain_snapshot()
    refused = client_for("coordinator").post(url, {"gender": "robot"})
    assert refused.status_code == 400
    assert "Select a valid choice." in refused.content.decode()
    assert domain_snapshot() == before


def test_the_plan_records_the_region_matching_prefers(cast, client_for):
    case = cast.case
    response = client_for("coordinator").post(
        reverse("cases:plan", args=[case.reference]),
        {
            "process_type": "",
            "region": "  North Ward ",
            "next_action": "Call",
            "next_action_due": (timezone.localdate() + datetime.timedelta(days=2)).isoformat(),
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.region == "North Ward"


def participant_add_for_test(cast, case):
    from amends.cases.services import participant_add
    from amends.cases.tests.builders import make_person

    return participant_add(
        actor=cast.coordinator, case=case, person=make_person("Sid"), role="supporter"
    )


def test_a_refused_screening_decision_redraws_an_audited_page(cast, client_for):
    from amends.cases.tests.builders import build_case, move

    case = move(
        build_case(cast.programme, coordinator=cast.coordinator), "screening", cast.coordinator
    )
    before = AuditEvent.objects.filter(action="case.viewed", target_id=str(case.pk)).count()
    response = client_for("coordinator").post(
        reverse("referrals:screening", args=[case.reference]),
        {"decision": "decline", "reason_for_referrer": ""},
    )
    assert response.status_code == 400
    after = AuditEvent.objects.filter(action="case.viewed", target_id=str(case.pk)).count()
    assert after == before + 1


def test_a_referral_sent_by_a_referrer_can_be_taken_by_a_coordinator(cast, client_for):
    from amends.cases.tests.builders import build_case

    case = build_case(cast.programme, submitted_by=cast.referrer)
    client = client_for("supervisor")
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "Nobody yet" in page
    client.post(
        reverse("cases:coordinator", args=[case.reference]), {"coordinator": cast.coordinator.pk}
    )
    case.refresh_from_db()
    assert case.coordinator == cast.coordinator
    before = domain_snapshot()
    refused = client.post(
        reverse("cases:coordinator", args=[case.reference]), {"coordinator": cast.facilitator.pk}
    )
    assert refused.status_code == 400
    assert domain_snapshot() == before


def test_only_a_coordinator_of_the_programme_can_coordinate_a_case(cast):
    from amends.cases.services import case_set_coordinator
    from amends.core.errors import ApplicationError

    case = cast.case
    before = domain_snapshot()
    with pytest.raises(ApplicationError, match="not changed"):
        case_set_coordinator(actor=cast.supervisor, case=case, coordinator=cast.facilitator)
    assert domain_snapshot() == before
