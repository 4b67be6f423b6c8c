"""What a run checks, from its options: the operations, checks and phases they select."""

from __future__ import annotations

from dataclasses import dataclass, replace

from ._options import (
    SCHEMATHESIS_PHASES,
    Operation,
    OptionError,
    Options,
    check_phases,
    schemathesis_checks,
    select_checks,
    select_operations,
    spec_operations,
)
from .callbacks import CALLBACK_CHECK_NAMES
from .callbacks import PHASE as CALLBACKS
from .semantic import PHASE as SEMANTIC
from .semantic import SEMANTIC_CHECKS

__all__ = ["Plan", "shard_of"]


def shard_of(
    operations: tuple[Operation, ...], shard: tuple[int, int] | None
) -> tuple[Operation, ...]:
    """The `shard` (I, N) of `operations`: every N-th one, from the I-th, in the spec's order.

    Dealt round-robin, so that N shards of the same selection hold every operation exactly once,
    their sizes differing by one at most; more shards than operations is an `OptionError`.
    """
    if shard is None:
        return operations
    index, count = shard
    if not 1 <= index <= count:
        raise OptionError(f"--shard {index}/{count}: I must be 1 to {count}")
    if count > len(operations):  # some shard would be empty: refused on every machine alike
        raise OptionError(
            f"--shard {index}/{count} leaves shards with no operation: the selection has "
            f"{len(operations)}, so N may be at most {len(operations)}"
        )
    return operations[index - 1 :: count]


@dataclass(frozen=True)
class Plan:
    """What a run checks, from its options: the operations, checks and phases they select."""

    options: Options
    operations: tuple[Operation, ...]
    checks: tuple[str, ...]

    @classmethod
    def of(cls, options: Options) -> Plan:
        """The plan for `options`; an `OptionError` if they select nothing or name unknowns."""
        phases = check_phases(options.phases)
        operations = shard_of(select_operations(options), options.shard)
        return cls(replace(options, phases=phases), operations, select_checks(options))

    @property
    def filtered(self) -> bool:
        """Whether some operations are left out (schemathesis is then told which to run)."""
        return len(self.operations) != len(spec_operations())

    @property
    def labels(self) -> tuple[str, ...]:
        """The selected operations as the report names them, in the spec's order."""
        return tuple(operation.label for operation in self.operations)

    @property
    def schemathesis_checks(self) -> tuple[str, ...]:
        """The selected checks schemathesis runs."""
        return tuple(name for name in self.checks if name in schemathesis_checks())

    @property
    def semantic_checks(self) -> tuple[str, ...]:
        """The selected semantic checks."""
        return tuple(name for name in self.checks if name in SEMANTIC_CHECKS)

    @property
    def schemathesis_phases(self) -> tuple[str, ...]:
        """The selected phases schemathesis runs (none if none of its checks is selected)."""
        if not self.schemathesis_checks:
            return ()
        return tuple(phase for phase in self.options.phases if phase in SCHEMATHESIS_PHASES)

    @property
    def semantic(self) -> bool:
        """Whether the semantic phase runs."""
        return SEMANTIC in self.options.phases and bool(self.semantic_checks)

    @property
    def callback_checks(self) -> tuple[str, ...]:
        """The selected checks of the callbacks phase."""
        return tuple(name for name in self.checks if name in CALLBACK_CHECK_NAMES)

    @property
    def callbacks(self) -> bool:
        """Whether the callbacks phase runs."""
        return CALLBACKS in self.options.phases and bool(self.callback_checks)
