"""JWT auth: the claims, the cache, key checking, and never showing a secret."""

from __future__ import annotations

import asyncio
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from overlay_helpers import APP_ID, CONVERSATION, FakeAPI, ok
from vonage_conversation import (
    AsyncConversationClient,
    ConversationClient,
    JWTAuth,
    TokenAuth,
    load_private_key,
)
from vonage_conversation import _auth as auth_module


class Clock:
    """A frozen clock the test moves by hand."""

    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def decode(token: str, public_pem: bytes) -> dict[str, Any]:
    return jwt.decode(
        token,
        public_pem,
        algorithms=["RS256"],
        options={"verify_exp": False, "verify_iat": False, "verify_nbf": False},
    )


def bearer(request: httpx.Request) -> str:
    scheme, _, token = request.headers["authorization"].partition(" ")
    assert scheme == "Bearer"
    return token


def test_token_decodes_with_the_public_key_and_has_the_claims(
    private_pem: bytes, public_pem: bytes
) -> None:
    clock = Clock()
    auth = JWTAuth(APP_ID, private_pem, clock=clock)
    token = auth.token()
    assert jwt.get_unverified_header(token)["alg"] == "RS256"
    claims = decode(token, public_pem)
    assert claims["application_id"] == APP_ID
    assert claims["iat"] == int(clock.now)
    assert claims["exp"] == int(clock.now) + 15 * 60
    assert len(claims["jti"]) >= 32
    assert "sub" not in claims
    assert "acl" not in claims
    assert "nbf" not in claims


def test_user_jwt_claims_sub_acl_nbf_and_ttl(private_pem: bytes, public_pem: bytes) -> None:
    clock = Clock()
    acl = {"paths": {"/*/conversations/**": {}, "/*/users/**": {}}}
    nbf = datetime(2023, 11, 14, tzinfo=timezone.utc)
    auth = JWTAuth(
        APP_ID, private_pem, sub="alice", acl=acl, nbf=nbf, ttl=timedelta(hours=24), clock=clock
    )
    claims = decode(auth.token(), public_pem)
    assert claims["sub"] == "alice"
    assert claims["acl"] == acl
    assert claims["nbf"] == int(nbf.timestamp())
    assert claims["exp"] - claims["iat"] == 24 * 3600


@pytest.mark.parametrize("ttl", [0, -1, 24 * 3600 + 1, timedelta(days=2)])
def test_ttl_must_be_positive_and_at_most_a_day(private_pem: bytes, ttl: Any) -> None:
    with pytest.raises(ValueError, match="24 hours"):
        JWTAuth(APP_ID, private_pem, ttl=ttl)


def test_one_token_serves_1000_requests_then_a_new_one_is_minted(
    private_pem: bytes, public_pem: bytes, fake: FakeAPI
) -> None:
    clock = Clock()
    auth = JWTAuth(APP_ID, private_pem, clock=clock)
    fake.add("GET", "/v0.3/conversations/CON-1", ok(CONVERSATION))
    with ConversationClient(auth=auth, transport=fake.transport()) as client:
        for _ in range(1000):
            client.conversations.get("CON-1")
            clock.now += 0.5  # 500 s in all: well inside the 15 minute lifetime
        first = {bearer(r) for r in fake.requests}
        assert len(first) == 1
        clock.now += 15 * 60  # past the expiry
        client.conversations.get("CON-1")
    second = bearer(fake.last)
    assert second not in first
    old, new = decode(first.pop(), public_pem), decode(second, public_pem)
    assert new["jti"] != old["jti"]
    assert new["iat"] > old["iat"]


def test_token_is_minted_again_shortly_before_it_expires(private_pem: bytes) -> None:
    clock = Clock()
    auth = JWTAuth(APP_ID, private_pem, clock=clock, ttl=600)
    first = auth.token()
    clock.now += 600 - 61  # more than the margin (a tenth of the ttl, 60 s) before expiry
    assert auth.token() == first
    clock.now += 2  # now inside the last minute
    assert auth.token() != first


def test_one_token_is_minted_for_many_threads(private_pem: bytes, monkeypatch: Any) -> None:
    minted: list[int] = []
    real_encode = jwt.encode
    barrier = threading.Barrier(8)

    def counting_encode(*args: Any, **kwargs: Any) -> str:
        minted.append(1)
        return real_encode(*args, **kwargs)

    monkeypatch.setattr(auth_module.jwt, "encode", counting_encode)
    auth = JWTAuth(APP_ID, private_pem, clock=Clock())

    def take() -> str:
        barrier.wait()
        return auth.token()

    with ThreadPoolExecutor(max_workers=8) as pool:
        tokens = set(pool.map(lambda _: take(), range(8)))
    assert len(tokens) == 1
    assert len(minted) == 1


