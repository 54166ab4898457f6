"""`manage.py generate_data`: a realistic, deterministic dataset for benchmarks (issue 6).

    manage.py generate_data --size S|M|XL [--seed N] [--cases N] [--credentials PATH]

S is 10k cases, M 100k, XL 1M (or any number with --cases). Ten years of history ending
today: referrals (20–30% become cases), cases in every stage with their participants,
assessments, consent, meetings, agreements, tasks and a hash-chained audit log, all
encrypted and blind-indexed as the app does it. Seven bench users (one per role, in the
biggest programme) get a real password and TOTP; --credentials writes them as JSON.
It only fills an empty, migrated database.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amends.core.management.datagen.run import NotReadyError, generate
from amends.core.management.datagen.sizes import NAMED_CASES, size_for

DEFAULT_BENCH_PASSWORD = "amends-bench-password"  # noqa: S105 - bench accounts only


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise CommandError(f"--cases must be a whole number; got {text!r}.") from None
    return value


class Command(BaseCommand):
    help = "Fill an empty, migrated database with realistic generated data (S, M or XL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--size", choices=sorted(NAMED_CASES), help="S: 10k cases, M: 100k, XL: 1M."
        )
        parser.add_argument(
            "--cases", type=str, help="Any number of cases instead of a named size."
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Same seed and size, same data (default 1)."
        )
        parser.add_argument(
            "--bench-password", default=DEFAULT_BENCH_PASSWORD, help="Password of the bench users."
        )
        parser.add_argument(
            "--credentials", type=Path, help="Write the bench users' sign-ins to this JSON file."
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")
        parser.add_argument(
            "--workers",
            type=int,
            default=os.cpu_count() or 1,
            help="Processes making cases (default: one per CPU); the data do not depend on it.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["size"] is None and options["cases"] is None:
            raise CommandError("Give --size S|M|XL or --cases N.")
        if options["size"] is not None and options["cases"] is not None:
            raise CommandError("Give either --size or --cases, not both.")
        cases = _positive(options["cases"]) if options["cases"] is not None else None
        try:
            size = size_for(options["size"], cases)
        except ValueError as error:
            raise CommandError(str(error)) from None
        if options["workers"] < 1:
            raise CommandError("--workers must be at least 1.")
        if len(options["bench_password"]) < 8:
            raise CommandError("--bench-password must be at least 8 characters.")
        try:
            summary = generate(
                size=size,
                seed=options["seed"],
                bench_password=options["bench_password"],
                credentials=options["credentials"],
                progress=not options["no_progress"],
                workers=options["workers"],
            )
        except NotReadyError as refusal:
            raise CommandError(str(refusal)) from None
        self.stdout.write(f"Generated size {size.label} (seed {options['seed']}).")
        for line in summary.lines():
            self.stdout.write(line)
