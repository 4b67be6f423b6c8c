"""Schemathesis hooks for a conformance run, loaded by the schemathesis CLI (`SCHEMATHESIS_HOOKS`).

Three jobs:
- sign every generated request with a Vonage JWT, minted by the client's own `JWTAuth`: an
  application JWT, or for `members/me` a user JWT (`sub` = the run's first user);
- aim valid data at what exists. A schema says which requests are well formed, not which users,
  members or cursors exist, so in requests that should succeed (positive ones, and the spec's
  own examples): in the stateless phases, path ids are the run's fixture (see `_fixture`) and
  events are sent as its member; a member is created for one of the run's users (the first
  user until it is a member of the conversation, so that `members/me`, asked as the first
  user, finds a member wherever one was created; the others in turn after that); in the
  stateful phase, that member joins (only a joined member sends events); made-up references to
  other members (`member_id_inviting`, an event's `to`) are left out, and so is a made-up
  `cursor` (only a server's own links carry cursors). Negative (schema-invalid) requests are
  left exactly as generated;
- checks of this package's own (`valid_token_accepted`), and a record of the conversations
  the run created, for the runner to delete at the end.

The command passes the run's identity to the schemathesis process in the environment (see
`environment()`); an in-process run calls `configure()` instead.
"""

from __future__ import annotations

import itertools
import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import schemathesis
from schemathesis import AuthContext, Case, CheckContext, HookContext, Response
from schemathesis.core.parameters import ParameterLocation
from vonage_conversation import JWTAuth

from ._fixture import Fixture
from ._results import STATEFUL

__all__ = [
    "CUSTOM_CHECKS",
    "RunSettings",
    "configure",
    "environment",
    "settings",
    "using",
    "valid_token_accepted",
]

APPLICATION_ID = "VONAGE_APPLICATION_ID"
PRIVATE_KEY_PATH = "VONAGE_PRIVATE_KEY_PATH"
USER = "VONAGE_CONFORMANCE_USER"
FIXTURE = "VONAGE_CONFORMANCE_FIXTURE"
CREATED = "VONAGE_CONFORMANCE_CREATED"
# The operations whose token must name a user, and the ones whose answers the hooks note.
USER_TOKEN_OPERATIONS = frozenset({"getMyMember"})
CREATE_MEMBER = "createMember"
CREATE_CONVERSATION = "createConversation"
CREATE_EVENT = "createEvent"
# Body fields naming another member, by operation: a generated value names nobody.
MEMBER_REFERENCES = {"createMember": "member_id_inviting", "createEvent": "to"}
AnyCase = Case[Any]


@dataclass(frozen=True)
class RunSettings:
    """Who the run signs as (the application, its private key), the run's users (existing users
    to make members of; `members/me` is asked as the first), the fixture valid requests use,
    and the file the conversations the run creates are written to."""

    application_id: str
    private_key: Path | str = field(repr=False)
    users: tuple[str, ...] = ()
    fixture: Fixture | None = None
    created_log: Path | None = None

    @property
    def user(self) -> str | None:
        return self.users[0] if self.users else None


_configured: RunSettings | None = None
_turns: Iterator[str] | None = None
# Conversations the first user is a member of, as the server's answers showed.
_joined_by_first: set[str] = set()
# Every token this process signed a request with: a request bearing one was correctly signed.
_issued: set[str] = set()
_lock = threading.Lock()


def configure(new: RunSettings | None) -> None:
    """Set the run's identity in this process (the in-process pytest run does this); None
    goes back to reading it from the environment."""
    global _configured, _turns  # noqa: PLW0603 - hooks are module-level by schemathesis's design
    _configured = new
    _turns = None
    _joined_by_first.clear()
    _issued.clear()
    _signer.cache_clear()
    settings.cache_clear()


@contextmanager
def using(new: RunSettings | None) -> Iterator[None]:
    """The run's identity for a `with` block, then whatever it was before."""
    previous = _configured
    configure(new)
    try:
        yield
    finally:
        configure(previous)


