"""Conversations: create, read, update (partial), delete, list (v0.3 and v0.2).

``updateConversation`` (PUT) takes the create body and is a partial update: each top-level
field present replaces the stored one whole (``numbers`` and ``properties`` included); absent
fields keep their value.

A conversation has at most one number per channel type, since responses key ``numbers`` by
type (see ``create_conversation`` for how a second one is refused).

Lifecycle. A conversation is *empty* while none of its members is JOINED or INVITED (it has
none, or they all LEFT). With a ``properties.ttl`` ("after how many seconds an empty
conversation is deleted"; a ``number``, so fractions count), an empty conversation is deleted
ttl seconds after it became empty, on the request's clock, as ``deleteConversation`` deletes
it and without an event (``lifecycle`` reaps it, before the next request is answered). Its
deadline is stored as ``expires_at``, rounded up to the millisecond, so never early:

- created with a ttl, a conversation is empty from its creation: it is deleted ttl seconds
  after it, unless a member is invited or joins first;
- a member invited or joining cancels the deadline; the last JOINED or INVITED one leaving
  sets it again, ttl seconds from that moment;
- an update changing an empty conversation's ttl (or removing it, or replacing
  ``properties`` without one) counts the new ttl from the update, not from when it emptied:
  the update is when the client asked for it, and no update answers 200 for a conversation
  its own new deadline had already deleted. An update keeping the ttl keeps the deadline;
- a ttl absent, 0 or below (the spec sets no minimum) is no ttl: the conversation is never
  deleted for being empty. 0 reads as "none", not "at once": a conversation deleted before
  its creator could add a member would be of no use, and the spec's one ``ttl: 0`` (a
  session's, in ``listUserSessions``) reads as an unset value.

``state`` is ACTIVE throughout: the sources name no other state for a conversation.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from .. import views
from ..clock import format_timestamp
from ..errors import ApiError, ErrorKind
from ..ids import new_id
from ..storage import (
    ConversationRecord,
    JSONObject,
    MemberRecord,
    OneOf,
    Range,
    StorageConflictError,
    Transaction,
    Window,
)
from ..views import PageShape
from ._common import bound_timestamp, list_reply, remove_conversation, require_conversation
from ._registry import Context, Reply, operation

_REPLACEABLE = ("name", "display_name", "image_url", "properties", "callback")
_PRESENT = OneOf(("INVITED", "JOINED"))
"""The member states that keep a conversation from being empty."""


def ttl_seconds(properties: JSONObject | None) -> float | None:
    """The ``properties.ttl`` in seconds; None when there is none (absent, 0 or below)."""
    ttl = properties.get("ttl") if isinstance(properties, dict) else None
    if isinstance(ttl, bool) or not isinstance(ttl, (int, float)) or not math.isfinite(ttl):
        return None
    return float(ttl) if ttl > 0 else None


def deadline(properties: JSONObject | None, emptied: datetime) -> str | None:
    """The ``expires_at`` of a conversation with ``properties`` that became empty at
    ``emptied``: its ttl later, rounded up to the millisecond; None without a ttl, or when
    that lies past the year 9999 (never)."""
    ttl = ttl_seconds(properties)
    if ttl is None:
        return None
    try:
        moment = emptied + timedelta(seconds=ttl)
        moment += timedelta(microseconds=-moment.microsecond % 1000)
    except OverflowError:
        return None
    return format_timestamp(moment)


def is_empty(tx: Transaction, conversation_id: str) -> bool:
    """Whether none of the conversation's members is JOINED or INVITED."""
    return not tx.select(MemberRecord, Window(1), conversation_id=conversation_id, state=_PRESENT)


def _numbers(endpoints: list[JSONObject]) -> JSONObject:
    """``numbers`` keyed by channel type; 409 when two share one (see the module docstring)."""
    keyed: JSONObject = {}
    for index, endpoint in enumerate(endpoints):
        channel_type = str(endpoint["type"])
        if channel_type in keyed:
            raise ApiError(
                ErrorKind.DUPLICATE_NUMBER,
                f"numbers[{index}].type: a second '{channel_type}' number; a conversation "
                "has at most one number per channel type",
            )
        keyed[channel_type] = endpoint
    return keyed


