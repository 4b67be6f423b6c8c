"""`ConversationClient` and `AsyncConversationClient`: configuration, resources, lifetime.

Both are built the same way (`_ClientBase`); their resources (``client.conversations`` and
the rest) come from the generated `SyncResources` and `AsyncResources`.
"""

from __future__ import annotations

import copy
import dataclasses
import os
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any, ClassVar, Generic, TypeVar

import httpx
from vonage_conversation_api.client import AuthenticatedClient
from vonage_conversation_api.resources.async_resources import AsyncResources
from vonage_conversation_api.resources.sync_resources import SyncResources

from ._async.client import AsyncClientCalls
from ._async.core import AsyncCore
from ._auth import DEFAULT_TTL, JWTAuth, PrivateKey, TokenAuth
from ._options import NOT_GIVEN, NotGiven, Timeout
from ._retry import RetryPolicy
from ._sync.client import SyncClientCalls
from ._sync.core import SyncCore
from ._version import __version__

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_TIMEOUT", "AsyncConversationClient", "ConversationClient"]

HttpT = TypeVar("HttpT", httpx.Client, httpx.AsyncClient)
TransportT = TypeVar("TransportT", httpx.BaseTransport, httpx.AsyncBaseTransport)
CoreT = TypeVar("CoreT", SyncCore, AsyncCore)
ClientT = TypeVar("ClientT", bound="_ClientBase[Any, Any, Any]")

DEFAULT_BASE_URL = "https://api.nexmo.com"
#: 30 s for a whole request phase (read, write, pool), 10 s to connect.
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)

ENV_APPLICATION_ID = "VONAGE_APPLICATION_ID"
ENV_PRIVATE_KEY = "VONAGE_PRIVATE_KEY"
ENV_PRIVATE_KEY_PATH = "VONAGE_PRIVATE_KEY_PATH"
ENV_API_HOST = "VONAGE_API_HOST"


