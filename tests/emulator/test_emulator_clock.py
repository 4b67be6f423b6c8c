"""Each application's clock: the base clock shifted by what was set for that application only."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from vonage_conversation_emulator.clock import ApplicationClocks

START = datetime(2030, 1, 1, tzinfo=timezone.utc)


class StoppedClock:
    """A base clock that moves only when told."""

    def __init__(self) -> None:
        self.moment = START

    def __call__(self) -> datetime:
        return self.moment


def test_advance_moves_one_application_only() -> None:
    clocks = ApplicationClocks(StoppedClock())
    clocks.advance("a", 61)
    assert clocks.now("a") == START + timedelta(seconds=61)
    assert clocks.now("b") == START
    assert clocks.timestamp("a") == START.timestamp() + 61


def test_a_moved_clock_keeps_running_with_the_base() -> None:
    base = StoppedClock()
    clocks = ApplicationClocks(base)
    clocks.advance("a", 10)
    base.moment += timedelta(seconds=5)
    assert clocks.of("a")() == START + timedelta(seconds=15)


def test_set_then_reset() -> None:
    clocks = ApplicationClocks(StoppedClock())
    target = datetime(2031, 6, 1, 12, tzinfo=timezone.utc)
    assert clocks.set("a", target) == target
    assert clocks.offset("a") == target - START
    clocks.reset("a")
    assert clocks.now("a") == START


@pytest.mark.parametrize("seconds", [-1, float("nan"), float("inf")])
def test_advance_refuses_what_is_no_forward_step(seconds: float) -> None:
    clocks = ApplicationClocks(StoppedClock())
    with pytest.raises(ValueError, match="advance"):
        clocks.advance("a", seconds)
    assert clocks.now("a") == START


def test_set_refuses_a_naive_time() -> None:
    with pytest.raises(ValueError, match="timezone"):
        ApplicationClocks(StoppedClock()).set("a", datetime(2030, 1, 1))
