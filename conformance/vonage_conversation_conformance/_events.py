"""Schemathesis's event stream (NDJSON, one `{"EventName": {...}}` object a line), read whole or
followed while a run is still writing it.

The stream is this package's one source of what a run did: `_results` tallies it, `_progress`
shows it as it grows.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["Event", "StreamFollower", "read_events"]

Event = tuple[str, dict[str, Any]]


def _parse(line: str) -> Event | None:
    if not line.strip():
        return None
    record = json.loads(line)
    if not isinstance(record, dict) or len(record) != 1:
        raise ValueError(f"not a schemathesis event: {line[:80]!r}")
    ((name, payload),) = record.items()
    return str(name), payload if isinstance(payload, dict) else {"value": payload}


def read_events(path: Path) -> Iterator[Event]:
    """Every event of a finished stream, in order."""
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            event = _parse(line)
            if event is not None:
                yield event


class StreamFollower:
    """The events a stream has gained since the last `poll`: only whole lines, so that a line
    the writer is half-way through is read on the next poll."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._offset = 0
        self._partial = b""

    def poll(self) -> list[Event]:
        """The complete events written since the previous call (none if the file is not there)."""
        try:
            with self.path.open("rb") as stream:
                stream.seek(self._offset)
                chunk = stream.read()
        except FileNotFoundError:
            return []
        self._offset += len(chunk)
        data = self._partial + chunk
        lines = data.split(b"\n")
        self._partial = lines.pop()
        events = [_parse(line.decode("utf-8")) for line in lines]
        return [event for event in events if event is not None]

    def finish(self) -> list[Event]:
        """What is left once the writer has stopped, a last line without its newline included."""
        events = self.poll()
        rest, self._partial = self._partial, b""
        last = _parse(rest.decode("utf-8")) if rest else None
        return [*events, last] if last is not None else events
