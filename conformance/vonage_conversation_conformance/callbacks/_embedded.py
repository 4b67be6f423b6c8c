"""Whether the embedded emulator delivers callbacks.

No longer asked by the kit: the emulator delivers (issue 16), and `_target` starts it with the
secret directly. Kept only while `callbacks` exports the name; it goes with that export.
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
