"""Rate limits: a token bucket per application, off unless asked for (``--rate-limit [N]``).

The Conversation API publishes no rate limit. The figure used when none is given, 15 requests
a second, is the one Vonage publishes for its REST APIs in the Voice API's troubleshooting
guide ("Maximum of 15 requests per second to the REST API",
https://developer.vonage.com/voice/voice-api/guides/troubleshooting): a plausible stand-in,
not a promise about the real service.

Each application's bucket holds up to N tokens (the burst) and refills at N a second on the
real monotonic clock (not the application's clock, which tests move at will). A call to one
of the API's operations takes a token; with none left it is answered 429
``system:error:too-many-requests`` with ``Retry-After``: the whole seconds until a token is
back, at least 1. The emulator's own routes (``/_emulator/...``) are never limited.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable

__all__ = ["DEFAULT_RATE", "RateLimiter"]

DEFAULT_RATE = 15
"""Requests a second per application when ``--rate-limit`` is given without a number."""


class RateLimiter:
    """Token buckets of ``rate`` tokens a second, ``rate`` deep, one per application
    (thread-safe). ``clock`` is monotonic seconds (injectable for tests)."""

    def __init__(self, rate: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        """ValueError unless ``rate`` is a whole number of requests a second, 1 or more."""
        if isinstance(rate, bool) or not isinstance(rate, int) or rate < 1:
            raise ValueError(f"rate limit: {rate!r} is not a number of requests a second (1+)")
        self.rate = rate
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        """Per application: the tokens left, and when that was counted."""
        self._lock = threading.Lock()

    def take(self, application_id: str) -> int | None:
        """Take a token for a call of the application: None when there was one, else the
        whole seconds (1 or more) to wait for the next."""
        with self._lock:
            now = self._clock()
            tokens, counted = self._buckets.get(application_id, (float(self.rate), now))
            tokens = min(float(self.rate), tokens + (now - counted) * self.rate)
            if tokens >= 1:
                self._buckets[application_id] = (tokens - 1, now)
                return None
            self._buckets[application_id] = (tokens, now)
        return max(1, math.ceil((1 - tokens) / self.rate))
