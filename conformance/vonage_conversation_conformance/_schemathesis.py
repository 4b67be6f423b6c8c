"""The schemathesis processes of a run: their configuration, their command line, and their
supervision.

Schemathesis runs as its own process through its command line, its public interface, with its
output kept in a log (shown only if it fails to start) and its working directory a temporary
one (so its and Hypothesis's state never land in the user's). Its NDJSON report is followed as
it grows, and each event goes to the run's handlers; a `ProcessReport` of the process's own
judges its exit code by the same events.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ._events import EventHandler
from ._options import SCHEMATHESIS_PHASES, Operation, Options
from ._progress import Progress
from ._results import STATEFUL, RunError, RunResult
from ._stream import (
    EngineEvent,
    EngineFinished,
    EngineStarted,
    FatalError,
    Interrupted,
    NonFatalError,
    PhaseFinished,
    ScenarioFinished,
    StreamError,
    StreamFollower,
)

__all__ = [
    "SCHEMATHESIS_CONFIG",
    "STATEFUL_RUNS",
    "ConformanceError",
    "ProcessReport",
    "Processes",
    "phase_groups",
    "schemathesis_command",
]

# How many times the stateful phase may start again to run its count of scenarios.
STATEFUL_RUNS = 4
# How often the event stream is read while schemathesis runs.
_POLL_SECONDS = 0.1
# How long an interrupted schemathesis process may take to finish its report.
_GRACE = 15.0
# schemathesis.toml for every run, in process too (`schemathesis.Config.from_str`):
# - fuzzing draws path ids from the spec, not from ids earlier responses returned: those few
#   ids exhaust Hypothesis's search after a handful of requests, and every operation is owed
#   its full count of examples (valid requests get real ids from the fixture instead);
# - the stateful phase's scenarios run long enough to chain create -> member -> event -> read
#   and delete;
# - the spec's links are deliberate; links schemathesis infers from parameter names assume any
#   conversation id fits any operation, which `members/me` (only your own memberships) refutes;
# - valid data signed with a valid token is never refused: schemathesis accepts 401 and 403
#   (and redirects) by default, which would let a server refusing everyone pass. A made-up or
#   already deleted id may still be not found (404), a made-up name already taken (409), and
#   a server may ask to slow down (429); 5xx are `not_a_server_error`'s to report.
SCHEMATHESIS_CONFIG = """\
[phases.fuzzing.extra-data-sources]
responses = false

[phases.stateful]
max-steps = 40

[phases.stateful.inference]
algorithms = []

[checks.positive_data_acceptance]
expected-statuses = ["2xx", "404", "409", "429", "5xx"]
"""
# Phase statuses that make schemathesis exit 1 (its own rule).
_FAILED_PHASE = frozenset({"failure", "error"})


class ConformanceError(RuntimeError):
    """The run could not happen (as opposed to: it ran and found failures)."""


def phase_groups(phases: Sequence[str]) -> list[tuple[str, ...]]:
    """The phases of each schemathesis process a check runs, in order: the stateless phases
    together, then the stateful phase in a process of its own.

    Why apart: the stateful phase ends early whenever Hypothesis finds the data it draws
    inconsistent with what it drew before (`FlakyStrategyDefinition`: replaying a scenario
    meets a server whose state has moved on, so a link resolves where it did not), and
    schemathesis ends the phase there as passed. After the stateless phases, in the same
    process, that came after 13 to 21 of 100 scenarios in every run measured (embedded
    emulator, schemathesis 4.32); in a process of its own, after 115 to 135 in most.
    """
    stateless = tuple(phase for phase in phases if phase != STATEFUL)
    stateful = tuple(phase for phase in phases if phase == STATEFUL)
    return [group for group in (stateless, stateful) if group]


def schemathesis_command(
    spec: Path,
    config: Path,
    base_url: str,
    options: Options,
    *,
    events: Path,
    checks: Sequence[str],
    operations: Sequence[Operation] | None,
) -> list[str]:
    """The schemathesis command line for one process (`operations` None: all of them)."""
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(config),
        "run",
        str(spec),
        "--url",
        base_url,
        "--checks",
        ",".join(checks),
        "--phases",
        ",".join(phase for phase in options.phases if phase in SCHEMATHESIS_PHASES),
        "--max-examples",
        str(options.max_examples),
        "--workers",
        str(options.workers),
        # Lone surrogates are not text: a server rightly refuses them as malformed UTF-8.
        "--generation-codec",
        "utf-8",
        "--report",
        "ndjson",
        "--report-ndjson-path",
        str(events),
        "--no-color",
    ]
    optional = {
        "--seed": options.seed,
        "--rate-limit": options.rate_limit,
        "--request-timeout": options.request_timeout,
        "--max-failures": options.max_failures,
    }
    for flag, value in optional.items():
        if value is not None:
            command += [flag, str(value)]
    for operation in operations or ():
        command += ["--include-operation-id", operation.operation_id]
    return command


@dataclass
class ProcessReport:
    """What one schemathesis process's stream reported, counted as schemathesis counts it to
    set its exit code: each distinct failure once (however often a scenario repeats it, and
    whether or not another process found it before), every error, every failed phase."""

    started: bool = False
    # Distinct failures: (operation, check, failure class, title).
    failures: set[tuple[str, str, str, str]] = field(default_factory=set)
    errors: int = 0
    failed_phases: list[str] = field(default_factory=list)
    stateful_scenarios: int = 0

    def handle_event(self, event: object) -> None:
        """Note one event of this process's stream."""
        if isinstance(event, EngineStarted):
            self.started = True
        elif isinstance(event, ScenarioFinished):
            self.stateful_scenarios += event.phase == STATEFUL
            for case in event.cases:
                for check in case.checks:
                    if check.status == "error":
                        self.errors += 1
                    elif check.failure is not None and check.status == "failure":
                        info = check.failure
                        operation = info.operation or case.label
                        self.failures.add((operation, check.name, info.kind, info.title))
        elif isinstance(event, NonFatalError | FatalError):
            self.errors += 1
        elif isinstance(event, PhaseFinished) and event.enabled and event.status in _FAILED_PHASE:
            self.failed_phases.append(event.phase)
        elif isinstance(event, EngineFinished):
            for info in event.failures:
                self.failures.add((info.operation or "", "after_run", info.kind, info.title))

    @property
    def found(self) -> bool:
        """Whether the stream reported a failure or an error."""
        return bool(self.failures or self.errors)

    def explains(self, code: int) -> bool:
        """Whether the stream says why the process exited with `code`."""
        return code == 0 or self.found or bool(self.failed_phases)


