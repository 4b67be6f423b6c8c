"""Conformance's callbacks phase: do a conversation's events reach its ``callback.url``?

The run serves a receiver (`_receiver`; where, `_address`), makes a conversation whose callback
is that receiver and events in it, and checks what was delivered (`_checks`: the mask kept both
ways, the body, the signature). `_run` is the phase.
"""

from ._address import callback_url, listen_address
from ._checks import CALLBACK_CHECKS, MASK
from ._run import PATIENCE, PHASE, SECRET_VARIABLE, Patience, run_callbacks

# Every callback check's name, in the order they run.
CALLBACK_CHECK_NAMES = tuple(CALLBACK_CHECKS)

__all__ = [
    "CALLBACK_CHECKS",
    "CALLBACK_CHECK_NAMES",
    "MASK",
    "PATIENCE",
    "PHASE",
    "SECRET_VARIABLE",
    "Patience",
    "callback_url",
    "listen_address",
    "run_callbacks",
]
