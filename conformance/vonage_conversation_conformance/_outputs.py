"""The report files a run writes (`--junit-xml`, `--html`): checked writable before the run,
and written when it finishes by a handler that never lets a failed write lose the report.

A path is refused up front when it is a folder, or when its folder cannot be made (a file is in
the way) or written in. Should writing fail anyway (a disk full, a folder removed meanwhile),
the handler keeps the reason, the printed report still comes, and the reason follows it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from ._events import RunFinished
from ._report import Summary

__all__ = ["ReportFile", "check_writable"]


def check_writable(path: Path) -> Path:
    """`path`, if a file can be written there (its missing folders made); else `ValueError`
    saying why, in one line."""
    path = path.expanduser()
    if path.is_dir():
        raise ValueError(f"{path} is a folder, not a file")
    if path.exists() and not os.access(path, os.W_OK):
        raise ValueError(f"cannot write {path}: permission denied")
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent  # the first folder that exists, where the rest will be made
    if not folder.is_dir():
        raise ValueError(f"cannot make the folder {path.parent}: {folder} is a file")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ValueError(f"cannot write in {folder}: permission denied")
    return path


class ReportFile:
    """Writes one report file with `write(path, summary)` when the run finishes; a write that
    fails is kept in `error`, not raised, so the run's printed report is never lost."""

    def __init__(self, kind: str, path: Path, write: Callable[[Path, Summary], None]) -> None:
        self.kind, self.path, self.write = kind, path, write
        self.error: str | None = None

    def handle_event(self, event: object) -> None:
        """Write the report on `RunFinished`; every other event is not this handler's."""
        if not isinstance(event, RunFinished):
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.write(self.path, event.summary)
        except OSError as error:
            reason = error.strerror or str(error)
            self.error = f"cannot write the {self.kind} report {self.path}: {reason}"
