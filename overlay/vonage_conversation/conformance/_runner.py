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
from ._results import RunResult, collect, read_events
from ._target import Target, embedded_target, remote_target

# Stateless phases first (every operation, every check), then stateful (following links).
PHASES = ("examples", "coverage", "fuzzing", "stateful")
STATEFUL = "stateful"
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

    Why two: after the stateless phases, the stateful phase of the same process stops after a
    dozen or so scenarios: Hypothesis finds the data it draws inconsistent with what it drew
    before (`FlakyStrategyDefinition`), and schemathesis ends the phase there as passed.
    Against the embedded emulator with 100 examples (schemathesis 4.32), it ran 13 to 21
    scenarios and covered 11 to 16 of the 18 links in one process, and 115 to 120 scenarios
    covering 16 to 18 links in a process of its own.
    """
    stateless = tuple(phase for phase in phases if phase != STATEFUL)
    stateful = tuple(phase for phase in phases if phase == STATEFUL)
    return [group for group in (stateless, stateful) if group]


def check(
    target: Target, options: Options, *, environ: Mapping[str, str] = os.environ
) -> RunResult:
    """Run schemathesis against target; its own output goes to this process's terminal."""
    with tempfile.TemporaryDirectory(prefix="vonage-conformance-") as work:
        key = Path(work) / "private.key"
        key.touch(mode=0o600)
        key.write_text(target.private_key_pem, encoding="utf-8")
        config = Path(work) / "schemathesis.toml"
        config.write_text(SCHEMATHESIS_CONFIG, encoding="utf-8")
        env = {**environ, **hooks.environment(target.application_id, key, target.users)}
        streams: list[Path] = []
        reports: list[tuple[str, Path]] = []
        with resources.as_file(resources.files("vonage_conversation_api") / "openapi.yaml") as spec:
            groups = phase_groups(options.phases)
            for number, phases in enumerate(groups):
                events = Path(work) / f"events-{number}.ndjson"
                junit = None if options.junit_xml is None else Path(work) / f"junit-{number}.xml"
                run = replace(options, phases=phases, junit_xml=junit)
                heading = f"schemathesis run {number + 1} of {len(groups)}: {', '.join(phases)}"
                print(f"\n-- {heading}", flush=True)
                command = schemathesis_command(spec, config, target, run, events)
                done = subprocess.run(command, env=env, check=False)
                if not events.exists():
                    raise ConformanceError(
                        f"schemathesis stopped before testing (exit code {done.returncode})"
                    )
                streams.append(events)
                if junit is not None and junit.exists():
                    reports.append((", ".join(phases), junit))
        if options.junit_xml is not None:
            _junit.merge(reports, options.junit_xml)
        return collect(itertools.chain.from_iterable(map(read_events, streams)))


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
