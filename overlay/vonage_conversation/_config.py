"""What the sync and the async client share that is not I/O: their settings, checked once.

`ClientConfig.of` turns the constructor's arguments into the credentials (`httpx.Auth`), the
base URL, the retry policy, the timeouts and the headers; `low_level_client` makes the generated
`AuthenticatedClient` that shares the client's HTTP client. The clients themselves are
``_async/client.py`` (written once; ``_sync/client.py`` is its twin) and the resources the
pipeline renders for them (``_generated/``).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from vonage_conversation_api.client import AuthenticatedClient

from ._auth import JWTAuth, PrivateKey, TokenAuth
from ._retry import RetryPolicy
from ._version import __version__

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_TIMEOUT",
    "ClientConfig",
    "check_http_client",
    "env_settings",
    "from_env_kwargs",
    "low_level_client",
]

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


def from_env_kwargs(environ: Mapping[str, str] | None, overrides: dict[str, Any]) -> dict[str, Any]:
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


# The HTTP client kind a client takes -> (the other kind, the client that takes that one).
_OTHER_KIND: dict[type, tuple[type, str]] = {
    httpx.Client: (httpx.AsyncClient, "AsyncConversationClient"),
    httpx.AsyncClient: (httpx.Client, "ConversationClient"),
}


def check_http_client(http_client: object, transport: object, kind: type) -> None:
    """Refuse an injected HTTP client given with a transport, or not of `kind` (the kind of
    HTTP client the calling client takes: a hint names the client that takes the other)."""
    if http_client is not None and transport is not None:
        raise ValueError("give http_client= or transport=, not both")
    if http_client is not None and not isinstance(http_client, kind):
        other_kind, other_client = _OTHER_KIND[kind]
        hint = f" (use {other_client})" if isinstance(http_client, other_kind) else ""
        raise TypeError(
            f"http_client must be an httpx.{kind.__name__}, not {type(http_client).__name__}{hint}"
        )


@dataclass(frozen=True)
class ClientConfig:
    """A client's settings, checked: what its core and its HTTP client are made with."""

    base_url: str
    auth: httpx.Auth
    retry: RetryPolicy
    timeout: httpx.Timeout
    headers: Mapping[str, str]

    @classmethod
    def of(
        cls,
        *,
        application_id: str | None,
        private_key: PrivateKey | None,
        private_key_password: str | bytes | None,
        token: str | None,
        auth: httpx.Auth | None,
        sub: str | None,
        acl: Mapping[str, Any] | None,
        token_ttl: float | timedelta,
        base_url: str,
        timeout: float | httpx.Timeout | None,
        max_retries: int | None,
        retry: RetryPolicy | None,
        headers: Mapping[str, str] | None,
    ) -> ClientConfig:
        """The settings from the client constructor's arguments (see `ConversationClient`)."""
        checked_url = _base_url(base_url)
        credentials = _auth(
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
        return cls(checked_url, credentials, _retry(max_retries, retry), timeouts, default_headers)

    def http_kwargs(self) -> dict[str, Any]:
        """The arguments of the HTTP client a client makes for itself (without a transport)."""
        return {
            "base_url": self.base_url,
            "auth": self.auth,
            "timeout": self.timeout,
            "headers": dict(self.headers),
        }

    def core_kwargs(self) -> dict[str, Any]:
        """The arguments of the client's core, besides its HTTP client."""
        return {
            "base_url": self.base_url,
            "auth": self.auth,
            "retry": self.retry,
            "timeout": self.timeout,
            "headers": self.headers,
        }


def low_level_client(
    config: ClientConfig, http_client: httpx.Client | httpx.AsyncClient
) -> AuthenticatedClient:
    """The generated `AuthenticatedClient`, sending through `http_client` (and so its auth)."""
    low_level = AuthenticatedClient(
        base_url=config.base_url,
        token="",
        prefix="",
        timeout=config.timeout,
        headers=dict(config.headers),
        httpx_args={"auth": config.auth},
    )
    if isinstance(http_client, httpx.Client):
        low_level.set_httpx_client(http_client)
    else:
        low_level.set_async_httpx_client(http_client)
    return low_level
