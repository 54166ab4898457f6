"""`manage.py generate_data`: shape, determinism, encryption, audit chain, bench users,
and its refusals. One small dataset (150 cases) is generated per test that needs one."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone

from amends.accounts.models import Membership, User
from amends.audit.actions import Action
from amends.audit.chain import verify_chain
from amends.audit.models import AuditEvent
from amends.cases.listing import reference_from_text
from amends.cases.models import Case, FacilitatorAssignment, Participant, StageChange
from amends.cases.stages import OPEN_STAGES, CaseStage
from amends.crypto.keys import decrypt_str
from amends.people.models import Person
from amends.people.selectors import person_find_by_name
from amends.programmes.models import Programme
from amends.referrals.models import Decision, Referral

pytestmark = pytest.mark.django_db

CASES = 150
COVERED = (
    "accounts.User",
    "accounts.Membership",
    "programmes.Organisation",
    "programmes.Programme",
    "programmes.ProgrammeSettings",
    "programmes.OffenceCategory",
    "programmes.EligibilityPolicy",
    "programmes.AssessmentTemplate",
    "programmes.InformationSheet",
    "people.Person",
    "people.ContactChannel",
    "referrals.Referral",
    "referrals.Offence",
    "cases.Case",
    "cases.StageChange",
    "cases.Participant",
    "cases.FacilitatorAssignment",
    "cases.ContactLog",
    "cases.InformationGiven",
    "cases.Acknowledgment",
    "assessments.Assessment",
    "assessments.SignOff",
    "consent.ConsentEntry",
    "safety.SafetyPlan",
    "facilitators.FacilitatorProfile",
    "facilitators.Accreditation",
    "facilitators.EndorsementRecord",
    "facilitators.TrainingRecord",
    "facilitators.SupervisionSession",
    "facilitators.ObservedPractice",
    "facilitators.AvailabilitySlot",
    "tasks.Task",
    "meetings.Venue",
    "meetings.Meeting",
    "meetings.Attendee",
    "meetings.SessionRecord",
    "meetings.ReminderSent",
    "exchanges.ShuttleRound",
    "agreements.CatalogueItem",
    "agreements.Agreement",
    "agreements.AgreementItem",
    "agreements.Payment",
    "agreements.WorkLog",
    "support.Partner",
    "support.SupportReferral",
    "support.ReferralEvent",
    "audit.AuditEvent",
)


def _generate(tmp_path: Path, *extra: str, seed: int = 1) -> dict[str, Any]:
    credentials = tmp_path / f"credentials-{seed}.json"
    output = io.StringIO()
    call_command(
        "generate_data",
        "--cases",
        str(CASES),
        "--seed",
        str(seed),
        "--no-progress",
        "--credentials",
        str(credentials),
        *extra,
        stdout=output,
    )
    return {"output": output.getvalue(), "credentials": json.loads(credentials.read_text())}


@pytest.fixture
def generated(tmp_path: Path) -> dict[str, Any]:
    return _generate(tmp_path)


def test_counts_and_shape(generated: dict[str, Any]) -> None:
    assert Case.objects.count() == CASES
    referrals = Referral.objects.count()
    # 20–30% of referrals become cases; the rest were declined at intake (or still wait).
    assert 0.2 <= CASES / referrals <= 0.3
    assert (
        not Referral.objects.filter(case__isnull=True)
        .exclude(decision__in=[Decision.DECLINED, Decision.PENDING])
        .exists()
    )
    stages = set(Case.objects.values_list("stage", flat=True))
    assert set(OPEN_STAGES) | {CaseStage.PAUSED, CaseStage.CLOSED} <= stages
    closed = Case.objects.filter(stage=CaseStage.CLOSED)
    assert closed.count() / CASES >= 0.8
    assert not closed.filter(closed_at__isnull=True).exists()
    assert not closed.filter(closure_reason="").exists()
    open_cases = Case.objects.exclude(stage=CaseStage.CLOSED)
    assert not open_cases.filter(next_action_due__isnull=True).exists()
    assert not open_cases.exclude(closed_at__isnull=True).exists()
    # Ten years of history, in order: each case's stage changes follow one another.
    first = Case.objects.order_by("created_at").first()
    last = Case.objects.order_by("-created_at").first()
    assert first is not None
    assert last is not None
    assert (last.created_at - first.created_at).days > 365 * 8
    for case in Case.objects.all()[:40]:
        moves = list(StageChange.objects.filter(case=case).order_by("created_at", "id"))
        assert moves[0].to_stage == CaseStage.REFERRED
        assert moves[-1].to_stage == case.stage
        assert all(a.to_stage == b.from_stage for a, b in zip(moves, moves[1:], strict=False))
    assert Participant.objects.count() >= 2 * CASES
    assert Programme.objects.count() >= 2
    # Uneven caseloads (Zipf-like weights): the busiest coordinator carries at least twice
    # the median load, even in a sample this small.
    loads = sorted(_loads())
    assert loads[-1] >= 2 * loads[len(loads) // 2]
    # Every model the generator covers has rows, even in a small dataset.
    for label in COVERED:
        assert apps.get_model(label)._base_manager.exists(), label
    assert "Rows per table" in generated["output"]
    assert "Total:" in generated["output"]


def _loads() -> list[int]:
    from django.db.models import Count

    return [
        row["n"] for row in Case.objects.values("coordinator").annotate(n=Count("id")).order_by()
    ]


def _plain_snapshot() -> dict[str, list[Any]]:
    return {
        "cases": list(
            Case.objects.order_by("id").values_list(
                "id",
                "reference",
                "stage",
                "programme_id",
                "coordinator_id",
                "created_at",
                "closed_at",
                "next_action_due",
            )
        ),
        "people": list(Person.objects.order_by("id").values_list("id", "name_index", "created_at")),
        "users": list(User.objects.order_by("id").values_list("id", "email", "full_name")),
        # Without the id: PostgreSQL's sequence does not roll back between the runs.
        "audit": list(
            AuditEvent.objects.order_by("id").values_list(
                "action", "target_id", "occurred_at", "hash"
            )[:2000]
        ),
    }


def test_same_seed_same_data_whatever_the_workers_other_seed_other_data(tmp_path: Path) -> None:
    snapshots = []
    for seed, workers in ((1, 1), (1, 2), (2, 1)):
        with transaction.atomic():
            _generate(tmp_path, "--workers", str(workers), seed=seed)
            snapshots.append(_plain_snapshot())
            transaction.set_rollback(True)
    # One process or two making the chunks: the same rows, keys and audit chain.
    assert snapshots[0] == snapshots[1]
    assert snapshots[0]["cases"] != snapshots[2]["cases"]


def _schema() -> dict[str, Any]:
    with connection.cursor() as cursor:
        return {
            table: connection.introspection.get_constraints(cursor, table)
            for table in connection.introspection.table_names(cursor)
        }


def test_indexes_and_foreign_keys_dropped_for_the_load_are_all_back(tmp_path: Path) -> None:
    before = _schema()
    assert any(
        constraint["foreign_key"] for table in before.values() for constraint in table.values()
    )
    _generate(tmp_path, "--workers", "2")
    after = _schema()
    # ANALYZE may add SQLite's statistics table; every table there before is as it was.
    assert {table: after[table] for table in before} == before


def test_personal_fields_are_encrypted_and_searchable(generated: dict[str, Any]) -> None:
    person = Person.objects.order_by("id")[7]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT given_name, family_name FROM people_person WHERE id = %s", [person.pk]
        )
        stored_given, stored_family = cursor.fetchone()
    assert stored_given != person.given_name
    assert stored_given.startswith("gAAAA")  # a Fernet token
    assert decrypt_str(stored_given) == person.given_name
    assert decrypt_str(stored_family) == person.family_name
    found = person_find_by_name(f"{person.given_name} {person.family_name}")
    assert person in found
    # Names are multilingual: some carry diacritics.
    names = [p.family_name + p.given_name for p in Person.objects.all()[:400]]
    assert any(not name.isascii() for name in names)


def test_every_case_reference_is_one_the_app_could_give_and_finds(
    generated: dict[str, Any],
) -> None:
    # A reference with a letter the app never uses (L, U) reads as another reference, or
    # as none: typed into the search box it would not lead to its case.
    references = list(Case.objects.values_list("reference", flat=True))
    assert [ref for ref in references if reference_from_text(ref) != ref] == []
    assert len(set(references)) == len(references)


def test_audit_chain_verifies_and_covers_cases(generated: dict[str, Any]) -> None:
    report = verify_chain()
    assert report.intact
    events = AuditEvent.objects.count()
    assert report.events == events
    assert events >= 15 * CASES
    assert set(AuditEvent.objects.values_list("action", flat=True)) <= set(Action.values)
    times = list(AuditEvent.objects.order_by("id").values_list("occurred_at", flat=True))
    # Time order is chain order (the bench users' TOTP enrolment comes last, today).
    assert times == sorted(times)
    assert times[-1] <= timezone.now()
    case = Case.objects.order_by("id")[3]
    trail = AuditEvent.objects.filter(target_type="cases.case", target_id=str(case.pk))
    assert trail.filter(action=Action.CASE_OPENED).count() == 1
    assert not trail.exclude(programme_id=case.programme_id).exists()
    call_command("audit_verify", stdout=io.StringIO())


def test_credentials_and_bench_users_can_sign_in(generated: dict[str, Any]) -> None:
    credentials = generated["credentials"]
    assert credentials["password"] == "amends-bench-password"  # noqa: S105
    roles = {entry["role"] for entry in credentials["users"]}
    assert roles == {
        "administrator",
        "coordinator",
        "supervisor",
        "facilitator",
        "advocate",
        "referrer",
        "evaluator",
    }
    biggest = _biggest()
    for entry in credentials["users"]:
        user = User.objects.get(email=entry["email"])
        assert entry["email"] == f"bench-{entry['role']}@bench.amends.test"
        assert user.check_password(credentials["password"])
        assert user.is_active
        assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        assert len(entry["totp_secret"]) >= 16
        assert entry["programme"] == biggest.slug
        assert Membership.objects.filter(user=user, programme=biggest, role=entry["role"]).exists()
    facilitator = User.objects.get(email="bench-facilitator@bench.amends.test")
    open_assigned = FacilitatorAssignment.objects.filter(facilitator=facilitator).exclude(
        case__stage=CaseStage.CLOSED
    )
    assert open_assigned.count() >= 3
    coordinator = User.objects.get(email="bench-coordinator@bench.amends.test")
    assert Case.objects.filter(coordinator=coordinator).exists()
    # Only the bench users have a usable password.
    others = User.objects.exclude(email__endswith="@bench.amends.test")
    assert not any(user.has_usable_password() for user in others[:50])


def _biggest() -> Programme:
    from django.db.models import Count

    return Programme.objects.annotate(n=Count("cases")).order_by("-n")[0]


def test_refuses_a_database_that_has_data_and_changes_nothing(
    generated: dict[str, Any], tmp_path: Path
) -> None:
    before = (Case.objects.count(), Person.objects.count(), AuditEvent.objects.count())
    with pytest.raises(CommandError, match="already holds cases"):
        _generate(tmp_path, seed=3)
    assert (Case.objects.count(), Person.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--size", "XXL"], "invalid choice"),
        (["--cases", "ten"], "whole number"),
        (["--cases", "5"], "at least 20"),
        (["--cases", "-3"], "at least 20"),
        ([], "--size S|M|XL or --cases"),
        (["--size", "S", "--cases", "100"], "not both"),
        (["--cases", "100", "--bench-password", "short"], "at least 8"),
        (["--cases", "100", "--workers", "0"], "at least 1"),
    ],
)
def test_bad_arguments_are_refused_clearly(arguments: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("generate_data", *arguments, "--no-progress", stdout=io.StringIO())
    assert not Case.objects.exists()
    assert not User.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_workers_write_the_same_data(tmp_path: Path) -> None:
    # Outside a transaction (as from the command line) PostgreSQL's workers each write
    # over their own connection, and SQLite's hand their rows to the parent; either
    # way the data equal one process's, and the audit chain verifies.
    _generate(tmp_path, "--workers", "1")
    alone = _plain_snapshot()
    call_command("flush", "--no-input", verbosity=0)
    _generate(tmp_path, "--workers", "2")
    assert _plain_snapshot() == alone
    assert verify_chain().intact
    assert Case.objects.count() == CASES
