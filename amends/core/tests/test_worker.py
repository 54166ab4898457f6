"""Background jobs go through the real database queue and the worker command runs them."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from amends.accounts import jobs

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
def test_a_queued_invitation_waits_in_the_database_until_the_worker_sends_it(cast):
    with override_settings(TASKS=DATABASE_QUEUE):
        jobs.send_invitation.enqueue(user_id=cast.no_role.pk)
        assert DBTaskResult.objects.count() == 1
        assert mail.outbox == []

        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    assert [message.to for message in mail.outbox] == [["no_role@example.org"]]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
