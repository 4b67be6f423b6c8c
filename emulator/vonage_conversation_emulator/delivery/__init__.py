"""Events delivered to a conversation's ``callback.url``: the emulator's side of webhooks.

- `mask`: which event types a callback wants (``callback.event_mask``);
- `payload`: a callback, and the request delivering one event to it (POST body or GET query);
- `signing`: the ``Authorization: Bearer <JWT>`` of a signed delivery (Vonage's claims);
- `backoff`: when a failed delivery is tried again, and when it is given up;
- `outbox`: pending deliveries and the attempt log, behind the `Outbox` protocol the storage
  implements (`MemoryOutbox` in memory);
- `worker`: the background task that sends them, one conversation at a time in id order.
- `plain_http`: the worker's small keep-alive client for ``http://`` callbacks.

This package imports nothing of the client (``vonage_conversation``): the client's
``webhooks`` module reads what it sends, and the tests check the two agree.
"""

from .backoff import DeliveryPolicy
from .mask import EventMask
from .outbox import Attempt, MemoryOutbox, Outbox, Outcome, PendingDelivery
from .payload import Callback, DeliveryRequest, Method, build_request, delivery_fields
from .signing import authorization, delivery_claims
from .worker import DeliveryWorker

__all__ = [
    "Attempt",
    "Callback",
    "DeliveryPolicy",
    "DeliveryRequest",
    "DeliveryWorker",
    "EventMask",
    "MemoryOutbox",
    "Method",
    "Outbox",
    "Outcome",
    "PendingDelivery",
    "authorization",
    "build_request",
    "delivery_claims",
    "delivery_fields",
]
