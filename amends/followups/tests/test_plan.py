"""Planning the follow-up check-ins when the process ends (`follow_up_plan`)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from amends.audit.models import AuditEvent
from amends.cases.models import ParticipantRole
from amends.cases.services import case_close, case_unassign_facilitator, participant_add
from amends.cases.tests.builders import build_case, make_person
from amends.consent.models import ConsentScope
from amends.consent.services import consent_withdraw
from amends.core.errors import ApplicationError, PermissionRefused
from amends.core.testing.matrix import domain_snapshot
from amends.followups.models import CheckIn, CheckInStatus
from amends.followups.services import follow_up_plan
from amends.followups.tests.helpers import check_ins_of, entered_follow_up
from amends.programmes.models import ProgrammeSettings
from amends.tasks.models import Task, TaskKind

pytestmark = pytest.mark.django_db


def test_each_key_participant_gets_a_check_in_per_offset_counted_from_the_end_of_the_process(
    cast, case, harmed, responsible
):
    # given: the process ended ten days ago
    entered_follow_up(case, days_ago=10)
    ended = timezone.localdate() - datetime.timedelta(days=10)
    # when
    check_ins = follow_up_plan(actor=cast.coordinator, case=case)
    # then
    assert len(check_ins) == 4
    for person in (harmed, responsible):
        assert [(c.offset_days, c.due_on, c.status) for c in check_ins_of(person)] == [
            (14, ended + datetime.timedelta(days=14), CheckInStatus.PLANNED),
            (91, ended + datetime.timedelta(days=91), CheckInStatus.PLANNED),
        ]


def test_without_a_recorded_end_of_the_process_check_ins_count_from_today(case, harmed):
    follow_up_plan(actor=None, case=case)
    assert [c.due_on for c in check_ins_of(harmed)] == [
        timezone.localdate() + datetime.timedelta(days=14),
        timezone.localdate() + datetime.timedelta(days=91),
    ]


def test_supporters_are_not_followed_up(case, harmed):
    participant_add(
        actor=None, case=case, person=make_person("Sam", "Support"), role=ParticipantRole.SUPPORTER
    )
    follow_up_plan(actor=None, case=case)
    assert set(CheckIn.objects.values_list("participant__role", flat=True)) == {
        "harmed",
        "responsible",
    }


def test_each_check_in_is_a_task_for_the_assigned_facilitator(cast, case, planned):
    tasks = Task.objects.filter(kind=TaskKind.FOLLOW_UP_DUE).order_by("due_on", "participant_id")
    assert [(t.participant_id, t.due_on, t.assignee) for t in tasks] == [
        (c.participant_id, c.due_on, cast.facilitator) for c in planned
    ]
    assert {t.key for t in tasks} == {f"check_in:{c.pk}" for c in planned}
    # The title names the role, never the person.
    assert all("Hana" not in t.title and "Ray" not in t.title for t in tasks)
    assert "person harmed" in tasks[0].title


def test_without_a_facilitator_the_tasks_go_to_the_coordinator(cast, case, harmed):
    case_unassign_facilitator(actor=cast.coordinator, case=case, facilitator=cast.facilitator)
    follow_up_plan(actor=None, case=case)
    tasks = Task.objects.filter(kind=TaskKind.FOLLOW_UP_DUE)
    assert set(tasks.values_list("assignee", flat=True)) == {None}


def test_planning_again_changes_nothing(cast, case, planned):
    before = domain_snapshot()
    events = AuditEvent.objects.count()
    again = follow_up_plan(actor=cast.coordinator, case=case)
    assert again == planned
    assert domain_snapshot() == before
    assert AuditEvent.objects.count() == events


def test_planning_is_audited_without_names(cast, case, planned):
    event = AuditEvent.objects.get(action="follow_up.planned")
    assert event.data["check_ins"] == [c.pk for c in CheckIn.objects.order_by("pk")]
    assert event.data["offsets_days"] == [14, 91]
    assert "Hana" not in str(event.data)


def test_someone_added_later_is_planned_on_the_next_call_and_nobody_else_twice(case, planned):
    newcomer = participant_add(
        actor=None,
        case=case,
        person=make_person("Rita", "Second", phone="+44 7700 900999"),
        role=ParticipantRole.RESPONSIBLE,
    )
    check_ins = follow_up_plan(actor=None, case=case)
    assert len(check_ins) == 6
    assert [c.offset_days for c in check_ins_of(newcomer)] == [14, 91]


@pytest.mark.gate("G9")
def test_someone_who_withdrew_from_taking_part_is_not_followed_up(cast, case, harmed, responsible):
    consent_withdraw(
        actor=cast.coordinator,
        participant=harmed,
        scope=ConsentScope.TAKE_PART,
        process_type="conference",
    )
    follow_up_plan(actor=None, case=case)
    assert check_ins_of(harmed) == []
    assert len(check_ins_of(responsible)) == 2


def test_the_programmes_own_offsets_are_used_and_nonsense_in_them_ignored(cast, case, harmed):
    ProgrammeSettings.objects.filter(programme=cast.programme).update(
        follow_up_offsets_days=[30, 7, 7, -2, 0, "soon", True]
    )
    follow_up_plan(actor=None, case=case)
    assert [c.offset_days for c in check_ins_of(harmed)] == [7, 30]


@pytest.mark.parametrize("name", ["advocate", "referrer", "evaluator", "other_supervisor"])
def test_someone_not_working_on_the_case_cannot_plan_and_nothing_changes(cast, case, name):
    before = domain_snapshot()
    with pytest.raises(PermissionRefused):
        follow_up_plan(actor=cast.users[name], case=case)
    assert domain_snapshot() == before


def test_a_closed_case_gets_no_follow_up(cast, case):
    case_close(actor=cast.coordinator, case=case, reason="not_suitable")
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        follow_up_plan(actor=None, case=case)
    assert refusal.value.message == "The case is closed; nothing more can be recorded on it."
    assert domain_snapshot() == before


def test_a_case_of_another_programme_has_its_own_offsets(cast):
    ProgrammeSettings.objects.filter(programme=cast.other_programme).update(
        follow_up_offsets_days=[28]
    )
    other = build_case(cast.other_programme)
    check_ins = follow_up_plan(actor=None, case=other)
    assert {c.offset_days for c in check_ins} == {28}
