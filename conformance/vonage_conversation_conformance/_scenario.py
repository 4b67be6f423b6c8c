"""A short conversation through the client, as a user would have it: the main job's first half.

Two users join a new conversation, exchange text and custom events, page through them, and one
leaves; every step is printed, and the conversation is deleted at the end.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from vonage_conversation import ConversationClient, NotFoundError, as_typed
from vonage_conversation_api.models import CustomEvent, Event, TextEvent


@dataclass(frozen=True)
class ScenarioResult:
    """What the scenario saw, for the caller to check."""

    conversation_id: str
    event_types: list[str]  # every event, oldest first, as paged through
    pages: int
    member_states: dict[str, str]  # user name -> state at the end


def _describe(event: Event) -> str:
    typed = as_typed(event)
    if isinstance(typed, TextEvent):
        return f"text: {typed.body.text!r}"
    if isinstance(typed, CustomEvent):
        return f"{typed.type_}: {typed.body.to_dict()}"
    return str(typed.type_)


def run_scenario(
    client: ConversationClient, users: tuple[str, str], say: Callable[[str], None] = print
) -> ScenarioResult:
    """Run the scenario with two existing users, printing each step with `say`."""
    first, second = users
    conversation = client.conversations.create(
        name=f"tour-{uuid.uuid4().hex[:12]}", display_name="A short tour"
    )
    say(f"created conversation {conversation.id} ({conversation.name})")
    members = {}
    for name in users:
        member = client.members.create(
            conversation.id, user={"name": name}, state="joined", channel={"type": "app"}
        )
        members[name] = member
        say(f"{name} joined as {member.id}")
    client.events.send_text(conversation.id, from_=members[first].id, text=f"Hello {second}!")
    client.events.send_text(conversation.id, from_=members[second].id, text=f"Hi {first}!")
    client.events.send_custom(
        conversation.id, "order_paid", from_=members[first].id, body={"amount": 42.5}
    )
    say("sent two text events and one custom event")
    event_types, pages = [], 0
    for page in client.events.list(conversation.id, page_size=2).pages():
        pages += 1
        say(f"page {pages}: " + "; ".join(_describe(event) for event in page.items))
        event_types += [str(event.type_) for event in page.items]
    client.members.update(conversation.id, members[second].id, state="left")
    say(f"{second} left")
    names = {member.id: name for name, member in members.items()}
    states = {
        names.get(member.id, member.id): str(member.state)
        for member in client.members.list(conversation.id)
    }
    say("members now: " + ", ".join(f"{name} {state}" for name, state in states.items()))
    client.conversations.delete(conversation.id)
    try:
        client.conversations.get(conversation.id)
    except NotFoundError as error:
        say(f"deleted the conversation; reading it again: {error.status} {error.code}")
    return ScenarioResult(conversation.id, event_types, pages, states)
