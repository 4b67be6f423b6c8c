"""What a conformance run found, read from the event stream schemathesis writes (NDJSON).

For each operation and each check: how many requests passed and failed it; and each distinct
failure with the request that shows it.
"""

from __future__ import annotations

import base64
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# schemathesis writes the Authorization header filtered; the curl command gets a placeholder.
TOKEN_PLACEHOLDER = "Bearer $VONAGE_JWT"
_VALUE_AT = re.compile(r"^Value at (\S+?):?$", re.MULTILINE)
_SCHEMA_AT = re.compile(r"^Schema at (\S+?):?$", re.MULTILINE)
_COMPONENT_PROPERTY = re.compile(r"^/components/schemas/(\w+)((?:/properties/\w+)*)")
_OPERATION_LABEL = re.compile(r"^[A-Z]+ /")


# The phase that follows the spec's links; schemathesis names it so in events and case metadata.
STATEFUL = "stateful"


@dataclass
class Tally:
    """How many requests passed and failed one check on one operation."""

    passed: int = 0
    failed: int = 0


@dataclass(frozen=True)
class Request:
    """A request as sent, enough to send it again."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: bytes | None

    def as_curl(self) -> str:
        """A curl command that sends this request again (the token is left to the reader)."""
        parts = ["curl", "-X", self.method]
        for name, value in self.headers:
            shown = TOKEN_PLACEHOLDER if name.lower() == "authorization" else value
            parts += ["-H", _quote(f"{name}: {shown}")]
        if self.body is not None:
            parts += ["-d", _quote(self.body.decode("utf-8", "backslashreplace"))]
        parts.append(_quote(self.url))
        return " ".join(parts)


def _quote(text: str) -> str:
    """Quote for a POSIX shell, in double quotes so `$VONAGE_JWT` expands."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("`", "\\`")
    escaped = escaped.replace("$", "\\$").replace("\\$VONAGE_JWT", "$VONAGE_JWT")
    return f'"{escaped}"'


@dataclass(frozen=True)
class Failure:
    """One distinct way an operation failed one check."""

    operation: str  # e.g. "GET /v0.3/conversations/{conversation_id}"
    check: str  # e.g. "response_schema_conformance"
    phase: str
    title: str
    message: str
    # What is at fault: a response field (a JSON path), or what the server's error names.
    field: str | None
    status: int | None
    request: Request | None


@dataclass
class RunResult:
    """Everything a run found."""

    tallies: dict[str, dict[str, Tally]] = field(default_factory=dict)
    # Requests sent per operation: in the stateless phases, and in the stateful one.
    stateless: dict[str, int] = field(default_factory=dict)
    stateful: dict[str, int] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    phases: dict[str, str] = field(default_factory=dict)
    cases: int = 0
    stateful_scenarios: int = 0

    @property
    def failed(self) -> bool:
        return bool(self.failures)

    def checks(self) -> list[str]:
        """Every check that ran, in a stable order."""
        return sorted({check for by_check in self.tallies.values() for check in by_check})


def read_events(path: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """The (event name, payload) pairs of an NDJSON event stream."""
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            if line.strip():
                ((name, payload),) = json.loads(line).items()
                yield name, payload


def collect(events: Iterable[tuple[str, Mapping[str, Any]]]) -> RunResult:
    """Tally checks per operation and gather distinct failures from a run's events."""
    result = RunResult()
    tallies: dict[str, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))
    sent: dict[bool, dict[str, int]] = {True: defaultdict(int), False: defaultdict(int)}
    seen: set[tuple[str, str, str, str | None]] = set()
    for name, payload in events:
        if name == "PhaseFinished":
            _note_phase(result.phases, payload)
        elif name == "ScenarioFinished":
            result.cases += _collect_scenario(payload, tallies, sent, result.failures, seen)
            result.stateful_scenarios += payload["phase"] == STATEFUL
    result.tallies = {op: dict(by_check) for op, by_check in sorted(tallies.items())}
    result.stateless, result.stateful = dict(sent[False]), dict(sent[True])
    return result


