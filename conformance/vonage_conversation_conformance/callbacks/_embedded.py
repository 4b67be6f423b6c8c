"""Whether the embedded emulator delivers callbacks.

Transitional: delivery reaches the emulator (its outbox and worker) together with
``run_emulator(signature_secret=...)``; an emulator without that parameter delivers nothing, and
the callbacks phase is then skipped against it with the reason, rather than failed. Once every
supported emulator delivers, this goes, and `_target` calls ``run_emulator`` with the secret
directly.
"""

from __future__ import annotations

import inspect

__all__ = ["embedded_emulator_delivers"]


def embedded_emulator_delivers() -> bool:
    """Whether the installed emulator's `run_emulator` takes a signature secret (and so
    delivers); False when the emulator is not installed."""
    try:
        from vonage_conversation_emulator.embedded import run_emulator  # noqa: PLC0415
    except ModuleNotFoundError:
        return False
    return "signature_secret" in inspect.signature(run_emulator).parameters
