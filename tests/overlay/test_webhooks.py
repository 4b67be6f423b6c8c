"""`vonage_conversation.webhooks`: signed deliveries checked (each refusal named) and read."""

from __future__ import annotations

import hashlib
import json
import time
from typing import Any
from urllib.parse import quote

import jwt
import pytest
from vonage_conversation import (
    ConversationAPIError,
    CustomEvent,
    Event,
    InvalidSignatureError,
    ResponseParseError,
    TextEvent,
    webhooks,
)

SECRET = "a-signature-secret-of-64-bytes-so-that-HS512-takes-it-too-!!!!!!"
OTHER_SECRET = "another-secret-also-of-32-bytes!"
NOW = 1_800_000_000.0

TEXT_EVENT: dict[str, Any] = {
    "id": "7",
    "type": "text",
    "from": "MEM-1",
    "body": {"text": "Hello Bob!"},
    "timestamp": "2020-01-01T14:00:00.000Z",
    "href": "http://127.0.0.1:8080/v0.3/conversations/CON-1/events/7",
    "_links": {"self": {"href": "http://127.0.0.1:8080/v0.3/conversations/CON-1/events/7"}},
    "conversation_id": "CON-1",
    "application_id": "APP-1",
}
BODY = json.dumps(TEXT_EVENT).encode()


def token(claims: dict[str, Any], key: str = SECRET, algorithm: str = "HS256") -> str:
    """A token made with PyJWT directly, not with `webhooks.sign`."""
    return jwt.encode(claims, key, algorithm=algorithm)


def claims_for(body: bytes, **overrides: Any) -> dict[str, Any]:
    claims: dict[str, Any] = {
        "iat": int(NOW),
        "jti": "j-1",
        "iss": "Vonage",
        "application_id": "APP-1",
        "payload_hash": hashlib.sha256(body).hexdigest(),
    }
    claims.update(overrides)
    return claims


