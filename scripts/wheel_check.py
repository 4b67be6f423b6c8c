"""The project as a stranger gets it: built, installed from its wheel outside the repository, used.

    python scripts/wheel_check.py [--keep]

1. builds the wheel and the sdist (`python -m build`) into a temporary folder;
2. checks what they carry: every package with its `py.typed`, the spec, the LICENSE;
3. installs the wheel with its extras (and pytest) into a fresh virtual environment there;
4. from a folder that is not the repository, imports the client and the low-level package and
   checks that both come from that environment, not from the sources;
5. starts `vonage-conversation emulator` and runs one small conformance run against it;
6. runs the README's fixture examples as a user's test files, with that environment's pytest.

Standard library only; nox's `wheel` session runs it (part of the README's test command). Exit
status 0 when every step holds; otherwise 1, with the step and what it printed. `--keep` leaves
the temporary folder in place and prints its path.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
# Every importable package the distribution ships, each with its py.typed marker.
PACKAGES = (
    "vonage_conversation",
    "vonage_conversation_api",
    "vonage_conversation_emulator",
    "vonage_conversation_pytest",
    "vonage_conversation_conformance",
    "vonage_conversation_spec",
)
EXTRAS = "conformance"
READY = re.compile(r"ready at (http://127\.0\.0\.1:\d+)")
STARTUP_SECONDS = 60
MAKE_USERS = """
from vonage_conversation import ConversationClient
with ConversationClient.from_env() as client:
    for name in ("alice", "bob"):
        client.request("POST", "/_emulator/users", json={"name": name})
"""
CONFORMANCE_ARGUMENTS = ("--max-examples", "5", "--phases", "examples,coverage")


class WheelCheckError(RuntimeError):
    """A step of the check did not hold; the message names it and what was printed."""


def _run(command: Sequence[str], what: str, *, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        list(command), cwd=cwd, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        output = (done.stdout + done.stderr).strip()
        raise WheelCheckError(f"{what} failed (exit {done.returncode}):\n{output[-4000:]}")
    return done.stdout


def build(into: Path) -> tuple[Path, Path]:
    """The wheel and the sdist, freshly built from the repository."""
    into.mkdir(parents=True, exist_ok=True)
    _run([sys.executable, "-m", "build", "--outdir", str(into), str(ROOT)], "build", cwd=into)
    wheels, sdists = sorted(into.glob("*.whl")), sorted(into.glob("*.tar.gz"))
    if len(wheels) != 1 or len(sdists) != 1:
        raise WheelCheckError(f"build made {wheels + sdists}, not one wheel and one sdist")
    return wheels[0], sdists[0]


def check_contents(wheel: Path, sdist: Path) -> None:
    """The wheel ships every package typed, the spec and the licence; the sdist the sources."""
    names = set(zipfile.ZipFile(wheel).namelist())
    missing = [f"{package}/py.typed" for package in PACKAGES if f"{package}/py.typed" not in names]
    missing += [
        name
        for name in ("vonage_conversation_api/openapi.yaml", "vonage_conversation_api/openapi.json")
        if name not in names
    ]
    if not any(re.fullmatch(r"[^/]+\.dist-info/licenses/LICENSE", name) for name in names):
        missing.append("*.dist-info/licenses/LICENSE")
    with tarfile.open(sdist) as archive:
        members = {name.split("/", 1)[-1] for name in archive.getnames()}
    missing += [f"sdist: {name}" for name in ("LICENSE", "README.md") if name not in members]
    if missing:
        raise WheelCheckError("the distributions lack: " + ", ".join(missing))


def install(wheel: Path, venv: Path) -> Path:
    """A fresh environment with the wheel, its extras and pytest; its bin folder."""
    _run(
        [sys.executable, "-m", "venv", str(venv)], "creating a virtual environment", cwd=venv.parent
    )
    tools = venv / ("Scripts" if os.name == "nt" else "bin")
    pip = [str(tools / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    _run([*pip, f"{wheel}[{EXTRAS}]", "pytest"], "installing the wheel", cwd=venv.parent)
    return tools


def check_imports(tools: Path, work: Path) -> None:
    """Both packages import from the environment, not from the repository."""
    program = (
        "import vonage_conversation, vonage_conversation_api; "
        "print(vonage_conversation.__file__); print(vonage_conversation_api.__file__); "
        "print(vonage_conversation.ConversationClient.__name__)"
    )
    printed = _run([str(tools / "python"), "-c", program], "importing the client", cwd=work)
    paths = printed.splitlines()[:2]
    outside = [path for path in paths if not Path(path).is_relative_to(tools.parent)]
    if outside or len(paths) != 2:
        raise WheelCheckError(f"the packages were imported from elsewhere: {printed.strip()}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env_file(path: Path) -> dict[str, str]:
    """The `export NAME=value` lines the emulator writes for a shell to source."""
    settings: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        settings[name.strip()] = value.strip().strip("'\"")
    return settings


def check_emulator_and_conformance(tools: Path, work: Path) -> None:
    """`vonage-conversation emulator`, then a small conformance run aimed at it with --url."""
    home = work / "emulator-home"
    env = {**os.environ, "VONAGE_CONVERSATION_EMULATOR_HOME": str(home)}
    command = [str(tools / "vonage-conversation"), "emulator", "--port", str(_free_port())]
    server = subprocess.Popen(
        command, cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        url = _wait_until_ready(server)
        settings = _env_file(home / "env")
        # The emulator starts with no users; the run needs some to make members of.
        _run(
            [str(tools / "python"), "-c", MAKE_USERS],
            "making users through the client",
            cwd=work,
            env={**os.environ, **settings},
        )
        conformance = [
            str(tools / "vonage-conversation"),
            "conformance",
            "--url",
            url,
            "--application-id",
            settings["VONAGE_APPLICATION_ID"],
            "--private-key",
            settings["VONAGE_PRIVATE_KEY_PATH"],
            *CONFORMANCE_ARGUMENTS,
        ]
        _run(conformance, "the conformance run against the emulator", cwd=work)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait_until_ready(server: subprocess.Popen[str]) -> str:
    deadline = time.monotonic() + STARTUP_SECONDS
    assert server.stdout is not None
    seen: list[str] = []
    for line in server.stdout:
        seen.append(line)
        found = READY.search(line)
        if found:
            return found.group(1)
        if time.monotonic() > deadline:
            break
    raise WheelCheckError("the emulator did not say it was ready:\n" + "".join(seen[-20:]))


def readme_fixture_examples() -> list[str]:
    """The README's pytest examples: the python blocks that use the `conversation_client`
    fixture (the webhook example needs a receiver of its own: the repository's tests run it)."""
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)
    found = [
        str(block)
        for block in blocks
        if "def test_" in block and "conversation_client" in block and "webhook" not in block
    ]
    if not found:
        raise WheelCheckError("the README has no fixture example")
    return found


