"""The matching pages: the ranked list of one case (assign, choose otherwise with a
reason, co-facilitator pairs) and the programme's batch run (preview, change, apply).
Every assignment made here leaves its reason in the audit log."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from amends.audit.actions import Action
from amends.audit.models import AuditEvent
from amends.cases.models import Case, FacilitatorAssignment
from amends.cases.services import case_assign_facilitator
from amends.cases.tests.builders import accept_referral, build_case, move
from amends.facilitators.models import Accreditation, FacilitatorProfile
from amends.programmes.defaults import DOMESTIC_ABUSE

pytestmark = pytest.mark.django_db

LONG_AGO = datetime.date(2000, 1, 1)
FAR_AHEAD = datetime.date(2099, 12, 31)


def waiting_case(cast, *categories: str, region: str = "") -> Case:
    case = build_case(cast.programme, categories=categories or ("violence",))
    case = move(case, "screening", cast.coordinator)
    accept_referral(case, cast.coordinator)
    case = move(case, "contact", cast.coordinator)
    Case.objects.filter(pk=case.pk).update(region=region)
    return Case.objects.get(pk=case.pk)


@pytest.fixture
def team(cast, roster):
    """Asha (the best match in North), Beth (busy) and Carl (no domestic-abuse
    endorsement); the cast's facilitator holds every endorsement and has no profile."""

    def make(name: str, *endorsements: str, load: int = 0, **profile):
        user = roster.facilitator(name)
        roster.accreditation(user, LONG_AGO, FAR_AHEAD)
        for code in endorsements:
            roster.endorsement(user, code)
        FacilitatorProfile.objects.create(user=user, capacity=4, **profile)
        for _ in range(load):
            FacilitatorAssignment.objects.create(case=waiting_case(cast), facilitator=user)
        return user

    return {
        "asha": make("Asha Ahmed", "domestic_abuse", gender="woman", regions=["North"]),
        "beth": make("Beth Brown", "domestic_abuse", gender="woman", load=2),
        "carl": make("Carl Cole", gender="man"),
    }


@pytest.fixture
def abuse_case(cast, team):
    return waiting_case(cast, DOMESTIC_ABUSE, region="North")


def url(name: str, case: Case) -> str:
    return reverse(f"matching:{name}", args=[case.reference])


def assignment_reason(case: Case, facilitator) -> str:
    event = AuditEvent.objects.filter(
        action=Action.FACILITATOR_ASSIGNED, target_id=str(case.pk), data__facilitator=facilitator.pk
    ).get()
    return str(event.data["reason"])


def assigned(case: Case) -> set[int]:
    return set(
        FacilitatorAssignment.objects.filter(case=case).values_list("facilitator", flat=True)
    )


# --- one case ---------------------------------------------------------------------------


def test_a_coordinator_sees_the_ranked_list_with_reasons(cast, client_for, abuse_case, team):
    response = client_for("coordinator").get(url("case", abuse_case))
    assert response.status_code == 200
    ranked = [s.candidate.name for s in response.context["eligible"]]
    assert ranked == ["Asha Ahmed", "Facilitator", "Beth Brown"]
    page = response.content.decode()
    assert "Works in North." in page
    assert "Endorsement needed: Domestic abuse." in page
    assert "Does not hold the endorsement this case needs: Domestic abuse." in page
    assert AuditEvent.objects.filter(
        action=Action.CASE_VIEWED, target_id=str(abuse_case.pk)
    ).exists()


def test_assigning_the_top_suggestion_keeps_its_rank_and_score_in_the_audit(
    cast, client_for, abuse_case, team
):
    response = client_for("coordinator").post(
        url("assign", abuse_case), {"facilitator": team["asha"].pk}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[abuse_case.reference])
    assert assigned(abuse_case) == {team["asha"].pk}
    reason = assignment_reason(abuse_case, team["asha"])
    assert reason.startswith("Matching suggestion: ranked 1 of 3 eligible, score 5.0 of 12.0.")
    assert "Works in North." in reason


def test_choosing_someone_else_without_a_reason_is_refused_and_changes_nothing(
    cast, client_for, abuse_case, team
):
    response = client_for("coordinator").post(
        url("assign", abuse_case), {"facilitator": team["beth"].pk, "reason": "  "}
    )
    assert response.status_code == 400
    assert "Say why you choose Beth Brown rather than the top suggestion." in (
        response.content.decode()
    )
    assert assigned(abuse_case) == set()


