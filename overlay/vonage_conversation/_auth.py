"""Authentication: Vonage application JWTs (RS256), minted and cached, as `httpx.Auth`.

The key is read and checked when the auth is built, so a wrong key fails at start-up, not at
the first request. Neither the key nor a token ever appears in a repr, a message or a log.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Generator, Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey

__all__ = ["JWTAuth", "PrivateKey", "TokenAuth", "load_private_key"]

#: A private key: the path of a PEM file, or the PEM text itself (str or bytes).
PrivateKey = Path | str | bytes

logger = logging.getLogger("vonage_conversation")

DEFAULT_TTL = timedelta(minutes=15)
MAX_TTL = timedelta(hours=24)
_PEM_MARKER = b"-----BEGIN"


def _seconds(value: float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def _pem_bytes(private_key: PrivateKey) -> bytes:
    if isinstance(private_key, Path):
        try:
            return private_key.read_bytes()
        except OSError as error:
            raise ValueError(
                f"cannot read the private key file {str(private_key)!r}: {error.strerror}"
            ) from None
    if isinstance(private_key, bytes):
        return private_key
    if isinstance(private_key, str):
        if "-----BEGIN" in private_key:
            return private_key.encode()
        # A path given as a str is the commonest slip; accept it rather than fail on it.
        # Only a short, one-line value can be a path; anything else is never echoed back.
        if "\n" not in private_key and len(private_key) < 4096 and Path(private_key).is_file():
            return Path(private_key).read_bytes()
        raise ValueError(
            "private_key is neither PEM text ('-----BEGIN ... PRIVATE KEY-----') "
            "nor the path of a readable file"
        )
    raise TypeError(
        f"private_key must be a pathlib.Path, or PEM text as str or bytes, "
        f"not {type(private_key).__name__}"
    )


def load_private_key(private_key: PrivateKey, password: str | bytes | None = None) -> RSAPrivateKey:
    """Read an RSA private key, raising a `ValueError` that says what is wrong with it.

    The messages never quote the key: a key in a traceback is a key in a log.
    """
    data = _pem_bytes(private_key)
    if _PEM_MARKER not in data:
        raise ValueError("private_key is not PEM: expected '-----BEGIN ... PRIVATE KEY-----'")
    if b"PUBLIC KEY-----" in data and b"PRIVATE KEY-----" not in data:
        raise ValueError("private_key is a public key: JWTs are signed with the private key")
    secret = password.encode() if isinstance(password, str) else password
    try:
        key = serialization.load_pem_private_key(data, password=secret)
    except TypeError:
        # cryptography raises TypeError both for "encrypted, no password" and "password, not
        # encrypted"; which one it is follows from whether we gave a password.
        if secret is None:
            raise ValueError(
                "the private key is encrypted: pass its password as private_key_password"
            ) from None
        raise ValueError(
            "private_key_password was given but the private key is not encrypted"
        ) from None
    except ValueError:
        if secret is not None and b"ENCRYPTED" in data:
            raise ValueError("cannot decrypt the private key: wrong private_key_password") from None
        raise ValueError("private_key is not a valid PEM private key") from None
    except Exception:  # cryptography's UnsupportedAlgorithm and friends
        raise ValueError("private_key is not a private key this client can read") from None
    if not isinstance(key, RSAPrivateKey):
        kind = type(key).__name__.removeprefix("_").replace("PrivateKey", "")
        raise ValueError(
            f"private_key is not an RSA key ({kind or 'other'}): Vonage JWTs are signed with "
            "RS256, which needs the RSA key of your Vonage application"
        )
    return key


class JWTAuth(httpx.Auth):
    """Signs each request with a Vonage JWT (RS256), minted once and reused until near expiry.

    Claims: ``application_id``, ``iat``, ``jti`` (new for every token), ``exp`` (``iat`` +
    `ttl`, 15 minutes unless told, at most 24 hours), and when given ``nbf``, ``sub`` (a user
    name: a user JWT, which ``members.me`` needs) and ``acl``.

    The token is minted again `refresh_margin` before it expires (by default a tenth of its
    lifetime, at most a minute), so a request never leaves with a token about to lapse. A
    request the server answers with 401 is signed with a fresh token and sent again, once (a
    clock that ran ahead, a key rotated: the cached token may be refused before it expires).
    Safe to share between threads and asyncio tasks: minting is pure CPU under a lock, with no
    ``await`` inside it, so a task can never hold the lock across a suspension point.
    """

    def __init__(
        self,
        application_id: str,
        private_key: PrivateKey,
        *,
        private_key_password: str | bytes | None = None,
        ttl: float | timedelta = DEFAULT_TTL,
        sub: str | None = None,
        acl: Mapping[str, Any] | None = None,
        nbf: int | float | datetime | None = None,
        refresh_margin: float | timedelta | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not isinstance(application_id, str) or not application_id.strip():
            raise ValueError("application_id must be a non-empty string")
        lifetime = _seconds(ttl)
        if not 0 < lifetime <= MAX_TTL.total_seconds():
            raise ValueError("ttl must be more than 0 seconds and at most 24 hours")
        if sub is not None and (not isinstance(sub, str) or not sub):
            raise ValueError("sub must be a non-empty user name")
        if acl is not None and not isinstance(acl, Mapping):
            raise TypeError("acl must be a mapping, e.g. {'paths': {'/*/conversations/**': {}}}")
        margin = min(60.0, lifetime / 10) if refresh_margin is None else _seconds(refresh_margin)
        if not 0 <= margin < lifetime:
            raise ValueError("refresh_margin must be at least 0 and less than the ttl")
        self._application_id = application_id
        self._key = load_private_key(private_key, private_key_password)
        self._ttl = lifetime
        self._sub = sub
        self._acl = dict(acl) if acl is not None else None
        self._nbf = int(nbf.timestamp()) if isinstance(nbf, datetime) else nbf
        self._margin = margin
        self._clock = clock
        self._lock = threading.Lock()
        self._token: str | None = None
        self._refresh_at = 0.0

    @property
    def application_id(self) -> str:
        """The Vonage application the tokens are minted for."""
        return self._application_id

    @property
    def sub(self) -> str | None:
        """The user name tokens carry as ``sub``, or None for application tokens."""
        return self._sub

    def __repr__(self) -> str:
        user = f", sub={self._sub!r}" if self._sub is not None else ""
        return f"JWTAuth(application_id={self._application_id!r}{user})"

    def claims(self, now: float) -> dict[str, Any]:
        """The claims of a token minted at `now` (seconds since the epoch)."""
        issued = int(now)
        claims: dict[str, Any] = {
            "application_id": self._application_id,
            "iat": issued,
            "jti": str(uuid.uuid4()),
            "exp": issued + int(self._ttl),
        }
        if self._nbf is not None:
            claims["nbf"] = self._nbf
        if self._sub is not None:
            claims["sub"] = self._sub
        if self._acl is not None:
            claims["acl"] = self._acl
        return claims

    def _mint(self) -> str:
        claims = self.claims(self._clock())
        self._token = jwt.encode(claims, self._key, algorithm="RS256")
        self._refresh_at = claims["exp"] - self._margin
        return self._token

    def token(self) -> str:
        """A valid token: the cached one, or a new one if it is near its expiry."""
        with self._lock:
            if self._token is None or self._clock() >= self._refresh_at:
                return self._mint()
            return self._token

    def renew(self, refused: str) -> str:
        """A fresh token in place of `refused`, which the server answered with 401: minted now,
        unless another request has already replaced it (then that one)."""
        with self._lock:
            if self._token is None or self._token == refused:
                return self._mint()
            return self._token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Sign the request; on a 401, sign it again with a fresh token and resend it, once.

        The server refused the request before acting on it, whatever its method, so sending
        it again is safe; a second 401 is the caller's to see (`AuthenticationError`).
        """
        token = self.token()
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        if response.status_code != httpx.codes.UNAUTHORIZED:
            return
        logger.debug(
            "%s %s answered 401: sending it again once, with a freshly minted token",
            request.method,
            request.url.copy_with(query=None),
        )
        request.headers["Authorization"] = f"Bearer {self.renew(token)}"
        yield request


class TokenAuth(httpx.Auth):
    """Sends a ready-made bearer token (one you minted elsewhere) with every request.

    A request answered with 401 is not sent again: the client cannot make another token.
    """

    def __init__(self, token: str) -> None:
        if not isinstance(token, str) or not token.strip():
            raise ValueError("token must be a non-empty string")
        if token.lower().startswith("bearer "):
            token = token[len("bearer ") :]
        self._token = token.strip()

    def __repr__(self) -> str:
        return "TokenAuth(token=<hidden>)"

    def token(self) -> str:
        """The token."""
        return self._token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request
