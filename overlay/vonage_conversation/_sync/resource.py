# Generated from _async/resource.py by scripts/spec_pipeline/unasync.py: do not edit.
"""`SyncResource`: what every rendered resource class of `ConversationClient` stands on
(``_generated/_async/resources.py``): the client's core, and `_send`."""

from __future__ import annotations

from typing import TypeVar

from .._core import Call
from .core import SyncCore

__all__ = ["SyncResource"]

R = TypeVar("R")


class SyncResource:
    """A resource of `ConversationClient`: its methods check their arguments, send their
    operation through the client's core, and return (awaited) what its reader read."""

    def __init__(self, core: SyncCore) -> None:
        self._core = core

    def __repr__(self) -> str:
        return f"<{type(self).__name__} of {self._core.base_url}>"

    def _send(self, call: Call[R]) -> R:
        result = self._core.send(call)
        parsed: R = result.parsed
        return parsed
