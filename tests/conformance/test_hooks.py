"""The schemathesis hooks: signing, aiming valid requests at what exists, the package's own
check, and the record of what the run created."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jwt
import pytest
from schemathesis.core.parameters import ParameterLocation
from vonage_conversation_conformance import hooks
from vonage_conversation_conformance._fixture import Fixture
from vonage_conversation_emulator.keys import generate_private_key_pem

PEM = generate_private_key_pem().decode()
FIXTURE = Fixture(
    conversation_id="CON-main",
    member_id="MEM-1",
    event_id="7",
    user_id="USR-1",
    deletable_conversation_id="CON-doomed",
    deletable_event_id="8",
    deletable_leg_id="LEG-doomed",
    updatable_conversation_id="CON-update",
    updatable_member_id="MEM-2",
    joinable_conversation_id="CON-join",
)


def _case(
    operation_id: str,
    positive: bool,
    phase: str = "fuzzing",
    *,
    path_positive: bool = True,
    **fields: Any,
) -> SimpleNamespace:
    def mode(good: bool) -> SimpleNamespace:
        return SimpleNamespace(is_positive=good)

    return SimpleNamespace(
        operation=SimpleNamespace(definition=SimpleNamespace(raw={"operationId": operation_id})),
        meta=SimpleNamespace(
            generation=SimpleNamespace(mode=mode(positive)),
            phase=SimpleNamespace(name=phase),
            components={ParameterLocation.PATH: SimpleNamespace(mode=mode(path_positive))},
        ),
        query=fields.get("query", {}),
        path_parameters=fields.get("path", {}),
        body=fields.get("body"),
        headers={},
    )


def _settings_file(tmp_path: Path, settings: hooks.RunSettings) -> Path:
    path = tmp_path / "settings.json"
    settings.dump(path)
    return path


@pytest.fixture
def run_identity(tmp_path: Path) -> Iterator[None]:
    with hooks.using(_settings_file(tmp_path, hooks.RunSettings("app-1", PEM, ("carol", "dave")))):
        yield


@pytest.fixture
def with_fixture(tmp_path: Path) -> Iterator[Path]:
    created = tmp_path / "created.txt"
    settings = hooks.RunSettings("app-1", PEM, ("carol",), fixture=FIXTURE, created_log=created)
    with hooks.using(_settings_file(tmp_path, settings)):
        yield created


def _mapped(case: SimpleNamespace) -> SimpleNamespace:
    mapped: SimpleNamespace = hooks.map_case(None, case)  # type: ignore[arg-type]
    return mapped


@pytest.mark.usefixtures("run_identity")
def test_positive_requests_name_existing_users_and_no_made_up_references() -> None:
    member = _case(
        "createMember",
        True,
        body={"user": {"id": "USR-random"}, "member_id_inviting": "MEM-x", "state": "joined"},
    )
    assert _mapped(member).body == {"user": {"name": "carol"}, "state": "joined"}

    # The first user until the server says it is a member, then the others in turn.
    def new_member(conversation: str, status: int | None = None) -> str:
        case = _case(
            "createMember", True, body={"user": {}}, path={"conversation_id": conversation}
        )
        name = str(_mapped(case).body["user"]["name"])
        if status is not None:
            hooks.after_call(None, case, SimpleNamespace(status_code=status))  # type: ignore[arg-type]
        return name

    assert new_member("CON-1", status=400) == "carol"
    assert new_member("CON-1", status=201) == "carol"
    assert [new_member("CON-1") for _ in range(2)] == ["dave", "dave"]
    assert new_member("CON-2") == "carol"
    event = _case("createEvent", True, body={"type": "text", "to": "MEM-x", "from": "MEM-y"})
    assert _mapped(event).body == {"type": "text", "from": "MEM-y"}
    page = _case("listEvents", True, query={"cursor": "made-up", "page_size": 5})
    assert _mapped(page).query == {"page_size": 5}


@pytest.mark.usefixtures("run_identity")
def test_members_join_in_the_stateful_phase_only() -> None:
    def state(phase: str, positive: bool = True) -> object:
        body = {"user": {"name": "x"}, "state": "invited"}
        return _mapped(_case("createMember", positive, phase, body=body)).body.get("state")

    assert (state("stateful"), state("fuzzing"), state("stateful", positive=False)) == (
        "joined",
        "invited",
        "invited",
    )
    without_state = _case("createMember", True, "stateful", body={"user": {"name": "x"}})
    assert _mapped(without_state).body["state"] == "joined"


@pytest.mark.usefixtures("with_fixture")
def test_valid_requests_use_the_fixture_each_operation_its_own_resources() -> None:
    def path(operation_id: str, **given: str) -> dict[str, str]:
        mapped: dict[str, str] = _mapped(_case(operation_id, True, path=given)).path_parameters
        return mapped

    assert path("getEvent", conversation_id="x", event_id="y") == {
        "conversation_id": "CON-main",
        "event_id": "7",
    }
    assert path("deleteEvent", conversation_id="x", event_id="y") == {
        "conversation_id": "CON-main",
        "event_id": "8",
    }
    assert path("deleteConversation", conversation_id="x") == {"conversation_id": "CON-doomed"}
    assert path("updateMember", conversation_id="x", member_id="y") == {
        "conversation_id": "CON-update",
        "member_id": "MEM-2",
    }
    assert path("createMember", conversation_id="x") == {"conversation_id": "CON-join"}
    assert path("deleteLeg", leg_id="x") == {"leg_id": "LEG-doomed"}
    assert path("listUserSessions", user_id="x") == {"user_id": "USR-1"}
    event = _case("createEvent", True, path={"conversation_id": "x"}, body={"type": "text"})
    assert _mapped(event).body == {"type": "text", "from": "MEM-1"}
    # The stateful phase follows the spec's links to ids the server gave instead.
    linked = _case("getConversation", True, "stateful", path={"conversation_id": "CON-linked"})
    assert _mapped(linked).path_parameters == {"conversation_id": "CON-linked"}


@pytest.mark.usefixtures("with_fixture")
def test_a_negative_request_with_a_valid_path_meets_validation_not_a_404() -> None:
    body = {"type": 5, "from": []}
    valid_path = _case("createEvent", False, path={"conversation_id": "x"}, body=dict(body))
    assert _mapped(valid_path).path_parameters == {"conversation_id": "CON-main"}
    assert valid_path.body == body  # what makes it invalid stays
    invalid_path = _case(
        "createEvent", False, path={"conversation_id": "%%"}, path_positive=False, body=dict(body)
    )
    assert (_mapped(invalid_path).path_parameters, invalid_path.body) == (
        {"conversation_id": "%%"},
        body,
    )


@pytest.mark.usefixtures("run_identity")
def test_negative_requests_are_left_as_generated() -> None:
    body = {"user": 5, "member_id_inviting": []}
    case = _case("createMember", False, body=dict(body), query={"cursor": ""})
    _mapped(case)
    assert (case.body, case.query) == (body, {"cursor": ""})


@pytest.mark.usefixtures("with_fixture")
def test_the_specs_own_examples_are_aimed_like_valid_data() -> None:
    example = _case("getConversation", True, path={"conversation_id": "CON-d66d47de"})
    example.meta = None  # an explicit example carries no generation data
    examples = [example]
    hooks.before_add_examples(None, examples)  # type: ignore[arg-type]
    assert examples[0].path_parameters == {"conversation_id": "CON-main"}


@pytest.mark.usefixtures("run_identity")
def test_requests_are_signed_with_a_user_jwt_only_where_one_is_needed() -> None:
    provider = hooks.VonageJWT()
    for operation_id, sub in (("getMyMember", "carol"), ("listConversations", None)):
        case = _case(operation_id, True)
        provider.set(case, provider.get(case, None), None)  # type: ignore[arg-type]
        token = case.headers["Authorization"].removeprefix("Bearer ")
        claims = jwt.decode(token, options={"verify_signature": False})
        assert (claims["application_id"], claims.get("sub")) == ("app-1", sub)


def _response(status: int, authorization: str) -> SimpleNamespace:
    return SimpleNamespace(
        status_code=status, request=SimpleNamespace(headers={"Authorization": authorization})
    )


@pytest.mark.usefixtures("run_identity")
def test_a_valid_token_refused_is_a_failure_and_anything_else_is_not_this_checks_case() -> None:
    case = _case("listConversations", True)
    token = hooks.VonageJWT().get(case, None)  # type: ignore[arg-type]
    check = hooks.valid_token_accepted
    with pytest.raises(AssertionError, match="signed with a valid token was answered 401"):
        check(None, _response(401, f"Bearer {token}"), case)  # type: ignore[arg-type]
    with pytest.raises(AssertionError, match="answered 403"):
        check(None, _response(403, f"Bearer {token}"), case)  # type: ignore[arg-type]
    assert check(None, _response(200, f"Bearer {token}"), case) is None  # type: ignore[arg-type]
    assert check(None, _response(401, "Bearer forged"), case) is True  # type: ignore[arg-type]
    assert check(None, _response(401, ""), case) is True  # type: ignore[arg-type]


def test_the_conversations_the_run_creates_are_written_down(with_fixture: Path) -> None:
    create = _case("createConversation", True)
    for status, body in ((201, {"id": "CON-new"}), (409, {"title": "taken"}), (201, {"id": 5})):
        response = SimpleNamespace(status_code=status, json=lambda body=body: body)
        hooks.after_call(None, create, response)  # type: ignore[arg-type]
    assert with_fixture.read_text().split() == ["CON-new"]


def test_the_settings_come_from_the_one_file_the_command_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written = hooks.RunSettings(
        "app-9", PEM, ("ann", "ben"), fixture=FIXTURE, created_log=tmp_path / "c.txt"
    )
    path = _settings_file(tmp_path, written)
    assert path.stat().st_mode & 0o777 == 0o600  # it holds the private key
    variables = hooks.environment(path)
    assert variables == {
        "SCHEMATHESIS_HOOKS": "vonage_conversation_conformance.hooks",
        hooks.SETTINGS_VARIABLE: str(path),
    }
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    (tmp_path / "other").mkdir()
    other = _settings_file(tmp_path / "other", hooks.RunSettings("app-other", PEM))
    with hooks.using(other), hooks.using(None):  # None: forget the run, read the named file
        assert hooks.settings() == written
    assert PEM not in repr(written)


def test_without_settings_the_hooks_say_what_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(hooks.SETTINGS_VARIABLE, raising=False)
    with hooks.using(None), pytest.raises(RuntimeError, match="SETTINGS is not set"):
        hooks.settings()
    broken = tmp_path / "broken.json"
    for text in ("{not json", '{"users": []}', "[]"):
        broken.write_text(text)
        with pytest.raises(RuntimeError, match=f"cannot read settings {broken}"):
            hooks.configure(broken)
    with pytest.raises(RuntimeError, match="cannot read settings"):
        hooks.configure(tmp_path / "missing.json")


def test_settings_set_for_a_block_are_undone_after_it(tmp_path: Path) -> None:
    outer = _settings_file(tmp_path, hooks.RunSettings("outer", PEM))
    (tmp_path / "inner").mkdir()
    inner = _settings_file(tmp_path / "inner", hooks.RunSettings("inner", PEM))
    with hooks.using(outer):
        with hooks.using(inner):
            assert hooks.settings().application_id == "inner"
        assert hooks.settings().application_id == "outer"


def test_what_the_hooks_learn_belongs_to_one_run(tmp_path: Path) -> None:
    """A token signed in one run is not another run's: each run starts afresh."""
    first = _settings_file(tmp_path, hooks.RunSettings("app-1", PEM, ("carol",)))
    case = _case("listConversations", True)
    refused = _response(401, "")
    with hooks.using(first):
        token = hooks.VonageJWT().get(case, None)  # type: ignore[arg-type]
        refused.request.headers["Authorization"] = f"Bearer {token}"
        with pytest.raises(AssertionError):
            hooks.valid_token_accepted(None, refused, case)  # type: ignore[arg-type]
    with hooks.using(first):
        assert hooks.valid_token_accepted(None, refused, case) is True  # type: ignore[arg-type]


@pytest.mark.usefixtures("run_identity")
@pytest.mark.parametrize(
    ("ttl", "sent"),
    [(0.001, hooks.MIN_TTL_SECONDS), (60, hooks.MIN_TTL_SECONDS), (10**6, 10**6), (0, 0), (-5, -5)],
)
def test_a_valid_create_or_update_keeps_its_conversation_for_the_run(
    ttl: float, sent: float
) -> None:
    # An empty conversation is deleted ttl seconds after it emptied: a short generated ttl
    # would delete the run's own conversation under it, a right answer read as a failure.
    for operation in ("createConversation", "updateConversation"):
        body = {"name": "n", "properties": {"ttl": ttl, "type": "t"}}
        case = _case(operation, True, body=body, path={"conversation_id": "CON-1"})
        assert _mapped(case).body["properties"] == {"ttl": sent, "type": "t"}
    negative = _case("createConversation", False, body={"properties": {"ttl": 0.001}})
    assert _mapped(negative).body == {"properties": {"ttl": 0.001}}
