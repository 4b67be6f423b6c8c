"""The run as a JUnit XML report, for CI: one test case per selected operation.

A case fails with every distinct failure of its operation (in any phase, the stateful one
included), errors with every run error naming it, and is skipped when the operation was not
verified; run errors that name no operation get a case of their own. `JUnitReport` is the
run's handler that writes it when the run finishes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from ._events import RunFinished
from ._report import Summary, failure_text
from ._results import Failure, RunError

__all__ = ["JUnitReport", "write_junit"]


def _sub(failure: Failure) -> str | None:
    return failure.request.sub if failure.request is not None else None


SUITE = "vonage-conversation conformance"


def _error_lines(errors: list[RunError]) -> str:
    return "\n".join(f"{error.kind}: {error.message}" for error in errors)


def write_junit(path: Path, summary: Summary) -> None:
    """Write the report of the run `summary` describes to `path`."""
    operations, result = summary.operations, summary.result
    failures, result_errors = result.failures, result.errors
    unverified = {item.operation: item.reason for item in summary.verdict.unverified}
    suite = ET.Element("testsuite", name=SUITE)
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    unnamed = [error for error in result_errors if error.operation is None]
    # Failures and errors of operations outside the selection (a link followed to one) too.
    named = [failure.operation for failure in failures] + [
        error.operation for error in result_errors if error.operation is not None
    ]
    for operation in dict.fromkeys([*operations, *named]):
        case = ET.SubElement(suite, "testcase", classname="conformance", name=operation)
        counts["tests"] += 1
        own = [failure for failure in failures if failure.operation == operation]
        errors = [error for error in result_errors if error.operation == operation]
        if own:
            counts["failures"] += 1
            element = ET.SubElement(
                case,
                "failure",
                message=", ".join(dict.fromkeys(failure.check for failure in own)),
            )
            element.text = "\n\n".join(
                failure_text(
                    number,
                    failure,
                    summary.token_command(
                        operation, failure.request.sub if failure.request else None
                    ),
                )
                for number, failure in enumerate(own, start=1)
            )
        if errors:
            counts["errors"] += 1
            element = ET.SubElement(case, "error", message=errors[0].kind)
            element.text = _error_lines(errors)
        if not own and not errors and operation in unverified:
            counts["skipped"] += 1
            ET.SubElement(case, "skipped", message=f"not verified: {unverified[operation]}")
    if unnamed:
        case = ET.SubElement(suite, "testcase", classname="conformance", name="the run")
        counts["tests"] += 1
        counts["errors"] += 1
        element = ET.SubElement(case, "error", message=unnamed[0].kind)
        element.text = _error_lines(unnamed)
    for name, value in counts.items():
        suite.set(name, str(value))
    root = ET.Element("testsuites", {name: str(value) for name, value in counts.items()})
    root.append(suite)
    ET.indent(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


class JUnitReport:
    """Writes the JUnit report to `path` when the run finishes (`RunFinished`)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def handle_event(self, event: object) -> None:
        """Write the report on `RunFinished`; every other event is not this handler's."""
        if isinstance(event, RunFinished):
            write_junit(self.path, event.summary)
