"""Raw responses: any call's result together with the HTTP response it came from."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, ParamSpec, TypeVar

import httpx

from ._async.pagination import AsyncPaginator
from ._core import raw_capture
from ._sync.pagination import SyncPaginator

__all__ = ["RawResponse", "acall_raw", "call_raw"]

P = ParamSpec("P")
R = TypeVar("R")

_LISTS = (
    "a list method sends nothing until iterated: each Page has the HTTP response of its "
    "request as `page.response`"
)


@dataclass(frozen=True)
class RawResponse(Generic[R]):
    """A call's parsed result (`parsed`) and the `httpx.Response` it came from."""

    parsed: R
    http_response: httpx.Response

    @property
    def status_code(self) -> int:
        """The HTTP status."""
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        """The response headers."""
        return self.http_response.headers

    def json(self) -> Any:
        """The body as the server sent it (before any of the client's fixes)."""
        return self.http_response.json()


def _result(parsed: R, box: list[httpx.Response]) -> RawResponse[R]:
    if isinstance(parsed, (SyncPaginator, AsyncPaginator)) or not box:
        raise TypeError(_LISTS)
    return RawResponse(parsed, box[-1])


def call_raw(method: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> RawResponse[R]:
    """Run a client method, keeping the final HTTP response (after any retries) as well."""
    box: list[httpx.Response] = []
    token = raw_capture.set(box)
    try:
        parsed = method(*args, **kwargs)
    finally:
        raw_capture.reset(token)
    return _result(parsed, box)


async def acall_raw(
    method: Callable[P, Awaitable[R]], /, *args: P.args, **kwargs: P.kwargs
) -> RawResponse[R]:
    """The async twin of `call_raw`."""
    box: list[httpx.Response] = []
    token = raw_capture.set(box)
    try:
        pending = method(*args, **kwargs)
        if isinstance(pending, (SyncPaginator, AsyncPaginator)):
            raise TypeError(_LISTS)
        parsed = await pending
    finally:
        raw_capture.reset(token)
    return _result(parsed, box)
