"""What a semantic check is, and the registry of them all.

A check is a function of the run's `Context` and, for the paging checks, one list operation
(a `Listing`); it returns when the server kept the rule, raises `Violation` (with the answer
that shows it and the sentence of the sources it breaks) when it did not, and `Skipped` when the
server holds too little data to tell. Registered by name, selectable with `--checks` like
schemathesis's own, and reported under its operation, named by operationId (the report's label,
``POST /v0.3/conversations``, is the spec's).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .._api import Answer
from .._options import operation as spec_operation
from ._sources import Source

__all__ = ["CHECKS", "SemanticCheck", "Skipped", "Violation", "semantic_check"]


class Violation(Exception):  # noqa: N818 - what a check finds, as schemathesis calls it
    """The server broke the rule: what it did, the answer that shows it, the sentence broken."""

    def __init__(
        self,
        message: str,
        source: Source,
        answer: Answer | None = None,
        *,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.source = source
        self.answer = answer
        self.field = field  # what is at fault, where one field is: `display_name`


class Skipped(Exception):  # noqa: N818 - a verdict, not an error
    """The check cannot tell: the server holds too little of what it needs."""


@dataclass(frozen=True)
class SemanticCheck:
    """A rule of the API, as the sources state it, and how to check it on a server."""

    name: str
    title: str
    sources: tuple[Source, ...]
    # The operationId it is reported under; None for the paging checks, which run per listing.
    operation: str | None
    run: Callable[..., None]
    # Paging checks only: which listings the rule is stated for (default: all).
    applies: Callable[[Any], bool] = lambda listing: True
    # What a check without an operation runs once per: each list ("listings") or each
    # endpoint the token rules are tried on ("endpoints").
    per: str = "listings"


CHECKS: dict[str, SemanticCheck] = {}


def semantic_check(
    name: str,
    title: str,
    *sources: Source,
    operation: str | None = None,
    applies: Callable[[Any], bool] | None = None,
    per: str = "listings",
    registry: dict[str, SemanticCheck] | None = None,
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Register a check under `name` (`operation`: an operationId of the spec; without one, it
    runs once per target `per` names, those `applies` keeps) in `registry` (default: the
    semantic phase's `CHECKS`; the callbacks phase keeps its own)."""
    chosen = CHECKS if registry is None else registry
    if operation is not None:
        spec_operation(operation)  # a KeyError naming it, if the spec has no such operation

    def register(run: Callable[..., None]) -> Callable[..., None]:
        # The docstring ends with the sentences the check enforces, word for word.
        quoted = "\n".join(f"- {source.quote()}" for source in sources)
        run.__doc__ = f"{(run.__doc__ or title).rstrip()}\n\nThe sources:\n{quoted}\n"
        if name in CHECKS or name in chosen:
            raise ValueError(f"a semantic check named {name!r} is already registered")
        chosen[name] = SemanticCheck(
            name, title, sources, operation, run, applies or (lambda listing: True), per
        )
        return run

    return register
