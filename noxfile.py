"""Development sessions. Each step of the build and of the test run is defined here, once.

    nox                  check, spec_lint, lint, tests, wheel (what CI runs)
    nox -s generate      rebuild openapi/conversation.yaml, NORMALISATION.md and generated/
    nox -s conformance   check the embedded emulator (or -- --url URL ...) against the spec
    nox -s bench         measure the client and the emulator, write benchmarks/RESULTS.md
    nox -s tests -- -k events      pass arguments on to pytest
    nox -s wheel         build, install the wheel outside the repository, and use it

`python3 scripts/bootstrap.py test` runs the same sessions inside the project's .venv
(`nox --no-venv`), so a fresh machine needs nothing but python3.
"""

from __future__ import annotations

from pathlib import Path

import nox

nox.options.sessions = ["check", "spec_lint", "lint", "tests", "wheel"]
nox.options.reuse_venv = "yes"

# What scripts/spec_pipeline renders for the client (its resources, operations and response
# readers) lives inside the client package (overlay/vonage_conversation/_generated), so
# "overlay" lints and types it with the rest.
# What ruff checks, and what mypy --strict checks.
LINTED = [
    "overlay",
    "emulator",
    "conformance",
    "spec",
    "scripts",
    "tests",
    "benchmarks",
    "noxfile.py",
]
TYPED = ["overlay", "emulator", "conformance", "spec", "scripts"]


def _install(session: nox.Session) -> None:
    # Under `--no-venv` the caller's environment (bootstrap's .venv) is already installed.
    if session.venv_backend != "none":
        session.install("-e", ".[dev]")
        session.run("python", "scripts/bootstrap.py", "path-file")


@nox.session
def generate(session: nox.Session) -> None:
    """Normalise and merge the sources, validate, generate the client, format it."""
    _install(session)
    session.run("python", "scripts/regenerate.py")


@nox.session
def check(session: nox.Session) -> None:
    """Fail if openapi/conversation.yaml, NORMALISATION.md or generated/ are not a fresh run."""
    _install(session)
    session.run("python", "scripts/regenerate.py", "--check")


@nox.session
def spec_lint(session: nox.Session) -> None:
    """Lint the merged spec with @redocly/cli (installed from npm on first use)."""
    session.run("python", "scripts/lint_spec.py")


@nox.session
def lint(session: nox.Session) -> None:
    """ruff (checks and formatting) and mypy --strict."""
    _install(session)
    linted = [path for path in LINTED if Path(path).exists()]
    session.run("ruff", "check", *linted)
    session.run("ruff", "format", "--check", *linted)
    session.run("mypy", "--strict", *TYPED)


@nox.session
def conformance(session: nox.Session) -> None:
    """The long conformance run: `nox -s conformance -- [--url URL ...] [--max-examples N]`."""
    _install(session)
    session.run("vonage-conversation", "conformance", *session.posargs)


@nox.session
def bench(session: nox.Session) -> None:
    """The benchmarks (a few minutes): every figure against its target, in
    benchmarks/RESULTS.md. Not part of the test run: no timing is ever asserted there.
    Stoplight Prism, the emulator's yardstick, is installed from npm into .cache/prism first
    (when it is not there already; without npm the benchmark says Prism was not measured)."""
    _install(session)
    session.run("python", "benchmarks/prism.py", "install")
    session.run("python", "benchmarks/run.py", *session.posargs)


@nox.session
def tests(session: nox.Session) -> None:
    """The test suite."""
    _install(session)
    session.run("pytest", *session.posargs)


@nox.session
def wheel(session: nox.Session) -> None:
    """Build the wheel and sdist, install the wheel with its extras in a fresh environment
    outside the repository, and use it from there (scripts/wheel_check.py says how)."""
    _install(session)
    session.run("python", "scripts/wheel_check.py", *session.posargs)
