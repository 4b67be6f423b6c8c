"""The callbacks phase's four checks, on what its receiver recorded.

- `callback_delivers_masked_events`: every event of the conversation that `event_mask` covers
  reached `callback.url`;
- `callback_skips_unmasked_events`: no event outside the mask did;
- `callback_body_is_event`: each delivery's fields are the event as ``GET .../events/{id}``
  reads it back, plus its ``conversation_id`` (and ``application_id``, the run's);
- `callback_signature_verifies`: each delivery's ``Authorization`` token verifies with
  ``--signature-secret`` (skipped without one).

The v0.3 page names the callback's fields (``url``, ``event_mask``, ``method``: POST or GET)
without a sentence on what a delivery holds; the body rule is this kit's reading of them (issue
16: "the event exactly as GET ... shows it"), and the mask's syntax is the emulator's
(`MASK`). Each is registered like a semantic check (`semantic_check`, its sources quoted), in
the phase's own registry, reported under ``POST /v0.3/conversations``, which takes the callback.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from vonage_conversation import InvalidSignatureError, ResponseParseError
from vonage_conversation.webhooks import read_query, verify_signature

from .._api import Api
from ..semantic._registry import SemanticCheck, Skipped, Violation, semantic_check
from ..semantic._sources import Source
from ._receiver import Received
from ._sources import CALLBACK_METHOD, CALLBACK_URL, EVENT_MASK, SIGNED_PAYLOAD, SIGNED_REQUEST

__all__ = ["CALLBACK_CHECKS", "MASK", "OPERATION", "CallbackContext", "Delivered", "in_mask"]

# Text and every member event; a custom event made between them falls outside it.
MASK = "text,member:*"
_TYPES, _FAMILIES = ("text",), ("member:",)
# The operation the checks are reported under: the one that takes `callback`.
OPERATION = "createConversation"
# The fields a delivery adds to the event (issue 16's body rule).
ADDED = ("conversation_id", "application_id")

CALLBACK_CHECKS: dict[str, SemanticCheck] = {}


def in_mask(event_type: object) -> bool:
    """Whether `MASK` covers an event of this type."""
    kind = str(event_type)
    return kind in _TYPES or kind.startswith(_FAMILIES)


@dataclass(frozen=True)
class Delivered:
    """A recorded request read as a delivery: its fields and the bytes its signature covers."""

    received: Received
    fields: dict[str, Any]
    signed: bytes  # the body of a POST, the query string of a GET

    @property
    def event_id(self) -> str:
        return str(self.fields.get("id"))

    @property
    def type(self) -> str:
        return str(self.fields.get("type"))


def read(received: Received) -> Delivered | str:
    """`received` as a delivery, or why it is none (not JSON, not an object)."""
    if received.method == "GET":
        signed = received.query.encode()
        try:
            fields: Any = read_query(received.query)
        except ResponseParseError as error:
            return str(error)
    else:
        signed = received.body
        try:
            fields = json.loads(received.body)
        except (ValueError, UnicodeDecodeError):
            return f"a {received.method} whose body is not JSON: {received.body[:80]!r}"
    if not isinstance(fields, dict):
        return f"a {received.method} whose fields are {type(fields).__name__}, not an object"
    return Delivered(received, fields, signed)


@dataclass
class CallbackContext:
    """What the checks judge: the conversation made, its events listed, what was delivered."""

    api: Api
    application_id: str
    secret: str | None
    waited: float  # seconds the phase waited for deliveries after its last event
    conversation: str | None = None
    events: list[dict[str, Any]] | None = None  # as listed once made; None: not listed
    deliveries: list[Delivered] = field(default_factory=list)  # of the conversation, in order
    unreadable: list[str] = field(default_factory=list)  # requests that are no delivery, why
    _read_back: dict[str, Any] = field(default_factory=dict)

    def listed(self) -> list[dict[str, Any]]:
        """The conversation's events; `Skipped` when there is none to judge by."""
        if self.conversation is None:
            raise Skipped("the conversation with a callback could not be made")
        if self.events is None:
            raise Skipped("the conversation's events could not be listed")
        return self.events

    def delivered_ids(self) -> set[str]:
        return {delivery.event_id for delivery in self.deliveries}

    def read_back(self, event_id: str) -> Any:
        """The event as ``GET .../events/{event_id}`` answers it (None when it does not)."""
        if event_id not in self._read_back:
            ids = {"conversation_id": self.conversation, "event_id": event_id}
            answer = self.api.call("getEvent", ids)
            self._read_back[event_id] = answer.body if answer.ok else None
        return self._read_back[event_id]


def _named(events: list[dict[str, Any]]) -> str:
    return ", ".join(f"{event.get('id')} ({event.get('type')})" for event in events)