def test_choosing_someone_else_with_a_reason_keeps_it_in_the_audit(
    cast, client_for, abuse_case, team
):
    response = client_for("supervisor").post(
        url("assign", abuse_case),
        {"facilitator": team["beth"].pk, "reason": "Beth met the family before."},
    )
    assert response.status_code == 302
    assert assigned(abuse_case) == {team["beth"].pk}
    reason = assignment_reason(abuse_case, team["beth"])
    assert reason.startswith("Chosen against the matching suggestion: ranked 3 of 3 eligible")
    assert "the top suggestion was Asha Ahmed (score 5.0)" in reason
    assert reason.endswith("Reason given: Beth met the family before.")


def test_someone_who_breaks_a_hard_constraint_cannot_be_assigned_here(
    cast, client_for, abuse_case, team
):
    response = client_for("coordinator").post(
        url("assign", abuse_case), {"facilitator": team["carl"].pk, "reason": "I insist."}
    )
    assert response.status_code == 400
    assert "Does not hold the endorsement this case needs: Domestic abuse." in (
        response.content.decode()
    )
    assert assigned(abuse_case) == set()


def test_someone_not_on_the_roster_cannot_be_assigned_here(cast, client_for, abuse_case):
    response = client_for("coordinator").post(
        url("assign", abuse_case), {"facilitator": cast.coordinator.pk, "reason": "x"}
    )
    assert response.status_code == 400
    assert "This is not a facilitator of the programme." in response.content.decode()
    assert assigned(abuse_case) == set()


def test_a_facilitator_refused_by_g6_at_assignment_time_is_not_assigned(
    cast, client_for, abuse_case, team
):
    # given the top suggestion's accreditation ran out after the page was shown
    Accreditation.objects.filter(facilitator=team["asha"]).update(
        valid_to=timezone.localdate() - datetime.timedelta(days=1)
    )
    response = client_for("coordinator").post(
        url("assign", abuse_case), {"facilitator": team["asha"].pk}
    )
    assert response.status_code == 400
    assert "Has no valid accreditation today." in response.content.decode()
    assert assigned(abuse_case) == set()


def test_a_sensitive_case_offers_co_facilitator_pairs_and_assigns_both(
    cast, client_for, abuse_case, team
):
    client = client_for("coordinator")
    pairs = client.get(url("case", abuse_case)).context["pairs"]
    best = pairs[0]
    assert {best.first.candidate.name, best.second.candidate.name} >= {"Asha Ahmed"}
    response = client.post(
        url("assign_pair", abuse_case),
        {"first": best.first.candidate.id, "second": best.second.candidate.id},
    )
    assert response.status_code == 302
    assert assigned(abuse_case) == {best.first.candidate.id, best.second.candidate.id}
    reason = assignment_reason(abuse_case, team["asha"])
    assert reason.startswith("Suggested co-facilitator pair 1 of")


def test_a_pair_that_is_not_suggested_is_refused(cast, client_for, abuse_case, team):
    response = client_for("coordinator").post(
        url("assign_pair", abuse_case), {"first": team["asha"].pk, "second": team["carl"].pk}
    )
    assert response.status_code == 400
    assert "This pair is not among the suggestions." in response.content.decode()
    assert assigned(abuse_case) == set()


def test_a_closed_case_lists_matches_but_offers_no_assignment(cast, client_for, team):
    case = waiting_case(cast)
    Case.objects.filter(pk=case.pk).update(stage="closed", closure_reason="no_contact")
    page = client_for("coordinator").get(url("case", case)).content.decode()
    assert "The case is closed: nobody can be assigned." in page
    assert reverse("matching:assign", args=[case.reference]) not in page


# --- the batch run ----------------------------------------------------------------------


def batch_url(cast, name: str = "batch") -> str:
    return reverse(f"matching:{name}", args=[cast.programme.slug])


def preview(client, cast):
    response = client.get(batch_url(cast))
    assert response.status_code == 200
    return response, dict(response.context["form"].initial)


def as_posted(initial: dict[str, Any], **changes: Any) -> dict[str, Any]:
    data = {key: "" if value is None else value for key, value in initial.items()}
    data.update(changes)
    return data


