"""A spec change reaches users, end to end.

In a copy of the repository, a source gains an operation (``GET /users/{user_id}``, Retrieve a
user, tagged `user`, without an operationId), a field in a response (a conversation's
``member_count``) and a field in a request body (a new conversation's ``region``). After
``scripts/regenerate.py``, a fresh interpreter that imports the copy's packages calls the new
method and uses both fields through the sync and the async client against
``httpx.MockTransport``: the errors, retries and fixes of the overlay apply to all of it, with
no line of the client written by hand.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from repository_copy import PIPELINE, copy_repository, run_in_copy

SOURCE = Path("openapi/sources/conversation.v0.3.yaml")

NEW_OPERATION = """\
  /users/{user_id}:
    get:
      tags: [user]
      summary: Retrieve a user
      description: One user of the application, with when it was created.
      security: *jwt
      parameters:
        - *user_id_param
      responses:
        "200":
          description: The user
          content:
            application/json:
              schema:
                type: object
                properties:
                  id:
                    type: string
                    description: User ID
                  name:
                    type: string
                    description: Unique name for a user
                  display_name:
                    type: string
                  created_at:
                    type: string
                    format: date-time
                    description: When the user was created
"""
RESPONSE_ANCHOR = "                  sequence_number:\n"  # in the conversation's schema
RESPONSE_FIELD = """\
                  member_count:
                    type: integer
                    description: How many members the conversation has.
"""
REQUEST_ANCHOR = "                properties: &conversation_properties_field\n"
REQUEST_FIELD = """\
                region:
                  type: string
                  description: Where the conversation's data is kept.
