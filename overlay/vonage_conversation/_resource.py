"""What every generated resource class stands on: the core it sends through, and `_send`.

The resource classes themselves (``client.conversations``, ``client.users``...) are generated
from the spec into ``vonage_conversation_api.resources``, a sync and an async class per tag from
one template; each method builds its `Call` with the operation's description and sends it here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from ._async.core import AsyncCore
from ._core import Call
from ._sync.core import SyncCore

__all__ = ["AsyncResource", "DateLike", "JSONObject", "SyncResource"]

R = TypeVar("R")
CoreT = TypeVar("CoreT", SyncCore, AsyncCore)

#: A JSON object given for a body field the spec types as an object.
JSONObject = Mapping[str, Any]
#: A date-time argument: a datetime, a date, or a string such as ``2018-01-01T10:00:00Z``.
DateLike = datetime | date | str


class _Resource(Generic[CoreT]):
    def __init__(self, core: CoreT) -> None:
        self._core: CoreT = core

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._core.base_url}>"


class SyncResource(_Resource[SyncCore]):
    """A resource of `ConversationClient`: its methods send and return the result."""

    def _send(self, call: Call[R]) -> R:
        parsed: R = self._core.send(call).parsed
        return parsed


class AsyncResource(_Resource[AsyncCore]):
    """A resource of `AsyncConversationClient`: its methods are awaited."""

    async def _send(self, call: Call[R]) -> R:
        parsed: R = (await self._core.send(call)).parsed
        return parsed
