"""Debugging a call: `VONAGE_CONVERSATION_LOG`, one log line per HTTP exchange with no token in
any line, and `request_id` on every error."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from overlay_helpers import APP_ID, CONVERSATION, Api, FakeAPI, ok
from vonage_conversation import APIConnectionError, ConversationAPIError, JWTAuth, NotFoundError
from vonage_conversation._logs import ENV_VAR, logger, setup_from_env

PATH = "/v0.3/conversations/CON-1"


@pytest.fixture
def clean_logger() -> Iterator[None]:
    level, handlers = logger.level, list(logger.handlers)
    yield
    logger.setLevel(level)
    logger.handlers[:] = handlers


@pytest.mark.parametrize(("value", "level"), [("debug", logging.DEBUG), (" INFO ", logging.INFO)])
def test_the_variable_sets_the_level_and_a_handler(
    clean_logger: None, value: str, level: int
) -> None:
    logger.handlers.clear()
    assert setup_from_env({ENV_VAR: value}) == level
    assert logger.level == level
    assert len(logger.handlers) == 1
    setup_from_env({ENV_VAR: value})
    assert len(logger.handlers) == 1  # imported twice, or a handler of the application's: no more


@pytest.mark.parametrize("value", ["", "  "])
def test_unset_or_empty_changes_nothing(clean_logger: None, value: str) -> None:
    before = logger.level
    assert setup_from_env({ENV_VAR: value}) is None
    assert setup_from_env({}) is None
    assert logger.level == before


def test_a_bad_value_warns_and_changes_nothing(clean_logger: None) -> None:
    before = logger.level
    with pytest.warns(RuntimeWarning, match=r"VONAGE_CONVERSATION_LOG='loud'.*debug or info"):
        assert setup_from_env({ENV_VAR: "loud"}) is None
    assert logger.level == before


def test_the_variable_is_read_at_import_and_a_bad_one_is_no_traceback() -> None:
    code = (
        "import logging, vonage_conversation; print(logging.getLogger('vonage_conversation').level)"
    )
    env = {**os.environ, ENV_VAR: "debug"}
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0 and done.stdout.strip() == str(logging.DEBUG)
    env[ENV_VAR] = "verbose"
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0
    assert "Traceback" not in done.stderr
    assert "VONAGE_CONVERSATION_LOG='verbose' is not understood" in done.stderr


def test_one_line_per_exchange_and_no_token_in_any_line(
    make_api: Any,
    private_pem: bytes,
    fake: FakeAPI,
    minted: list[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A 503 retried, then a 401 re-signed, then a 200: at DEBUG every line names the method and
    path, and neither token nor the key appears anywhere."""
    api: Api = make_api(auth=JWTAuth(APP_ID, private_pem))
    unauthorized = ok({"title": "Unauthorized"}, 401)
    fake.add("GET", PATH, ok({"title": "Down"}, 503), unauthorized, ok(CONVERSATION))
    caplog.set_level(logging.DEBUG, logger="vonage_conversation")
    api.call(lambda c: c.conversations.get("CON-1"))
    assert len(minted) == 2
    exchanges = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert len(exchanges) == 2
    assert exchanges[0].startswith(f"GET {PATH} -> 503 (attempt 1, ")
    assert exchanges[1].startswith(f"GET {PATH} -> 200 (attempt 2, ")
    assert all(line.endswith("s)") for line in exchanges)
    assert any("401" in r.getMessage() for r in caplog.records if r.levelno == logging.DEBUG)
    assert any("retrying" in r.getMessage() for r in caplog.records)
    text = "\n".join(r.getMessage() for r in caplog.records)
    key_body = private_pem.decode().splitlines()[1]
    for secret in [*minted, key_body]:
        assert secret not in text
    for secret in [*minted]:
        assert secret.split(".")[1] not in text  # not even the claims


def test_a_transport_error_is_one_line_too(
    api: Api, fake: FakeAPI, caplog: pytest.LogCaptureFixture
) -> None:
    fake.add("GET", PATH, httpx.ConnectError("refused"))
    caplog.set_level(logging.INFO, logger="vonage_conversation")
    with pytest.raises(APIConnectionError) as caught:
        api.call(lambda c: c.conversations.get("CON-1"))
    lines = [r.getMessage() for r in caplog.records if r.levelno == logging.INFO]
    assert lines and lines[0].startswith(f"GET {PATH} -> ConnectError (attempt 1, ")
    assert caught.value.request_id is None


def test_request_id_is_the_body_s_instance(api: Api, fake: FakeAPI) -> None:
    body = {"title": "Not found", "instance": "bf0ca0bf927b3b52e3cb03217e1a1ddf"}
    fake.add("GET", PATH, httpx.Response(404, json=body, headers={"X-Request-Id": "hdr"}))
    with pytest.raises(NotFoundError) as caught:
        api.call(lambda c: c.conversations.get("CON-1"))
    assert caught.value.request_id == "bf0ca0bf927b3b52e3cb03217e1a1ddf"


@pytest.mark.parametrize("header", ["X-Request-Id", "x-vonage-trace-id"])
def test_request_id_is_a_header_without_an_instance(api: Api, fake: FakeAPI, header: str) -> None:
    fake.add("GET", PATH, httpx.Response(500, json={"title": "Oops"}, headers={header: "rid-1"}))
    with pytest.raises(ConversationAPIError) as caught:
        api.call(lambda c: c.conversations.get("CON-1"))
    assert caught.value.request_id == "rid-1"


def test_request_id_is_none_without_either(api: Api, fake: FakeAPI) -> None:
    fake.add("GET", PATH, httpx.Response(404, text=""))
    with pytest.raises(NotFoundError) as caught:
        api.call(lambda c: c.conversations.get("CON-1"))
    assert caught.value.request_id is None
