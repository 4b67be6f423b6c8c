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

from dataclasses import dataclass, field
from datetime import timedelta, timezone
from typing import Any

from dateutil.parser import isoparse

from .._maker import Maker, user_id_of

__all__ = ["SemanticData", "build_data"]

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


def _join(maker: Maker, data: SemanticData) -> None:
    """C1..C5, each joined by the first user (C2..C5 with a leg where the server takes one)."""
    first = data.users[0]
    for number in range(1, JOINED_CONVERSATIONS + 1):
        made = maker.conversation(f"c{number}")
        if made is None:
            continue
        conversation = str(made["id"])
        data.names[conversation] = str(made.get("name"))
        data.since = data.since or _just_before(made)
        member = None
        if number > 1 and (number == 2 or data.legs):  # no more tries once one is refused
            leg = f"{maker.tag}-leg-{number}"
            channel = {"type": "phone", "leg_id": leg}
            member = maker.member(conversation, first, channel=channel, quiet=True)
            if member is not None:
                data.legs.append(leg)
            elif number == 2:
                data.notes.append("no legs: the server refused a member with a leg")
        member = member or maker.member(conversation, first)
        if member is not None:
            data.joined.append(conversation)
            data.user_id = data.user_id or user_id_of(member)
            if number == 1:
                data.members.append(str(member.get("id")))


def _fill_main(maker: Maker, data: SemanticData, main: str) -> None:
    """C1's other members, its events, and three sessions of the first user."""
    for user in data.users[1:3]:
        other = maker.member(main, user)
        if other is not None:
            data.members.append(str(other.get("id")))
    sender = data.members[0]
    sent = [maker.event(main, sender, "text", {"text": text}) for text in TEXTS]
    sent.append(maker.event(main, sender, f"custom:{maker.tag}", {"n": 1}))
    data.events = [event for event in sent if event is not None]
    for _ in range(3):  # three sessions: three user tokens never used before
        ids = {"conversation_id": main}
        maker.api.call("getMyMember", ids, sub=data.users[0], new_session=True)


def _membership(maker: Maker, role: str, user: str, state: str) -> tuple[str, str] | None:
    """(conversation, member) of a new conversation where `user` is a member in `state`."""
    made = maker.conversation(role)
    member = None if made is None else maker.member(str(made["id"]), user, state=state)
    return None if made is None or member is None else (str(made["id"]), str(member.get("id")))


def build_data(maker: Maker, users: tuple[str, ...]) -> SemanticData:
    """Make the data (see the module's docstring) as the run's users."""
    data = SemanticData(users=users, tag=maker.tag)
    _join(maker, data)
    if data.main is not None and data.members:
        _fill_main(maker, data, data.main)
    data.left = _membership(maker, "leave", users[0], "joined")
    data.invited = _membership(maker, "invite", users[0], "invited")
    data.conversations = list(maker.conversations)
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
