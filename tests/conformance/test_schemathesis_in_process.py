"""Schemathesis against the emulator's ASGI app, in process, with a bounded number of examples.

The long run is `vonage-conversation conformance`; this one keeps the normal test run honest:
every operation with every check, then the stateful links, through the same hooks (JWT auth,
the run's user) the command uses.
"""

from __future__ import annotations

import tempfile
from importlib import resources
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from vonage_conversation_conformance import SCHEMATHESIS_CONFIG, hooks
from vonage_conversation_emulator.app import create_app
from vonage_conversation_emulator.keys import generate_private_key_pem, load_public_key
from vonage_conversation_emulator.seed import SeedUser
from vonage_conversation_emulator.storage.sqlite import SQLiteStore

APPLICATION_ID = "in-process-conformance"
USERS = ("conformance-user-1", "conformance-user-2", "conformance-user-3")
PRIVATE_KEY = generate_private_key_pem().decode()
# The transport runs the app's lifespan around each call: a store the app does not own keeps
# the state (users, conversations) from one call to the next.
STORE = SQLiteStore(None)
APP = create_app(
    application_id=APPLICATION_ID,
    public_key=load_public_key(PRIVATE_KEY.encode()),
    store=STORE,
    seed=[SeedUser(name=name) for name in USERS],
)


# The hooks serve this module's run from its settings file, as they do the command's; they are
# asked already while the tests are collected (the spec's examples), hence at import. The
# folder goes when the interpreter exits.
_HOOKS = tempfile.TemporaryDirectory(prefix="conformance-hooks-")
_SETTINGS = Path(_HOOKS.name) / "settings.json"
hooks.RunSettings(APPLICATION_ID, PRIVATE_KEY, USERS).dump(_SETTINGS)
hooks.configure(_SETTINGS)

with resources.as_file(resources.files("vonage_conversation_api") / "openapi.yaml") as _spec:
    SCHEMA = schemathesis.openapi.from_path(
        _spec, config=schemathesis.Config.from_str(SCHEMATHESIS_CONFIG)
    )
SCHEMA.app = APP
SETTINGS = settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


@SCHEMA.parametrize()
@SETTINGS
def test_every_operation_conforms(case: schemathesis.Case) -> None:  # type: ignore[type-arg]
    case.call_and_validate()


StatefulRun = SCHEMA.as_state_machine()
TestLinkedOperations = StatefulRun.TestCase
TestLinkedOperations.settings = settings(
    max_examples=5,
    stateful_step_count=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
