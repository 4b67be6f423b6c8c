"""The client's sync code, written from its async twin, so that the two can never drift.

Every module in `overlay/vonage_conversation/_async/` is the one source of code that must exist
twice; its sync twin in `overlay/vonage_conversation/_sync/` is this module's output (a header
says so), checked by `regenerate.py --check` like everything else generated. The rewriting is
by words: `async def`/`async for`/`async with` lose `async`, `await` goes, an import from an
``_async.`` module comes from its ``_sync.`` twin, and each async name becomes its sync one
(`AsyncCore` -> `SyncCore`, `__aiter__` -> `__iter__`...), by the table below; a name it does
not list stays as it is. Lines between ``# async only`` and ``# end async only`` have no sync
twin (an async-only alias). The pipeline's rendered async resources are rewritten the same way
(`render`, with their own table).

As in httpcore's script, every entry of a table must be used by the modules it rewrites: an
entry that no longer matches anything is an error, so the table cannot go stale unnoticed.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from .build import ROOT

__all__ = [
    "SOURCE",
    "TARGET",
    "UNASYNC_NAMES",
    "UnasyncError",
    "render",
    "stale",
    "unasync",
    "write",
]

SOURCE = ROOT / "overlay" / "vonage_conversation" / "_async"
TARGET = ROOT / "overlay" / "vonage_conversation" / "_sync"
# Async name -> its sync twin's. Whole words only: `AsyncCoreish` is left alone.
UNASYNC_NAMES = {
    "AsyncBaseTransport": "BaseTransport",
    "AsyncClientBase": "SyncClientBase",
    "AsyncClient": "Client",
    "AsyncConversationClient": "ConversationClient",
    "AsyncCore": "SyncCore",
    "AsyncGenerator": "Generator",  # in an import; its subscript is `_ASYNC_GENERATOR`'s
    "AsyncIterator": "Iterator",
    "AsyncPaginator": "SyncPaginator",
    "AsyncResource": "SyncResource",
    "__aenter__": "__enter__",
    "__aexit__": "__exit__",
    "__aiter__": "__iter__",
    "aclose": "close",
    "aclosing": "closing",
    "acall_raw": "call_raw",
    "async_sleep": "sleep",
}
HEADER = "# Generated from _async/{name} by scripts/spec_pipeline/unasync.py: do not edit.\n"
# `AsyncGenerator[Y, S]` takes two parameters, `Generator[Y, S, R]` three.
_ASYNC_GENERATOR = re.compile(r"\bAsyncGenerator\[([^\[\]]+(?:\[[^\[\]]*\])?[^\[\]]*), None\]")
# What a sync call returns is what its async twin's awaitable gives.
_AWAITABLE = re.compile(r"\bAwaitable\[(\w+)\]")
_KEYWORD = re.compile(r"\basync\s+(def|for|with)\b")
_AWAIT = re.compile(r"\bawait\s+")
_ASYNC_MODULE = re.compile(r"\b_async\.")
_ASYNC_ONLY = re.compile(r"^[ \t]*# async only\n.*?^[ \t]*# end async only\n", re.M | re.S)


class UnasyncError(RuntimeError):
    """The sync twins could not be written."""


def unasync(
    text: str, names: Mapping[str, str] = UNASYNC_NAMES, used: set[str] | None = None
) -> str:
    """The sync twin of an async module's text (before formatting), by the table `names`;
    the names it rewrote are added to `used`."""
    text = _ASYNC_ONLY.sub("", text)
    text = _ASYNC_GENERATOR.sub(r"Generator[\1, None, None]", text)
    text = _AWAITABLE.sub(r"\1", text)
    text = _KEYWORD.sub(r"\1", text)
    text = _AWAIT.sub("", text)
    text = _ASYNC_MODULE.sub("_sync.", text)
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(names, key=len)[::-1])) + r")\b")

    def renamed(match: re.Match[str]) -> str:
        if used is not None:
            used.add(match.group(1))
        return names[match.group(1)]

    return pattern.sub(renamed, text)


def _format(folder: Path) -> None:
    """Format the written twins as the repository's lint wants them (its ruff settings)."""
    ruff = Path(sys.executable).parent / "ruff"
    for args in (("check", "--fix-only", "--select", "F401,I"), ("format",)):
        done = subprocess.run(
            [str(ruff), *args, "--config", str(ROOT / "pyproject.toml"), str(folder)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise UnasyncError(f"ruff {args[0]} failed on the sync twins:\n{done.stderr}")


def render(source: Path = SOURCE, names: Mapping[str, str] = UNASYNC_NAMES) -> dict[str, str]:
    """Every sync twin's text, by file name, formatted; an entry of `names` that none of the
    modules uses is an `UnasyncError`."""
    used: set[str] = set()
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        for module in sorted(source.glob("*.py")):
            text = unasync(module.read_text(encoding="utf-8"), names, used)
            (folder / module.name).write_text(HEADER.format(name=module.name) + text)
        if unused := sorted(set(names) - used):
            raise UnasyncError(
                f"the unasync table names what {source.name}/ no longer uses: {unused} "
                "(remove them from the table)"
            )
        _format(folder)
        return {path.name: path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.py"))}


def write(
    source: Path = SOURCE, target: Path = TARGET, names: Mapping[str, str] = UNASYNC_NAMES
) -> None:
    """Write the sync twins (and remove twins whose source is gone)."""
    rendered = render(source, names)
    target.mkdir(exist_ok=True)
    for old in target.glob("*.py"):
        if old.name not in rendered:
            old.unlink()
    for name, text in rendered.items():
        (target / name).write_text(text, encoding="utf-8")


def stale(
    source: Path = SOURCE, target: Path = TARGET, names: Mapping[str, str] = UNASYNC_NAMES
) -> list[str]:
    """The twins that differ from a fresh rendering (or are missing, or have no source)."""
    rendered = render(source, names)
    found = {path.name for path in target.glob("*.py")} if target.is_dir() else set()
    differing = [
        name
        for name, text in rendered.items()
        if name not in found or (target / name).read_text(encoding="utf-8") != text
    ]
    return sorted(set(differing) | (found - set(rendered)))