def test_one_token_is_minted_for_many_asyncio_tasks(
    private_pem: bytes, fake: FakeAPI, monkeypatch: Any
) -> None:
    minted: list[int] = []
    real_encode = jwt.encode

    def counting_encode(*args: Any, **kwargs: Any) -> str:
        minted.append(1)
        return real_encode(*args, **kwargs)

    monkeypatch.setattr(auth_module.jwt, "encode", counting_encode)
    fake.add("GET", "/v0.3/conversations/CON-1", ok(CONVERSATION))

    async def main() -> None:
        async with AsyncConversationClient(
            auth=JWTAuth(APP_ID, private_pem, clock=Clock()), transport=fake.transport()
        ) as client:
            await asyncio.gather(*(client.conversations.get("CON-1") for _ in range(50)))

    asyncio.run(main())
    assert len(fake.requests) == 50
    assert len({bearer(r) for r in fake.requests}) == 1
    assert len(minted) == 1


def test_a_ready_made_token_is_sent_as_is(fake: FakeAPI) -> None:
    fake.add("GET", "/v0.3/conversations/CON-1", ok(CONVERSATION))
    with ConversationClient(token="Bearer my.jwt.token", transport=fake.transport()) as client:
        client.conversations.get("CON-1")
    assert fake.last.headers["authorization"] == "Bearer my.jwt.token"


# Keys


def test_key_from_path_str_path_and_bytes(private_pem: bytes, tmp_path: Path) -> None:
    key_file = tmp_path / "private.key"
    key_file.write_bytes(private_pem)
    for source in (key_file, str(key_file), private_pem, private_pem.decode()):
        assert load_private_key(source).key_size == 2048


def test_pkcs1_rsa_key_loads(rsa_key: rsa.RSAPrivateKey) -> None:
    pkcs1 = rsa_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    assert load_private_key(pkcs1).key_size == 2048


def test_encrypted_key_loads_with_its_password(rsa_key: rsa.RSAPrivateKey) -> None:
    encrypted = rsa_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"s3cret"),
    )
    assert load_private_key(encrypted, "s3cret").key_size == 2048
    with pytest.raises(ValueError, match="encrypted: pass its password"):
        load_private_key(encrypted)
    with pytest.raises(ValueError, match="wrong private_key_password"):
        load_private_key(encrypted, "nope")


def test_password_for_a_plain_key_is_refused(private_pem: bytes) -> None:
    with pytest.raises(ValueError, match="not encrypted"):
        load_private_key(private_pem, "s3cret")


def _ec_pem() -> bytes:
    return ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


@pytest.mark.parametrize(
    ("key", "words"),
    [
        ("not a key at all", "neither PEM text"),
        (b"\x00\x01binary", "not PEM"),
        (b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", "not a valid PEM"),
        (Path("/nonexistent/private.key"), "cannot read the private key file"),
        (_ec_pem(), "not an RSA key"),
    ],
    ids=["text", "binary", "broken-pem", "missing-file", "ec-key"],
)
def test_bad_keys_fail_when_the_client_is_built(key: Any, words: str) -> None:
    with pytest.raises(ValueError, match=words) as caught:
        ConversationClient(application_id=APP_ID, private_key=key)
    error = caught.value
    assert "AAAA" not in str(error)
    # No chained exception (which might quote the key) is shown under the clear message.
    assert error.__cause__ is None
    assert error.__context__ is None or error.__suppress_context__


def test_a_public_key_is_refused(public_pem: bytes) -> None:
    with pytest.raises(ValueError, match="public key"):
        ConversationClient(application_id=APP_ID, private_key=public_pem)


def test_key_of_the_wrong_type_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="private_key must be"):
        load_private_key(12345)  # type: ignore[arg-type]


# Secrets stay secret


def test_no_repr_or_str_shows_the_key_or_token(private_pem: bytes, fake: FakeAPI) -> None:
    fake.add("GET", "/v0.3/conversations/CON-1", ok(CONVERSATION))
    auth = JWTAuth(APP_ID, private_pem, sub="alice")
    client = ConversationClient(auth=auth, transport=fake.transport())
    client.conversations.get("CON-1")
    token = bearer(fake.last)
    key_body = private_pem.decode().splitlines()[1]
    shown = " ".join(
        [
            repr(auth),
            str(auth),
            repr(client),
            str(client),
            repr(client.low_level),
            repr(client.conversations),
            repr(TokenAuth(token)),
            repr(fake.last.headers),
        ]
    )
    assert token not in shown
    assert key_body not in shown
    assert "alice" in repr(auth)
    client.close()


def test_a_bad_password_error_never_shows_the_password(rsa_key: rsa.RSAPrivateKey) -> None:
    encrypted = rsa_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"s3cret"),
    )
    with pytest.raises(ValueError) as caught:
        load_private_key(encrypted, "hunter2")
    assert "hunter2" not in str(caught.value)
