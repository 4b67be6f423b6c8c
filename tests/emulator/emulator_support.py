"""Helpers for the emulator's tests: spec checking, tokens made with PyJWT, Error asserts.

(A module of its own, not conftest.py, so tests can import it by a name no other test folder
uses.)
"""

from __future__ import annotations

import importlib.resources
import sqlite3
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import jwt
import vonage_conversation_spec as spec_access
import yaml
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from openapi_core.templating.paths.exceptions import PathError
from openapi_core.templating.paths.finders import APICallPathFinder
from starlette.datastructures import Headers, QueryParams
from vonage_conversation_api.models import CreateCustomEventRequest, CreateTextEventRequest
from vonage_conversation_emulator.embedded import EmulatorInstance


def load_spec() -> dict[str, Any]:
    text = (importlib.resources.files("vonage_conversation_api") / "openapi.yaml").read_text()
    document: dict[str, Any] = yaml.safe_load(text)
    return document


@dataclass
class _Request:
    host_url: str
    path: str
    method: str
    parameters: RequestParameters
    body: bytes | None
    content_type: str


@dataclass
class _Response:
    status_code: int
    content_type: str
    headers: Mapping[str, str]
    data: bytes


@dataclass
class SpecChecker:
    """Checks responses against the shipped spec and records which operations answered 2xx."""

    document: dict[str, Any]
    openapi: OpenAPI
    finder: APICallPathFinder
    succeeded: set[str] = field(default_factory=set)

    def resolve(self, node: Any) -> Any:
        return spec_access.resolve(self.document, node)

    def operation(self, method: str, path: str) -> tuple[str, dict[str, Any]] | None:
        try:
            found = self.finder.find(method.lower(), path)
        except PathError:
            return None
        template = found.path_result.pattern
        return template, self.document["paths"][template][method.lower()]

    def check(self, response: httpx.Response) -> None:
        request = response.request
        found = self.operation(request.method, request.url.path)
        if found is None or response.status_code == 405:
            # Not an operation of the spec (admin route, unknown path, wrong method; for PATCH
            # .../members/me openapi-core would pick updateMember): tested apart.
            return
        _, operation = found
        response.read()
        core_request = _Request(
            host_url=f"{request.url.scheme}://{request.url.netloc.decode()}",
            path=request.url.path,
            method=request.method.lower(),
            parameters=RequestParameters(
                query=QueryParams(request.url.query.decode()), header=Headers(request.headers)
            ),
            body=_request_body(request),
            content_type=request.headers.get("content-type", "application/json"),
        )
        core_response = _Response(
            status_code=response.status_code,
            content_type=response.headers.get("content-type", ""),
            headers=response.headers,
            data=response.content,
        )
        self.openapi.validate_response(core_request, core_response)
        status = str(response.status_code)
        responses = operation["responses"]
        declared = self.resolve(responses.get(status) or responses[f"{status[0]}XX"])
        if "content" in declared:
            schema = declared["content"]["application/json"]["schema"]
            undeclared = self.undeclared(schema, response.json(), "")
            assert not undeclared, f"{request.method} {request.url}: undeclared {undeclared}"
        else:
            assert response.content == b"", "a response without content in the spec has a body"
        if response.is_success:
            self.succeeded.add(operation["operationId"])

    def undeclared(self, schema: Any, value: Any, where: str) -> list[str]:
        """Paths of properties in `value` that `schema` does not declare."""
        schema = self.resolve(schema)
        found: list[str] = []
        if isinstance(value, dict):
            properties = schema.get("properties")
            extra = schema.get("additionalProperties")
            for key, item in value.items():
                if properties is not None and key in properties:
                    found += self.undeclared(properties[key], item, f"{where}.{key}")
                elif isinstance(extra, dict):
                    found += self.undeclared(extra, item, f"{where}.{key}")
                elif properties is not None:
                    found.append(f"{where}.{key}")
        elif isinstance(value, list) and "items" in schema:
            for index, item in enumerate(value):
                found += self.undeclared(schema["items"], item, f"{where}[{index}]")
        return found


