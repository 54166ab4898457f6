"""Reads about agreements (see `facts` for what the workflow, the consent app and the
services rely on, and `pages` for the agreement pages).

Selectors do not decide who may see what: views load the case through the app's policies
first. Totals are always sums of rows, never stored. Labels: staff see participants'
names as on the case page; an advocate sees their client's name and every other party
only by role; documents (the PDF, the outcome report) name parties by role only, because
a printed agreement travels further than the screen.
"""

from amends.agreements.selectors.facts import (
    AgreementStatus,
    agreement_consent_problems,
    agreement_item_subject,
    agreement_status,
    bound_participant_ids,
    earliest_agreement_date,
    hours_logged,
    item_facts,
    item_label,
    role_labels,
    total_paid,
)
from amends.agreements.selectors.pages import (
    AgreementView,
    ItemView,
    PartyLine,
    agreement_for_case,
    agreement_views,
    catalogue_for,
    client_ids,
    harmed_participants,
    item_for_case,
    items_past_due,
    outcome_report_issues,
    responsible_without_agreement,
    work_log_for_case,
)

__all__ = [
    "AgreementStatus",
    "AgreementView",
    "ItemView",
    "PartyLine",
    "agreement_consent_problems",
    "agreement_for_case",
    "agreement_item_subject",
    "agreement_status",
    "agreement_views",
    "bound_participant_ids",
    "catalogue_for",
    "client_ids",
    "earliest_agreement_date",
    "harmed_participants",
    "hours_logged",
    "item_facts",
    "item_for_case",
    "item_label",
    "items_past_due",
    "outcome_report_issues",
    "responsible_without_agreement",
    "role_labels",
    "total_paid",
    "work_log_for_case",
]
