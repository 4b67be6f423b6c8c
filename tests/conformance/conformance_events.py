"""Schemathesis events as its NDJSON stream carries them, built small for the unit tests, and
decoded (`typed`) as the package reads them."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from typing import Any

from vonage_conversation_conformance._stream import EngineEvent, decode

Event = tuple[str, dict[str, Any]]
OK = {"name": "not_a_server_error", "status": "success"}
SCHEMA_OK = {"name": "response_schema_conformance", "status": "success"}
STATUS_OK = {"name": "status_code_conformance", "status": "success"}
CTYPE_OK = {"name": "content_type_conformance", "status": "success"}
VERIFYING_OK = [STATUS_OK, CTYPE_OK, SCHEMA_OK]


def case(
    method: str,
    path: str,
    checks: list[dict[str, Any]],
    response: dict[str, Any] | None,
    *,
    parent: str | None = None,
    transition: bool = False,
) -> dict[str, Any]:
    """One recorded case: a request, its checks, and its response (None: no answer)."""
    return {
        "method": method,
        "path": path,
        "checks": checks,
        "response": response,
        "parent": parent,
        "transition": transition,
    }


def scenario(label: str, phase: str, cases: dict[str, dict[str, Any]]) -> Event:
    """A ScenarioFinished event."""
    recorder: dict[str, Any] = {"label": label, "cases": {}, "checks": {}, "interactions": {}}
    for case_id, recorded in cases.items():
        node: dict[str, Any] = {"value": {"method": recorded["method"], "path": recorded["path"]}}
        if recorded["parent"] is not None:
            node["parent_id"] = recorded["parent"]
        if recorded["transition"]:
            node["transition"] = {"id": "link"}
        recorder["cases"][case_id] = node
        recorder["checks"][case_id] = recorded["checks"]
        recorder["interactions"][case_id] = {
            "request": {
                "method": recorded["method"],
                "uri": f"http://x{recorded['path']}",
                "headers": {"Authorization": ["[Filtered]"]},
            },
            "response": recorded["response"],
        }
    return "ScenarioFinished", {"phase": phase, "recorder": recorder}


def failed(name: str, message: str, title: str = "Broken") -> dict[str, Any]:
    """A check that failed."""
    failure = {"title": title, "message": message}
    return {"name": name, "status": "failure", "failure_info": {"failure": failure}}


def answer(status: int, document: Any = None) -> dict[str, Any]:
    """A response, with a JSON body when `document` is given."""
    response: dict[str, Any] = {"status_code": status}
    if document is not None:
        content = base64.b64encode(json.dumps(document).encode()).decode()
        response["content"] = {"$base64": content}
    return response


def phase_finished(name: str, status: str, skip_reason: str | None = None) -> Event:
    return "PhaseFinished", {"phase": {"name": name, "skip_reason": skip_reason}, "status": status}


def typed(records: Iterable[Event]) -> list[EngineEvent]:
    """The records as the package reads them (records it does not read left out)."""
    decoded = [decode(name, payload) for name, payload in records]
    return [event for event in decoded if event is not None]


def ndjson(records: Iterable[Event]) -> str:
    """The records as schemathesis writes them: one JSON object a line."""
    return "".join(json.dumps({name: payload}) + "\n" for name, payload in records)
