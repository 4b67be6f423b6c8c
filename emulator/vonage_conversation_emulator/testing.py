"""pytest support: the ``emulator`` fixture, a fresh in-memory emulator per test.

Use it from a conftest.py with ``from vonage_conversation_emulator.testing import emulator``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .embedded import EmulatorInstance, run_emulator

__all__ = ["emulator"]


@pytest.fixture
def emulator() -> Iterator[EmulatorInstance]:
    """A running emulator (its ``base_url``, ``application_id``, ``private_key_pem`` and
    ``token()``), stopped after the test."""
    with run_emulator() as instance:
        yield instance