def _check(
    name: str, title: str, *sources: Source
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    return semantic_check(name, title, *sources, operation=OPERATION, registry=CALLBACK_CHECKS)


@_check(
    "callback_delivers_masked_events",
    "Every event the mask covers reaches the callback",
    CALLBACK_URL,
    EVENT_MASK,
)
def delivers_masked_events(context: CallbackContext) -> None:
    """Every event of the conversation whose type `event_mask` (``text,member:*``) covers is
    delivered to `callback.url`, within the phase's wait."""
    wanted = [event for event in context.listed() if in_mask(event.get("type"))]
    if not wanted:
        raise Skipped("no event the mask covers was made")
    got = context.delivered_ids()
    missing = [event for event in wanted if str(event.get("id")) not in got]
    if missing:
        raise Violation(
            f"{len(missing)} of the {len(wanted)} events event_mask {MASK!r} covers never reached "
            f"callback.url within {context.waited:g} s: {_named(missing)}",
            EVENT_MASK,
        )


@_check(
    "callback_skips_unmasked_events",
    "No event outside the mask reaches the callback",
    EVENT_MASK,
)
def skips_unmasked_events(context: CallbackContext) -> None:
    """No event whose type `event_mask` (``text,member:*``) leaves out is delivered."""
    events = context.listed()
    stray = [d.fields for d in context.deliveries if not in_mask(d.type)]
    if stray:
        unique = list({str(fields.get("id")): fields for fields in stray}.values())
        raise Violation(
            f"events outside event_mask {MASK!r} reached callback.url: {_named(unique)}",
            EVENT_MASK,
        )
    if all(in_mask(event.get("type")) for event in events):
        raise Skipped("no event outside the mask was made")


def _differences(delivered: dict[str, Any], read: dict[str, Any]) -> str:
    keys = sorted(set(delivered) | set(read))
    changed = [key for key in keys if delivered.get(key, ...) != read.get(key, ...)]
    absent = "(absent)"
    shown = [
        f"{key}: delivered {delivered.get(key, absent)!r}, read back {read.get(key, absent)!r}"
        for key in changed[:3]
    ]
    return "; ".join(shown) + ("; ..." if len(changed) > 3 else "")


@_check(
    "callback_body_is_event",
    "A delivery is the event as read back",
    CALLBACK_URL,
    CALLBACK_METHOD,
)
def body_is_event(context: CallbackContext) -> None:
    """Each delivery (a POST's JSON body, a GET's query parameters) holds the event exactly as
    ``GET .../events/{event_id}`` reads it back, plus ``conversation_id`` (the conversation's)
    and ``application_id`` (the run's application, where sent)."""
    if context.unreadable:
        raise Violation(
            f"a request to callback.url is no delivery: {context.unreadable[0]}", CALLBACK_METHOD
        )
    if not context.deliveries:
        raise Skipped("no event was delivered")
    for delivery in context.deliveries:
        fields = delivery.fields
        application = fields.get("application_id")
        if application is not None and application != context.application_id:
            raise Violation(
                f"the delivery of event {delivery.event_id} names application_id "
                f"{application!r}, not the run's {context.application_id!r}",
                CALLBACK_URL,
            )
        event = {key: value for key, value in fields.items() if key not in ADDED}
        read = context.read_back(delivery.event_id)
        if not isinstance(read, dict) or event != read:
            shown = _differences(event, read) if isinstance(read, dict) else "no event to compare"
            raise Violation(
                f"the delivery of event {delivery.event_id} is not the event read back: {shown}",
                CALLBACK_URL,
            )


@_check(
    "callback_signature_verifies",
    "Each delivery's signature verifies with the signature secret",
    SIGNED_REQUEST,
    SIGNED_PAYLOAD,
)
def signature_verifies(context: CallbackContext) -> None:
    """Each delivery carries ``Authorization: Bearer <JWT>``, signed HS256 with the signature
    secret, whose ``payload_hash`` is the SHA-256 of the bytes delivered (a POST's body, a GET's
    query string), checked with the client's ``webhooks.verify_signature``."""
    if context.secret is None:
        raise Skipped("no --signature-secret given: the signatures cannot be checked")
    if not context.deliveries:
        raise Skipped("no event was delivered")
    for delivery in context.deliveries:
        try:
            verify_signature(delivery.signed, delivery.received.headers, secret=context.secret)
        except InvalidSignatureError as error:
            source = SIGNED_PAYLOAD if error.reason == "tampered" else SIGNED_REQUEST
            raise Violation(
                f"the delivery of event {delivery.event_id} does not verify ({error.reason}): "
                f"{error}",
                source,
            ) from None
