"""Organisations, programmes (set up as `programme_setup_defaults` sets them up), staff,
facilitators with their records, and the bench users."""

from __future__ import annotations

import datetime
import random
import unicodedata
from decimal import Decimal

from django.contrib.auth.hashers import make_password

from amends.accounts.models import Membership, User
from amends.accounts.roles import Role
from amends.agreements.models import CatalogueItem
from amends.audit.actions import Action
from amends.core.management.datagen import names
from amends.core.management.datagen.context import BenchUser, Context, ProgrammeInfo
from amends.core.management.datagen.writer import Row
from amends.facilitators.models import (
    Accreditation,
    AccreditationLevel,
    AvailabilitySlot,
    AwayPeriod,
    EndorsementRecord,
    FacilitatorProfile,
    ObservedPractice,
    SupervisionSession,
    TrainingRecord,
)
from amends.meetings.models import Venue
from amends.people.models import Gender
from amends.programmes import defaults
from amends.programmes.models import (
    AssessmentTemplate,
    EligibilityPolicy,
    Endorsement,
    InformationSheet,
    OffenceCategory,
    Organisation,
    Programme,
    ProgrammeSettings,
    Terminology,
)
from amends.support.models import Partner, ServiceType

BENCH_DOMAIN = "bench.amends.test"
BENCH_ROLES = (
    Role.ADMINISTRATOR,
    Role.COORDINATOR,
    Role.SUPERVISOR,
    Role.FACILITATOR,
    Role.ADVOCATE,
    Role.REFERRER,
    Role.EVALUATOR,
)
_PLACES = names._split(
    "Northshire Riverside Eastmoor Westvale Southport Highbury Lowfield Ashcombe Brackwater "
    "Caldermoor Dunmere Elmstead Fairhaven Glenford Hollowell Ironbridge Kestrel Larkhill "
    "Marwood Netherby Oakhampton Pinewood Queensferry Ravensworth Stonebridge Thornbury "
    "Upperton Valemouth Willowbrook Yarrowdale Abermor Bryncoed Caerwen Dolgarth Eskmuir "
    "Fenwick Gorsemoor Harrowgate Invergarry Juniper Kilbride Lochside Merrivale Norbury"
)
_PROGRAMME_KINDS = (
    "Victim-Led RJ",
    "Youth Diversion",
    "Restorative Conferencing",
    "Prison RJ",
    "Community Mediation",
    "Hate Crime RJ",
)
_ISSUERS = ("Restorative Justice Council", "RJ Academy", "Why me?", "Restorative Solutions")
_COURSES = (
    "Restorative practice foundations",
    "Facilitating conferences",
    "Domestic abuse awareness",
    "Working with interpreters",
    "Trauma-informed practice",
    "Safeguarding adults and children",
    "Shuttle mediation skills",
)
_SERVICES = ("Support", "Advice", "Wellbeing", "Advocacy")
_CATALOGUE = (
    ("Victim awareness course", "A six-week group course."),
    ("Donation to a charity the person harmed chooses", ""),
    ("Letter of explanation", "Written with the facilitator's help."),
    ("Mentoring sessions", "With a volunteer mentor."),
)
_ROLE_SHARES = (
    (Role.COORDINATOR, 0.32),
    (Role.SUPERVISOR, 0.12),
    (Role.ADVOCATE, 0.14),
    (Role.REFERRER, 0.28),
    (Role.ADMINISTRATOR, 0.05),
    (Role.EVALUATOR, 0.09),
)


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in decomposed if c.isascii() and (c.isalnum() or c in " -"))
    return kept.lower().replace(" ", "").replace("-", "")


def _moment(
    rng: random.Random, low: datetime.datetime, high: datetime.datetime
) -> datetime.datetime:
    span = max(1, int((high - low).total_seconds()))
    return low + datetime.timedelta(seconds=rng.randrange(span), microseconds=rng.randrange(10**6))


def _zipf(count: int, exponent: float = 1.0) -> list[float]:
    return [1.0 / (rank + 1) ** exponent for rank in range(count)]


