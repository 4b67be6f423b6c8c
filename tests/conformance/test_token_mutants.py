"""Every token rule can fail: a server blind to one fault of a token, on one operation, fails
the run with that token's check and that operation named, and the printed reproduction of each
failure, run as printed, gets the same answer again; the unbroken emulator passes the same run.

The one-fault servers share one run (each fault is on an operation and a token of its own, so
none hides another): a semantic run takes seconds, the server stays up for the reproductions.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
import mutant_servers as servers
import pytest
from replay import base_url, failure_blocks, replay, reproduction
from vonage_conversation_conformance.cli import main
from vonage_conversation_conformance.semantic import SEMANTIC_CHECKS

CONVERSATION = "/v0.3/conversations/{conversation_id}"
MEMBERS = f"{CONVERSATION}/members"
EVENTS = f"{CONVERSATION}/events"
TOKEN_CHECKS = {name for name in SEMANTIC_CHECKS if name.startswith("token_")} | {
    "member_me_user_only"
}


def _token(authorization: str) -> str:
    return authorization.partition(" ")[2].strip()


def _header(authorization: str) -> dict[str, Any]:
    try:
        return dict(jwt.get_unverified_header(_token(authorization)))
    except jwt.InvalidTokenError:
        return {}


def _claims(authorization: str) -> dict[str, Any]:
    try:
        found = jwt.decode(_token(authorization), options={"verify_signature": False})
    except jwt.InvalidTokenError:
        return {}
    return dict(found)


def _signed_by_another_key(authorization: str) -> bool:
    if _header(authorization).get("alg") != "RS256":
        return False
    public = servers.load_public_key(servers.PEM)
    try:
        jwt.decode(
            _token(authorization), public, algorithms=["RS256"], options={"verify_exp": False}
        )
    except jwt.InvalidSignatureError:
        return True
    except jwt.InvalidTokenError:
        return False
    return False


def _claim(name: str, test: Callable[[Any], bool]) -> Callable[[str], bool]:
    return lambda authorization: (
        name in _claims(authorization) and test(_claims(authorization)[name])
    )


FAULTS: dict[str, Callable[[str], bool]] = {
    "expired": _claim("exp", lambda exp: exp < time.time()),
    "not yet valid": _claim("nbf", lambda nbf: nbf > time.time()),
    "issued in the future": _claim("iat", lambda iat: iat > time.time() + 60),
    "no exp, old iat": lambda a: bool(_claims(a)) and "exp" not in _claims(a),
    "another key": _signed_by_another_key,
    "alg none": lambda a: _header(a).get("alg") == "none",
    "HS256": lambda a: _header(a).get("alg") == "HS256",
    "another application": _claim("application_id", lambda app: app != servers.APPLICATION_ID),
    "no application_id": lambda a: bool(_claims(a)) and "application_id" not in _claims(a),
    "an empty bearer": lambda a: a.strip() == "Bearer",
    "a garbled token": lambda a: bool(_token(a)) and not _header(a),
    "acl.paths ignored": lambda a: "acl" in _claims(a),
}


@dataclass(frozen=True)
class Mutant:
    """A server blind to one fault, the check and the operation that must name it."""

    name: str
    wrap: Callable[[servers.App], servers.App]
    check: str
    operation: str


def _blind(fault: str, method: str, path: str, check: str) -> Mutant:
    return Mutant(
        f"accepts {fault} on {method} {path}",
        servers.accept_token_when(method, path, FAULTS[fault]),
        check,
        f"{method} {path}",
    )


MUTANTS = [
    _blind("expired", "GET", CONVERSATION, "token_expired_refused"),
    _blind("not yet valid", "PUT", CONVERSATION, "token_not_yet_valid_refused"),
    _blind(
        "issued in the future",
        "GET",
        "/v0.3/users/{user_id}/conversations",
        "token_issued_in_future_refused",
    ),
    _blind("no exp, old iat", "GET", f"{MEMBERS}/{{member_id}}", "token_no_exp_old_iat_refused"),
    _blind("another key", "POST", MEMBERS, "token_other_key_refused"),
    _blind("alg none", "GET", f"{EVENTS}/{{event_id}}", "token_alg_none_refused"),
    _blind("HS256", "POST", EVENTS, "token_hs256_public_key_refused"),
    _blind("another application", "GET", "/v0.3/legs", "token_other_application_refused"),
    _blind("no application_id", "DELETE", "/v0.3/legs/{leg_id}", "token_no_application_refused"),
    _blind("an empty bearer", "GET", CONVERSATION, "token_empty_bearer_refused"),
    _blind("a garbled token", "PUT", CONVERSATION, "token_garbled_refused"),
    _blind("acl.paths ignored", "GET", f"{MEMBERS}/{{member_id}}", "token_acl_paths_enforced"),
    Mutant(
        "members/me answering as the first user whoever asks",
        servers.answer_as("GET", f"{MEMBERS}/me", servers.USERS[0]),
        "member_me_user_only",
        f"GET {MEMBERS}/me",
    ),
]


def _run(server: servers.Server) -> tuple[int, str]:
    """The semantic phase's exit status and report, against `server`."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        status = main([*server.args(), "--phases", "semantic"], environ={})
    return status, out.getvalue()


