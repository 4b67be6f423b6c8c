"""A copy of the repository's pipeline inputs and outputs, for tests that run the real scripts
on it (and may change it) without touching the checkout."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

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


def run_in_copy(copy: Path, script: str) -> dict[str, Any]:
    """What `script` printed as JSON, run by a fresh interpreter that imports the copy's
    generated and client packages (they come before the installed ones on its path)."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(copy / "generated"), str(copy / "overlay")]),
    }
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        cwd=copy,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result
