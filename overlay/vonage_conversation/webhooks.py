"""Signed webhooks: check a delivered event and read it into the typed event, framework-free.

A conversation with a ``callback.url`` has its events delivered there. With a signature secret,
each delivery carries ``Authorization: Bearer <JWT>``, signed HS256 with the secret, whose
claims are Vonage's signed-webhook claims: ``iat``, ``jti``, ``iss: "Vonage"``,
``application_id`` and ``payload_hash``, the hex SHA-256 of the exact bytes delivered. In a
handler of any framework::

    from vonage_conversation import webhooks

    delivery = webhooks.unwrap(request_body_bytes, request_headers, secret=SECRET)
    if not seen(delivery.event.id):  # at-least-once: de-duplicate on the event id
        handle(delivery.conversation_id, delivery.event)

- `verify_signature` checks the token alone and returns its `SignatureClaims`;
- `unwrap` verifies, then reads a POST delivery's JSON body into a `Delivery`;
- `unwrap_query` does the same for a GET delivery, whose fields travel in the query string;
- `sign` makes the headers a delivery carries, for tests of a handler.

Every refusal of a token raises `InvalidSignatureError` (its ``reason`` says which check);
a delivery that is not an event raises `ResponseParseError`, as any response that is not what
the spec says. The emulator signs with its own signer (``vonage_conversation_emulator.delivery``,
which may not import this package); the tests check the two agree.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import jwt

from ._events import TypedEvent, as_typed
from ._exceptions import InvalidSignatureError, ResponseParseError
from ._fixes import SchemaMismatchError
from ._generated.readers import read_event

__all__ = [
    "ALGORITHM",
    "DEFAULT_APPLICATION_ID",
    "FUTURE_LEEWAY",
    "ISSUER",
    "Delivery",
    "InvalidSignatureError",
    "SignatureClaims",
    "payload_hash",
    "read_query",
    "sign",
    "unwrap",
    "unwrap_query",
    "verify_signature",
]

#: The only algorithm accepted: a token may not choose how it is checked (``alg: none``...).
ALGORITHM = "HS256"
#: The ``iss`` claim of Vonage's signed webhooks.
ISSUER = "Vonage"
#: What `sign` puts in ``application_id`` when told nothing: the nil UUID, the shape of a
#: Vonage application id that names no application, so a test token is never mistaken for one
#: of a real application.
DEFAULT_APPLICATION_ID = "00000000-0000-0000-0000-000000000000"
#: Seconds an ``iat`` may lie in the future (the sender's clock running ahead of ours).
FUTURE_LEEWAY = 30.0


@dataclass(frozen=True)
class SignatureClaims:
    """The claims of a verified delivery token.

    Attributes:
        issued_at: ``iat``, seconds since the epoch.
        payload_hash: the hex SHA-256 of the delivered bytes, checked against them.
        jti: the token's unique id (keep it to refuse a replayed token), if sent.
        issuer: ``iss``, ``"Vonage"`` for Vonage's deliveries, if sent.
        application_id: the application the delivery is for, if sent.
        raw: every claim as decoded, including any not named above.
    """

    issued_at: float
    payload_hash: str
    jti: str | None
    issuer: str | None
    application_id: str | None
    raw: Mapping[str, Any] = field(repr=False)


@dataclass(frozen=True)
class Delivery:
    """One delivered event, read.

    A delivery, not the bare event, because the ids it travels with are no field of the event
    models (they would sit untyped in ``additional_properties``), and the claims belong to the
    delivery, not to the event.

    Attributes:
        event: the typed event (`TextEvent`, `CustomEvent`, a member event, or the generic
            `Event` for any other type), as ``GET .../events/{event_id}`` reads it. Delivery is
            at least once: the same event may arrive again (a retry whose answer was lost), and
            ``event.id`` (unique within ``conversation_id``) is the key to de-duplicate on.
        conversation_id: the conversation the event happened in.
        application_id: the application the delivery is for (None if the body has none).
        claims: the verified token's claims, or None when the delivery was read unsigned
            (``secret=None``).
    """

    event: TypedEvent
    conversation_id: str
    application_id: str | None
    claims: SignatureClaims | None


def payload_hash(payload: bytes) -> str:
    """The ``payload_hash`` claim for `payload`: the hex SHA-256 of its exact bytes."""
    return hashlib.sha256(_as_bytes(payload)).hexdigest()


def sign(
    body: bytes,
    secret: str,
    *,
    application_id: str = DEFAULT_APPLICATION_ID,
    issued_at: float | None = None,
    jti: str | None = None,
) -> dict[str, str]:
    """The headers a delivery of `body` carries, signed with `secret` (for tests of a handler).

    ``Authorization: Bearer <JWT>`` (HS256; ``iat`` is `issued_at`, now by default, in whole
    seconds; ``jti`` a fresh UUID unless given) and ``Content-Type: application/json``. For a GET
    delivery, `body` is the query string's bytes (what `unwrap_query` checks).
    """
    _check_secret(secret)
    claims = {
        "iat": int(time.time() if issued_at is None else issued_at),
        "jti": jti if jti is not None else str(uuid.uuid4()),
        "iss": ISSUER,
        "application_id": application_id,
        "payload_hash": payload_hash(body),
    }
    token = jwt.encode(claims, secret, algorithm=ALGORITHM)
    return {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}


def verify_signature(
    body: bytes,
    headers: Mapping[str, str],
    *,
    secret: str,
    max_age: float = 300,
    now: float | None = None,
) -> SignatureClaims:
    """Check that `body` was delivered, unchanged, by a holder of `secret`; its claims.

    In order: an ``Authorization: Bearer`` header (the name in any case); a JWT signed HS256
    (no other algorithm, ``none`` included) with `secret`; a ``payload_hash`` equal to the
    SHA-256 of `body`'s exact bytes; an ``iat`` at most `max_age` seconds old and at most
    `FUTURE_LEEWAY` seconds ahead of `now` (the time, by default). Each refusal raises
    `InvalidSignatureError`, whose ``reason`` is ``missing``, ``garbled``, ``algorithm``,
    ``wrong-secret``, ``claims``, ``tampered``, ``stale`` or ``future``.
    """
    _check_secret(secret)
    if max_age < 0:
        raise ValueError(f"max_age must be 0 or more seconds, not {max_age!r}")
    data = _as_bytes(body)
    token = _bearer_token(headers)
    claims = _decode(token, secret)
    digest = claims.get("payload_hash")
    if not isinstance(digest, str) or not digest:
        raise InvalidSignatureError(
            "the delivery token has no payload_hash claim: it does not vouch for the body",
            reason="claims",
        )
    if not hmac.compare_digest(digest.lower(), payload_hash(data)):
        raise InvalidSignatureError(
            "the delivery body was tampered with: its SHA-256 is not the token's payload_hash",
            reason="tampered",
        )
    issued_at = _issued_at(claims, time.time() if now is None else now, max_age)
    return SignatureClaims(
        issued_at=issued_at,
        payload_hash=digest,
        jti=_optional_text(claims, "jti"),
        issuer=_optional_text(claims, "iss"),
        application_id=_optional_text(claims, "application_id"),
        raw=claims,
    )


def unwrap(
    body: bytes,
    headers: Mapping[str, str],
    *,
    secret: str | None,
    max_age: float = 300,
) -> Delivery:
    """A POST delivery, verified and read: the typed event with its conversation id.

    With a `secret`, the token is checked first (`verify_signature`: `InvalidSignatureError`
    on any refusal). With ``secret=None`` the delivery is taken as unsigned: nothing is
    verified, not even a token it carries, and ``claims`` is None; use it only where deliveries
    are known to come unsigned (an emulator started without ``--signature-secret``).

    The body is then read as an event object plus ``conversation_id`` and ``application_id``;
    one that is not JSON, or not an event, raises `ResponseParseError`. Delivery is at least
    once: de-duplicate on ``delivery.event.id``.
    """
    data = _as_bytes(body)
    claims = _verified(data, headers, secret, max_age)
    try:
        payload = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        raise ResponseParseError("the delivery body is not JSON", path=None) from None
    return _delivery(payload, claims)


def unwrap_query(
    query: str | bytes,
    headers: Mapping[str, str],
    *,
    secret: str | None,
    max_age: float = 300,
) -> Delivery:
    """A GET delivery, verified and read: `unwrap` for a callback whose ``method`` is GET.

    `query` is the request's query string exactly as received (what follows ``?``, still
    percent-encoded); ``payload_hash`` covers its bytes. Its fields are read by `read_query`.
    """
    data = query.encode() if isinstance(query, str) else _as_bytes(query)
    claims = _verified(data, headers, secret, max_age)
    return _delivery(read_query(data), claims)


def read_query(query: str | bytes) -> dict[str, Any]:
    """The fields of a GET delivery's query string: each parameter's value is its field's JSON
    text (``id=%225%22`` is the string ``"5"``, ``body=%7B...%7D`` an object), so nothing is
    ambiguous. A value that is not JSON text (a parameter of the callback URL's own) is kept as
    the string it is; on a repeated name, the last one is read (the event's fields come after
    the URL's own parameters).
    """
    text = query.decode("utf-8", "replace") if isinstance(query, bytes) else query
    try:
        pairs = parse_qsl(text, keep_blank_values=True, strict_parsing=bool(text))
    except ValueError as error:
        raise ResponseParseError(f"the delivery query string is garbled: {error}") from None
    fields: dict[str, Any] = {}
    for name, value in pairs:
        try:
            fields[name] = json.loads(value)
        except ValueError:
            fields[name] = value
    return fields


def _verified(
    data: bytes, headers: Mapping[str, str], secret: str | None, max_age: float
) -> SignatureClaims | None:
    if secret is None:
        return None
    return verify_signature(data, headers, secret=secret, max_age=max_age)


def _delivery(payload: object, claims: SignatureClaims | None) -> Delivery:
    if not isinstance(payload, dict):
        raise ResponseParseError(
            f"a delivery is a JSON object, not {type(payload).__name__}", path=""
        )
    fields = dict(payload)
    conversation_id = fields.pop("conversation_id", None)
    application_id = fields.pop("application_id", None)
    if not isinstance(conversation_id, str) or not conversation_id:
        raise ResponseParseError(
            "the delivery names no conversation_id (a string)", path="conversation_id"
        )
    if application_id is not None and not isinstance(application_id, str):
        raise ResponseParseError(
            "the delivery's application_id is not a string", path="application_id"
        )
    return Delivery(
        event=_read_event(fields),
        conversation_id=conversation_id,
        application_id=application_id,
        claims=claims,
    )


def _read_event(payload: dict[str, Any]) -> TypedEvent:
    """The event of a delivery, read by the same rendered reader as `events.get`'s answer:
    every declared field type-checked, the NORMALISATION fixes applied (an integer id...)."""
    try:
        event = read_event(payload)
    except SchemaMismatchError as error:
        raise ResponseParseError(
            f"the delivery is not an event: {error}", path=error.path
        ) from None
    return as_typed(event)


def _bearer_token(headers: Mapping[str, str]) -> str:
    value = next((v for k, v in headers.items() if k.lower() == "authorization"), None)
    if value is None:
        raise InvalidSignatureError(
            "the delivery carries no Authorization header: it is not signed", reason="missing"
        )
    scheme, _, token = value.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise InvalidSignatureError(
            "the delivery's Authorization header is not 'Bearer <token>'", reason="missing"
        )
    return token.strip()


def _decode(token: str, secret: str) -> dict[str, Any]:
    try:
        algorithm = jwt.get_unverified_header(token).get("alg")
    except jwt.PyJWTError:
        raise InvalidSignatureError(
            "the delivery token is garbled (not a JWT)", reason="garbled"
        ) from None
    if algorithm != ALGORITHM:
        raise InvalidSignatureError(
            f"the delivery token is signed with {algorithm!r}; only {ALGORITHM} is accepted",
            reason="algorithm",
        )
    try:
        # The time claims are checked below, against an injectable `now`, with their own
        # messages; PyJWT checks only the signature here.
        claims: dict[str, Any] = jwt.decode(
            token,
            secret,
            algorithms=[ALGORITHM],
            options={"verify_exp": False, "verify_iat": False, "verify_nbf": False},
        )
    except jwt.InvalidSignatureError:
        raise InvalidSignatureError(
            "the delivery token is not signed with this secret (a wrong secret, or forged)",
            reason="wrong-secret",
        ) from None
    except jwt.PyJWTError as error:
        raise InvalidSignatureError(
            f"the delivery token is garbled: {error}", reason="garbled"
        ) from None
    return claims


def _issued_at(claims: Mapping[str, Any], now: float, max_age: float) -> float:
    issued = claims.get("iat")
    if isinstance(issued, bool) or not isinstance(issued, (int, float)):
        raise InvalidSignatureError(
            "the delivery token has no iat claim (a number of seconds)", reason="claims"
        )
    if now - issued > max_age:
        raise InvalidSignatureError(
            f"the delivery token is stale: issued {now - issued:.0f} s ago, "
            f"more than max_age={max_age:g} s",
            reason="stale",
        )
    if issued - now > FUTURE_LEEWAY:
        raise InvalidSignatureError(
            f"the delivery token is issued {issued - now:.0f} s in the future "
            f"(more than {FUTURE_LEEWAY:g} s ahead: a clock is wrong, or it is forged)",
            reason="future",
        )
    expires = claims.get("exp")
    if isinstance(expires, (int, float)) and not isinstance(expires, bool) and now > expires:
        raise InvalidSignatureError(
            f"the delivery token is stale: it expired {now - expires:.0f} s ago", reason="stale"
        )
    return float(issued)


def _optional_text(claims: Mapping[str, Any], name: str) -> str | None:
    value = claims.get(name)
    return value if isinstance(value, str) else None


def _check_secret(secret: str) -> None:
    if not isinstance(secret, str) or not secret:
        raise ValueError("a signature secret is a non-empty str")


def _as_bytes(data: object) -> bytes:
    # A str would hash its re-encoding, not the bytes delivered: refuse it up front.
    if isinstance(data, (bytes, bytearray, memoryview)):
        return bytes(data)
    raise TypeError(
        f"a delivery's body is the exact bytes received, not {type(data).__name__} "
        "(pass request.body, not its decoded text)"
    )
