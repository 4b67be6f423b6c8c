"""What several handlers share: finding what a path names, and answering list operations."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, TypeVar

from .. import views
from ..clock import format_timestamp
from ..delivery import Callback
from ..errors import ApiError, ErrorKind
from ..pagination import Keyed, PageRequest, paginate
from ..storage import (
    ConversationRecord,
    EventRecord,
    JSONObject,
    LegRecord,
    MemberRecord,
    Record,
    Transaction,
    UserRecord,
    Window,
    pending_record,
)
from ..views import page
from ._registry import Context, Reply

__all__ = [
    "append_event",
    "bound_timestamp",
    "end_legs",
    "event_number",
    "given",
    "latest_member",
    "list_reply",
    "remove_conversation",
    "require",
    "require_conversation",
    "require_member",
    "require_user",
]

# SQLite integers are 64-bit; an id past that cannot exist, so it is clamped rather than
# letting a 30-digit id from a client overflow the driver.
MAX_ID = 2**63 - 1

R = TypeVar("R", bound=Keyed)
S = TypeVar("S", bound=Record)


def event_number(digits: str) -> int:
    """An event id as given in a path or filter (the spec allows only digits)."""
    return min(int(digits), MAX_ID)


def bound_timestamp(value: datetime | str | None) -> str | None:
    """A ``date_start``/``date_end`` filter in the stored timestamps' form."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return format_timestamp(value)


def given(**filters: Any) -> dict[str, Any]:
    """The ``where`` filters a request set: those not None (None would mean "is null")."""
    return {name: value for name, value in filters.items() if value is not None}


def require(tx: Transaction, kind: type[S], missing: ErrorKind, detail: str, **where: Any) -> S:
    """The record of ``kind`` matching ``where``; ApiError ``missing`` saying ``detail`` if
    there is none."""
    found = tx.get(kind, **where)
    if found is None:
        raise ApiError(missing, detail)
    return found


def require_conversation(ctx: Context) -> ConversationRecord:
    """The conversation the path names; 404 if there is none."""
    conversation_id = str(ctx.path["conversation_id"])
    return require(
        ctx.tx,
        ConversationRecord,
        ErrorKind.CONVERSATION_NOT_FOUND,
        f"conversation {conversation_id} does not exist",
        id=conversation_id,
    )


def require_user(ctx: Context) -> UserRecord:
    """The user the path names; 404 if there is none."""
    user_id = str(ctx.path["user_id"])
    return require(
        ctx.tx, UserRecord, ErrorKind.USER_NOT_FOUND, f"user {user_id} does not exist", id=user_id
    )


def require_member(ctx: Context, conversation_id: str, member_id: str, field: str) -> MemberRecord:
    """The member ``member_id`` of the conversation; 404 naming ``field`` if there is none."""
    return require(
        ctx.tx,
        MemberRecord,
        ErrorKind.MEMBER_NOT_FOUND,
        f"{field}: conversation {conversation_id} has no member {member_id}",
        id=member_id,
        conversation_id=conversation_id,
    )


def latest_member(tx: Transaction, conversation_id: str, user_id: str) -> MemberRecord | None:
    """The user's member in this conversation: its INVITED or JOINED one if any, else the
    latest one that LEFT. Both are its latest member, since a user is only made a member
    again once the last one LEFT."""
    found = tx.select(
        MemberRecord, Window(1, descending=True), conversation_id=conversation_id, user_id=user_id
    )
    return found[0] if found else None


def end_legs(ctx: Context, **where: str) -> None:
    """Mark the open legs matching ``where`` (a conversation's, a member's) terminated now."""
    _terminate_legs(ctx.tx, ctx.now, where)


def _terminate_legs(tx: Transaction, now: str, where: dict[str, str]) -> None:
    tx.update_where(LegRecord, {**where, "end_time": None}, state="terminated", end_time=now)


def remove_conversation(tx: Transaction, conversation_id: str, now: str) -> None:
    """Delete a conversation with its members and events, its legs terminated at ``now``:
    what ``deleteConversation`` does, and what a ttl does to an empty conversation."""
    tx.delete(ConversationRecord, id=conversation_id)
    tx.delete(MemberRecord, conversation_id=conversation_id)
    tx.delete(EventRecord, conversation_id=conversation_id)
    _terminate_legs(tx, now, {"conversation_id": conversation_id})


def list_reply(
    ctx: Context,
    *,
    scope: str,
    items_name: str,
    fetch: Callable[[Window], Sequence[R]],
    render: Callable[[list[R]], list[JSONObject]],
) -> Reply:
    """Answer a cursor-paged list operation: one page of ``fetch``, in the operation's shape."""
    cursor = ctx.query.get("cursor")
    request = PageRequest(
        scope=scope,
        page_size=int(ctx.query["page_size"]),
        descending=str(ctx.query["order"]).lower() == "desc",
        cursor=None if cursor is None else str(cursor),
    )
    records = paginate(fetch, request, ctx.cursors)
    body = page(
        ctx.shape,
        items_name,
        render(records.items),
        records,
        page_size=request.page_size,
        url=ctx.url,
        cursor=request.cursor,
    )
    return Reply(200, body)


def append_event(ctx: Context, conversation: ConversationRecord, event: EventRecord) -> EventRecord:
    """Store ``event`` under the conversation's next id, and, when the conversation's callback
    wants its type, its pending delivery in the same transaction (the outbox): every event,
    made by a client or by the emulator itself, goes through here."""
    stored = ctx.tx.append_event(event)
    callback = Callback.parse(conversation.callback)
    if callback is not None and callback.wants(stored.type):
        request = callback.request_for(
            views.event(stored, ctx.url),
            conversation_id=conversation.id,
            application_id=ctx.principal.application_id,
        )
        delivery = ctx.tx.insert(
            pending_record(
                request,
                conversation_id=conversation.id,
                event_id=stored.id,
                application_id=ctx.principal.application_id,
                created_at=ctx.moment,
            )
        )
        ctx.deliveries.append(delivery.seq)
    return stored