def test_the_preview_lists_each_waiting_case_with_the_plan_and_why(
    cast, client_for, abuse_case, team
):
    other = waiting_case(cast)
    response, initial = preview(client_for("coordinator"), cast)
    references = [row["case"].reference for row in response.context["rows"]]
    assert set(references) >= {abuse_case.reference, other.reference}
    assert cast.case.reference not in references  # it has a facilitator
    assert initial[f"case_{abuse_case.pk}"] == team["asha"].pk
    page = response.content.decode()
    assert "Asha Ahmed: rank 1, score 5.0 of 12." in page


def test_applying_the_plan_assigns_every_row_with_its_reason(cast, client_for, abuse_case, team):
    client = client_for("coordinator")
    _response, initial = preview(client, cast)
    response = client.post(batch_url(cast, "batch_apply"), as_posted(initial))
    assert response.status_code == 200
    assert assigned(abuse_case) == {team["asha"].pk}
    reason = assignment_reason(abuse_case, team["asha"])
    assert "the optimal plan's choice, ranked 1 for this case, score 5.0 of 12.0." in reason
    assert reason.startswith("Batch run ")
    rows = [key for key, value in initial.items() if key.startswith("case_") and value]
    assert response.context["assigned_count"] == len(rows)


def test_a_changed_row_needs_a_note_and_nothing_is_assigned_without_one(
    cast, client_for, abuse_case, team
):
    client = client_for("coordinator")
    _response, initial = preview(client, cast)
    before = FacilitatorAssignment.objects.count()
    changed = as_posted(initial, **{f"case_{abuse_case.pk}": team["beth"].pk})
    response = client.post(batch_url(cast, "batch_apply"), changed)
    assert response.status_code == 400
    assert "Say why you changed the plan." in response.content.decode()
    assert FacilitatorAssignment.objects.count() == before


def test_a_changed_row_with_a_note_keeps_the_note_and_the_plan_s_choice_in_the_audit(
    cast, client_for, abuse_case, team
):
    client = client_for("coordinator")
    _response, initial = preview(client, cast)
    changed = as_posted(
        initial, **{f"case_{abuse_case.pk}": team["beth"].pk, "note": "Beth knows the area."}
    )
    response = client.post(batch_url(cast, "batch_apply"), changed)
    assert response.status_code == 200
    reason = assignment_reason(abuse_case, team["beth"])
    assert "chosen by the coordinator instead of the plan's Asha Ahmed" in reason
    assert reason.endswith("Reason given: Beth knows the area.")


def test_a_row_that_can_no_longer_be_assigned_is_reported_and_the_others_apply(
    cast, client_for, abuse_case, team
):
    # given a preview, then Asha's accreditation runs out and a second row wants Carl
    # for the domestic-abuse case (Carl holds no endorsement)
    other = waiting_case(cast)
    client = client_for("coordinator")
    _response, initial = preview(client, cast)
    Accreditation.objects.filter(facilitator=team["asha"]).update(
        valid_to=timezone.localdate() - datetime.timedelta(days=1)
    )
    data = as_posted(initial, **{f"case_{other.pk}": cast.facilitator.pk, "note": "Spread."})
    # when
    response = client.post(batch_url(cast, "batch_apply"), data)
    # then the domestic-abuse row is reported with why; the other row is assigned
    assert response.status_code == 200
    page = response.content.decode()
    assert "Has no valid accreditation today." in page
    assert assigned(abuse_case) == set()
    assert assigned(other) == {cast.facilitator.pk}


def test_a_case_assigned_since_the_preview_is_left_as_it_is(cast, client_for, abuse_case, team):
    client = client_for("coordinator")
    _response, initial = preview(client, cast)
    case_assign_facilitator(actor=cast.coordinator, case=abuse_case, facilitator=team["beth"])
    response = client.post(batch_url(cast, "batch_apply"), as_posted(initial))
    assert response.status_code == 200
    assert response.context["stale"] == 1
    assert assigned(abuse_case) == {team["beth"].pk}


def test_two_rows_cannot_take_more_places_than_a_facilitator_has(cast, client_for, team):
    # given Beth has two places left and three rows want her
    cases = [waiting_case(cast) for _ in range(3)]
    client = client_for("coordinator")
    _response, initial = preview(client, cast)
    data = as_posted(initial, note="All to Beth.")
    for case in cases:
        data[f"case_{case.pk}"] = team["beth"].pk
    response = client.post(batch_url(cast, "batch_apply"), data)
    assert response.status_code == 200
    with_beth = [case for case in cases if assigned(case) == {team["beth"].pk}]
    assert len(with_beth) == 2
    assert "Has no place left for another case in this run." in response.content.decode()
