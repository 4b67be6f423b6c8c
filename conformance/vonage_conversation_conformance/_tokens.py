"""The tokens a server must refuse (RFC 7519, RFC 8725), minted for the run from its
application's credentials: each is a good token with exactly one fault.

Each is sent, and printed in its reproduction, as the literal `Authorization` value: a token
made to be refused is no credential, so the printed curl sends those very bytes and reproduces
the failure without `vonage-conversation token`. The faults that a clock would cure (`nbf`,
`iat` in the future) are set a thousand years ahead, so that no printed token ever becomes
valid.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

__all__ = ["BAD_TOKENS", "GARBLED", "BadToken", "Credentials", "bearer"]

# Vonage's default lifetime of a token without `exp`: 15 minutes from `iat`.
DEFAULT_LIFETIME = 15 * 60
# Far enough ahead that a token valid "from then" is never valid for anyone reading a report.
FAR_FUTURE = 1000 * 365 * 24 * 3600
# A value that is no JWT at all.
GARBLED = "not-a-jwt.garbled.token"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _segment(value: Mapping[str, Any]) -> str:
    return _b64(json.dumps(value, separators=(",", ":")).encode())


@dataclass(frozen=True)
class Credentials:
    """The run's application: its id and its private key (PEM)."""

    application_id: str
    private_key_pem: str

    def _private_key(self) -> rsa.RSAPrivateKey:
        return _load(self.private_key_pem)

    def public_key_pem(self) -> bytes:
        """The application's public key, as PEM (what RFC 8725's algorithm confusion keys
        an HMAC with)."""
        public = self._private_key().public_key()
        return public.public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    def claims(self, **changes: Any) -> dict[str, Any]:
        """A good token's claims, with `changes` (a None value drops the claim)."""
        now = int(time.time())
        found: dict[str, Any] = {
            "application_id": self.application_id,
            "iat": now,
            "nbf": now,
            "exp": now + DEFAULT_LIFETIME,
            "jti": str(uuid.uuid4()),
        }
        found.update(changes)
        return {key: value for key, value in found.items() if value is not None}

    def sign(
        self, claims: Mapping[str, Any], *, alg: str = "RS256", key: rsa.RSAPrivateKey | None = None
    ) -> str:
        """A JWS of `claims`: RS256 with the application's key (or `key`), HS256 keyed with the
        application's public key, or `none` (no signature)."""
        signing_input = f"{_segment({'alg': alg, 'typ': 'JWT'})}.{_segment(claims)}"
        data = signing_input.encode()
        if alg == "none":
            signature = b""
        elif alg == "HS256":
            signature = hmac.new(self.public_key_pem(), data, hashlib.sha256).digest()
        else:
            signer = key or self._private_key()
            signature = signer.sign(data, padding.PKCS1v15(), hashes.SHA256())
        return f"{signing_input}.{_b64(signature)}"

    def sign_forged(self) -> str:
        """A good token's claims, signed by a key no application has."""
        return self.sign(self.claims(), key=_fresh_key())


@cache
def _load(pem: str) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("the application's private key is not an RSA key")
    return key


@cache
def _fresh_key() -> rsa.RSAPrivateKey:
    """A key no application has (one per process: a key is slow to make)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def bearer(token: str) -> str:
    """The `Authorization` value that sends `token`."""
    return f"Bearer {token}"


@dataclass(frozen=True)
class BadToken:
    """A token with one fault: the check that sends it, what is wrong, and how it is made
    (the whole `Authorization` value)."""

    check: str
    title: str
    fault: str
    mint: Callable[[Credentials], str]


def _now() -> int:
    return int(time.time())


BAD_TOKENS: tuple[BadToken, ...] = (
    BadToken(
        "token_expired_refused",
        "A token past its exp is refused (401)",
        "its exp is an hour past",
        lambda c: bearer(c.sign(c.claims(iat=_now() - 7200, nbf=_now() - 7200, exp=_now() - 3600))),
    ),
    BadToken(
        "token_not_yet_valid_refused",
        "A token before its nbf is refused (401)",
        "its nbf is a thousand years ahead",
        lambda c: bearer(
            c.sign(c.claims(nbf=_now() + FAR_FUTURE, exp=_now() + FAR_FUTURE + DEFAULT_LIFETIME))
        ),
    ),
    BadToken(
        "token_issued_in_future_refused",
        "A token issued in the future (iat) is refused (401)",
        "its iat is a thousand years ahead",
        lambda c: bearer(
            c.sign(
                c.claims(
                    iat=_now() + FAR_FUTURE, nbf=None, exp=_now() + FAR_FUTURE + DEFAULT_LIFETIME
                )
            )
        ),
    ),
    BadToken(
        "token_no_exp_old_iat_refused",
        "A token without exp, issued over 15 minutes ago, is refused (401)",
        "it has no exp and its iat is 16 minutes past",
        lambda c: bearer(c.sign(c.claims(iat=_now() - 16 * 60, nbf=None, exp=None))),
    ),
    BadToken(
        "token_other_key_refused",
        "A token signed by another key is refused (401)",
        "it is signed by a fresh RSA key, not the application's",
        lambda c: bearer(c.sign_forged()),
    ),
    BadToken(
        "token_alg_none_refused",
        "A token with alg none is refused (401)",
        "its header says alg none and it has no signature",
        lambda c: bearer(c.sign(c.claims(), alg="none")),
    ),
    BadToken(
        "token_hs256_public_key_refused",
        "A token HMAC-signed with the public key is refused (401)",
        "it is HS256, keyed with the application's public key (algorithm confusion)",
        lambda c: bearer(c.sign(c.claims(), alg="HS256")),
    ),
    BadToken(
        "token_other_application_refused",
        "A token for another application is refused (401)",
        "its application_id is another application's",
        lambda c: bearer(c.sign(c.claims(application_id=str(uuid.uuid4())))),
    ),
    BadToken(
        "token_no_application_refused",
        "A token without application_id is refused (401)",
        "it has no application_id",
        lambda c: bearer(c.sign(c.claims(application_id=None))),
    ),
    BadToken(
        "token_empty_bearer_refused",
        "An empty bearer is refused (401)",
        "the Authorization header is 'Bearer' and nothing else",
        lambda c: "Bearer",
    ),
    BadToken(
        "token_garbled_refused",
        "A garbled token is refused (401)",
        "the bearer is no JWT",
        lambda c: bearer(GARBLED),
    ),
)
