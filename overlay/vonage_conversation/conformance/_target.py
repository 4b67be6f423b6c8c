"""Which server a conformance run checks, and the credentials it signs requests with."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .._auth import load_private_key
from .._client import ConversationClient
from .._exceptions import ConversationAPIError

# The user the embedded emulator is seeded with; members and user JWTs are made for it.
EMULATOR_USER = "conformance-user"
# Environment variable naming an existing user of a remote server, for the same purpose.
USER_VARIABLE = "VONAGE_CONFORMANCE_USER"


class TargetError(ValueError):
    """The server or its credentials cannot be used; the message says what to give."""


@dataclass(frozen=True)
class Target:
    """A server under test: where it is, and what a request needs to be let in."""

    base_url: str
    application_id: str
    private_key_pem: str = field(repr=False)
    # An existing user's name: created members use it, and `members/me` is asked as it.
    user: str | None
    embedded: bool


@contextmanager
def embedded_target(users: tuple[str, ...] = ()) -> Iterator[Target]:
    """Start the local emulator on a free port for the run's length, with the run's user and
    `users` created."""
    # Imported here: a run against a remote server must not need the emulator's dependencies.
    try:
        from vonage_conversation_emulator.embedded import run_emulator  # noqa: PLC0415
        from vonage_conversation_emulator.seed import SeedUser  # noqa: PLC0415
    except ModuleNotFoundError as error:
        raise TargetError(
            f"the embedded emulator needs {error.name!r}: "
            "pip install 'vonage-conversation[conformance]', or give --url"
        ) from None
    seed = [SeedUser(name=name) for name in (EMULATOR_USER, *users)]
    with run_emulator(seed=seed) as emulator:
        yield Target(
            base_url=emulator.base_url,
            application_id=emulator.application_id,
            private_key_pem=emulator.private_key_pem,
            user=EMULATOR_USER,
            embedded=True,
        )


def remote_target(
    url: str,
    *,
    application_id: str | None,
    private_key: Path | None,
    environ: Mapping[str, str] = os.environ,
) -> Target:
    """A server at url, with credentials from the arguments or else the `VONAGE_*` environment."""
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
    user = environ.get(USER_VARIABLE) or _first_user(url, application_id, pem)
    return Target(
        base_url=url.rstrip("/"),
        application_id=application_id,
        private_key_pem=pem,
        user=user,
        embedded=False,
    )


def _private_key_pem(path: Path | None, environ: Mapping[str, str]) -> str:
    if path is None and environ.get("VONAGE_PRIVATE_KEY"):
        return environ["VONAGE_PRIVATE_KEY"]
    path = path or (
        Path(environ["VONAGE_PRIVATE_KEY_PATH"]) if environ.get("VONAGE_PRIVATE_KEY_PATH") else None
    )
    if path is None:
        raise TargetError(
            "give --private-key, or set VONAGE_PRIVATE_KEY_PATH or VONAGE_PRIVATE_KEY"
        )
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise TargetError(f"cannot read the private key {path}: {error}") from None


def _first_user(url: str, application_id: str, pem: str) -> str | None:
    """The name of some existing user of the server (listed with the v0.2 users list)."""
    try:
        with ConversationClient(
            application_id=application_id, private_key=pem, base_url=url, max_retries=1
        ) as client:
            for user in client.users.list(page_size=1, limit=1):
                return str(user.name)
    except ConversationAPIError:
        return None
    return None
