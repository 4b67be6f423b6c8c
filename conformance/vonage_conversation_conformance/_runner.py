"""A conformance run, start to end: the target, each selected phase in turn, the verdict, and
the run's handlers told of every event and of the end.

Orchestration only. What a phase does is its own module's (`_schemathesis` supervises the
schemathesis processes, `semantic` runs the package's own checks); what is counted, shown or
written is the handlers' (`_counting`, `_progress`, `_junit`), which follow the run's events
(`_events`).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Protocol

from rich.console import Console

from . import hooks
from ._api import Api
from ._counting import Collector
from ._events import EventHandler, Handlers, RunFinished
from ._fixture import Fixture, build_fixture
from ._html import write_html
from ._junit import JUnitReport
from ._maker import Maker, UserError
from ._options import Options
from ._outputs import ReportFile
from ._plan import Plan
from ._progress import Progress
from ._report import Summary, console
from ._results import STATEFUL, RunResult
from ._schemathesis import Processes, phase_groups
from ._target import Target, TargetError, describe, ready_target, token_command
from ._verdict import ExitCode, judge
from .callbacks import PHASE as CALLBACKS
from .callbacks import run_callbacks
from .callbacks._checks import OPERATION as CALLBACK_OPERATION
from .semantic import PHASE as SEMANTIC
from .semantic import run_semantic

__all__ = ["PHASES", "Outcome", "Phase", "RunContext", "check", "run_conformance"]

# The phase the fixture's requests (and its clean-up) are counted under.
SETUP = "setup"


@dataclass(frozen=True)
class Outcome:
    """A finished run: what it checked and what it found."""

    target: Target
    summary: Summary

    @property
    def code(self) -> ExitCode:
        return self.summary.verdict.code


@dataclass(frozen=True)
class RunContext:
    """What every phase of a run works with."""

    target: Target
    plan: Plan
    result: RunResult
    progress: Progress
    handlers: Handlers  # every event of the run goes here
    environ: Mapping[str, str]
    deadline: float | None = None  # time.monotonic() when the --max-time budget runs out

    def api(self, phase: str) -> Api:
        """Signed raw requests of the run's own, counted under `phase`."""
        target = self.target
        return Api(
            target.base_url, target.application_id, target.private_key_pem, self.result, phase=phase
        )


class Phase(Protocol):
    """A step of the run: whether the plan selects it, and how it runs."""

    def selected(self, plan: Plan) -> bool:
        """Whether `plan` runs this phase."""

    def run(self, run: RunContext) -> None:
        """Run it, counting what it finds into `run.result`."""


def _setup(maker: Maker, target: Target) -> Fixture:
    """Make the fixture; a user that does not exist makes the run impossible (`TargetError`)."""
    try:
        return build_fixture(maker, target.users)
    except UserError as error:
        maker.delete()
        raise TargetError(str(error)) from None


class SchemathesisPhases:
    """Set up the fixture, run schemathesis's selected phases, and delete what they made."""

    def selected(self, plan: Plan) -> bool:
        return bool(plan.schemathesis_phases)

    def run(self, run: RunContext) -> None:
        plan, target, result, progress = run.plan, run.target, run.result, run.progress
        with ExitStack() as stack:
            temporary = tempfile.TemporaryDirectory(prefix="vonage-conformance-")
            work = Path(stack.enter_context(temporary))
            spec = stack.enter_context(
                resources.as_file(resources.files("vonage_conversation_api") / "openapi.yaml")
            )
            maker = Maker(stack.enter_context(run.api(SETUP)), "conformance")
            fixture = _setup(maker, target)
            refused = any(failure.phase == SETUP for failure in result.failures)
            result.phases[SETUP] = "failure" if refused else "success"
            made = (
                f"setup: {len(fixture.conversations)} conversations with members, events and a leg"
            )
            progress.say(made if not fixture.notes else f"{made} ({'; '.join(fixture.notes)})")
            created = work / "created.txt"
            settings = work / "settings.json"
            hooks.RunSettings(
                target.application_id, target.private_key_pem, target.users, fixture, created
            ).dump(settings)
            processes = Processes(
                work=work,
                base_url=target.base_url,
                options=plan.options,
                checks=plan.schemathesis_checks,
                operations=plan.operations if plan.filtered else None,
                spec=spec,
                env={**run.environ, **hooks.environment(settings)},
                handlers=run.handlers,
                progress=progress,
                result=result,
                deadline=run.deadline,
            )
            processes.write_config()
            try:
                for phases in phase_groups(plan.schemathesis_phases):
                    if phases == (STATEFUL,):
                        processes.stateful()
                    else:
                        processes.run(phases, plan.options.seed)
            finally:
                made_by_run = created.read_text().split() if created.exists() else []
                deleted = maker.delete(made_by_run)
                progress.say(f"clean-up: deleted {deleted} conversations the run made")


