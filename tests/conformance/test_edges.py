"""Issue 20, parts 5 and 6: bad input at the edges is one line and exit 2, checked before the
preflight; a finished report is never lost to a file that cannot be written; `--max-time`
stops a run cleanly as incomplete; `--shard I/N` splits the operations, and `merge-junit`
joins the shards' reports."""

from __future__ import annotations

import argparse
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from conformance_events import VERIFYING_OK, answer, case, failed, ndjson, scenario, typed
from fake_processes import fake_processes
from vonage_conversation._cli import main as vonage_conversation
from vonage_conversation_conformance import OptionError, Options, Plan
from vonage_conversation_conformance._counting import Collector
from vonage_conversation_conformance._events import RunFinished
from vonage_conversation_conformance._junit import JUnitReport, write_junit
from vonage_conversation_conformance._options import spec_operations
from vonage_conversation_conformance._report import Summary
from vonage_conversation_conformance._results import VERIFYING_CHECKS
from vonage_conversation_conformance._verdict import ExitCode, judge
from vonage_conversation_conformance.cli import main, parser

# An unreachable server: an option refused before the preflight never gets to ask it.
UNREACHABLE = ["--url", "http://127.0.0.1:9", "--application-id", "a", "--private-key", "k"]
VERIFYING = frozenset(VERIFYING_CHECKS)
LEGS = "GET /v0.3/legs"


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    (line,) = capsys.readouterr().err.strip().splitlines()
    return line


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--rate-limit", "0/s"], "argument --rate-limit: '0/s' allows no request: at least 1/s"),
        (
            ["--rate-limit", "xyz"],
            "argument --rate-limit: not a rate: 'xyz' (give N/s, N/m, N/h or N/d",
        ),
        (["--workers", "65"], "argument --workers: at most 64"),
        (["--max-time", "0"], "argument --max-time: must be more than 0"),
        (["--shard", "3/2"], "argument --shard: '3/2': I must be 1 to N"),
        (["--shard", "two"], "argument --shard: not I/N: 'two'"),
        (["--shard", "1/30"], "--shard 1/30 leaves shards with no operation: the selection has 22"),
    ],
)
def test_a_bad_option_is_one_line_and_exit_2_before_the_preflight(
    capsys: pytest.CaptureFixture[str], options: list[str], message: str
) -> None:
    assert main([*UNREACHABLE, *options], environ={}) == 2
    line = _one_line(capsys)
    assert line.startswith(f"vonage-conversation conformance: {message}"), line


def test_a_junit_path_whose_folder_cannot_be_made_is_refused_before_the_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "taken").write_text("a file where the folder would go")
    wanted = tmp_path / "taken" / "reports" / "conformance.xml"
    assert main([*UNREACHABLE, "--junit-xml", str(wanted)], environ={}) == 2
    assert _one_line(capsys) == (
        "vonage-conversation conformance: argument --junit-xml: cannot make the folder "
        f"{wanted.parent}: {tmp_path / 'taken'} is a file (see --help)"
    )
    assert main([*UNREACHABLE, "--junit-xml", str(tmp_path)], environ={}) == 2
    assert _one_line(capsys).endswith(f"{tmp_path} is a folder, not a file (see --help)")
    assert main([*UNREACHABLE, "--html", str(wanted.with_suffix(".html"))], environ={}) == 2
    assert _one_line(capsys).startswith(
        "vonage-conversation conformance: argument --html: cannot make the folder"
    )


def test_a_report_that_cannot_be_written_after_the_run_keeps_the_printed_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(path: Path, summary: Summary) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("vonage_conversation_conformance._junit.write_junit", disk_full)
    path = tmp_path / "out" / "conformance.xml"
    status = main(
        ["--phases", "semantic", "--operation-id", "listLegs", "--junit-xml", str(path)],
        environ={},
    )
    printed = capsys.readouterr()
    assert status == 2
    assert printed.out.lstrip().startswith("conformance of the embedded emulator: ")
    assert "GET /v0.3/legs" in printed.out and "JUnit report:" not in printed.out
    assert printed.err.strip().splitlines()[-1] == (
        f"vonage-conversation conformance: cannot write the JUnit report {path}: "
        "No space left on device"
    )


