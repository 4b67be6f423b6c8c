"""Run every benchmark and write benchmarks/RESULTS.md (what `nox -s bench` does).

    python benchmarks/run.py [--output benchmarks/RESULTS.md] [--json figures.json]
                             [--client-only] [--before benchmarks/before.json]

Every figure is measured in this one run (ratios: medians over alternating rounds, see
`ratios.py`), on this machine, and written with its target and whether it is met. `--before`
adds the figures of an earlier run of the same scripts (a JSON file written with ``--json``)
beside them, labelled with where they come from. A few minutes on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import time
from dataclasses import asdict
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

import client_figures
import delivery_figures
import emulator_figures
from client_figures import Figure

HERE = Path(__file__).resolve().parent
PACKAGES = (
    "vonage-conversation",
    "httpx",
    "httpcore",
    "attrs",
    "python-dateutil",
    "PyJWT",
    "cryptography",
    "openapi-python-client",
    "uvicorn",
    "starlette",
    "openapi-core",
    "jsonschema-rs",
    "httptools",
)


def machine(load_before: str = "") -> list[tuple[str, str]]:
    """What the figures were measured on (``load_before``: the load average as the run began)."""
    cpu = platform.processor() or "unknown"
    memory = "unknown"
    try:
        info = Path("/proc/cpuinfo").read_text(encoding="utf-8")
        cpu = next(
            line.split(":", 1)[1].strip() for line in info.splitlines() if "model name" in line
        )
        meminfo = Path("/proc/meminfo").read_text(encoding="utf-8").splitlines()[0]
        memory = f"{int(meminfo.split()[1]) / 1024 / 1024:.0f} GiB"
    except (OSError, IndexError, ValueError):
        pass
    versions = []
    for package in PACKAGES:
        try:
            versions.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{package} (not installed)")
    return [
        ("CPU", f"{cpu}, {os.cpu_count()} cores"),
        ("memory", memory),
        ("system", platform.platform()),
        ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
        ("commit", _commit()),
        ("packages", ", ".join(versions)),
        # Other work on the machine takes CPU from both sides of every figure: said, not hidden.
        (
            "load average (1, 5, 15 min)",
            f"{load_before or _load()} at the start, {_load()} at the end",
        ),
    ]


def _load() -> str:
    """The system's load averages (runnable processes; the machine has os.cpu_count() cores)."""
    try:
        return ", ".join(f"{value:.1f}" for value in os.getloadavg())
    except OSError:
        return "unknown"


def _commit() -> str:
    """The commit measured (and whether the work tree differs from it)."""
    try:
        commit = _git("rev-parse", "--short", "HEAD")
        # Changes to what is measured: not to the documents the figures are written into.
        dirty = _git("status", "--porcelain", "--untracked-files=no", "--", ":/", *_DOCUMENTS)
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return commit + (" (with uncommitted changes)" if dirty else "")


_DOCUMENTS = (":!/README.md", ":!/benchmarks/RESULTS.md")


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=HERE, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def measure(*, client_only: bool) -> tuple[list[Figure], list[tuple[str, float]]]:
    bodies = client_figures.emulator_bodies()
    figures: list[Figure] = []
    steps = [
        lambda: client_figures.page_figures(bodies),
        lambda: client_figures.get_figures(bodies),
        client_figures.iteration_figures,
        lambda: client_figures.fan_out_figures(bodies),
        lambda: client_figures.jwt_figures(bodies),
    ]
    if not client_only:
        steps.append(emulator_figures.throughput_figures)
        steps.append(delivery_figures.delivery_figures)
    for step in steps:
        started = time.perf_counter()
        found = step()
        for figure in found:
            print(f"{figure.name}: {_value(figure)}", flush=True)
        print(f"  ({time.perf_counter() - started:.0f} s)", flush=True)
        figures += found
    profile = [] if client_only else emulator_figures.profile_create()
    return figures, profile


def _value(figure: Figure) -> str:
    if math.isnan(figure.value):
        return "not measured"
    if figure.unit == "x":
        return f"{figure.value:.2f}x"
    if figure.unit in ("/s", "ms"):
        return f"{figure.value:,.1f}{' ' if figure.unit == 'ms' else ''}{figure.unit}"
    return f"{figure.value:g}"


def _target(figure: Figure) -> str:
    if figure.target is None:
        return "measured"
    shown = f"{figure.target:g}{figure.unit if figure.unit == 'x' else ''}"
    return f"{figure.bound} {shown}"


