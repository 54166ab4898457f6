"""Every write to agreements (CONVENTIONS "Services: the only writers"): drafting
(agreements, items, variations, confirmation), monitoring (payments, hours, status,
referral back), the daily compliance sweep, the outcome report, the catalogue."""

from amends.agreements.services.catalogue import (
    catalogue_item_add,
    catalogue_item_set_offered,
    catalogue_setup_defaults,
)
from amends.agreements.services.compliance import (
    ComplianceSweepReport,
    agreement_compliance_sweep,
    compliance_step_take,
)
from amends.agreements.services.drafting import (
    agreement_create,
    agreement_item_add,
    agreement_item_confirm,
    agreement_item_vary,
)
from amends.agreements.services.monitoring import (
    agreement_item_refer_back,
    agreement_item_set_status,
    payment_record,
    work_hours_log,
    work_hours_verify,
)
from amends.agreements.services.reporting import outcome_report_issue

__all__ = [
    "ComplianceSweepReport",
    "agreement_compliance_sweep",
    "agreement_create",
    "agreement_item_add",
    "agreement_item_confirm",
    "agreement_item_refer_back",
    "agreement_item_set_status",
    "agreement_item_vary",
    "catalogue_item_add",
    "catalogue_item_set_offered",
    "catalogue_setup_defaults",
    "compliance_step_take",
    "outcome_report_issue",
    "payment_record",
    "work_hours_log",
    "work_hours_verify",
]
