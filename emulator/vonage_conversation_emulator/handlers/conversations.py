"""Conversations: create, read, update (partial), delete, list (v0.3 and v0.2).

``updateConversation`` (PUT) takes the create body and is a partial update: each top-level
field present replaces the stored one whole (``numbers`` and ``properties`` included); absent
fields keep their value.

A conversation has at most one number per channel type, since responses key ``numbers`` by
type (see ``create_conversation`` for how a second one is refused).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from .. import views
from ..errors import ApiError, ErrorKind
from ..ids import new_id
from ..storage import (
    ConversationRecord,
    EventRecord,
    JSONObject,
    MemberRecord,
    Range,
    StorageConflictError,
)
from ..views import PageShape
from ._common import bound_timestamp, end_legs, list_reply, require_conversation
from ._registry import Context, Reply, operation

_REPLACEABLE = ("name", "display_name", "image_url", "properties", "callback")


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
    ``conversation:error:duplicate-number``, as on create.
    """
    current = require_conversation(ctx)
    body = ctx.body
    changes: dict[str, Any] = {field: body[field] for field in _REPLACEABLE if field in body}
    if "numbers" in body:
        changes["numbers"] = _numbers(body["numbers"])
    if "name" in changes:
        _refuse_taken_name(ctx, changes["name"], own_id=current.id)
    with _name_conflicts():
        updated = ctx.tx.update(current, **changes)
    return Reply(200, views.conversation(updated, ctx.url))


@operation("deleteConversation", writes=True)
def delete_conversation(ctx: Context) -> Reply:
    """Delete a conversation with its members and events; its legs are terminated."""
    conversation = require_conversation(ctx)
    ctx.tx.delete(ConversationRecord, id=conversation.id)
    ctx.tx.delete(MemberRecord, conversation_id=conversation.id)
    ctx.tx.delete(EventRecord, conversation_id=conversation.id)
    end_legs(ctx, conversation_id=conversation.id)
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
