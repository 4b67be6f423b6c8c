"""What a conformance run found: every request, response and check outcome, counted per
operation from schemathesis's event stream (see `_events`), and the checks of this package's own
that run beside it.

Only what happened is counted: a request without a response is a request and a "none", never a
test case; a check that errored or was skipped is never a pass; an operation is *verified* only
when one of its own requests got a 2xx response that passed every selected check of success
responses (status, content type, body).
"""

from __future__ import annotations

import base64
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ._events import Event

__all__ = [
    "STATEFUL",
    "VERIFYING_CHECKS",
    "CheckTally",
    "Collector",
    "Failure",
    "OperationTally",
    "Request",
    "RunError",
    "RunResult",
    "response_class",
]

# The phase that follows the spec's links; schemathesis names it so in events and case metadata.
STATEFUL = "stateful"
# The checks that judge a success response: an operation is verified by a 2xx response that
# passed each of them (those selected).
VERIFYING_CHECKS = (
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
)
# schemathesis writes the Authorization header filtered; a curl command gets a placeholder.
TOKEN_PLACEHOLDER = "Bearer $VONAGE_JWT"
RESPONSE_CLASSES = ("2xx", "3xx", "4xx", "5xx", "none")
_VALUE_AT = re.compile(r"^Value at (\S+?):?$", re.MULTILINE)
_SCHEMA_AT = re.compile(r"^Schema at (\S+?):?$", re.MULTILINE)
_COMPONENT_PROPERTY = re.compile(r"^/components/schemas/(\w+)((?:/properties/\w+)*)")
_OPERATION_LABEL = re.compile(r"^[A-Z]+ /")
# Phase statuses, from best to worst: a phase run by several processes reports its worst.
_PHASE_RANK = {"success": 0, "skip": 0, "failure": 1, "error": 2, "interrupted": 3}


def response_class(status: int | None) -> str:
    """``2xx``, ``4xx``... for a status code; ``none`` when no response came back."""
    if status is None:
        return "none"
    return f"{status // 100}xx" if 200 <= status < 600 else "none"


@dataclass
class CheckTally:
    """How one check went on one operation's responses."""

    passed: int = 0
    failed: int = 0
    errored: int = 0
    skipped: int = 0

    @property
    def ran(self) -> bool:
        """Whether the check gave any verdict at all (skips are not verdicts)."""
        return bool(self.passed or self.failed or self.errored)


@dataclass
class OperationTally:
    """Everything counted for one operation (``GET /v0.3/conversations``)."""

    requests: int = 0
    stateful_requests: int = 0
    responses: Counter[str] = field(default_factory=Counter)
    # Status codes answered to the operation's own requests (its method on its path).
    statuses: Counter[int] = field(default_factory=Counter)
    test_cases: int = 0
    checks: dict[str, CheckTally] = field(default_factory=dict)
    verified_in: str | None = None  # the first phase that verified it

    def check(self, name: str) -> CheckTally:
        """The tally of one check, made on first use."""
        return self.checks.setdefault(name, CheckTally())

    def total(self, what: str) -> int:
        """The sum over every check of `passed`, `failed`, `errored` or `skipped`."""
        return sum(getattr(tally, what) for tally in self.checks.values())


@dataclass(frozen=True)
class Request:
    """A request as sent, enough to send it again."""

    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: bytes | None

    def as_curl(self) -> str:
        """A curl command that sends this request again, the token read from ``$VONAGE_JWT``."""
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
    field: str | None = None
    status: int | None = None
    request: Request | None = None


@dataclass(frozen=True)
class RunError:
    """Something that kept part of the run from happening (a network failure, a check that
    crashed, schemathesis failing): never a pass, always printed, and the run fails."""

    operation: str | None
    phase: str | None
    kind: str
    message: str


@dataclass
class RunResult:
    """Everything a run found."""

    operations: dict[str, OperationTally] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    errors: list[RunError] = field(default_factory=list)
    phases: dict[str, str] = field(default_factory=dict)
    stateful_scenarios: int = 0
    # Requests sent in each phase (setup included), probes too.
    phase_requests: Counter[str] = field(default_factory=Counter)
    # Why a schemathesis process stopped early (`failure_limit`, `server_unavailable`...).
    stop_reasons: list[str] = field(default_factory=list)
    seeds: list[int] = field(default_factory=list)
    # Checks that could not tell, and why: (operation, check, reason).
    skips: list[tuple[str, str, str]] = field(default_factory=list)

    def operation(self, name: str) -> OperationTally:
        """The tally of one operation, made on first use."""
        return self.operations.setdefault(name, OperationTally())

    @property
    def test_cases(self) -> int:
        """Requests of the operations under test that got a response (probes not counted)."""
        return sum(tally.test_cases for tally in self.operations.values())

    def add_failure(self, failure: Failure) -> None:
        """Keep a failure unless the same one (operation, check, title, field) is already kept."""
        key = (failure.operation, failure.check, failure.title, failure.field)
        if all((f.operation, f.check, f.title, f.field) != key for f in self.failures):
            self.failures.append(failure)

    def add_error(self, error: RunError) -> None:
        """Keep an error unless the same one is already kept."""
        if error not in self.errors:
            self.errors.append(error)

    def checks(self) -> list[str]:
        """Every check that gave a verdict somewhere, in a stable order."""
        names = {
            name
            for tally in self.operations.values()
            for name, check in tally.checks.items()
            if check.ran
        }
        return sorted(names)