def check_fixture_example(tools: Path, work: Path) -> None:
    """The README's fixture examples pass as a user's test files, with no conftest."""
    suite = work / "suite"
    suite.mkdir()
    examples = readme_fixture_examples()
    for number, example in enumerate(examples):
        (suite / f"test_readme_fixture_{number}.py").write_text(example, encoding="utf-8")
    tests = sum(len(re.findall(r"^def test_", example, re.MULTILINE)) for example in examples)
    pytest = [str(tools / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    printed = _run([*pytest, "."], "the README's fixture examples", cwd=suite)
    if not re.search(rf"\b{tests} passed\b", printed) or re.search(r"\b(failed|error)", printed):
        raise WheelCheckError(f"the README's fixture examples did not all pass:\n{printed}")


def main(argv: list[str]) -> int:
    keep = "--keep" in argv
    top = Path(tempfile.mkdtemp(prefix="vonage-conversation-wheel-"))
    steps = [
        "build the wheel and the sdist",
        "check what they carry",
        "install the wheel in a fresh environment",
        "import from outside the repository",
        "the emulator command and a conformance run",
        "the README's fixture examples",
    ]
    try:
        work = top / "work"
        work.mkdir()
        print(f"wheel: {steps[0]}", flush=True)
        wheel, sdist = build(top / "dist")
        print(f"wheel: {steps[1]} ({wheel.name}, {sdist.name})", flush=True)
        check_contents(wheel, sdist)
        print(f"wheel: {steps[2]}", flush=True)
        tools = install(wheel, top / "venv")
        print(f"wheel: {steps[3]}", flush=True)
        check_imports(tools, work)
        print(f"wheel: {steps[4]}", flush=True)
        check_emulator_and_conformance(tools, work)
        print(f"wheel: {steps[5]}", flush=True)
        check_fixture_example(tools, work)
    except WheelCheckError as failure:
        print(f"wheel: {failure}", file=sys.stderr)
        return 1
    finally:
        if keep:
            print(f"wheel: kept {top}")
        else:
            shutil.rmtree(top, ignore_errors=True)
    print("wheel: the wheel installs and works outside the repository")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