def test_a_failed_write_is_kept_by_the_handler_not_raised(tmp_path: Path) -> None:
    result = Collector(VERIFYING_CHECKS).result
    summary = Summary("T", result, judge(result, (LEGS,), VERIFYING), (LEGS,))
    (tmp_path / "gone").write_text("a file now, where the folder was")
    handler = JUnitReport(tmp_path / "gone" / "r.xml")
    handler.handle_event(RunFinished(summary))
    assert handler.error is not None
    assert handler.error.startswith(f"cannot write the JUnit report {tmp_path / 'gone' / 'r.xml'}")


def test_the_commands_errors_have_one_form(capsys: pytest.CaptureFixture[str]) -> None:
    """`<the command>: <what is wrong>`: argparse's, and each command's own."""
    assert main(["--url", "http://127.0.0.1:9", "--application-id", "a"], environ={}) == 2
    assert _one_line(capsys).startswith("vonage-conversation conformance: give --private-key")
    assert main(["--application-id", "a"], environ={}) == 2
    assert _one_line(capsys).startswith("vonage-conversation conformance: --application-id and")
    assert vonage_conversation(["emulator", "--port", "x"]) == 2
    assert _one_line(capsys).startswith("vonage-conversation emulator: argument --port: ")
    assert vonage_conversation(["token", "--ttl", "x"]) == 2
    assert _one_line(capsys).startswith("vonage-conversation token: argument --ttl: ")


def test_every_option_has_help_text() -> None:
    options = [
        action
        for action in parser()._actions
        if action.option_strings and action.help != argparse.SUPPRESS
    ]
    undocumented = [action.option_strings[0] for action in options if not action.help]
    assert undocumented == []
    flags = {flag for action in options for flag in action.option_strings}
    assert {"--seed", "--exclude-operation-id", "--exclude-path", "--max-time", "--shard"} <= flags


# --shard


def test_the_shards_together_are_the_whole_run_each_operation_once() -> None:
    everything = Plan.of(Options(exclude_operation_ids=("deleteLeg",))).operations
    for count in (1, 2, 3, 7, len(everything)):
        shards = [
            Plan.of(Options(exclude_operation_ids=("deleteLeg",), shard=(index, count))).operations
            for index in range(1, count + 1)
        ]
        dealt = [operation for shard in shards for operation in shard]
        assert sorted(dealt, key=everything.index) == list(everything)  # the union: all of it
        assert len(dealt) == len(set(dealt))  # no overlap
        assert all(shards)  # none empty
        assert max(map(len, shards)) - min(map(len, shards)) <= 1  # evenly dealt
    again = Plan.of(Options(shard=(2, 3))).operations
    assert again == Plan.of(Options(shard=(2, 3))).operations  # deterministic
    assert Plan.of(Options(shard=(2, 3))).filtered


def test_a_shard_with_no_operation_is_an_option_error() -> None:
    with pytest.raises(
        OptionError, match="--shard 1/3 leaves shards with no operation: the selection has 2"
    ):
        Plan.of(Options(operation_ids=("listLegs", "deleteLeg"), shard=(1, 3)))


def _shard_report(path: Path, shard: tuple[int, int], *answers: tuple[str, int]) -> None:
    collector = Collector(VERIFYING_CHECKS)
    for number, (operation, status) in enumerate(answers):
        method, route = operation.split(" ", 1)
        checks = VERIFYING_OK if status < 400 else [failed("not_a_server_error", "500")]
        records = [
            scenario(
                operation, "fuzzing", {str(number): case(method, route, checks, answer(status))}
            )
        ]
        collector.feed(typed(records))
    operations = tuple(operation for operation, _ in answers)
    result = collector.result
    verdict = judge(result, operations, VERIFYING)
    write_junit(path, Summary("T", result, verdict, operations, shard=shard))


