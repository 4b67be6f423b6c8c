"""Schemathesis's NDJSON report (`--report ndjson`), decoded into typed events: the one module
that knows its layout.

Each line is one `{"EventName": {...}}` object, named after schemathesis 4's engine events
(`Initialize`, `EngineStarted`, `PhaseStarted`, `ScenarioFinished`, `NonFatalError`...). A line
decodes into the frozen dataclass of the same name; events nothing here reads (`LoadingStarted`,
`SuiteStarted`, `ScenarioStarted`...) decode into nothing. Everything else in the package reads
these events, never the JSON: `_counting` tallies them, `_progress` shows them, `_process`
judges a schemathesis process's exit by them.

Where schemathesis writes a value only inside a message's text, it is read here, and each such
place says which structured field the stream lacks.

Over 400 lines because it is the layout's one home, by design: each event's class and its
decoder sit here together, so that a change in schemathesis's report is met in one module.

Why over 400 lines: it is the one home of schemathesis's NDJSON layout (every event type read,
each field it takes, and the readings of message text where a field is missing), so that no
other module knows the layout.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._results import Request

__all__ = [
    "UNIT_PHASES",
    "CheckResult",
    "EngineEvent",
    "EngineFinished",
    "EngineStarted",
    "FailureInfo",
    "FatalError",
    "Initialize",
    "Interrupted",
    "NonFatalError",
    "PhaseFinished",
    "PhaseStarted",
    "RecordedCase",
    "ScenarioFinished",
    "StreamError",
    "StreamFollower",
    "decode",
    "read_events",
]

# Schemathesis's phases that test one operation at a time (its `UNIT_PHASES`): a scenario's
# label there names the operation it tests. The stateful phase's label names no operation.
UNIT_PHASES = frozenset({"examples", "coverage", "fuzzing"})
# The NDJSON failure keeps only type, code, operation, title, message, case_id and severity: a
# `JsonSchemaError`'s `instance_path` and `schema_path` are dropped, so they are read from the
# message, which prints them as "Value at <path>" and "Schema at <pointer>".
_VALUE_AT = re.compile(r"^Value at (\S+?):?$", re.MULTILINE)
_SCHEMA_AT = re.compile(r"^Schema at (\S+?):?$", re.MULTILINE)
# A schema pointer is a string, not a structure: a component's property is spelled out in it.
_COMPONENT_PROPERTY = re.compile(r"^/components/schemas/(\w+)((?:/properties/\w+)*)")


class StreamError(ValueError):
    """A line that is not a schemathesis event."""


@dataclass(frozen=True)
class Initialize:
    """The stream's first record: the seed the run used."""

    seed: int | None


@dataclass(frozen=True)
class EngineStarted:
    """The engine began testing (a process that never says so stopped before testing)."""


@dataclass(frozen=True)
class PhaseStarted:
    """A phase began (`enabled` False: it was not asked for and will be skipped)."""

    phase: str
    enabled: bool


@dataclass(frozen=True)
class PhaseFinished:
    """A phase ended: `success`, `failure`, `error`, `interrupted` or `skip`."""

    phase: str
    enabled: bool
    status: str
    skip_reason: str | None


@dataclass(frozen=True)
class FailureInfo:
    """What a failed check reported (schemathesis's `Failure`), and the field at fault: a
    response's JSON path, the schema's field that refused a value, or what the server's error
    names."""

    kind: str  # the failure's class, e.g. "ServerError"
    code: str | None  # its stable code, e.g. "ST101"
    operation: str | None  # the operation schemathesis blames, e.g. "DELETE /v0.3/legs/{leg_id}"
    title: str
    message: str
    field: str | None


@dataclass(frozen=True)
class CheckResult:
    """One check's verdict on one case: `success`, `failure`, `error` or `skip`."""

    name: str
    status: str
    failure: FailureInfo | None = None


@dataclass(frozen=True)
class RecordedCase:
    """One request of a scenario: what was sent, what came back, and the checks' verdicts."""

    case_id: str
    method: str
    path: str  # the operation's path template
    # The case it came from: a link's source in the stateful phase, or the case a check
    # derived it from (a probe, which has no link behind it).
    parent_id: str | None
    linked: bool
    checks: tuple[CheckResult, ...]
    request: Request | None
    status: int | None  # None: no response came back
    body: bytes | None = None
    sent: bool = True  # False: recorded, but no request went out

    @property
    def label(self) -> str:
        """The operation it calls: ``GET /v0.3/legs``."""
        return f"{self.method.upper()} {self.path}"

    @property
    def probe(self) -> bool:
        """Whether a check sent it on its own (it has a parent and no link behind it)."""
        return self.parent_id is not None and not self.linked


