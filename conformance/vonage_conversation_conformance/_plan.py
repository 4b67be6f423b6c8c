"""What a run checks, from its options: the operations, checks and phases they select."""

from __future__ import annotations

from dataclasses import dataclass, replace

from ._options import (
    SCHEMATHESIS_PHASES,
    Operation,
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

__all__ = ["Plan"]


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
        return cls(
            replace(options, phases=phases), select_operations(options), select_checks(options)
        )

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
