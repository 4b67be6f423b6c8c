"""The requests the token rules are tried on: one read and one write of every tag the spec
has, aimed at the data made for the checks (a tag without a write, `user`, has its read only).

A write is chosen so that a server wrongly accepting the token harms nothing the checks need:
an update that sets what is already set, a member for a user who is one already, an event in
the conversation the event checks do not count, a leg that does not exist.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ._data import SemanticData

__all__ = ["Endpoint", "endpoints"]


@dataclass(frozen=True)
class Endpoint:
    """One operation, with the ids and body of a request the run's token would get a 2xx to."""

    operation: str  # its operationId
    kind: Literal["read", "write"]
    ids: Mapping[str, str] = field(default_factory=dict)
    body: Any = None


def endpoints(data: SemanticData) -> list[Endpoint]:
    """A read and a write of each tag, where the data made reaches them."""
    found = [Endpoint("listLegs", "read"), Endpoint("deleteLeg", "write", {"leg_id": "LEG-none"})]
    if data.conversations:
        conversation = {"conversation_id": data.conversations[0]}
        found += [
            Endpoint("getConversation", "read", conversation),
            Endpoint("updateConversation", "write", conversation, {"display_name": data.tag}),
        ]
    if data.user_id is not None:
        found.append(Endpoint("listUserConversations", "read", {"user_id": data.user_id}))
    if data.main is not None and data.members:
        main = {"conversation_id": data.main}
        member = {**main, "member_id": data.members[0]}
        again = {"user": {"name": data.users[0]}, "state": "joined", "channel": {"type": "app"}}
        found += [
            Endpoint("getMember", "read", member),
            Endpoint("createMember", "write", main, again),
        ]
        if data.events:
            event = {**main, "event_id": str(data.events[0]["id"])}
            found.append(Endpoint("getEvent", "read", event))
    if data.left is not None:
        left, sender = data.left
        text = {"type": "text", "from": sender, "body": {"text": "refused"}}
        found.append(Endpoint("createEvent", "write", {"conversation_id": left}, text))
    return found