class SemanticPhase:
    """The API's own rules, on data of the phase's own (see `semantic`)."""

    def selected(self, plan: Plan) -> bool:
        return plan.semantic

    def run(self, run: RunContext) -> None:
        selected = frozenset(operation.operation_id for operation in run.plan.operations)
        with run.api(SEMANTIC) as api:
            run_semantic(api, run.target.users, run.plan.semantic_checks, selected, run.progress)


class CallbacksPhase:
    """Events delivered to a conversation's callback (see `callbacks`)."""

    def selected(self, plan: Plan) -> bool:
        return plan.callbacks and any(
            operation.operation_id == CALLBACK_OPERATION for operation in plan.operations
        )

    def run(self, run: RunContext) -> None:
        with run.api(CALLBACKS) as api:
            options, checks = run.plan.options, run.plan.callback_checks
            run_callbacks(api, run.target, options, checks, run.progress, environ=run.environ)


# Every phase of a run, in the order they run.
PHASES: tuple[Phase, ...] = (SchemathesisPhases(), SemanticPhase(), CallbacksPhase())


def _outputs(options: Options) -> list[ReportFile]:
    """The handlers that write the reports `options` ask for."""
    outputs: list[ReportFile] = []
    if options.junit_xml is not None:
        outputs.append(JUnitReport(options.junit_xml))
    if options.html is not None:
        outputs.append(ReportFile("HTML", options.html, write_html))
    return outputs


def _out_of_time(deadline: float | None) -> bool:
    return deadline is not None and time.monotonic() >= deadline


def check(
    target: Target,
    plan: Plan,
    *,
    environ: Mapping[str, str] = os.environ,
    progress_out: Console | None = None,
    handlers: Sequence[EventHandler] = (),
) -> Summary:
    """Check `target` (already preflighted, with its users) as `plan` says; `handlers` follow
    the run's events besides the counting, the progress and the reports the options ask for."""
    out = progress_out or console(file=sys.stderr)
    progress = Progress(out, operations=len(plan.operations), scenarios=plan.options.max_examples)
    collector = Collector(plan.schemathesis_checks)
    outputs = _outputs(plan.options)
    everyone = Handlers([collector, progress, *outputs, *handlers])
    budget = plan.options.max_time
    deadline = None if budget is None else time.monotonic() + budget
    run = RunContext(target, plan, collector.result, progress, everyone, environ, deadline)
    for refusal in target.refusals:  # what the preflight found (a forged token accepted)
        collector.result.add_failure(refusal)
        collector.result.operation(refusal.operation).check(refusal.check).failed += 1
    for phase in PHASES:
        if phase.selected(plan):
            if _out_of_time(deadline):
                collector.result.out_of_time = True
                continue
            phase.run(run)
    if collector.result.out_of_time:
        progress.say(f"the --max-time budget of {budget:g} s ran out: the run stopped there")
    result, junit, html_path = collector.result, plan.options.junit_xml, plan.options.html
    summary = Summary(
        target=describe(target),
        result=result,
        verdict=judge(
            result, plan.labels, collector.verifying, verified_needed=bool(plan.schemathesis_phases)
        ),
        operations=plan.labels,
        verifies=bool(plan.schemathesis_phases),
        junit_xml=str(junit.resolve()) if junit is not None else None,
        html=str(html_path.resolve()) if html_path is not None else None,
        token_command=token_command(plan.options, target),
        shard=plan.options.shard,
        note=(
            "The embedded emulator stopped with the run: to send a request again, start "
            "`vonage-conversation emulator` and run the check with --url."
            if target.embedded and result.failures
            else None
        ),
    )
    everyone.handle_event(RunFinished(summary))
    failed = tuple(output.error for output in outputs if output.error is not None)
    if failed:  # the report is still printed, and the reasons after it
        unwritten = {str(output.path) for output in outputs if output.error is not None}
        junit_xml = None if junit is not None and str(junit) in unwritten else summary.junit_xml
        html = None if html_path is not None and str(html_path) in unwritten else summary.html
        summary = replace(summary, unwritten=failed, junit_xml=junit_xml, html=html)
    return summary


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
