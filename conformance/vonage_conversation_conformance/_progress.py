"""Progress while a run goes: a line as each step starts and ends, and on a terminal a bar of the
operations (or scenarios) a phase has done: a handler of schemathesis's events (`_stream`)."""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
from rich.progress import Progress as Bar

from ._report import PHASE_WORDS, PREPARATION
from ._results import response_class
from ._stream import PhaseFinished, PhaseStarted, ScenarioFinished

__all__ = ["Progress"]

_STATUS_WORDS = {"success": "done", "failure": "found failures", "error": "errored"}


class Progress:
    """Prints what a run is doing on `out` (a bar only where `out` is a terminal)."""

    def __init__(self, out: Console, *, operations: int, scenarios: int) -> None:
        self.out = out
        self.operations, self.scenarios = operations, scenarios
        self._bar: Bar | None = None
        self._task: Any = None
        self._phase: str | None = None
        self._started = 0.0
        self._answers: Counter[str] = Counter()

    def say(self, text: str) -> None:
        """One line about a step of the run."""
        self.out.print(text, soft_wrap=True)

    def handle_event(self, event: object) -> None:
        """Follow one event of a run."""
        if isinstance(event, PhaseStarted):
            self._start(event.phase, event.enabled)
        elif isinstance(event, ScenarioFinished) and self._phase is not None:
            for case in event.cases:
                if case.sent:
                    self._answers[response_class(case.status)] += 1
            if self._bar is not None:
                self._bar.advance(self._task)
        elif isinstance(event, PhaseFinished) and self._phase is not None:
            self._finish(event.status)

    def _start(self, phase: str, enabled: bool) -> None:
        if phase in PREPARATION or not enabled:
            return
        self._phase, self._started, self._answers = phase, time.monotonic(), Counter()
        words = PHASE_WORDS.get(phase, phase)
        self.say(f"  {phase}: {words} ...")
        if self.out.is_terminal:
            total = self.scenarios if phase == "stateful" else self.operations
            self._bar = Bar(
                TextColumn("    {task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=self.out,
                transient=True,
            )
            unit = "scenarios" if phase == "stateful" else "operations"
            self._task = self._bar.add_task(unit, total=total)
            self._bar.start()

    def _finish(self, status: str) -> None:
        self.close()
        answers = ", ".join(
            f"{name} {count}" for name, count in sorted(self._answers.items()) if count
        )
        elapsed = time.monotonic() - self._started
        outcome = _STATUS_WORDS.get(status, status)
        total = sum(self._answers.values())
        self.say(
            f"  {self._phase}: {outcome}, {total} requests ({answers or 'no answers'}) "
            f"in {elapsed:.1f} s"
        )
        self._phase = None

    def close(self) -> None:
        """Take the bar off the screen (a run that stops mid-phase leaves none behind)."""
        if self._bar is not None:
            self._bar.stop()
            self._bar = None
