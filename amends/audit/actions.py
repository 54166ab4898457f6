"""The registry of audit actions: dotted names stored in the log, labels shown to people.

Add new actions here. The database column is a plain varchar (Django's `choices` create no
database constraint), so a new action needs no migration; `audit_record` refuses names
that are not in this registry so typos cannot enter the log.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Action(models.TextChoices):
    SIGNED_IN = "account.signed_in", _("Signed in")
    SIGNED_OUT = "account.signed_out", _("Signed out")
    SIGN_IN_FAILED = "account.sign_in_failed", _("Sign-in failed")
    LOCKED_OUT = "account.locked_out", _("Locked out after failed sign-ins")
    ACCOUNT_CREATED = "account.created", _("Account created")
    ACCOUNT_DEACTIVATED = "account.deactivated", _("Account deactivated")
    MFA_ENROLLED = "account.mfa_enrolled", _("Second factor set up")
    MFA_REMOVED = "account.mfa_removed", _("Second factor removed")
    RECOVERY_CODES_GENERATED = "account.recovery_codes_generated", _("Recovery codes generated")
    REAUTHENTICATED = "account.reauthenticated", _("Confirmed identity again")
    PASSWORD_CHANGED = "account.password_changed", _("Password changed")
    MEMBERSHIP_GRANTED = "membership.granted", _("Role granted")
    MEMBERSHIP_REVOKED = "membership.revoked", _("Role removed")
    ORGANISATION_CREATED = "organisation.created", _("Organisation created")
    ORGANISATION_UPDATED = "organisation.updated", _("Organisation changed")
    PROGRAMME_CREATED = "programme.created", _("Programme created")
    PROGRAMME_UPDATED = "programme.updated", _("Programme changed")
    PERSON_CREATED = "person.created", _("Person added")
    PERSON_UPDATED = "person.updated", _("Person's details changed")
    PERSON_VIEWED = "person.viewed", _("Person's record viewed")
    CONTACT_CHANNEL_ADDED = "contact_channel.added", _("Contact channel added")
    PROGRAMME_SETTINGS_CHANGED = "programme.settings_changed", _("Programme settings changed")
    OFFENCE_CATEGORY_ADDED = "offence_category.added", _("Offence category added")
    OFFENCE_CATEGORY_CHANGED = "offence_category.changed", _("Offence category changed")
    ELIGIBILITY_POLICY_VERSIONED = (
        "eligibility_policy.versioned",
        _("New eligibility policy version"),
    )
    ASSESSMENT_TEMPLATE_VERSIONED = (
        "assessment_template.versioned",
        _("New assessment template version"),
    )
    INFORMATION_SHEET_VERSIONED = "information_sheet.versioned", _("New information sheet version")
    REFERRAL_RECEIVED = "referral.received", _("Referral received")
    REFERRAL_DECIDED = "referral.decided", _("Eligibility decided")
    CASE_OPENED = "case.opened", _("Case opened")
    CASE_VIEWED = "case.viewed", _("Case viewed")
    CASE_MOVED = "case.moved", _("Case moved to another stage")
    CASE_PAUSED = "case.paused", _("Case paused")
    CASE_RESUMED = "case.resumed", _("Case resumed")
    CASE_CLOSED = "case.closed", _("Case closed")
    CASE_UPDATED = "case.updated", _("Case details changed")
    CASE_SEARCHED = "case.searched", _("Cases searched by a person's details")
    PARTICIPANT_ADDED = "participant.added", _("Participant added")
    PARTICIPANT_UPDATED = "participant.updated", _("Participant changed")
    FACILITATOR_ASSIGNED = "case.facilitator_assigned", _("Facilitator assigned")
    FACILITATOR_UNASSIGNED = "case.facilitator_unassigned", _("Facilitator unassigned")
    CONTACT_RECORDED = "contact.recorded", _("Contact recorded")
    INFORMATION_GIVEN = "information.given", _("Information sheet given")
    ACKNOWLEDGMENT_RECORDED = "acknowledgment.recorded", _("Acknowledgment recorded")
    ASSESSMENT_RECORDED = "assessment.recorded", _("Assessment recorded")
    ASSESSMENT_RISK_OVERRIDDEN = "assessment.risk_overridden", _("Risk level overridden")
    SIGN_OFF_RECORDED = "sign_off.recorded", _("Supervisor sign-off recorded")
    CONSENT_GIVEN = "consent.given", _("Consent given")
    CONSENT_WITHDRAWN = "consent.withdrawn", _("Consent withdrawn")
    SAFETY_PLAN_SAVED = "safety_plan.saved", _("Safety plan saved")
    CONFLICT_DECLARED = "conflict.declared", _("Conflict of interest declared")
    # facilitators (profiles, records, matching): add below this line
    FACILITATOR_PROFILE_VIEWED = "facilitator.profile_viewed", _("Facilitator profile viewed")
    FACILITATOR_PROFILE_UPDATED = "facilitator.profile_updated", _("Facilitator profile updated")
    TRAINING_RECORDED = "facilitator.training_recorded", _("Training recorded")
    AVAILABILITY_ADDED = "facilitator.availability_added", _("Availability added")
    AVAILABILITY_REMOVED = "facilitator.availability_removed", _("Availability removed")
    AWAY_ADDED = "facilitator.away_added", _("Period away added")
    AWAY_REMOVED = "facilitator.away_removed", _("Period away removed")
    ACCREDITATION_RECORDED = "facilitator.accreditation_recorded", _("Accreditation recorded")
    ENDORSEMENT_RECORDED = "facilitator.endorsement_recorded", _("Endorsement recorded")
    SUPERVISION_RECORDED = "facilitator.supervision_recorded", _("Supervision recorded")
    OBSERVED_PRACTICE_RECORDED = (
        "facilitator.observed_practice_recorded",
        _("Observed practice recorded"),
    )
    # meetings: add below this line
    VENUE_ADDED = "venue.added", _("Venue added")
    VENUE_CHANGED = "venue.changed", _("Venue changed")
    MEETING_SCHEDULED = "meeting.scheduled", _("Meeting scheduled")
    MEETING_MOVED = "meeting.moved", _("Meeting moved")
    MEETING_POSTPONED = "meeting.postponed", _("Meeting postponed")
    MEETING_CANCELLED = "meeting.cancelled", _("Meeting cancelled")
    MEETING_SAFETY_CHECKED = "meeting.safety_checked", _("Pre-meeting safety check done")
    MEETING_RECORDED = "meeting.recorded", _("Session recorded")
    MEETING_CONCERN_ESCALATED = "meeting.concern_escalated", _("Safeguarding concern passed on")
    MEETING_REMINDER_SENT = "meeting.reminder_sent", _("Meeting reminder sent")
    # exchanges: add below this line
    EXCHANGE_ITEM_CREATED = "exchange.item_created", _("Exchange item written down")
    EXCHANGE_ITEM_EDITED = "exchange.item_edited", _("Exchange item changed")
    EXCHANGE_ITEM_SUBMITTED = "exchange.item_submitted", _("Exchange item sent for review")
    EXCHANGE_ITEM_REVIEWED = "exchange.item_reviewed", _("Exchange item reviewed")
    EXCHANGE_ITEM_RELAYED = "exchange.item_relayed", _("Exchange item passed on")
    EXCHANGE_ITEM_READ = "exchange.item_read", _("Exchange item read by its recipient")
    SHUTTLE_ROUND_RECORDED = "exchange.shuttle_round", _("Shuttle round recorded")
    # agreements and outcome reports: add below this line
    AGREEMENT_CREATED = "agreement.created", _("Agreement drafted")
    AGREEMENT_VIEWED = "agreement.viewed", _("Agreement viewed")
    AGREEMENT_PRINTED = "agreement.printed", _("Agreement printed (PDF)")
    AGREEMENT_ITEM_ADDED = "agreement.item_added", _("Agreement item added")
    AGREEMENT_ITEM_VARIED = "agreement.item_varied", _("Agreement item varied")
    AGREEMENT_ITEM_CONFIRMED = "agreement.item_confirmed", _("Flagged agreement item confirmed")
    AGREEMENT_ITEM_STATUS_CHANGED = "agreement.item_status_changed", _("Agreement item status")
    AGREEMENT_PAYMENT_RECORDED = "agreement.payment_recorded", _("Restitution payment recorded")
    AGREEMENT_HOURS_LOGGED = "agreement.hours_logged", _("Hours of work recorded")
    AGREEMENT_HOURS_VERIFIED = "agreement.hours_verified", _("Hours of work verified")
    AGREEMENT_ITEM_FOLLOWED_UP = "agreement.item_followed_up", _("Overdue agreement item: step")
    AGREEMENT_ITEM_REFERRED_BACK = "agreement.item_referred_back", _("Agreement item referred back")
    AGREEMENT_CATALOGUE_CHANGED = "agreement.catalogue_changed", _("Agreement item list changed")
    OUTCOME_REPORT_VIEWED = "outcome_report.viewed", _("Outcome report viewed")
    OUTCOME_REPORT_ISSUED = "outcome_report.issued", _("Outcome report issued to the referrer")
    # followups and surveys: add below this line
    FOLLOW_UP_PLANNED = "follow_up.planned", _("Follow-up check-ins planned")
    CHECK_IN_RECORDED = "follow_up.check_in_recorded", _("Follow-up check-in recorded")
    FOLLOW_UP_NOT_POSSIBLE = "follow_up.not_possible", _("Follow-up recorded as not possible")
    SURVEY_INSTRUMENT_VERSIONED = "survey_instrument.versioned", _("New survey version")
    SURVEY_SENT = "survey.sent", _("Survey link sent")
    SURVEY_ANSWERED = "survey.answered", _("Survey answered")
    # support referrals: add below this line
    SUPPORT_PARTNER_ADDED = "support.partner_added", _("Support partner added")
    SUPPORT_PARTNER_CHANGED = "support.partner_changed", _("Support partner changed")
    SUPPORT_REFERRAL_SENT = "support.referral_sent", _("Referred to a support partner")
    SUPPORT_REFERRAL_CHANGED = "support.referral_changed", _("Support referral updated")
    TASK_CREATED = "task.created", _("Task created")
    TASK_COMPLETED = "task.completed", _("Task completed")
    KEYS_ROTATED = "crypto.keys_rotated", _("Encryption keys rotated")
    AUDIT_VIEWED = "audit.viewed", _("Audit log viewed")
    AUDIT_VERIFIED = "audit.verified", _("Audit log verified")
    ACCESS_REFUSED = "access.refused", _("Access refused")


def action_choices() -> list[tuple[str, StrOrPromise]]:
    """The model field's choices, by reference: migrations store this function's name,
    not the list, so adding an action needs no migration (and `makemigrations --check`
    stays quiet)."""
    return list(Action.choices)