def _base_url(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("base_url must be a URL such as 'https://api.nexmo.com'")
    text = value.strip()
    if "://" not in text:
        text = "https://" + text  # a bare host, as VONAGE_API_HOST often is
    url = httpx.URL(text)
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError(f"base_url must be an http(s) URL with a host, not {value!r}")
    if url.query or url.fragment:
        raise ValueError("base_url must not have a query or a fragment")
    return str(url).rstrip("/")


def _auth(
    *,
    application_id: str | None,
    private_key: PrivateKey | None,
    private_key_password: str | bytes | None,
    token: str | None,
    auth: httpx.Auth | None,
    sub: str | None,
    acl: Mapping[str, Any] | None,
    token_ttl: float | timedelta,
) -> httpx.Auth:
    if (auth is not None or token is not None) and (sub is not None or acl is not None):
        raise ValueError(
            "sub= and acl= shape the tokens the client mints from a private key; "
            "with token= or auth= they would be ignored"
        )
    if auth is not None:
        if not isinstance(auth, httpx.Auth):
            raise TypeError(f"auth must be an httpx.Auth, not {type(auth).__name__}")
        if application_id is not None or private_key is not None or token is not None:
            raise ValueError("give either auth= or application_id/private_key/token, not both")
        return auth
    if token is not None:
        if private_key is not None:
            raise ValueError("give either token= or a private_key to mint tokens with, not both")
        return TokenAuth(token)
    if application_id is None or private_key is None:
        raise ValueError(
            "the client needs credentials: application_id= and private_key= (a Path, or the "
            "PEM text), or token= (a JWT minted elsewhere); "
            "ConversationClient.from_env() reads them from VONAGE_* variables"
        )
    return JWTAuth(
        application_id,
        private_key,
        private_key_password=private_key_password,
        ttl=token_ttl,
        sub=sub,
        acl=acl,
    )


def _retry(max_retries: int | None, retry: RetryPolicy | None) -> RetryPolicy:
    policy = retry if retry is not None else RetryPolicy()
    if not isinstance(policy, RetryPolicy):
        raise TypeError(f"retry must be a RetryPolicy, not {type(policy).__name__}")
    if max_retries is not None:
        return dataclasses.replace(policy, max_retries=max_retries)
    return policy


def env_settings(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Client settings from ``VONAGE_*`` environment variables (only those that are set)."""
    env = os.environ if environ is None else environ
    settings: dict[str, Any] = {}
    if env.get(ENV_APPLICATION_ID):
        settings["application_id"] = env[ENV_APPLICATION_ID]
    if env.get(ENV_PRIVATE_KEY):
        # A PEM in an environment variable often arrives with its newlines written as "\n".
        settings["private_key"] = env[ENV_PRIVATE_KEY].replace("\\n", "\n")
    elif env.get(ENV_PRIVATE_KEY_PATH):
        settings["private_key"] = Path(env[ENV_PRIVATE_KEY_PATH]).expanduser()
    if env.get(ENV_API_HOST):
        settings["base_url"] = env[ENV_API_HOST]
    return settings


def _from_env_kwargs(
    environ: Mapping[str, str] | None, overrides: dict[str, Any]
) -> dict[str, Any]:
    kwargs = {**env_settings(environ), **overrides}
    if "token" in overrides or "auth" in overrides:
        kwargs.pop("private_key", None)
        kwargs.pop("application_id", None)
        return kwargs
    missing = [ENV_APPLICATION_ID] if "application_id" not in kwargs else []
    if "private_key" not in kwargs:
        missing.append(f"{ENV_PRIVATE_KEY} or {ENV_PRIVATE_KEY_PATH}")
    if missing:
        raise ValueError(f"from_env: set {' and '.join(missing)}")
    return kwargs


def _check_http_client(
    http_client: object, transport: object, kind: type, other_kind: type, other_client: str
) -> None:
    """Refuse an injected HTTP client given with a transport, or of the other client's kind
    (`other_client` is the class that takes that kind)."""
    if http_client is not None and transport is not None:
        raise ValueError("give http_client= or transport=, not both")
    if http_client is not None and not isinstance(http_client, kind):
        hint = f" (use {other_client})" if isinstance(http_client, other_kind) else ""
        raise TypeError(
            f"http_client must be an httpx.{kind.__name__}, not {type(http_client).__name__}{hint}"
        )


class _ClientBase(Generic[HttpT, TransportT, CoreT]):
    """What the sync and the async client share: settings, credentials, the HTTP client and
    the core every call goes through. The subclasses differ in the kind of HTTP client, core
    and resources (`SyncResources` or `AsyncResources`, generated from the spec)."""

    _auth: httpx.Auth
    _base_url: str
    _owns_http: bool
    _http: HttpT
    _core: CoreT
    #: (the HTTP client kind this client takes, the other kind, the client that takes that one)
    _http_kinds: ClassVar[tuple[type, type, str]]

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
        http_client: HttpT | None = None,
        transport: TransportT | None = None,
    ) -> None:
        self._base_url = _base_url(base_url)
        self._auth = _auth(
            application_id=application_id,
            private_key=private_key,
            private_key_password=private_key_password,
            token=token,
            auth=auth,
            sub=sub,
            acl=acl,
            token_ttl=token_ttl,
        )
        timeouts = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        default_headers = {
            "User-Agent": f"vonage-conversation-python/{__version__} httpx/{httpx.__version__}",
            "Accept": "application/json",
            **(headers or {}),
        }
        low_level = AuthenticatedClient(
            base_url=self._base_url,
            token="",
            prefix="",
            timeout=timeouts,
            headers=dict(default_headers),
            httpx_args={"auth": self._auth},
        )
        self.low_level = low_level
        """The generated `AuthenticatedClient`, sharing this client's HTTP client and auth,
        for calling ``vonage_conversation_api.api.*`` functions directly."""
        settings = {
            "base_url": self._base_url,
            "auth": self._auth,
            "retry": _retry(max_retries, retry),
            "timeout": timeouts,
            "headers": default_headers,
        }
        _check_http_client(http_client, transport, *self._http_kinds)
        self._owns_http = http_client is None
        if http_client is None:
            http_client = self._new_http(
                base_url=self._base_url,
                auth=self._auth,
                timeout=timeouts,
                headers=default_headers,
                transport=transport,
            )
        elif http_client.auth is None:
            http_client.auth = self._auth
        self._http = http_client
        # The generated client sends through this client's HTTP client (and so its auth).
        if isinstance(http_client, httpx.Client):
            low_level.set_httpx_client(http_client)
        else:
            low_level.set_async_httpx_client(http_client)
        self._core = self._new_core(http_client, settings)
        self._bind_resources(self._core)

    def _new_http(self, **kwargs: Any) -> HttpT:
        raise NotImplementedError

    def _new_core(self, http: HttpT, settings: dict[str, Any]) -> CoreT:
        raise NotImplementedError

    def _bind_resources(self, core: CoreT) -> None:
        raise NotImplementedError  # the generated SyncResources / AsyncResources do this

    @classmethod
    def from_env(
        cls: type[ClientT], *, environ: Mapping[str, str] | None = None, **overrides: Any
    ) -> ClientT:
        """A client from ``VONAGE_APPLICATION_ID``, ``VONAGE_PRIVATE_KEY`` (the PEM text) or
        ``VONAGE_PRIVATE_KEY_PATH``, and ``VONAGE_API_HOST`` (optional); keyword arguments
        override them and take any other constructor argument."""
        return cls(**_from_env_kwargs(environ, overrides))

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
        changed._bind_resources(changed._core)
        return changed

    @property
    def base_url(self) -> str:
        """Where requests go, e.g. ``https://api.nexmo.com``."""
        return self._base_url

    @property
    def auth(self) -> httpx.Auth:
        """The `httpx.Auth` that signs requests (a `JWTAuth` unless you gave a token or auth)."""
        return self._auth

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._base_url!r}, auth={self._auth!r})"


