"""What a run tells its handlers, as schemathesis 4's engine tells its own: every event, in
order, to each handler's `handle_event`.

The events are schemathesis's, decoded from its stream (`_stream`), and the run's own: a run
ends with `RunFinished`, carrying the summary the report, the JUnit file and any other output
are made of. A handler takes the events it knows and lets the others pass (`_counting`
counts, `_progress` shows, `_junit` writes a report).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from ._report import Summary
from ._stream import EngineEvent

__all__ = ["Event", "EventHandler", "Handlers", "RunFinished"]


@dataclass(frozen=True)
class RunFinished:
    """The run is over, every phase done and judged."""

    summary: Summary


Event = EngineEvent | RunFinished


class EventHandler(Protocol):
    """Something that follows a run's events."""

    def handle_event(self, event: Event) -> None:
        """Take one event (one of a kind this handler does not follow is ignored)."""


class Handlers:
    """Hands every event to each handler, in order."""

    def __init__(self, handlers: Iterable[EventHandler] = ()) -> None:
        self.handlers = list(handlers)

    def handle_event(self, event: Event) -> None:
        """Give `event` to every handler."""
        for handler in self.handlers:
            handler.handle_event(event)

    def feed(self, events: Iterable[Event]) -> None:
        """Give each of `events` to every handler."""
        for event in events:
            self.handle_event(event)
