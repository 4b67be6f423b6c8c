"""The naming rule of the client's resources and methods (`spec_pipeline.naming`)."""

from __future__ import annotations

import re

import pytest
from spec_pipeline.build import ROOT
from spec_pipeline.naming import (
    METHOD_NAMES,
    NamingError,
    check_unique,
    method_name,
    resource_name,
    rule_method_name,
)


@pytest.mark.parametrize(
    ("tag", "path", "resource"),
    [
        ("conversation", "/v0.3/conversations", "conversations"),
        ("user", "/v0.3/users/{user_id}", "users"),
        ("leg", "/v0.3/legs", "legs"),
        ("phone number", "/v0.3/numbers", "phone_numbers"),
        ("entry", "/v0.3/entries", "entries"),
        # No tag: the path's first literal segment after the version.
        (None, "/v0.3/devices/{device_id}", "devices"),
    ],
)
def test_the_resource_is_the_tag_in_the_plural(tag: str | None, path: str, resource: str) -> None:
    assert resource_name(tag, path) == resource


@pytest.mark.parametrize(
    ("operation_id", "resource", "method"),
    [
        ("getConversation", "conversations", "get"),
        ("listConversations", "conversations", "list"),
        ("createMember", "members", "create"),
        ("deleteLeg", "legs", "delete"),
        ("getUser", "users", "get"),
        ("listConversationsV02", "conversations", "list_v02"),
        ("listEventsV02", "events", "list_v02"),
        ("listUserConversations", "users", "list_conversations"),
        ("getMyMember", "members", "get_my"),
        ("get-user-devices", "users", "get_devices"),
    ],
)
def test_the_method_is_the_operation_id_without_its_resource(
    operation_id: str, resource: str, method: str
) -> None:
    assert rule_method_name(operation_id, resource) == method


def test_the_exceptions_keep_todays_public_names() -> None:
    assert METHOD_NAMES == {
        "listUserConversations": "conversations",
        "listUserSessions": "sessions",
        "getMyMember": "me",
    }
    assert method_name("getMyMember", "members") == "me"
    assert method_name("getUser", "users") == "get"


def test_the_readme_shows_the_exceptions_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^  \| `(\w+)` \| `(\w+)\.(\w+)` \|$", readme, re.MULTILINE)
    assert {operation_id: method for operation_id, _, method in rows} == METHOD_NAMES


def test_an_operation_named_after_its_resource_alone_asks_for_a_name() -> None:
    with pytest.raises(NamingError, match=r"add 'users': '<method>' to METHOD_NAMES in scripts"):
        rule_method_name("users", "users")


def test_an_operation_named_like_a_hand_written_helper_asks_for_another_name() -> None:
    with pytest.raises(NamingError, match=r"events.send_text \(operation 'sendText'\).*add"):
        method_name("sendText", "events")
    assert method_name("sendText", "users") == "send_text"


def test_two_operations_with_one_name_ask_for_an_exception() -> None:
    check_unique("users", {"getUser": "get", "listUsers": "list"})
    with pytest.raises(
        NamingError, match=r"'getUser' and 'getUsers' would both be users.get: add one of them"
    ):
        check_unique("users", {"getUser": "get", "getUsers": "get"})
