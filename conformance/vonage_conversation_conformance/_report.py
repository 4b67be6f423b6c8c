"""The end-of-run summary: an operations x checks table, then each failure in full."""

from __future__ import annotations

from textwrap import indent

from ._results import Failure, RunResult, Tally

# Short column headings for schemathesis's checks (others keep their own name).
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


def _cell(tally: Tally | None) -> str:
    if tally is None:
        return "-"
    if tally.failed:
        return f"FAIL {tally.failed}"
    return "ok"


def table(result: RunResult) -> str:
    """One row per operation: requests sent (stateless + stateful), then one column per check:
    ok, FAIL <count>, or - (not run)."""
    order = list(SHORT_NAMES)
    checks = sorted(
        result.checks(), key=lambda c: (order.index(c) if c in order else len(order), c)
    )
    headings = [SHORT_NAMES.get(check, check) for check in checks]
    rows = [
        [
            operation,
            f"{result.stateless.get(operation, 0)}+{result.stateful.get(operation, 0)}",
            *(_cell(by_check.get(check)) for check in checks),
        ]
        for operation, by_check in result.tallies.items()
    ]
    columns = zip(["operation", "requests", *headings], *rows, strict=True)
    widths = [max(len(cell) for cell in column) for column in columns]

    def line(cells: list[str]) -> str:
        return "  ".join(
            cell.ljust(width) for cell, width in zip(cells, widths, strict=True)
        ).rstrip()

    legend = ", ".join(f"{SHORT_NAMES.get(c, c)} = {c}" for c in checks if c in SHORT_NAMES)
    body = [line(["operation", "requests", *headings]), line(["-" * width for width in widths])]
    body += [line(row) for row in rows]
    notes = f"requests: sent in the stateless phases + in the stateful phase; checks: {legend}"
    return "\n".join([*body, "", notes])


def failure_text(number: int, failure: Failure) -> str:
    """One failure: the operation, the check, what is at fault, and how to send it again."""
    lines = [f"{number}. {failure.operation}: {failure.check} ({failure.title})"]
    if failure.field:
        lines.append(f"   at fault: {failure.field}")
    if failure.status is not None:
        lines.append(f"   status: {failure.status}   phase: {failure.phase}")
    if failure.message:
        quoted = indent(failure.message.strip(), "   | ", lambda _: True)
        lines.append("\n".join(line.rstrip() for line in quoted.splitlines()))
    if failure.request is not None:
        lines.append("   reproduce (export VONAGE_JWT=<a token> first):")
        lines.append(f"   {failure.request.as_curl()}")
    return "\n".join(lines)


def summary(result: RunResult, *, target: str) -> str:
    """The whole end-of-run report."""
    phases = ", ".join(f"{name} {status}" for name, status in result.phases.items())
    verdict = (
        f"{len(result.failures)} distinct failures"
        if result.failed
        else "no failures: the server conforms to the spec"
    )
    parts = [
        f"conformance of {target}: {result.cases} test cases; {verdict}",
        f"phases: {phases}" if phases else "phases: none ran",
        "",
        table(result),
    ]
    if result.failed:
        parts += ["", "failures:"]
        parts += [failure_text(n, f) for n, f in enumerate(result.failures, start=1)]
    return "\n".join(parts)
