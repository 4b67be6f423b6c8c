"""What a run covered of each operation the spec describes, as TraceCov reports it for
schemathesis: which of the status codes the spec lists were answered, which parameters
(query parameters, and the request body's fields) were sent.

Only an operation's own requests count (its method on its path, no check's probe); a status the
spec does not list is shown apart, as undocumented. Path parameters are left out: every request
sends them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from rich import box
from rich.table import Table

from ._options import _spec, operation_labelled
from ._results import Request, RunResult

__all__ = ["Coverage", "coverage", "coverage_table", "declared", "sent_parameters"]


@dataclass(frozen=True)
class Coverage:
    """One operation's coverage."""

    operation: str
    statuses: tuple[str, ...]  # those the spec lists ("200", "404", "5XX"...)
    seen: tuple[str, ...]  # those of them answered
    undocumented: tuple[int, ...]  # statuses answered that the spec does not list
    parameters: tuple[str, ...]  # those the spec declares: `page_size`, `body.display_name`
    sent: tuple[str, ...]  # those of them sent

    @property
    def missing_statuses(self) -> tuple[str, ...]:
        """The spec's statuses never answered."""
        return tuple(status for status in self.statuses if status not in self.seen)

    @property
    def unsent(self) -> tuple[str, ...]:
        """The declared parameters never sent."""
        return tuple(name for name in self.parameters if name not in self.sent)


def _resolve(node: Mapping[str, Any]) -> Mapping[str, Any]:
    """A `$ref` followed (within the spec) to what it names."""
    seen = 0
    while "$ref" in node and seen < 10:  # a cycle of references is not followed for ever
        target: Any = _spec()
        for part in str(node["$ref"]).removeprefix("#/").split("/"):
            target = target[part]
        node, seen = target, seen + 1
    return node


@cache
def declared(label: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The statuses the spec lists for the operation `label`, and its parameters (query ones,
    then the body's fields as `body.<name>`)."""
    found = operation_labelled(label)
    if found is None:
        return (), ()
    item = _spec()["paths"][found.path]
    operation = item[found.method.lower()]
    statuses = tuple(str(status) for status in operation.get("responses", {}))
    parameters = [
        str(parameter["name"])
        for parameter in map(
            _resolve, [*item.get("parameters", []), *operation.get("parameters", [])]
        )
        if parameter.get("in") == "query"
    ]
    content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    body = _resolve(content.get("schema", {}))
    parameters += [f"body.{name}" for name in body.get("properties", {})]
    return statuses, tuple(dict.fromkeys(parameters))


def sent_parameters(request: Request) -> set[str]:
    """The query parameters a request sent, and its JSON body's fields (`body.<name>`)."""
    names = {name for name, _ in parse_qsl(urlsplit(request.url).query, keep_blank_values=True)}
    if request.body:
        try:
            document = json.loads(request.body)
        except ValueError:
            document = None
        if isinstance(document, dict):
            names |= {f"body.{name}" for name in document}
    return names


def _listed(status: int, statuses: Sequence[str]) -> str | None:
    """The spec's entry `status` answers: itself, or its class (`5XX`)."""
    if str(status) in statuses:
        return str(status)
    wildcard = f"{status // 100}XX"
    return wildcard if wildcard in statuses else None


def coverage(result: RunResult, operations: Sequence[str]) -> list[Coverage]:
    """The coverage of each of `operations`, in their order."""
    covered = []
    for operation in operations:
        statuses, parameters = declared(operation)
        tally = result.operations.get(operation)
        answered = sorted(tally.statuses) if tally is not None else []
        matched = {_listed(status, statuses) for status in answered}
        sent = tally.parameters if tally is not None else {}
        covered.append(
            Coverage(
                operation=operation,
                statuses=statuses,
                seen=tuple(status for status in statuses if status in matched),
                undocumented=tuple(s for s in answered if _listed(s, statuses) is None),
                parameters=parameters,
                sent=tuple(name for name in parameters if name in sent),
            )
        )
    return covered


def coverage_table(result: RunResult, operations: Sequence[str]) -> Table:
    """The report's coverage table: for each operation, the spec's statuses answered and the
    declared parameters sent, each with its count of the spec's (cells wrap at the width)."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1, 0, 0), show_edge=False)
    table.add_column("operation", no_wrap=True)
    table.add_column("statuses answered (of those listed)", ratio=1)
    table.add_column("parameters sent (of those declared)", ratio=1)
    for found in coverage(result, operations):
        statuses = f"{' '.join(found.seen) or 'none'} ({len(found.seen)}/{len(found.statuses)})"
        if found.undocumented:
            statuses += " undocumented: " + " ".join(map(str, found.undocumented))
        parameters = (
            f"{' '.join(found.sent) or 'none'} ({len(found.sent)}/{len(found.parameters)})"
            if found.parameters
            else "-"
        )
        table.add_row(found.operation, statuses, parameters)
    return table
