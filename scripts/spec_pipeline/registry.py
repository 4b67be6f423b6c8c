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


@dataclass(frozen=True)
class Rule:
    """One normalisation rule; its id names its entry in openapi/NORMALISATION.md."""

    id: str
    source: Source
    fault: str
    fix: Callable[[Specs], None]

    @property
    def action(self) -> str:
        """What the rule does: its function's docstring."""
        return inspect.getdoc(self.fix) or ""

    def __call__(self, specs: Specs) -> None:
        self.fix(specs)


def rule(rule_id: str, *, source: Source, fault: str) -> Callable[[Callable[[Specs], None]], Rule]:
    """Declare a function as the rule rule_id, fixing fault in source."""

    def declare(fix: Callable[[Specs], None]) -> Rule:
        return Rule(id=rule_id, source=source, fault=fault, fix=fix)

    return declare
