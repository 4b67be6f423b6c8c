"""A conformance run, start to end: target, preflight, setup, schemathesis, clean-up, verdict.

Schemathesis runs as its own process through its command line, its public interface, with its
output kept in a log (shown only if it fails to start) and its working directory a temporary
one (so its and Hypothesis's state never land in the user's). The event stream it writes is
followed as it grows: `_progress` shows it, `_results` counts it. The hooks module signs its
requests and aims valid ones at the fixture the setup made.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

from rich.console import Console

from . import hooks
from ._api import Api
from ._events import StreamFollower
from ._fixture import Fixture, build_fixture
from ._maker import Maker, UserError
from ._options import (
    SCHEMATHESIS_PHASES,
    Operation,
    Options,
    check_phases,
    schemathesis_checks,
    select_checks,
    select_operations,
    spec_operations,
)
from ._preflight import PreflightError, preflight
from ._progress import Progress
from ._report import Summary, console
from ._results import STATEFUL, Collector, RunError, RunResult
from ._target import Target, TargetError, embedded_target, remote_target, with_listed_users
from ._verdict import ExitCode, judge
from .semantic import PHASE as SEMANTIC
from .semantic import SEMANTIC_CHECKS, run_semantic

__all__ = [
    "SCHEMATHESIS_CONFIG",
    "STATEFUL_RUNS",
    "ConformanceError",
    "Outcome",
    "Plan",
    "PreflightError",
    "check",
    "describe",
    "open_target",
    "phase_groups",
    "ready_target",
    "run_conformance",
    "schemathesis_command",
    "token_command",
]

# The phase the fixture's requests (and its clean-up) are counted under.
SETUP = "setup"
# How many times the stateful phase may start again to run its count of scenarios.
STATEFUL_RUNS = 4
# How often the event stream is read while schemathesis runs.
_POLL_SECONDS = 0.1
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


class ConformanceError(RuntimeError):
    """The run could not happen (as opposed to: it ran and found failures)."""


@dataclass(frozen=True)
class Outcome:
    """A finished run: what it checked and what it found."""

    target: Target
    summary: Summary

    @property
    def code(self) -> ExitCode:
        return self.summary.verdict.code


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


@dataclass(frozen=True)
class Plan:
    """What a run checks, from its options: the operations, checks and phases they select."""

    options: Options
    operations: tuple[Operation, ...]
    checks: tuple[str, ...]

    @classmethod
    def of(cls, options: Options) -> Plan:
        """The plan for `options`; an `OptionError` if they select nothing or name unknowns."""
        phases = check_phases(options.phases)
        return cls(
            replace(options, phases=phases), select_operations(options), select_checks(options)
        )

    @property
    def filtered(self) -> bool:
        """Whether some operations are left out (schemathesis is then told which to run)."""
        return len(self.operations) != len(spec_operations())

    @property
    def schemathesis_checks(self) -> tuple[str, ...]:
        """The selected checks schemathesis runs."""
        return tuple(name for name in self.checks if name in schemathesis_checks())

    @property
    def semantic_checks(self) -> tuple[str, ...]:
        """The selected semantic checks."""
        return tuple(name for name in self.checks if name in SEMANTIC_CHECKS)

    @property
    def schemathesis_phases(self) -> tuple[str, ...]:
        """The selected phases schemathesis runs (none if none of its checks is selected)."""
        if not self.schemathesis_checks:
            return ()
        return tuple(phase for phase in self.options.phases if phase in SCHEMATHESIS_PHASES)

    @property
    def semantic(self) -> bool:
        """Whether the semantic phase runs."""
        return "semantic" in self.options.phases and bool(self.semantic_checks)


@dataclass
class _Run:
    """The schemathesis processes of one check, sharing a working folder, the counting of what
    they report, and the progress display."""

    work: Path
    target: Target
    plan: Plan
    spec: Path
    env: Mapping[str, str]
    collector: Collector
    progress: Progress
    processes: int = field(default=0)

    @property
    def config(self) -> Path:
        """schemathesis.toml, written into the working folder by `_environment`."""
        return self.work / "schemathesis.toml"

    def run(self, phases: tuple[str, ...], seed: int | None) -> int:
        """One schemathesis process; its exit code (the run fails when it is not 0 and the
        stream showed no failure to say why)."""
        self.processes += 1
        number = self.processes
        events = self.work / f"events-{number}.ndjson"
        log_path = self.work / f"schemathesis-{number}.log"
        command = schemathesis_command(
            self.spec,
            self.config,
            self.target.base_url,
            replace(self.plan.options, phases=phases, seed=seed),
            events=events,
            checks=self.plan.schemathesis_checks,
            operations=self.plan.operations if self.plan.filtered else None,
        )
        result = self.collector.result
        found_before = len(result.failures) + len(result.errors)
        follower = StreamFollower(events)
        started = False
        with log_path.open("w", encoding="utf-8") as log:
            process = subprocess.Popen(
                command, env=dict(self.env), cwd=self.work, stdout=log, stderr=subprocess.STDOUT
            )
            try:
                while process.poll() is None:
                    started |= self._feed(follower.poll())
                    time.sleep(_POLL_SECONDS)
            except BaseException:
                process.terminate()
                process.wait()
                raise
            finally:
                self.progress.close()
            started |= self._feed(follower.finish())
        code = process.returncode
        if not started:
            raise ConformanceError(
                f"schemathesis stopped before testing (exit code {code}):\n{_tail(log_path)}"
            )
        if code != 0 and len(result.failures) + len(result.errors) == found_before:
            result.add_error(
                RunError(
                    None,
                    None,
                    "schemathesis",
                    f"exited with code {code} with no failure in its report:\n{_tail(log_path)}",
                )
            )
        return code

    def _feed(self, events: list[tuple[str, dict[str, object]]]) -> bool:
        started = False
        for name, payload in events:
            started |= name == "EngineStarted"
            self.collector.on_event(name, payload)
            self.progress.on_event(name, payload)
        return started

    def stateful(self) -> None:
        """The stateful phase, run again (each time with the next seed) while it ends before its
        scenario count, up to `STATEFUL_RUNS` times, unless a run finds a failure."""
        wanted, seed = self.plan.options.max_examples, self.plan.options.seed
        result = self.collector.result
        before = result.stateful_scenarios
        for attempt in range(STATEFUL_RUNS):
            found = len(result.failures) + len(result.errors)
            self.run((STATEFUL,), None if seed is None else seed + attempt)
            scenarios = result.stateful_scenarios - before
            if len(result.failures) + len(result.errors) > found or scenarios >= wanted:
                return
            if attempt + 1 < STATEFUL_RUNS:
                self.progress.say(
                    f"  stateful: ended after {scenarios} of {wanted} scenarios; starting again"
                )


def _tail(path: Path, lines: int = 15) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.strip().splitlines()[-lines:])


@contextmanager
def open_target(
    options: Options, *, users: tuple[str, ...] = (), environ: Mapping[str, str] = os.environ
) -> Iterator[Target]:
    """The server options name, for the length of a `with` block: the embedded emulator (with
    `users` created too) when there is no URL."""
    if options.url is None:
        with embedded_target(users) as target:
            yield target
    else:
        yield remote_target(
            options.url,
            application_id=options.application_id,
            private_key=options.private_key,
            environ=environ,
        )


def _api(target: Target, result: RunResult, phase: str) -> Api:
    """Signed raw requests to `target` of the run's own, counted in `result` under `phase`."""
    return Api(target.base_url, target.application_id, target.private_key_pem, result, phase=phase)


