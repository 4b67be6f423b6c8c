"""The semantic phase: make its data, run each selected check (the paging ones on every list),
count each verdict in the run's result like any other check's, then delete what it made."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable

from .._api import Api, UnreachableError
from .._maker import Maker
from .._options import operation as spec_operation
from .._progress import Progress
from .._results import Failure, RunError, RunResult
from ._context import Context, listings
from ._data import build_data
from ._endpoints import endpoints
from ._registry import CHECKS, SemanticCheck, Skipped, Violation

__all__ = ["PHASE", "count_verdict", "end_phase", "run_semantic"]

PHASE = "semantic"


def _verdict(
    result: RunResult,
    check: SemanticCheck,
    operation_id: str,
    run: Callable[[], None],
    phase: str = PHASE,
) -> None:
    """Run one check on one operation and count what it found, under the operation's label
    (its failures and errors under `phase`: the callbacks phase counts its checks so too)."""
    operation = spec_operation(operation_id).label
    tally = result.operation(operation).check(check.name)
    try:
        run()
    except Skipped as skipped:
        tally.skipped += 1
        result.skips.append((operation, check.name, str(skipped)))
    except Violation as violation:
        tally.failed += 1
        answer = violation.answer
        result.add_failure(
            Failure(
                operation=operation,
                check=check.name,
                phase=phase,
                title=check.title,
                message=f"{violation.message}\n\nThe sources say ({violation.source.quote()})",
                field=violation.field,
                status=answer.status if answer is not None else None,
                request=answer.request if answer is not None else None,
            )
        )
    except UnreachableError as error:
        tally.errored += 1
        result.add_error(RunError(operation, phase, "ConnectionError", str(error)))
    except Exception as error:
        tally.errored += 1
        result.add_error(RunError(operation, phase, f"{check.name} crashed", repr(error)))
    else:
        tally.passed += 1


# The one way a check's verdict is counted, whichever phase runs it.
count_verdict = _verdict


def run_semantic(
    api: Api,
    users: tuple[str, ...],
    selected: Iterable[str],
    operations: frozenset[str],
    progress: Progress,
) -> None:
    """Run the selected semantic checks on the selected `operations` (operationIds) as the
    run's users, counting into `api.result`."""
    result = api.result
    chosen = [CHECKS[name] for name in selected if name in CHECKS]
    progress.say("  semantic: the API's own rules ...")
    started, failures, errors = time.monotonic(), len(result.failures), len(result.errors)
    maker = Maker(api, "semantic")
    data = build_data(maker, users)
    try:
        context = Context(api, data, listings(data), endpoints(data))
        for check in chosen:
            if check.operation is not None:
                if check.operation in operations:
                    run_alone = lambda check=check: check.run(context)  # noqa: E731
                    _verdict(result, check, check.operation, run_alone)
                continue
            for listing in context.targets(check.per):
                if listing.operation in operations and check.applies(listing):
                    run = lambda check=check, listing=listing: check.run(context, listing)  # noqa: E731
                    _verdict(result, check, listing.operation, run)
    finally:
        maker.delete(data.conversations)
    end_phase(result, PHASE, (started, failures, errors), progress)


def end_phase(
    result: RunResult, phase: str, start: tuple[float, int, int], progress: Progress
) -> None:
    """Record how `phase` went, from what it added to `result` since `start` (its monotonic
    start, and the failures and errors counted then), and say so."""
    started, failures, errors = start
    status = "success"
    if len(result.errors) > errors:
        status = "error"
    elif len(result.failures) > failures:
        status = "failure"
    result.phases[phase] = status
    sent = result.phase_requests[phase]
    words = {"success": "done", "failure": "found failures", "error": "errored"}[status]
    progress.say(f"  {phase}: {words}, {sent} requests in {time.monotonic() - started:.1f} s")
