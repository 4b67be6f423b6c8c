"""When a failed delivery is tried again: exponential backoff with jitter, bounded two ways.

After the n-th failed attempt the next one waits about ``initial * factor ** (n - 1)`` seconds
(1, 2, 4, 8... by default), capped at ``max_delay``, each wait stretched or shrunk at random
by up to ``jitter`` of itself, so that receivers coming back up are not hit by every sender at
the same instant. A delivery is given up after ``max_attempts`` attempts, or when its next
attempt would start later than ``window`` seconds after the delivery was created, whichever
comes first. ``timeout`` is how long one attempt waits for an answer (5 s: "no answer within
5 s" is a failure like a 5xx).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

__all__ = ["DeliveryPolicy"]


@dataclass(frozen=True)
class DeliveryPolicy:
    """The retry schedule of deliveries, and how long one attempt may take.

    Attributes:
        initial: seconds to wait after the first failed attempt.
        factor: how much each wait grows on the one before (2: doubling).
        max_delay: the longest single wait, in seconds.
        max_attempts: attempts in all, the first one included.
        window: seconds after its creation past which a delivery is not tried again.
        jitter: the fraction (0 to 1) by which a wait may be randomly longer or shorter.
        timeout: seconds one attempt waits for an answer.
        random: a source of numbers in [0, 1) for the jitter (injectable for tests).
    """

    initial: float = 1.0
    factor: float = 2.0
    max_delay: float = 300.0
    max_attempts: int = 10
    window: float = 3600.0
    jitter: float = 0.2
    timeout: float = 5.0
    random: Callable[[], float] = field(default=random.random, compare=False, repr=False)

    def __post_init__(self) -> None:
        problems = [
            f"{name} must be {rule}, not {value!r}"
            for name, value, ok, rule in (
                ("initial", self.initial, self.initial > 0, "more than 0 seconds"),
                ("factor", self.factor, self.factor >= 1, "1 or more"),
                ("max_delay", self.max_delay, self.max_delay >= self.initial, "at least initial"),
                ("max_attempts", self.max_attempts, self.max_attempts >= 1, "1 or more"),
                ("window", self.window, self.window >= 0, "0 or more seconds"),
                ("jitter", self.jitter, 0 <= self.jitter < 1, "at least 0 and less than 1"),
                ("timeout", self.timeout, self.timeout > 0, "more than 0 seconds"),
            )
            if not ok
        ]
        if problems:
            raise ValueError("delivery policy: " + "; ".join(problems))

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number `attempt` (1 for the first), jittered."""
        if attempt < 1:
            raise ValueError(f"attempts are numbered from 1, not {attempt!r}")
        try:
            base = min(self.initial * self.factor ** (attempt - 1), self.max_delay)
        except OverflowError:  # a long run of attempts: far past the cap
            base = self.max_delay
        return base * (1 + self.jitter * (2 * self.random() - 1))

    def next_attempt(
        self, attempt: int, *, created_at: datetime, failed_at: datetime
    ) -> datetime | None:
        """When to try again after attempt `attempt` failed at `failed_at`; None: give up."""
        if attempt >= self.max_attempts:
            return None
        at = failed_at + timedelta(seconds=self.delay(attempt))
        if at > created_at + timedelta(seconds=self.window):
            return None
        return at
