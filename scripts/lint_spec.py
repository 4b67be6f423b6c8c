"""Lint openapi/conversation.yaml with @redocly/cli (recommended rules).

    python scripts/lint_spec.py

Fails on any error, on any warning that openapi/NORMALISATION.md does not list (with its
reason) under "Lint warnings left", and on a listed warning that no longer occurs. Redocly is
installed from npm, at the pinned version, into .cache/redocly on first use.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "openapi" / "conversation.yaml"
DOC = ROOT / "openapi" / "NORMALISATION.md"
REDOCLY_VERSION = "2.77.0"
INSTALL_DIR = ROOT / ".cache" / "redocly"
REDOCLY = INSTALL_DIR / "node_modules" / ".bin" / "redocly"
LISTED = re.compile(r"^\| `(?P<rule>[a-z0-9-]+)` \| `(?P<pointer>#[^`]*)` \|", re.MULTILINE)

Warning = tuple[str, str]  # (rule, JSON pointer)


class LintSetupError(RuntimeError):
    """Redocly cannot be installed or run here."""


def installed_version() -> str | None:
    package = INSTALL_DIR / "node_modules" / "@redocly" / "cli" / "package.json"
    if not package.is_file():
        return None
    return str(json.loads(package.read_text(encoding="utf-8"))["version"])


def ensure_redocly() -> None:
    if installed_version() == REDOCLY_VERSION and REDOCLY.exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise LintSetupError("npm is not installed: the spec lint needs Node.js and npm")
    INSTALL_DIR.mkdir(parents=True, exist_ok=True)
    manifest = INSTALL_DIR / "package.json"
    if not manifest.exists():
        manifest.write_text('{"private": true}\n', encoding="utf-8")
    print(f"installing @redocly/cli {REDOCLY_VERSION} into {INSTALL_DIR.relative_to(ROOT)}")
    done = subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--silent", f"@redocly/cli@{REDOCLY_VERSION}"],
        cwd=INSTALL_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise LintSetupError(f"npm install @redocly/cli failed:\n{done.stderr.strip()}")


def run_redocly() -> list[dict[str, object]]:
    done = subprocess.run(
        [str(REDOCLY), "lint", str(SPEC), "--extends=recommended", "--format=json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError as error:
        raise LintSetupError(f"redocly gave no JSON report:\n{done.stderr.strip()}") from error
    problems: list[dict[str, object]] = report["problems"]
    return problems


def _pointer(problem: dict[str, object]) -> str:
    locations = problem.get("location")
    if isinstance(locations, list) and locations and isinstance(locations[0], dict):
        return str(locations[0].get("pointer", "#"))
    return "#"


def listed_warnings() -> set[Warning]:
    return {(m["rule"], m["pointer"]) for m in LISTED.finditer(DOC.read_text(encoding="utf-8"))}


def main() -> int:
    try:
        ensure_redocly()
        problems = run_redocly()
    except LintSetupError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    errors = [p for p in problems if p.get("severity") == "error"]
    warnings = {(str(p["ruleId"]), _pointer(p)) for p in problems if p.get("severity") != "error"}
    listed = listed_warnings()
    for problem in errors:
        print(
            f"error {problem['ruleId']} at {_pointer(problem)}: {problem['message']}",
            file=sys.stderr,
        )
    for rule, pointer in sorted(warnings - listed):
        print(f"warning {rule} at {pointer} is not listed in {DOC.name}", file=sys.stderr)
    for rule, pointer in sorted(listed - warnings):
        print(
            f"{DOC.name} lists warning {rule} at {pointer}, which no longer occurs", file=sys.stderr
        )
    if errors or warnings != listed:
        return 1
    count = len(warnings)
    print(f"redocly {REDOCLY_VERSION}: no errors; {count} warnings, each listed with its reason")
    return 0


if __name__ == "__main__":
    sys.exit(main())
