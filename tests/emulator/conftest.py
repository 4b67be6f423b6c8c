"""Fixtures for the emulator's tests.

Every test talks to a real emulator over HTTP through the generated low-level client
(`vonage_conversation_api`), and every response it gets is checked against the shipped spec:
status code, schema, and no property the schema does not declare. Tokens are made with PyJWT
(`emulator_support.make_token`), independently of the emulator's own helpers.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from emulator_support import SpecChecker, load_spec, make_token
from openapi_core import OpenAPI
from openapi_core.templating.paths.finders import APICallPathFinder
from vonage_conversation_api import AuthenticatedClient
from vonage_conversation_emulator.embedded import EmulatorInstance
from vonage_conversation_emulator.testing import emulator

__all__ = ["emulator"]


@pytest.fixture(scope="session")
def spec_checker() -> SpecChecker:
    document = load_spec()
    served = copy.deepcopy(document)
    served["servers"] = [{"url": "/"}]
    openapi = OpenAPI.from_dict(served)
    return SpecChecker(document, openapi, APICallPathFinder(openapi.spec))


ClientFactory = Callable[..., AuthenticatedClient]


@pytest.fixture
def make_client(emulator: EmulatorInstance, spec_checker: SpecChecker) -> Iterator[ClientFactory]:
    """`make_client(token=None, **claims)`: a generated client whose every response is checked
    against the spec; an application JWT unless `token` or `claims` (e.g. `sub=`) say other."""
    clients: list[AuthenticatedClient] = []

    def factory(token: str | None = None, **claims: Any) -> AuthenticatedClient:
        client = AuthenticatedClient(
            base_url=emulator.base_url,
            token=token or make_token(emulator, **claims),
            raise_on_unexpected_status=True,
            httpx_args={"event_hooks": {"response": [spec_checker.check]}},
        )
        clients.append(client)
        return client

    yield factory
    for client in clients:
        client.get_httpx_client().close()


@pytest.fixture
def client(make_client: ClientFactory) -> AuthenticatedClient:
    """A generated client with an application JWT."""
    return make_client()


@pytest.fixture
def raw(emulator: EmulatorInstance, spec_checker: SpecChecker) -> Iterator[httpx.Client]:
    """Plain httpx (application JWT) for requests the generated client cannot make."""
    with httpx.Client(
        base_url=emulator.base_url,
        headers={"Authorization": f"Bearer {make_token(emulator)}"},
        event_hooks={"response": [spec_checker.check]},
    ) as http:
        yield http


@pytest.fixture
def create_user(raw: httpx.Client) -> Callable[..., dict[str, Any]]:
    """`create_user(name, display_name=None)` through the emulator-only admin route."""

    def create(name: str, display_name: str | None = None) -> dict[str, Any]:
        body = {"name": name} | ({"display_name": display_name} if display_name else {})
        response = raw.post("/_emulator/users", json=body)
        assert response.status_code == 201, response.text
        user: dict[str, Any] = response.json()
        return user

    return create
