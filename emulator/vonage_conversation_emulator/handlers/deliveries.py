"""The delivery log: ``GET /_emulator/deliveries`` (see ``admin_spec``), the outbox's attempts
of one conversation, paged like the API's lists."""

from __future__ import annotations

from ..admin_spec import LIST_DELIVERIES_OPERATION_ID
from ..errors import ApiError, ErrorKind
from ..storage import DeliveryAttemptRecord, JSONObject
from ._common import list_reply
from ._registry import Context, Reply, operation


def attempt_view(record: DeliveryAttemptRecord) -> JSONObject:
    """One attempt as the log shows it."""
    return {
        "delivery_id": record.delivery_id,
        "conversation_id": record.conversation_id,
        "event_id": str(record.event_id),
        "url": record.url,
        "attempt": record.attempt,
        "status": record.status,
        "error": record.error,
        "time": record.at,
    }


@operation(LIST_DELIVERIES_OPERATION_ID)
def list_deliveries(ctx: Context) -> Reply:
    """List the attempts at delivering a conversation's events, oldest first by default."""
    if ctx.caller is not None:
        raise ApiError(
            ErrorKind.FORBIDDEN, "the delivery log needs an application JWT (one without sub)"
        )
    conversation_id = str(ctx.query["conversation_id"])
    return list_reply(
        ctx,
        scope=f"deliveries:{conversation_id}",
        items_name="deliveries",
        fetch=lambda window: ctx.tx.select(
            DeliveryAttemptRecord, window, conversation_id=conversation_id
        ),
        render=lambda records: [attempt_view(r) for r in records],
    )
