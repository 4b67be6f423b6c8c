"""Run schemathesis against a target and read back what it found.

Schemathesis runs as its own process through its command line, its public interface: it
prints its progress and each failure as it goes, writes the JUnit report, and writes the event
stream this package reads for the final table. The hooks module signs its requests.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from . import _junit, hooks
from ._results import STATEFUL, RunResult, collect, read_events
from ._target import Target, embedded_target, remote_target

# Stateless phases first (every operation, every check), then stateful (following links).
PHASES = ("examples", "coverage", "fuzzing", STATEFUL)
# How many times the stateful phase may start again to run its count of scenarios.
STATEFUL_RUNS = 4
# schemathesis.toml for every run, in process too (`schemathesis.Config.from_str`):
# - fuzzing draws path ids from the spec, not from ids earlier responses returned: those few
#   ids exhaust Hypothesis's search after a handful of requests, and every operation is owed
#   its full count of examples; requests on real resources are the stateful phase's job,
# - whose scenarios run long enough to chain create -> member -> event -> read and delete;
# - the spec's links are deliberate; links schemathesis infers from parameter names assume any
#   conversation id fits any operation, which `members/me` (only your own memberships) refutes.
SCHEMATHESIS_CONFIG = """\
[phases.fuzzing.extra-data-sources]
responses = false

[phases.stateful]
max-steps = 40

[phases.stateful.inference]
algorithms = []
"""


class ConformanceError(RuntimeError):
    """The run could not happen (as opposed to: it ran and found failures)."""


@dataclass(frozen=True)
class Options:
    """How to run: against what, how hard, and where to write the JUnit report."""

    url: str | None = None
    application_id: str | None = None
    private_key: Path | None = None
    max_examples: int = 100
    workers: int = 1
    seed: int | None = None
    junit_xml: Path | None = None
    phases: tuple[str, ...] = PHASES


def schemathesis_command(
    spec: Path, config: Path, target: Target, options: Options, events: Path
) -> list[str]:
    """The schemathesis command line for one run."""
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(config),
        "run",
        str(spec),
        "--url",
        target.base_url,
        "--checks",
        "all",
        "--phases",
        ",".join(options.phases),
        "--max-examples",
        str(options.max_examples),
        "--workers",
        str(options.workers),
        # Lone surrogates are not text: a server rightly refuses them as malformed UTF-8.
        "--generation-codec",
        "utf-8",
        "--report",
        "ndjson" if options.junit_xml is None else "ndjson,junit",
        "--report-ndjson-path",
        str(events),
    ]
    if options.seed is not None:
        command += ["--seed", str(options.seed)]
    if options.junit_xml is not None:
        command += ["--report-junit-path", str(options.junit_xml)]
    return command


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


class _Runs:
    """The schemathesis processes of one check, sharing its files: each one's event stream and
    JUnit report are kept for the end."""

    def __init__(
        self,
        work: Path,
        target: Target,
        options: Options,
        spec: Path,
        environ: Mapping[str, str],
    ) -> None:
        self.work, self.target, self.options, self.spec = work, target, options, spec
        key = work / "private.key"
        key.touch(mode=0o600)
        key.write_text(target.private_key_pem, encoding="utf-8")
        self.config = work / "schemathesis.toml"
        self.config.write_text(SCHEMATHESIS_CONFIG, encoding="utf-8")
        self.env = {**environ, **hooks.environment(target.application_id, key, target.users)}
        self.streams: list[Path] = []
        self.reports: list[tuple[str, Path]] = []

    def run(self, phases: tuple[str, ...], seed: int | None) -> Path:
        """One schemathesis process; the event stream it wrote."""
        number = len(self.streams) + 1
        events = self.work / f"events-{number}.ndjson"
        junit = None if self.options.junit_xml is None else self.work / f"junit-{number}.xml"
        run = replace(self.options, phases=phases, junit_xml=junit, seed=seed)
        print(f"\n-- schemathesis run {number}: {', '.join(phases)}", flush=True)
        command = schemathesis_command(self.spec, self.config, self.target, run, events)
        done = subprocess.run(command, env=self.env, check=False)
        if not events.exists():
            raise ConformanceError(
                f"schemathesis stopped before testing (exit code {done.returncode})"
            )
        self.streams.append(events)
        if junit is not None and junit.exists():
            self.reports.append((f"run {number}: {', '.join(phases)}", junit))
        return events

    def stateful(self) -> None:
        """The stateful phase, run again (each time with the next seed) while it ends before its
        scenario count, up to `STATEFUL_RUNS` times, unless a run finds a failure."""
        wanted, seed = self.options.max_examples, self.options.seed
        scenarios = 0
        for attempt in range(STATEFUL_RUNS):
            stream = self.run((STATEFUL,), None if seed is None else seed + attempt)
            found = collect(read_events(stream))
            scenarios += found.stateful_scenarios
            if found.failed or scenarios >= wanted:
                return
            print(f"\n-- the stateful phase ran {scenarios} of {wanted} scenarios", flush=True)

    def result(self) -> RunResult:
        """What every run found, with one JUnit report where the options ask for one."""
        if self.options.junit_xml is not None:
            _junit.merge(self.reports, self.options.junit_xml)
        return collect(itertools.chain.from_iterable(map(read_events, self.streams)))


def check(
    target: Target, options: Options, *, environ: Mapping[str, str] = os.environ
) -> RunResult:
    """Run schemathesis against target; its own output goes to this process's terminal."""
    with (
        tempfile.TemporaryDirectory(prefix="vonage-conformance-") as work,
        resources.as_file(resources.files("vonage_conversation_api") / "openapi.yaml") as spec,
    ):
        runs = _Runs(Path(work), target, options, spec, environ)
        for phases in phase_groups(options.phases):
            if phases == (STATEFUL,):
                runs.stateful()
            else:
                runs.run(phases, options.seed)
        return runs.result()


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


def run_conformance(
    options: Options, *, environ: Mapping[str, str] = os.environ
) -> tuple[Target, RunResult]:
    """Check the server options name (the embedded emulator when none) against the spec."""
    with open_target(options, environ=environ) as target:
        return target, check(target, options, environ=environ)
