"""The project's main job: a short conversation through the client, then the conformance suite.

    python -m vonage_conversation_conformance.main_job [OPTIONS, as for `conformance`]

Against the embedded emulator by default (started on a free port, with users alice and bob);
with --url against that server (credentials as for `vonage-conversation conformance`; the
scenario's two users are VONAGE_TOUR_USERS="name,name", else the first two the server lists).
Progress (the scenario's steps, the suite's phases) goes to stderr, the report to stdout.
Exit status: that of the conformance suite (0, 1, 2 or 3: see its --help), but 1 when the
scenario failed, and 3 instead of 0 when the scenario was skipped.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass

from vonage_conversation import ConversationAPIError, ConversationClient

from ._options import OptionError
from ._plan import Plan
from ._preflight import PreflightError
from ._report import console
from ._runner import Outcome, check
from ._scenario import ScenarioError, run_scenario
from ._schemathesis import ConformanceError
from ._target import Target, TargetError, describe, ready_target
from ._verdict import ExitCode
from .cli import options_from, parser, report

EMULATOR_USERS = ("alice", "bob")
USERS_VARIABLE = "VONAGE_TOUR_USERS"


@dataclass(frozen=True)
class ScenarioOutcome:
    """How the scenario went: `passed`, `failed` or `skipped`, and why."""

    status: str
    reason: str = ""


def scenario_users(
    target: Target, client: ConversationClient, environ: Mapping[str, str]
) -> tuple[str, str] | None:
    """The scenario's two users: the emulator's, the environment's, or the server's first two."""
    if target.embedded:
        return EMULATOR_USERS
    named = [name.strip() for name in environ.get(USERS_VARIABLE, "").split(",") if name.strip()]
    if not named:
        named = [str(user.name) for user in client.users.list(page_size=2, limit=2)]
    return (named[0], named[1]) if len(named) >= 2 else None


def _progress(text: str) -> None:
    """A line of progress: on stderr, so that stdout holds the report alone."""
    print(text, file=sys.stderr, flush=True)


def run_tour(target: Target, environ: Mapping[str, str]) -> ScenarioOutcome:
    """Run the scenario against target, printing each step (on stderr)."""
    with ConversationClient(
        application_id=target.application_id,
        private_key=target.private_key_pem,
        base_url=target.base_url,
    ) as client:
        try:
            users = scenario_users(target, client, environ)
        except ConversationAPIError as error:
            return ScenarioOutcome("failed", f"listing the users failed: {error}")
        if users is None:
            return ScenarioOutcome("skipped", f"it needs two users (set {USERS_VARIABLE})")
        try:
            run_scenario(client, users, say=_progress)
        except ScenarioError as failure:
            return ScenarioOutcome("failed", str(failure))
    return ScenarioOutcome("passed")


def exit_status(scenario: ScenarioOutcome, conformance: ExitCode) -> int:
    """The job's status: the suite's, made worse by a failed or skipped scenario."""
    if scenario.status == "failed" and conformance in (ExitCode.CONFORMS, ExitCode.INCOMPLETE):
        return int(ExitCode.FAILED)
    if scenario.status == "skipped" and conformance == ExitCode.CONFORMS:
        return int(ExitCode.INCOMPLETE)
    return int(conformance)


def main(argv: list[str], environ: Mapping[str, str] = os.environ) -> int:
    """Run the scenario, then the conformance suite, against the same server."""
    commands = parser(
        prog="python -m vonage_conversation_conformance.main_job",
        description="A short conversation through the client, then the conformance suite.",
    )
    try:
        options = options_from(commands.parse_args(argv))
        plan = Plan.of(options)
        out = console(file=sys.stderr)
        with ready_target(options, out, users=EMULATOR_USERS, environ=environ) as target:
            where = describe(target)
            _progress(f"== 1. a short conversation through the client, on {where}")
            scenario = run_tour(target, environ)
            _progress(
                f"scenario: {scenario.status}" + (f": {scenario.reason}" if scenario.reason else "")
            )
            _progress(f"\n== 2. the conformance suite, on {where}")
            outcome = Outcome(target, check(target, plan, environ=environ, progress_out=out))
    except SystemExit as exit_:
        return int(exit_.code or 0)
    except (ValueError, OptionError, TargetError, PreflightError, ConformanceError) as error:
        print(f"{commands.prog}: {error}", file=sys.stderr)
        return 2
    conformance = ExitCode(report(outcome, options))
    said = f": {scenario.reason}" if scenario.reason else ""
    print(
        f"\nthe scenario {scenario.status}{said}; the conformance suite exited {int(conformance)}"
    )
    return exit_status(scenario, conformance)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
