"""Ratios of two ways of doing one thing, measured in one run: medians over alternating rounds.

Only a ratio measured within one run means anything (absolute times depend on the machine and
on whatever else it was doing): each round times the baseline and the candidate back to back,
in alternating order, and the figure is the median of the per-round ratios.
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Timing:
    """The median seconds per call of a baseline and a candidate, and their median ratio."""

    baseline: float
    candidate: float
    ratio: float


def per_call(work: Callable[[], object], calls: int) -> float:
    """Seconds per call of `work`, over `calls` calls (the garbage collector held off)."""
    gc.collect()
    gc.disable()
    try:
        started = time.perf_counter()
        for _ in range(calls):
            work()
        return (time.perf_counter() - started) / calls
    finally:
        gc.enable()


def ratio(
    baseline: Callable[[], object],
    candidate: Callable[[], object],
    *,
    calls: int,
    rounds: int = 9,
) -> Timing:
    """How many times longer `candidate` takes than `baseline`: the median of `rounds` ratios,
    each of `calls` calls of both, the order alternating round by round (after a warm-up)."""
    baseline()
    candidate()
    base_times, cand_times, ratios = [], [], []
    for round_number in range(rounds):
        if round_number % 2:
            cand = per_call(candidate, calls)
            base = per_call(baseline, calls)
        else:
            base = per_call(baseline, calls)
            cand = per_call(candidate, calls)
        base_times.append(base)
        cand_times.append(cand)
        ratios.append(cand / base)
    return Timing(
        statistics.median(base_times), statistics.median(cand_times), statistics.median(ratios)
    )


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of `values` lie (nearest rank)."""
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(fraction * len(ordered)) - 1))
    return ordered[rank]