"""

# Run by the fresh interpreter: every observation goes into one JSON document on stdout.
USER_SCRIPT = '''
import asyncio
import inspect
import json

import httpx
import vonage_conversation
import vonage_conversation_api
from vonage_conversation import (
    AsyncConversationClient,
    ConversationClient,
    NotFoundError,
    RetryPolicy,
)

USER = {"id": "USR-1", "name": "alice", "created_at": "2020-01-01 10:00:00"}
CONVERSATION = {"id": "CON-1", "name": "support", "member_count": "3"}


class Api:
    """The mock API: the new operation fails once with 503, then answers."""

    def __init__(self):
        self.requests = []
        self.user_attempts = 0

    def __call__(self, request):
        request.read()
        self.requests.append(request)
        path = request.url.path
        if path == "/v0.3/users/USR-1":
            self.user_attempts += 1
            if self.user_attempts == 1:
                return httpx.Response(503, json={"title": "Service Unavailable"})
            return httpx.Response(200, json=USER)
        if path == "/v0.3/users/USR-404":
            return httpx.Response(
                404, json={"title": "Not found.", "code": "user:error:not-found"}
            )
        if request.method == "POST" and path == "/v0.3/conversations":
            return httpx.Response(201, json=CONVERSATION)
        return httpx.Response(599, json={"title": "no route " + path})


def options(api, sleeps):
    async def async_sleep(seconds):
        sleeps.append(seconds)

    policy = RetryPolicy(sleep=sleeps.append, async_sleep=async_sleep, random=lambda: 1.0)
    return {"token": "header.payload.signature", "retry": policy,
            "transport": httpx.MockTransport(api)}


async def run(cls):
    api, sleeps = Api(), []
    client = cls(**options(api, sleeps))

    async def done(value):
        return await value if inspect.isawaitable(value) else value

    user = await done(client.users.get("USR-1"))
    try:
        await done(client.users.get("USR-404"))
        missing = None
    except NotFoundError as error:
        missing = [type(error).__name__, error.status, error.code]
    conversation = await done(client.conversations.create(name="support", region="eu-west"))
    created = [r for r in api.requests if r.method == "POST"][0]
    await done(client.close())
    return {
        "user_type": type(user).__name__,
        "user_name": user.name,
        "created_at": user.created_at.isoformat(),
        "user_requests": api.user_attempts,
        "sleeps": sleeps,
        "missing": missing,
        "member_count": conversation.member_count,
        "sent_body": json.loads(created.content),
        "doc": inspect.getdoc(client.users.get),
        "parameters": list(inspect.signature(client.users.get).parameters),
        "is_coroutine": inspect.iscoroutinefunction(client.users.get),
    }


print(json.dumps({
    "packages": [vonage_conversation.__file__, vonage_conversation_api.__file__],
    "sync": asyncio.run(run(ConversationClient)),
    "async": asyncio.run(run(AsyncConversationClient)),
}))
'''


def _insert(text: str, anchor: str, addition: str, *, before: bool = False) -> str:
    assert text.count(anchor) == 1, f"the source no longer has one {anchor!r}"
    return text.replace(anchor, addition + anchor if before else anchor + addition)


@pytest.fixture(scope="module")
def changed_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A copy of the repository with the spec change made and regenerated, and what
    regenerate.py printed on stderr."""
    # The client's hand-written core too: the fresh interpreter imports the copy's packages.
    copy = copy_repository(tmp_path_factory.mktemp("repo"), PIPELINE)
    source = copy / SOURCE
    text = source.read_text(encoding="utf-8")
    text = _insert(text, "  /legs:\n", NEW_OPERATION, before=True)
    text = _insert(text, RESPONSE_ANCHOR, RESPONSE_FIELD, before=True)
    text = _insert(text, REQUEST_ANCHOR, REQUEST_FIELD, before=True)
    source.write_text(text, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(copy / "scripts" / "regenerate.py")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return copy, done.stderr


@pytest.fixture(scope="module")
def observed(changed_repo: tuple[Path, str]) -> dict[str, Any]:
    """What the fresh interpreter saw, using the copy's packages."""
    copy, _ = changed_repo
    return run_in_copy(copy, USER_SCRIPT)


def test_regenerate_names_what_it_derived(changed_repo: tuple[Path, str]) -> None:
    _, stderr = changed_repo
    assert "GET /v0.3/users/{user_id} has no operationId: derived 'getUser'" in stderr
    assert "named it 'GetUserResponse'" in stderr


def test_the_copy_s_packages_are_the_ones_used(
    changed_repo: tuple[Path, str], observed: dict[str, Any]
) -> None:
    copy, _ = changed_repo
    for package in observed["packages"]:
        assert Path(package).is_relative_to(copy)


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_the_new_operation_is_a_typed_documented_method(
    observed: dict[str, Any], mode: str
) -> None:
    seen = observed[mode]
    assert seen["user_type"] == "GetUserResponse"
    assert seen["user_name"] == "alice"
    assert seen["parameters"] == ["user_id", "timeout", "extra_headers"]
    assert seen["doc"].startswith("Retrieve a user.\n\nOne user of the application")
    assert "user_id: User ID" in seen["doc"]
    assert seen["is_coroutine"] is (mode == "async")


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_errors_retries_and_fixes_apply_to_the_new_operation(
    observed: dict[str, Any], mode: str
) -> None:
    seen = observed[mode]
    assert seen["missing"] == ["NotFoundError", 404, "user:error:not-found"]
    assert seen["user_requests"] == 2  # the 503, then the 200
    assert seen["sleeps"] == [0.5]
    # `timestamps-date-time`: a time without a zone is read as UTC.
    assert seen["created_at"] == "2020-01-01T10:00:00+00:00"


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_the_new_fields_reach_the_request_and_the_result(
    observed: dict[str, Any], mode: str
) -> None:
    seen = observed[mode]
    assert seen["sent_body"] == {"name": "support", "region": "eu-west"}
    # Sent as the string "3": read as the integer the spec declares (`legs-count-integer`).
    assert seen["member_count"] == 3


def test_regenerate_check_covers_the_new_resources(changed_repo: tuple[Path, str]) -> None:
    copy, _ = changed_repo
    rendered = copy / "overlay" / "vonage_conversation" / "_generated"
    assert "def get(" in (rendered / "_sync" / "resources.py").read_text(encoding="utf-8")
    edited = rendered / "_async" / "resources.py"
    original = edited.read_text(encoding="utf-8")
    try:
        edited.write_text(original.replace("async def get(", "async def fetch(", 1))
        done = subprocess.run(
            [sys.executable, str(copy / "scripts" / "regenerate.py"), "--check"],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        edited.write_text(original, encoding="utf-8")
    assert done.returncode == 1
    assert "overlay/vonage_conversation/_generated/_async/resources.py" in done.stderr
