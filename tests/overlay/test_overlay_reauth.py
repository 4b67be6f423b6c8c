"""Re-auth on 401: a request signed with a token the client minted is signed again and resent,
once; a token the user gave is never resent."""

from __future__ import annotations

import logging
from collections.abc import Generator
from typing import Any

import httpx
import pytest
from overlay_helpers import APP_ID, CONVERSATION, Api, FakeAPI, ok
from vonage_conversation import AuthenticationError, JWTAuth

UNAUTHORIZED = ok({"title": "Unauthorized", "code": "system:error:invalid-token"}, 401)


def bearer(request: httpx.Request) -> str:
    return request.headers["authorization"].removeprefix("Bearer ")


@pytest.fixture
def jwt_api(make_api: Any, private_pem: bytes) -> Api:
    api: Api = make_api(auth=JWTAuth(APP_ID, private_pem))
    return api


@pytest.mark.parametrize(
    "case",
    [
        ("GET", "/v0.3/conversations/CON-1", lambda c: c.conversations.get("CON-1")),
        # A create is not retried on errors, but a 401 comes before the server acts.
        ("POST", "/v0.3/conversations", lambda c: c.conversations.create(name="x")),
    ],
    ids=["get", "create"],
)
def test_a_401_mints_one_fresh_token_and_resends_once(
    jwt_api: Api, fake: FakeAPI, minted: list[str], case: tuple[str, str, Any]
) -> None:
    method, path, call = case
    # The resend is the same request object, signed again: note each token as it arrives.
    sent: list[tuple[str, bytes]] = []

    def answer(response: httpx.Response) -> Any:
        def respond(request: httpx.Request) -> httpx.Response:
            sent.append((bearer(request), request.content))
            return httpx.Response(response.status_code, content=response.content)

        return respond

    success = ok(CONVERSATION, 201 if method == "POST" else 200)
    fake.add(method, path, answer(UNAUTHORIZED), answer(success))
    result = jwt_api.call(call)
    assert result.id == CONVERSATION["id"]
    assert [r.method for r in fake.requests] == [method, method]
    assert len(minted) == 2
    assert [token for token, _ in sent] == minted
    assert sent[1][1] == sent[0][1]  # the same body
    assert jwt_api.sleeps == []  # not a retry: sent again at once


def test_a_second_401_raises_authentication_error(
    jwt_api: Api, fake: FakeAPI, minted: list[str]
) -> None:
    fake.add("GET", "/v0.3/conversations/CON-1", UNAUTHORIZED)
    with pytest.raises(AuthenticationError) as raised:
        jwt_api.call(lambda c: c.conversations.get("CON-1"))
    assert raised.value.status == 401
    assert len(fake.requests) == 2
    assert len(minted) == 2
    # The fresh token serves the next call: no third mint.
    fake.add("GET", "/v0.3/conversations/CON-2", ok(CONVERSATION))
    jwt_api.call(lambda c: c.conversations.get("CON-2"))
    assert bearer(fake.last) == minted[1]
    assert len(minted) == 2


class ForeignAuth(httpx.Auth):
    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = "Bearer foreign.token.value"
        yield request


@pytest.mark.parametrize(
    "credentials",
    [{"token": "user.supplied.token"}, {"auth": ForeignAuth()}],
    ids=["token", "foreign-auth"],
)
def test_a_token_the_user_gave_is_not_resent(
    make_api: Any, fake: FakeAPI, credentials: dict[str, Any]
) -> None:
    api = make_api(**credentials)
    fake.add("GET", "/v0.3/conversations/CON-1", UNAUTHORIZED, ok(CONVERSATION))
    with pytest.raises(AuthenticationError):
        api.call(lambda c: c.conversations.get("CON-1"))
    assert len(fake.requests) == 1


def test_the_resend_is_logged_at_debug_without_the_token(
    jwt_api: Api, fake: FakeAPI, minted: list[str], caplog: pytest.LogCaptureFixture
) -> None:
    fake.add("GET", "/v0.3/conversations/CON-1", UNAUTHORIZED, ok(CONVERSATION))
    with caplog.at_level(logging.DEBUG, logger="vonage_conversation"):
        jwt_api.call(lambda c: c.conversations.get("CON-1"))
    lines = [r.getMessage() for r in caplog.records if "401" in r.getMessage()]
    assert lines == [
        "GET https://api.nexmo.com/v0.3/conversations/CON-1 answered 401: sending it again "
        "once, with a freshly minted token"
    ]
    assert not [token for token in minted if token in caplog.text]


def test_renewing_a_refused_token_mints_once_for_every_request_that_saw_it(
    private_pem: bytes, minted: list[str]
) -> None:
    auth = JWTAuth(APP_ID, private_pem)
    refused = auth.token()
    fresh = auth.renew(refused)
    assert fresh != refused
    # Another request refused with the same old token gets the fresh one, not a third.
    assert auth.renew(refused) == fresh
    assert auth.token() == fresh
    assert len(minted) == 2
