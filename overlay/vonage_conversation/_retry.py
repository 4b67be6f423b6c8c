"""When to send a request again, and how long to wait first."""

from __future__ import annotations

import asyncio
import email.utils
import math
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import httpx

__all__ = ["RETRY_STATUSES", "RetryPolicy", "parse_retry_after"]

#: Methods that may be sent twice without doing the thing twice. PATCH is here because this
#: API's only PATCH (update member) sets fields to values: applying it again changes nothing.
IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"})

#: Statuses that say "try again later" rather than "this request is wrong". 500 is not here:
#: it more often means the request hit a bug than that the server was briefly away.
RETRY_STATUSES = frozenset({429, 502, 503, 504})

# Failures where no response came back: the connection failed, was reset, or timed out.
_RETRYABLE_ERRORS = (httpx.TimeoutException, httpx.NetworkError, httpx.RemoteProtocolError)


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date.

    Returns None for a missing or unreadable header, and 0 for a date already past.
    """
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    if not math.isfinite(seconds):
        return None
    return max(0.0, seconds)


@dataclass(frozen=True)
class RetryPolicy:
    """How a client retries: which requests, how often, how long it waits.

    GET, PUT, PATCH and DELETE are retried on 429, 502, 503 and 504 and when the connection
    fails or times out; POST (create) is not, since a retried create can create twice, unless
    `retry_post` is set. The wait doubles from `initial_delay` up to `max_delay`, with jitter
    (between half and all of it) so that many clients do not retry in step. A ``Retry-After``
    header is honoured as sent; one asking for more than `max_retry_after` seconds is not
    waited out: the error is raised at once, its `retry_after` telling the caller how long.

    `sleep`, `async_sleep`, `random` and `clock` are there for tests and event loops that
    want their own.
    """

    max_retries: int = 2
    initial_delay: float = 0.5
    max_delay: float = 8.0
    max_retry_after: float = 60.0
    retry_post: bool = False
    statuses: frozenset[int] = RETRY_STATUSES
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False, compare=False)
    async_sleep: Callable[[float], Awaitable[None]] = field(
        default=asyncio.sleep, repr=False, compare=False
    )
    random: Callable[[], float] = field(default=random.random, repr=False, compare=False)
    clock: Callable[[], float] = field(default=time.time, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.max_retries, int) or isinstance(self.max_retries, bool):
            raise TypeError("max_retries must be an int")
        if self.max_retries < 0:
            raise ValueError("max_retries must be 0 (no retries) or more")
        for name in ("initial_delay", "max_delay", "max_retry_after"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")

    def retries(self, method: str) -> bool:
        """Whether requests with this method are retried at all."""
        method = method.upper()
        return self.max_retries > 0 and (
            method in IDEMPOTENT_METHODS or (self.retry_post and method == "POST")
        )

    def backoff(self, attempt: int) -> float:
        """The wait before retry number `attempt` + 1 (0-based), with jitter."""
        base = min(self.max_delay, self.initial_delay * 2.0**attempt)
        return float(base * (0.5 + 0.5 * self.random()))

    def delay_after_response(
        self, method: str, attempt: int, response: httpx.Response
    ) -> float | None:
        """Seconds to wait before retrying after `response`, or None not to retry."""
        if attempt >= self.max_retries or response.status_code not in self.statuses:
            return None
        if not self.retries(method):
            return None
        retry_after = parse_retry_after(response.headers.get("Retry-After"), now=self.clock())
        if retry_after is None:
            return self.backoff(attempt)
        if retry_after > self.max_retry_after:
            return None
        return retry_after

    def delay_after_error(self, method: str, attempt: int, error: Exception) -> float | None:
        """Seconds to wait before retrying after a transport failure, or None not to retry."""
        if attempt >= self.max_retries or not isinstance(error, _RETRYABLE_ERRORS):
            return None
        if not self.retries(method):
            return None
        return self.backoff(attempt)
