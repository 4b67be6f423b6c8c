"""pytest support: the ``emulator`` fixture, the run's emulator reset for each test, and the
``conversation_client`` fixture bound to it.

Installed with the package, the plugin `vonage_conversation_pytest` gives every test suite both
fixtures. This module names them for suites that load them by hand, as they did before the
plugin: ``pytest_plugins = ["vonage_conversation_emulator.testing"]`` in a ``conftest.py``, or
``from vonage_conversation_emulator.testing import emulator``.
"""

from __future__ import annotations

from vonage_conversation_pytest import (
    conversation_client,
    emulator,
    pytest_configure,
    pytest_configure_node,
    pytest_unconfigure,
    vonage_conversation_emulator_session,
)

__all__ = [
    "conversation_client",
    "emulator",
    "pytest_configure",
    "pytest_configure_node",
    "pytest_unconfigure",
    "vonage_conversation_emulator_session",
]
