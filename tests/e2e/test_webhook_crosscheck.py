"""The emulator's delivery side and the client's `webhooks` agree, without sharing code.

The emulator may not import the client, so it has its own signer and its own writing of a
delivery; these tests check each against the other: an emulator token verifies with the
client's rules, the client's `sign` makes the emulator's claims, and every delivery the
emulator writes (POST body, GET query) reads back with `unwrap` / `unwrap_query`.
"""

from __future__ import annotations

import time
from typing import Any

import jwt
import pytest
from vonage_conversation import InvalidSignatureError, TextEvent, webhooks
from vonage_conversation_emulator.delivery import (
    authorization,
    build_request,
    delivery_claims,
    delivery_fields,
)

SECRET = "a-signature-secret-of-32-bytes!!"
EVENT: dict[str, Any] = {
    "id": "3",
    "type": "text",
    "from": "MEM-1",
    "body": {"text": "héllo, wörld & 100%"},
    "timestamp": "2030-01-01T00:00:00.000Z",
    "href": "http://127.0.0.1:9/v0.3/conversations/CON-1/events/3",
    "_links": {"self": {"href": "http://127.0.0.1:9/v0.3/conversations/CON-1/events/3"}},
}
IDS = {"conversation_id": "CON-1", "application_id": "APP-1"}


def test_an_emulator_token_verifies_with_the_client() -> None:
    body = b'{"any": "bytes"}'
    now = time.time()
    header = authorization(body, SECRET, application_id="APP-1", issued_at=now, jti="j-1")
    claims = webhooks.verify_signature(body, {"Authorization": header}, secret=SECRET)
    assert (claims.issued_at, claims.jti, claims.issuer, claims.application_id) == (
        int(now),
        "j-1",
        "Vonage",
        "APP-1",
    )


def test_an_emulator_token_is_refused_by_the_client_for_another_secret_or_body() -> None:
    body = b"{}"
    header = authorization(body, SECRET, application_id="APP-1", issued_at=time.time())
    with pytest.raises(InvalidSignatureError) as caught:
        webhooks.verify_signature(body, {"Authorization": header}, secret="x" * 32)
    assert caught.value.reason == "wrong-secret"
    with pytest.raises(InvalidSignatureError) as caught:
        webhooks.verify_signature(b"[]", {"Authorization": header}, secret=SECRET)
    assert caught.value.reason == "tampered"


def test_the_client_s_sign_makes_the_emulator_s_claims() -> None:
    body = b'{"a": 1}'
    signed = webhooks.sign(body, SECRET, application_id="APP-1", issued_at=1_900_000_000, jti="j")
    token = signed["Authorization"].removeprefix("Bearer ")
    decoded = jwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_iat": False})
    assert decoded == delivery_claims(
        body, application_id="APP-1", issued_at=1_900_000_000, jti="j"
    )


def test_an_emulator_post_delivery_reads_back_with_unwrap() -> None:
    request = build_request(EVENT, url="http://127.0.0.1:9/hook", **IDS)
    headers = {
        **request.headers,
        "Authorization": authorization(
            request.signed, SECRET, application_id="APP-1", issued_at=time.time()
        ),
    }
    delivery = webhooks.unwrap(request.body, headers, secret=SECRET)
    assert isinstance(delivery.event, TextEvent)
    assert delivery.event.to_dict() == {**EVENT, "timestamp": "2030-01-01T00:00:00+00:00"}
    assert (delivery.conversation_id, delivery.application_id) == ("CON-1", "APP-1")


def test_an_emulator_get_delivery_reads_back_with_unwrap_query() -> None:
    request = build_request(EVENT, url="http://127.0.0.1:9/hook?tenant=a", method="GET", **IDS)
    query = request.url.partition("?")[2]
    assert webhooks.read_query(query) == {"tenant": "a", **delivery_fields(EVENT, **IDS)}
    header = authorization(request.signed, SECRET, application_id="APP-1", issued_at=time.time())
    delivery = webhooks.unwrap_query(query, {"authorization": header}, secret=SECRET)
    assert delivery.event.id == "3"
    assert delivery.conversation_id == "CON-1"
