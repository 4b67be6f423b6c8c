"""The sync twins are the async sources rewritten word by word, and --check sees a stale one."""

from __future__ import annotations

from pathlib import Path

from spec_pipeline.unasync import HEADER, render, stale, unasync, write

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
    assert stale(source, target) == ["pages.py"]  # never written
    write(source, target)
    written = (target / "pages.py").read_text()
    assert written.startswith(HEADER.format(name="pages.py"))
    assert written == render(source)["pages.py"]
    assert stale(source, target) == []
    (target / "pages.py").write_text(written + "# edited by hand\n")
    (target / "orphan.py").write_text("")
    assert stale(source, target) == ["orphan.py", "pages.py"]
    write(source, target)
    assert sorted(path.name for path in target.iterdir()) == ["pages.py"]
