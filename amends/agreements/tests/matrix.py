"""Matrix rows for the agreement pages, the outcome report and the programme's list.

The advocate supports the person harmed of `cast.case`: they read the agreement items
that bind that person (the case exists for them, so work is refused with 403); nobody
else outside the case knows it exists. The referrer reads the outcome report once it
was issued to them. The catalogue is configured like the programme's settings.

The records a route needs are built when its path is drawn, before the matrix takes its
snapshot. The case is put in `process` directly (the gates that lead there have their
own tests) and everything after that goes through the services.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone

from amends.cases.tests.matrix import MANAGERS, STRANGERS, WORKERS
from amends.core.testing.matrix import Route

READERS = WORKERS | {"advocate"}
# The advocate sees the case (through their client) and is refused work on it.
HIDDEN = STRANGERS - {"advocate"}
CONFIGURERS = frozenset({"administrator", "supervisor", "platform_admin"})


def _today() -> str:
    return timezone.localdate().isoformat()


def _in_process(cast: Any) -> Any:
    from amends.cases.models import Case, StageChange

    case = cast.case
    if case.stage != "process":
        Case.objects.filter(pk=case.pk).update(stage="process")
        StageChange.objects.create(case=case, from_stage=case.stage, to_stage="process")
        case.stage = "process"
    return case


def _party(cast: Any, role: str) -> Any:
    return cast.case.participants.select_related("person").get(role=role)


def _agreement(cast: Any) -> Any:
    from amends.agreements.models import Agreement
    from amends.agreements.services import agreement_create

    case = _in_process(cast)
    existing = Agreement.objects.filter(case=case).first()
    if existing is not None:
        return existing
    return agreement_create(
        actor=cast.coordinator,
        case=case,
        responsible=_party(cast, "responsible"),
        made_on=timezone.localdate(),
    )


def _item(cast: Any, kind: str = "restitution", *, flagged: bool = False) -> Any:
    """An item of the agreement owed to the person harmed; in force unless flagged."""
    from amends.agreements.models import AgreementItem
    from amends.agreements.tests.helpers import add as add_item
    from amends.agreements.tests.helpers import apology, consent_all, restitution, work

    agreement = _agreement(cast)
    existing = AgreementItem.objects.filter(agreement=agreement, kind=kind).first()
    if existing is not None:
        return existing
    harmed = _party(cast, "harmed")
    if kind == "restitution":
        # Restitution above the documented loss is flagged (G11).
        terms = restitution(harmed, documented_loss=Decimal("100" if flagged else "150"))
    else:
        terms = work() if kind == "work" else apology(harmed)
    item = add_item(cast.coordinator, agreement, terms)
    if not flagged:
        consent_all(cast.coordinator, item)
    return item


def _reviewed(cast: Any) -> Any:
    from amends.agreements.models import ComplianceStepKind
    from amends.agreements.services import compliance_step_take

    item = _item(cast, "apology")
    compliance_step_take(item=item, step=ComplianceStepKind.REVIEW, today=timezone.localdate())
    return item


def _work_log(cast: Any) -> Any:
    from amends.agreements.services import work_hours_log

    return work_hours_log(
        actor=cast.coordinator,
        item=_item(cast, "work"),
        worked_on=timezone.localdate(),
        hours=Decimal("2"),
    )


def _issued(cast: Any) -> Any:
    from amends.agreements.services import outcome_report_issue

    _in_process(cast)
    return outcome_report_issue(actor=cast.coordinator, case=cast.case, legal_basis="consent")


def _case_url(name: str, prepare: Any = _in_process) -> Any:
    def path(cast: Any) -> str:
        prepare(cast)
        return reverse(f"agreements:{name}", args=[cast.case.reference])

    return path


def _item_url(name: str, make: Any) -> Any:
    return lambda cast: reverse(f"agreements:{name}", args=[cast.case.reference, make(cast).pk])


def _catalogue_item(cast: Any) -> Any:
    from amends.agreements.services import catalogue_item_add

    return catalogue_item_add(actor=None, programme=cast.programme, name="Mentoring")


def _work(name: str, path: Any, data: Any, *, allowed: frozenset[str] = WORKERS) -> Route:
    return Route(
        f"agreements:{name}",
        "POST",
        allowed=allowed,
        hidden_from=HIDDEN,
        allowed_status=302,
        path=path,
        data=data,
    )


def _item_data(cast: Any) -> dict[str, Any]:
    return {
        "kind": "apology",
        "terms": "A spoken apology.",
        "due_on": _today(),
        "owed_to": _party(cast, "harmed").pk,
        "apology_form": "verbal",
    }


ROUTES = [
    Route(
        "agreements:case",
        "GET",
        allowed=READERS,
        hidden_from=HIDDEN,
        path=_case_url("case", lambda cast: _item(cast)),
    ),
    _work(
        "create",
        _case_url("create"),
        lambda cast: {"responsible": _party(cast, "responsible").pk, "made_on": _today()},
    ),
    Route(
        "agreements:item_add",
        "GET",
        allowed=WORKERS,
        hidden_from=HIDDEN,
        path=_item_url("item_add", _agreement),
    ),
    _work("item_add", _item_url("item_add", _agreement), _item_data),
    Route(
        "agreements:pdf",
        "GET",
        allowed=READERS,
        hidden_from=HIDDEN,
        path=lambda cast: reverse(
            "agreements:pdf", args=[cast.case.reference, _item(cast).agreement_id]
        ),
    ),
    _work(
        "consent",
        _item_url("consent", lambda cast: _item(cast, "apology")),
        lambda cast: {
            "participant": _party(cast, "harmed").pk,
            "kind": "consent",
            "method": "on_screen",
            "signature_name": "Typed Name",
        },
    ),
    _work(
        "confirm",
        _item_url("confirm", lambda cast: _item(cast, flagged=True)),
        lambda cast: {"reason": "The loss left out the call-out fee."},
        allowed=frozenset({"supervisor"}),
    ),
    Route(
        "agreements:vary",
        "GET",
        allowed=WORKERS,
        hidden_from=HIDDEN,
        path=_item_url("vary", _item),
    ),
    _work(
        "vary",
        _item_url("vary", lambda cast: _item(cast, "apology")),
        lambda cast: {**_item_data(cast), "reason": "In person instead of a letter."},
    ),
    _work(
        "status",
        _item_url("status", lambda cast: _item(cast, "apology")),
        lambda cast: {"status": "in_progress"},
    ),
    _work(
        "payment",
        _item_url("payment", _item),
        lambda cast: {"paid_on": _today(), "amount": "10.00", "received_by": "programme"},
    ),
    _work(
        "hours",
        _item_url("hours", lambda cast: _item(cast, "work")),
        lambda cast: {"worked_on": _today(), "hours": "1.5"},
    ),
    _work(
        "verify",
        lambda cast: reverse("agreements:verify", args=[cast.case.reference, _work_log(cast).pk]),
        lambda cast: {},
    ),
    _work(
        "refer_back",
        _item_url("refer_back", _reviewed),
        lambda cast: {"referred_to": "programme", "reason": "The review agreed to refer back."},
        allowed=MANAGERS,
    ),
    # The referrer reads the report once it was issued to them; facilitators do not.
    Route(
        "agreements:report",
        "GET",
        allowed=MANAGERS | {"referrer"},
        hidden_from=(STRANGERS - {"referrer"}) | {"facilitator"},
        path=_case_url("report", _issued),
    ),
    Route(
        "agreements:report_pdf",
        "GET",
        allowed=MANAGERS | {"referrer"},
        hidden_from=(STRANGERS - {"referrer"}) | {"facilitator"},
        path=_case_url("report_pdf", _issued),
    ),
    Route(
        "agreements:report_issue",
        "POST",
        allowed=MANAGERS,
        hidden_from=STRANGERS | {"facilitator"},
        allowed_status=302,
        path=_case_url("report_issue"),
        data=lambda cast: {"legal_basis": "court_order"},
    ),
    Route(
        "agreements:catalogue",
        "GET",
        allowed=CONFIGURERS,
        hidden_from=frozenset({"other_supervisor", "no_role"}),
        path=lambda cast: reverse("agreements:catalogue", args=[cast.programme.slug]),
    ),
    Route(
        "agreements:catalogue",
        "POST",
        allowed=CONFIGURERS,
        hidden_from=frozenset({"other_supervisor", "no_role"}),
        allowed_status=302,
        path=lambda cast: reverse("agreements:catalogue", args=[cast.programme.slug]),
        data=lambda cast: {"name": "Victim-awareness course"},
    ),
    Route(
        "agreements:catalogue_offer",
        "POST",
        allowed=CONFIGURERS,
        hidden_from=frozenset({"other_supervisor", "no_role"}),
        allowed_status=302,
        path=lambda cast: reverse(
            "agreements:catalogue_offer", args=[cast.programme.slug, _catalogue_item(cast).pk]
        ),
    ),
]
