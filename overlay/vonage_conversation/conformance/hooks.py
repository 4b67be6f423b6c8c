"""Schemathesis hooks for a conformance run, loaded by the schemathesis CLI (`SCHEMATHESIS_HOOKS`).

Two jobs:
- sign every generated request with a Vonage JWT, minted by the client's own `JWTAuth`: an
  application JWT, or for `members/me` a user JWT (`sub` = the run's user);
- keep generated data to what a server can act on without a human in the loop. A schema says
  which requests are well formed, not which users, members or cursors exist, so in requests
  that should succeed: a member is created for the run's user (a random name would only meet
  "404 no such user"); made-up references to other members (`member_id_inviting`, an event's
  `to`) are left out; and so is a made-up `cursor` (only a server's own links carry cursors).
  Negative (schema-invalid) requests are left exactly as generated.

The command passes the run's identity to the schemathesis process in the environment (see
`environment()`); an in-process run calls `configure()` instead.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import schemathesis
from schemathesis import AuthContext, Case, HookContext

from .._auth import JWTAuth

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
    """Who the run signs as: the application, its private key, and the run's user."""

    application_id: str
    private_key: Path | str = field(repr=False)
    user: str | None = None


_configured: RunSettings | None = None


def configure(settings: RunSettings) -> None:
    """Set the run's identity in this process (the in-process pytest run does this)."""
    global _configured  # noqa: PLW0603 - hooks are module-level by schemathesis's design
    _configured = settings
    _signer.cache_clear()


def environment(application_id: str, private_key_path: Path, user: str | None) -> dict[str, str]:
    """The variables that configure this module in the process that will load it."""
    variables = {
        "SCHEMATHESIS_HOOKS": __name__,
        APPLICATION_ID: application_id,
        PRIVATE_KEY_PATH: str(private_key_path),
    }
    if user:
        variables[USER] = user
    return variables


def settings() -> RunSettings:
    """This run's identity: as configured, else from the environment the command set."""
    if _configured is not None:
        return _configured
    try:
        return RunSettings(
            application_id=os.environ[APPLICATION_ID],
            private_key=Path(os.environ[PRIVATE_KEY_PATH]),
            user=os.environ.get(USER) or None,
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
    return meta is not None and meta.generation.mode.is_positive


@schemathesis.hook
def map_case(context: HookContext, case: AnyCase) -> AnyCase:
    """In positive cases: members for the run's user, no made-up references or cursors."""
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
    user = settings().user
    if user and operation == CREATE_MEMBER and "user" in body:
        body = {**body, "user": {"name": user}}
    case.body = body
    return case
