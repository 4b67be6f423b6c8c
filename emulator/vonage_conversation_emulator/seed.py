"""Users created at start-up: ``--seed USERS.json`` holds ``[{"name": "alice",
"display_name": "Alice"}, ...]``; a name that exists already is left as it is. Users belong
to an application: every application the emulator serves starts with the seed users."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .clock import Clock, format_timestamp, system_clock
from .handlers import create_user
from .storage import Store, UserRecord

__all__ = ["SeedUser", "read_seed_file", "seed_users"]


@dataclass(frozen=True)
class SeedUser:
    """A user to create at start-up."""

    name: str
    display_name: str | None = None


def read_seed_file(path: str | Path) -> list[SeedUser]:
    """The users listed in a seed file; ValueError naming the problem if it is malformed."""
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise ValueError(f"{path}: not JSON ({error})") from None
    if not isinstance(document, list):
        raise ValueError(f"{path}: expected a JSON list of users")
    users = []
    for index, entry in enumerate(document):
        name = entry.get("name") if isinstance(entry, dict) else None
        display_name = entry.get("display_name") if isinstance(entry, dict) else None
        if not isinstance(name, str) or not name or len(name) > 100:
            raise ValueError(f"{path}: [{index}].name must be a string of 1 to 100 characters")
        if display_name is not None and not isinstance(display_name, str):
            raise ValueError(f"{path}: [{index}].display_name must be a string")
        users.append(SeedUser(name, display_name))
    return users


def seed_users(
    store: Store, users: Iterable[SeedUser], clock: Clock = system_clock, *, application: str
) -> list[UserRecord]:
    """Create the users whose names are new in ``application`` (in one transaction, at
    ``clock``'s time); answers every seeded user."""
    seeded = []
    with store.transaction(write=True, application=application) as tx:
        for user in users:
            existing = tx.get(UserRecord, name=user.name)
            if existing is None:
                existing = create_user(tx, user.name, user.display_name, format_timestamp(clock()))
            seeded.append(existing)
    return seeded