def _refuse_taken_name(ctx: Context, name: str, own_id: str | None = None) -> None:
    holder = ctx.tx.get(ConversationRecord, name=name)
    if holder is not None and holder.id != own_id:
        raise ApiError(
            ErrorKind.DUPLICATE_CONVERSATION_NAME,
            f"name: conversation {holder.id} is already named {name!r}",
        )


@contextmanager
def _name_conflicts() -> Iterator[None]:
    # The name check runs under the write lock; this only catches the backend's own rule.
    try:
        yield
    except StorageConflictError as conflict:
        raise ApiError(ErrorKind.DUPLICATE_CONVERSATION_NAME, f"name: {conflict}") from None


@operation("createConversation", writes=True)
def create_conversation(ctx: Context) -> Reply:
    """Create a conversation (named ``NAM-<uuid>`` when no name is given).

    ``numbers`` holds at most one number per channel type. The spec cannot say so (requests
    send ``numbers`` as an array, responses key it by type), so a body with two numbers of one
    type conforms to the spec and is answered 409 ``conversation:error:duplicate-number``,
    naming ``numbers[i].type``: the second number conflicts with the conversation's first of
    that type. A 400 would claim the body breaks the spec, which it does not.
    """
    body = ctx.body
    name = body.get("name")
    name = new_id("NAM") if name is None else str(name)
    _refuse_taken_name(ctx, name)
    draft = ConversationRecord(
        id=new_id("CON"),
        name=name,
        created=ctx.now,
        display_name=body.get("display_name"),
        image_url=body.get("image_url"),
        properties=body.get("properties"),
        numbers=_numbers(body.get("numbers", [])),
        callback=body.get("callback"),
        expires_at=deadline(body.get("properties"), ctx.moment),
    )
    with _name_conflicts():
        created = ctx.tx.insert(draft)
    return Reply(201, views.conversation(created, ctx.url))


@operation("getConversation")
def get_conversation(ctx: Context) -> Reply:
    """Retrieve a conversation."""
    return Reply(200, views.conversation(require_conversation(ctx), ctx.url))


@operation("updateConversation", writes=True)
def update_conversation(ctx: Context) -> Reply:
    """Update a conversation: the fields given replace the stored ones.

    ``numbers`` replaces the stored numbers whole; two of one channel type are a 409
    ``conversation:error:duplicate-number``, as on create. A changed ttl of an empty
    conversation counts from now (see the module docstring).
    """
    current = require_conversation(ctx)
    body = ctx.body
    changes: dict[str, Any] = {field: body[field] for field in _REPLACEABLE if field in body}
    if "numbers" in body:
        changes["numbers"] = _numbers(body["numbers"])
    if "name" in changes:
        _refuse_taken_name(ctx, changes["name"], own_id=current.id)
    if "properties" in changes:
        ttl_changed = ttl_seconds(changes["properties"]) != ttl_seconds(current.properties)
        # A pending deadline means empty already: no need to look at the members.
        if ttl_changed and (current.expires_at is not None or is_empty(ctx.tx, current.id)):
            changes["expires_at"] = deadline(changes["properties"], ctx.moment)
    with _name_conflicts():
        updated = ctx.tx.update(current, **changes)
    return Reply(200, views.conversation(updated, ctx.url))


@operation("deleteConversation", writes=True)
def delete_conversation(ctx: Context) -> Reply:
    """Delete a conversation with its members and events; its legs are terminated."""
    remove_conversation(ctx.tx, require_conversation(ctx).id, ctx.now)
    return Reply(204, None)


@operation("listConversations")
@operation("listConversationsV02", shape=PageShape.V02_WITH_CURSOR)
def list_conversations(ctx: Context) -> Reply:
    """List conversations created within ``[date_start, date_end)``."""
    created = Range(
        at_least=bound_timestamp(ctx.query.get("date_start")),
        below=bound_timestamp(ctx.query.get("date_end")),
    )
    return list_reply(
        ctx,
        scope="conversations",
        items_name="conversations",
        fetch=lambda window: ctx.tx.select(ConversationRecord, window, created=created),
        render=lambda records: [views.conversation_summary(r, ctx.url) for r in records],
    )
