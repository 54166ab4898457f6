"""The daily sweep: a task for each assessment and each given consent that runs out within
14 days, once; tasks that are no longer needed are closed by the system (G13)."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from amends.cases.models import ParticipantRole
from amends.cases.stages import CaseStage
from amends.consent.models import ConsentScope
from amends.tasks.jobs import expiring_sweep, sweep_expiring
from amends.tasks.models import Task, TaskKind

TODAY = datetime.date(2026, 3, 4)
IN_TEN_DAYS = TODAY + datetime.timedelta(days=10)
IN_FOURTEEN_DAYS = TODAY + datetime.timedelta(days=14)
IN_FIFTEEN_DAYS = TODAY + datetime.timedelta(days=15)


@pytest.mark.gate("G13")
def test_an_assessment_running_out_within_fourteen_days_makes_a_task_for_the_coordinator(build):
    # given
    case = build.case()
    harmed = build.participant(case)
    assessment = build.assessment(harmed, valid_until=IN_TEN_DAYS)
    # when
    report = expiring_sweep(TODAY)
    # then
    (task,) = report.created
    assert task.kind == TaskKind.ASSESSMENT_EXPIRING
    assert task.due_on == IN_TEN_DAYS
    assert task.case == case
    assert task.participant == harmed
    assert task.assignee is None
    assert task.key == f"assessment:{assessment.pk}:{IN_TEN_DAYS.isoformat()}:expiring"
    assert "Person harmed" in task.title


@pytest.mark.gate("G13")
def test_the_window_is_fourteen_days_inclusive(build):
    case = build.case()
    build.assessment(build.participant(case), valid_until=IN_FOURTEEN_DAYS)
    build.assessment(
        build.participant(case, ParticipantRole.RESPONSIBLE), valid_until=IN_FIFTEEN_DAYS
    )
    report = expiring_sweep(TODAY)
    assert [task.due_on for task in report.created] == [IN_FOURTEEN_DAYS]


@pytest.mark.gate("G13")
def test_an_assessment_that_has_already_run_out_still_makes_a_task(build):
    # A sweep missed on the day it entered the window must not lose the work.
    case = build.case()
    build.assessment(build.participant(case), valid_until=TODAY - datetime.timedelta(days=3))
    (task,) = expiring_sweep(TODAY).created
    assert task.due_on == TODAY - datetime.timedelta(days=3)


@pytest.mark.gate("G13")
def test_only_the_latest_assessment_of_a_participant_counts(build):
    # given an old assessment running out and a newer one that is good for months
    harmed = build.participant(build.case())
    build.assessment(harmed, valid_until=IN_TEN_DAYS, assessed_on=TODAY - datetime.timedelta(80))
    build.assessment(harmed, valid_until=TODAY + datetime.timedelta(90), assessed_on=TODAY)
    # when / then
    assert expiring_sweep(TODAY).created == []


@pytest.mark.gate("G13")
def test_a_closed_case_needs_no_renewals(build):
    case = build.case(stage=CaseStage.CLOSED)
    harmed = build.participant(case)
    build.assessment(harmed, valid_until=IN_TEN_DAYS)
    build.consent(harmed, valid_until=IN_TEN_DAYS)
    assert expiring_sweep(TODAY).created == []


@pytest.mark.gate("G13")
def test_given_consent_running_out_makes_a_task(build):
    # given
    case = build.case()
    responsible = build.participant(case, ParticipantRole.RESPONSIBLE)
    entry = build.consent(responsible, valid_until=IN_TEN_DAYS)
    # when
    (task,) = expiring_sweep(TODAY).created
    # then
    assert task.kind == TaskKind.CONSENT_EXPIRING
    assert task.key == f"consent:{entry.pk}:expiring"
    assert task.due_on == IN_TEN_DAYS
    assert task.participant == responsible
    assert "Person responsible" in task.title
    assert "Take part in a process" in task.title


@pytest.mark.gate("G13")
def test_withdrawn_consent_makes_no_renewal_task(build):
    harmed = build.participant(build.case())
    build.consent(harmed, valid_until=IN_TEN_DAYS)
    build.consent(harmed, valid_until=None, is_given=False)
    assert expiring_sweep(TODAY).created == []


@pytest.mark.gate("G13")
def test_consent_renewed_since_makes_no_task(build):
    harmed = build.participant(build.case())
    build.consent(harmed, valid_until=IN_TEN_DAYS)
    build.consent(harmed, valid_until=TODAY + datetime.timedelta(180))
    assert expiring_sweep(TODAY).created == []


@pytest.mark.gate("G13")
def test_each_subject_of_consent_counts_on_its_own(build):
    # given consent to take part renewed, but consent to data processing running out
    harmed = build.participant(build.case())
    build.consent(harmed, valid_until=IN_TEN_DAYS)
    build.consent(harmed, valid_until=TODAY + datetime.timedelta(180))
    data = build.consent(harmed, valid_until=IN_TEN_DAYS, scope=ConsentScope.DATA_PROCESSING)
    # when
    (task,) = expiring_sweep(TODAY).created
    # then
    assert task.key == f"consent:{data.pk}:expiring"


@pytest.mark.gate("G13")
def test_the_sweep_is_idempotent(build):
    # given
    case = build.case()
    harmed = build.participant(case)
    build.assessment(harmed, valid_until=IN_TEN_DAYS)
    build.consent(harmed, valid_until=IN_TEN_DAYS)
    assert len(expiring_sweep(TODAY).created) == 2
    # when
    again = expiring_sweep(TODAY)
    tomorrow = expiring_sweep(TODAY + datetime.timedelta(days=1))
    # then
    assert again.created == tomorrow.created == []
    assert Task.objects.count() == 2


@pytest.mark.gate("G13")
def test_a_renewal_task_that_was_done_is_not_made_again(cast, build):
    from amends.tasks.services import task_complete

    harmed = build.participant(build.case())
    build.assessment(harmed, valid_until=IN_TEN_DAYS)
    (task,) = expiring_sweep(TODAY).created
    task_complete(actor=cast.coordinator, task=task)
    assert expiring_sweep(TODAY + datetime.timedelta(days=1)).created == []


@pytest.mark.gate("G13")
def test_a_renewal_task_no_longer_needed_is_closed_by_the_system(build):
    # given a task for an assessment that has since been renewed
    harmed = build.participant(build.case())
    build.assessment(harmed, valid_until=IN_TEN_DAYS, assessed_on=TODAY - datetime.timedelta(80))
    (task,) = expiring_sweep(TODAY).created
    build.assessment(harmed, valid_until=TODAY + datetime.timedelta(90), assessed_on=TODAY)
    # when
    report = expiring_sweep(TODAY + datetime.timedelta(days=1))
    # then
    assert [closed.pk for closed in report.no_longer_needed] == [task.pk]
    task.refresh_from_db()
    assert task.done_at is not None
    assert task.done_by is None


def test_tasks_made_by_people_are_never_closed_by_the_sweep(build):
    task = build.task(due_on=TODAY, kind=TaskKind.ASSESSMENT_EXPIRING)
    expiring_sweep(TODAY)
    task.refresh_from_db()
    assert task.done_at is None


def test_the_background_job_sweeps_for_today(build):
    # given
    soon = timezone.localdate() + datetime.timedelta(days=10)
    build.assessment(build.participant(build.case()), valid_until=soon)
    # when: tests run jobs at once (the immediate backend), as the worker would
    result = sweep_expiring.enqueue()
    # then
    assert result.return_value == {"created": 1, "no_longer_needed": 0}
    assert Task.objects.get().due_on == soon


def test_the_command_sweeps_for_the_given_date(build):
    build.assessment(build.participant(build.case()), valid_until=IN_TEN_DAYS)
    output = StringIO()
    call_command("sweep_tasks", "--date", TODAY.isoformat(), stdout=output)
    assert "1 tasks created" in output.getvalue()
    assert Task.objects.filter(kind=TaskKind.ASSESSMENT_EXPIRING).count() == 1
    # One daily run covers every sweep of the project.
    assert "Facilitator compliance for" in output.getvalue()
    assert "Agreements for" in output.getvalue()
    assert "Support referrals for" in output.getvalue()


def test_the_command_refuses_a_date_it_cannot_read(db):
    with pytest.raises(CommandError, match="not a date"):
        call_command("sweep_tasks", "--date", "31/02/2026")
    assert not Task.objects.exists()


def test_the_command_can_hand_the_sweep_to_the_worker(db):
    output = StringIO()
    call_command("sweep_tasks", "--enqueue", stdout=output)
    assert "Sweep queued" in output.getvalue()
    assert "Agreement sweep queued" in output.getvalue()
    assert "Support reminder sweep queued" in output.getvalue()


def test_an_expiry_task_made_by_another_service_is_never_closed_by_the_sweep(build):
    task = build.task(due_on=TODAY, kind=TaskKind.CONSENT_EXPIRING, key="participant:1:renewal")
    expiring_sweep(TODAY)
    task.refresh_from_db()
    assert task.done_at is None