class ConversationClient(
    SyncResources, SyncClientCalls, _ClientBase[httpx.Client, httpx.BaseTransport, SyncCore]
):
    """The Vonage Conversation API, synchronously.

    ::

        with ConversationClient(application_id="...", private_key=Path("private.key")) as client:
            conversation = client.conversations.create(name="support")
            for event in client.events.list(conversation.id):
                ...

    Credentials: `application_id` and `private_key` (a `Path`, or the PEM text as str or
    bytes; `private_key_password` if it is encrypted), from which RS256 JWTs are minted and
    cached; or `token`, a JWT minted elsewhere; or `auth`, any `httpx.Auth`. `sub` makes the
    minted tokens user JWTs (``members.me`` needs one), `acl` limits what they may do, and
    `token_ttl` is their lifetime (15 minutes; at most 24 hours).

    Transport: `base_url` (default ``https://api.nexmo.com``), `timeout` (applies to every
    request), `max_retries` or a full `retry` policy, extra `headers`, and either an
    `http_client` (an `httpx.Client` you own and close; its ``auth`` is set to this client's
    if it has none, so that `low_level` calls through it are signed) or a `transport`.
    """

    _http_kinds = (httpx.Client, httpx.AsyncClient, "AsyncConversationClient")

    def _new_http(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(**kwargs)

    def _new_core(self, http: httpx.Client, settings: dict[str, Any]) -> SyncCore:
        return SyncCore(http, **settings)


class AsyncConversationClient(
    AsyncResources,
    AsyncClientCalls,
    _ClientBase[httpx.AsyncClient, httpx.AsyncBaseTransport, AsyncCore],
):
    """The Vonage Conversation API, for asyncio: `ConversationClient` with ``await``.

    ::

        async with AsyncConversationClient.from_env() as client:
            conversation = await client.conversations.create(name="support")
            async for event in client.events.list(conversation.id):
                ...

    Takes the same arguments as `ConversationClient`, with an `httpx.AsyncClient` as
    `http_client` and an `httpx.AsyncBaseTransport` as `transport`.
    """

    _http_kinds = (httpx.AsyncClient, httpx.Client, "ConversationClient")

    def _new_http(self, **kwargs: Any) -> httpx.AsyncClient:
        return httpx.AsyncClient(**kwargs)

    def _new_core(self, http: httpx.AsyncClient, settings: dict[str, Any]) -> AsyncCore:
        return AsyncCore(http, **settings)

    async def aclose(self) -> None:
        """The same as `close`, under httpx's name."""
        await self.close()
