"""Conformance testing: check a Conversation API server against the spec with schemathesis.

`run_conformance(Options(...))` checks the embedded emulator, or any server given its URL and
credentials, and returns its `Outcome` (a `Summary` with the `Verdict` and its `ExitCode`);
`vonage-conversation conformance` is its command. Needs the `conformance` extra.
"""

try:
    import schemathesis as _schemathesis  # noqa: F401 - only to say which extra is missing
except ModuleNotFoundError as _missing:  # pragma: no cover - depends on the installation
    raise ModuleNotFoundError(
        "vonage_conversation_conformance needs the `conformance` extra: "
        "pip install 'vonage-conversation[conformance]'",
        name=_missing.name,
    ) from None

from ._options import PHASES, Operation, OptionError, Options, available_checks
from ._plan import Plan
from ._preflight import PreflightError
from ._report import Summary
from ._results import Failure, RunError, RunResult
from ._runner import Outcome, run_conformance
from ._schemathesis import SCHEMATHESIS_CONFIG, ConformanceError
from ._target import Target, TargetError
from ._verdict import ExitCode, Unverified, Verdict

__all__ = [
    "PHASES",
    "SCHEMATHESIS_CONFIG",
    "ConformanceError",
    "ExitCode",
    "Failure",
    "Operation",
    "OptionError",
    "Options",
    "Outcome",
    "Plan",
    "PreflightError",
    "RunError",
    "RunResult",
    "Summary",
    "Target",
    "TargetError",
    "Unverified",
    "Verdict",
    "available_checks",
    "run_conformance",
]
