"""`AsyncResource`: what every rendered resource class of `AsyncConversationClient` stands on
(``_generated/_async/resources.py``): the client's core, and `_send`."""

from __future__ import annotations

from typing import TypeVar

from .._core import Call
from .core import AsyncCore

__all__ = ["AsyncResource"]

R = TypeVar("R")


class AsyncResource:
    """A resource of `AsyncConversationClient`: its methods check their arguments, send their
    operation through the client's core, and return (awaited) what its reader read."""

    def __init__(self, core: AsyncCore) -> None:
        self._core = core

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._core.base_url}>"

    async def _send(self, call: Call[R]) -> R:
        result = await self._core.send(call)
        parsed: R = result.parsed
        return parsed
