"""The emulator's signer: the ``Authorization`` header of a signed delivery.

Vonage's signed-webhook token: a JWT signed HS256 with the signature secret, whose claims are
``iat`` (whole seconds), ``jti`` (a fresh UUID), ``iss: "Vonage"``, ``application_id`` and
``payload_hash``, the hex SHA-256 of the exact bytes delivered (`payload.DeliveryRequest.signed`:
the body of a POST, the query string of a GET). A token is made per attempt, so a retry an hour
later still carries a fresh ``iat``.

The client's ``vonage_conversation.webhooks.sign`` makes the same claims; this module does not
import it, since the emulator may not depend on the client (dependencies point one way): the
tests check that each one's tokens verify with the other's rules.
"""

from __future__ import annotations

import hashlib
import uuid

import jwt

__all__ = ["ALGORITHM", "ISSUER", "authorization", "delivery_claims", "payload_hash"]

ALGORITHM = "HS256"
ISSUER = "Vonage"


def payload_hash(payload: bytes) -> str:
    """The hex SHA-256 of `payload`'s exact bytes."""
    return hashlib.sha256(payload).hexdigest()


def delivery_claims(
    payload: bytes, *, application_id: str, issued_at: float, jti: str | None = None
) -> dict[str, object]:
    """The claims of the token for a delivery of `payload`."""
    return {
        "iat": int(issued_at),
        "jti": jti if jti is not None else str(uuid.uuid4()),
        "iss": ISSUER,
        "application_id": application_id,
        "payload_hash": payload_hash(payload),
    }


def authorization(
    payload: bytes,
    secret: str,
    *,
    application_id: str,
    issued_at: float,
    jti: str | None = None,
) -> str:
    """The ``Authorization`` header's value for a delivery of `payload`: ``Bearer <JWT>``."""
    if not secret:
        raise ValueError("a signature secret is a non-empty str")
    claims = delivery_claims(payload, application_id=application_id, issued_at=issued_at, jti=jti)
    return f"Bearer {jwt.encode(claims, secret, algorithm=ALGORITHM)}"
