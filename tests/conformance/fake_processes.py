"""`Processes` whose schemathesis process is a script of the test's, for the unit tests of
process supervision (its stream, its exit code, its interruption)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from vonage_conversation_conformance import Options, Plan
from vonage_conversation_conformance._counting import Collector
from vonage_conversation_conformance._events import Handlers
from vonage_conversation_conformance._progress import Progress
from vonage_conversation_conformance._report import console
from vonage_conversation_conformance._schemathesis import Processes


def fake_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> Processes:
    """`Processes` whose schemathesis process is `script` (given the events file as argv[1])."""
    monkeypatch.setattr(
        "vonage_conversation_conformance._schemathesis.schemathesis_command",
        lambda *args, events, **kwargs: [sys.executable, "-c", script, str(events)],
    )
    plan = Plan.of(Options(max_examples=100, seed=7))
    progress = Progress(console(file=open("/dev/null", "w")), operations=22, scenarios=100)  # noqa: SIM115
    collector = Collector(plan.checks)
    return Processes(
        work=tmp_path,
        base_url="http://h",
        options=plan.options,
        checks=plan.schemathesis_checks,
        operations=None,
        spec=Path("spec"),
        env={},
        handlers=Handlers([collector, progress]),
        progress=progress,
        result=collector.result,
    )