def token_command(options: Options, target: Target) -> Callable[[str], str]:
    """The command that prints a token for an operation's requests, for reproductions."""
    parts = ["vonage-conversation", "token"]
    if options.application_id:
        parts += ["--application-id", options.application_id]
    if options.private_key:
        parts += ["--private-key", str(options.private_key)]

    def command(operation: str) -> str:
        sub = (
            ["--sub", target.users[0]] if operation.endswith("/members/me") and target.users else []
        )
        return shlex.join([*parts, *sub])

    return command


def _environment(
    work: Path,
    target: Target,
    fixture: Fixture,
    created: Path,
    environ: Mapping[str, str],
) -> dict[str, str]:
    """The schemathesis process's environment: the caller's, and what configures the hooks."""
    key = work / "private.key"
    key.touch(mode=0o600)
    key.write_text(target.private_key_pem, encoding="utf-8")
    fixture_file = work / "fixture.json"
    fixture.dump(fixture_file)
    (work / "schemathesis.toml").write_text(SCHEMATHESIS_CONFIG, encoding="utf-8")
    identity = hooks.environment(
        target.application_id, key, target.users, fixture=fixture_file, created_log=created
    )
    return {**environ, **identity}


def _setup(maker: Maker, target: Target) -> Fixture:
    """Make the fixture; a user that does not exist makes the run impossible (`TargetError`)."""
    try:
        return build_fixture(maker, target.users)
    except UserError as error:
        maker.delete()
        raise TargetError(str(error)) from None


