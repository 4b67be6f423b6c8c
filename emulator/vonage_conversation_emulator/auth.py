"""Who is calling: Vonage JWTs checked the way the real API does, and their ACLs.

The emulator serves several applications, each with its own public key and clock. A token's
``application_id`` (read before its signature is checked, to pick the key) must be one of
them; it is accepted when it is RS256, signed by that application's key, and
``nbf <= now < exp`` on that application's clock (`clock.ApplicationClocks`). Without ``exp``
it lasts 15 minutes from ``iat`` (the Vonage default); with neither, it is refused. ``sub``
makes it a user JWT (``sub`` is the user's name, within the token's application).
``acl.paths`` (``{"/*/conversations/**": {}, ...}``: ``*`` one path segment, ``**`` any number
of them) limits the paths it may call; without ``acl`` it may call any.

A token that passed every check is remembered until it expires: a client sends the same token
for its whole lifetime, and an RS256 verification costs more than the rest of a request. Only
expiry can change the verdict on a token once accepted (its signature, claims and nbf cannot),
so a remembered token is used while ``now < expires_at`` (its application's now) and checked
afresh after.
"""

from __future__ import annotations

import functools
import hashlib
import math
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from .clock import ApplicationClocks
from .errors import ApiError, ErrorKind

__all__ = ["Authenticator", "Principal", "acl_allows"]

DEFAULT_LIFETIME_SECONDS = 15 * 60
MAX_REMEMBERED_TOKENS = 10_000
# How far ahead of this machine's clock a token's iat may be: clock skew, not a token from later.
IAT_SKEW_SECONDS = 5 * 60
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="vonage-conversation-emulator"'}


@dataclass(frozen=True)
class Principal:
    """The caller, as its valid JWT describes it."""

    application_id: str
    user_name: str | None
    """``sub``: the user a user JWT acts as; None for an application JWT."""
    acl_paths: tuple[str, ...] | None
    """``acl.paths`` patterns; None when the token has no ACL (it may call anything)."""
    session_key: str
    """Identifies this token: ``jti`` when present, else a hash of the token."""
    expires_at: float
    """When the token stops being valid, in seconds since the epoch."""

    def may_call(self, path: str) -> bool:
        """Whether the token's ACL lets it call ``path``."""
        return self.acl_paths is None or acl_allows(self.acl_paths, path)


def _refuse(detail: str, kind: ErrorKind = ErrorKind.INVALID_TOKEN) -> ApiError:
    return ApiError(kind, detail, headers=_CHALLENGE)


class Authenticator:
    """Checks the ``Authorization`` header against the registered applications' public keys,
    on each application's clock."""

    def __init__(
        self,
        applications: Mapping[str, RSAPublicKey],
        clocks: ApplicationClocks | None = None,
    ) -> None:
        self.clocks = clocks or ApplicationClocks()
        self._keys: dict[str, RSAPublicKey] = dict(applications)
        self._keys_lock = threading.Lock()
        # Accepted tokens by their text. Plain dict reads and writes are atomic under the
        # GIL; two threads verifying one new token at once both store the same Principal.
        self._accepted: dict[str, Principal] = {}

    @property
    def applications(self) -> Mapping[str, RSAPublicKey]:
        """The registered applications' public keys by id (a copy)."""
        return dict(self._keys)

    def add(self, application_id: str, public_key: RSAPublicKey) -> None:
        """Accept the tokens of one more application; ValueError if it is registered."""
        with self._keys_lock:
            if application_id in self._keys:
                raise ValueError(f"application {application_id!r} is registered already")
            # A new dict swapped in whole: readers never see one being changed.
            self._keys = {**self._keys, application_id: public_key}

    def authenticate(self, authorization: str | None) -> Principal:
        """The Principal of a valid ``Bearer <JWT>``; ApiError 401 for anything else."""
        token = _bearer_token(authorization)
        known = self._accepted.get(token)
        if known is not None and self.clocks.timestamp(known.application_id) < known.expires_at:
            return known
        principal = self._verify(token)
        if len(self._accepted) >= MAX_REMEMBERED_TOKENS:
            self._accepted.clear()  # a cache, not a record: a token is verified again
        self._accepted[token] = principal
        return principal

    def _verify(self, token: str) -> Principal:
        try:
            unverified: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
            claimed = unverified.get("application_id")
            keys = self._keys
            if not isinstance(claimed, str) or claimed not in keys:
                raise _refuse(
                    f"the JWT's application_id ({claimed!r}) is not one of this "
                    "emulator's applications"
                )
            application_id, key = claimed, keys[claimed]
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=["RS256"],
                # The time claims are checked on the application's clock (`_principal`).
                options={
                    "verify_exp": False,
                    "verify_nbf": False,
                    "verify_iat": False,
                    "verify_aud": False,
                    "verify_iss": False,
                },
            )
        except jwt.InvalidTokenError as error:
            raise _refuse(f"the JWT is not valid: {error}") from None
        except (ValueError, TypeError, OverflowError) as error:
            # PyJWT lets a few malformed claims through as plain errors (exp: 1e400).
            raise _refuse(f"the JWT could not be read: {error}") from None
        return _principal(token, claims, application_id, self.clocks.timestamp(application_id))


