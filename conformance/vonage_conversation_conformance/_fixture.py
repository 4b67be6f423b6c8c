"""The data a run aims its valid requests at, made (`_maker`) before schemathesis starts and
deleted after it.

A schema says which requests are well formed, not which conversations, members, events or legs
exist: a generated id only ever meets "404 not found", and an operation answered nothing but
404 is not verified. So the run makes real resources first, and the hooks put their ids into
every valid (positive) request of the stateless phases:

- conversation A, with a joined member M1 (the first user) and events E1 and E2: most
  operations read or write there (members/me, asked as the first user, finds M1);
- conversation B, for `deleteConversation`; event E2, for `deleteEvent`;
- conversation C with a member M2 of its own, for `updateMember` (a PATCH may make it leave);
- conversation D with no member, for `createMember` (the run's users join it in turn);
- a member joined with a leg, for `deleteLeg`, where the server takes `channel.leg_id`.

A step the server refuses is not the end of the run: the request it made is recorded as a
failure of its operation (a valid request, refused: see `_maker`), and the requests that would
have used that resource keep their generated ids.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from ._maker import Maker, user_id_of

__all__ = ["Fixture", "build_fixture"]

# Where an operation's valid requests must not use the shared resource: (operationId, path
# parameter) -> the fixture field that holds its own.
_OWN_RESOURCE = {
    ("deleteConversation", "conversation_id"): "deletable_conversation_id",
    ("deleteEvent", "event_id"): "deletable_event_id",
    ("deleteLeg", "leg_id"): "deletable_leg_id",
    ("updateMember", "conversation_id"): "updatable_conversation_id",
    ("updateMember", "member_id"): "updatable_member_id",
    ("createMember", "conversation_id"): "joinable_conversation_id",
}
# Every other path parameter -> the shared resource's field.
_SHARED = {
    "conversation_id": "conversation_id",
    "member_id": "member_id",
    "event_id": "event_id",
    "user_id": "user_id",
    "leg_id": "deletable_leg_id",
}


@dataclass(frozen=True)
class Fixture:
    """The ids of what the run made (None where the server refused to make it)."""

    conversation_id: str | None = None
    member_id: str | None = None
    event_id: str | None = None
    user_id: str | None = None
    deletable_conversation_id: str | None = None
    deletable_event_id: str | None = None
    deletable_leg_id: str | None = None
    updatable_conversation_id: str | None = None
    updatable_member_id: str | None = None
    joinable_conversation_id: str | None = None
    # Every conversation made, to delete at the end.
    conversations: tuple[str, ...] = ()
    # What could not be made, and why (printed with the setup line).
    notes: tuple[str, ...] = ()

    def path_value(self, operation_id: str | None, parameter: str) -> str | None:
        """The id a valid request of `operation_id` puts in path `parameter`, if any."""
        name = _OWN_RESOURCE.get((operation_id or "", parameter)) or _SHARED.get(parameter)
        value = getattr(self, name) if name else None
        return value if isinstance(value, str) else None

    def sender(self) -> str | None:
        """The member whose valid events are sent as (`from`): M1, joined in A."""
        return self.member_id

    def as_json(self) -> dict[str, Any]:
        """The fixture as JSON data (the hooks' settings file carries it: see `hooks`)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Fixture:
        """The fixture `as_json` gave."""
        data = {**data}
        data["conversations"] = tuple(data.get("conversations", ()))
        data["notes"] = tuple(data.get("notes", ()))
        return cls(**data)


def _user_id_by_name(maker: Maker, name: str) -> str | None:
    """A user's id from the users list, for a server whose members do not name it."""
    answer = maker.api.call("listUsers", params={"page_size": 100})
    embedded = answer.body.get("_embedded") if isinstance(answer.body, dict) else None
    users = ((embedded or {}).get("data") or {}).get("users") or []
    return next(
        (str(u.get("id")) for u in users if isinstance(u, dict) and u.get("name") == name), None
    )


def build_fixture(maker: Maker, users: tuple[str, ...]) -> Fixture:
    """Make every resource of the fixture (see the module's docstring) as the first user."""
    user, notes = users[0], []

    def member_of(conversation: dict[str, Any] | None, **kwargs: Any) -> dict[str, Any] | None:
        return (
            None if conversation is None else maker.member(str(conversation["id"]), user, **kwargs)
        )

    main = maker.conversation("main")
    first = member_of(main)
    member_id = None if first is None else str(first.get("id"))
    kept = doomed_event = None
    if main is not None and member_id is not None:
        kept = maker.event(str(main["id"]), member_id, "text", {"text": "an event to read"})
        doomed_event = maker.event(str(main["id"]), member_id, "text", {"text": "to delete"})
    updatable = maker.conversation("update-member")
    second = member_of(updatable)
    leg_id = f"{maker.tag}-leg"
    with_leg = member_of(
        maker.conversation("leg"), channel={"type": "phone", "leg_id": leg_id}, quiet=True
    )
    if with_leg is None:
        notes.append("no leg to delete: the server refused a member with a leg")
    doomed = maker.conversation("delete")
    joinable = maker.conversation("join")

    def ident(made: dict[str, Any] | None) -> str | None:
        return None if made is None else str(made.get("id"))

    return Fixture(
        conversation_id=ident(main),
        member_id=member_id,
        event_id=ident(kept),
        user_id=user_id_of(first) or _user_id_by_name(maker, user),
        deletable_conversation_id=ident(doomed),
        deletable_event_id=ident(doomed_event),
        deletable_leg_id=leg_id if with_leg is not None else None,
        updatable_conversation_id=ident(updatable),
        updatable_member_id=ident(second),
        joinable_conversation_id=ident(joinable),
        conversations=tuple(maker.conversations),
        notes=tuple(notes),
    )
