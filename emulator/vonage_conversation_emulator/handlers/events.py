"""Events: create, read, delete and list a conversation's events.

Ids are progressive per conversation (1, 2, 3...) and never reused, even after a delete.
Which events a client may create (``text`` with its ``body.text``, ``custom:<name>`` with any
object body) is the spec's ``CreateEventRequest``, checked before any handler runs; ``member:*``
events come only from membership changes. What the spec cannot say is checked here: the sender
(``from``) must be a JOINED member of the conversation (404 if it is no member, 409 if it is
not joined), and ``to``, when given, a member of it.
"""

from __future__ import annotations

from .. import views
from ..errors import ApiError, ErrorKind
from ..storage import EventRecord, Range
from ..views import PageShape
from ._common import (
    append_event,
    event_number,
    given,
    list_reply,
    require,
    require_conversation,
    require_member,
)
from ._registry import Context, Reply, operation


def _require_event(ctx: Context, conversation_id: str) -> EventRecord:
    return require(
        ctx.tx,
        EventRecord,
        ErrorKind.EVENT_NOT_FOUND,
        f"conversation {conversation_id} has no event {ctx.path['event_id']}",
        conversation_id=conversation_id,
        id=event_number(str(ctx.path["event_id"])),
    )


@operation("createEvent", writes=True)
def create_event(ctx: Context) -> Reply:
    """Send an event from a joined member; answers the new event's id."""
    conversation = require_conversation(ctx)
    body = ctx.body
    sender = require_member(ctx, conversation.id, str(body["from"]), "from")
    if sender.state != "JOINED":
        raise ApiError(
            ErrorKind.INVALID_MEMBER_STATE,
            f"from: member {sender.id} is {sender.state}; only JOINED members send events",
        )
    recipient = None
    if "to" in body:
        recipient = require_member(ctx, conversation.id, str(body["to"]), "to").id
    event = append_event(
        ctx,
        conversation,
        EventRecord(
            conversation_id=conversation.id,
            id=0,
            type=str(body["type"]),
            body=body.get("body", {}),
            timestamp=ctx.now,
            from_member=sender.id,
            to_member=recipient,
        ),
    )
    href = views.event_href(ctx.url, conversation.id, event.id)
    return Reply(201, {"id": str(event.id), "timestamp": event.timestamp, "href": href})


@operation("getEvent")
def get_event(ctx: Context) -> Reply:
    """Retrieve an event."""
    conversation = require_conversation(ctx)
    return Reply(200, views.event(_require_event(ctx, conversation.id), ctx.url))


@operation("deleteEvent", writes=True)
def delete_event(ctx: Context) -> Reply:
    """Delete an event (its id is not handed out again)."""
    conversation = require_conversation(ctx)
    event = _require_event(ctx, conversation.id)
    ctx.tx.delete(EventRecord, conversation_id=conversation.id, id=event.id)
    return Reply(200, {})


@operation("listEvents")
@operation("listEventsV02", shape=PageShape.V02)
def list_events(ctx: Context) -> Reply:
    """List events, optionally of one type and within ``[start_id, end_id]``."""
    conversation = require_conversation(ctx)
    start, end = ctx.query.get("start_id"), ctx.query.get("end_id")
    where = given(
        conversation_id=conversation.id,
        type=ctx.query.get("event_type"),
        id=Range(
            at_least=None if start is None else event_number(str(start)),
            at_most=None if end is None else event_number(str(end)),
        ),
    )
    return list_reply(
        ctx,
        scope=f"events:{conversation.id}",
        items_name="events",
        fetch=lambda window: ctx.tx.select(EventRecord, window, **where),
        render=lambda records: [views.event(r, ctx.url) for r in records],
    )
