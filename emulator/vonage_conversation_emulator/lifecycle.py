"""Conversations outliving their ``ttl``: found and deleted lazily, by the next request.

A conversation with a ``properties.ttl`` holds an ``expires_at`` while it is empty (see
``handlers.conversations``). Nothing runs in the background: every request first asks, with
one query on the ``conversations_expiring`` index, whether a deadline has passed on its clock
(``expired``), and if one has, the expired conversations are deleted (``reap``) before the
request is answered, so a conversation past its deadline is never seen again. Deleting one
is ``deleteConversation``'s work (its members and events go, its legs are terminated) and
emits no event: its events, and any listener of them, go with it.
"""

from __future__ import annotations

from .handlers._common import remove_conversation
from .storage import ConversationRecord, Range, Transaction

__all__ = ["expired", "reap"]


def _due(tx: Transaction, now: str) -> list[ConversationRecord]:
    return tx.select(ConversationRecord, expires_at=Range(at_most=now))


def expired(tx: Transaction, now: str) -> bool:
    """Whether any conversation's deadline is ``now`` (a stored timestamp) or earlier."""
    return bool(_due(tx, now))


def reap(tx: Transaction, now: str) -> int:
    """Delete every conversation whose deadline is ``now`` or earlier, as ``deleteConversation``
    does (legs terminated at the deadline); how many were deleted. Needs a write transaction."""
    due = _due(tx, now)
    for conversation in due:
        remove_conversation(tx, conversation.id, conversation.expires_at or now)
    return len(due)
