"""Every write about follow-up: `check_ins` plans and records the calls, `surveys` sends
the survey and stores the answers, `instruments` publishes versions of the surveys."""

from amends.followups.services.check_ins import (
    check_in_record,
    follow_up_not_possible,
    follow_up_plan,
)
from amends.followups.services.instruments import (
    survey_instrument_publish,
    survey_instruments_setup_defaults,
)
from amends.followups.services.surveys import (
    survey_answer,
    survey_response_record,
    survey_send,
)

__all__ = [
    "check_in_record",
    "follow_up_not_possible",
    "follow_up_plan",
    "survey_answer",
    "survey_instrument_publish",
    "survey_instruments_setup_defaults",
    "survey_response_record",
    "survey_send",
]
