"""How a run is asked for: `Options`, and what they select in the spec (operations, phases,
checks), checked before anything starts so that a typo is a clear error, not an empty run."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import quote

from vonage_conversation_spec import load_json, operation_items

__all__ = [
    "PHASES",
    "SCHEMATHESIS_PHASES",
    "STATELESS_PHASES",
    "USER_TOKEN_OPERATIONS",
    "Operation",
    "OptionError",
    "Options",
    "available_checks",
    "operation",
    "operation_labelled",
    "schemathesis_checks",
    "select_checks",
    "select_operations",
    "spec_operations",
]

STATELESS_PHASES = ("examples", "coverage", "fuzzing")
# Schemathesis's phases: stateless first (every operation, every check), then stateful.
SCHEMATHESIS_PHASES = (*STATELESS_PHASES, "stateful")
# Then this package's own: the API's rules as its sources state them, and its callbacks.
PHASES = (*SCHEMATHESIS_PHASES, "semantic", "callbacks")
# A path template's parameter: `{conversation_id}`.
_PATH_PARAMETER = re.compile(r"\{(\w+)\}")
# The operations whose requests are signed as a user (`sub`: the run's first user), not as the
# application alone.
USER_TOKEN_OPERATIONS = frozenset({"getMyMember"})


class OptionError(ValueError):
    """Options that select nothing, or name what does not exist; the message says which."""


@dataclass(frozen=True)
class Options:
    """How to run: against what, how hard, what to select, and where to write the report."""

    url: str | None = None
    application_id: str | None = None
    private_key: Path | None = None
    max_examples: int = 100
    workers: int = 1
    seed: int | None = None
    junit_xml: Path | None = None
    phases: tuple[str, ...] = PHASES
    rate_limit: str | None = None
    request_timeout: float | None = None
    max_failures: int | None = None
    checks: tuple[str, ...] = ()  # empty: every check
    exclude_checks: tuple[str, ...] = ()
    operation_ids: tuple[str, ...] = ()
    paths: tuple[str, ...] = ()
    exclude_operation_ids: tuple[str, ...] = ()
    exclude_paths: tuple[str, ...] = ()
    verbose: bool = False
    # The callbacks phase: the public URL of its receiver, the address that URL is forwarded
    # to (both None: a loopback receiver), and the secret deliveries are signed with.
    callback_url: str | None = None
    callback_listen: tuple[str, int] | None = None
    signature_secret: str | None = field(default=None, repr=False)
    # A time budget for the whole run, in seconds (None: none).
    max_time: float | None = None
    # This machine's part of the operations, (I, N): the I-th of N shards (None: all of them).
    shard: tuple[int, int] | None = None
    html: Path | None = None  # where to write the HTML report


@dataclass(frozen=True)
class Operation:
    """One operation of the spec."""

    operation_id: str
    method: str
    path: str

    @property
    def label(self) -> str:
        """How schemathesis and the report name it: ``GET /v0.3/conversations``."""
        return f"{self.method} {self.path}"

    def path_for(self, ids: Mapping[str, object]) -> str:
        """Its path with `ids` in it (each quoted): ``/v0.3/legs/LEG-1`` for ``leg_id``."""
        names = _PATH_PARAMETER.findall(self.path)
        missing = [name for name in names if name not in ids]
        if missing:
            raise KeyError(f"{self.operation_id} needs {', '.join(missing)} in its path")
        return _PATH_PARAMETER.sub(
            lambda found: quote(str(ids[found.group(1)]), safe=""), self.path
        )


@cache
def _spec() -> dict[str, Any]:
    return load_json(resources.files("vonage_conversation_api") / "openapi.json")


def spec_operations() -> tuple[Operation, ...]:
    """Every operation of the shipped spec, in its order."""
    return tuple(
        Operation(str(operation["operationId"]), method.upper(), path)
        for path, method, operation in operation_items(_spec())
    )


@cache
def _by_id() -> dict[str, Operation]:
    return {found.operation_id: found for found in spec_operations()}


def operation(operation_id: str) -> Operation:
    """The spec's operation of that operationId (a `KeyError` naming it if there is none)."""
    try:
        return _by_id()[operation_id]
    except KeyError:
        raise KeyError(f"no operationId {operation_id!r} in the spec") from None


def operation_labelled(label: str) -> Operation | None:
    """The spec's operation the report names `label` (``GET /v0.3/legs``), if there is one."""
    return next((found for found in spec_operations() if found.label == label), None)


def _unknown(
    kind: str, given: Iterable[str], known: Iterable[str], where: str = "in the spec"
) -> None:
    known = list(known)
    missing = [name for name in given if name not in known]
    if missing:
        raise OptionError(
            f"no {kind} {', '.join(map(repr, missing))} {where}; known: {', '.join(known)}"
        )


def select_operations(options: Options) -> tuple[Operation, ...]:
    """The operations a run checks: those named by operationId or path (all when none is),
    less those excluded. Names that match nothing are an `OptionError`."""
    operations = spec_operations()
    ids = [operation.operation_id for operation in operations]
    paths = list(dict.fromkeys(operation.path for operation in operations))
    _unknown("operationId", (*options.operation_ids, *options.exclude_operation_ids), ids)
    _unknown("path", (*options.paths, *options.exclude_paths), paths)
    included = bool(options.operation_ids or options.paths)
    selected = tuple(
        operation
        for operation in operations
        if (
            not included
            or operation.operation_id in options.operation_ids
            or operation.path in options.paths
        )
        and operation.operation_id not in options.exclude_operation_ids
        and operation.path not in options.exclude_paths
    )
    if not selected:
        raise OptionError("the operation filters leave no operation to check")
    return selected


def check_phases(phases: Sequence[str]) -> tuple[str, ...]:
    """The phases asked for, in the order they run; unknown names are an `OptionError`."""
    _unknown("phase", phases, PHASES, "to run")
    if not phases:
        raise OptionError("--phases names no phase")
    return tuple(phase for phase in PHASES if phase in phases)


@cache
def schemathesis_checks() -> tuple[str, ...]:
    """The checks schemathesis runs: its own and those this package registers with it."""
    from schemathesis.checks import CHECKS, load_all_checks  # noqa: PLC0415 - heavy import

    from . import hooks  # noqa: PLC0415 - registers this package's checks

    load_all_checks()
    return tuple(sorted(set(CHECKS.get_all_names()) | set(hooks.CUSTOM_CHECKS)))


def available_checks() -> tuple[str, ...]:
    """Every check a run can select: schemathesis's, the semantic ones, the callbacks ones."""
    from .callbacks import CALLBACK_CHECK_NAMES  # noqa: PLC0415 - imports the client
    from .semantic import SEMANTIC_CHECKS  # noqa: PLC0415 - imports the client

    return (*schemathesis_checks(), *SEMANTIC_CHECKS, *CALLBACK_CHECK_NAMES)


def select_checks(options: Options) -> tuple[str, ...]:
    """The checks a run applies: those named (all when none is), less those excluded."""
    known = available_checks()
    _unknown("check", (*options.checks, *options.exclude_checks), known, "to run")
    chosen = options.checks or known
    selected = tuple(name for name in chosen if name not in options.exclude_checks)
    if not selected:
        raise OptionError("the check filters leave no check to run")
    return selected
