"""The data the semantic checks reason about, made at the start of their phase and deleted after.

Known items, made in a known order, so that a list can be judged: does it hold each of them
once, in the order asked? With the run's first user (the others where there are some):

- conversations C1..C5, which the first user joins (C2..C5 over a phone channel with a leg,
  where the server takes `channel.leg_id`);
- in C1, up to three members (one per user) and five events (four texts and a custom one);
- C6, where the first user joins and then leaves; C7, where the first user is invited;
- three sessions of the first user (a user JWT the server has not seen before makes one).

A step the server refuses is a failure of its operation (`setup_request_accepted`), and the
checks that needed it are skipped.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta, timezone
from typing import Any

from dateutil.parser import isoparse

from .._fixture import FIXTURE_CHECK
from .._results import Failure
from ._api import PHASE, Answer, Api

__all__ = ["SemanticData", "build_data"]

CONVERSATIONS = "POST /v0.3/conversations"
MEMBERS = "POST /v0.3/conversations/{conversation_id}/members"
EVENTS = "POST /v0.3/conversations/{conversation_id}/events"
MY_MEMBER = "GET /v0.3/conversations/{conversation_id}/members/me"
UPDATE_MEMBER = "PATCH /v0.3/conversations/{conversation_id}/members/{member_id}"
# How many conversations the first user joins, in order (the lists' known items).
JOINED_CONVERSATIONS = 5
TEXTS = ("one", "two", "three", "four")


@dataclass
class SemanticData:
    """What was made: ids in the order they were made (empty where the server refused)."""

    users: tuple[str, ...]
    tag: str
    since: str | None = None  # a date_start just before the first conversation
    conversations: list[str] = field(default_factory=list)  # every one made, in order
    names: dict[str, str] = field(default_factory=dict)  # conversation id -> its name
    joined: list[str] = field(default_factory=list)  # C1..C5, the first user's memberships
    user_id: str | None = None
    members: list[str] = field(default_factory=list)  # C1's members, one per user
    events: list[dict[str, Any]] = field(default_factory=list)  # made in C1, as answered
    legs: list[str] = field(default_factory=list)
    left: tuple[str, str] | None = None  # (conversation, member) that left
    invited: tuple[str, str] | None = None  # (conversation, member) invited
    notes: list[str] = field(default_factory=list)

    @property
    def main(self) -> str | None:
        """C1: the conversation with several members and the events."""
        return self.joined[0] if self.joined else None


class _Builder:
    def __init__(self, api: Api, users: tuple[str, ...]) -> None:
        self.api = api
        self.data = SemanticData(users=users, tag=f"semantic-{uuid.uuid4().hex[:10]}")

    def accepted(self, operation: str, answer: Answer) -> bool:
        if answer.ok and isinstance(answer.body, dict):
            return True
        self.api.result.add_failure(
            Failure(
                operation=operation,
                check=FIXTURE_CHECK,
                phase=PHASE,
                title="A valid request made to set up the semantic checks was refused",
                message=f"{answer.describe()}: {answer.body}",
                status=answer.status,
                request=answer.request,
            )
        )
        self.api.result.operation(operation).check(FIXTURE_CHECK).failed += 1
        return False

    def conversation(self, role: str) -> str | None:
        name = f"{self.data.tag}-{role}"
        answer = self.api.call(CONVERSATIONS, "POST", "/v0.3/conversations", body={"name": name})
        if not self.accepted(CONVERSATIONS, answer):
            return None
        made = str(answer.body.get("id"))
        self.data.conversations.append(made)
        self.data.names[made] = name
        if self.data.since is None:
            self.data.since = _just_before(answer.body)
        return made

    def member(
        self, conversation: str, user: str, state: str = "joined", leg: str | None = None
    ) -> dict[str, Any] | None:
        channel: dict[str, Any] = {"type": "phone", "leg_id": leg} if leg else {"type": "app"}
        body = {"user": {"name": user}, "state": state, "channel": channel}
        path = f"/v0.3/conversations/{conversation}/members"
        answer = self.api.call(MEMBERS, "POST", path, body=body)
        if leg and not answer.ok:
            self.data.notes.append(f"no legs: a member with a leg was answered {answer.status}")
            return self.member(conversation, user, state)
        if not self.accepted(MEMBERS, answer):
            return None
        made: dict[str, Any] = answer.body
        if leg:
            self.data.legs.append(leg)
        return made

    def event(self, conversation: str, sender: str, kind: str, body: dict[str, Any]) -> None:
        path = f"/v0.3/conversations/{conversation}/events"
        sent = {"type": kind, "from": sender, "body": body}
        answer = self.api.call(EVENTS, "POST", path, body=sent)
        if self.accepted(EVENTS, answer):
            self.data.events.append({**sent, "id": answer.body.get("id")})

    def build(self) -> SemanticData:
        data, first = self.data, self.data.users[0]
        legs = True
        for number in range(1, JOINED_CONVERSATIONS + 1):
            conversation = self.conversation(f"c{number}")
            if conversation is None:
                continue
            leg = f"{data.tag}-leg-{number}" if number > 1 and legs else None
            member = self.member(conversation, first, leg=leg)
            legs = legs and (leg is None or bool(data.legs))
            if member is None:
                continue
            data.joined.append(conversation)
            data.user_id = data.user_id or _user_id(member)
            if number == 1:
                data.members.append(str(member.get("id")))
        main = data.main
        if main is not None and data.members:
            for user in data.users[1:3]:
                other = self.member(main, user)
                if other is not None:
                    data.members.append(str(other.get("id")))
            for text in TEXTS:
                self.event(main, data.members[0], "text", {"text": text})
            self.event(main, data.members[0], f"custom:{data.tag}", {"n": 1})
            for _ in range(3):  # three sessions: three user tokens never used before
                path = f"/v0.3/conversations/{main}/members/me"
                self.api.call(MY_MEMBER, "GET", path, sub=first, new_session=True)
        leaving = self.conversation("leave")
        if leaving is not None and (member := self.member(leaving, first)) is not None:
            data.left = (leaving, str(member.get("id")))
        inviting = self.conversation("invite")
        if inviting is not None and (member := self.member(inviting, first, "invited")):
            data.invited = (inviting, str(member.get("id")))
        return data


def _just_before(conversation: dict[str, Any]) -> str | None:
    """A `date_start` one second before a conversation was created (by the server's clock)."""
    created = (conversation.get("timestamp") or {}).get("created")
    if not isinstance(created, str):
        return None
    try:
        moment = isoparse(created)
    except (ValueError, OverflowError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    earlier = moment.astimezone(timezone.utc) - timedelta(seconds=1)
    return earlier.strftime("%Y-%m-%dT%H:%M:%SZ")


def _user_id(member: dict[str, Any]) -> str | None:
    found = member.get("user_id") or ((member.get("_embedded") or {}).get("user") or {}).get("id")
    return str(found) if found else None


def build_data(api: Api, users: tuple[str, ...]) -> SemanticData:
    """Make the data (see the module's docstring) as the run's users."""
    return _Builder(api, users).build()