def test_merge_junit_joins_the_shards_reports_into_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    labels = [operation.label for operation in spec_operations()][:3]
    _shard_report(tmp_path / "a.xml", (1, 2), (labels[0], 200), (labels[2], 500))
    _shard_report(tmp_path / "b.xml", (2, 2), (labels[1], 200))
    merged = tmp_path / "all" / "conformance.xml"
    command = ["merge-junit", str(tmp_path / "a.xml"), str(tmp_path / "b.xml"), "-o", str(merged)]
    assert main(command) == 0
    assert capsys.readouterr().out.strip() == (
        f"{merged}: 3 tests, 1 failures, 0 errors, 0 skipped from 2 reports"
    )
    suite = ET.parse(merged).getroot().find("testsuite")
    assert suite is not None
    assert [case.get("name") for case in suite.iter("testcase")] == [
        labels[0],
        labels[2],
        labels[1],
    ]
    assert (suite.get("tests"), suite.get("failures")) == ("3", "1")
    shards = [p.get("value") for p in suite.iter("property") if p.get("name") == "shards"]
    assert shards == ["1/2,2/2"]
    (tmp_path / "bad.xml").write_text("<not closed")
    assert main(["merge-junit", str(tmp_path / "bad.xml"), "-o", str(merged)]) == 2
    assert _one_line(capsys).startswith(
        f"vonage-conversation conformance merge-junit: cannot read {tmp_path / 'bad.xml'}"
    )


# --max-time


# Writes one verified scenario, then runs until interrupted, then writes what an interrupted
# schemathesis writes (an `Interrupted` event, the engine's end) and exits 1.
_REACHED = ndjson(
    [
        ("EngineStarted", {}),
        scenario(LEGS, "fuzzing", {"a": case("GET", "/v0.3/legs", VERIFYING_OK, answer(200))}),
    ]
)
_INTERRUPTED = ndjson([("Interrupted", {}), ("EngineFinished", {"stop_reason": "interrupted"})])
_RUNS_UNTIL_INTERRUPTED = f"""\
import sys, time
stream = open(sys.argv[1], "w")
stream.write({_REACHED!r})
stream.flush()
try:
    time.sleep(60)
except KeyboardInterrupt:
    stream.write({_INTERRUPTED!r})
    sys.exit(1)
"""


def test_the_budget_interrupts_schemathesis_and_keeps_what_it_reached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = fake_processes(tmp_path, monkeypatch, _RUNS_UNTIL_INTERRUPTED)
    run.deadline = time.monotonic() + 1.0
    run.run(("fuzzing",), None)
    result = run.result
    assert result.out_of_time
    assert result.errors == []  # the budget's stop is neither an error nor an interruption
    assert result.operations[LEGS].verified_in == "fuzzing"  # what it reached is kept
    verdict = judge(result, (LEGS,), VERIFYING)
    assert verdict.code == ExitCode.INCOMPLETE
    assert "the --max-time budget ran out before the end" in verdict.headline
    run.run(("stateful",), None)  # past the deadline: no process starts
    assert not (tmp_path / "events-2.ndjson").exists()


def test_a_run_out_of_time_fails_when_it_found_a_failure() -> None:
    collector = Collector(VERIFYING_CHECKS)
    broken = [failed("not_a_server_error", "500")]
    collector.feed(
        typed([scenario(LEGS, "fuzzing", {"a": case("GET", "/v0.3/legs", broken, answer(500))})])
    )
    collector.result.out_of_time = True
    assert judge(collector.result, (LEGS,), VERIFYING).code == ExitCode.FAILED


def test_a_run_whose_budget_ran_out_exits_3_and_says_so(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status = main(
        ["--max-time", "0.001", "--phases", "examples", "--operation-id", "listLegs"], environ={}
    )
    printed = capsys.readouterr()
    assert status == ExitCode.INCOMPLETE == 3
    assert "the --max-time budget ran out before the end" in printed.out.splitlines()[1]
    assert "the --max-time budget of 0.001 s ran out: the run stopped there" in printed.err
