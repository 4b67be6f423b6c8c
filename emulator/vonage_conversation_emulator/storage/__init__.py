"""Storage behind one small interface (``Store``/``Transaction``), with SQLite as the backend."""

from .base import (
    ConversationFilter,
    EventFilter,
    MembershipFilter,
    StorageConflictError,
    Store,
    Transaction,
    Window,
)
from .records import (
    ConversationRecord,
    EventRecord,
    JSONObject,
    LegRecord,
    MemberRecord,
    MembershipRecord,
    SessionRecord,
    SortKey,
    UserRecord,
)
from .sqlite import SQLiteStore

__all__ = [
    "ConversationFilter",
    "ConversationRecord",
    "EventFilter",
    "EventRecord",
    "JSONObject",
    "LegRecord",
    "MemberRecord",
    "MembershipFilter",
    "MembershipRecord",
    "SQLiteStore",
    "SessionRecord",
    "SortKey",
    "StorageConflictError",
    "Store",
    "Transaction",
    "UserRecord",
    "Window",
]