@dataclass(frozen=True)
class ScenarioFinished:
    """A scenario ended: one operation's cases in the unit phases, a chain in the stateful one."""

    phase: str
    status: str
    label: str
    cases: tuple[RecordedCase, ...]
    # Whether it replays a failure already found, to confirm it.
    is_final: bool = False

    @property
    def operation(self) -> str | None:
        """The operation a unit phase's scenario tests (None in the stateful phase)."""
        return self.label if self.phase in UNIT_PHASES and self.label else None


@dataclass(frozen=True)
class NonFatalError:
    """An error that ended part of the run (a network failure, a broken operation)."""

    phase: str | None
    operation: str | None  # set when the error concerns one operation
    kind: str
    message: str


@dataclass(frozen=True)
class FatalError:
    """An error that ended the engine."""

    kind: str
    message: str


@dataclass(frozen=True)
class Interrupted:
    """The run was interrupted (Ctrl-C, SIGTERM)."""

    phase: str | None


@dataclass(frozen=True)
class EngineFinished:
    """The last event: why the engine stopped, and failures of checks run after the run."""

    stop_reason: str
    failures: tuple[FailureInfo, ...] = ()


EngineEvent = (
    Initialize
    | EngineStarted
    | PhaseStarted
    | PhaseFinished
    | ScenarioFinished
    | NonFatalError
    | FatalError
    | Interrupted
    | EngineFinished
)


