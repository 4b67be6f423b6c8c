"""The client's logging, and `VONAGE_CONVERSATION_LOG`, which turns it on without code.

Every line goes to the ``vonage_conversation`` logger. At INFO, one line per HTTP exchange
(each attempt of a retried request is one): the method, the path (never the query), the
status or the transport error, the attempt and the elapsed time. At DEBUG, also why a request
is retried or re-signed, with its headers redacted. No line holds a token or a key.

``VONAGE_CONVERSATION_LOG=info`` or ``=debug`` (any case), read once when the package is
imported, gives the logger that level and a handler writing to stderr, unless the
application has already given it a handler. Any other value is a `RuntimeWarning` naming the
accepted ones, and logging stays as the application set it.
"""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import Mapping

__all__ = ["ENV_VAR", "logger", "setup_from_env"]

ENV_VAR = "VONAGE_CONVERSATION_LOG"

logger = logging.getLogger("vonage_conversation")

_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO}


def setup_from_env(environ: Mapping[str, str] | None = None) -> int | None:
    """Apply `VONAGE_CONVERSATION_LOG` from `environ` (the process's by default); the level
    set, or None when the variable is unset, empty or not understood (which warns)."""
    value = (os.environ if environ is None else environ).get(ENV_VAR, "").strip()
    if not value:
        return None
    level = _LEVELS.get(value.lower())
    if level is None:
        warnings.warn(
            f"{ENV_VAR}={value!r} is not understood (use debug or info); logging is unchanged",
            RuntimeWarning,
            stacklevel=2,
        )
        return None
    logger.setLevel(level)
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("[%(asctime)s %(levelname)s %(name)s] %(message)s"))
        logger.addHandler(handler)
    return level


def log_exchange(method: str, path: str, outcome: str, *, attempt: int, elapsed: float) -> None:
    """The one INFO line of an HTTP exchange (`outcome`: a status, or the transport error)."""
    logger.info("%s %s -> %s (attempt %d, %.3fs)", method, path, outcome, attempt + 1, elapsed)
