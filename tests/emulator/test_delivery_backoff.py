"""`delivery.backoff`: about 1, 2, 4, 8... seconds, jittered, bounded by attempts and window."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from vonage_conversation_emulator.delivery import DeliveryPolicy

T0 = datetime(2030, 1, 1, tzinfo=timezone.utc)


def middle() -> float:
    return 0.5  # no jitter either way


def test_the_waits_double_from_one_second() -> None:
    policy = DeliveryPolicy(random=middle)
    assert [policy.delay(n) for n in range(1, 6)] == [1.0, 2.0, 4.0, 8.0, 16.0]


def test_a_wait_is_capped() -> None:
    policy = DeliveryPolicy(max_delay=5, random=middle)
    assert [policy.delay(n) for n in (3, 4, 50, 5000)] == [4.0, 5.0, 5.0, 5.0]


@pytest.mark.parametrize(("draw", "factor"), [(0.0, 0.8), (0.999999, 1.2), (0.25, 0.9)])
def test_jitter_stretches_or_shrinks_a_wait_by_its_fraction(draw: float, factor: float) -> None:
    policy = DeliveryPolicy(jitter=0.2, random=lambda: draw)
    assert policy.delay(3) == pytest.approx(4.0 * factor)


def test_the_default_jitter_stays_within_its_bounds() -> None:
    policy = DeliveryPolicy()
    waits = {policy.delay(2) for _ in range(200)}
    assert all(1.6 <= wait <= 2.4 for wait in waits)
    assert len(waits) > 1


def test_the_next_attempt_is_the_wait_after_the_failure() -> None:
    policy = DeliveryPolicy(random=middle)
    failed = T0 + timedelta(seconds=10)
    assert policy.next_attempt(3, created_at=T0, failed_at=failed) == failed + timedelta(seconds=4)


def test_attempts_are_bounded() -> None:
    policy = DeliveryPolicy(max_attempts=3, random=middle)
    assert policy.next_attempt(2, created_at=T0, failed_at=T0) is not None
    assert policy.next_attempt(3, created_at=T0, failed_at=T0) is None


def test_the_window_is_bounded() -> None:
    policy = DeliveryPolicy(window=10, random=middle)
    # After attempt 3 the wait is 4 s: from 6 s it ends at the window, from 6.5 s past it.
    assert policy.next_attempt(3, created_at=T0, failed_at=T0 + timedelta(seconds=6)) is not None
    assert policy.next_attempt(3, created_at=T0, failed_at=T0 + timedelta(seconds=6.5)) is None


def test_the_default_timeout_is_five_seconds() -> None:
    assert DeliveryPolicy().timeout == 5.0


@pytest.mark.parametrize(
    ("kwargs", "named"),
    [
        ({"initial": 0}, "initial"),
        ({"factor": 0.5}, "factor"),
        ({"max_attempts": 0}, "max_attempts"),
        ({"window": -1}, "window"),
        ({"jitter": 1}, "jitter"),
        ({"timeout": 0}, "timeout"),
        ({"initial": 10, "max_delay": 5}, "max_delay"),
    ],
)
def test_a_bad_policy_is_refused_naming_the_setting(kwargs: dict[str, float], named: str) -> None:
    with pytest.raises(ValueError, match=named):
        DeliveryPolicy(**kwargs)  # type: ignore[arg-type]


def test_attempts_are_numbered_from_one() -> None:
    with pytest.raises(ValueError, match="from 1"):
        DeliveryPolicy().delay(0)
