"""The generator's phases in order, with a progress bar and a summary of what they made."""

from __future__ import annotations

import datetime
import json
import multiprocessing
import multiprocessing.queues
import sys
import time
import traceback
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from tqdm import tqdm  # type: ignore[import-untyped]

from amends.accounts.models import User
from amends.audit.models import AuditEvent
from amends.cases.models import Case
from amends.core.management.datagen.audit import AuditSink, EventBuffer, Ready
from amends.core.management.datagen.cases import CaseMaker
from amends.core.management.datagen.context import Context
from amends.core.management.datagen.schema import deferred_indexes
from amends.core.management.datagen.setup import make_programmes, make_users
from amends.core.management.datagen.sizes import Size
from amends.core.management.datagen.writer import Prepared, Writer, largest_keys
from amends.people.models import Person
from amends.programmes.models import Programme
from amends.referrals.models import Referral


class NotReadyError(Exception):
    """The database cannot take generated data (not migrated, or not empty)."""


@dataclass
class Summary:
    rows: dict[str, int] = field(default_factory=dict)
    phases: dict[str, float] = field(default_factory=dict)
    total_seconds: float = 0.0
    # The slowest tables to write: (table, rows, seconds spent inserting them).
    inserts: list[tuple[str, int, float]] = field(default_factory=list)
    phase_rows: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        out = ["Rows per table:"]
        out += [f"  {label:<40} {count:>12,}" for label, count in sorted(self.rows.items())]
        out.append(f"  {'total':<40} {sum(self.rows.values()):>12,}")
        out.append("Seconds per phase:")
        for phase, seconds in self.phases.items():
            rows = self.phase_rows.get(phase)
            rate = f"  ({rows / seconds:,.0f} rows/s)" if rows and seconds else ""
            out.append(f"  {phase:<40} {seconds:>12.1f}{rate}")
        out.append("Slowest inserts (seconds, rows/s):")
        out += [
            f"  {label:<40} {seconds:>12.1f}  ({rows / seconds:,.0f} rows/s)"
            for label, rows, seconds in self.inserts
            if seconds
        ]
        out.append(f"Total: {self.total_seconds:.1f} s")
        return out


def _analyze() -> None:
    """Fresh planner statistics after a bulk load, as an operator would take them: without
    them the query planner guesses table sizes and may read a million rows to find 25.
    PostgreSQL also sets the visibility map (VACUUM), so index-only scans stay index-only."""
    # VACUUM cannot run inside a transaction (as when a test wraps the command).
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")


def check_database() -> None:
    """Refuse unless the database is migrated and holds no programmes, cases, people,
    referrals, users or audit events: explicit keys and a time-ordered audit chain need a
    database of our own."""
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise NotReadyError("The database is not fully migrated; run `manage.py migrate` first.")
    present = [
        label
        for label, model in (
            ("cases", Case),
            ("referrals", Referral),
            ("people", Person),
            ("programmes", Programme),
            ("users", User),
            ("audit events", AuditEvent),
        )
        if model._base_manager.exists()
    ]
    if present:
        raise NotReadyError(
            "The database already holds " + ", ".join(present) + "; generate_data only fills an "
            "empty, migrated database (create a new one, migrate it, then run it again)."
        )


@contextmanager
def _phase(summary: Summary, name: str) -> Iterator[None]:
    started = time.perf_counter()
    yield
    summary.phases[name] = summary.phases.get(name, 0.0) + time.perf_counter() - started


def generate(
    *,
    size: Size,
    seed: int,
    bench_password: str,
    credentials: Path | None,
    progress: bool,
    workers: int = 1,
    now: datetime.datetime | None = None,
) -> Summary:
    check_database()
    started = time.perf_counter()
    summary = Summary()
    # History ends at the start of today (UTC): the same seed and size give the same rows
    # all day long.
    moment = now or datetime.datetime.now(tz=datetime.UTC).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    sink = AuditSink()
    ctx = Context(size=size, seed=seed, now=moment, writer=Writer(), sink=sink)
    show = progress and sys.stderr.isatty()

    # No monitor thread: the cases phase forks its workers (see `_make_in_workers`).
    tqdm.monitor_interval = 0

    def bar(total: int, description: str) -> Any:
        return tqdm(
            total=total,
            desc=description,
            unit="rows",
            disable=not show,
            file=sys.stderr,
            leave=False,
        )

    with _phase(summary, "programmes and users"), transaction.atomic():
        make_programmes(ctx)
        make_users(ctx, bench_password)
        ctx.writer.flush()
    summary.phase_rows["programmes and users"] = sum(ctx.writer.counts.values())
    with deferred_indexes():
        with _phase(summary, "cases"), bar(size.cases, "cases") as cases_bar:
            make_cases(ctx, sink, workers, cases_bar.update)
        summary.phase_rows["cases"] = (
            sum(ctx.writer.counts.values()) - summary.phase_rows["programmes and users"]
        )
        with _phase(summary, "audit"):
            with bar(sink.count + len(sink.events), "audit events") as audit_bar:
                written = sink.write(ctx.emails, audit_bar.update)
            ctx.writer.counts["audit.AuditEvent"] += written
            summary.phase_rows["audit"] = written
        # Timed from here to the end of the block: building the indexes and checking the
        # foreign keys the load went without.
        started_indexes = time.perf_counter()
    summary.phases["indexes and foreign keys"] = time.perf_counter() - started_indexes
    ctx.writer.reset_sequences()
    with _phase(summary, "statistics (ANALYZE)"):
        _analyze()
    with _phase(summary, "bench users (TOTP)"):
        for bench in ctx.bench:
            secret = generate_totp_secret()
            TOTP.activate(User.objects.get(pk=bench.user_id), secret)
            bench.totp_secret = str(secret)
    if credentials is not None:
        credentials.parent.mkdir(parents=True, exist_ok=True)
        credentials.write_text(
            json.dumps(
                {
                    "password": bench_password,
                    "users": [
                        {
                            "role": bench.role,
                            "email": bench.email,
                            "totp_secret": bench.totp_secret,
                            "programme": bench.programme_slug,
                        }
                        for bench in ctx.bench
                    ],
                },
                indent=2,
            )
        )
        credentials.chmod(0o600)
    summary.rows = dict(ctx.writer.counts)
    summary.inserts = [
        (label, ctx.writer.counts[label], seconds)
        for label, seconds in sorted(ctx.writer.seconds.items(), key=lambda item: -item[1])[:10]
    ]
    summary.total_seconds = time.perf_counter() - started
    return summary


