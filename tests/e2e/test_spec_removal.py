"""A spec change that removes an operation reaches users too, end to end.

In a copy of the repository, ``DELETE /legs/{leg_id}`` is taken out of the v0.3 source. The
rule and the data entries about it (`empty-json-body-schema`, its operationId, its shared
parameter, the link to it) warn and are skipped; ``scripts/regenerate.py`` succeeds, the merged
spec lacks the operation, and a fresh interpreter that imports the copy's packages finds no
``legs.delete`` on either client, while ``legs.list`` is still there.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from repository_copy import copy_repository, run_in_copy

SOURCE = Path("openapi/sources/conversation.v0.3.yaml")
REMOVED = "  /legs/{leg_id}:\n"
# The removed path item ends with its empty JSON example (the source's last lines).
REMOVED_END = "              example: {}\n"
GONE = "skipped (its target is gone from the sources)"

# Run by the fresh interpreter: public names only.
USER_SCRIPT = """
import json

import vonage_conversation
from vonage_conversation import AsyncConversationClient, ConversationClient

seen = {"package": vonage_conversation.__file__}
for cls in (ConversationClient, AsyncConversationClient):
    legs = cls(token="header.payload.signature").legs
    seen[cls.__name__] = {"delete": hasattr(legs, "delete"), "list": hasattr(legs, "list")}
print(json.dumps(seen))
"""


def _without_delete_leg(text: str) -> str:
    assert text.count(REMOVED) == 1, "the source no longer has DELETE /legs/{leg_id}"
    start = text.index(REMOVED)
    end = text.index(REMOVED_END, start) + len(REMOVED_END)
    changed = text[:start] + text[end:]
    # Exactly the operation is gone: the rest of the source loads as before.
    before, after = yaml.safe_load(text), yaml.safe_load(changed)
    assert list(before["paths"].pop("/legs/{leg_id}")) == ["delete"]
    assert after == before
    return changed


@pytest.fixture(scope="module")
def removed_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A copy of the repository without DELETE /legs/{leg_id}, regenerated, and what
    regenerate.py printed on stderr."""
    # The spec-access package too: regenerate.py reads specs with its checkout's own.
    copy = copy_repository(tmp_path_factory.mktemp("repo"))
    source = copy / SOURCE
    source.write_text(_without_delete_leg(source.read_text(encoding="utf-8")), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(copy / "scripts" / "regenerate.py")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return copy, done.stderr


def test_regenerate_warns_about_each_skipped_rule_and_entry(
    removed_repo: tuple[Path, str],
) -> None:
    _, stderr = removed_repo
    warnings = [line for line in stderr.splitlines() if line.startswith("warning: ")]
    assert warnings == [
        "warning: rule empty-json-body-schema: DELETE /legs/{leg_id}: no operation DELETE "
        f"/legs/{{leg_id}}: {GONE}",
        "warning: rule operation-ids: operation-ids 'DELETE /v0.3/legs/{leg_id}': no operation "
        f"DELETE /v0.3/legs/{{leg_id}}: {GONE}",
        f"warning: rule shared-parameters: parameters 'path leg_id': no operation takes it: {GONE}",
        "warning: rule stateful-links: link DeleteFirstLeg of GET /v0.3/legs 200: no operation "
        f"'deleteLeg': {GONE}",
    ]


def test_the_merged_spec_lacks_the_operation_and_keeps_the_rest(
    removed_repo: tuple[Path, str],
) -> None:
    copy, _ = removed_repo
    merged = yaml.safe_load((copy / "openapi" / "conversation.yaml").read_text(encoding="utf-8"))
    assert "/v0.3/legs/{leg_id}" not in merged["paths"]
    assert "LegId" not in merged["components"]["parameters"]
    legs = merged["paths"]["/v0.3/legs"]["get"]
    assert legs["operationId"] == "listLegs"
    assert "links" not in legs["responses"]["200"]
    # The other empty answer keeps its schema.
    deleted = merged["paths"]["/v0.3/conversations/{conversation_id}/events/{event_id}"]
    assert deleted["delete"]["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Empty"
    }
    done = subprocess.run(
        [sys.executable, str(copy / "scripts" / "regenerate.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


@pytest.fixture(scope="module")
def observed(removed_repo: tuple[Path, str]) -> dict[str, Any]:
    """What a fresh interpreter saw of the copy's clients."""
    copy, _ = removed_repo
    return run_in_copy(copy, USER_SCRIPT)


def test_the_copy_s_package_is_the_one_used(
    removed_repo: tuple[Path, str], observed: dict[str, Any]
) -> None:
    copy, _ = removed_repo
    assert Path(observed["package"]).is_relative_to(copy)


@pytest.mark.parametrize("client", ["ConversationClient", "AsyncConversationClient"])
def test_the_method_is_gone_from_both_clients(observed: dict[str, Any], client: str) -> None:
    assert observed[client] == {"delete": False, "list": True}
