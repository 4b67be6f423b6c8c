"""pytest support: the ``emulator`` fixture, the run's emulator reset for each test, and the
``conversation_client`` fixture bound to it.

Installed with the package, the plugin `vonage_conversation_pytest` gives every test suite both
fixtures. This module names them for suites that load them by hand, as they did before the
plugin: ``pytest_plugins = ["vonage_conversation_emulator.testing"]`` in a ``conftest.py``, or
``from vonage_conversation_emulator.testing import emulator``.
"""

from __future__ import annotations

import vonage_conversation_pytest
from vonage_conversation_pytest import *  # noqa: F403 (the plugin's fixtures and hooks, all of them)

__all__ = list(vonage_conversation_pytest.__all__)