def _principal(token: str, claims: Mapping[str, Any], application_id: str, now: float) -> Principal:
    """The Principal of a token signed by ``application_id``'s key, checked at ``now`` (the
    application's time)."""
    expires_at = _expiry(claims)
    if "exp" in claims and expires_at <= now:
        raise _refuse("the JWT has expired (exp)", ErrorKind.EXPIRED_TOKEN)
    nbf = _number_claim(claims, "nbf")
    if nbf is not None and nbf > now:
        raise _refuse("the JWT is not valid yet (nbf)")
    iat = claims.get("iat")
    if (
        isinstance(iat, (int, float))
        and not isinstance(iat, bool)
        and (iat > now + IAT_SKEW_SECONDS)
    ):
        raise _refuse("the JWT was issued in the future (iat)")
    if expires_at <= now:
        raise _refuse("the JWT has expired (iat + 15 minutes)", ErrorKind.EXPIRED_TOKEN)
    sub = claims.get("sub")
    if sub is not None and (not isinstance(sub, str) or not sub):
        raise _refuse("the JWT's sub must be a user name")
    jti = claims.get("jti")
    session_key = str(jti) if jti else hashlib.sha256(token.encode()).hexdigest()
    return Principal(
        application_id=application_id,
        user_name=sub,
        acl_paths=_acl_paths(claims.get("acl")),
        session_key=session_key,
        expires_at=expires_at,
    )


def _bearer_token(authorization: str | None) -> str:
    if not authorization:
        raise _refuse("the Authorization header is missing: send 'Bearer <JWT>'")
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _refuse("the Authorization header must be 'Bearer <JWT>'")
    return token.strip()


def _number_claim(claims: Mapping[str, Any], claim: str) -> float | None:
    """A time claim's value in seconds; None when absent; 401 unless a finite number."""
    if claim not in claims:
        return None
    value = claims[claim]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _refuse(f"the JWT's {claim} must be a number")
    try:
        number = float(value)
    except OverflowError:
        raise _refuse(f"the JWT's {claim} is out of range") from None
    if not math.isfinite(number):
        raise _refuse(f"the JWT's {claim} is out of range")
    return number


def _expiry(claims: Mapping[str, Any]) -> float:
    for claim, extra in (("exp", 0), ("iat", DEFAULT_LIFETIME_SECONDS)):
        value = _number_claim(claims, claim)
        if value is not None:
            return value + extra
    raise _refuse("the JWT needs exp or iat")


def _acl_paths(acl: Any) -> tuple[str, ...] | None:
    if acl is None:
        return None
    if not isinstance(acl, Mapping):
        raise _refuse("the JWT's acl must be an object")
    paths = acl.get("paths")
    if paths is None:
        return None
    if not isinstance(paths, Mapping) or not all(isinstance(p, str) for p in paths):
        raise _refuse("the JWT's acl.paths must be an object keyed by path patterns")
    return tuple(paths)


@functools.lru_cache(maxsize=256)
def _pattern(acl_path: str) -> re.Pattern[str]:
    parts = []
    for segment in acl_path.strip("/").split("/"):
        if segment == "**":
            parts.append(r"(?:/[^/]+)*")
        elif segment == "*":
            parts.append(r"/[^/]+")
        else:
            parts.append("/" + re.escape(segment))
    return re.compile("".join(parts) + "/?")


def acl_allows(acl_paths: Iterable[str], path: str) -> bool:
    """Whether any Vonage ACL path pattern matches ``path`` (``*`` one segment, ``**`` any)."""
    return any(_pattern(acl_path).fullmatch(path) for acl_path in acl_paths)