ProgressCallback = Callable[[int], None]
# What a worker reports per chunk: (cases made, audit events kept, rows written per
# table, seconds per table, rows to write when the parent writes them); None when it
# is done; or, from a failed worker, its traceback text.
Message = tuple[int, int, dict[str, int], dict[str, float], Prepared] | str | None
# Connections inherited through fork: never used, never closed (closing would say
# goodbye to the server on the parent's socket), kept referenced so they are never
# finalised; the worker ends with os._exit.
_INHERITED: list[Any] = []


class WorkerError(Exception):
    """A process making cases failed; its traceback is the message."""


def make_cases(ctx: Context, sink: AuditSink, workers: int, progress: ProgressCallback) -> None:
    """Every chunk of cases, made by `workers` processes (or this one).

    Making rows is the costly part (choices, names, encryption, serialisation), so with
    several workers each makes whole chunks and keeps their audit events in its own
    spill files. On PostgreSQL each worker writes its chunks over its own connection
    (COPY), so nothing passes between processes but progress; elsewhere (SQLite takes
    one writer), or inside a transaction (a test's), workers hand their prepared rows to
    this process to write. Chunks carry their own random source and keys, so the data
    are the same for any number of workers.
    """
    maker = CaseMaker(ctx)
    writer = ctx.writer
    bases = largest_keys()
    if workers <= 1:
        for number in range(maker.chunks):
            made, prepared, events = _make_chunk(ctx, maker, number, bases)
            with transaction.atomic():
                writer.write_prepared(prepared)
            sink.absorb(events)
            progress(made)
    else:
        _make_in_workers(ctx, maker, sink, workers, bases, progress)
    ctx.writer, ctx.sink = writer, sink


def _make_chunk(
    ctx: Context, maker: CaseMaker, number: int, bases: dict[str, int]
) -> tuple[int, Prepared, list[Ready]]:
    ctx.writer = Writer(chunk=number, chunks=maker.chunks, bases=bases)
    ctx.sink = EventBuffer(number)
    made = maker.make_chunk(number)
    return made, ctx.writer.take(), ctx.sink.prepared(ctx.emails)


def _make_in_workers(
    ctx: Context,
    maker: CaseMaker,
    sink: AuditSink,
    workers: int,
    bases: dict[str, int],
    progress: ProgressCallback,
) -> None:
    direct = connection.vendor == "postgresql" and not connection.in_atomic_block
    writer = ctx.writer
    mp = multiprocessing.get_context("fork")
    queue: multiprocessing.queues.Queue[Message] = mp.Queue(maxsize=2 * workers)

    def work(worker: int) -> None:
        own = sink.sharing(f"w{worker}")
        try:
            if direct:
                _INHERITED.append(connection.connection)
                connection.connection = None  # the next query opens this worker's own
            for number in range(worker, maker.chunks, workers):
                made, prepared, events = _make_chunk(ctx, maker, number, bases)
                own.absorb(events)
                if direct:
                    chunk_writer = Writer()
                    with transaction.atomic():
                        chunk_writer.write_prepared(prepared)
                    queue.put(
                        (
                            made,
                            len(events),
                            dict(chunk_writer.counts),
                            dict(chunk_writer.seconds),
                            [],
                        )
                    )
                else:
                    queue.put((made, len(events), {}, {}, prepared))
            own.close()
        except BaseException:  # noqa: BLE001 - reported to the parent, which raises it
            queue.put(traceback.format_exc())
        finally:
            if direct:
                connection.close()
            queue.put(None)

    processes = [mp.Process(target=work, args=(n,), daemon=True) for n in range(workers)]
    with warnings.catch_warnings():
        # Python warns that forking a threaded process may deadlock the child on a lock
        # another thread held. The workers take no lock the parent's threads use (no
        # logging; the progress bar's monitor thread is off; the parent's database
        # connection is set aside unused): they compute, write and report.
        warnings.filterwarnings("ignore", "This process .* is multi-threaded", DeprecationWarning)
        for process in processes:
            process.start()
    try:
        finished = 0
        while finished < workers:
            message = queue.get()
            if message is None:
                finished += 1
            elif isinstance(message, str):
                raise WorkerError(message)
            else:
                made, events, counts, seconds, prepared = message
                sink.count += events
                if prepared:
                    with transaction.atomic():
                        writer.write_prepared(prepared)
                writer.counts.update(counts)
                for label, spent in seconds.items():
                    writer.seconds[label] += spent
                writer.written.update(counts)
                progress(made)
    finally:
        for process in processes:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
