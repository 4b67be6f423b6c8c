"""Conformance testing: check a Conversation API server against the spec with schemathesis.

`run_conformance(Options(...))` checks the embedded emulator, or any server given its URL and
credentials, and returns what it found; `vonage-conversation conformance` is its command.
Needs the `conformance` extra (schemathesis).
"""

from ._report import summary
from ._results import Failure, RunResult, Tally
from ._runner import PHASES, SCHEMATHESIS_CONFIG, ConformanceError, Options, run_conformance
from ._target import Target, TargetError

__all__ = [
    "PHASES",
    "SCHEMATHESIS_CONFIG",
    "ConformanceError",
    "Failure",
    "Options",
    "RunResult",
    "Tally",
    "Target",
    "TargetError",
    "run_conformance",
    "summary",
]
