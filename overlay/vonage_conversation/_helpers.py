"""The methods that are not one operation of the spec each, mixed into generated resources.

`EventHelpers` gives ``client.events`` `send_text` and `send_custom`: `create` with the body
of a text or a custom event. The same methods serve the sync and the async resource: each
returns what that resource's `create` returns (for the async one, an awaitable).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, TypeVar

from ._events import custom_event_type
from ._options import NOT_GIVEN, Headers, NotGiven, Timeout
from ._params import Id

__all__ = ["EventHelpers"]

R_co = TypeVar("R_co", covariant=True)


class _CreatesEvents(Protocol[R_co]):
    def create(
        self,
        conversation_id: Id,
        *,
        type: str | None = ...,
        from_: Id | None = ...,
        to: Id | None = ...,
        body: Mapping[str, Any] | None = ...,
        timeout: Timeout | NotGiven = ...,
        extra_headers: Headers | None = ...,
    ) -> R_co: ...


class EventHelpers:
    """Sending the two kinds of event a member sends (see `create` for everything else)."""

    def send_text(
        self: _CreatesEvents[R_co],
        conversation_id: Id,
        *,
        from_: Id,
        text: str,
        to: Id | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
    ) -> R_co:
        """Send a ``text`` event from member `from_`."""
        return self.create(
            conversation_id,
            type="text",
            from_=from_,
            to=to,
            body={"text": text},
            timeout=timeout,
            extra_headers=extra_headers,
        )

    def send_custom(
        self: _CreatesEvents[R_co],
        conversation_id: Id,
        name: str,
        *,
        from_: Id,
        body: Mapping[str, Any] | None = None,
        to: Id | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
    ) -> R_co:
        """Send a custom event, type ``custom:<name>``, with any JSON `body`."""
        return self.create(
            conversation_id,
            type=custom_event_type(name),
            from_=from_,
            to=to,
            body=body if body is not None else {},
            timeout=timeout,
            extra_headers=extra_headers,
        )
