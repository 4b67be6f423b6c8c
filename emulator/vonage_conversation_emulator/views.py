"""Records as the spec's response bodies: one function per schema, nothing else.

Only properties the schemas declare are written, and optional ones only when they have a value;
links are absolute, on the host the request came in on.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import Any

from .pagination import Page, RequestUrl, page_links
from .storage import (
    ConversationRecord,
    EventRecord,
    JSONObject,
    LegRecord,
    MemberRecord,
    SessionRecord,
    UserRecord,
)

__all__ = [
    "MEMBER_EVENT_TYPES",
    "STORED",
    "PageShape",
    "conversation",
    "conversation_summary",
    "event",
    "event_href",
    "leg",
    "member",
    "page",
    "session",
    "user",
]


def _optional(**values: Any) -> JSONObject:
    return {name: value for name, value in values.items() if value is not None}


def _self(href: str) -> JSONObject:
    return {"self": {"href": href}}


def conversation_href(url: RequestUrl, conversation_id: str) -> str:
    """The conversation's own URL."""
    return url.absolute(f"/v0.3/conversations/{conversation_id}")


def event_href(url: RequestUrl, conversation_id: str, event_id: int) -> str:
    """The event's own URL."""
    return url.absolute(f"/v0.3/conversations/{conversation_id}/events/{event_id}")


def conversation_summary(record: ConversationRecord, url: RequestUrl) -> JSONObject:
    """ConversationSummary: what a list shows of a conversation."""
    return {
        "id": record.id,
        "name": record.name,
        **_optional(display_name=record.display_name, image_url=record.image_url),
        "timestamp": {"created": record.created},
        "_links": _self(conversation_href(url, record.id)),
    }


def conversation(record: ConversationRecord, url: RequestUrl) -> JSONObject:
    """Conversation: its summary, with its state, numbers and properties."""
    return {
        **conversation_summary(record, url),
        "state": record.state,
        "sequence_number": record.sequence_number,
        **_optional(properties=record.properties),
        "numbers": record.numbers,
    }


def user(record: UserRecord, url: RequestUrl) -> JSONObject:
    """User."""
    return {
        "id": record.id,
        "name": record.name,
        **_optional(display_name=record.display_name),
        "_links": _self(url.absolute(f"/v0.3/users/{record.id}")),
    }


def member(record: MemberRecord, owner: UserRecord, url: RequestUrl) -> JSONObject:
    """Member, with its user embedded. Only the ``invited`` and ``joined`` initiators are
    shown: they are the ones MemberInitiator declares."""
    href = url.absolute(f"/v0.3/conversations/{record.conversation_id}/members/{record.id}")
    initiator = {k: v for k, v in record.initiator.items() if k in ("invited", "joined")}
    return {
        "id": record.id,
        "conversation_id": record.conversation_id,
        "_embedded": {"user": user(owner, url)},
        "state": record.state,
        "timestamp": record.timestamps,
        "initiator": initiator,
        "channel": record.channel,
        **_optional(media=record.media),
        "_links": _self(href),
    }


STORED = RequestUrl(origin="", path="", query=())
"""Renders links relative to the host, for bodies stored now and shown later on any host."""

MEMBER_EVENT_TYPES = frozenset({"member:invited", "member:joined", "member:left"})


def _on_host(document: Any, url: RequestUrl) -> Any:
    if isinstance(document, dict):
        return {
            key: url.absolute(value)
            if key == "href" and isinstance(value, str) and value.startswith("/")
            else _on_host(value, url)
            for key, value in document.items()
        }
    if isinstance(document, list):
        return [_on_host(item, url) for item in document]
    return document


def event(record: EventRecord, url: RequestUrl) -> JSONObject:
    """Event (TextEvent, CustomEvent or a member event, by ``type``).

    A member event's body is the Member as it was, stored with host-relative links (see
    ``STORED``); they are made absolute here, on the host of the request reading it.
    """
    href = event_href(url, record.conversation_id, record.id)
    body = _on_host(record.body, url) if record.type in MEMBER_EVENT_TYPES else record.body
    return {
        "id": str(record.id),
        "type": record.type,
        **_optional(**{"from": record.from_member, "to": record.to_member}),
        "body": body,
        **_optional(state=record.state),
        "timestamp": record.timestamp,
        "href": href,
        "_links": _self(href),
    }


def leg(record: LegRecord, url: RequestUrl) -> JSONObject:
    """Leg."""
    return {
        "uuid": record.uuid,
        "type": record.type,
        "conversation_uuid": record.conversation_id,
        "state": record.state,
        "from": record.from_endpoint or {},
        "to": record.to_endpoint or {},
        "start_time": record.start_time,
        **_optional(end_time=record.end_time),
        "_links": {"conversation": {"href": conversation_href(url, record.conversation_id)}},
        "_embedded": {"member": {"id": record.member_id}},
    }


def session(record: SessionRecord, owner: UserRecord, now: float) -> JSONObject:
    """Session: ``properties.ttl`` is the seconds its JWT has left."""
    return {
        "id": record.id,
        "_embedded": {"user": {"id": owner.id, "name": owner.name}},
        "properties": {"ttl": round(max(0.0, record.expires_at - now), 3)},
    }


class PageShape(Enum):
    """How a list response nests its items: v0.3 ``_embedded.<items>``, or v0.2
    ``_embedded.data.<items>`` (with the current ``cursor`` where its schema has one)."""

    V03 = "v0.3"
    V02 = "v0.2"
    V02_WITH_CURSOR = "v0.2+cursor"


def page(
    shape: PageShape,
    items_name: str,
    items: Sequence[JSONObject],
    records: Page[Any],
    *,
    page_size: int,
    url: RequestUrl,
    cursor: str | None,
) -> JSONObject:
    """A list response in ``shape``."""
    links = page_links(url, records, cursor)
    if shape is PageShape.V03:
        return {"page_size": page_size, "_embedded": {items_name: list(items)}, "_links": links}
    body: JSONObject = {"page_size": page_size}
    if shape is PageShape.V02_WITH_CURSOR and cursor is not None:
        body["cursor"] = cursor
    body["_embedded"] = {"data": {items_name: list(items)}}
    body["_links"] = links
    return body
