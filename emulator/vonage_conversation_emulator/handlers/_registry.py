"""How operations are declared: ``@operation("<operationId>")`` on a function of a Context.

The app checks at start-up that the registry and the served spec list the same operationIds,
so an operation can neither be missing from the emulator nor exist outside the spec.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ..auth import Principal
from ..clock import format_timestamp
from ..controls import Controls
from ..pagination import CursorCodec, RequestUrl
from ..storage import JSONObject, Transaction, UserRecord
from ..validation import ValidRequest
from ..views import PageShape

__all__ = ["REGISTRY", "Context", "Handler", "Operation", "Reply", "operation"]


@dataclass(frozen=True)
class Context:
    """Everything a handler may use: the valid request, the caller, one transaction."""

    request: ValidRequest
    principal: Principal
    caller: UserRecord | None
    """The user a user JWT acts as (resolved from ``sub``); None for an application JWT."""
    tx: Transaction
    url: RequestUrl
    moment: datetime
    """The request's time: every timestamp one request writes is the same."""
    cursors: CursorCodec
    shape: PageShape
    deliveries: list[int] = field(default_factory=list)
    """The ids of the deliveries this request wrote (the app wakes the delivery worker once
    the transaction has committed them)."""
    controls: Controls | None = None
    """The emulator's clocks, faults and seed users, for its own routes (``admin``); None
    where a handler is called without an app."""

    @property
    def now(self) -> str:
        """``moment`` as the API writes timestamps."""
        return format_timestamp(self.moment)

    @property
    def path(self) -> Mapping[str, Any]:
        """Path parameters."""
        return self.request.path

    @property
    def query(self) -> Mapping[str, Any]:
        """Query parameters, with the spec's defaults filled in."""
        return self.request.query

    @property
    def body(self) -> JSONObject:
        """The JSON body (``{}`` for an operation sent without one)."""
        return dict(self.request.body or {})


@dataclass(frozen=True)
class Reply:
    """A handler's answer: a status and a JSON body (None for no body at all)."""

    status: int
    body: JSONObject | None


Handler = Callable[[Context], Reply]


@dataclass(frozen=True)
class Operation:
    """A registered handler: whether it writes, and the page shape of its list."""

    handler: Handler
    writes: bool
    shape: PageShape


REGISTRY: dict[str, Operation] = {}


def operation(
    operation_id: str, *, writes: bool = False, shape: PageShape = PageShape.V03
) -> Callable[[Handler], Handler]:
    """Register the decorated function as ``operation_id``'s handler (stackable, so one
    function can serve an operation and its deprecated v0.2 twin)."""

    def register(handler: Handler) -> Handler:
        if operation_id in REGISTRY:
            raise RuntimeError(f"{operation_id} is registered twice")
        REGISTRY[operation_id] = Operation(handler, writes, shape)
        return handler

    return register
