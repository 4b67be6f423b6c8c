# Generated from _async/client.py by scripts/spec_pipeline/unasync.py: do not edit.
"""`SyncClientCalls`: the calls of `ConversationClient` that wait on the network and are
not operations of the spec (those are its generated resources): a request to any path, an
operation with its raw response, and closing."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import TracebackType
from typing import Any, ParamSpec, TypeVar

import httpx

from .._raw import RawResponse, call_raw
from .core import SyncCore

__all__ = ["SyncClientCalls"]

P = ParamSpec("P")
R = TypeVar("R")
ClientT = TypeVar("ClientT", bound="SyncClientCalls")


class SyncClientCalls:
    """What a client sends besides its resources' operations (mixed into the client)."""

    _core: SyncCore
    _http: httpx.Client
    _owns_http: bool

    def with_raw_response(
        self, method: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs
    ) -> RawResponse[R]:
        """Call `method` (any method of this client's resources) and return its result with
        the HTTP response: ``client.with_raw_response(client.conversations.get, "CON-...")``
        (awaited, on the async client)."""
        return call_raw(method, *args, **kwargs)

    def request(
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
        return self._core.request(method, path, params=params, json=json)

    def close(self) -> None:
        """Close the HTTP client (unless it was given to us: then it is yours to close)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self: ClientT) -> ClientT:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
