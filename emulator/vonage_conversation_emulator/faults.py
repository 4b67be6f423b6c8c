"""The fault table: answers set by ``POST /_emulator/faults`` in place of the API's own.

Each application has its own list of faults, oldest first. A call to one of the API's
operations takes the first fault of its application that names the operation (or ``"*"``)
and fires: one with a ``probability`` fires on that share of the calls (a call it lets pass
is offered to the next fault); one with a ``count`` fires that many times, then is gone; one
with neither fires until the faults are cleared. What a fault does (wait ``latency_ms``, then
answer ``status``) is the app's (``app.EmulatorApp``); which fault fires, and what is left of
its count, is decided here under one lock, so two calls never take the same last use.

The emulator's own routes (``/_emulator/...``) never take a fault: the app asks only for the
API's operations, so a ``"*"`` fault can always be cleared.
"""

from __future__ import annotations

import dataclasses
import math
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .ids import new_id

__all__ = ["ANY_OPERATION", "MAX_LATENCY_MS", "Fault", "FaultTable"]

ANY_OPERATION = "*"
MAX_LATENCY_MS = 600_000
"""The longest wait a fault may add (10 minutes): a typo should not hang a test suite."""


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _integer(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@dataclass(frozen=True)
class Fault:
    """One fault: what it answers (``status``, ``retry_after``), after how long a wait
    (``latency_ms``), and how often (``count`` left, or ``probability``; neither: always).

    A fault that breaks a rule is a ValueError naming the field, so the table never holds one.
    """

    operation: str
    status: int | None = None
    count: int | None = None
    probability: float | None = None
    latency_ms: float | None = None
    retry_after: int | None = None
    id: str = dataclasses.field(default_factory=lambda: new_id("FLT"))

    def __post_init__(self) -> None:
        if not isinstance(self.operation, str) or not self.operation:
            raise ValueError("operation: an operationId, or '*' for every operation")
        if self.status is not None and not (_integer(self.status) and 400 <= self.status <= 599):
            raise ValueError(f"status: {self.status!r} is not an error status (400 to 599)")
        if self.count is not None and not (_integer(self.count) and self.count >= 1):
            raise ValueError(f"count: {self.count!r} is not a number of calls (1 or more)")
        if self.probability is not None and not (
            _number(self.probability) and 0 < self.probability <= 1
        ):
            raise ValueError(f"probability: {self.probability!r} is not above 0 and at most 1")
        if self.latency_ms is not None and not (
            _number(self.latency_ms) and 0 <= self.latency_ms <= MAX_LATENCY_MS
        ):
            raise ValueError(f"latency_ms: {self.latency_ms!r} is not 0 to {MAX_LATENCY_MS}")
        if self.retry_after is not None and not (
            _integer(self.retry_after) and self.retry_after >= 0
        ):
            raise ValueError(f"retry_after: {self.retry_after!r} is not whole seconds (0 or more)")
        if self.count is not None and self.probability is not None:
            raise ValueError("count, probability: give one of them at most")
        if self.status is None and self.latency_ms is None:
            raise ValueError("status: required unless latency_ms is given (a fault does something)")
        if self.retry_after is not None and self.status is None:
            raise ValueError("retry_after: only goes with a status (it is a header of the answer)")

    def applies_to(self, operation_id: str) -> bool:
        """Whether the fault is about ``operation_id``."""
        return self.operation in (ANY_OPERATION, operation_id)

    def view(self) -> dict[str, Any]:
        """The fault as the admin routes show it: its id and the fields set (``count``: the
        calls it has left)."""
        fields = dataclasses.asdict(self)
        return {name: value for name, value in fields.items() if value is not None}


class FaultTable:
    """Every application's faults (thread-safe). ``chance`` draws a probability's number."""

    def __init__(self, chance: Callable[[], float] = random.random) -> None:
        self._chance = chance
        self._faults: dict[str, list[Fault]] = {}
        self._lock = threading.Lock()

    def add(self, application_id: str, fault: Fault) -> Fault:
        """Add a fault after the application's others; the fault."""
        with self._lock:
            self._faults.setdefault(application_id, []).append(fault)
        return fault

    def of(self, application_id: str) -> list[Fault]:
        """The application's faults, oldest first, as they are now."""
        with self._lock:
            return list(self._faults.get(application_id, ()))

    def clear(self, application_id: str) -> None:
        """Remove every fault of the application."""
        with self._lock:
            self._faults.pop(application_id, None)

    def take(self, application_id: str, operation_id: str) -> Fault | None:
        """The fault a call to ``operation_id`` gets, its count used once; None for none."""
        if not self._faults.get(application_id):
            return None  # the usual case, without the lock: a dict read is atomic
        with self._lock:
            faults = self._faults.get(application_id, [])
            for index, fault in enumerate(faults):
                if not fault.applies_to(operation_id):
                    continue
                if fault.probability is not None and self._chance() >= fault.probability:
                    continue
                if fault.count is not None:
                    if fault.count == 1:
                        del faults[index]
                    else:
                        faults[index] = dataclasses.replace(fault, count=fault.count - 1)
                return fault
        return None