class Collector:
    """Reads a run's events into a `RunResult`, one event at a time (several streams may feed
    one collector: a run is several schemathesis processes)."""

    def __init__(self, selected_checks: Iterable[str], result: RunResult | None = None) -> None:
        self.selected = frozenset(selected_checks)
        self.verifying = self.selected.intersection(VERIFYING_CHECKS)
        self.result = result if result is not None else RunResult()

    def feed(self, events: Iterable[Event]) -> RunResult:
        """Count every event; the result so far."""
        for name, payload in events:
            self.on_event(name, payload)
        return self.result

    def on_event(self, name: str, payload: Mapping[str, Any]) -> None:
        """Count one event."""
        result = self.result
        if name == "Initialize" and isinstance(payload.get("seed"), int):
            result.seeds.append(payload["seed"])
        elif name == "PhaseFinished":
            _note_phase(result.phases, payload)
        elif name == "ScenarioFinished":
            self._scenario(payload)
        elif name == "NonFatalError":
            value = payload.get("value") or {}
            label = str(payload.get("label") or "")
            result.add_error(
                RunError(
                    operation=label if _OPERATION_LABEL.match(label) else None,
                    phase=_text(payload.get("phase")),
                    kind=str(value.get("type", "error")),
                    message=str(value.get("message", "")),
                )
            )
        elif name == "FatalError":
            exception = payload.get("exception") or {}
            result.add_error(
                RunError(
                    operation=None,
                    phase=None,
                    kind=str(exception.get("type", "FatalError")),
                    message=str(exception.get("message", exception)),
                )
            )
        elif name == "Interrupted":
            result.add_error(RunError(None, _text(payload.get("phase")), "Interrupted", ""))
        elif name == "EngineFinished":
            reason = str(payload.get("stop_reason", "completed"))
            if reason != "completed":
                result.stop_reasons.append(reason)

    def _scenario(self, scenario: Mapping[str, Any]) -> None:
        recorder = scenario.get("recorder") or {}
        phase = str(scenario.get("phase", "?"))
        stateful = phase == STATEFUL
        self.result.stateful_scenarios += stateful
        label = str(recorder.get("label", ""))
        cases: Mapping[str, Any] = recorder.get("cases") or {}
        checks: Mapping[str, Any] = recorder.get("checks") or {}
        interactions: Mapping[str, Any] = recorder.get("interactions") or {}
        for case_id, node in cases.items():
            case = node.get("value") or {}
            own = f"{str(case.get('method', '?')).upper()} {case.get('path', '?')}"
            # A stateless scenario tests the operation its label names, also where a request
            # probes another method on its path; a stateful one chains several operations.
            operation = label if _OPERATION_LABEL.match(label) and not stateful else own
            # A request a check sends on its own (a probe) has a parent and no link behind it.
            probe = node.get("parent_id") is not None and node.get("transition") is None
            interaction = interactions.get(case_id) or {}
            response = interaction.get("response") or None
            status = response.get("status_code") if isinstance(response, Mapping) else None
            status = int(status) if status is not None else None
            tally = self.result.operation(operation)
            self.result.phase_requests[phase] += 1
            tally.requests += 1
            tally.stateful_requests += stateful
            tally.responses[response_class(status)] += 1
            recorded = checks.get(case_id) or []
            # A check may record its verdict on the probe it sent (ignored_auth does).
            self._checks(operation, phase, tally, recorded, interaction, probe=probe)
            if probe or status is None:
                continue
            tally.test_cases += 1
            if own == operation:
                tally.statuses[status] += 1
            if own == operation and 200 <= status < 300 and tally.verified_in is None:
                passed = {c.get("name") for c in recorded if c.get("status") == "success"}
                if self.verifying and self.verifying <= passed:
                    tally.verified_in = phase

    def _checks(
        self,
        operation: str,
        phase: str,
        tally: OperationTally,
        recorded: list[Mapping[str, Any]],
        interaction: Mapping[str, Any],
        *,
        probe: bool,
    ) -> None:
        names = set()
        for node in recorded:
            name = str(node.get("name"))
            names.add(name)
            check = tally.check(name)
            status = node.get("status")
            if status == "success":
                check.passed += 1
            elif status == "failure":
                check.failed += 1
                info = node.get("failure_info") or {}
                self.result.add_failure(_failure(operation, name, phase, info, interaction))
            elif status == "error":
                check.errored += 1
                self.result.add_error(
                    RunError(operation, phase, "check error", f"the check {name} crashed")
                )
            else:
                check.skipped += 1
        if probe or not interaction.get("response"):
            return
        # A check that was selected but gave no verdict on this response skipped it.
        for name in self.selected - names:
            tally.check(name).skipped += 1


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _note_phase(phases: dict[str, str], finished: Mapping[str, Any]) -> None:
    """Record how a phase ended; a phase several processes ran reports its worst status, and
    one that was not asked for is left out."""
    phase = finished.get("phase") or {}
    if phase.get("skip_reason") == "disabled":
        return
    name, status = str(phase.get("name")), str(finished.get("status"))
    if _PHASE_RANK.get(status, 2) >= _PHASE_RANK.get(phases.get(name, "success"), 2):
        phases[name] = status


def _failure(
    operation: str,
    check: str,
    phase: str,
    info: Mapping[str, Any],
    interaction: Mapping[str, Any],
) -> Failure:
    details = info.get("failure") or {}
    message = str(details.get("message", ""))
    response = interaction.get("response") or {}
    status = response.get("status_code")
    return Failure(
        operation=operation,
        check=check,
        phase=phase,
        title=str(details.get("title", check)),
        message=message,
        field=_field_at_fault(details, message, response),
        status=int(status) if status is not None else None,
        request=_request(interaction.get("request")),
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
        for name, values in (raw.get("headers") or {}).items()
        for value in (values if isinstance(values, list) else [values])
    )
    return Request(
        method=str(raw.get("method", "?")),
        url=str(raw.get("uri", "?")),
        headers=headers,
        body=_decode(raw.get("body")),
    )
