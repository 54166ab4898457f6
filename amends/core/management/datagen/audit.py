"""The audit log of the generated history: collected while rows are made, written last.

Events are made case by case, but the chain must run in time order across all cases,
so they are kept on disk in one bucket per month of history (bounded memory even at 20M
events), then each bucket is sorted and appended with `audit_append_many`, which
computes the hash chain exactly as `audit_record` does.
"""

from __future__ import annotations

import datetime
import pickle
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from amends.audit.actions import Action
from amends.audit.models import AuditEvent
from amends.audit.services import audit_append_many

_BUCKET_SECONDS = 30 * 86_400
_FLUSH_AT = 5_000
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)

# (microseconds since the epoch, order of creation, actor id, action, target type,
#  target id, programme id, data)
Row = tuple[int, int, int | None, str, str, str, int | None, dict[str, Any]]


def to_micros(moment: datetime.datetime) -> int:
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


class AuditSink:
    def __init__(self) -> None:
        self._directory = tempfile.TemporaryDirectory(prefix="amends-audit-")
        self._buffers: dict[int, list[Row]] = {}
        self._sequence = 0
        self.count = 0

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
        micros = to_micros(moment)
        self._sequence += 1
        row: Row = (
            micros,
            self._sequence,
            actor_id,
            action.value,
            target_type,
            str(target_id),
            programme_id,
            data or {},
        )
        bucket = micros // (_BUCKET_SECONDS * 1_000_000)
        rows = self._buffers.setdefault(bucket, [])
        rows.append(row)
        self.count += 1
        if len(rows) >= _FLUSH_AT:
            self._spill(bucket)

    def _path(self, bucket: int) -> Path:
        return Path(self._directory.name) / f"{bucket:08d}.pickle"

    def _spill(self, bucket: int) -> None:
        with self._path(bucket).open("ab") as handle:
            pickle.dump(self._buffers.pop(bucket), handle, protocol=pickle.HIGHEST_PROTOCOL)

    def _bucket_rows(self, bucket: int) -> list[Row]:
        rows = self._buffers.pop(bucket, [])
        path = self._path(bucket)
        if path.exists():
            with path.open("rb") as handle:
                while True:
                    try:
                        rows.extend(pickle.load(handle))  # noqa: S301 - our own temp file
                    except EOFError:
                        break
            path.unlink()
        rows.sort(key=lambda row: (row[0], row[1]))
        return rows

    def write(
        self, actor_labels: dict[int, str], progress: Callable[[int], None] | None = None
    ) -> int:
        """Append every collected event to the log, oldest first. Returns how many."""
        buckets = sorted(
            set(self._buffers) | {int(path.stem) for path in Path(self._directory.name).iterdir()}
        )
        written = 0
        for bucket in buckets:
            rows = self._bucket_rows(bucket)
            written += audit_append_many(self._events(rows, actor_labels))
            if progress is not None:
                progress(len(rows))
        self._directory.cleanup()
        return written

    @staticmethod
    def _events(rows: list[Row], actor_labels: dict[int, str]) -> Iterator[AuditEvent]:
        for micros, _sequence, actor_id, action, target_type, target_id, programme, data in rows:
            yield AuditEvent(
                occurred_at=_EPOCH + datetime.timedelta(microseconds=micros),
                actor_id=actor_id,
                actor_label=actor_labels[actor_id] if actor_id is not None else "system",
                action=action,
                target_type=target_type,
                target_id=target_id,
                programme_id=programme,
                data=data,
                reason="",
                request_id="",
                ip_address=None,
            )