def describe(target: Target) -> str:
    """How the report names the server checked."""
    return "the embedded emulator" if target.embedded else target.base_url


def _schemathesis(
    target: Target,
    plan: Plan,
    environ: Mapping[str, str],
    collector: Collector,
    progress: Progress,
) -> None:
    """Set up the fixture, run the schemathesis phases, and delete what they made."""
    with ExitStack() as stack:
        work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="vonage-conformance-")))
        spec = stack.enter_context(
            resources.as_file(resources.files("vonage_conversation_api") / "openapi.yaml")
        )
        api = stack.enter_context(_api(target, collector.result, SETUP))
        maker = Maker(api, "conformance")
        fixture = _setup(maker, target)
        refused = any(failure.phase == SETUP for failure in collector.result.failures)
        collector.result.phases[SETUP] = "failure" if refused else "success"
        made = f"setup: {len(fixture.conversations)} conversations with members, events and a leg"
        progress.say(made if not fixture.notes else f"{made} ({'; '.join(fixture.notes)})")
        created = work / "created.txt"
        env = _environment(work, target, fixture, created, environ)
        run = _Run(work, target, plan, spec, env, collector, progress)
        try:
            for phases in phase_groups(plan.schemathesis_phases):
                if phases == (STATEFUL,):
                    run.stateful()
                else:
                    run.run(phases, plan.options.seed)
        finally:
            made_by_run = created.read_text().split() if created.exists() else []
            deleted = maker.delete(made_by_run)
            progress.say(f"clean-up: deleted {deleted} conversations the run made")


def check(
    target: Target,
    plan: Plan,
    *,
    environ: Mapping[str, str] = os.environ,
    progress_out: Console | None = None,
) -> Summary:
    """Check `target` (already preflighted, with its users) as `plan` says."""
    out = progress_out or console(file=sys.stderr)
    progress = Progress(out, operations=len(plan.operations), scenarios=plan.options.max_examples)
    collector = Collector(plan.schemathesis_checks)
    if plan.schemathesis_phases:
        _schemathesis(target, plan, environ, collector, progress)
    if plan.semantic:
        with _api(target, collector.result, SEMANTIC) as api:
            selected = frozenset(operation.label for operation in plan.operations)
            run_semantic(api, target.users, plan.semantic_checks, selected, progress)
    labels = tuple(operation.label for operation in plan.operations)
    return Summary(
        target=describe(target),
        result=collector.result,
        verdict=judge(
            collector.result,
            labels,
            collector.verifying,
            verified_needed=bool(plan.schemathesis_phases),
        ),
        operations=labels,
        verifies=bool(plan.schemathesis_phases),
        token_command=token_command(plan.options, target),
        note=(
            "The embedded emulator stopped with the run: to send a request again, start "
            "`vonage-conversation emulator` and run the check with --url."
            if target.embedded and collector.result.failures
            else None
        ),
    )


@contextmanager
def ready_target(
    options: Options,
    out: Console,
    *,
    users: tuple[str, ...] = (),
    environ: Mapping[str, str] = os.environ,
) -> Iterator[Target]:
    """The server options name, preflighted and with its users, for a `with` block (the
    embedded emulator, with `users` created too, when there is no URL)."""
    with open_target(options, users=users, environ=environ) as target:
        out.print(f"checking {describe(target)}")
        passed = preflight(target.base_url, target.application_id, target.private_key_pem)
        out.print(f"preflight: {passed.describe()}", soft_wrap=True)
        yield with_listed_users(target)


def run_conformance(
    options: Options,
    *,
    environ: Mapping[str, str] = os.environ,
    progress_out: Console | None = None,
) -> Outcome:
    """Check the server options name (the embedded emulator when none) against the spec.

    Raises `OptionError`, `TargetError`, `PreflightError` or `ConformanceError` when the run
    cannot happen (exit 2).
    """
    plan = Plan.of(options)  # bad filters fail before anything starts
    out = progress_out or console(file=sys.stderr)
    with ready_target(options, out, environ=environ) as target:
        summary = check(target, plan, environ=environ, progress_out=out)
        return Outcome(target=target, summary=summary)
