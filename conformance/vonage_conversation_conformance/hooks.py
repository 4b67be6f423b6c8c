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

The run's settings reach the hooks in one file (`RunSettings.dump`), whose path is given once:
the command names it in the schemathesis process's environment (`environment()`), an
in-process run calls `configure(path)`. What the hooks learn while the run goes (the tokens
they signed, the conversations the first user joined) lives in that run's `HookRun`.
"""

from __future__ import annotations

import itertools
import json
import os
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import schemathesis
from schemathesis import AuthContext, Case, CheckContext, HookContext, Response
from schemathesis.core.parameters import ParameterLocation
from vonage_conversation import JWTAuth

from ._fixture import Fixture
from ._options import USER_TOKEN_OPERATIONS
from ._results import STATEFUL

__all__ = [
    "CUSTOM_CHECKS",
    "SETTINGS_VARIABLE",
    "HookRun",
    "RunSettings",
    "configure",
    "environment",
    "settings",
    "using",
    "valid_token_accepted",
]

# The one variable the command sets for the hooks: the path of the run's settings file.
SETTINGS_VARIABLE = "VONAGE_CONFORMANCE_SETTINGS"
# The operations whose answers the hooks note, or whose bodies they aim.
CREATE_MEMBER = "createMember"
CREATE_CONVERSATION = "createConversation"
CREATE_EVENT = "createEvent"
# The operations whose body may carry a conversation's `properties.ttl`.
TTL_OPERATIONS = frozenset({CREATE_CONVERSATION, "updateConversation"})
MIN_TTL_SECONDS = 86_400
"""The shortest ttl a positive case keeps: an empty conversation is deleted ttl seconds after
it emptied (the API's rule), so a generated ttl of a second would delete the run's own
conversations under it, and `ensure_resource_availability` would call that right answer a
failure. A day outlasts any run; a ttl of 0 or less (none) is kept as generated."""
# Body fields naming another member, by operation: a generated value names nobody.
MEMBER_REFERENCES = {"createMember": "member_id_inviting", "createEvent": "to"}
AnyCase = Case[Any]


@dataclass(frozen=True)
class RunSettings:
    """Who the run signs as (the application, its private key), the run's users (existing users
    to make members of; `members/me` is asked as the first), the fixture valid requests use,
    and the file the conversations the run creates are written to."""

    application_id: str
    private_key_pem: str = field(repr=False)
    users: tuple[str, ...] = ()
    fixture: Fixture | None = None
    created_log: Path | None = None

    @property
    def user(self) -> str | None:
        """The first user: `members/me` is asked as it."""
        return self.users[0] if self.users else None

    def dump(self, path: Path) -> None:
        """Write the settings file the hooks read (only its owner may read it: it holds the
        private key)."""
        data = {
            "application_id": self.application_id,
            "private_key_pem": self.private_key_pem,
            "users": list(self.users),
            "fixture": None if self.fixture is None else self.fixture.as_json(),
            "created_log": None if self.created_log is None else str(self.created_log),
        }
        path.touch(mode=0o600)
        path.write_text(json.dumps(data), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> RunSettings:
        """The settings `dump` wrote; a `RuntimeError` saying what is wrong with the file."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            fixture, created = data.get("fixture"), data.get("created_log")
            return cls(
                application_id=str(data["application_id"]),
                private_key_pem=str(data["private_key_pem"]),
                users=tuple(str(name) for name in data.get("users", ())),
                fixture=None if fixture is None else Fixture.from_json(fixture),
                created_log=None if created is None else Path(created),
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            raise RuntimeError(
                f"conformance hooks: cannot read settings {path}: {error!r}"
            ) from None


class HookRun:
    """One run's hooks state: its settings, and what the hooks learn while it goes."""

    def __init__(self, settings: RunSettings) -> None:
        self.settings = settings
        self.lock = threading.Lock()
        # Every token this process signed a request with: a request bearing one was correctly
        # signed.
        self.issued: set[str] = set()
        # Conversations the first user is a member of, as the server's answers showed.
        self.joined_by_first: set[str] = set()
        self._turns: Iterator[str] | None = None
        self._signers: dict[str | None, JWTAuth] = {}

    def signer(self, sub: str | None) -> JWTAuth:
        """One JWT source per identity: it caches its token and mints a new one before expiry."""
        with self.lock:
            if sub not in self._signers:
                run = self.settings
                self._signers[sub] = JWTAuth(run.application_id, run.private_key_pem, sub=sub)
            return self._signers[sub]

    def member_user(self, conversation_id: object) -> str:
        """Who a new member of the conversation is for: the first user until it is a member,
        then the others in turn (workers share the turn), so that a conversation gets several
        members."""
        users = self.settings.users
        with self.lock:
            if conversation_id not in self.joined_by_first or len(users) == 1:
                return users[0]
            if self._turns is None:
                self._turns = itertools.cycle(users[1:])
            return next(self._turns)


# The run this process serves. Schemathesis calls hooks as module functions, so the hooks
# find their run here; it is made once, from the one settings file.
_current: HookRun | None = None


def configure(path: Path | None) -> None:
    """Serve the run whose settings file is `path` in this process (None: forget it, and read
    the path from `SETTINGS_VARIABLE` on first use)."""
    global _current  # noqa: PLW0603 - hooks are module-level by schemathesis's design
    _current = None if path is None else HookRun(RunSettings.load(path))


@contextmanager
def using(path: Path | None) -> Iterator[None]:
    """The run of the settings file `path` for a `with` block, then whatever it was before."""
    global _current  # noqa: PLW0603 - see configure()
    previous = _current
    configure(path)
    try:
        yield
    finally:
        _current = previous


def environment(settings_file: Path) -> dict[str, str]:
    """The variables a schemathesis process needs to load these hooks for the run whose
    settings file is `settings_file`."""
    return {"SCHEMATHESIS_HOOKS": __name__, SETTINGS_VARIABLE: str(settings_file)}


def current() -> HookRun:
    """The run this process serves: as configured, else from the file the command named."""
    global _current  # noqa: PLW0603 - see configure()
    if _current is None:
        path = os.environ.get(SETTINGS_VARIABLE)
        if not path:
            raise RuntimeError(f"conformance hooks: {SETTINGS_VARIABLE} is not set")
        _current = HookRun(RunSettings.load(Path(path)))
    return _current


def settings() -> RunSettings:
    """This run's settings."""
    return current().settings


def operation_id(case: AnyCase) -> str | None:
    raw: Mapping[str, Any] = case.operation.definition.raw
    found = raw.get("operationId")
    return found if isinstance(found, str) else None


@schemathesis.auth(refresh_interval=None)  # JWTAuth caches and renews the token itself
class VonageJWT:
    """An application JWT for every operation, a user JWT where the operation needs one."""

    def get(self, case: AnyCase, context: AuthContext) -> str:
        run = current()
        user = run.settings.user if operation_id(case) in USER_TOKEN_OPERATIONS else None
        token = run.signer(user).token()
        with run.lock:
            run.issued.add(token)
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
    run = current()
    with run.lock:
        ours = token in run.issued
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


@schemathesis.hook
def after_call(context: HookContext, case: AnyCase, response: Response) -> None:
    """Note each conversation the first user has become a member of (or already was), and each
    conversation the run created."""
    run = current()
    operation = operation_id(case)
    if operation == CREATE_CONVERSATION and response.status_code in (200, 201):
        _note_created(run, response)
        return
    body, users = case.body, run.settings.users
    if operation != CREATE_MEMBER or not users or not isinstance(body, dict):
        return
    conversation_id = (case.path_parameters or {}).get("conversation_id")
    joined = body.get("user") == {"name": users[0]} and response.status_code in (201, 409)
    if joined and isinstance(conversation_id, str):
        with run.lock:
            run.joined_by_first.add(conversation_id)


def _note_created(run: HookRun, response: Response) -> None:
    log = run.settings.created_log
    if log is None:
        return
    try:
        created = response.json()
    except ValueError:
        return
    if isinstance(created, dict) and isinstance(created.get("id"), str):
        with run.lock, log.open("a", encoding="utf-8") as written:
            written.write(created["id"] + "\n")


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
    run = current()
    operation, users = operation_id(case), run.settings.users
    fixture = run.settings.fixture
    if fixture is not None and not _is_stateful(case):
        _aim_at_fixture(case, operation, fixture)
    body = case.body
    if not isinstance(body, dict):
        return case
    if operation in TTL_OPERATIONS:
        body = _lasting(body)
    reference = MEMBER_REFERENCES.get(operation or "")
    if reference in body:
        body = {key: value for key, value in body.items() if key != reference}
    if users and operation == CREATE_MEMBER and "user" in body:
        conversation_id = (case.path_parameters or {}).get("conversation_id")
        body = {**body, "user": {"name": run.member_user(conversation_id)}}
        if _is_stateful(case):
            body["state"] = "joined"
    case.body = body
    return case


def _lasting(body: dict[str, Any]) -> dict[str, Any]:
    """``body`` with a positive ``properties.ttl`` of at least `MIN_TTL_SECONDS`."""
    properties = body.get("properties")
    if not isinstance(properties, dict):
        return body
    ttl = properties.get("ttl")
    if isinstance(ttl, bool) or not isinstance(ttl, (int, float)) or not 0 < ttl < MIN_TTL_SECONDS:
        return body
    return {**body, "properties": {**properties, "ttl": MIN_TTL_SECONDS}}


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
    fixture = settings().fixture
    if fixture is not None and not _is_stateful(case) and _valid_path(case):
        _aim_at_fixture(case, operation_id(case), fixture, sender=False)
    return case


@schemathesis.hook
def before_add_examples(context: HookContext, examples: list[AnyCase]) -> None:
    """The spec's own examples (valid data, which `map_case` does not see) aimed likewise."""
    examples[:] = [_aim(case) for case in examples]
