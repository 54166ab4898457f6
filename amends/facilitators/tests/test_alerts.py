"""The compliance sweep: tasks for the coordinators and an e-mail to the facilitator 30,
14 and 0 days before a lapse, each made once, closed when no longer needed."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from amends.accounts.models import Membership
from amends.facilitators.jobs import sweep_facilitator_compliance
from amends.facilitators.services import compliance_alerts_sync
from amends.tasks.models import Task, TaskKind

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 4)
D = datetime.timedelta


def sweep(day, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return compliance_alerts_sync(today=day)


@pytest.fixture
def nia(roster):
    """Accredited until 3 April 2026 (30 days after DAY), supervised long ago enough
    that supervision is not due within a month."""
    user = roster.facilitator("Nia")
    roster.accreditation(user, DAY - D(days=700), DAY + D(days=30))
    roster.supervision(user, DAY - D(days=10))
    return user


def tasks_of(user, what="accreditation"):
    return Task.objects.filter(key__startswith=f"facilitator:{user.pk}:{what}:").order_by("pk")


def about(report, user, what="accreditation"):
    return [
        task for task in report.created if task.key.startswith(f"facilitator:{user.pk}:{what}:")
    ]


def test_thirty_days_before_an_accreditation_lapses_the_coordinators_get_a_task(
    cast, nia, django_capture_on_commit_callbacks
):
    # when
    report = sweep(DAY, django_capture_on_commit_callbacks)
    # then
    (task,) = report.created
    assert task.kind == TaskKind.FACILITATOR_COMPLIANCE
    assert (task.programme, task.case, task.assignee) == (cast.programme, None, None)
    assert task.due_on == DAY + D(days=30)
    assert task.title == "The accreditation of Nia runs out on 2026-04-03"
    assert task.key == f"facilitator:{nia.pk}:accreditation:2026-04-03:30:p{cast.programme.pk}"


def test_the_facilitator_gets_an_email_about_their_own_standing(
    cast, nia, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    sweep(DAY, django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert message.to == [nia.email]
    assert "Your accreditation runs out on 2026-04-03." in message.body
    assert "/facilitators/me/" in message.body


def test_running_the_sweep_again_makes_nothing_twice(cast, nia, django_capture_on_commit_callbacks):
    sweep(DAY, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    again = sweep(DAY, django_capture_on_commit_callbacks)
    later = sweep(DAY + D(days=1), django_capture_on_commit_callbacks)
    assert (again.created, later.created) == ([], [])
    assert mail.outbox == []
    assert tasks_of(nia).count() == 1


def test_fourteen_and_zero_days_before_a_new_alert_replaces_the_earlier_one(
    cast, nia, django_capture_on_commit_callbacks
):
    # given: the 30-day alert
    sweep(DAY, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    # when: 14 days before
    report = sweep(DAY + D(days=16), django_capture_on_commit_callbacks)
    # then
    (fourteen,) = report.created
    assert fourteen.key.endswith(f":14:p{cast.programme.pk}")
    assert report.no_longer_needed == 1
    assert len(mail.outbox) == 1
    # when: on the day
    report = sweep(DAY + D(days=30), django_capture_on_commit_callbacks)
    (zero,) = report.created
    assert zero.key.endswith(f":0:p{cast.programme.pk}")
    assert zero.title == "The accreditation of Nia runs out on 2026-04-03"
    # then: three alerts made in all, only the last one still open
    assert [task.done_at is None for task in tasks_of(nia)] == [False, False, True]


def test_a_lapse_first_seen_ten_days_ahead_makes_the_fourteen_day_alert_only(
    cast, nia, django_capture_on_commit_callbacks
):
    report = sweep(DAY + D(days=20), django_capture_on_commit_callbacks)
    assert [task.key.split(":")[4] for task in report.created] == ["14"]


def test_a_lapse_missed_by_the_sweep_is_still_alerted_soon_after(
    cast, nia, django_capture_on_commit_callbacks
):
    report = sweep(DAY + D(days=35), django_capture_on_commit_callbacks)
    (task,) = report.created
    assert task.title == "The accreditation of Nia ran out on 2026-04-03"
    assert "Your accreditation ran out on 2026-04-03." in mail.outbox[-1].body


def test_a_lapse_long_past_makes_no_alert(cast, nia, django_capture_on_commit_callbacks):
    report = sweep(DAY + D(days=61), django_capture_on_commit_callbacks)
    assert about(report, nia) == []
    # ... though a month before, it still did.
    assert about(sweep(DAY + D(days=60), django_capture_on_commit_callbacks), nia) != []


def test_a_renewal_closes_the_open_alert(cast, roster, nia, django_capture_on_commit_callbacks):
    sweep(DAY, django_capture_on_commit_callbacks)
    roster.accreditation(nia, DAY + D(days=31), DAY + D(days=1000))
    report = sweep(DAY + D(days=1), django_capture_on_commit_callbacks)
    assert (report.created, report.no_longer_needed) == ([], 1)
    assert not tasks_of(nia).filter(done_at__isnull=True).exists()


def test_an_alert_still_open_after_the_lapse_stays_open(
    cast, nia, django_capture_on_commit_callbacks
):
    # Nobody renewed: the last alert must not disappear when the catch-up window ends.
    sweep(DAY + D(days=30), django_capture_on_commit_callbacks)
    sweep(DAY + D(days=90), django_capture_on_commit_callbacks)
    assert tasks_of(nia).filter(done_at__isnull=True).count() == 1


def test_supervision_due_within_fourteen_days_is_alerted(
    cast, roster, django_capture_on_commit_callbacks
):
    omar = roster.facilitator("Omar")
    roster.accreditation(omar, DAY - D(days=100), DAY + D(days=500))
    roster.supervision(omar, DAY - D(days=74))  # due 84 days after: in 10 days
    report = sweep(DAY, django_capture_on_commit_callbacks)
    (task,) = about(report, omar, "supervision")
    assert task.title == "Supervision of Omar is due by 2026-03-14"
    assert "Your next supervision is due by 2026-03-14." in mail.outbox[-1].body


def test_an_endorsement_running_out_is_alerted(cast, roster, django_capture_on_commit_callbacks):
    omar = roster.facilitator("Omar")
    roster.accreditation(omar, DAY - D(days=100), DAY + D(days=500))
    roster.supervision(omar, DAY)
    roster.endorsement(omar, "domestic_abuse", valid_from=DAY - D(days=100), valid_to=DAY)
    (task,) = sweep(DAY, django_capture_on_commit_callbacks).created
    assert task.title == "The Domestic abuse endorsement of Omar runs out on 2026-03-04"


def test_cpd_hours_and_observed_practice_are_alerted_before_the_year_ends(
    cast, roster, django_capture_on_commit_callbacks
):
    omar = roster.facilitator("Omar")
    december = datetime.date(2026, 12, 1)
    roster.accreditation(omar, december - D(days=100), december + D(days=500))
    roster.supervision(omar, december)
    roster.training(omar, datetime.date(2026, 5, 1), "4")
    report = sweep(december, django_capture_on_commit_callbacks)
    titles = sorted(
        task.title for task in about(report, omar, "cpd") + about(report, omar, "observed")
    )
    assert titles == [
        "Omar needs an observed session by 2026-12-31",
        "Omar needs more CPD hours by 2026-12-31",
    ]


def test_a_facilitator_of_two_programmes_makes_a_task_in_each_and_one_email(
    cast, roster, nia, django_capture_on_commit_callbacks
):
    Membership.objects.create(user=nia, programme=cast.other_programme, role="facilitator")
    mail.outbox.clear()
    report = sweep(DAY, django_capture_on_commit_callbacks)
    assert sorted(task.programme_id for task in report.created) == sorted(
        [cast.programme.pk, cast.other_programme.pk]
    )
    assert len(mail.outbox) == 1


def test_someone_who_no_longer_facilitates_has_their_open_alerts_closed(
    cast, nia, django_capture_on_commit_callbacks
):
    sweep(DAY, django_capture_on_commit_callbacks)
    Membership.objects.filter(user=nia).delete()
    report = sweep(DAY + D(days=1), django_capture_on_commit_callbacks)
    assert report.no_longer_needed == 1


def test_tasks_of_other_kinds_or_keys_are_never_closed_by_the_sweep(
    cast, nia, django_capture_on_commit_callbacks
):
    other = Task.objects.create(
        programme=cast.programme,
        kind=TaskKind.FACILITATOR_COMPLIANCE,
        title="Book Nia's refresher",
        due_on=DAY,
        key="refresher:nia",
    )
    sweep(DAY, django_capture_on_commit_callbacks)
    other.refresh_from_db()
    assert other.done_at is None


def test_the_alert_email_goes_through_a_real_smtp_server(
    cast, nia, smtp_server, django_capture_on_commit_callbacks
):
    sweep(DAY, django_capture_on_commit_callbacks)
    (message,) = smtp_server.messages
    assert message["To"] == nia.email
    assert "Your accreditation runs out on 2026-04-03." in message.get_content()
    assert "http://testserver/facilitators/me/" in message.get_content()


def test_the_daily_command_runs_the_compliance_sweep_for_the_given_date(cast, nia):
    output = StringIO()
    call_command("sweep_tasks", "--date", DAY.isoformat(), stdout=output)
    assert "Facilitator compliance for 2026-03-04: 1 alerts made" in output.getvalue()
    assert tasks_of(nia).count() == 1


def test_the_command_hands_the_compliance_sweep_to_the_worker_too(cast):
    output = StringIO()
    call_command("sweep_tasks", "--enqueue", stdout=output)
    assert "Facilitator compliance sweep queued" in output.getvalue()


def test_the_background_job_sweeps_for_today(cast, roster):
    today = timezone.localdate()
    omar = roster.facilitator("Omar")
    roster.accreditation(omar, today - D(days=100), today + D(days=5))
    roster.supervision(omar, today)
    result = sweep_facilitator_compliance.enqueue()
    assert result.return_value["created"] >= 1
    assert Task.objects.filter(key__startswith=f"facilitator:{omar.pk}:accreditation:").exists()
