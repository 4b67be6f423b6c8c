"""Schemathesis hooks for a conformance run, loaded by the schemathesis CLI (`SCHEMATHESIS_HOOKS`).

Two jobs:
- sign every generated request with a Vonage JWT, minted by the client's own `JWTAuth`: an
  application JWT, or for `members/me` a user JWT (`sub` = the run's first user);
- keep generated data to what a server can act on without a human in the loop. A schema says
  which requests are well formed, not which users, members or cursors exist, so in requests
  that should succeed: a member is created for one of the run's users (a random name would
  only meet "404 no such user"): the first user until it is a member of the conversation (so
  that `members/me`, asked as the first user, finds a member wherever one was created), the
  others in turn after that; in the stateful phase, that member joins (only a joined member
  sends events, so an invited one would end the chain create -> member -> event -> read and
  delete; the stateless phases still invite); made-up references to other members
  (`member_id_inviting`, an event's `to`) are left out; and so is a made-up `cursor` (only a
  server's own links carry cursors).
  Negative (schema-invalid) requests are left exactly as generated.

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
from schemathesis import AuthContext, Case, HookContext, Response
from vonage_conversation import JWTAuth

from ._results import STATEFUL

APPLICATION_ID = "VONAGE_APPLICATION_ID"
PRIVATE_KEY_PATH = "VONAGE_PRIVATE_KEY_PATH"
USER = "VONAGE_CONFORMANCE_USER"
# The operations whose token must name a user, and the one that creates members.
USER_TOKEN_OPERATIONS = frozenset({"getMyMember"})
CREATE_MEMBER = "createMember"
# Body fields naming another member, by operation: a generated value names nobody.
MEMBER_REFERENCES = {"createMember": "member_id_inviting", "createEvent": "to"}
AnyCase = Case[Any]


@dataclass(frozen=True)
class RunSettings:
    """Who the run signs as: the application, its private key, and the run's users (existing
    users to make members of; `members/me` is asked as the first)."""

    application_id: str
    private_key: Path | str = field(repr=False)
    users: tuple[str, ...] = ()

    @property
    def user(self) -> str | None:
        return self.users[0] if self.users else None


_configured: RunSettings | None = None
_turns: Iterator[str] | None = None
# Conversations the first user is a member of, as the server's answers showed.
_joined_by_first: set[str] = set()
_turns_lock = threading.Lock()


def configure(settings: RunSettings | None) -> None:
    """Set the run's identity in this process (the in-process pytest run does this); None
    goes back to reading it from the environment."""
    global _configured, _turns  # noqa: PLW0603 - hooks are module-level by schemathesis's design
    _configured = settings
    _turns = None
    _joined_by_first.clear()
    _signer.cache_clear()


@contextmanager
def using(settings: RunSettings | None) -> Iterator[None]:
    """The run's identity for a `with` block, then whatever it was before."""
    previous = _configured
    configure(settings)
    try:
        yield
    finally:
        configure(previous)


def environment(
    application_id: str, private_key_path: Path, users: tuple[str, ...]
) -> dict[str, str]:
    """The variables that configure this module in the process that will load it."""
    variables = {
        "SCHEMATHESIS_HOOKS": __name__,
        APPLICATION_ID: application_id,
        PRIVATE_KEY_PATH: str(private_key_path),
    }
    if users:
        variables[USER] = ",".join(users)
    return variables


def settings() -> RunSettings:
    """This run's identity: as configured, else from the environment the command set."""
    if _configured is not None:
        return _configured
    try:
        return RunSettings(
            application_id=os.environ[APPLICATION_ID],
            private_key=Path(os.environ[PRIVATE_KEY_PATH]),
            users=tuple(name for name in os.environ.get(USER, "").split(",") if name),
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
        return _signer(user).token()

    def set(self, case: AnyCase, data: str, context: AuthContext) -> None:
        case.headers["Authorization"] = f"Bearer {data}"


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
    with _turns_lock:
        if conversation_id not in _joined_by_first or len(users) == 1:
            return users[0]
        if _turns is None:
            _turns = itertools.cycle(users[1:])
        return next(_turns)


@schemathesis.hook
def after_call(context: HookContext, case: AnyCase, response: Response) -> None:
    """Note each conversation the first user has become a member of (or already was)."""
    users = settings().users
    body = case.body
    if operation_id(case) != CREATE_MEMBER or not users or not isinstance(body, dict):
        return
    conversation_id = (case.path_parameters or {}).get("conversation_id")
    joined = body.get("user") == {"name": users[0]} and response.status_code in (201, 409)
    if joined and isinstance(conversation_id, str):
        with _turns_lock:
            _joined_by_first.add(conversation_id)


@schemathesis.hook
def map_case(context: HookContext, case: AnyCase) -> AnyCase:
    """In positive cases: members for the run's users (joining, in the stateful phase), no
    made-up references or cursors."""
    if not _is_positive(case):
        return case
    if case.query and "cursor" in case.query:
        case.query = {key: value for key, value in case.query.items() if key != "cursor"}
    operation = operation_id(case)
    body = case.body
    if not isinstance(body, dict):
        return case
    reference = MEMBER_REFERENCES.get(operation or "")
    if reference in body:
        body = {key: value for key, value in body.items() if key != reference}
    users = settings().users
    if users and operation == CREATE_MEMBER and "user" in body:
        conversation_id = (case.path_parameters or {}).get("conversation_id")
        body = {**body, "user": {"name": _member_user(users, conversation_id)}}
        if _is_stateful(case):
            body["state"] = "joined"
    case.body = body
    return case
