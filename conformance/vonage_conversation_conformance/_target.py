"""Which server a conformance run checks, the credentials it signs requests with, and how the
report names it and its tokens."""

from __future__ import annotations

import os
import secrets
import shlex
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, cast

from rich.console import Console
from vonage_conversation import ConversationAPIError, ConversationClient, load_private_key

from ._options import USER_TOKEN_OPERATIONS, Options, operation_labelled
from ._preflight import preflight
from ._results import Failure
from .callbacks._embedded import embedded_emulator_delivers
from .callbacks._run import signature_secret

# The users the embedded emulator is seeded with: members are made for them in turn, and
# `members/me` is asked as the first.
EMULATOR_USERS = tuple(f"conformance-user-{number}" for number in range(1, 6))
# Environment variable naming existing users of a remote server (comma-separated), likewise.
USER_VARIABLE = "VONAGE_CONFORMANCE_USER"
# How many of a remote server's users a run takes when it is not told which.
LISTED_USERS = 5


class TargetError(ValueError):
    """The server or its credentials cannot be used; the message says what to give."""


@dataclass(frozen=True)
class Target:
    """A server under test: where it is, and what a request needs to be let in."""

    base_url: str
    application_id: str
    private_key_pem: str = field(repr=False)
    # Existing users' names: created members use them, `members/me` is asked as the first.
    users: tuple[str, ...]
    embedded: bool
    # The secret its deliveries are signed with, where the run knows it (the embedded emulator).
    signature_secret: str | None = field(default=None, repr=False)
    # What its preflight found wrong, failures of the run whatever its phases.
    refusals: tuple[Failure, ...] = ()


@contextmanager
def embedded_target(
    users: tuple[str, ...] = (), signature_secret: str | None = None
) -> Iterator[Target]:
    """Start the local emulator on a free port for the run's length, with the run's user and
    `users` created, signing its deliveries with `signature_secret` (a fresh one by default)."""
    # Imported here: a run against a remote server must not need the emulator's dependencies.
    try:
        from vonage_conversation_emulator.embedded import run_emulator  # noqa: PLC0415
        from vonage_conversation_emulator.seed import SeedUser  # noqa: PLC0415
    except ModuleNotFoundError as error:
        raise TargetError(
            f"the embedded emulator needs {error.name!r}: "
            "pip install 'vonage-conversation[conformance]', or give --url"
        ) from None
    seed = [SeedUser(name=name) for name in (*EMULATOR_USERS, *users)]
    secret = signature_secret or secrets.token_urlsafe(24)
    # An emulator from before delivery takes no secret (`embedded_emulator_delivers`); once
    # every one does, this is `run_emulator(seed=seed, signature_secret=secret)`.
    signing = {"signature_secret": secret} if embedded_emulator_delivers() else {}
    with cast(Any, run_emulator)(seed=seed, **signing) as emulator:
        yield Target(
            base_url=emulator.base_url,
            application_id=emulator.application_id,
            private_key_pem=emulator.private_key_pem,
            users=EMULATOR_USERS,
            embedded=True,
            signature_secret=secret if signing else None,
        )


def remote_target(
    url: str,
    *,
    application_id: str | None,
    private_key: Path | None,
    environ: Mapping[str, str] = os.environ,
) -> Target:
    """A server at url, with credentials from the arguments or else the `VONAGE_*` environment.
    Its users are named by `VONAGE_CONFORMANCE_USER`, or found later (`with_listed_users`)."""
    if not url.startswith(("http://", "https://")):
        raise TargetError(f"--url must be an http(s) URL, not {url!r}")
    application_id = application_id or environ.get("VONAGE_APPLICATION_ID")
    if not application_id:
        raise TargetError("give --application-id, or set VONAGE_APPLICATION_ID")
    pem = _private_key_pem(private_key, environ)
    try:
        load_private_key(pem)
    except ValueError as error:
        raise TargetError(f"the private key cannot be used: {error}") from None
    named = tuple(
        name.strip() for name in environ.get(USER_VARIABLE, "").split(",") if name.strip()
    )
    return Target(
        base_url=url.rstrip("/"),
        application_id=application_id,
        private_key_pem=pem,
        users=named,
        embedded=False,
    )


