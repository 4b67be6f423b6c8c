"""A short conversation through the client, as a user would have it: the main job's first half.

Two users join a new conversation, exchange text and custom events, page through them, and one
leaves; then the conversation is deleted. Every step is printed, and every step checks what it
shows: the events paged are exactly those sent, in order (after the two joins); the member who
left reads LEFT; the deleted conversation reads 404. A step that sees otherwise raises
`ScenarioError` naming itself.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from vonage_conversation import ConversationAPIError, ConversationClient, NotFoundError, as_typed
from vonage_conversation_api.models import CustomEvent, Event, TextEvent

__all__ = ["ScenarioError", "ScenarioResult", "run_scenario"]


class ScenarioError(AssertionError):
    """A step of the scenario saw something else than it should have."""

    def __init__(self, step: str, problem: str) -> None:
        super().__init__(f"step {step!r}: {problem}")
        self.step = step
        self.problem = problem


@dataclass(frozen=True)
class ScenarioResult:
    """What the scenario saw."""

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


class _Steps:
    """Runs named steps: an API error in one is a `ScenarioError` of that step."""

    def __init__(self, say: Callable[[str], None]) -> None:
        self.say = say
        self.current = "start"

    def __call__(self, name: str) -> _Steps:
        self.current = name
        return self

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, error: BaseException | None, traceback: object) -> None:
        if isinstance(error, ConversationAPIError):
            raise ScenarioError(self.current, str(error)) from error

    def expect(self, condition: bool, problem: str) -> None:
        if not condition:
            raise ScenarioError(self.current, problem)


def run_scenario(
    client: ConversationClient, users: tuple[str, str], say: Callable[[str], None] = print
) -> ScenarioResult:
    """Run the scenario with two existing users, printing each step with `say`."""
    first, second = users
    step = _Steps(say)
    with step("create a conversation"):
        conversation = client.conversations.create(
            name=f"tour-{uuid.uuid4().hex[:12]}", display_name="A short tour"
        )
    say(f"created conversation {conversation.id} ({conversation.name})")
    members = {}
    for name in users:
        with step(f"{name} joins"):
            member = client.members.create(
                conversation.id, user={"name": name}, state="joined", channel={"type": "app"}
            )
        members[name] = member
        say(f"{name} joined as {member.id}")
    with step("send events"):
        sent = [
            client.events.send_text(
                conversation.id, from_=members[first].id, text=f"Hello {second}!"
            ),
            client.events.send_text(conversation.id, from_=members[second].id, text=f"Hi {first}!"),
            client.events.send_custom(
                conversation.id, "order_paid", from_=members[first].id, body={"amount": 42.5}
            ),
        ]
    say("sent two text events and one custom event")
    event_types: list[str] = []
    paged: list[str] = []
    pages = 0
    with step("page through the events"):
        for page in client.events.list(conversation.id, page_size=2).pages():
            pages += 1
            say(f"page {pages}: " + "; ".join(_describe(event) for event in page.items))
            event_types += [str(event.type_) for event in page.items]
            paged += [
                str(event.id) for event in page.items if not str(event.type_).startswith("member:")
            ]
    step.expect(
        paged == [str(event.id) for event in sent],
        f"the events paged ({paged}) are not exactly those sent, in order "
        f"({[str(event.id) for event in sent]})",
    )
    step.expect(
        event_types[:2] == ["member:joined", "member:joined"],
        f"the two joins do not come first: {event_types}",
    )
    with step(f"{second} leaves"):
        client.members.update(conversation.id, members[second].id, state="left")
        left = client.members.get(conversation.id, members[second].id)
    step.expect(str(left.state) == "LEFT", f"{second} reads {left.state}, not LEFT, after leaving")
    say(f"{second} left")
    names = {member.id: name for name, member in members.items()}
    with step("list the members"):
        states = {
            names.get(member.id, member.id): str(member.state)
            for member in client.members.list(conversation.id)
        }
    say("members now: " + ", ".join(f"{name} {state}" for name, state in states.items()))
    with step("delete the conversation"):
        client.conversations.delete(conversation.id)
    step("read the deleted conversation")
    try:
        client.conversations.get(conversation.id)
    except NotFoundError as error:
        say(f"deleted the conversation; reading it again: {error.status} {error.code}")
    except ConversationAPIError as error:
        raise ScenarioError(step.current, f"answered {error.status}, not 404") from error
    else:
        raise ScenarioError(step.current, "the deleted conversation can still be read")
    return ScenarioResult(conversation.id, event_types, pages, states)
