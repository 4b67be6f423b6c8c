"""The package's pytest plugin: an ``emulator``, a ``conversation_client`` bound to it, and a
``webhook_receiver`` its callbacks can deliver to.

Installing ``vonage-conversation[emulator]`` registers this module with pytest (its ``pytest11``
entry point), so a test suite gets both fixtures with no ``pytest_plugins`` line::

    def test_support_conversation(conversation_client):
        conversation = conversation_client.conversations.create(name="support")
        assert conversation_client.conversations.get(conversation.id).name == "support"

``emulator`` is a fresh in-memory emulator per test (its ``base_url``, ``application_id``,
``private_key_pem`` and ``token()``); ``conversation_client`` is a `ConversationClient` with its
credentials.

``webhook_receiver`` is a loopback server collecting deliveries (``.url``, and
``.wait_for(type=..., count=..., timeout=...)`` returning the unwrapped events; see
`webhooks`), so an app's webhook handler can be tested end to end::

    def test_joins_reach_the_app(conversation_client, webhook_receiver):
        conversation = conversation_client.conversations.create(
            callback={"url": webhook_receiver.url, "event_mask": "member:*"}
        )
        ...
        (joined,) = webhook_receiver.wait_for(type="member:joined")

The ``emulator`` fixture signs its deliveries with a fresh random secret
(``emulator.signature_secret``), so a test sees the signature path the real service takes;
``webhook_secret`` is that secret when the test uses ``emulator`` (the receiver then refuses a
delivery that does not verify), else None. Retries follow the emulator's default schedule
(1 s, doubling). A suite with fixtures of its own by these names keeps them (a conftest's fixture
wins over a plugin's); ``pytest -p no:vonage_conversation_pytest`` leaves the plugin out.

Nothing here imports the emulator until a test asks for it: the plugin loads in every pytest
run where the package is installed, also without the emulator's extra.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from .webhooks import webhook_receiver, webhook_secret

if TYPE_CHECKING:
    from vonage_conversation import ConversationClient
    from vonage_conversation_emulator.embedded import EmulatorInstance

__all__ = ["conversation_client", "emulator", "webhook_receiver", "webhook_secret"]


@pytest.fixture
def emulator() -> Iterator[EmulatorInstance]:
    """A running emulator (its ``base_url``, ``application_id``, ``private_key_pem``,
    ``token()`` and ``signature_secret``, fresh per test), stopped after the test."""
    try:
        from vonage_conversation_emulator.embedded import run_emulator  # noqa: PLC0415
    except ImportError as error:
        pytest.fail(
            f"the emulator fixture needs the emulator's extra ({error}): "
            "pip install 'vonage-conversation[emulator]'",
            pytrace=False,
        )
    with run_emulator(signature_secret=secrets.token_urlsafe(32)) as instance:
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
