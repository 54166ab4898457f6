"""What a new programme starts with, so it is usable from its first day (DESIGN §2, §3).

Plain data, written once into the programme's own rows by
`services.programme_setup_defaults`; from then on the programme's administrators and
supervisors change their copy, and these values never change anything already stored.
The texts are stored, not translated on display: they are the programme's own words, and
a programme publishes information sheets in other languages itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from amends.programmes.models import Endorsement, ProcessType, Terminology

# Category codes other code relies on (cases.gates checks the domestic-abuse protocol).
DOMESTIC_ABUSE = "domestic-abuse"

ASSESSMENT_VALIDITY_DAYS = 90
CONSENT_VALIDITY_DAYS = 180
DEFAULT_LANGUAGE = "en"
PROCESS_TYPES: tuple[str, ...] = tuple(ProcessType.values)
TERMINOLOGY = Terminology.HARMED_RESPONSIBLE
# Children from the age of criminal responsibility in England and Wales may take part as
# the person responsible; there is no lower limit for the person harmed (a guardian
# consents with them).
MINIMUM_AGE_RESPONSIBLE = 10


@dataclass(frozen=True)
class DefaultCategory:
    code: str
    name: str
    is_sensitive: bool = False
    allows_fast_track: bool = False
    required_endorsement: str = ""


# The sensitive ones switch on the specialist protocol: four-eyes sign-off (G5) and a
# safety plan (G7); DESIGN §2 names them.
OFFENCE_CATEGORIES: tuple[DefaultCategory, ...] = (
    DefaultCategory("property", "Property (theft, burglary, criminal damage)", False, True),
    DefaultCategory("violence", "Violence against the person"),
    DefaultCategory(
        DOMESTIC_ABUSE, "Domestic abuse", True, required_endorsement=Endorsement.DOMESTIC_ABUSE
    ),
    DefaultCategory(
        "sexual-harm", "Sexual harm", True, required_endorsement=Endorsement.SEXUAL_HARM
    ),
    DefaultCategory(
        "trafficking",
        "Human trafficking and modern slavery",
        True,
        required_endorsement=Endorsement.TRAFFICKING,
    ),
    DefaultCategory("hate-crime", "Hate crime", True, required_endorsement=Endorsement.HATE_CRIME),
    DefaultCategory(
        "child-victim", "Harm to a child", True, required_endorsement=Endorsement.YOUTH
    ),
    DefaultCategory("other", "Other"),
)

# Each answer runs from 0 (no concern) to 3 (serious concern); see AssessmentTemplate.
# Thresholds follow the practice guidance behind G4 and G8: coercive control or safety
# concerns rule out meeting face to face, and the most serious ones rule out any process.
ASSESSMENT_QUESTIONS: tuple[dict[str, Any], ...] = (
    {
        "key": "readiness",
        "text": "Readiness to take part. 0: ready and wants to go ahead; "
        "3: not ready at all (for example still in crisis, or feeling pushed into it).",
        "weight": 2,
        "none_at": 3,
    },
    {
        "key": "acknowledgment",
        "text": "Acknowledgment of responsibility. 0: the person responsible accepts the "
        "basic facts (or this person was harmed); 3: the basic facts are denied.",
        "weight": 2,
        "none_at": 3,
    },
    {
        "key": "power_imbalance",
        "text": "Power imbalance between the parties (age, dependency, status, "
        "intimidation). 0: none; 3: one party could dominate the other.",
        "weight": 3,
        "indirect_at": 2,
        "high_at": 3,
    },
    {
        "key": "coercive_control",
        "text": "Indicators of coercive control (isolation, monitoring, threats, control "
        "of money or movement). 0: none; 3: clear and current.",
        "weight": 3,
        "high_at": 2,
        "indirect_at": 2,
    },
    {
        "key": "ongoing_contact",
        "text": "Ongoing contact between the parties that could be used to put pressure "
        "on either of them. 0: none; 3: frequent and hard to avoid.",
        "weight": 1,
        "high_at": 3,
    },
    {
        "key": "safety_concerns",
        "text": "Safety concerns for anyone taking part (threats, weapons, recent "
        "violence, breach of orders). 0: none; 3: a serious and current risk.",
        "weight": 3,
        "high_at": 2,
        "indirect_at": 2,
        "none_at": 3,
    },
    {
        "key": "wellbeing",
        "text": "Emotional and mental wellbeing. 0: coping well; "
        "3: severe distress or a crisis right now.",
        "weight": 2,
        "high_at": 3,
    },
    {
        "key": "retraumatisation",
        "text": "Risk that taking part causes new harm or reopens trauma. 0: low; 3: very likely.",
        "weight": 2,
        "indirect_at": 3,
        "high_at": 3,
    },
    {
        "key": "capacity",
        "text": "Capacity to understand the process and give informed consent (age, "
        "maturity, learning needs, substance use). 0: full capacity; "
        "3: cannot give informed consent now.",
        "weight": 2,
        "indirect_at": 2,
        "none_at": 3,
    },
    {
        "key": "needs",
        "text": "Needs that must be met first (interpreter, accessibility, support "
        "person, cultural or faith needs). 0: none or all met; 3: major needs unmet.",
        "weight": 1,
    },
)
# Weighted scores run from 0 to 63: concerns across the board (every answer 1, a score
# of 21) make a case medium risk; a few serious ones make it high.
MEDIUM_THRESHOLD = 12
HIGH_THRESHOLD = 27

INFORMATION_SHEET_TITLE = "Restorative justice: what it is and what happens next"
INFORMATION_SHEET_BODY = """\
What is restorative justice?
Restorative justice gives the person harmed by a crime and the person responsible for it \
a chance to communicate, safely and with trained facilitators. It can help the person \
harmed to be heard, to ask questions and to move on, and it can help the person \
responsible to understand the effect of what they did and to put things right.

How can it happen?
It can be a meeting face to face, a conference or a circle with supporters, or it can \
happen without meeting: through letters, recorded messages, or a facilitator passing \
messages between you. You decide with your facilitator what feels right and safe. Before \
anything happens, your facilitator meets you on your own to talk it through and to check \
that it is safe.

It is your choice
Taking part is voluntary. Nobody may pressure you into it. You can say no now, and if you \
say yes you can stop at any time, for any reason, without giving one. Stopping will not \
be held against you, and it will not change any support you are entitled to.

What stays private, and what does not
What is said during the process stays within it, with a few exceptions. We must act, and \
may have to tell the police or other services, if we learn that someone is at risk of \
serious harm, that a child is at risk, or that a serious crime is planned. If we ever \
need to do this, we will tell you first whenever it is safe to do so. We only share \
information with other organisations when you agree or when the law requires it, and we \
will tell you what we share and why.

Any court or police case
Taking part does not replace any court or police case. For the person responsible, \
taking part is not evidence of guilt and cannot be used against you as evidence. A court \
or the police may be told only whether you took part and whether the process was \
completed, not what was said. For the person harmed, taking part does not affect your \
rights as a victim or any compensation you may claim.

Advice and help
You can get independent legal advice before you decide, and at any time; we can tell you \
where to find it. If you would like an interpreter, or help because of a disability or \
another need, tell us and we will arrange it free of charge. You can bring a supporter \
with you.

Questions or worries
Ask your facilitator anything, at any time. If you are unhappy with how you have been \
treated, you can complain to the programme and we will listen.
"""
