"""Every write about facilitators (CONVENTIONS "Services: the only writers").

- `own`: what a facilitator keeps up to date themselves (details, training, week, away);
- `records`: evidence others record (accreditation, endorsements, supervision, observed
  practice);
- `conflicts`: declared conflicts of interest with a person, a place or an organisation;
- `alerts`: the daily compliance sweep's tasks and e-mails.
"""

from amends.facilitators.services.alerts import AlertReport, compliance_alerts_sync
from amends.facilitators.services.conflicts import conflict_declare
from amends.facilitators.services.own import (
    availability_add,
    availability_remove,
    away_add,
    away_remove,
    profile_update,
    training_add,
)
from amends.facilitators.services.records import (
    accreditation_record,
    endorsement_record,
    observed_practice_record,
    supervision_record,
)

__all__ = [
    "AlertReport",
    "accreditation_record",
    "availability_add",
    "availability_remove",
    "away_add",
    "away_remove",
    "compliance_alerts_sync",
    "conflict_declare",
    "endorsement_record",
    "observed_practice_record",
    "profile_update",
    "supervision_record",
    "training_add",
]
