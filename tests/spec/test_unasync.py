"""The sync twins are the async sources rewritten word by word, and --check sees a stale one."""

from __future__ import annotations

from pathlib import Path

import pytest
from spec_pipeline.unasync import (
    HEADER,
    UNASYNC_NAMES,
    UnasyncError,
    render,
    stale,
    unasync,
    write,
)

#: The entries of the table that `ASYNC` uses.
NAMES = {
    name: UNASYNC_NAMES[name]
    for name in ("AsyncCore", "AsyncPaginator", "AsyncIterator", "__aiter__")
} | {"aclose": "close"}

ASYNC = '''"""A module."""

from collections.abc import AsyncIterator

from .._core import AsyncCore


class AsyncPaginator:
    async def pages(self, core: AsyncCore) -> AsyncIterator[int]:
        async with core.lock:
            async for page in core.stream():
                yield await core.send(page)

    async def walk(self) -> AsyncGenerator[Page[int], None]:
        yield Page(1)

    async def __aiter__(self) -> AsyncIterator[int]:
        await self.aclose()
        return self.AsyncPaginatorish
'''


def test_async_words_become_sync_ones_and_only_whole_names_change() -> None:
    sync = unasync(ASYNC)
    assert "async" not in sync.replace("AsyncPaginatorish", "")
    assert "await" not in sync
    assert "class SyncPaginator:" in sync
    assert "    def pages(self, core: SyncCore) -> Iterator[int]:" in sync
    assert "        with core.lock:\n            for page in core.stream():" in sync
    assert "                yield core.send(page)" in sync
    assert "    def __iter__(self) -> Iterator[int]:\n        self.close()" in sync
    assert "self.AsyncPaginatorish" in sync  # not a name of the table: left alone
    assert "    def walk(self) -> Generator[Page[int], None, None]:" in sync


def test_twins_are_written_formatted_with_a_header_and_checked(tmp_path: Path) -> None:
    source, target = tmp_path / "_async", tmp_path / "_sync"
    source.mkdir()
    (source / "pages.py").write_text(ASYNC)
    assert stale(source, target, NAMES) == ["pages.py"]  # never written
    write(source, target, NAMES)
    written = (target / "pages.py").read_text()
    assert written.startswith(HEADER.format(name="pages.py"))
    assert written == render(source, NAMES)["pages.py"]
    assert stale(source, target, NAMES) == []
    (target / "pages.py").write_text(written + "# edited by hand\n")
    (target / "orphan.py").write_text("")
    assert stale(source, target, NAMES) == ["orphan.py", "pages.py"]
    write(source, target, NAMES)
    assert sorted(path.name for path in target.iterdir()) == ["pages.py"]


def test_a_table_entry_no_module_uses_is_an_error(tmp_path: Path) -> None:
    """As httpcore's script checks: a substitution that matches nothing is a stale table."""
    source = tmp_path / "_async"
    source.mkdir()
    (source / "pages.py").write_text(ASYNC)
    with pytest.raises(UnasyncError, match=r"no longer uses: \['AsyncThing'\]"):
        render(source, {**NAMES, "AsyncThing": "SyncThing"})


def test_the_client_s_own_table_is_all_used() -> None:
    """Every entry of the table is used by the client's async sources (the default run)."""
    assert render()  # raises naming any entry that matches nothing


def test_async_only_lines_and_async_module_imports() -> None:
    text = (
        "from .._async.core import AsyncCore\n"
        "class A:\n"
        "    async def close(self) -> None: ...\n"
        "    # async only\n"
        "    async def aclose(self) -> None:\n"
        "        await self.close()\n"
        "\n"
        "    # end async only\n"
        "    def __repr__(self) -> str: ...\n"
    )
    sync = unasync(text, {"AsyncCore": "SyncCore"})
    assert sync.startswith("from .._sync.core import SyncCore\n")
    assert "aclose" not in sync and "async only" not in sync
    assert "    def close(self) -> None: ...\n    def __repr__(self)" in sync
