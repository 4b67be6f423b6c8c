"""Timestamps: `datetime.fromisoformat` first, `dateutil` only for what it cannot read."""

from __future__ import annotations

import sys
from datetime import datetime, timedelta, timezone
from unittest import mock

import pytest
from vonage_conversation import _timestamps, parse_timestamp
from vonage_conversation._timestamps import read_timestamp

UTC = timezone.utc

# What servers send (the emulator, the API's examples): read without dateutil on 3.11+.
SERVER_FORMS = [
    ("2019-09-03T18:40:24.324Z", datetime(2019, 9, 3, 18, 40, 24, 324000, UTC)),
    ("2019-09-03T18:40:24.324000+00:00", datetime(2019, 9, 3, 18, 40, 24, 324000, UTC)),
    ("2020-01-01T14:00:00+01:00", datetime(2020, 1, 1, 14, tzinfo=timezone(timedelta(hours=1)))),
    ("2018-01-01 10:00:00", datetime(2018, 1, 1, 10, tzinfo=UTC)),
]


@pytest.mark.parametrize(("text", "expected"), SERVER_FORMS)
def test_what_servers_send_is_read_by_fromisoformat(text: str, expected: datetime) -> None:
    with mock.patch.object(_timestamps, "isoparse", side_effect=AssertionError("dateutil")):
        assert read_timestamp(text) == expected
        assert read_timestamp(text).tzinfo is not None


@pytest.mark.skipif(sys.version_info < (3, 11), reason="3.10's fromisoformat reads 3 or 6 digits")
def test_two_fraction_digits_need_no_dateutil_on_311() -> None:
    with mock.patch.object(_timestamps, "isoparse", side_effect=AssertionError("dateutil")):
        assert read_timestamp("2020-01-01T14:00:00.00Z") == datetime(2020, 1, 1, 14, tzinfo=UTC)


def test_dateutil_reads_what_fromisoformat_cannot() -> None:
    """Surrounding spaces (and, on 3.10, unusual fraction lengths) go to dateutil."""
    with mock.patch.object(_timestamps, "isoparse", wraps=_timestamps.isoparse) as dateutil:
        assert read_timestamp(" 2020-01-01T14:00:00Z ") == datetime(2020, 1, 1, 14, tzinfo=UTC)
    assert dateutil.call_count == 1


@pytest.mark.parametrize("text", ["later", "1", "2020-13-01T00:00:00Z", "", "2020-01-01T25:00"])
def test_an_unreadable_timestamp_is_a_value_error(text: str) -> None:
    with pytest.raises(ValueError, match="not a date-time"):
        read_timestamp(text)


def test_parse_timestamp_takes_datetimes_dates_and_text() -> None:
    naive = datetime(2020, 1, 1, 12)
    assert parse_timestamp(naive) == datetime(2020, 1, 1, 12, tzinfo=UTC)
    assert parse_timestamp(naive.date()) == datetime(2020, 1, 1, tzinfo=UTC)
    with pytest.raises(TypeError):
        parse_timestamp(5)  # type: ignore[arg-type]
