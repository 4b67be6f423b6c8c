"""A copy of the repository's pipeline inputs and outputs, for tests that run the real scripts
on it (and may change it) without touching the checkout."""

from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: What `scripts/regenerate.py` reads and writes (the overlay: the async sources of the client's
#: sync twins, and the twins).
PIPELINE = (
    "scripts",
    "spec",
    "openapi",
    "generated",
    "overlay",
    "generator-config.yaml",
    "pyproject.toml",
    "api.md",
)


def copy_repository(into: Path, names: tuple[str, ...] = PIPELINE) -> Path:
    """Copy the named top-level files and folders of the repository into `into`."""
    for name in names:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, into / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, into / name)
    return into
