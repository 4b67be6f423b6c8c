"""`AsyncClientCalls`: the calls of `AsyncConversationClient` that wait on the network and are
not operations of the spec (those are its generated resources): a request to any path, an
operation with its raw response, and closing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from types import TracebackType
from typing import Any, ParamSpec, TypeVar

import httpx

from .._raw import RawResponse, acall_raw
from .core import AsyncCore

__all__ = ["AsyncClientCalls"]

P = ParamSpec("P")
R = TypeVar("R")
ClientT = TypeVar("ClientT", bound="AsyncClientCalls")


class AsyncClientCalls:
    """What a client sends besides its resources' operations (mixed into the client)."""

    _core: AsyncCore
    _http: httpx.AsyncClient
    _owns_http: bool

    async def with_raw_response(
        self, method: Callable[P, Awaitable[R]], /, *args: P.args, **kwargs: P.kwargs
    ) -> RawResponse[R]:
        """Call `method` (any method of this client's resources) and return its result with
        the HTTP response: ``client.with_raw_response(client.conversations.get, "CON-...")``
        (awaited, on the async client)."""
        return await acall_raw(method, *args, **kwargs)

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
    ) -> httpx.Response:
        """Send a request this client has no method for, e.g. to an endpoint outside the spec.

        `path` is joined to `base_url` (a full URL is refused: the token goes to this host
        only); the JWT, retries and errors are those of every other call. Returns the 2xx
        `httpx.Response`; anything else raises a `ConversationAPIError`.
        """
        return await self._core.request(method, path, params=params, json=json)

    async def close(self) -> None:
        """Close the HTTP client (unless it was given to us: then it is yours to close)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self: ClientT) -> ClientT:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.close()
