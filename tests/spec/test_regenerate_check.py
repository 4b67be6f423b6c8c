"""`scripts/regenerate.py --check` passes on a clean tree and names every file an edit made stale.

Each test runs the real script on a copy of the repository's pipeline inputs and outputs.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from repository_copy import copy_repository


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    # api.md, the rendered reference, is checked at the repository's root.
    yield copy_repository(tmp_path_factory.mktemp("repo"))


def run(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(repo / "scripts" / "regenerate.py"), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_passes_on_a_clean_tree(repo: Path) -> None:
    done = run(repo, "--check")
    assert done.returncode == 0, done.stderr
    assert "up to date" in done.stdout


def test_an_edited_async_source_makes_its_sync_twin_stale(repo: Path) -> None:
    source = repo / "overlay" / "vonage_conversation" / "_async" / "pagination.py"
    original = source.read_text()
    try:
        source.write_text(original + "\n\nLATER = 1\n")
        done = run(repo, "--check")
    finally:
        source.write_text(original)
    assert done.returncode == 1
    assert "overlay/vonage_conversation/_sync/pagination.py" in done.stderr.split()


@pytest.mark.parametrize(
    ("relative", "after"),
    [
        ("generated/vonage_conversation_api/models/member.py", b"\n"),
        ("generated/vonage_conversation_api/api/event/list_events.py", b"\n"),
        # What scripts/spec_pipeline renders into the client package: the resources (and their
        # sync twin), the operations table, the response readers.
        ("overlay/vonage_conversation/_generated/_async/resources.py", b"\n"),
        ("overlay/vonage_conversation/_generated/_sync/resources.py", b"\n"),
        ("overlay/vonage_conversation/_generated/operations.py", b"\n"),
        ("overlay/vonage_conversation/_generated/readers.py", b"\n"),
        ("generated/vonage_conversation_api/openapi.yaml", b"\n"),
        ("openapi/conversation.yaml", b"\n"),
        # The client's sync twins, written from their async sources.
        ("overlay/vonage_conversation/_sync/core.py", b"\n"),
        # The rules' entries are written by the script; the prose around them is not.
        ("openapi/NORMALISATION.md", b"- **Source:** both\n"),
        # The reference, rendered from the spec and the hand-written helpers.
        ("api.md", b"\n"),
    ],
)
def test_check_fails_naming_an_edited_file(repo: Path, relative: str, after: bytes) -> None:
    edited = repo / relative
    original = edited.read_bytes()
    try:
        edited.write_bytes(original.replace(after, after + b"# edited by hand\n", 1))
        done = run(repo, "--check")
    finally:
        edited.write_bytes(original)
    assert done.returncode == 1
    assert relative in done.stderr.split()


@pytest.mark.parametrize(
    "added",
    [
        "generated/vonage_conversation_api/models/extra.py",
        "overlay/vonage_conversation/_generated/extra.py",
    ],
    ids=["generated", "the client's rendered modules"],
)
def test_check_names_a_file_added_under_what_it_writes(repo: Path, added: str) -> None:
    extra = repo / added
    extra.write_text("x = 1\n", encoding="utf-8")
    try:
        done = run(repo, "--check")
    finally:
        extra.unlink()
    assert done.returncode == 1
    assert added in done.stderr


def test_an_edited_fixes_table_makes_the_readers_stale(repo: Path) -> None:
    """The readers are rendered from `_fixes.py`'s table: a new trigger changes them."""
    fixes = repo / "overlay" / "vonage_conversation" / "_fixes.py"
    original = fixes.read_text(encoding="utf-8")
    try:
        fixes.write_text(
            original.replace(
                'ObjectFix("legs-end-time", "start_end"', 'ObjectFix("legs-end-time", "ended"'
            ),
            encoding="utf-8",
        )
        done = run(repo, "--check")
    finally:
        fixes.write_text(original, encoding="utf-8")
    assert done.returncode == 1
    assert "overlay/vonage_conversation/_generated/readers.py" in done.stderr.split()


def test_an_edited_helper_docstring_makes_api_md_stale(repo: Path) -> None:
    """api.md reads the hand-written helpers' signatures and docstrings from their source."""
    helpers = repo / "overlay" / "vonage_conversation" / "_helpers.py"
    original = helpers.read_text(encoding="utf-8")
    try:
        helpers.write_text(
            original.replace('"""Send a ``text`` event', '"""Send one ``text`` event'),
            encoding="utf-8",
        )
        done = run(repo, "--check")
    finally:
        helpers.write_text(original, encoding="utf-8")
    assert done.returncode == 1
    assert done.stderr.split()[-1] == "api.md"


def test_api_md_names_every_resource_method_and_helper(repo: Path) -> None:
    text = (repo / "api.md").read_text(encoding="utf-8")
    assert "`GET /v0.3/conversations/{conversation_id}/members/me` (`getMyMember`)" in text
    assert "client.members.me(conversation_id: Id) -> Member" in text
    assert "client.events.list(" in text and "-> SyncPaginator[Event]" in text
    assert "client.events.send_text(conversation_id: Id, *, from_: Id, text: str" in text
    assert "vonage_conversation.as_typed(event: Event) -> TypedEvent" in text
    assert "vonage_conversation.webhooks.unwrap(" in text


def test_regenerating_twice_changes_nothing(repo: Path) -> None:
    before = {path: path.read_bytes() for path in repo.rglob("*") if path.is_file()}
    for _ in range(2):
        done = run(repo)
        assert done.returncode == 0, done.stderr
    after = {path: path.read_bytes() for path in repo.rglob("*") if path.is_file()}
    assert after == before


def test_a_broken_source_is_reported_without_a_traceback(repo: Path) -> None:
    source = repo / "openapi" / "sources" / "conversation.v0.2.yaml"
    original = source.read_bytes()
    try:
        source.write_bytes(original.replace(b"  title: Conversation API\n", b"  title: [\n", 1))
        done = run(repo, "--check")
    finally:
        source.write_bytes(original)
    assert done.returncode == 2
    assert done.stderr.startswith("error: ")
    assert "conversation.v0.2.yaml" in done.stderr
    assert "Traceback" not in done.stderr
