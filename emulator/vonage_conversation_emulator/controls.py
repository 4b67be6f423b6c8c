"""What the admin routes act on besides the store: the clocks, the faults, the seed users.

The app builds one `Controls` and hands it to every handler in ``Context.controls``; only the
emulator's own routes (``handlers.admin``) use it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .clock import ApplicationClocks
from .faults import FaultTable

if TYPE_CHECKING:
    # seed imports the handlers, which take this module's type only: no import cycle at run time.
    from .seed import SeedUser

__all__ = ["Controls"]


def _nothing() -> None:
    return None


@dataclass(frozen=True)
class Controls:
    """The emulator's controls, shared by every request."""

    clocks: ApplicationClocks
    """Every application's clock (``/_emulator/clock``; reset puts it back on the base)."""
    faults: FaultTable
    """Every application's faults (``/_emulator/faults``; reset clears them)."""
    operations: frozenset[str]
    """The API's operationIds: what a fault may name (the emulator's own are not among them)."""
    seed: tuple[SeedUser, ...] = ()
    """The users the emulator started with: a reset creates them again."""
    forget_sessions: Callable[[], None] = field(default=_nothing)
    """Forgets which user JWTs the app has recorded sessions of, once a reset or a restore has
    replaced the sessions table (so the next call with one records it again)."""
