"""What every phase shares: the random source, the clock, the writer and the audit sink."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field

from amends.core.management.datagen.audit import EventBuffer
from amends.core.management.datagen.sizes import Size
from amends.core.management.datagen.writer import Writer


@dataclass
class ProgrammeInfo:
    id: int
    slug: str
    organisation_id: int
    weight: float
    created_at: datetime.datetime
    # (id, code, is_sensitive, required endorsement)
    categories: list[tuple[int, str, bool, str]] = field(default_factory=list)
    policy_id: int = 0
    template_id: int = 0
    sheet_id: int = 0
    venue_ids: list[int] = field(default_factory=list)
    catalogue_ids: list[int] = field(default_factory=list)
    partner_ids: list[int] = field(default_factory=list)
    partner_names: dict[int, str] = field(default_factory=dict)
    regions: list[str] = field(default_factory=list)
    # Users by role; coordinators and facilitators carry Zipf-like weights.
    roles: dict[str, list[int]] = field(default_factory=dict)
    coordinator_weights: list[float] = field(default_factory=list)
    facilitator_weights: list[float] = field(default_factory=list)


@dataclass
class BenchUser:
    role: str
    email: str
    user_id: int
    programme_slug: str
    totp_secret: str = ""


@dataclass
class Context:
    size: Size
    seed: int
    now: datetime.datetime
    writer: Writer
    sink: EventBuffer
    programmes: list[ProgrammeInfo] = field(default_factory=list)
    emails: dict[int, str] = field(default_factory=dict)
    bench: list[BenchUser] = field(default_factory=list)
    platform_admin_id: int | None = None

    @property
    def start(self) -> datetime.datetime:
        return self.now - datetime.timedelta(days=365 * self.size.years)

    def rng(self, phase: str) -> random.Random:
        """A random source per phase, so one phase's changes do not shift another's data."""
        return random.Random(f"{self.seed}:{phase}")  # noqa: S311 - data, not secrets

    @property
    def biggest(self) -> ProgrammeInfo:
        return self.programmes[0]
