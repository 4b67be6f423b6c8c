"""What a normalisation rule is: a named fix for one fault found in the sources."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from .oas import Node

Source = Literal["v0.2", "v0.3", "both", "merged"]


@dataclass
class Specs:
    """The documents a rule may read and change: both sources, and the merged spec.

    `warnings` collects what a rule decided on its own where the sources left it open (a
    derived operationId, a derived schema name): `scripts/regenerate.py` prints each, so that
    a person sees the choice and can override it where the warning says.
    """

    v03: Node
    v02: Node
    merged: Node = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def skip(self, entry: str, gone: object) -> None:
        """Note that what entry (a data entry, a part of a rule) is about is gone from the
        sources (gone says what is missing): the entry is skipped, and everything else goes on.
        The pipeline stops only where a person must choose, and a vanished target leaves no
        choice: the entry has nothing to apply to."""
        self.warnings.append(f"{entry}: {gone}: skipped (its target is gone from the sources)")


@dataclass(frozen=True)
class Rule:
    """One normalisation rule; its id names its entry in openapi/NORMALISATION.md."""

    id: str
    source: Source
    fault: str
    fix: Callable[[Specs], None]
    #: The data it applies: tables of openapi/tables.yaml, and `overlay` for its actions of
    #: openapi/overlay.yaml.
    data: tuple[str, ...] = ()

    @property
    def action(self) -> str:
        """What the rule does: its function's docstring."""
        return inspect.getdoc(self.fix) or ""

    def __call__(self, specs: Specs) -> None:
        self.fix(specs)


def rule(
    rule_id: str, *, source: Source, fault: str, data: tuple[str, ...] = ()
) -> Callable[[Callable[[Specs], None]], Rule]:
    """Declare a function as the rule rule_id, fixing fault in source, applying data (the
    tables of openapi/tables.yaml it reads, and `overlay` if it applies overlay actions)."""

    def declare(fix: Callable[[Specs], None]) -> Rule:
        return Rule(id=rule_id, source=source, fault=fault, fix=fix, data=data)

    return declare
