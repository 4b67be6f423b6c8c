"""Counting a run from schemathesis's typed events (`_stream`) into its `RunResult`: the handler
that tallies requests, answers and check verdicts per operation, keeps each distinct failure
and every error, and notes how each phase ended.

Several streams may feed one collector (a run is several schemathesis processes), and the
package's own requests (`_api`) count into the same result.
"""

from __future__ import annotations

from collections.abc import Iterable

from ._coverage import sent_parameters
from ._results import (
    STATEFUL,
    VERIFYING_CHECKS,
    Failure,
    OperationTally,
    Request,
    RunError,
    RunResult,
    response_class,
)
from ._stream import (
    CheckResult,
    EngineFinished,
    FatalError,
    Initialize,
    Interrupted,
    NonFatalError,
    PhaseFinished,
    RecordedCase,
    ScenarioFinished,
)
from ._tokens import GARBLED, bearer

__all__ = ["Collector"]

# Phase statuses, from best to worst: a phase run by several processes reports its worst.
_PHASE_RANK = {"success": 0, "skip": 0, "failure": 1, "error": 2, "interrupted": 3}


class Collector:
    """Counts a run's events into a `RunResult`, one event at a time."""

    def __init__(self, selected_checks: Iterable[str], result: RunResult | None = None) -> None:
        self.selected = frozenset(selected_checks)
        self.verifying = self.selected.intersection(VERIFYING_CHECKS)
        self.result = result if result is not None else RunResult()

    def feed(self, events: Iterable[object]) -> RunResult:
        """Count every event; the result so far."""
        for event in events:
            self.handle_event(event)
        return self.result

    def handle_event(self, event: object) -> None:
        """Count one event (events of other kinds are not this handler's)."""
        result = self.result
        if isinstance(event, Initialize) and event.seed is not None:
            result.seeds.append(event.seed)
        elif isinstance(event, PhaseFinished):
            self._phase(event)
        elif isinstance(event, ScenarioFinished):
            self._scenario(event)
        elif isinstance(event, NonFatalError):
            result.add_error(RunError(event.operation, event.phase, event.kind, event.message))
        elif isinstance(event, FatalError):
            result.add_error(RunError(None, None, event.kind, event.message))
        elif isinstance(event, Interrupted):
            result.add_error(RunError(None, event.phase, "Interrupted", ""))
        elif isinstance(event, EngineFinished):
            self._finished(event)

    def _phase(self, event: PhaseFinished) -> None:
        """How a phase ended: a phase several processes ran reports its worst status, and one
        that was not asked for is left out."""
        if event.skip_reason == "disabled":
            return
        phases = self.result.phases
        if _PHASE_RANK.get(event.status, 2) >= _PHASE_RANK.get(
            phases.get(event.phase, "success"), 2
        ):
            phases[event.phase] = event.status

    def _finished(self, event: EngineFinished) -> None:
        if event.stop_reason != "completed":
            self.result.stop_reasons.append(event.stop_reason)
        for failure in event.failures:  # checks schemathesis ran once the run was over
            self.result.add_failure(
                Failure(
                    operation=failure.operation or "the run",
                    check="after_run",
                    phase="after_run",
                    title=failure.title,
                    message=failure.message,
                    field=failure.field,
                )
            )

    def _scenario(self, scenario: ScenarioFinished) -> None:
        stateful = scenario.phase == STATEFUL
        self.result.stateful_scenarios += stateful
        for case in scenario.cases:
            # A unit phase's scenario tests the operation its label names, also where a request
            # probes another method on its path; a stateful one chains several operations.
            operation = scenario.operation or case.label
            tally = self.result.operation(operation)
            self.result.phase_requests[scenario.phase] += 1
            tally.requests += 1
            tally.stateful_requests += stateful
            tally.responses[response_class(case.status)] += 1
            # A check may record its verdict on the probe it sent (ignored_auth does).
            self._checks(operation, scenario.phase, tally, case)
            if not case.probe and case.request is not None and case.label == operation:
                tally.parameters.update(sent_parameters(case.request))
            if case.probe or case.status is None:
                continue
            tally.test_cases += 1
            own = case.label == operation
            if own:
                tally.statuses[case.status] += 1
            if own and 200 <= case.status < 300 and tally.verified_in is None:
                passed = {check.name for check in case.checks if check.status == "success"}
                if self.verifying and self.verifying <= passed:
                    tally.verified_in = scenario.phase

    def _checks(
        self, operation: str, phase: str, tally: OperationTally, case: RecordedCase
    ) -> None:
        for check in case.checks:
            counts = tally.check(check.name)
            if check.status == "success":
                counts.passed += 1
            elif check.status == "failure":
                counts.failed += 1
                self.result.add_failure(_failure(operation, phase, check, case))
            elif check.status == "error":
                counts.errored += 1
                self.result.add_error(
                    RunError(operation, phase, "check error", f"the check {check.name} crashed")
                )
            else:
                counts.skipped += 1
        if case.probe or case.status is None:
            return
        # A check that was selected but gave no verdict on this response skipped it.
        for name in self.selected - {check.name for check in case.checks}:
            tally.check(name).skipped += 1


def _reproduction(check: CheckResult, case: RecordedCase) -> Request | None:
    """The request that shows the failure: for `ignored_auth`, not the case (sent with a valid
    token, which would reproduce nothing) but its probe, as schemathesis says it sent it: with
    no token, or with one that is no token (its "invalid credentials")."""
    if case.request is None or check.name != "ignored_auth":
        return case.request
    message = check.failure.message if check.failure is not None else ""
    invalid = "invalid" in message
    return case.request.with_authorization(bearer(GARBLED) if invalid else None)


def _failure(operation: str, phase: str, check: CheckResult, case: RecordedCase) -> Failure:
    info = check.failure
    return Failure(
        operation=operation,
        check=check.name,
        phase=phase,
        title=info.title if info is not None else check.name,
        message=info.message if info is not None else "",
        field=info.field if info is not None else None,
        status=case.status,
        request=_reproduction(check, case),
    )