@dataclass
class Processes:
    """The schemathesis processes of one run, sharing a working folder, a configuration, the
    environment that loads the hooks, and the run's event handlers."""

    work: Path
    base_url: str
    options: Options
    checks: tuple[str, ...]
    operations: tuple[Operation, ...] | None  # None: every operation
    spec: Path
    env: Mapping[str, str]
    handlers: EventHandler  # the run's, the progress display among them
    progress: Progress
    result: RunResult
    count: int = field(default=0)
    # time.monotonic() when the run's --max-time budget runs out: a process still running then
    # is interrupted (as Ctrl-C does), and none starts after it.
    deadline: float | None = None

    def _out_of_time(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline

    @property
    def config(self) -> Path:
        """schemathesis.toml, in the working folder."""
        return self.work / "schemathesis.toml"

    def write_config(self) -> None:
        """Write schemathesis.toml, once for every process of the run."""
        self.config.write_text(SCHEMATHESIS_CONFIG, encoding="utf-8")

    def run(self, phases: tuple[str, ...], seed: int | None) -> ProcessReport:
        """One schemathesis process; what its stream reported (its exit code not 0 and the
        stream showing nothing to say why is an error of the run)."""
        self.count += 1
        events = self.work / f"events-{self.count}.ndjson"
        log_path = self.work / f"schemathesis-{self.count}.log"
        command = schemathesis_command(
            self.spec,
            self.config,
            self.base_url,
            replace(self.options, phases=phases, seed=seed),
            events=events,
            checks=self.checks,
            operations=self.operations,
        )
        report = ProcessReport()
        if self._out_of_time():
            self.result.out_of_time = True
            return report
        follower = StreamFollower(events)
        stopped_at: float | None = None
        with log_path.open("w", encoding="utf-8") as log:
            process = subprocess.Popen(
                command, env=dict(self.env), cwd=self.work, stdout=log, stderr=subprocess.STDOUT
            )
            try:
                while process.poll() is None:
                    self._feed(follower.poll(), report)
                    if stopped_at is None and self._out_of_time():
                        # Schemathesis ends an interrupted run cleanly, its report complete.
                        process.send_signal(signal.SIGINT)
                        stopped_at = time.monotonic()
                        self.result.out_of_time = True
                    elif stopped_at is not None and time.monotonic() > stopped_at + _GRACE:
                        process.terminate()
                    time.sleep(_POLL_SECONDS)
                self._feed(follower.finish(), report)
            except StreamError as error:
                raise ConformanceError(f"schemathesis's report cannot be read: {error}") from None
            finally:
                if process.poll() is None:
                    process.terminate()
                    process.wait()
                self.progress.close()
        code = process.returncode
        if stopped_at is not None:
            return report  # its end was the budget's: neither a failure nor an error
        if not report.started:
            raise ConformanceError(
                f"schemathesis stopped before testing (exit code {code}):\n{_tail(log_path)}"
            )
        if not report.explains(code):
            self.result.add_error(
                RunError(
                    None,
                    None,
                    "schemathesis",
                    f"exited with code {code} with no failure in its report:\n"
                    f"{_tail(log_path, hide=self.work)}",
                )
            )
        return report

    def _feed(self, events: list[EngineEvent], report: ProcessReport) -> None:
        for event in events:
            if isinstance(event, Interrupted) and self.result.out_of_time:
                continue  # the budget interrupted it, not the user
            report.handle_event(event)
            self.handlers.handle_event(event)

    def stateful(self) -> None:
        """The stateful phase, run again (each time with the next seed) while it ends before its
        scenario count, up to `STATEFUL_RUNS` times, unless a run finds a failure."""
        wanted, seed = self.options.max_examples, self.options.seed
        scenarios = 0
        for attempt in range(STATEFUL_RUNS):
            report = self.run((STATEFUL,), None if seed is None else seed + attempt)
            scenarios += report.stateful_scenarios
            if report.found or scenarios >= wanted or self.result.out_of_time:
                return
            if attempt + 1 < STATEFUL_RUNS:
                self.progress.say(
                    f"  stateful: ended after {scenarios} of {wanted} scenarios; starting again"
                )


def _tail(path: Path, lines: int = 15, *, hide: Path | None = None) -> str:
    """The log's last lines (`hide`: without those naming the working folder, deleted at the
    end of the run)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    kept = [line for line in text.strip().splitlines() if hide is None or str(hide) not in line]
    return "\n".join(kept[-lines:])
