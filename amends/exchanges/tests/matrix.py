"""Matrix rows for the indirect exchange pages.

The cast's case is carried to `ready` for a letter exchange. The advocate supports the
person harmed: they see the items the person harmed wrote, and the items written for
them once passed on; never the other party's items before that, never a file withheld by
a redaction; they may record that their client read an item, nothing else.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from amends.core.testing.matrix import Route

WORKERS = frozenset({"coordinator", "supervisor", "facilitator"})
READERS = WORKERS | {"advocate"}
OUTSIDERS = frozenset(
    {"referrer", "evaluator", "administrator", "other_supervisor", "no_role", "platform_admin"}
)


def _case(cast):
    """The cast's case, put straight into `ready` for letters. A shortcut, for speed: the
    matrix runs every row for every person and tests who may do what, not the gates
    (test_items.py and test_review.py drive cases to `ready` through every gate)."""
    if "exchange_case" not in cast.__dict__:
        from amends.cases.models import Case
        from amends.exchanges.tests.helpers import add_whereabouts

        case = cast.case
        Case.objects.filter(pk=case.pk).update(stage="ready", process_type="letters")
        case.refresh_from_db()
        add_whereabouts(case)
        cast.__dict__["exchange_case"] = case
    return cast.__dict__["exchange_case"]


def _item(cast, name):
    """Items built once per test through the services: "draft", "submitted", "approved",
    "passed_on" (the person harmed's letter, with a file), and the other party's
    "theirs_waiting", "theirs_passed_on" and "theirs_redacted" (with a file)."""
    key = f"exchange_item_{name}"
    if key not in cast.__dict__:
        cast.__dict__[key] = _builders()[name](cast, _case(cast))
    return cast.__dict__[key]


def _theirs(cast, case, text="Dear Hana, I am sorry. Ray", **values):
    from amends.exchanges.tests.helpers import harmed, responsible

    return {"author": responsible(case), "recipient": harmed(case), "text": text, **values}


def _build_redacted(cast, case):
    from amends.exchanges.services import exchange_item_review
    from amends.exchanges.tests.helpers import pdf_upload, relayed, submitted

    item = submitted(cast, case, **_theirs(cast, case, attachment=pdf_upload()))
    item = exchange_item_review(
        actor=cast.facilitator,
        item=item,
        revision=item.revision,
        decision="redact",
        redacted_text="Dear Hana. Ray",
    )
    return relayed(cast, item)


def _builders():
    from amends.exchanges.tests import helpers

    return {
        "draft": lambda cast, case: helpers.write(cast, case),
        "submitted": lambda cast, case: helpers.submitted(cast, case),
        "approved": lambda cast, case: helpers.approved(cast, case),
        "passed_on": lambda cast, case: helpers.relayed(
            cast, helpers.approved(cast, case, attachment=helpers.pdf_upload())
        ),
        "theirs_waiting": lambda cast, case: helpers.submitted(cast, case, **_theirs(cast, case)),
        "theirs_passed_on": lambda cast, case: helpers.relayed(
            cast, helpers.approved(cast, case, **_theirs(cast, case))
        ),
        "theirs_redacted": _build_redacted,
    }


def _case_url(name):
    return lambda cast: reverse(f"exchanges:{name}", args=[_case(cast).reference])


def _item_url(name, item):
    return lambda cast: reverse(
        f"exchanges:{name}", args=[_case(cast).reference, _item(cast, item).pk]
    )


def _today():
    return timezone.localdate().isoformat()


def _new_item(cast):
    case = _case(cast)
    return {
        "author": case.participants.get(role="harmed").pk,
        "recipient": case.participants.get(role="responsible").pk,
        "kind": "letter",
        "text": "Dear Ray, this is what I want to say.",
    }


def _new_round(cast):
    case = _case(cast)
    return {
        "number": 1,
        "held_on": _today(),
        "facilitator": cast.facilitator.pk,
        "party": case.participants.get(role="harmed").pk,
        "method": "visit",
        "summary": "Talked through the letter.",
    }


def _post(name, item, data, allowed=WORKERS, hidden=OUTSIDERS, label=""):
    return Route(
        f"exchanges:{name}",
        "POST",
        allowed=allowed,
        hidden_from=hidden,
        allowed_status=302,
        path=_item_url(name, item),
        data=data,
        label=label,
    )


ROUTES = [
    Route("exchanges:case", "GET", allowed=READERS, hidden_from=OUTSIDERS, path=_case_url("case")),
    Route(
        "exchanges:item_add",
        "GET",
        allowed=WORKERS,
        hidden_from=OUTSIDERS,
        path=_case_url("item_add"),
    ),
    Route(
        "exchanges:item_add",
        "POST",
        allowed=WORKERS,
        hidden_from=OUTSIDERS,
        allowed_status=302,
        path=_case_url("item_add"),
        data=_new_item,
    ),
    Route(
        "exchanges:round_add",
        "POST",
        allowed=WORKERS,
        hidden_from=OUTSIDERS,
        allowed_status=302,
        path=_case_url("round_add"),
        data=_new_round,
    ),
    Route(
        "exchanges:item",
        "GET",
        allowed=READERS,
        hidden_from=OUTSIDERS,
        path=_item_url("item", "draft"),
    ),
    Route(
        "exchanges:item",
        "GET",
        allowed=WORKERS,
        hidden_from=OUTSIDERS | {"advocate"},
        path=_item_url("item", "theirs_waiting"),
        label="other party, not passed on",
    ),
    Route(
        "exchanges:item",
        "GET",
        allowed=READERS,
        hidden_from=OUTSIDERS,
        path=_item_url("item", "theirs_passed_on"),
        label="other party, passed on",
    ),
    Route(
        "exchanges:item_edit",
        "GET",
        allowed=WORKERS,
        hidden_from=OUTSIDERS,
        path=_item_url("item_edit", "draft"),
    ),
    _post(
        "item_edit",
        "draft",
        lambda cast: {"kind": "message", "text": "Dear Ray, changed."},
    ),
    _post("item_submit", "draft", lambda cast: {}),
    _post(
        "item_review",
        "submitted",
        lambda cast: {"revision": _item(cast, "submitted").revision, "decision": "approve"},
        allowed=frozenset({"facilitator"}),
    ),
    _post(
        "item_relay",
        "approved",
        lambda cast: {"method": "in_person", "relayed_on": _today()},
    ),
    _post("item_read", "passed_on", lambda cast: {"read_on": _today()}),
    _post(
        "item_read",
        "theirs_passed_on",
        lambda cast: {"read_on": _today()},
        allowed=READERS,
        label="advocate's client is the recipient",
    ),
    Route(
        "exchanges:item_file",
        "GET",
        allowed=READERS,
        hidden_from=OUTSIDERS,
        path=_item_url("item_file", "passed_on"),
    ),
    Route(
        "exchanges:item_file",
        "GET",
        allowed=WORKERS,
        hidden_from=OUTSIDERS,
        path=_item_url("item_file", "theirs_redacted"),
        label="withheld by a redaction",
    ),
]
