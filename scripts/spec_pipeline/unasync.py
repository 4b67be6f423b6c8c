"""The client's sync code, written from its async twin, so that the two can never drift.

Every module in `overlay/vonage_conversation/_async/` is the one source of code that must exist
twice; its sync twin in `overlay/vonage_conversation/_sync/` is this module's output (a header
says so), checked by `regenerate.py --check` like everything else generated. The rewriting is
by words: `async def`/`async for`/`async with` lose `async`, `await` goes, and each async name
becomes its sync one (`AsyncCore` -> `SyncCore`, `__aiter__` -> `__iter__`...), by the table
below; a name it does not list stays as it is.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
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
    "AsyncClientCalls": "SyncClientCalls",
    "AsyncClient": "Client",
    "AsyncConversationClient": "ConversationClient",
    "AsyncCore": "SyncCore",
    "AsyncGenerator": "Generator",  # in an import; its subscript is `_ASYNC_GENERATOR`'s
    "AsyncIterable": "Iterable",
    "AsyncIterator": "Iterator",
    "AsyncPaginator": "SyncPaginator",
    "AsyncResources": "SyncResources",
    "__aenter__": "__enter__",
    "__aexit__": "__exit__",
    "__aiter__": "__iter__",
    "__anext__": "__next__",
    "aclose": "close",
    "aclosing": "closing",
    "acall_raw": "call_raw",
    "async_sleep": "sleep",
    "asynccontextmanager": "contextmanager",
    "StopAsyncIteration": "StopIteration",
}
HEADER = "# Generated from _async/{name} by scripts/spec_pipeline/unasync.py: do not edit.\n"
# `AsyncGenerator[Y, S]` takes two parameters, `Generator[Y, S, R]` three.
_ASYNC_GENERATOR = re.compile(r"\bAsyncGenerator\[([^\[\]]+(?:\[[^\[\]]*\])?[^\[\]]*), None\]")
# What a sync call returns is what its async twin's awaitable gives.
_AWAITABLE = re.compile(r"\bAwaitable\[(\w+)\]")
_KEYWORD = re.compile(r"\basync\s+(def|for|with)\b")
_AWAIT = re.compile(r"\bawait\s+")
_NAMES = re.compile(r"\b(" + "|".join(map(re.escape, UNASYNC_NAMES)) + r")\b")


class UnasyncError(RuntimeError):
    """The sync twins could not be written."""


def unasync(text: str) -> str:
    """The sync twin of an async module's text (before formatting)."""
    text = _ASYNC_GENERATOR.sub(r"Generator[\1, None, None]", text)
    text = _AWAITABLE.sub(r"\1", text)
    text = _KEYWORD.sub(r"\1", text)
    text = _AWAIT.sub("", text)
    return _NAMES.sub(lambda match: UNASYNC_NAMES[match.group(1)], text)


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


def render(source: Path = SOURCE) -> dict[str, str]:
    """Every sync twin's text, by file name, formatted."""
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        for module in sorted(source.glob("*.py")):
            text = module.read_text(encoding="utf-8")
            (folder / module.name).write_text(HEADER.format(name=module.name) + unasync(text))
        _format(folder)
        return {path.name: path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.py"))}


def write(source: Path = SOURCE, target: Path = TARGET) -> None:
    """Write the sync twins (and remove twins whose source is gone)."""
    rendered = render(source)
    target.mkdir(exist_ok=True)
    for old in target.glob("*.py"):
        if old.name not in rendered:
            old.unlink()
    for name, text in rendered.items():
        (target / name).write_text(text, encoding="utf-8")


def stale(source: Path = SOURCE, target: Path = TARGET) -> list[str]:
    """The twins that differ from a fresh rendering (or are missing, or have no source)."""
    rendered = render(source)
    found = {path.name for path in target.glob("*.py")} if target.is_dir() else set()
    differing = [
        name
        for name, text in rendered.items()
        if name not in found or (target / name).read_text(encoding="utf-8") != text
    ]
    return sorted(set(differing) | (found - set(rendered)))
