"""Per-call options: a `timeout` and `extra_headers` for one request (or each page of a list).

Every generated method takes both. `NOT_GIVEN` leaves the timeout as the client has it, since
``None`` already means something: no timeout at all, as in httpx.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx

__all__ = ["NOT_GIVEN", "Headers", "NotGiven", "RequestOptions", "Timeout", "as_timeout"]

#: A timeout as the client and its methods take it: seconds, an `httpx.Timeout`, or None for
#: no timeout.
Timeout = float | httpx.Timeout | None

#: Extra request headers: names to values.
Headers = Mapping[str, str]

# Headers the client's auth writes: an extra header could only be overwritten, or leak.
_AUTH_HEADERS = frozenset({"authorization", "proxy-authorization"})


class NotGiven:
    """The type of `NOT_GIVEN`: an option the caller left as the client has it."""

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = NotGiven()


def as_timeout(value: object) -> httpx.Timeout:
    """An `httpx.Timeout` from seconds, a Timeout, or None (no timeout); anything else raises."""
    if isinstance(value, httpx.Timeout):
        return value
    if value is None:
        return httpx.Timeout(None)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(
            f"timeout must be seconds, an httpx.Timeout or None, not {type(value).__name__}"
        )
    if value < 0:
        raise ValueError("timeout must not be negative")
    return httpx.Timeout(float(value))


def _headers(value: object) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, Mapping) or not all(
        isinstance(key, str) and isinstance(text, str) for key, text in value.items()
    ):
        raise TypeError("extra_headers must be a mapping of header names to str values")
    refused = sorted(key for key in value if key.lower() in _AUTH_HEADERS)
    if refused:
        raise ValueError(
            f"extra_headers cannot set {', '.join(refused)}: the client's auth signs each request"
        )
    return dict(value)


@dataclass(frozen=True)
class RequestOptions:
    """The options of one call: its timeout (None: no timeout; unset: the client's) and the
    headers added to the client's own."""

    timeout: httpx.Timeout | None = None
    extra_headers: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def of(cls, timeout: Timeout | NotGiven, extra_headers: Headers | None) -> RequestOptions:
        """Checked options from a method's ``timeout=`` and ``extra_headers=``."""
        chosen = None if isinstance(timeout, NotGiven) else as_timeout(timeout)
        return cls(timeout=chosen, extra_headers=_headers(extra_headers))
