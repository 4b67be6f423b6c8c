"""The data a run aims its valid requests at, made through the client before schemathesis starts
and deleted after it.

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
failure of its operation (a valid request, refused), and the requests that would have used
that resource keep their generated ids.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from vonage_conversation import ConversationAPIError, ConversationClient, NotFoundError

from ._results import Failure, Request

__all__ = ["FIXTURE_CHECK", "Fixture", "FixtureBuilder", "UserError", "delete_conversations"]

# The name setup failures are reported under, as if a check: a valid request was refused.
FIXTURE_CHECK = "setup_request_accepted"

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


class UserError(RuntimeError):
    """A user the run was told to use does not exist on the server."""


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

    def dump(self, path: Path) -> None:
        """Write the fixture where the schemathesis process reads it (`load`)."""
        path.write_text(json.dumps(asdict(self)), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Fixture:
        """The fixture `dump` wrote."""
        data = json.loads(path.read_text(encoding="utf-8"))
        data["conversations"] = tuple(data.get("conversations", ()))
        data["notes"] = tuple(data.get("notes", ()))
        return cls(**data)


@dataclass
class FixtureBuilder:
    """Makes a `Fixture` through the client, recording each refused step as a failure."""

    client: ConversationClient
    users: tuple[str, ...]
    base_url: str
    failures: list[Failure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    conversations: list[str] = field(default_factory=list)
    tag: str = field(default_factory=lambda: f"conformance-{uuid.uuid4().hex[:10]}")

    def _step(self, operation: str, path: str, body: Any, make: Callable[[], Any]) -> Any:
        """Run one setup request; None (and a recorded failure) if the server refused it."""
        try:
            return make()
        except ConversationAPIError as error:
            status = error.status
            self.failures.append(
                Failure(
                    operation=operation,
                    check=FIXTURE_CHECK,
                    phase="setup",
                    title="A valid request made to set up the run was refused",
                    message=str(error),
                    field=getattr(error, "detail", None),
                    status=status,
                    request=Request(
                        method=operation.split(maxsplit=1)[0],
                        url=self.base_url + path,
                        headers=(("Authorization", "Bearer"), ("Content-Type", "application/json")),
                        body=json.dumps(body).encode() if body is not None else None,
                    ),
                )
            )
            return None

    def conversation(self, role: str) -> str | None:
        body = {"name": f"{self.tag}-{role}", "display_name": f"conformance: {role}"}
        made = self._step(
            "POST /v0.3/conversations",
            "/v0.3/conversations",
            body,
            lambda: self.client.conversations.create(body),
        )
        if made is None:
            return None
        self.conversations.append(str(made.id))
        return str(made.id)

    def member(self, conversation_id: str | None, channel: Mapping[str, Any]) -> Any:
        if conversation_id is None:
            return None
        user = self.users[0]
        body = {"user": {"name": user}, "state": "joined", "channel": dict(channel)}
        path = f"/v0.3/conversations/{conversation_id}/members"

        def make() -> Any:
            try:
                return self.client.members.create(conversation_id, body)
            except NotFoundError as error:
                if "user" in f"{error.code} {error.detail}".lower():
                    raise UserError(
                        f"the user {user!r} does not exist on the server ({error.status} "
                        f"{error.detail or error.title}): set VONAGE_CONFORMANCE_USER to "
                        "existing users' names"
                    ) from None
                raise

        return self._step("POST /v0.3/conversations/{conversation_id}/members", path, body, make)

    def event(self, conversation_id: str | None, member_id: str | None, text: str) -> str | None:
        if conversation_id is None or member_id is None:
            return None
        body = {"type": "text", "from": member_id, "body": {"text": text}}
        made = self._step(
            "POST /v0.3/conversations/{conversation_id}/events",
            f"/v0.3/conversations/{conversation_id}/events",
            body,
            lambda: self.client.events.send_text(conversation_id, from_=member_id, text=text),
        )
        return None if made is None else str(made.id)

    def user_id_by_name(self) -> str | None:
        """The first user's id, from the users list (where a member does not name it)."""
        try:
            for user in self.client.users.list(page_size=100):
                if user.name == self.users[0]:
                    return str(user.id)
        except ConversationAPIError as error:
            self.notes.append(f"the users list failed ({error}): no user id to read")
        return None

    def build(self) -> Fixture:
        """Make every resource of the fixture (see the module's docstring)."""
        app = {"type": "app"}
        main = self.conversation("main")
        first = self.member(main, app)
        member_id = None if first is None else str(first.id)
        kept = self.event(main, member_id, "conformance: an event to read")
        doomed = self.event(main, member_id, "conformance: an event to delete")
        updatable = self.conversation("update-member")
        second = self.member(updatable, app)
        legged = self.conversation("leg")
        leg_id = f"{self.tag}-leg"
        with_leg = self.member(legged, {"type": "phone", "leg_id": leg_id})
        if with_leg is None:
            self.notes.append("no leg to delete: the server refused a member with a leg")
        return Fixture(
            conversation_id=main,
            member_id=member_id,
            event_id=kept,
            user_id=_user_id(first) or self.user_id_by_name(),
            deletable_conversation_id=self.conversation("delete"),
            deletable_event_id=doomed,
            deletable_leg_id=leg_id if with_leg is not None else None,
            updatable_conversation_id=updatable,
            updatable_member_id=None if second is None else str(second.id),
            joinable_conversation_id=self.conversation("join"),
            conversations=tuple(self.conversations),
            notes=tuple(self.notes),
        )


def _user_id(member: Any) -> str | None:
    """The user id a member names (`user_id`, or `_embedded.user.id`)."""
    if member is None:
        return None
    data = member.to_dict()
    found = data.get("user_id") or (data.get("_embedded") or {}).get("user", {}).get("id")
    return str(found) if found else None


def delete_conversations(client: ConversationClient, ids: Iterable[str]) -> int:
    """Delete conversations the run made (those already gone are fine); how many went."""
    deleted = 0
    for conversation_id in dict.fromkeys(ids):
        try:
            client.conversations.delete(conversation_id)
            deleted += 1
        except NotFoundError:
            continue
        except ConversationAPIError:
            continue
    return deleted