@pytest.fixture(scope="module")
def mutated(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[int, str]]:
    """The run against one server with every fault above, kept up for the reproductions."""
    wrap = servers.chain(*(mutant.wrap for mutant in MUTANTS))
    with servers.serve(tmp_path_factory.mktemp("tokens"), wrap) as server:
        yield _run(server)


def test_every_token_check_has_a_mutant() -> None:
    assert {mutant.check for mutant in MUTANTS} == TOKEN_CHECKS


@pytest.mark.parametrize("mutant", MUTANTS, ids=[mutant.name for mutant in MUTANTS])
def test_each_token_mutant_fails_the_run_naming_its_check_and_operation(
    mutant: Mutant, mutated: tuple[int, str]
) -> None:
    status, out = mutated
    assert status == 1, out
    heading = f"{mutant.operation}: {mutant.check} ("
    assert any(found.startswith(heading) for found in failure_blocks(out)), out


# members/me's failure needs the run's data, deleted as its phase ends: it is not replayed.
REPLAYED = [mutant for mutant in MUTANTS if mutant.check.startswith("token_")]


@pytest.mark.skipif(shutil.which("curl") is None, reason="the reproductions are curl commands")
@pytest.mark.parametrize("mutant", REPLAYED, ids=[mutant.name for mutant in REPLAYED])
def test_each_token_failure_reproduces_as_printed(
    mutant: Mutant, mutated: tuple[int, str], tmp_path: Path
) -> None:
    """The printed curl sends the very token: the mutant lets it in again (the resource may be
    gone by now, a 404, but it is not refused), where the unbroken emulator refuses it."""
    _, out = mutated
    heading = f"{mutant.operation}: {mutant.check} ("
    lines = next(found for name, found in failure_blocks(out).items() if name.startswith(heading))
    status = next(line.split()[1] for line in lines if line.startswith("status:"))
    commands = reproduction(lines)
    assert not any(line.startswith("export VONAGE_JWT") for line in commands)  # no token needed
    refused = "403" if mutant.check == "token_acl_paths_enforced" else "401"
    assert status != refused
    assert replay(commands) not in ("", "401", "403"), commands
    with servers.serve(tmp_path) as unbroken:
        again = [line.replace(base_url(commands), unbroken.url) for line in commands]
        assert replay(again) == refused, again


def test_a_forged_token_the_preflight_sees_accepted_fails_the_run_whatever_its_phases(
    tmp_path: Path,
) -> None:
    """The preflight's token signed by another key, let in, is said so and fails the run, even
    one whose phases and operations never send such a token again (the legs alone)."""
    blind = servers.accept_token_when("GET", "/v0.3/conversations", _signed_by_another_key)
    with servers.serve(tmp_path, blind) as server:
        err = io.StringIO()
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = main(
                [*server.args(), "--phases", "semantic", "--operation-id", "listLegs"], environ={}
            )
    assert status == 1, out.getvalue()
    assert "the server accepts a token it should refuse" in err.getvalue()
    assert "credentials accepted" not in err.getvalue()
    headings = failure_blocks(out.getvalue())
    assert any(
        name.startswith("GET /v0.3/conversations: token_other_key_refused (") for name in headings
    ), out.getvalue()
