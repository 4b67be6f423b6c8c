"""Events by kind: a generic `Event` read as the typed model its ``type`` names.

The API returns every event as the generic ``Event`` (its body a free-form object); the spec
also types the common kinds, whose bodies have a known shape. `as_typed` picks the kind:

    match as_typed(event):
        case TextEvent(body=body):
            print(body.text)
        case CustomEvent() as custom:
            print(custom_event_name(custom), custom.body.to_dict())
        case MemberJoinedEvent(body=member):
            print(member.id, "joined")
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from vonage_conversation_api.models import (
    CustomEvent,
    Event,
    MemberInvitedEvent,
    MemberJoinedEvent,
    MemberLeftEvent,
    TextEvent,
)

__all__ = ["TypedEvent", "as_typed", "custom_event_name", "custom_event_type"]

CUSTOM_PREFIX = "custom:"

#: What `as_typed` returns: a kind's own model, or the generic `Event` for any other type.
TypedEvent = (
    TextEvent | CustomEvent | MemberInvitedEvent | MemberJoinedEvent | MemberLeftEvent | Event
)

_KINDS: dict[str, Callable[[Mapping[str, Any]], TypedEvent]] = {
    "text": TextEvent.from_dict,
    "member:invited": MemberInvitedEvent.from_dict,
    "member:joined": MemberJoinedEvent.from_dict,
    "member:left": MemberLeftEvent.from_dict,
}


def custom_event_type(name: str) -> str:
    """The event type of a custom event called `name`: ``custom:<name>``."""
    if not isinstance(name, str):
        raise TypeError(f"a custom event name must be a str, not {type(name).__name__}")
    bare = name.removeprefix(CUSTOM_PREFIX)
    if not bare.strip():
        raise ValueError("a custom event needs a name (its type is 'custom:<name>')")
    return CUSTOM_PREFIX + bare


def custom_event_name(event: Event | CustomEvent) -> str | None:
    """The name of a custom event (``custom:order_paid`` -> ``order_paid``); None for others."""
    kind = event.type_
    if isinstance(kind, str) and kind.startswith(CUSTOM_PREFIX):
        return kind[len(CUSTOM_PREFIX) :]
    return None


def as_typed(event: Event) -> TypedEvent:
    """`event` as the model of its kind: `TextEvent`, `CustomEvent`, `MemberInvitedEvent`,
    `MemberJoinedEvent` or `MemberLeftEvent`; any other type (or a body that does not fit its
    kind) comes back as the same generic `Event`, so no event is ever lost.
    """
    if not isinstance(event, Event):
        raise TypeError(f"as_typed takes an Event, not {type(event).__name__}")
    kind = event.type_
    parse = _KINDS.get(kind)
    if parse is None and kind.startswith(CUSTOM_PREFIX):
        parse = CustomEvent.from_dict
    if parse is None:
        return event
    try:
        return parse(event.to_dict())
    except (KeyError, TypeError, ValueError, AttributeError):
        return event