def _request_body(request: httpx.Request) -> bytes | None:
    try:
        return request.content or None
    except httpx.RequestNotRead:
        return None  # a streamed upload: its bytes are gone


def make_token(
    emulator: EmulatorInstance,
    *,
    private_key: str | None = None,
    algorithm: str = "RS256",
    lifetime: int = 600,
    **claims: Any,
) -> str:
    """A JWT made the way a client would make one; `claims` override or (set to None) drop."""
    now = int(time.time())
    payload: dict[str, Any] = {
        "application_id": emulator.application_id,
        "iat": now,
        "exp": now + lifetime,
        "jti": str(uuid.uuid4()),
    }
    payload.update(claims)
    payload = {k: v for k, v in payload.items() if v is not None}
    return jwt.encode(payload, private_key or emulator.private_key_pem, algorithm=algorithm)


def assert_error(response: httpx.Response | Any, status: int, code: str) -> dict[str, Any]:
    """`response` (httpx or generated) is an Error body with this status and code."""
    content = response.content
    assert int(response.status_code) == status, content
    body: dict[str, Any] = httpx.Response(200, content=content).json()
    assert body["code"] == code, body
    assert set(body) == {"type", "title", "detail", "instance", "code"}, body
    assert body["title"] and body["detail"] and body["instance"]
    return body


def json_of(response: Any) -> Any:
    """The JSON body exactly as sent (generated models re-format timestamps)."""
    return httpx.Response(200, content=response.content).json()


def event_request(body: Mapping[str, Any]) -> CreateTextEventRequest | CreateCustomEventRequest:
    """The generated create-event model for a valid `body`, picked by its `type` (invalid
    bodies are refused by the models, so tests send those as raw HTTP)."""
    if body.get("type") == "text":
        return CreateTextEventRequest.from_dict(body)
    return CreateCustomEventRequest.from_dict(body)


def write_schema_3_file(path: Path) -> None:
    """A ``--db`` file as the release before applications left it (schema 3, the text of
    ``schema_v3.sql``): a user alice (USR-old), a conversation "kept" (CON-old) she joined,
    its event 1, a leg, a session, and a delivery pending after one failed attempt."""
    t, url = "2020-01-01T00:00:00.000Z", "http://127.0.0.1:9/hook"
    rows = {
        "users (id, name, display_name, created, seq)": ("USR-old", "alice", "Alice", t, 5),
        "conversations (id, name, created, state, numbers, sequence_number, seq)": (
            *("CON-old", "kept", t, "ACTIVE", "{}", 1, 3),
        ),
        "members (id, conversation_id, user_id, state, created, channel, timestamps, "
        "initiator, seq)": ("MEM-old", "CON-old", "USR-old", "JOINED", t, "{}", "{}", "{}", 2),
        "events (conversation_id, id, type, body, timestamp)": (
            *("CON-old", 1, "text", '{"text":"hi"}', t),
        ),
        "legs (uuid, type, conversation_id, member_id, state, start_time, position)": (
            *("leg-old", "app", "CON-old", "MEM-old", "answered", t, 0),
        ),
        "sessions (id, user_id, session_key, expires_at, created, seq)": (
            *("SES-old", "USR-old", "jti-old", 1e12, t, 1),
        ),
        "deliveries (conversation_id, event_id, application_id, method, url, body, signed, "
        "headers, created_at, next_at, state, attempts, seq)": (
            *("CON-old", 1, "the-old-app", "POST", url, "{}", "{}", "{}", 1.0, 1.0),
            *("pending", 1, 7),
        ),
        "delivery_attempts (delivery_id, conversation_id, event_id, url, attempt, status, "
        "error, at, seq)": (7, "CON-old", 1, url, 1, 500, None, t, 1),
    }
    with sqlite3.connect(path) as old:
        old.executescript((Path(__file__).parent / "schema_v3.sql").read_text("utf-8"))
        old.execute("INSERT INTO meta (key, value) VALUES ('secret', ?)", (b"s" * 32,))
        for table, values in rows.items():
            marks = ", ".join("?" * len(values))
            old.execute(f"INSERT INTO {table} VALUES ({marks})", values)
        old.execute("PRAGMA user_version = 3")
    old.close()