def make_programmes(ctx: Context) -> None:
    rng = ctx.rng("programmes")
    w = ctx.writer
    sink = ctx.sink
    places = list(_PLACES)
    rng.shuffle(places)
    organisations: list[tuple[int, str, datetime.datetime]] = []
    for number in range(ctx.size.organisations):
        place = places[number % len(places)]
        created = ctx.start + datetime.timedelta(days=number, hours=9)
        name = f"{place} Restorative Justice Trust" + (
            f" {number}" if number >= len(places) else ""
        )
        organisation = w.new(
            Organisation,
            name=name,
            slug=_ascii(name)[:50] + f"-{number}",
            created_at=created,
            updated_at=created,
        )
        sink.add(
            created,
            None,
            Action.ORGANISATION_CREATED,
            "programmes.organisation",
            organisation.pk,
            None,
        )
        organisations.append((organisation.pk, place, created))
    weights = _zipf(ctx.size.programmes, 0.9)
    for number in range(ctx.size.programmes):
        org_id, place, org_created = organisations[number % len(organisations)]
        created = org_created + datetime.timedelta(days=3 + number, hours=10)
        kind = _PROGRAMME_KINDS[number % len(_PROGRAMME_KINDS)]
        name = f"{place} {kind}" + (f" {number}" if number >= len(_PROGRAMME_KINDS) else "")
        programme = w.new(
            Programme,
            organisation_id=org_id,
            name=name,
            slug=f"{_ascii(place)}-{_ascii(kind)}-{number}"[:60],
            jurisdiction=rng.choice(("England and Wales", "Scotland", "Northern Ireland", "Wales")),
            created_at=created,
            updated_at=created,
        )
        info = ProgrammeInfo(
            id=programme.pk,
            slug=programme.slug,
            organisation_id=org_id,
            weight=weights[number],
            created_at=created,
            regions=[
                f"{p} {suffix}" for p in rng.sample(places, 4) for suffix in ("North", "South")
            ],
        )
        ctx.programmes.append(info)
        sink.add(
            created,
            None,
            Action.PROGRAMME_CREATED,
            "programmes.programme",
            programme.pk,
            programme.pk,
        )
        _setup_programme(ctx, rng, info, created)


