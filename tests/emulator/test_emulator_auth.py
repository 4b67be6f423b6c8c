"""The auth matrix: which JWTs are accepted, which get 401, and what ACLs allow (403)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from emulator_support import assert_error, make_token
from vonage_conversation_api import AuthenticatedClient
from vonage_conversation_api.api.conversation import list_conversations
from vonage_conversation_api.api.leg import list_legs
from vonage_conversation_api.api.user import list_users
from vonage_conversation_emulator.auth import acl_allows
from vonage_conversation_emulator.embedded import EmulatorInstance


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unsigned(header: dict[str, Any], claims: dict[str, Any], signature: bytes = b"") -> str:
    parts = [_b64(json.dumps(header).encode()), _b64(json.dumps(claims).encode())]
    return ".".join([*parts, _b64(signature)])


def _claims(emulator: EmulatorInstance) -> dict[str, Any]:
    now = int(time.time())
    return {"application_id": emulator.application_id, "iat": now, "exp": now + 600}


def _other_key() -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def _hs256_with_public_key(emulator: EmulatorInstance) -> str:
    # The classic confusion attack: HMAC keyed with the server's public key.
    public = (
        serialization.load_pem_private_key(emulator.private_key_pem.encode(), None)
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    signing_input = ".".join(
        [
            _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()),
            _b64(json.dumps(_claims(emulator)).encode()),
        ]
    )
    signature = hmac.new(public, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


BAD_TOKENS: dict[str, Callable[[EmulatorInstance], str | None]] = {
    "missing": lambda e: None,
    "not a JWT": lambda e: "Bearer not-a-jwt",
    "bearer without token": lambda e: "Bearer",
    "basic scheme": lambda e: f"Basic {make_token(e)}",
    "expired": lambda e: "Bearer " + make_token(e, exp=int(time.time()) - 10),
    "not yet valid": lambda e: "Bearer " + make_token(e, nbf=int(time.time()) + 600),
    "iat only, older than 15 minutes": lambda e: (
        "Bearer " + make_token(e, exp=None, iat=int(time.time()) - 16 * 60)
    ),
    "neither exp nor iat": lambda e: "Bearer " + make_token(e, exp=None, iat=None),
    "signed by another key": lambda e: "Bearer " + make_token(e, private_key=_other_key()),
    "alg none": lambda e: "Bearer " + _unsigned({"alg": "none", "typ": "JWT"}, _claims(e)),
    "HS256": lambda e: "Bearer " + _hs256_with_public_key(e),
    "another application": lambda e: "Bearer " + make_token(e, application_id="another-app"),
    "no application_id": lambda e: "Bearer " + make_token(e, application_id=None),
    "exp not a number": lambda e: "Bearer " + make_token(e, exp="tomorrow"),
    "sub not a string": lambda e: "Bearer " + make_token(e, sub=42),
    "acl not an object": lambda e: "Bearer " + make_token(e, acl=["/**"]),
}


@pytest.mark.parametrize("case", sorted(BAD_TOKENS))
def test_bad_tokens_get_401_with_the_error_body(
    emulator: EmulatorInstance, client: AuthenticatedClient, case: str
) -> None:
    authorization = BAD_TOKENS[case](emulator)
    headers = {} if authorization is None else {"Authorization": authorization}
    http = client.get_httpx_client()
    http.headers.pop("Authorization", None)
    response = http.get("/v0.3/conversations", headers=headers)
    expected = "system:error:expired-token" if "expired" in case or "older" in case else None
    body = assert_error(response, 401, expected or "system:error:invalid-token")
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert body["detail"]


def test_iat_without_exp_is_valid_for_15_minutes(
    make_client: Callable[..., AuthenticatedClient], emulator: EmulatorInstance
) -> None:
    recent = make_token(emulator, exp=None, iat=int(time.time()) - 14 * 60)
    assert list_conversations.sync_detailed(client=make_client(token=recent)).status_code == 200


def test_a_user_jwt_for_an_unknown_user_is_a_403(
    make_client: Callable[..., AuthenticatedClient],
) -> None:
    response = list_conversations.sync_detailed(client=make_client(sub="ghost"))
    assert "ghost" in assert_error(response, 403, "system:error:forbidden")["detail"]


def test_acl_paths_limit_what_a_token_may_call(
    make_client: Callable[..., AuthenticatedClient],
) -> None:
    limited = make_client(acl={"paths": {"/*/conversations/**": {}, "/*/users": {}}})
    assert list_conversations.sync_detailed(client=limited).status_code == 200
    assert list_users.sync_detailed(client=limited).status_code == 200
    body = assert_error(list_legs.sync_detailed(client=limited), 403, "system:error:forbidden")
    assert "/v0.3/legs" in body["detail"]


def test_empty_acl_paths_allow_nothing_and_no_paths_allow_everything(
    make_client: Callable[..., AuthenticatedClient],
) -> None:
    nothing = make_client(acl={"paths": {}})
    assert_error(list_conversations.sync_detailed(client=nothing), 403, "system:error:forbidden")
    everything = make_client(acl={})
    assert list_conversations.sync_detailed(client=everything).status_code == 200


@pytest.mark.parametrize(
    ("pattern", "path", "allowed"),
    [
        ("/*/conversations/**", "/v0.3/conversations", True),
        ("/*/conversations/**", "/v0.3/conversations/CON-1/events/5", True),
        ("/*/conversations/**", "/v0.3/users/USR-1/conversations", False),
        ("/*/users/*/sessions", "/v0.3/users/USR-1/sessions", True),
        ("/*/users/*/sessions", "/v0.3/users/USR-1/conversations", False),
        ("/*/users", "/v0.3/users/USR-1", False),
        ("/v0.3/legs", "/v0.2/legs", False),
        ("/**", "/v0.2/users", True),
        ("/*/legs/*", "/v0.3/legs", False),
    ],
)
def test_acl_patterns(pattern: str, path: str, allowed: bool) -> None:
    assert acl_allows([pattern], path) is allowed
