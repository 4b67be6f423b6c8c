"""The run as a JUnit XML report, for CI: one test case per selected operation.

A case fails with every distinct failure of its operation (in any phase, the stateful one
included), errors with every run error naming it, and is skipped when the operation was not
verified; run errors that name no operation get a case of their own. Each case's properties
carry its coverage (`_coverage`): the statuses listed and answered, the parameters declared and
sent. `JUnitReport` is the
run's handler that writes it when the run finishes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from ._coverage import Coverage, coverage
from ._outputs import ReportFile
from ._report import Summary, failure_text
from ._results import Failure, RunError

__all__ = ["JUnitReport", "MergeError", "merge_junit", "write_junit"]


def _sub(failure: Failure) -> str | None:
    return failure.request.sub if failure.request is not None else None


SUITE = "vonage-conversation conformance"


def _error_lines(errors: list[RunError]) -> str:
    return "\n".join(f"{error.kind}: {error.message}" for error in errors)


def _write_suite(path: Path, suite: ET.Element, counts: dict[str, int]) -> None:
    """Write `suite`, with its counts, as the one suite of a JUnit file at `path`."""
    for name, value in counts.items():
        suite.set(name, str(value))
    root = ET.Element("testsuites", {name: str(value) for name, value in counts.items()})
    root.append(suite)
    ET.indent(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def _coverage_properties(case: ET.Element, found: Coverage) -> None:
    """The operation's coverage as the case's properties (space-separated lists)."""
    properties = ET.SubElement(case, "properties")
    for name, values in (
        ("coverage.statuses.listed", found.statuses),
        ("coverage.statuses.answered", found.seen),
        ("coverage.statuses.undocumented", tuple(map(str, found.undocumented))),
        ("coverage.parameters.declared", found.parameters),
        ("coverage.parameters.sent", found.sent),
    ):
        ET.SubElement(properties, "property", name=name, value=" ".join(values))


def write_junit(path: Path, summary: Summary) -> None:
    """Write the report of the run `summary` describes to `path`."""
    operations, result = summary.operations, summary.result
    failures, result_errors = result.failures, result.errors
    unverified = {item.operation: item.reason for item in summary.verdict.unverified}
    suite = ET.Element("testsuite", name=SUITE)
    if summary.shard is not None:
        properties = ET.SubElement(suite, "properties")
        ET.SubElement(properties, "property", name="shard", value="{}/{}".format(*summary.shard))
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    unnamed = [error for error in result_errors if error.operation is None]
    # Failures and errors of operations outside the selection (a link followed to one) too.
    named = [failure.operation for failure in failures] + [
        error.operation for error in result_errors if error.operation is not None
    ]
    covered = {found.operation: found for found in coverage(result, [*operations, *named])}
    for operation in dict.fromkeys([*operations, *named]):
        case = ET.SubElement(suite, "testcase", classname="conformance", name=operation)
        if summary.verifies:
            _coverage_properties(case, covered[operation])
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
    _write_suite(path, suite, counts)


class JUnitReport(ReportFile):
    """Writes the JUnit report to `path` when the run finishes (`RunFinished`); a failed write
    is kept in `error`."""

    def __init__(self, path: Path) -> None:
        super().__init__("JUnit", path, write_junit)


class MergeError(ValueError):
    """A file that is not a JUnit report of this kit; the message says which and why."""


def merge_junit(paths: list[Path], out: Path) -> tuple[int, int, int, int]:
    """Merge the JUnit reports of a sharded run (`--shard I/N`) into one at `out`: every test
    case of each, in the order given, in one suite with the counts summed; the counts (tests,
    failures, errors, skipped)."""
    counts = dict.fromkeys(("tests", "failures", "errors", "skipped"), 0)
    shards: list[str] = []
    cases: list[ET.Element] = []
    for path in paths:
        try:
            root = ET.parse(path).getroot()
        except (OSError, ET.ParseError) as error:
            raise MergeError(f"cannot read {path}: {error}") from None
        found = root if root.tag == "testsuite" else root.find("testsuite")
        if found is None:
            raise MergeError(f"{path} is not a JUnit report: no <testsuite>")
        for name in counts:
            counts[name] += int(found.get(name, "0"))
        shards += [p.get("value", "") for p in found.iter("property") if p.get("name") == "shard"]
        cases += found.iter("testcase")
    suite = ET.Element("testsuite", name=SUITE)
    if shards:
        properties = ET.SubElement(suite, "properties")
        ET.SubElement(properties, "property", name="shards", value=",".join(shards))
    suite.extend(cases)
    _write_suite(out, suite, counts)
    return counts["tests"], counts["failures"], counts["errors"], counts["skipped"]
