"""Set the project up on a machine that has only python3, then run one of its jobs.

    python3 scripts/bootstrap.py main [ARGS...]  the main job (README: first command)
    python3 scripts/bootstrap.py test [ARGS...]  the whole test run, as CI runs it (ARGS: pytest)
    python3 scripts/bootstrap.py bench [ARGS...] the benchmarks (nox -s bench), into
                                                 benchmarks/RESULTS.md
    python3 scripts/bootstrap.py setup           only create .venv and install the project
    python scripts/bootstrap.py path-file        only write the path file (PATH_FILE) into the
                                                 running interpreter's environment (nox does)

The first run creates .venv and installs the project with its dev extra (a minute or two);
later runs reinstall only when pyproject.toml changed. Standard library only: this file runs
before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / ".venv"
STAMP = VENV / ".installed-from"
# setuptools installs the project "editable" through an import hook, which mypy cannot follow:
# a user's script checked with the .venv's mypy would see every name of the project as Any.
# A path file naming the package folders (pyproject's `packages.find.where`) lets mypy, IDEs
# and Python alike find the sources.
PATH_FILE = "vonage_conversation_sources.pth"
# Changed when what setup() does changes, so that existing environments are set up again.
SETUP_VERSION = "2"
MINIMUM_PYTHON = (3, 10)
# The sessions of noxfile.py that make up the test run.
TEST_SESSIONS = ("check", "spec_lint", "lint", "tests", "wheel")


class BootstrapError(RuntimeError):
    """A setup step failed; the message says which and what to do."""


def venv_bin() -> Path:
    return VENV / ("Scripts" if os.name == "nt" else "bin")


def venv_python() -> Path:
    return venv_bin() / ("python.exe" if os.name == "nt" else "python")


def _fingerprint() -> str:
    """What the installed environment was built from: pyproject.toml and this Python."""
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    digest.update(sys.version.encode())
    digest.update(SETUP_VERSION.encode())
    return digest.hexdigest()


def package_folders() -> list[Path]:
    """The folders pyproject.toml finds the packages in (`[tool.setuptools.packages.find]`)."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    match = re.search(r"^where\s*=\s*\[([^\]]*)\]", text, flags=re.MULTILINE)
    if match is None:
        raise BootstrapError("pyproject.toml has no [tool.setuptools.packages.find] where = [...]")
    return [ROOT / name for name in re.findall(r'"([^"]+)"', match.group(1))]


def write_path_file(python: Path) -> None:
    """Name the package folders in a path file of python's site-packages (see PATH_FILE)."""
    where = [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]
    found = subprocess.run(where, capture_output=True, text=True, check=False)
    if found.returncode != 0:
        raise BootstrapError(f"could not find {python}'s site-packages: {found.stderr.strip()}")
    site_packages = Path(found.stdout.strip())
    lines = "".join(f"{folder}\n" for folder in package_folders())
    (site_packages / PATH_FILE).write_text(lines, encoding="utf-8")


def _run(command: list[str], what: str) -> None:
    if subprocess.run(command, cwd=ROOT, check=False).returncode != 0:
        raise BootstrapError(f"{what} failed (command: {' '.join(command)})")


def setup() -> None:
    """Create .venv and install the project into it, unless that is already done."""
    if sys.version_info < MINIMUM_PYTHON:
        wanted = ".".join(map(str, MINIMUM_PYTHON))
        this = sys.version.split()[0]
        raise BootstrapError(f"Python {wanted} or newer is needed, this is {this}")
    if not venv_python().exists():
        print(f"creating {VENV.relative_to(ROOT)}", flush=True)
        _run([sys.executable, "-m", "venv", str(VENV)], "creating the virtual environment")
    if STAMP.exists() and STAMP.read_text(encoding="utf-8") == _fingerprint():
        return
    print("installing the project and its development tools into .venv", flush=True)
    pip = [str(venv_python()), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    _run([*pip, "--upgrade", "pip"], "upgrading pip")
    _run([*pip, "-e", ".[dev]"], "installing the project")
    write_path_file(venv_python())
    STAMP.write_text(_fingerprint(), encoding="utf-8")


def _in_venv(command: list[str]) -> int:
    env = {**os.environ, "PATH": str(venv_bin()) + os.pathsep + os.environ.get("PATH", "")}
    env.pop("PYTHONHOME", None)
    return subprocess.run(command, cwd=ROOT, env=env, check=False).returncode


def run_sessions(sessions: tuple[str, ...], posargs: list[str]) -> int:
    nox = [str(venv_python()), "-m", "nox", "--no-venv", "--sessions", *sessions]
    return _in_venv(nox + (["--", *posargs] if posargs else []))


def main_job(args: list[str]) -> int:
    """The project's main job: a short conversation through the client, then the conformance
    suite, against the embedded emulator (or `--url URL ...`); arguments as for
    `vonage-conversation conformance`."""
    return _in_venv([str(venv_python()), "-m", "vonage_conversation_conformance.main_job", *args])


def test_job(args: list[str]) -> int:
    """Every check CI runs; arguments go on to pytest."""
    return run_sessions(TEST_SESSIONS, args)


def bench_job(args: list[str]) -> int:
    """The benchmarks, as `nox -s bench` runs them; arguments go on to benchmarks/run.py."""
    return run_sessions(("bench",), args)


def setup_job(args: list[str]) -> int:
    """Nothing beyond the setup every job starts with."""
    return 0


JOBS: dict[str, Callable[[list[str]], int]] = {
    "main": main_job,
    "test": test_job,
    "bench": bench_job,
    "setup": setup_job,
}


def main(argv: list[str]) -> int:
    if argv == ["path-file"]:
        try:
            write_path_file(Path(sys.executable))
        except BootstrapError as error:
            print(f"bootstrap: {error}", file=sys.stderr)
            return 1
        return 0
    if not argv or argv[0] not in JOBS:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        setup()
        return JOBS[argv[0]](argv[1:])
    except BootstrapError as error:
        print(f"bootstrap: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
