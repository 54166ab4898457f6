"""The audit log of the generated history: collected while rows are made, written last.

Events are made case by case (chunk by chunk, perhaps in several processes), but the
chain must run in time order across all cases, so they are kept on disk in one bucket
per month of history (bounded memory even at 30M events), then each bucket is sorted and
appended with `audit_append_many`, which computes the hash chain exactly as
`audit_record` does. Ties in time are broken by the chunk that made the event and the
order it was made in, so the order does not depend on which process finished first.
"""

from __future__ import annotations

import datetime
import pickle
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from amends.audit.actions import Action
from amends.audit.chain import BulkEvent
from amends.audit.services import PreparedEvent, audit_append_many, prepare_bulk_event

_BUCKET_SECONDS = 30 * 86_400
_FLUSH_AT = 5_000
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)
# The chunk of events made outside the cases phase (programmes, users, staff).
SETUP_CHUNK = -1

# (microseconds since the epoch, chunk, order within the chunk, actor id, action,
#  target type, target id, programme id, data)
Event = tuple[int, int, int, int | None, str, str, str, int | None, dict[str, Any]]
# (microseconds since the epoch, chunk, order within the chunk, *the fields of the event
#  ready to chain): a plain tuple, which pickles and unpickles several times faster than
#  named tuples on the way from the workers and through the spill files.
Ready = tuple[Any, ...]


def to_micros(moment: datetime.datetime) -> int:
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


class EventBuffer:
    """The events of one chunk, in the order they were made."""

    def __init__(self, chunk: int) -> None:
        self.chunk = chunk
        self.events: list[Event] = []

    def add(
        self,
        moment: datetime.datetime,
        actor_id: int | None,
        action: Action,
        target_type: str,
        target_id: int | str,
        programme_id: int | None,
        data: dict[str, Any] | None = None,
    ) -> None:
        self.events.append(
            (
                to_micros(moment),
                self.chunk,
                len(self.events),
                actor_id,
                action.value,
                target_type,
                str(target_id),
                programme_id,
                data or {},
            )
        )

    def prepared(self, actor_labels: dict[int, str]) -> list[Ready]:
        """The events, checked and made ready for the chain (the costly part of writing
        them, done where they were made)."""
        return [
            (
                micros,
                chunk,
                order,
                *prepare_bulk_event(
                    BulkEvent(
                        occurred_at=_EPOCH + datetime.timedelta(microseconds=micros),
                        actor_id=actor_id,
                        actor_label=actor_labels[actor_id] if actor_id is not None else "system",
                        action=action,
                        target_type=target_type,
                        target_id=target_id,
                        programme_id=programme,
                        data=data,
                    )
                ),
            )
            for micros, chunk, order, actor_id, action, target_type, target_id, programme, data in (
                self.events
            )
        ]


class AuditSink(EventBuffer):
    """Every chunk's events, bucketed by month on disk until they are written. Worker
    processes keep their own buckets in the same directory (`sharing`)."""

    def __init__(
        self, directory: tempfile.TemporaryDirectory[str] | None = None, name: str = "main"
    ) -> None:
        super().__init__(SETUP_CHUNK)
        self._directory = directory or tempfile.TemporaryDirectory(prefix="amends-audit-")
        self._name = name
        self._buffers: dict[int, list[Ready]] = {}
        self.count = 0

    def sharing(self, name: str) -> AuditSink:
        """A sink for another process, spilling into this one's directory."""
        return AuditSink(self._directory, name)

    def absorb(self, events: Iterable[Ready]) -> None:
        """Keep a chunk's events (the sink's own, from `add`, are kept until `write`)."""
        for event in events:
            bucket = event[0] // (_BUCKET_SECONDS * 1_000_000)
            rows = self._buffers.setdefault(bucket, [])
            rows.append(event)
            self.count += 1
            if len(rows) >= _FLUSH_AT:
                self._spill(bucket)

    def close(self) -> None:
        """Spill everything still in memory (a worker's last act)."""
        for bucket in list(self._buffers):
            self._spill(bucket)

    def _spill(self, bucket: int) -> None:
        path = Path(self._directory.name) / f"{bucket:08d}-{self._name}.pickle"
        with path.open("ab") as handle:
            pickle.dump(self._buffers.pop(bucket), handle, protocol=pickle.HIGHEST_PROTOCOL)

    def _bucket_rows(self, bucket: int) -> list[Ready]:
        rows = self._buffers.pop(bucket, [])
        for path in sorted(Path(self._directory.name).glob(f"{bucket:08d}-*.pickle")):
            with path.open("rb") as handle:
                while True:
                    try:
                        rows.extend(pickle.load(handle))  # noqa: S301 - our own temp file
                    except EOFError:
                        break
            path.unlink()
        rows.sort(key=lambda row: (row[0], row[1], row[2]))
        return rows

    def write(
        self, actor_labels: dict[int, str], progress: Callable[[int], None] | None = None
    ) -> int:
        """Append every collected event to the log, oldest first. Returns how many."""
        self.absorb(self.prepared(actor_labels))
        self.events = []
        spilled = Path(self._directory.name).iterdir()
        buckets = sorted(set(self._buffers) | {int(path.stem.split("-")[0]) for path in spilled})
        written = 0
        for bucket in buckets:
            rows = self._bucket_rows(bucket)
            written += audit_append_many(PreparedEvent._make(row[3:]) for row in rows)
            if progress is not None:
                progress(len(rows))
        self._directory.cleanup()
        return written