def _map(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def _bytes(content: Any) -> bytes | None:
    """A body as schemathesis writes it: `{"$base64": ...}`, or plain text."""
    if isinstance(content, Mapping) and "$base64" in content:
        return base64.b64decode(content["$base64"])
    if isinstance(content, str):
        return content.encode()
    return None


def _request(raw: Mapping[str, Any]) -> Request | None:
    if not raw:
        return None
    headers = tuple(
        (str(name), str(value))
        for name, values in _map(raw.get("headers")).items()
        for value in (values if isinstance(values, list) else [values])
    )
    return Request(
        method=str(raw.get("method", "?")),
        url=str(raw.get("uri", "?")),
        headers=headers,
        body=_bytes(raw.get("body")),
    )


def _schema_field(pointer: str) -> str:
    """`Conversation.sequence_number (/components/schemas/...)` for a component property."""
    match = _COMPONENT_PROPERTY.match(pointer)
    if match is None or not match.group(2):
        return pointer
    names = [match.group(1), *match.group(2).split("/properties/")[1:]]
    return f"{'.'.join(names)} ({pointer})"


def _field_at_fault(message: str, body: bytes | None) -> str | None:
    """The response's JSON path, else the schema's field that refused the value, else the
    field the server's error names (its `detail`)."""
    match = _VALUE_AT.search(message)
    if match:
        return match.group(1)
    match = _SCHEMA_AT.search(message)
    if match:
        return _schema_field(match.group(1))
    try:
        detail = json.loads(body or b"").get("detail")
    except (ValueError, AttributeError):
        return None
    return str(detail) if detail else None


def _failure(raw: Mapping[str, Any], name: str, body: bytes | None) -> FailureInfo:
    message = str(raw.get("message", ""))
    return FailureInfo(
        kind=str(raw.get("type", "Failure")),
        code=_text(raw.get("code")),
        operation=_text(raw.get("operation")),
        title=str(raw.get("title", name)),
        message=message,
        field=_field_at_fault(message, body),
    )


def _check(raw: Mapping[str, Any], body: bytes | None) -> CheckResult:
    name = str(raw.get("name"))
    info = _map(raw.get("failure_info")).get("failure")
    failure = _failure(info, name, body) if isinstance(info, Mapping) else None
    return CheckResult(name, str(raw.get("status")), failure)


def _case(case_id: str, node: Mapping[str, Any], recorder: Mapping[str, Any]) -> RecordedCase:
    value = _map(node.get("value"))
    interaction = _map(_map(recorder.get("interactions")).get(case_id))
    response = _map(interaction.get("response"))
    status = response.get("status_code")
    body = _bytes(response.get("content"))
    checks = _map(recorder.get("checks")).get(case_id) or []
    return RecordedCase(
        case_id=case_id,
        method=str(value.get("method", "?")).upper(),
        path=str(value.get("path", "?")),
        parent_id=_text(node.get("parent_id")),
        linked=node.get("transition") is not None,
        checks=tuple(_check(_map(check), body) for check in checks),
        request=_request(_map(interaction.get("request"))),
        status=int(status) if status is not None else None,
        body=body,
        sent=bool(interaction),
    )


def _scenario(payload: Mapping[str, Any]) -> ScenarioFinished:
    recorder = _map(payload.get("recorder"))
    cases = _map(recorder.get("cases"))
    return ScenarioFinished(
        phase=str(payload.get("phase", "?")),
        status=str(payload.get("status", "?")),
        label=str(recorder.get("label") or ""),
        cases=tuple(_case(str(case_id), _map(node), recorder) for case_id, node in cases.items()),
        is_final=bool(payload.get("is_final", False)),
    )


def _phase(payload: Mapping[str, Any]) -> tuple[str, bool, str | None]:
    phase = _map(payload.get("phase"))
    return (
        str(phase.get("name")),
        bool(phase.get("is_enabled", True)),
        _text(phase.get("skip_reason")),
    )


def _initialize(payload: Mapping[str, Any]) -> Initialize:
    seed = payload.get("seed")
    return Initialize(seed if isinstance(seed, int) else None)


def _phase_started(payload: Mapping[str, Any]) -> PhaseStarted:
    phase, enabled, _ = _phase(payload)
    return PhaseStarted(phase, enabled)


def _phase_finished(payload: Mapping[str, Any]) -> PhaseFinished:
    phase, enabled, skip_reason = _phase(payload)
    return PhaseFinished(phase, enabled, str(payload.get("status")), skip_reason)


def _non_fatal(payload: Mapping[str, Any]) -> NonFatalError:
    value = _map(payload.get("value"))
    related = bool(payload.get("related_to_operation"))
    return NonFatalError(
        phase=_text(payload.get("phase")),
        operation=str(payload.get("label")) if related and payload.get("label") else None,
        kind=str(value.get("type", "error")),
        message=str(value.get("message", "")),
    )


def _fatal(payload: Mapping[str, Any]) -> FatalError:
    exception = payload.get("exception")
    found = _map(exception)
    return FatalError(
        str(found.get("type", "FatalError")), str(found.get("message", exception or ""))
    )


def _engine_finished(payload: Mapping[str, Any]) -> EngineFinished:
    failures = payload.get("failures") or []
    return EngineFinished(
        stop_reason=str(payload.get("stop_reason", "completed")),
        failures=tuple(
            _failure(_map(failure), "after_run", None)
            for failure in failures
            if isinstance(failure, Mapping)
        ),
    )


# Each event read, by the name schemathesis gives it.
_DECODERS: dict[str, Callable[[Mapping[str, Any]], EngineEvent]] = {
    "Initialize": _initialize,
    "EngineStarted": lambda payload: EngineStarted(),
    "PhaseStarted": _phase_started,
    "PhaseFinished": _phase_finished,
    "ScenarioFinished": _scenario,
    "NonFatalError": _non_fatal,
    "FatalError": _fatal,
    "Interrupted": lambda payload: Interrupted(_text(payload.get("phase"))),
    "EngineFinished": _engine_finished,
}


def decode(name: str, payload: Mapping[str, Any]) -> EngineEvent | None:
    """The typed event of one record (None for the events nothing here reads)."""
    decoder = _DECODERS.get(name)
    return None if decoder is None else decoder(payload)


def _parse(line: str) -> EngineEvent | None:
    if not line.strip():
        return None
    try:
        record = json.loads(line)
    except ValueError:
        raise StreamError(f"not a schemathesis event: {line[:80]!r}") from None
    if not isinstance(record, dict) or len(record) != 1:
        raise StreamError(f"not a schemathesis event: {line[:80]!r}")
    ((name, payload),) = record.items()
    return decode(str(name), _map(payload))


def read_events(path: Path) -> Iterator[EngineEvent]:
    """Every event of a finished stream, in order."""
    with path.open(encoding="utf-8") as stream:
        for line in stream:
            event = _parse(line)
            if event is not None:
                yield event


class StreamFollower:
    """The events a stream has gained since the last `poll`: only whole lines, so that a line
    the writer is half-way through is read on the next poll."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._offset = 0
        self._partial = b""

    def poll(self) -> list[EngineEvent]:
        """The complete events written since the previous call (none if the file is not there)."""
        try:
            with self.path.open("rb") as stream:
                stream.seek(self._offset)
                chunk = stream.read()
        except FileNotFoundError:
            return []
        self._offset += len(chunk)
        lines = (self._partial + chunk).split(b"\n")
        self._partial = lines.pop()
        events = [_parse(line.decode("utf-8")) for line in lines]
        return [event for event in events if event is not None]

    def finish(self) -> list[EngineEvent]:
        """What is left once the writer has stopped, a last line without its newline included."""
        events = self.poll()
        rest, self._partial = self._partial, b""
        last = _parse(rest.decode("utf-8")) if rest else None
        return [*events, last] if last is not None else events