def _private_key_pem(path: Path | None, environ: Mapping[str, str]) -> str:
    if path is None and environ.get("VONAGE_PRIVATE_KEY"):
        return environ["VONAGE_PRIVATE_KEY"].replace("\\n", "\n")
    path = path or (
        Path(environ["VONAGE_PRIVATE_KEY_PATH"]) if environ.get("VONAGE_PRIVATE_KEY_PATH") else None
    )
    if path is None:
        raise TargetError(
            "give --private-key, or set VONAGE_PRIVATE_KEY_PATH or VONAGE_PRIVATE_KEY"
        )
    try:
        return path.expanduser().read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise TargetError(f"cannot read the private key {path}: {error}") from None


def with_listed_users(target: Target) -> Target:
    """The target with users to make members of: those it names, else the first few the server
    lists (`GET /v0.2/users`). No users at all is a `TargetError`: members cannot be made."""
    if target.users:
        return target
    try:
        with ConversationClient(
            application_id=target.application_id,
            private_key=target.private_key_pem,
            base_url=target.base_url,
            max_retries=1,
        ) as client:
            listed = client.users.list(page_size=LISTED_USERS, limit=LISTED_USERS)
            users = tuple(str(user.name) for user in listed)
    except ConversationAPIError as error:
        raise TargetError(
            f"cannot list the server's users to make members of ({error}): "
            f"set {USER_VARIABLE}=name[,name...] to existing users"
        ) from None
    if not users:
        raise TargetError(
            f"the server has no users to make members of: create one, and set {USER_VARIABLE}"
        )
    return replace(target, users=users)


@contextmanager
def open_target(
    options: Options, *, users: tuple[str, ...] = (), environ: Mapping[str, str] = os.environ
) -> Iterator[Target]:
    """The server options name, for the length of a `with` block: the embedded emulator (with
    `users` created too) when there is no URL."""
    if options.url is None:
        with embedded_target(users, signature_secret(options, environ)) as target:
            yield target
    else:
        yield remote_target(
            options.url,
            application_id=options.application_id,
            private_key=options.private_key,
            environ=environ,
        )


def describe(target: Target) -> str:
    """How the report names the server checked."""
    return "the embedded emulator" if target.embedded else target.base_url


@contextmanager
def ready_target(
    options: Options,
    out: Console,
    *,
    users: tuple[str, ...] = (),
    environ: Mapping[str, str] = os.environ,
) -> Iterator[Target]:
    """The server options name, preflighted and with its users, for a `with` block (the
    embedded emulator, with `users` created too, when there is no URL)."""
    with open_target(options, users=users, environ=environ) as target:
        out.print(f"checking {describe(target)}")
        passed = preflight(target.base_url, target.application_id, target.private_key_pem)
        out.print(f"preflight: {passed.describe()}", soft_wrap=True)
        yield replace(with_listed_users(target), refusals=passed.failures())


def token_command(options: Options, target: Target) -> Callable[[str, str | None], str]:
    """The command that prints a token for an operation's requests, for reproductions: as
    `sub` where the request's user is known, else as the run's first user where the operation
    needs a user."""
    parts = ["vonage-conversation", "token"]
    if options.application_id:
        parts += ["--application-id", options.application_id]
    if options.private_key:
        parts += ["--private-key", str(options.private_key)]

    def command(label: str, sub: str | None = None) -> str:
        found = operation_labelled(label)
        as_user = found is not None and found.operation_id in USER_TOKEN_OPERATIONS
        user = sub or (target.users[0] if as_user and target.users else None)
        return shlex.join([*parts, *(["--sub", user] if user else [])])

    return command
