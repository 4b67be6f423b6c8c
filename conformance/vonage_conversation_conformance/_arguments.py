"""The argparse types of `conformance`'s newer options: each checks its value when the
command line is read, before the preflight, and refuses a bad one in one line."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from ._outputs import check_writable

__all__ = ["rate_limit", "report_path", "shard"]

# A rate as schemathesis takes it: requests per second, minute, hour or day.
_RATE = re.compile(r"^(\d+)/([smhd])$")


def rate_limit(text: str) -> str:
    """A rate schemathesis takes (``100/m``, ``10/s``, ``auto``), checked here so that a bad one
    is refused before the preflight, not by a traceback after the setup."""
    found = _RATE.match(text.strip())
    if text.strip() != "auto" and found is None:
        raise argparse.ArgumentTypeError(
            f"not a rate: {text!r} (give N/s, N/m, N/h or N/d, e.g. 100/m, or auto)"
        )
    if found is not None and int(found.group(1)) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} allows no request: at least 1/{found.group(2)}")
    return text.strip()


def shard(text: str) -> tuple[int, int]:
    index, slash, count = text.partition("/")
    if not slash or not index.strip().isdigit() or not count.strip().isdigit():
        raise argparse.ArgumentTypeError(f"not I/N: {text!r} (e.g. 1/4: the first of 4 shards)")
    given = (int(index), int(count))
    if not 1 <= given[0] <= given[1]:
        raise argparse.ArgumentTypeError(f"{text!r}: I must be 1 to N, and N at least 1")
    return given


def report_path(text: str) -> Path:
    """A report file's path, checked writable now: a finished run never loses its report to
    a path that could not be written."""
    try:
        return check_writable(Path(text))
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