def _setup_programme(
    ctx: Context, rng: random.Random, info: ProgrammeInfo, created: datetime.datetime
) -> None:
    """What `programme_setup_defaults` creates, dated when the programme was created."""
    w, sink, pid = ctx.writer, ctx.sink, info.id
    at = created + datetime.timedelta(minutes=1)
    fast_track = rng.random() < 0.4
    terminology = Terminology.VICTIM_OFFENDER if rng.random() < 0.3 else defaults.TERMINOLOGY
    w.new(
        ProgrammeSettings,
        programme_id=pid,
        process_types=list(defaults.PROCESS_TYPES),
        terminology=terminology,
        assessment_validity_days=defaults.ASSESSMENT_VALIDITY_DAYS,
        consent_validity_days=defaults.CONSENT_VALIDITY_DAYS,
        fast_track_enabled=fast_track,
        default_language=defaults.DEFAULT_LANGUAGE,
        created_at=at,
        updated_at=at,
    )
    sink.add(
        at,
        None,
        Action.PROGRAMME_SETTINGS_CHANGED,
        "programmes.programmesettings",
        pid,
        pid,
        {"set_up": "defaults", "changed": {"fast_track_enabled": {"old": None, "new": fast_track}}},
    )
    for position, default in enumerate(defaults.OFFENCE_CATEGORIES, start=1):
        category = w.new(
            OffenceCategory,
            programme_id=pid,
            code=default.code,
            name=default.name,
            is_sensitive=default.is_sensitive,
            allows_fast_track=default.allows_fast_track,
            required_endorsement=default.required_endorsement,
            position=position,
            created_at=at,
            updated_at=at,
        )
        info.categories.append(
            (category.pk, default.code, default.is_sensitive, default.required_endorsement)
        )
        sink.add(
            at,
            None,
            Action.OFFENCE_CATEGORY_ADDED,
            "programmes.offencecategory",
            category.pk,
            pid,
            {
                "code": default.code,
                "is_sensitive": default.is_sensitive,
                "allows_fast_track": default.allows_fast_track,
                "required_endorsement": default.required_endorsement,
            },
        )
    policy = w.new(
        EligibilityPolicy,
        programme_id=pid,
        version=1,
        eligible_categories=[c[1] for c in info.categories if not c[2]],
        specialist_categories=[c[1] for c in info.categories if c[2]],
        excluded_categories=[],
        minimum_age_responsible=defaults.MINIMUM_AGE_RESPONSIBLE,
        created_at=at,
    )
    info.policy_id = policy.pk
    sink.add(
        at,
        None,
        Action.ELIGIBILITY_POLICY_VERSIONED,
        "programmes.eligibilitypolicy",
        policy.pk,
        pid,
        {"version": 1},
    )
    template = w.new(
        AssessmentTemplate,
        programme_id=pid,
        version=1,
        questions=[dict(question) for question in defaults.ASSESSMENT_QUESTIONS],
        medium_threshold=defaults.MEDIUM_THRESHOLD,
        high_threshold=defaults.HIGH_THRESHOLD,
        created_at=at,
    )
    info.template_id = template.pk
    sink.add(
        at,
        None,
        Action.ASSESSMENT_TEMPLATE_VERSIONED,
        "programmes.assessmenttemplate",
        template.pk,
        pid,
        {"version": 1},
    )
    sheet = w.new(
        InformationSheet,
        programme_id=pid,
        language=defaults.DEFAULT_LANGUAGE,
        version=1,
        title=defaults.INFORMATION_SHEET_TITLE,
        body=defaults.INFORMATION_SHEET_BODY,
        created_at=at,
    )
    info.sheet_id = sheet.pk
    sink.add(
        at,
        None,
        Action.INFORMATION_SHEET_VERSIONED,
        "programmes.informationsheet",
        sheet.pk,
        pid,
        {"language": "en", "version": 1},
    )
    for number in range(rng.randint(3, 8)):
        venue = w.new(
            Venue,
            programme_id=pid,
            name=f"{rng.choice(info.regions)} community room {number + 1}",
            address=f"{rng.randint(1, 200)} High Street, {rng.choice(info.regions)}",
            accessibility="Step-free access, hearing loop" if rng.random() < 0.7 else "",
            has_separate_waiting_areas=rng.random() < 0.6,
            notes=names.note(rng, 5, 15) if rng.random() < 0.5 else "",
            created_at=at,
            updated_at=at,
        )
        info.venue_ids.append(venue.pk)
        sink.add(at, None, Action.VENUE_ADDED, "meetings.venue", venue.pk, pid)
    for name, description in _CATALOGUE:
        item = w.new(
            CatalogueItem,
            programme_id=pid,
            name=name,
            description=description,
            created_at=at,
            updated_at=at,
        )
        info.catalogue_ids.append(item.pk)
    services = list(ServiceType.values)
    for number in range(5):
        partner = w.new(
            Partner,
            programme_id=pid,
            name=f"{rng.choice(info.regions)} {rng.choice(_SERVICES)} Service {number + 1}",
            service_types=rng.sample(services, rng.randint(1, 3)),
            languages=["en"] + rng.sample(["pl", "es", "ar", "ro", "cy"], 1),
            regions=rng.sample(info.regions, 2),
            phone=f"+44 20 7946 {rng.randint(0, 9999):04d}",
            email=f"referrals{number}@partner{pid}.example",
            created_at=at,
            updated_at=at,
        )
        info.partner_ids.append(partner.pk)
        info.partner_names[partner.pk] = partner.name
        sink.add(at, None, Action.SUPPORT_PARTNER_ADDED, "support.partner", partner.pk, pid)