def environment(
    application_id: str,
    private_key_path: Path,
    users: tuple[str, ...],
    *,
    fixture: Path | None = None,
    created_log: Path | None = None,
) -> dict[str, str]:
    """The variables that configure this module in the process that will load it."""
    variables = {
        "SCHEMATHESIS_HOOKS": __name__,
        APPLICATION_ID: application_id,
        PRIVATE_KEY_PATH: str(private_key_path),
    }
    if users:
        variables[USER] = ",".join(users)
    if fixture is not None:
        variables[FIXTURE] = str(fixture)
    if created_log is not None:
        variables[CREATED] = str(created_log)
    return variables


@cache
def settings() -> RunSettings:
    """This run's identity: as configured, else from the environment the command set."""
    if _configured is not None:
        return _configured
    try:
        fixture = os.environ.get(FIXTURE)
        created = os.environ.get(CREATED)
        return RunSettings(
            application_id=os.environ[APPLICATION_ID],
            private_key=Path(os.environ[PRIVATE_KEY_PATH]),
            users=tuple(name for name in os.environ.get(USER, "").split(",") if name),
            fixture=Fixture.load(Path(fixture)) if fixture else None,
            created_log=Path(created) if created else None,
        )
    except KeyError as missing:
        raise RuntimeError(f"conformance hooks: {missing.args[0]} is not set") from None


@cache
def _signer(sub: str | None) -> JWTAuth:
    """One JWT source per identity: it caches its token and mints a new one before expiry."""
    run = settings()
    return JWTAuth(run.application_id, run.private_key, sub=sub)


def operation_id(case: AnyCase) -> str | None:
    raw: Mapping[str, Any] = case.operation.definition.raw
    found = raw.get("operationId")
    return found if isinstance(found, str) else None


@schemathesis.auth(refresh_interval=None)  # JWTAuth caches and renews the token itself
class VonageJWT:
    """An application JWT for every operation, a user JWT where the operation needs one."""

    def get(self, case: AnyCase, context: AuthContext) -> str:
        user = settings().user if operation_id(case) in USER_TOKEN_OPERATIONS else None
        token = _signer(user).token()
        with _lock:
            _issued.add(token)
        return token

    def set(self, case: AnyCase, data: str, context: AuthContext) -> None:
        case.headers["Authorization"] = f"Bearer {data}"


@schemathesis.check
def valid_token_accepted(ctx: CheckContext, response: Response, case: AnyCase) -> bool | None:
    """A request signed with a valid token of the application is never answered 401 or 403:
    the credentials were proven good before the run, so such an answer refuses valid access."""
    if response.status_code not in (401, 403):
        return None
    sent = str(response.request.headers.get("Authorization", ""))
    token = sent.removeprefix("Bearer ")
    with _lock:
        ours = token in _issued
    if not ours:
        return True  # sent without our token (or with a mangled one): not this check's case
    raise AssertionError(
        f"a request signed with a valid token was answered {response.status_code}: the "
        "server refused credentials it accepted before the run"
    )


# The checks this module registers, by name (selectable with --checks like schemathesis's own).
CUSTOM_CHECKS = ("valid_token_accepted",)


def _is_positive(case: AnyCase) -> bool:
    meta = case.meta
    # A case without generation data is one of the spec's own examples: valid data.
    return meta is None or meta.generation.mode.is_positive


def _is_stateful(case: AnyCase) -> bool:
    return case.meta is not None and case.meta.phase.name == STATEFUL


def _member_user(users: tuple[str, ...], conversation_id: object) -> str:
    """Who a new member of the conversation is for: the first user until it is a member, then
    the others in turn (workers share the turn), so that a conversation gets several members."""
    global _turns  # noqa: PLW0603 - see configure()
    with _lock:
        if conversation_id not in _joined_by_first or len(users) == 1:
            return users[0]
        if _turns is None:
            _turns = itertools.cycle(users[1:])
        return next(_turns)


