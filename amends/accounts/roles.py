"""The roles of DESIGN §1 and what each one may do, in one place."""

from __future__ import annotations

from django.db import models
from django.utils.functional import Promise as StrPromise
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    SUPERVISOR = "supervisor", _("Supervisor")
    FACILITATOR = "facilitator", _("Facilitator")
    ADVOCATE = "advocate", _("Victim advocate")
    REFERRER = "referrer", _("Referrer")
    EVALUATOR = "evaluator", _("Evaluator")


# What the home page tells each role it can do, in plain words. The permission policies,
# not this text, decide; tests check the two agree where a page exists.
ROLE_DESCRIPTIONS: dict[Role, StrPromise] = {
    Role.ADMINISTRATOR: _(
        "Manage the programme's members and their roles, and read the programme's audit log."
    ),
    Role.COORDINATOR: _("Take referrals, run the programme's cases, schedule and monitor."),
    Role.SUPERVISOR: _(
        "Sign off high-risk and sensitive cases, review practice, read the audit log."
    ),
    Role.FACILITATOR: _("Prepare participants and hold meetings for the cases assigned to you."),
    Role.ADVOCATE: _("Support one participant and see that person's part of their case."),
    Role.REFERRER: _("Send referrals and follow the status of the referrals you made."),
    Role.EVALUATOR: _("See aggregate outcomes, with small numbers suppressed."),
}

AUDIT_READER_ROLES: frozenset[Role] = frozenset({Role.ADMINISTRATOR, Role.SUPERVISOR})
MEMBER_MANAGER_ROLES: frozenset[Role] = frozenset({Role.ADMINISTRATOR})
MEMBER_READER_ROLES: frozenset[Role] = frozenset({Role.ADMINISTRATOR, Role.SUPERVISOR})
