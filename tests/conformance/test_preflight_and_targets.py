"""The conformance command's preflight, its targets and their users, and the fixture it
makes for the valid requests (split from test_command.py, which keeps the options, the
schemathesis processes and the command line)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import jwt
import mutant_servers as servers
import pytest
from cryptography.hazmat.primitives import serialization
from vonage_conversation import ConversationClient
from vonage_conversation_conformance._api import Api
from vonage_conversation_conformance._fixture import build_fixture
from vonage_conversation_conformance._maker import FIXTURE_CHECK, Maker, UserError
from vonage_conversation_conformance._preflight import PreflightError, preflight
from vonage_conversation_conformance._results import RunResult
from vonage_conversation_conformance._target import (
    Target,
    TargetError,
    remote_target,
    with_listed_users,
)
from vonage_conversation_emulator.embedded import run_emulator
from vonage_conversation_emulator.keys import generate_private_key_pem
from vonage_conversation_emulator.seed import SeedUser

PEM = generate_private_key_pem().decode()

PEM = generate_private_key_pem().decode()


def _transport(respond: Callable[[httpx.Request], httpx.Response]) -> httpx.MockTransport:
    return httpx.MockTransport(respond)


@pytest.mark.parametrize(
    ("response", "reason"),
    [
        (
            httpx.Response(401, json={"title": "Invalid Token"}),
            "the server refused the credentials: 401 Invalid Token",
        ),
        (httpx.Response(403, text="no"), "the server refused the credentials: 403 Forbidden"),
        (
            httpx.Response(404, text="nope"),
            "not a Conversation API at http://h: GET /v0.3/conversations answered 404 Not Found",
        ),
        (
            httpx.Response(200, html="<p>hi</p>"),
            "not a Conversation API at http://h: GET /v0.3/conversations answered 200 with "
            "text/html; charset=utf-8, not JSON",
        ),
        (
            httpx.Response(200, json=[1, 2]),
            "answered 200 with JSON that is not a page of conversations",
        ),
        (
            httpx.Response(503, json={"title": "Down"}),
            "the server failed the first request (GET /v0.3/conversations answered 503 Down)",
        ),
    ],
)
def test_the_preflight_says_in_one_line_why_a_server_cannot_be_checked(
    response: httpx.Response, reason: str
) -> None:
    with pytest.raises(PreflightError) as refused:
        preflight("http://h", "app", PEM, transport=_transport(lambda request: response))
    assert reason in str(refused.value)
    assert "\n" not in str(refused.value)


def test_the_preflight_signs_one_cheap_read_then_sends_it_signed_by_another_key() -> None:
    seen: list[httpx.Request] = []

    def respond(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if len(seen) > 1:  # the second request's token is signed by another key
            return httpx.Response(401, json={"title": "Invalid Token"})
        return httpx.Response(200, json={"page_size": 1, "_embedded": {"conversations": []}})

    passed = preflight("http://h/", "app-7", PEM, transport=_transport(respond))
    signed, forged = seen
    for request in (signed, forged):
        assert (request.method, str(request.url)) == (
            "GET",
            "http://h/v0.3/conversations?page_size=1",
        )
    public = serialization.load_pem_private_key(PEM.encode(), password=None).public_key()
    token = signed.headers["Authorization"].removeprefix("Bearer ")
    assert jwt.decode(token, public, algorithms=["RS256"])["application_id"] == "app-7"
    forgery = forged.headers["Authorization"].removeprefix("Bearer ")
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(forgery, public, algorithms=["RS256"])
    assert jwt.decode(forgery, options={"verify_signature": False})["application_id"] == "app-7"
    assert not passed.accepts_forged
    assert passed.describe().startswith(
        "reached http://h/v0.3/conversations, credentials accepted and a token signed by another "
        "key refused"
    )


def test_the_preflight_says_when_the_server_accepts_a_token_it_should_refuse() -> None:
    def respond(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"page_size": 1, "_embedded": {"conversations": []}})

    passed = preflight("http://h/", "app-7", PEM, transport=_transport(respond))
    assert passed.accepts_forged
    assert "the server accepts a token it should refuse" in passed.describe()
    assert "credentials accepted" not in passed.describe()


def test_the_preflight_names_an_unreachable_server() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("[Errno 111] Connection refused")

    with pytest.raises(PreflightError, match=r"^cannot reach http://h: \[Errno 111\] Connection"):
        preflight("http://h", "app", PEM, transport=_transport(refuse))


@pytest.mark.parametrize(
    ("url", "environ", "message"),
    [
        ("ftp://x", {}, "must be an http"),
        ("http://x", {}, "VONAGE_APPLICATION_ID"),
        ("http://x", {"VONAGE_APPLICATION_ID": "a"}, "VONAGE_PRIVATE_KEY_PATH"),
        (
            "http://x",
            {"VONAGE_APPLICATION_ID": "a", "VONAGE_PRIVATE_KEY_PATH": "/nonexistent"},
            "cannot read",
        ),
        (
            "http://x",
            {"VONAGE_APPLICATION_ID": "a", "VONAGE_PRIVATE_KEY": "not a key"},
            "cannot be used",
        ),
    ],
)
def test_a_remote_target_without_usable_credentials_is_refused(
    url: str, environ: dict[str, str], message: str
) -> None:
    with pytest.raises(TargetError, match=message):
        remote_target(url, application_id=None, private_key=None, environ=environ)


def test_a_remote_target_takes_the_users_it_is_told_or_the_first_it_lists() -> None:
    seed = [SeedUser(name=name) for name in ("dana", "eve", "fay", "gus", "hal", "ida")]
    with run_emulator(private_key_pem=PEM, seed=seed) as emulator:
        environ = {"VONAGE_APPLICATION_ID": emulator.application_id, "VONAGE_PRIVATE_KEY": PEM}
        found = with_listed_users(
            remote_target(
                emulator.base_url + "/", application_id=None, private_key=None, environ=environ
            )
        )
        told = with_listed_users(
            remote_target(
                emulator.base_url,
                application_id=None,
                private_key=None,
                environ={**environ, "VONAGE_CONFORMANCE_USER": "erin, fred"},
            )
        )
    assert found.base_url == emulator.base_url
    assert (found.users, told.users) == (("dana", "eve", "fay", "gus", "hal"), ("erin", "fred"))
    assert PEM not in repr(found)


def test_a_failing_users_list_or_no_users_at_all_stops_the_run(tmp_path: Path) -> None:
    with run_emulator(private_key_pem=PEM) as emulator:
        empty = Target(emulator.base_url, emulator.application_id, PEM, users=(), embedded=False)
        with pytest.raises(TargetError, match="has no users to make members of"):
            with_listed_users(empty)
    with servers.serve(
        tmp_path, servers.rewrite_response("GET", "/v0.2/users", lambda r: r.replace(status=500))
    ) as broken:
        target = Target(
            broken.url, servers.APPLICATION_ID, servers.PEM.decode(), users=(), embedded=False
        )
        with pytest.raises(
            TargetError, match=r"cannot list the server's users .*VONAGE_CONFORMANCE_USER"
        ):
            with_listed_users(target)


def _maker(url: str, application_id: str, pem: str) -> Maker:
    return Maker(Api(url, application_id, pem, RunResult(), phase="setup"), "test")


def test_the_fixture_makes_every_resource_the_valid_requests_use() -> None:
    with run_emulator(private_key_pem=PEM, seed=[SeedUser(name="ann")]) as emulator:
        maker = _maker(emulator.base_url, emulator.application_id, PEM)
        fixture = build_fixture(maker, ("ann",))
        assert maker.api.result.failures == [] and fixture.notes == ()
        assert fixture.user_id is not None and fixture.deletable_leg_id is not None
        with ConversationClient.from_env(environ=emulator.env) as client:
            event = client.events.get(fixture.conversation_id, fixture.event_id)  # type: ignore[arg-type]
            assert str(event.from_) == fixture.member_id
            member = client.members.get(
                fixture.updatable_conversation_id,  # type: ignore[arg-type]
                fixture.updatable_member_id,  # type: ignore[arg-type]
            )
            assert str(member.state) == "JOINED"
            assert [leg.uuid for leg in client.legs.list()] == [fixture.deletable_leg_id]
            assert list(client.members.list(fixture.joinable_conversation_id)) == []  # type: ignore[arg-type]
            assert len(set(fixture.conversations)) == 5
            assert maker.delete() == 5
            assert list(client.conversations.list()) == []


def test_a_refused_setup_request_is_a_failure_of_its_operation_and_the_rest_goes_on(
    tmp_path: Path,
) -> None:
    refuse = servers.rewrite_response(
        "POST", "/v0.3/conversations/{conversation_id}/members", lambda r: r.replace(status=500)
    )
    with servers.serve(tmp_path, refuse) as server:
        maker = _maker(server.url, servers.APPLICATION_ID, servers.PEM.decode())
        fixture = build_fixture(maker, servers.USERS)
    failures = maker.api.result.failures
    members = "POST /v0.3/conversations/{conversation_id}/members"
    assert {failure.operation for failure in failures} == {members}
    assert {(failure.check, failure.status) for failure in failures} == {(FIXTURE_CHECK, 500)}
    assert failures[0].request is not None and failures[0].request.method == "POST"
    assert (fixture.member_id, fixture.event_id, fixture.deletable_leg_id) == (None, None, None)
    assert fixture.conversation_id is not None and len(fixture.conversations) == 5


def test_a_user_that_does_not_exist_stops_the_setup() -> None:
    with run_emulator(private_key_pem=PEM) as emulator:
        maker = _maker(emulator.base_url, emulator.application_id, PEM)
        with pytest.raises(UserError, match="the user 'nobody' does not exist on the server"):
            build_fixture(maker, ("nobody",))
