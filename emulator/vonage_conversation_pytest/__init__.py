"""The package's pytest plugin: an ``emulator`` fixture and a ``conversation_client`` bound to it.

Installing ``vonage-conversation[emulator]`` registers this module with pytest (its ``pytest11``
entry point), so a test suite gets both fixtures with no ``pytest_plugins`` line::

    def test_support_conversation(conversation_client):
        conversation = conversation_client.conversations.create(name="support")
        assert conversation_client.conversations.get(conversation.id).name == "support"

``emulator`` is a fresh in-memory emulator per test (its ``base_url``, ``application_id``,
``private_key_pem`` and ``token()``); ``conversation_client`` is a `ConversationClient` with its
credentials. A suite with fixtures of its own by these names keeps them (a conftest's fixture
wins over a plugin's); ``pytest -p no:vonage_conversation_pytest`` leaves the plugin out.

Nothing here imports the emulator until a test asks for it: the plugin loads in every pytest
run where the package is installed, also without the emulator's extra.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from vonage_conversation import ConversationClient
    from vonage_conversation_emulator.embedded import EmulatorInstance

__all__ = ["conversation_client", "emulator"]


@pytest.fixture
def emulator() -> Iterator[EmulatorInstance]:
    """A running emulator (its ``base_url``, ``application_id``, ``private_key_pem`` and
    ``token()``), stopped after the test."""
    try:
        from vonage_conversation_emulator.embedded import run_emulator  # noqa: PLC0415
    except ImportError as error:
        pytest.fail(
            f"the emulator fixture needs the emulator's extra ({error}): "
            "pip install 'vonage-conversation[emulator]'",
            pytrace=False,
        )
    with run_emulator() as instance:
        yield instance


@pytest.fixture
def conversation_client(emulator: EmulatorInstance) -> Iterator[ConversationClient]:
    """A `ConversationClient` with the emulator's URL and credentials, closed after the test."""
    from vonage_conversation import ConversationClient  # noqa: PLC0415

    with ConversationClient(
        application_id=emulator.application_id,
        private_key=emulator.private_key_pem,
        base_url=emulator.base_url,
    ) as client:
        yield client