def bearer(value: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {value}"}


def refusal(body: bytes, headers: dict[str, str], **kwargs: Any) -> InvalidSignatureError:
    kwargs.setdefault("secret", SECRET)
    kwargs.setdefault("now", NOW)
    with pytest.raises(InvalidSignatureError) as caught:
        webhooks.verify_signature(body, headers, **kwargs)
    return caught.value


def test_payload_hash_is_the_hex_sha256_of_the_bytes() -> None:
    # The FIPS 180-2 test vector for "abc".
    expected = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert webhooks.payload_hash(b"abc") == expected


def test_a_real_token_is_accepted_with_its_claims() -> None:
    claims = webhooks.verify_signature(
        BODY, bearer(token(claims_for(BODY))), secret=SECRET, now=NOW + 10
    )
    assert claims.issued_at == NOW
    assert claims.jti == "j-1"
    assert claims.issuer == "Vonage"
    assert claims.application_id == "APP-1"
    assert claims.raw["payload_hash"] == claims.payload_hash


def test_sign_makes_the_vonage_claims() -> None:
    headers = webhooks.sign(BODY, SECRET, application_id="APP-9", issued_at=NOW, jti="j-9")
    assert headers["Content-Type"] == "application/json"
    scheme, _, value = headers["Authorization"].partition(" ")
    assert scheme == "Bearer"
    assert jwt.get_unverified_header(value)["alg"] == "HS256"
    decoded = jwt.decode(value, SECRET, algorithms=["HS256"], options={"verify_iat": False})
    assert decoded == claims_for(BODY, iat=int(NOW), jti="j-9", application_id="APP-9")


def test_sign_defaults_to_now_a_fresh_jti_and_the_nil_application() -> None:
    first = webhooks.verify_signature(BODY, webhooks.sign(BODY, SECRET), secret=SECRET)
    second = webhooks.verify_signature(BODY, webhooks.sign(BODY, SECRET), secret=SECRET)
    assert abs(first.issued_at - time.time()) < 60
    assert first.jti and second.jti and first.jti != second.jti
    assert first.application_id == "00000000-0000-0000-0000-000000000000"


def test_the_header_is_found_in_any_case() -> None:
    headers = {"authorization": f"bearer {token(claims_for(BODY))}"}
    assert webhooks.verify_signature(BODY, headers, secret=SECRET, now=NOW).jti == "j-1"


@pytest.mark.parametrize(
    "headers",
    [{}, {"Content-Type": "application/json"}, {"Authorization": "Basic dXNlcjpwYXNz"}],
    ids=["none", "other-headers", "not-bearer"],
)
def test_a_missing_token_is_refused(headers: dict[str, str]) -> None:
    error = refusal(BODY, headers)
    assert error.reason == "missing"
    assert "Authorization" in str(error)


@pytest.mark.parametrize("value", ["garbage", "a.b.c", "e30.e30"])
def test_a_garbled_token_is_refused(value: str) -> None:
    error = refusal(BODY, bearer(value))
    assert error.reason == "garbled"
    assert "garbled" in str(error)


def test_a_wrong_secret_is_refused() -> None:
    error = refusal(BODY, bearer(token(claims_for(BODY), key=OTHER_SECRET)))
    assert error.reason == "wrong-secret"
    assert "secret" in str(error)


def test_alg_none_is_refused() -> None:
    unsigned = jwt.encode(claims_for(BODY), None, algorithm="none")
    error = refusal(BODY, bearer(unsigned))
    assert error.reason == "algorithm"
    assert "'none'" in str(error)


def test_another_algorithm_is_refused_even_with_the_right_secret() -> None:
    error = refusal(BODY, bearer(token(claims_for(BODY), algorithm="HS512")))
    assert error.reason == "algorithm"
    assert "HS512" in str(error)


def test_a_tampered_body_is_refused() -> None:
    tampered = BODY.replace(b"Hello Bob!", b"Hello Eve!")
    error = refusal(tampered, bearer(token(claims_for(BODY))))
    assert error.reason == "tampered"
    assert "tampered" in str(error)


@pytest.mark.parametrize("missing", ["payload_hash", "iat"])
def test_a_token_without_its_claims_is_refused(missing: str) -> None:
    claims = claims_for(BODY)
    del claims[missing]
    error = refusal(BODY, bearer(token(claims)))
    assert error.reason == "claims"
    assert missing in str(error)


def test_a_stale_token_is_refused() -> None:
    headers = bearer(token(claims_for(BODY)))
    assert webhooks.verify_signature(BODY, headers, secret=SECRET, now=NOW + 300)
    error = refusal(BODY, headers, now=NOW + 301)
    assert error.reason == "stale"
    assert "stale" in str(error)
    assert refusal(BODY, headers, now=NOW + 61, max_age=60).reason == "stale"


def test_an_expired_token_is_refused_as_stale() -> None:
    headers = bearer(token(claims_for(BODY, exp=int(NOW) - 1)))
    assert refusal(BODY, headers).reason == "stale"


def test_a_token_from_the_future_is_refused() -> None:
    headers = bearer(token(claims_for(BODY)))
    assert webhooks.verify_signature(BODY, headers, secret=SECRET, now=NOW - 30)
    assert refusal(BODY, headers, now=NOW - 31).reason == "future"


def test_the_error_is_part_of_the_hierarchy_and_not_an_http_error() -> None:
    error = refusal(BODY, {})
    assert isinstance(error, ConversationAPIError)
    assert error.status is None and error.response is None
    assert repr(error) == "InvalidSignatureError(reason='missing')"


def test_the_body_must_be_the_bytes_received() -> None:
    with pytest.raises(TypeError, match="exact bytes"):
        webhooks.verify_signature(BODY.decode(), {}, secret=SECRET)  # type: ignore[arg-type]


def test_unwrap_reads_the_typed_event_with_its_ids() -> None:
    delivery = webhooks.unwrap(BODY, webhooks.sign(BODY, SECRET), secret=SECRET)
    assert isinstance(delivery.event, TextEvent)
    assert delivery.event.id == "7"
    assert delivery.event.body.text == "Hello Bob!"
    assert delivery.conversation_id == "CON-1"
    assert delivery.application_id == "APP-1"
    assert delivery.claims is not None and delivery.claims.payload_hash


def test_unwrap_reads_custom_and_unknown_events() -> None:
    custom = {**TEXT_EVENT, "type": "custom:order_paid", "body": {"amount": 42.5}}
    other = {**TEXT_EVENT, "type": "audio:play", "body": {"stream_url": ["x"]}}
    read_custom = webhooks.unwrap(json.dumps(custom).encode(), {}, secret=None).event
    read_other = webhooks.unwrap(json.dumps(other).encode(), {}, secret=None).event
    assert isinstance(read_custom, CustomEvent)
    assert read_custom.body.to_dict() == {"amount": 42.5}
    assert type(read_other) is Event
    assert read_other.type_ == "audio:play"
    # The ids travel with the delivery, not as untyped extras of the event.
    assert read_other.additional_properties == {}


def test_unwrap_without_a_secret_verifies_nothing() -> None:
    forged = bearer(token(claims_for(b"something else"), key=OTHER_SECRET))
    delivery = webhooks.unwrap(BODY, forged, secret=None)
    assert delivery.claims is None
    assert delivery.event.id == "7"


def test_unwrap_refuses_before_reading() -> None:
    with pytest.raises(InvalidSignatureError) as caught:
        webhooks.unwrap(b"not even json", {}, secret=SECRET)
    assert caught.value.reason == "missing"
    tampered = BODY.replace(b"CON-1", b"CON-2")
    with pytest.raises(InvalidSignatureError) as caught:
        webhooks.unwrap(tampered, webhooks.sign(BODY, SECRET), secret=SECRET)
    assert caught.value.reason == "tampered"


def test_unwrap_passes_max_age_on() -> None:
    headers = webhooks.sign(BODY, SECRET, issued_at=time.time() - 100)
    assert webhooks.unwrap(BODY, headers, secret=SECRET).event.id == "7"
    with pytest.raises(InvalidSignatureError) as caught:
        webhooks.unwrap(BODY, headers, secret=SECRET, max_age=50)
    assert caught.value.reason == "stale"


@pytest.mark.parametrize(
    ("body", "path"),
    [
        (b"<html>oops</html>", None),
        (b"[1, 2]", ""),
        (json.dumps({"conversation_id": "CON-1"}).encode(), "type"),
        (json.dumps({**TEXT_EVENT, "type": 3}).encode(), "type"),
        # The client's own reader names the field at fault, as for any response.
        (json.dumps({k: v for k, v in TEXT_EVENT.items() if k != "body"}).encode(), "body"),
        (json.dumps({**TEXT_EVENT, "timestamp": "yesterday"}).encode(), "timestamp"),
        (json.dumps({**TEXT_EVENT, "conversation_id": None}).encode(), "conversation_id"),
        (json.dumps({**TEXT_EVENT, "application_id": 5}).encode(), "application_id"),
    ],
    ids=[
        "not-json",
        "array",
        "no-event",
        "type-not-str",
        "no-body",
        "bad-time",
        "no-conv",
        "bad-app",
    ],
)
def test_a_body_that_is_not_an_event_is_a_parse_error(body: bytes, path: str | None) -> None:
    with pytest.raises(ResponseParseError) as caught:
        webhooks.unwrap(body, webhooks.sign(body, SECRET), secret=SECRET)
    assert caught.value.path == path


def test_a_delivery_is_read_with_the_clients_fixes() -> None:
    # v0.2's integer event id, which the rendered reader's coercion rule turns into v0.3's string.
    body = json.dumps({**TEXT_EVENT, "id": 7}).encode()
    delivery = webhooks.unwrap(body, webhooks.sign(body, SECRET), secret=SECRET)
    assert delivery.event.id == "7"


def test_read_query_decodes_each_field_s_json_text() -> None:
    query = "token=abc&id=%227%22&body=%7B%22text%22%3A%22hi%22%7D&n=5&token=%22x%22"
    assert webhooks.read_query(query) == {"token": "x", "id": "7", "body": {"text": "hi"}, "n": 5}
    assert webhooks.read_query(b"") == {}


def test_read_query_refuses_a_garbled_query() -> None:
    with pytest.raises(ResponseParseError, match="garbled"):
        webhooks.read_query("a=1&&b")


def test_unwrap_query_checks_the_query_bytes() -> None:
    query = "&".join(f"{k}={quote(json.dumps(v), safe='')}" for k, v in TEXT_EVENT.items())
    headers = webhooks.sign(query.encode(), SECRET)
    delivery = webhooks.unwrap_query(query, headers, secret=SECRET)
    assert isinstance(delivery.event, TextEvent)
    assert delivery.conversation_id == "CON-1"
    with pytest.raises(InvalidSignatureError) as caught:
        webhooks.unwrap_query(query.replace("7", "8"), headers, secret=SECRET)
    assert caught.value.reason == "tampered"


def test_a_secret_and_max_age_are_checked() -> None:
    with pytest.raises(ValueError, match="secret"):
        webhooks.sign(BODY, "")
    with pytest.raises(ValueError, match="max_age"):
        webhooks.verify_signature(BODY, {}, secret=SECRET, max_age=-1)