def _met(figure: Figure) -> str:
    return {None: "-", True: "met", False: "**missed**"}[figure.met]


def render(
    figures: list[Figure],
    profile: list[tuple[str, float]],
    before: dict[str, Any] | None,
    seconds: float,
    load_before: str = "",
) -> str:
    now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Benchmark results",
        "",
        f"Written by `nox -s bench` (`python benchmarks/run.py`) on {now}, in {seconds:.0f} s.",
        "Every figure was measured in this one run; a ratio is the median of per-round ratios",
        "over alternating rounds of the baseline and the candidate (`benchmarks/ratios.py`).",
        "The raw baseline is an `httpx.Client` with the bearer header ready, `json.loads` of the",
        "body and reads of the same fields. Compare figures of one run, not of different runs.",
        "",
        "## Machine",
        "",
        "| | |",
        "| --- | --- |",
        *(f"| {key} | {value} |" for key, value in machine(load_before)),
        "",
        "## Figures",
        "",
        "| figure | value | target | | how |",
        "| --- | --- | --- | --- | --- |",
        *(f"| {f.name} | {_value(f)} | {_target(f)} | {_met(f)} | {f.note} |" for f in figures),
        "",
    ]
    if profile:
        lines += [
            "## Where the emulator's time goes",
            "",
            "A profile (cProfile) of 300 text-event creations by the emulator's application,",
            "driven in process through `httpx.ASGITransport` (the same requests as above without",
            "the network and the server loop; the handler run inline, not in a worker thread, so",
            "that the profile sees it): each stage's share of the application's time.",
            "",
            "| stage | share |",
            "| --- | --- |",
            *(f"| {stage} | {share:.0%} |" for stage, share in profile),
            "",
            f"The biggest cost is **{profile[0][0]}**, {profile[0][1]:.0%} of a create.",
            "",
            *EMULATOR_NOTES,
            "",
        ]
    if before is not None:
        lines += _before_and_after(figures, before)
    return "\n".join(lines)


#: How the emulator's figures are taken, and what changed them (issue 19).
EMULATOR_NOTES = (
    "The emulator's figures and Prism's come from one run: the emulator in a process of its",
    "own, Stoplight Prism's mock (`@stoplight/prism-cli`, stateless, validating requests",
    "against the same `openapi/conversation.yaml`) in another, each sent the same requests",
    "(the same create body, the same GET path, the same bearer header) by the same load",
    "client (`benchmarks/load.py`: 4 raw keep-alive connections, one request in flight on",
    "each, driven by one thread) in alternating rounds.",
    "Before issue 19, 256 creates/s and 552 gets/s (4 `ConversationClient` threads), 89% of a",
    "create in openapi-core's request validation. Now each operation's checks are compiled at",
    "start-up (`compiled.py`: jsonschema-rs with openapi-core's format checker; openapi-core",
    "only judges what they do not accept, so refusals are its own), routing is a compiled",
    "table, an accepted JWT is remembered until it expires, handlers run on the event loop",
    "when the store is in memory, and uvicorn parses HTTP with httptools.",
)


def _before_and_after(figures: list[Figure], before: dict[str, Any]) -> list[str]:
    earlier = {figure["name"]: figure for figure in before["figures"]}
    lines = [
        "## Before and after",
        "",
        before["label"],
        "",
        "| figure | before | after (this run) | target |",
        "| --- | --- | --- | --- |",
    ]
    for figure in figures:
        if figure.name in earlier:
            was = Figure(**earlier[figure.name])
            lines.append(
                f"| {figure.name} | {_value(was)} | {_value(figure)} | {_target(figure)} |"
            )
    lines += ["", *before.get("notes", []), ""]
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--before", type=Path, default=HERE / "before.json")
    parser.add_argument("--client-only", action="store_true", help="leave the emulator out")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    load_before = _load()
    figures, profile = measure(client_only=args.client_only)
    seconds = time.perf_counter() - started
    before = json.loads(args.before.read_text(encoding="utf-8")) if args.before.is_file() else None
    args.output.write_text(render(figures, profile, before, seconds, load_before), encoding="utf-8")
    print(f"wrote {args.output}")
    if args.json is not None:
        document = {"figures": [asdict(figure) for figure in figures]}
        args.json.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    missed = [figure.name for figure in figures if figure.met is False]
    if missed:
        print("missed: " + "; ".join(missed), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
