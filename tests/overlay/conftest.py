"""Fixtures for the overlay tests: RSA keys, the fake API, and the sync/async `Api` matrix."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from overlay_helpers import APP_ID, Api, FakeAPI
from vonage_conversation import JWTAuth
from vonage_conversation import _auth as auth_module


@pytest.fixture(scope="session")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def private_pem(rsa_key: rsa.RSAPrivateKey) -> bytes:
    return rsa_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


@pytest.fixture(scope="session")
def public_pem(rsa_key: rsa.RSAPrivateKey) -> bytes:
    return rsa_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def fake() -> FakeAPI:
    return FakeAPI()


@pytest.fixture(scope="session")
def shared_auth(private_pem: bytes) -> JWTAuth:
    # Reading an RSA key checks it, which takes tens of milliseconds: done once, not per test.
    return JWTAuth(APP_ID, private_pem)


@pytest.fixture
def make_api(
    mode: str, fake: FakeAPI, private_pem: bytes, shared_auth: JWTAuth
) -> Iterator[Callable[..., Api]]:
    made: list[Api] = []

    def make(**kwargs: Any) -> Api:
        if not {"auth", "token", "sub", "acl", "private_key"} & kwargs.keys():
            kwargs["auth"] = shared_auth
        elif "auth" not in kwargs and "token" not in kwargs:
            kwargs.setdefault("application_id", APP_ID)
            kwargs.setdefault("private_key", private_pem)
        api = Api(mode, fake, **kwargs)
        made.append(api)
        return api

    yield make
    for api in made:
        api.close()


@pytest.fixture
def api(make_api: Callable[..., Api]) -> Api:
    return make_api()


@pytest.fixture
def minted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every token JWTAuth mints, in order."""
    tokens: list[str] = []
    real_encode = jwt.encode

    def encode(*args: Any, **kwargs: Any) -> str:
        tokens.append(real_encode(*args, **kwargs))
        return tokens[-1]

    monkeypatch.setattr(auth_module.jwt, "encode", encode)
    return tokens