def make_users(ctx: Context, bench_password: str) -> None:
    rng = ctx.rng("users")
    w, sink = ctx.writer, ctx.sink
    shared_hash = make_password(None)  # one unusable hash for every generated user
    bench_hash = make_password(bench_password)  # argon2, the configured hasher
    total_weight = sum(p.weight for p in ctx.programmes)

    def user(email: str, full_name: str, joined: datetime.datetime, password: str) -> Row:
        created = w.new(
            User,
            email=email,
            full_name=full_name,
            password=password,
            date_joined=joined,
            # A few staff have left; the bench users (real passwords) never have.
            is_active=password == bench_hash or rng.random() > 0.03,
        )
        ctx.emails[created.pk] = email
        sink.add(joined, None, Action.ACCOUNT_CREATED, "accounts.user", created.pk, None)
        return created

    def grant(user_id: int, info: ProgrammeInfo, role: str, at: datetime.datetime) -> None:
        membership = w.new(
            Membership,
            user_id=user_id,
            programme_id=info.id,
            role=role,
            created_at=at,
            updated_at=at,
        )
        info.roles.setdefault(role, []).append(user_id)
        sink.add(
            at,
            None,
            Action.MEMBERSHIP_GRANTED,
            "accounts.membership",
            membership.pk,
            info.id,
            {"role": role},
        )

    def person_name() -> str:
        language = names.pick_language(rng)
        given = names.given_name(rng, language, rng.random() < 0.55)
        return f"{given} {names.family_name(rng, language)}"

    def joined_after(info: ProgrammeInfo) -> datetime.datetime:
        return _moment(rng, info.created_at, ctx.now - datetime.timedelta(days=30))

    # Bench users first in the biggest programme, so they hold a realistic rank in it.
    biggest = ctx.biggest
    for role in BENCH_ROLES:
        email = f"bench-{role.value}@{BENCH_DOMAIN}"
        joined = biggest.created_at + datetime.timedelta(days=1)
        bench = user(email, f"Bench {role.label}", joined, bench_hash)
        grant(bench.pk, biggest, role, joined)
        ctx.bench.append(
            BenchUser(role=role.value, email=email, user_id=bench.pk, programme_slug=biggest.slug)
        )
    number = 0
    for info in ctx.programmes:
        staff = max(len(_ROLE_SHARES) + 1, round(ctx.size.staff * info.weight / total_weight))
        for role, share in _ROLE_SHARES:
            for _ in range(max(1, round(staff * share))):
                number += 1
                full_name = person_name()
                joined = joined_after(info)
                member = user(
                    f"{_ascii(full_name)}.{number}@staff.amends.test",
                    full_name,
                    joined,
                    shared_hash,
                )
                grant(member.pk, info, role, joined)
                if rng.random() < 0.05 and len(ctx.programmes) > 1:
                    other = rng.choice(ctx.programmes)
                    if other is not info:
                        grant(member.pk, other, role, joined)
        facilitators = max(4, round(ctx.size.facilitators * info.weight / total_weight))
        for _ in range(facilitators):
            number += 1
            full_name = person_name()
            joined = joined_after(info)
            member = user(
                f"{_ascii(full_name)}.{number}@volunteers.amends.test",
                full_name,
                joined,
                shared_hash,
            )
            grant(member.pk, info, Role.FACILITATOR, joined)
            _facilitator_records(ctx, rng, member.pk, info, joined, bench=False)
    bench_facilitator = next(b for b in ctx.bench if b.role == Role.FACILITATOR)
    _facilitator_records(
        ctx, rng, bench_facilitator.user_id, biggest, biggest.created_at, bench=True
    )
    # The bench coordinator is third in the Zipf ranking; others are shuffled.
    for info in ctx.programmes:
        coordinators = info.roles[Role.COORDINATOR]
        head, rest = coordinators[:1], coordinators[1:]
        rng.shuffle(rest)
        ordered = rest[:2] + head + rest[2:] if info is biggest else head + rest
        info.roles[Role.COORDINATOR] = ordered
        info.coordinator_weights = _zipf(len(ordered), 0.8)
        facilitators_list = info.roles[Role.FACILITATOR]
        rng.shuffle(facilitators_list)
        info.facilitator_weights = _zipf(len(facilitators_list), 0.7)