def _note_phase(phases: dict[str, str], finished: Mapping[str, Any]) -> None:
    """Record how a phase ended. A check made of several runs reports each phase once: a run
    that was not asked for the phase leaves it out, and the first status other than success
    stays."""
    phase = finished["phase"]
    if phase.get("skip_reason") == "disabled":
        return
    name = str(phase["name"])
    if phases.get(name, "success") == "success":
        phases[name] = str(finished["status"])


def _collect_scenario(
    scenario: Mapping[str, Any],
    tallies: dict[str, dict[str, Tally]],
    sent: dict[bool, dict[str, int]],
    failures: list[Failure],
    seen: set[tuple[str, str, str, str | None]],
) -> int:
    recorder = scenario["recorder"]
    stateful = scenario["phase"] == STATEFUL
    cases = recorder.get("cases", {})
    interactions = recorder.get("interactions", {})
    label = str(recorder.get("label", ""))
    for case_id, checks in recorder.get("checks", {}).items():
        case = cases.get(case_id, {}).get("value", {})
        # A scenario tests one operation, named by its label, even when a request probes
        # another method on its path; a stateful scenario chains several, named by each case.
        operation = (
            label
            if _OPERATION_LABEL.match(label)
            else f"{str(case.get('method', '?')).upper()} {case.get('path', '?')}"
        )
        interaction = interactions.get(case_id)
        if interaction is not None:
            sent[stateful][operation] += 1
        for check in checks:
            tally = tallies[operation][check["name"]]
            info = check.get("failure_info")
            if check["status"] != "failure" or info is None:
                tally.passed += 1
                continue
            tally.failed += 1
            failure = _failure(operation, check["name"], str(scenario["phase"]), info, interaction)
            key = (failure.operation, failure.check, failure.title, failure.field)
            if key not in seen:
                seen.add(key)
                failures.append(failure)
    return len(cases)


def _failure(
    operation: str,
    check: str,
    phase: str,
    info: Mapping[str, Any],
    interaction: Mapping[str, Any] | None,
) -> Failure:
    details = info.get("failure", {})
    message = str(details.get("message", ""))
    response = (interaction or {}).get("response") or {}
    status = response.get("status_code")
    return Failure(
        operation=operation,
        check=check,
        phase=phase,
        title=str(details.get("title", check)),
        message=message,
        field=_field_at_fault(details, message, response),
        status=int(status) if status is not None else None,
        request=_request((interaction or {}).get("request")),
    )


def _field_at_fault(
    details: Mapping[str, Any], message: str, response: Mapping[str, Any]
) -> str | None:
    """Where the fault is: the response's JSON path, else the schema's field that refused the
    value, else the field the server's error names."""
    if details.get("instance_path"):
        return "/" + "/".join(str(step) for step in details["instance_path"])
    match = _VALUE_AT.search(message)
    if match:
        return match.group(1)
    match = _SCHEMA_AT.search(message)
    if match:
        return _schema_field(match.group(1))
    body = _decode(response.get("content"))
    try:
        detail = json.loads(body or b"").get("detail")
    except (ValueError, AttributeError):
        return None
    return str(detail) if detail else None


def _schema_field(pointer: str) -> str:
    """`Conversation.sequence_number (/components/schemas/...)` for a component property."""
    match = _COMPONENT_PROPERTY.match(pointer)
    if match is None or not match.group(2):
        return pointer
    names = [match.group(1), *match.group(2).split("/properties/")[1:]]
    return f"{'.'.join(names)} ({pointer})"


def _decode(content: Any) -> bytes | None:
    if isinstance(content, Mapping) and "$base64" in content:
        return base64.b64decode(content["$base64"])
    if isinstance(content, str):
        return content.encode()
    return None


def _request(raw: Mapping[str, Any] | None) -> Request | None:
    if not raw:
        return None
    headers = tuple(
        (str(name), str(value))
        for name, values in raw.get("headers", {}).items()
        for value in (values if isinstance(values, list) else [values])
    )
    return Request(
        method=str(raw["method"]),
        url=str(raw["uri"]),
        headers=headers,
        body=_decode(raw.get("body")),
    )