@schemathesis.hook
def after_call(context: HookContext, case: AnyCase, response: Response) -> None:
    """Note each conversation the first user has become a member of (or already was), and each
    conversation the run created."""
    run = settings()
    operation = operation_id(case)
    if operation == CREATE_CONVERSATION and response.status_code in (200, 201):
        _note_created(run, response)
        return
    body = case.body
    if operation != CREATE_MEMBER or not run.users or not isinstance(body, dict):
        return
    conversation_id = (case.path_parameters or {}).get("conversation_id")
    joined = body.get("user") == {"name": run.users[0]} and response.status_code in (201, 409)
    if joined and isinstance(conversation_id, str):
        with _lock:
            _joined_by_first.add(conversation_id)


def _note_created(run: RunSettings, response: Response) -> None:
    if run.created_log is None:
        return
    try:
        created = response.json()
    except ValueError:
        return
    if isinstance(created, dict) and isinstance(created.get("id"), str):
        with _lock, run.created_log.open("a", encoding="utf-8") as log:
            log.write(created["id"] + "\n")


def _aim_at_fixture(
    case: AnyCase, operation: str | None, fixture: Fixture, *, sender: bool = True
) -> None:
    """Put the fixture's ids in the path, and (`sender`) send events as its member."""
    if not case.path_parameters:
        return
    path = dict(case.path_parameters)
    for name in path:
        value = fixture.path_value(operation, name)
        if value is not None:
            path[name] = value
    case.path_parameters = path
    member = fixture.sender()
    if sender and operation == CREATE_EVENT and isinstance(case.body, dict) and member:
        case.body = {**case.body, "from": member}


def _aim(case: AnyCase) -> AnyCase:
    """A valid request aimed at what exists: the fixture's resources (stateless phases),
    members for the run's users (joining, in the stateful phase), no made-up references or
    cursors."""
    if case.query and "cursor" in case.query:
        case.query = {key: value for key, value in case.query.items() if key != "cursor"}
    run = settings()
    operation = operation_id(case)
    if run.fixture is not None and not _is_stateful(case):
        _aim_at_fixture(case, operation, run.fixture)
    body = case.body
    if not isinstance(body, dict):
        return case
    reference = MEMBER_REFERENCES.get(operation or "")
    if reference in body:
        body = {key: value for key, value in body.items() if key != reference}
    if run.users and operation == CREATE_MEMBER and "user" in body:
        conversation_id = (case.path_parameters or {}).get("conversation_id")
        body = {**body, "user": {"name": _member_user(run.users, conversation_id)}}
        if _is_stateful(case):
            body["state"] = "joined"
    case.body = body
    return case


def _valid_path(case: AnyCase) -> bool:
    """Whether a case's path parameters are valid (a negative case may be invalid elsewhere)."""
    meta = case.meta
    if meta is None:
        return True
    path = meta.components.get(ParameterLocation.PATH)
    return path is None or path.mode.is_positive


@schemathesis.hook
def map_case(context: HookContext, case: AnyCase) -> AnyCase:
    """Generated positive cases aimed at what exists (see `_aim`). A negative case whose path
    is valid names the fixture's resources too, so that what is invalid in it (a body, a
    query) meets the server's validation instead of a "not found"; otherwise it is sent as
    generated."""
    if _is_positive(case):
        return _aim(case)
    run = settings()
    if run.fixture is not None and not _is_stateful(case) and _valid_path(case):
        _aim_at_fixture(case, operation_id(case), run.fixture, sender=False)
    return case


@schemathesis.hook
def before_add_examples(context: HookContext, examples: list[AnyCase]) -> None:
    """The spec's own examples (valid data, which `map_case` does not see) aimed likewise."""
    examples[:] = [_aim(case) for case in examples]
