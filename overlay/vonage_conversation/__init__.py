"""The Vonage Conversation API client: the hand-written layer over `vonage_conversation_api`.

    from vonage_conversation import ConversationClient, NotFoundError

    with ConversationClient.from_env() as client:
        conversation = client.conversations.create(name="support")
        for event in client.events.list(conversation.id):
            print(event.type_, event.body.to_dict())

Results are the generated attrs models of `vonage_conversation_api.models`; every failure
raises a subclass of `ConversationAPIError`; `client.low_level` is the generated client.
"""

from vonage_conversation_api.models import (
    CustomEvent,
    Event,
    MemberInvitedEvent,
    MemberJoinedEvent,
    MemberLeftEvent,
    TextEvent,
)

from ._async.pagination import AsyncPaginator
from ._auth import JWTAuth, PrivateKey, TokenAuth, load_private_key
from ._client import DEFAULT_BASE_URL, AsyncConversationClient, ConversationClient
from ._events import TypedEvent, as_typed, custom_event_name
from ._exceptions import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    ConversationAPIError,
    InvalidSignatureError,
    NotFoundError,
    PaginationError,
    PermissionDeniedError,
    RateLimitError,
    ResponseParseError,
    ServerError,
)
from ._logs import setup_from_env
from ._pagination import Page
from ._raw import RawResponse
from ._retry import RetryPolicy
from ._sync.pagination import SyncPaginator
from ._timestamps import parse_timestamp
from ._version import __version__
from .webhooks import Delivery, SignatureClaims

setup_from_env()  # VONAGE_CONVERSATION_LOG: the client's logging without code

__all__ = [
    "DEFAULT_BASE_URL",
    "APIConnectionError",
    "APITimeoutError",
    "AsyncConversationClient",
    "AsyncPaginator",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "ConversationAPIError",
    "ConversationClient",
    "CustomEvent",
    "Delivery",
    "Event",
    "InvalidSignatureError",
    "JWTAuth",
    "MemberInvitedEvent",
    "MemberJoinedEvent",
    "MemberLeftEvent",
    "NotFoundError",
    "Page",
    "PaginationError",
    "PermissionDeniedError",
    "PrivateKey",
    "RateLimitError",
    "RawResponse",
    "ResponseParseError",
    "RetryPolicy",
    "ServerError",
    "SignatureClaims",
    "SyncPaginator",
    "TextEvent",
    "TokenAuth",
    "TypedEvent",
    "__version__",
    "as_typed",
    "custom_event_name",
    "load_private_key",
    "parse_timestamp",
    "webhooks",
]
