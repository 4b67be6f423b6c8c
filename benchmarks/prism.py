"""Stoplight Prism's mock, the yardstick for the emulator's speed: a stateless server that
validates requests against the same spec and answers with its examples.

    python benchmarks/prism.py install     # what `nox -s bench` runs first

`install` puts ``@stoplight/prism-cli`` at `PRISM_VERSION` into ``.cache/prism`` with npm,
unless it is there already. `prism_mock` starts it on 127.0.0.1 on a free port with
``prism mock openapi/conversation.yaml`` and stops it when its block ends (or after
`LIFETIME` seconds whatever happens). When Prism is not installed or does not start, it raises
`PrismUnavailableError` saying why, which the benchmark reports instead of a figure.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parent.parent
PRISM_VERSION = "5.16.0"
PACKAGE = "@stoplight/prism-cli"
INSTALL_DIR = ROOT / ".cache" / "prism"
SPEC = ROOT / "openapi" / "conversation.yaml"
LIFETIME = 600.0
START_TIMEOUT = 90.0


class PrismUnavailableError(Exception):
    """Prism could not be installed or started (the message says why)."""


def _binary() -> Path:
    return INSTALL_DIR / "node_modules" / ".bin" / "prism"


def installed_version() -> str | None:
    """The version of Prism in `INSTALL_DIR`, or None."""
    manifest = INSTALL_DIR / "node_modules" / "@stoplight" / "prism-cli" / "package.json"
    try:
        version = json.loads(manifest.read_text(encoding="utf-8"))["version"]
    except (OSError, ValueError, KeyError):
        return None
    return str(version) if _binary().exists() else None


def install() -> None:
    """Install Prism at `PRISM_VERSION` with npm, unless it is there already."""
    if installed_version() == PRISM_VERSION:
        return
    npm = shutil.which("npm")
    if npm is None:
        raise PrismUnavailableError("npm is not installed: Prism needs Node.js and npm")
    INSTALL_DIR.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--silent", f"{PACKAGE}@{PRISM_VERSION}"],
        cwd=INSTALL_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0 or installed_version() != PRISM_VERSION:
        raise PrismUnavailableError(f"npm install {PACKAGE} failed: {done.stderr.strip()[-500:]}")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


@contextlib.contextmanager
def prism_mock() -> Iterator[str]:
    """The base URL of a running ``prism mock`` of the spec; PrismUnavailableError if it cannot
    run."""
    if installed_version() is None:
        raise PrismUnavailableError(
            f"Prism is not installed in {INSTALL_DIR} "
            "(`nox -s bench` installs it: python benchmarks/prism.py install)"
        )
    port = _free_port()
    command = [str(_binary()), "mock", "-h", "127.0.0.1", "-p", str(port), str(SPEC)]
    # Its access log is off, as the emulator's is: a line per request costs both alike.
    command += ["--verboseLevel", "error"]
    # Its output goes to a file, which a pipe nobody reads would not be: a full pipe stalls it.
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as log:
        yield from _run(command, port, log)


def _run(command: list[str], port: int, log: IO[str]) -> Iterator[str]:
    child = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # node starts children of its own: stopped as one group
    )
    # Stopped at the end of its lifetime whatever happens to this process's block.
    timer = threading.Timer(LIFETIME, lambda: _stop(child))
    timer.daemon = True
    timer.start()
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not _answers(port):
            if child.poll() is not None:
                log.seek(0)
                reason = log.read().strip()[-500:]
                raise PrismUnavailableError(f"prism mock exited with {child.returncode}: {reason}")
            if time.monotonic() > deadline:
                raise PrismUnavailableError(
                    f"prism mock did not listen within {START_TIMEOUT:.0f} s"
                )
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        timer.cancel()
        _stop(child)


def _stop(child: subprocess.Popen[bytes]) -> None:
    if child.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGTERM)
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGKILL)
            child.wait()


if __name__ == "__main__":
    if sys.argv[1:] != ["install"]:
        sys.exit(__doc__)
    try:
        install()
    except PrismUnavailableError as error:
        # The benchmark still runs, and reports Prism as not measured, with this reason.
        print(f"Prism not installed: {error}", file=sys.stderr)
    else:
        print(f"Prism {installed_version()} in {INSTALL_DIR}")
