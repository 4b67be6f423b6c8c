"""The package's pytest plugin: an ``emulator``, a ``conversation_client`` bound to it, and a
``webhook_receiver`` its callbacks can deliver to.

Installing ``vonage-conversation[emulator]`` registers this module with pytest (its ``pytest11``
entry point), so a test suite gets the fixtures with no ``pytest_plugins`` line::

    def test_support_conversation(conversation_client):
        conversation = conversation_client.conversations.create(name="support")
        assert conversation_client.conversations.get(conversation.id).name == "support"

One emulator serves the whole run, started when a test first asks for it. Under pytest-xdist
(``pytest -n 4``) the controlling process starts it once and every worker gets an application
of its own on it, so the workers' tests never see each other's data. ``emulator`` is that
application, reset to the seed before each test (its records deleted, its clock back on the
real one, its faults cleared), so each test starts from nothing, as on a fresh emulator:

- ``base_url``, ``application_id``, ``private_key_pem``, ``token()``, ``env``;
- ``reset()``, ``snapshot()`` / ``restore(document)``;
- ``advance(seconds)``, ``set_time(moment)``, ``now()``: the application's clock, which its
  timestamps, its JWTs' ``exp``/``nbf``/``iat`` and its conversations' ``ttl`` follow;
  ``token()`` and ``conversation_client`` mint their tokens on it, so they keep working after
  the clock moved, while a token minted before expires when the clock passes its ``exp``;
- ``fail("getConversation", status=503, count=2, retry_after=1)``, ``clear_faults()``.

``conversation_client`` is a `ConversationClient` with the emulator's URL and credentials.

``webhook_receiver`` is a loopback server collecting deliveries (``.url``, and
``.wait_for(type=..., count=..., timeout=...)`` returning the unwrapped events; see
`webhooks`), so an app's webhook handler can be tested end to end::

    def test_joins_reach_the_app(conversation_client, webhook_receiver):
        conversation = conversation_client.conversations.create(
            callback={"url": webhook_receiver.url, "event_mask": "member:*"}
        )
        ...
        (joined,) = webhook_receiver.wait_for(type="member:joined")

The emulator signs its deliveries with a fresh random secret (``emulator.signature_secret``),
so a test sees the signature path the real service takes; ``webhook_secret`` is that secret
when the test uses ``emulator`` (the receiver then refuses a delivery that does not verify),
else None. Retries follow the emulator's default schedule (1 s, doubling). A suite with
fixtures of its own by these names keeps them (a conftest's fixture wins over a plugin's);
``pytest -p no:vonage_conversation_pytest`` leaves the plugin out.

Nothing here imports the emulator until it is needed: the plugin loads in every pytest run
where the package is installed, also without the emulator's extra.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

from .webhooks import webhook_receiver, webhook_secret

if TYPE_CHECKING:
    from vonage_conversation import ConversationClient
    from vonage_conversation_emulator.embedded import EmulatorHandle, EmulatorInstance

__all__ = [
    "conversation_client",
    "emulator",
    "pytest_configure",
    "pytest_configure_node",
    "pytest_unconfigure",
    "vonage_conversation_emulator_session",
    "webhook_receiver",
    "webhook_secret",
]

WORKER_INPUT = "vonage_conversation_emulator"
"""The key of ``workerinput`` under which a pytest-xdist worker gets its application."""

_EXTRA_MISSING = (
    "the emulator fixture needs the emulator's extra ({error}): "
    "pip install 'vonage-conversation[emulator]'"
)


class SharedEmulator:
    """The run's one emulator, started in this process when first needed and stopped when the
    run ends."""

    def __init__(self) -> None:
        self._stack = contextlib.ExitStack()
        self._instance: EmulatorInstance | None = None

    def instance(self) -> EmulatorInstance:
        """The emulator (started now if it is not running yet); ImportError without the
        emulator's extra."""
        if self._instance is None:
            from vonage_conversation_emulator.embedded import run_emulator  # noqa: PLC0415

            running = run_emulator(signature_secret=secrets.token_urlsafe(32))
            self._instance = self._stack.enter_context(running)
        return self._instance

    def close(self) -> None:
        """Stop the emulator, if it was started."""
        self._instance = None
        self._stack.close()


_SHARED = pytest.StashKey[SharedEmulator]()


def pytest_configure(config: pytest.Config) -> None:
    """Make room for the run's emulator (started only once a test or a worker needs it).
    Loaded twice (the entry point and a ``pytest_plugins`` line), it is still one."""
    if _SHARED not in config.stash:
        config.stash[_SHARED] = SharedEmulator()


def pytest_unconfigure(config: pytest.Config) -> None:
    """Stop the run's emulator."""
    shared = config.stash.get(_SHARED, None)
    if shared is not None:
        shared.close()


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:
    """pytest-xdist, in the controlling process, before a worker starts: an application of
    the worker's own on the run's emulator (started here, so every worker shares it)."""
    if WORKER_INPUT in node.workerinput:
        return  # the plugin is loaded twice (see pytest_configure)
    try:
        worker = node.config.stash[_SHARED].instance().add_application()
    except ImportError:
        return  # the worker's fixture says what is missing, if a test asks for it
    node.workerinput[WORKER_INPUT] = {
        "base_url": worker.base_url,
        "application_id": worker.application_id,
        "private_key_pem": worker.private_key_pem,
        "signature_secret": worker.signature_secret,
    }


@pytest.fixture(scope="session")
def vonage_conversation_emulator_session(request: pytest.FixtureRequest) -> EmulatorHandle:
    """This process's application on the run's emulator: the worker's own under pytest-xdist
    (the emulator runs in the controlling process), else the emulator started here."""
    given = getattr(request.config, "workerinput", {}).get(WORKER_INPUT)
    try:
        if given is not None:
            from vonage_conversation_emulator.embedded import EmulatorHandle  # noqa: PLC0415

            return EmulatorHandle(**given)
        return request.config.stash[_SHARED].instance()
    except ImportError as error:
        pytest.fail(_EXTRA_MISSING.format(error=error), pytrace=False)


@pytest.fixture
def emulator(vonage_conversation_emulator_session: EmulatorHandle) -> EmulatorHandle:
    """The run's emulator, as this process's application, reset to the seed for this test
    (``base_url``, ``application_id``, ``private_key_pem``, ``token()``, ``signature_secret``,
    and the controls: ``reset()``, ``snapshot()``, ``restore()``, ``advance()``, ``set_time()``,
    ``now()``, ``fail()``, ``clear_faults()``)."""
    vonage_conversation_emulator_session.reset()
    return vonage_conversation_emulator_session


@pytest.fixture
def conversation_client(emulator: EmulatorHandle) -> Iterator[ConversationClient]:
    """A `ConversationClient` with the emulator's URL and credentials, minting its tokens on
    the application's clock, closed after the test."""
    from vonage_conversation import ConversationClient, JWTAuth  # noqa: PLC0415

    auth = JWTAuth(emulator.application_id, emulator.private_key_pem, clock=emulator.timestamp)
    with ConversationClient(auth=auth, base_url=emulator.base_url) as client:
        yield client
