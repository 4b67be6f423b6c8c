# Generated from _async/client.py by scripts/spec_pipeline/unasync.py: do not edit.
"""`SyncClientBase`: what `ConversationClient` is besides its resources: its settings, its
HTTP client and core, a request to any path, an operation with its raw response, and closing.

The client class itself is rendered with the resources (``_generated/_async/resources.py``): it
is this base with one cached attribute per resource of the spec.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Callable, Mapping
from datetime import timedelta
from types import TracebackType
from typing import Any, ParamSpec, TypeVar

import httpx

from .._auth import DEFAULT_TTL, PrivateKey
from .._config import (
    DEFAULT_BASE_URL,
    DEFAULT_TIMEOUT,
    ClientConfig,
    check_http_client,
    from_env_kwargs,
    low_level_client,
)
from .._options import NOT_GIVEN, NotGiven, Timeout
from .._raw import RawResponse, call_raw
from .._retry import RetryPolicy
from .core import SyncCore
from .resource import SyncResource

__all__ = ["SyncClientBase"]

P = ParamSpec("P")
R = TypeVar("R")
ClientT = TypeVar("ClientT", bound="SyncClientBase")


class SyncClientBase:
    """The Vonage Conversation API client's settings and lifetime (its resources are its
    subclass's: `ConversationClient`).

    Credentials: `application_id` and `private_key` (a `Path`, or the PEM text as str or
    bytes; `private_key_password` if it is encrypted), from which RS256 JWTs are minted and
    cached; or `token`, a JWT minted elsewhere; or `auth`, any `httpx.Auth`. `sub` makes the
    minted tokens user JWTs (``members.me`` needs one), `acl` limits what they may do, and
    `token_ttl` is their lifetime (15 minutes; at most 24 hours).

    Transport: `base_url` (default ``https://api.nexmo.com``), `timeout` (applies to every
    request), `max_retries` or a full `retry` policy, extra `headers`, and either an
    `http_client` (an `httpx.Client` you own and close; its ``auth`` is set to this
    client's if it has none, so that `low_level` calls through it are signed) or a `transport`
    (an `httpx.BaseTransport`).
    """

    def __init__(
        self,
        application_id: str | None = None,
        private_key: PrivateKey | None = None,
        *,
        private_key_password: str | bytes | None = None,
        token: str | None = None,
        auth: httpx.Auth | None = None,
        sub: str | None = None,
        acl: Mapping[str, Any] | None = None,
        token_ttl: float | timedelta = DEFAULT_TTL,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float | httpx.Timeout | None = DEFAULT_TIMEOUT,
        max_retries: int | None = None,
        retry: RetryPolicy | None = None,
        headers: Mapping[str, str] | None = None,
        http_client: httpx.Client | None = None,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        config = ClientConfig.of(
            application_id=application_id,
            private_key=private_key,
            private_key_password=private_key_password,
            token=token,
            auth=auth,
            sub=sub,
            acl=acl,
            token_ttl=token_ttl,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            retry=retry,
            headers=headers,
        )
        check_http_client(http_client, transport, httpx.Client)
        self._config = config
        self._owns_http = http_client is None
        if http_client is None:
            http_client = httpx.Client(**config.http_kwargs(), transport=transport)
        elif http_client.auth is None:
            http_client.auth = config.auth
        self._http = http_client
        self._core = SyncCore(http_client, **config.core_kwargs())
        self.low_level = low_level_client(config, http_client)
        """The generated `AuthenticatedClient`, sharing this client's HTTP client and auth,
        for calling ``vonage_conversation_api.api.*`` functions directly."""

    @classmethod
    def from_env(
        cls: type[ClientT], *, environ: Mapping[str, str] | None = None, **overrides: Any
    ) -> ClientT:
        """A client from ``VONAGE_APPLICATION_ID``, ``VONAGE_PRIVATE_KEY`` (the PEM text) or
        ``VONAGE_PRIVATE_KEY_PATH``, and ``VONAGE_API_HOST`` (optional); keyword arguments
        override them and take any other constructor argument."""
        return cls(**from_env_kwargs(environ, overrides))

    def with_options(
        self: ClientT,
        *,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
    ) -> ClientT:
        """This client with another `timeout` (seconds, an `httpx.Timeout`, or None for none)
        or `max_retries`, for the calls made through it: ``client.with_options(max_retries=0)
        .conversations.get(...)``. It shares this client's connection pool and auth (closing
        it leaves them open: they stay this client's)."""
        retry = None
        if not isinstance(max_retries, NotGiven):
            retry = dataclasses.replace(self._core.retry, max_retries=max_retries)
        changed = copy.copy(self)
        changed._owns_http = False
        changed._core = self._core.with_options(timeout=timeout, retry=retry)
        # The resources made so far send through this client's core: the copy makes its own.
        for name, value in list(vars(changed).items()):
            if isinstance(value, SyncResource):
                del vars(changed)[name]
        return changed

    @property
    def base_url(self) -> str:
        """Where requests go, e.g. ``https://api.nexmo.com``."""
        return self._config.base_url

    @property
    def auth(self) -> httpx.Auth:
        """The `httpx.Auth` that signs requests (a `JWTAuth` unless you gave a token or auth)."""
        return self._config.auth

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, auth={self.auth!r})"

    def with_raw_response(
        self, method: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs
    ) -> RawResponse[R]:
        """Call `method` (any method of this client's resources) and return its result with
        the HTTP response: ``client.with_raw_response(client.conversations.get, "CON-...")``."""
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