def _facilitator_records(
    ctx: Context,
    rng: random.Random,
    user_id: int,
    info: ProgrammeInfo,
    joined: datetime.datetime,
    *,
    bench: bool,
) -> None:
    w, sink = ctx.writer, ctx.sink
    at = joined + datetime.timedelta(days=2)
    recorder = info.roles[Role.COORDINATOR][0]
    language = names.pick_language(rng)
    w.new(
        FacilitatorProfile,
        user_id=user_id,
        gender=rng.choice(Gender.values) if rng.random() < 0.9 else "",
        languages=sorted({"en", language.code[:2]}),
        cultural_competencies=rng.sample(
            ["youth", "faith communities", "LGBTQ+", "travellers", "refugees"], rng.randint(0, 2)
        ),
        regions=rng.sample(info.regions, 2),
        capacity=40 if bench else rng.randint(3, 12),
        created_at=at,
        updated_at=at,
    )
    today = ctx.now.date()
    valid_from = at.date()
    lapsed = not bench and rng.random() < 0.1
    valid_to = (
        today - datetime.timedelta(days=rng.randint(1, 300))
        if lapsed
        else today + datetime.timedelta(days=rng.randint(90, 1100))
    )
    valid_to = max(valid_to, valid_from)
    level = AccreditationLevel.ADVANCED if bench else rng.choice(AccreditationLevel.values)
    accreditation = w.new(
        Accreditation,
        facilitator_id=user_id,
        recorded_by_id=recorder,
        level=level,
        issuer=rng.choice(_ISSUERS),
        valid_from=valid_from,
        valid_to=valid_to,
        created_at=at,
        updated_at=at,
    )
    sink.add(
        at,
        recorder,
        Action.ACCREDITATION_RECORDED,
        "facilitators.accreditation",
        accreditation.pk,
        info.id,
        {"level": level},
    )
    endorsements = (
        list(Endorsement.values)
        if bench
        else rng.sample(Endorsement.values, rng.choice((0, 0, 1, 1, 2)))
    )
    for code in endorsements:
        w.new(
            EndorsementRecord,
            facilitator_id=user_id,
            recorded_by_id=recorder,
            endorsement=code,
            issuer=rng.choice(_ISSUERS),
            valid_from=valid_from,
            created_at=at,
            updated_at=at,
        )
    for _ in range(rng.randint(1, 3)):
        done = _moment(rng, at, ctx.now)
        w.new(
            TrainingRecord,
            facilitator_id=user_id,
            recorded_by_id=recorder,
            course=rng.choice(_COURSES),
            provider=rng.choice(_ISSUERS),
            completed_on=done.date(),
            hours=Decimal(rng.choice((3, 6, 7, 12, 14))),
            approved_provider=rng.random() < 0.7,
            created_at=done,
            updated_at=done,
        )
    supervisors = info.roles.get(Role.SUPERVISOR, [])
    for _ in range(rng.randint(1, 2)):
        held = _moment(rng, max(at, ctx.now - datetime.timedelta(days=200)), ctx.now)
        w.new(
            SupervisionSession,
            facilitator_id=user_id,
            recorded_by_id=recorder,
            held_on=held.date(),
            supervisor_id=rng.choice(supervisors) if supervisors else None,
            supervisor_name="" if supervisors else "External supervisor",
            notes=names.note(rng, 5, 20),
            created_at=held,
            updated_at=held,
        )
    observers = info.roles.get(Role.SUPERVISOR, [])
    if rng.random() < 0.6:
        observed = _moment(rng, at, ctx.now)
        w.new(
            ObservedPractice,
            facilitator_id=user_id,
            recorded_by_id=recorder,
            observed_on=observed.date(),
            observer_id=rng.choice(observers) if observers else None,
            observer_name="" if observers else "External assessor",
            notes=names.note(rng, 5, 20),
            created_at=observed,
            updated_at=observed,
        )
    if rng.random() < 0.15:
        away = ctx.now + datetime.timedelta(days=rng.randint(-60, 90))
        w.new(
            AwayPeriod,
            facilitator_id=user_id,
            starts_on=away.date(),
            ends_on=(away + datetime.timedelta(days=rng.randint(3, 30))).date(),
            created_at=min(away, ctx.now),
            updated_at=min(away, ctx.now),
        )
    for weekday in rng.sample(range(5), 2):
        start = rng.choice((9, 10, 13, 14))
        w.new(
            AvailabilitySlot,
            facilitator_id=user_id,
            weekday=weekday,
            starts_at=datetime.time(start),
            ends_at=datetime.time(start + 3),
            created_at=at,
            updated_at=at,
        )
