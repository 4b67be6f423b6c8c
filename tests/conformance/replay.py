"""Reading a report's failures and running their printed reproductions, as a user would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

__all__ = ["base_url", "failure_blocks", "replay", "reproduction"]


def failure_blocks(out: str) -> dict[str, list[str]]:
    """Each failure's heading, with its lines."""
    listed = out.split("\nfailures:\n", 1)[1] if "\nfailures:\n" in out else ""
    found: dict[str, list[str]] = {}
    heading = None
    for line in listed.splitlines():
        if line[:1].isdigit():
            heading = line.split(". ", 1)[1]
            found[heading] = []
        elif heading is not None:
            found[heading].append(line.strip())
    return found


def replay(commands: list[str]) -> str:
    """The status the printed commands get, run as printed (curl told to print only it)."""
    script = "\n".join(commands).replace("curl ", "curl -s -o /dev/null -w %{http_code} ", 1)
    sent = subprocess.run(
        ["bash", "-c", script],
        env={**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return sent.stdout.strip()


def reproduction(lines: list[str]) -> list[str]:
    """A failure's printed reproduction: its commands, up to its curl line."""
    after = lines[lines.index("reproduce:") + 1 :]
    return after[: next(i for i, line in enumerate(after) if line.startswith("curl ")) + 1]


def base_url(commands: list[str]) -> str:
    """The base URL the printed curl is aimed at."""
    url = commands[-1].rsplit(" ", 1)[1].strip('"')
    return "/".join(url.split("/", 3)[:3])
