"""The tasks the agreements app makes (G13) and closes when their work is done."""

from __future__ import annotations

from collections.abc import Iterable

from amends.accounts.models import User
from amends.agreements.models import AgreementItem
from amends.tasks.models import Task
from amends.tasks.services import tasks_complete_by_key

ALL_STEPS = ("confirm", "reminder", "review")


def item_task_key(item: AgreementItem, step: str, who: str = "") -> str:
    """`agreement-item:12:reminder`, `agreement-item:12:confirm:7` (one per supervisor)."""
    return f"agreement-item:{item.pk}:{step}" + (f":{who}" if who else "")


def complete_item_tasks(
    item: AgreementItem, *, actor: User | None, steps: Iterable[str] = ALL_STEPS
) -> int:
    """Complete the item's open tasks for `steps`: the work they asked for is done or no
    longer needed (confirmed, completed, varied, waived, referred back)."""
    prefixes = tuple(item_task_key(item, step) for step in steps)
    keys = {
        key
        for key in Task.objects.filter(
            key__startswith=f"agreement-item:{item.pk}:", done_at__isnull=True
        ).values_list("key", flat=True)
        if key.startswith(prefixes)
    }
    return sum(tasks_complete_by_key(actor=actor, key=key) for key in sorted(keys))
