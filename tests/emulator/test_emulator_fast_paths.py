"""The emulator's fast paths keep its rules: a JWT is verified once in its lifetime yet refused
once it expires, and handlers leave the event loop exactly when the store could block it."""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from vonage_conversation_emulator import auth
from vonage_conversation_emulator.app import EmulatorApp, create_app
from vonage_conversation_emulator.auth import Authenticator
from vonage_conversation_emulator.clock import ApplicationClocks
from vonage_conversation_emulator.errors import ApiError, ErrorKind
from vonage_conversation_emulator.keys import generate_private_key_pem, load_public_key

APPLICATION = "app-fast-paths"


@pytest.fixture(scope="module")
def pem() -> str:
    return generate_private_key_pem()


def _token(pem: str, **claims: Any) -> str:
    now = int(time.time())
    payload = {"application_id": APPLICATION, "iat": now, "exp": now + 600, **claims}
    return jwt.encode({k: v for k, v in payload.items() if v is not None}, pem, "RS256")


def _counting_decode(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The tokens whose signature was verified (a read of the claims to pick the key is not)."""
    calls: list[str] = []
    original = jwt.decode

    def decode(token: str, *args: Any, **kwargs: Any) -> Any:
        if args or "key" in kwargs:
            calls.append(token)
        return original(token, *args, **kwargs)

    monkeypatch.setattr(auth.jwt, "decode", decode)
    return calls


def test_an_accepted_token_is_verified_once_in_its_lifetime(
    pem: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _counting_decode(monkeypatch)
    authenticator = Authenticator({APPLICATION: load_public_key(pem)})
    header = f"Bearer {_token(pem)}"
    principals = {authenticator.authenticate(header) for _ in range(5)}
    assert len(principals) == 1
    assert len(calls) == 1
    other = f"Bearer {_token(pem, jti='another')}"
    authenticator.authenticate(other)
    assert len(calls) == 2


def test_a_refused_token_is_checked_again_every_time(
    pem: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _counting_decode(monkeypatch)
    authenticator = Authenticator({APPLICATION: load_public_key(pem)})
    header = f"Bearer {_token(pem, nbf=int(time.time()) + 600)}"
    for _ in range(3):
        with pytest.raises(ApiError) as refused:
            authenticator.authenticate(header)
        assert refused.value.kind is ErrorKind.INVALID_TOKEN
    assert len(calls) == 3


@pytest.mark.parametrize("lifetime", ["exp", "iat-plus-15-minutes"])
def test_a_remembered_token_is_refused_once_it_expires(pem: str, lifetime: str) -> None:
    now = int(time.time())  # at the test, not at collection: a long run would expire it
    claims = {"exp": now + 60} if lifetime == "exp" else {"exp": None, "iat": now - 14 * 60}
    clocks = ApplicationClocks()
    authenticator = Authenticator({APPLICATION: load_public_key(pem)}, clocks)
    header = f"Bearer {_token(pem, **claims)}"
    authenticator.authenticate(header)
    clocks.advance(APPLICATION, 120)
    with pytest.raises(ApiError) as refused:
        authenticator.authenticate(header)
    assert refused.value.kind is ErrorKind.EXPIRED_TOKEN


def test_a_remembered_token_is_still_of_its_application(pem: str) -> None:
    # The same key registered for another application does not take this one's token.
    header = f"Bearer {_token(pem)}"
    Authenticator({APPLICATION: load_public_key(pem)}).authenticate(header)
    with pytest.raises(ApiError) as refused:
        Authenticator({"another-application": load_public_key(pem)}).authenticate(header)
    assert refused.value.kind is ErrorKind.INVALID_TOKEN
    assert "not one of this emulator's applications" in refused.value.detail


def _handler_threads(app: EmulatorApp, pem: str) -> tuple[int, set[int]]:
    """The event loop's thread, and the threads the app's handlers ran in."""
    seen: set[int] = set()
    original = app._handle

    def spy(call: Any) -> Any:
        seen.add(threading.get_ident())
        return original(call)

    app._handle = spy  # type: ignore[method-assign]

    async def drive() -> int:
        headers = {"Authorization": f"Bearer {_token(pem)}"}
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://emulator", headers=headers
        ) as http:
            (await http.post("/_emulator/users", json={"name": "fast"})).raise_for_status()
            (await http.get("/v0.2/users")).raise_for_status()
        return threading.get_ident()

    loop_thread = asyncio.run(drive())
    app.store.close()
    return loop_thread, seen


def test_handlers_run_on_the_event_loop_for_a_store_in_memory(pem: str) -> None:
    app = create_app(application_id=APPLICATION, public_key=pem)
    loop_thread, seen = _handler_threads(app, pem)
    assert seen == {loop_thread}


def test_handlers_run_in_worker_threads_for_a_store_in_a_file(pem: str, tmp_path: Path) -> None:
    app = create_app(application_id=APPLICATION, public_key=pem, db=tmp_path / "e.db")
    loop_thread, seen = _handler_threads(app, pem)
    assert seen
    assert loop_thread not in seen
