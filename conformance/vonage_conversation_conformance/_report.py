"""The end-of-run summary: the verdict, a table of operations, then what was not verified, every
error and every failure in full, each failure with a command that sends its request again.

Rendered with rich to the width of the terminal (120 columns when the output is not one); the
operations table shows only counts that did something, and `verbose` adds operations x checks.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from textwrap import indent

from rich import box
from rich.console import Console
from rich.table import Table

from ._coverage import coverage_table
from ._results import RESPONSE_CLASSES, CheckTally, Failure, OperationTally, RunError, RunResult
from ._verdict import Verdict

__all__ = [
    "PHASE_WORDS",
    "PREPARATION",
    "SHORT_NAMES",
    "Summary",
    "console",
    "failure_text",
    "render",
]

# What each phase does, in the words the report and the progress lines use.
PHASE_WORDS = {
    "setup": "the run's own data, made and deleted",
    "examples": "the spec's examples",
    "coverage": "boundary and invalid values",
    "fuzzing": "random data",
    "stateful": "linked operations",
    "semantic": "the API's own rules",
    "callbacks": "events delivered to a callback",
}
# The phases schemathesis runs before testing; the report leaves them out.
PREPARATION = frozenset({"probing", "schema_analysis", "auth_bootstrap"})
_STATUS_WORDS = {"success": "passed", "failure": "failed", "error": "errored", "skip": "skipped"}
# Short column headings for the checks in the verbose table (others keep their own name).
SHORT_NAMES = {
    "not_a_server_error": "5xx",
    "status_code_conformance": "status",
    "content_type_conformance": "ctype",
    "response_headers_conformance": "headers",
    "response_schema_conformance": "schema",
    "negative_data_rejection": "negative",
    "positive_data_acceptance": "positive",
    "missing_required_header": "req-hdr",
    "unsupported_method": "method",
    "allow_header_conformance": "allow",
    "use_after_free": "uaf",
    "ensure_resource_availability": "created",
    "ignored_auth": "auth",
    "object_level_authorization": "bola",
    "max_response_time": "time",
}
_DEFAULT_WIDTH = 120


@dataclass(frozen=True)
class Summary:
    """Everything the report shows: where, what was found, and what it means."""

    target: str
    result: RunResult
    verdict: Verdict
    operations: tuple[str, ...]  # the selected operations, in the spec's order
    # Whether the run validated responses against the spec (a schemathesis phase ran).
    verifies: bool = True
    junit_xml: str | None = None
    # The command that prints a token for an operation's requests (members/me needs a user's).
    # (a failure's operation, and the user its request's token was for where known).
    token_command: Callable[[str, str | None], str] = lambda operation, sub: (
        "vonage-conversation token"
    )
    note: str | None = None  # e.g. that the embedded emulator stopped with the run
    # Report files that could not be written, each with why (the printed report still comes).
    unwritten: tuple[str, ...] = ()
    shard: tuple[int, int] | None = None  # the run's --shard (I, N)
    html: str | None = None  # where the HTML report is written


def console(*, file: object = None, width: int | None = None) -> Console:
    """A console as wide as the terminal, or 120 columns when the output is not a terminal."""
    columns = width or shutil.get_terminal_size((_DEFAULT_WIDTH, 24)).columns
    return Console(file=file, width=columns, highlight=False, markup=False)  # type: ignore[arg-type]


def _phases_table(result: RunResult) -> Table:
    table = Table(box=None, padding=(0, 0, 0, 2), show_header=False)
    for _ in range(4):
        table.add_column(no_wrap=True)
    for name, status in result.phases.items():
        if name in PREPARATION:
            continue
        sent = f"{result.phase_requests[name]} requests"
        if name == "stateful":
            sent += f" in {result.stateful_scenarios} scenarios"
        table.add_row(name, PHASE_WORDS.get(name, name), _STATUS_WORDS.get(status, status), sent)
    return table


def _count(value: int) -> str:
    return str(value) if value else "."


def _table() -> Table:
    # One space between columns: the longest operation and every count fit 120 columns.
    return Table(box=box.SIMPLE_HEAD, pad_edge=False, padding=0, show_edge=False)


def _operations_table(summary: Summary) -> Table:
    result = summary.result
    classes = [c for c in RESPONSE_CLASSES if c != "3xx"]
    if any(t.responses["3xx"] for t in result.operations.values()):
        classes.insert(1, "3xx")
    table = _table()
    table.add_column("operation", overflow="fold")
    table.add_column("sent", justify="right", no_wrap=True)
    for name in classes:
        table.add_column(name, justify="right", no_wrap=True)
    for heading in ("pass", "fail", "err", "skip"):
        table.add_column(heading, justify="right", no_wrap=True)
    table.add_column("verified", no_wrap=True)
    empty = OperationTally()
    for operation in summary.operations:
        tally = result.operations.get(operation, empty)
        verified = "-" if not summary.verifies else "yes" if tally.verified_in else "NO"
        table.add_row(
            operation,
            _count(tally.requests),
            *(_count(tally.responses[name]) for name in classes),
            *(_count(tally.total(what)) for what in ("passed", "failed", "errored", "skipped")),
            verified,
        )
    return table


def _cell(tally: CheckTally | None) -> str:
    if tally is None or not tally.ran:
        return "-"
    if tally.failed:
        return f"FAIL {tally.failed}"
    if tally.errored:
        return f"err {tally.errored}"
    return "ok"


def _checks_table(summary: Summary) -> Table:
    """Every check on every operation, one row an operation: its checks grouped by verdict in
    a cell that wraps, so that the table stays readable at 120 columns however many checks."""
    checks = summary.result.checks()
    table = _table()
    table.add_column("operation", no_wrap=True)
    table.add_column("checks, by verdict (ok; FAIL n / err n: how many; -: gave none)", ratio=1)
    empty = OperationTally()
    for operation in summary.operations:
        by_check: Mapping[str, CheckTally] = summary.result.operations.get(operation, empty).checks
        groups: dict[str, list[str]] = {}
        for check in checks:
            groups.setdefault(_cell(by_check.get(check)), []).append(SHORT_NAMES.get(check, check))
        ordered = sorted(groups.items(), key=lambda item: (item[0] in ("ok", "-"), item[0] == "-"))
        table.add_row(
            operation, "; ".join(f"{verdict}: {' '.join(names)}" for verdict, names in ordered)
        )
    return table


def failure_text(number: int, failure: Failure, token_command: str) -> str:
    """One failure: the operation, the check, what is at fault, and how to send it again."""
    lines = [f"{number}. {failure.operation}: {failure.check} ({failure.title})"]
    if failure.field:
        lines.append(f"   at fault: {failure.field}")
    where = f"phase: {failure.phase}"
    lines.append(f"   status: {failure.status}   {where}" if failure.status else f"   {where}")
    if failure.message:
        quoted = indent(failure.message.strip(), "   | ", lambda _: True)
        lines.append("\n".join(line.rstrip() for line in quoted.splitlines()))
    if failure.request is not None:
        lines.append("   reproduce:")
        if failure.request.uses_token:
            lines.append(f"   export VONAGE_JWT=$({token_command})")
        lines.append(f"   {failure.request.as_curl()}")
    return "\n".join(lines)


def _error_text(number: int, error: RunError) -> str:
    where = " ".join(
        part for part in (error.operation, f"({error.phase})" if error.phase else "") if part
    )
    head = f"{number}. {where + ': ' if where else ''}{error.kind}"
    return f"{head}: {error.message}" if error.message else head


def _details(summary: Summary, out: Console) -> None:
    """What was not verified, what could not tell, the errors, and the failures in full."""
    result = summary.result
    if summary.verdict.unverified:
        out.print("\nnot verified:")
        for item in summary.verdict.unverified:
            out.print(f"  {item.operation}: {item.reason}")
    if result.skips:
        out.print("\nchecks that could not tell:")
        for operation, check, reason in result.skips:
            out.print(f"  {operation}: {check}: {reason}")
    if result.warnings:
        out.print("\nwarnings (no source makes these a rule):")
        for warning in result.warnings:
            out.print(f"  {warning}", soft_wrap=True)
    if result.errors:
        out.print("\nerrors:")
        for number, error in enumerate(result.errors, start=1):
            out.print(_error_text(number, error))
    if result.failures:
        out.print("\nfailures:")
        for number, failure in enumerate(result.failures, start=1):
            sub = failure.request.sub if failure.request is not None else None
            command = summary.token_command(failure.operation, sub)
            out.print(failure_text(number, failure, command), soft_wrap=True)


def render(summary: Summary, out: Console, *, verbose: bool = False) -> None:
    """Print the whole end-of-run report on `out`."""
    result, verdict = summary.result, summary.verdict
    verified = len(summary.operations) - len(verdict.unverified)
    out.print(f"conformance of {summary.target}: {verdict.headline}")
    checked = (
        f"{verified} of {len(summary.operations)} operations verified"
        if summary.verifies
        else "no response checked against the spec"
    )
    out.print(
        f"  {checked}; {result.test_cases} test cases; {len(result.failures)} failures; "
        f"{len(result.errors)} errors"
    )
    if result.seeds:
        out.print("  seed: " + ", ".join(str(seed) for seed in dict.fromkeys(result.seeds)))
    phases = _phases_table(result)
    out.print("\nphases:" if phases.row_count else "\nphases: none ran")
    if phases.row_count:
        out.print(phases)
    out.print()
    out.print(_operations_table(summary))
    out.print(
        "sent: requests, probes included; 2xx..none: their answers; pass..skip: check\n"
        "verdicts; verified: a 2xx answer to it passed every check of success responses",
        style="dim",
    )
    if summary.verifies:
        out.print()
        out.print(coverage_table(result, summary.operations))
    if verbose:
        out.print()
        out.print(_checks_table(summary))
    _details(summary, out)
    if summary.note:
        out.print(f"\n{summary.note}")
    if summary.junit_xml or summary.html:
        out.print()
    if summary.junit_xml:
        out.print(f"JUnit report: {summary.junit_xml}")
    if summary.html:
        out.print(f"HTML report: {summary.html}")
