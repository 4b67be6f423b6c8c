"""pytest support: the ``emulator`` fixture, a fresh in-memory emulator per test, and the
``conversation_client`` fixture bound to it.

Installed with the package, the plugin `vonage_conversation_pytest` gives every test suite both
fixtures. This module names them for suites that load them by hand, as they did before the
plugin: ``pytest_plugins = ["vonage_conversation_emulator.testing"]`` in a ``conftest.py``, or
``from vonage_conversation_emulator.testing import emulator``.
"""

from __future__ import annotations

from vonage_conversation_pytest import conversation_client, emulator

__all__ = ["conversation_client", "emulator"]
