"""A run's verdict and its exit status: whether the server conforms, and if not, why.

0  conforms: every selected operation verified, no failure, no error
1  failures found (a check failed, a check or a request errored, schemathesis failed)
2  could not run (unreachable, credentials refused, not this API, bad options)
3  incomplete: nothing failed, but some operation was never verified, or the --max-time
   budget ran out before the run's end
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

from ._results import VERIFYING_CHECKS, RunResult

__all__ = ["ExitCode", "Unverified", "Verdict", "judge", "unverified_reason"]


class ExitCode(IntEnum):
    """The exit status of `vonage-conversation conformance`."""

    CONFORMS = 0
    FAILED = 1
    COULD_NOT_RUN = 2
    INCOMPLETE = 3
    INTERRUPTED = 130


@dataclass(frozen=True)
class Unverified:
    """An operation whose success response was never validated, and why."""

    operation: str
    reason: str


@dataclass(frozen=True)
class Verdict:
    """What the run means."""

    code: ExitCode
    headline: str
    unverified: tuple[Unverified, ...]


def _statuses(counts: dict[int, int]) -> str:
    ordered = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{status} x{count}" for status, count in ordered)


def unverified_reason(result: RunResult, operation: str, verifying: frozenset[str]) -> str:
    """Why `operation` was not verified, in the words the report prints."""
    tally = result.operations.get(operation)
    if not verifying:
        return "no check of success responses is selected (" + ", ".join(VERIFYING_CHECKS) + ")"
    if tally is None or tally.requests == 0:
        return "no request was sent to it"
    if not tally.statuses:
        return "no request of its own got a response"
    if all(status // 100 != 2 for status in tally.statuses):
        if len(tally.statuses) == 1:
            ((status, _),) = tally.statuses.items()
            return f"every request answered {status}"
        return f"no request answered 2xx ({_statuses(dict(tally.statuses))})"
    return "no 2xx response passed the checks of success responses"


def judge(
    result: RunResult,
    operations: Sequence[str],
    verifying: frozenset[str],
    *,
    verified_needed: bool = True,
) -> Verdict:
    """The verdict on a finished run of the selected `operations` (`verified_needed` False: no
    schemathesis phase ran, so no response was checked against the schemas, and only the
    semantic checks' verdicts count)."""
    unverified = tuple(
        Unverified(operation, unverified_reason(result, operation, verifying))
        for operation in operations
        if verified_needed
        and (
            result.operations.get(operation) is None
            or result.operations[operation].verified_in is None
        )
    )
    if result.failures or result.errors:
        found = [f"{len(result.failures)} failures"] if result.failures else []
        found += [f"{len(result.errors)} errors"] if result.errors else []
        return Verdict(
            ExitCode.FAILED, "the server does not conform: " + " and ".join(found), unverified
        )
    if result.out_of_time:
        reached = f" ({len(unverified)} of {len(operations)} operations not verified)"
        return Verdict(
            ExitCode.INCOMPLETE,
            "no failure found, but incomplete: the --max-time budget ran out before the end"
            + (reached if unverified else ""),
            unverified,
        )
    if not verified_needed and not result.checks():
        # Every check skipped (a callbacks phase with no receiver in reach...): nothing passed.
        return Verdict(
            ExitCode.INCOMPLETE,
            "no failure found, but incomplete: no check could tell (listed below, with why)",
            unverified,
        )
    if unverified:
        return Verdict(
            ExitCode.INCOMPLETE,
            f"no failure found, but incomplete: {len(unverified)} of {len(operations)} "
            "operations not verified",
            unverified,
        )
    if not verified_needed:
        return Verdict(
            ExitCode.CONFORMS,
            "no rule broken (this kit's own checks only: no response was checked against the spec)",
            unverified,
        )
    return Verdict(ExitCode.CONFORMS, "the server conforms to the spec", unverified)
