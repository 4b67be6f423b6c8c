"""Issue 20, part 5: the coverage table (in the report and the JUnit properties), and the
verbose table readable at 120 columns."""

from __future__ import annotations

import base64
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from conformance_events import VERIFYING_OK, answer, case, scenario, typed
from vonage_conversation_conformance._counting import Collector
from vonage_conversation_conformance._coverage import coverage
from vonage_conversation_conformance._junit import write_junit
from vonage_conversation_conformance._options import spec_operations
from vonage_conversation_conformance._report import SHORT_NAMES, Summary, console, render
from vonage_conversation_conformance._results import VERIFYING_CHECKS, RunResult
from vonage_conversation_conformance._verdict import judge

VERIFYING = frozenset(VERIFYING_CHECKS)
LIST = "GET /v0.3/conversations"
CREATE = "POST /v0.3/conversations"
ALL = tuple(operation.label for operation in spec_operations())


def _sent(event: tuple[str, dict[str, Any]], query: str = "", body: object = None) -> None:
    """Give every request of a scenario event this query string and JSON body."""
    for interaction in event[1]["recorder"]["interactions"].values():
        request = interaction["request"]
        request["uri"] += query
        if body is not None:
            request["body"] = {"$base64": base64.b64encode(json.dumps(body).encode()).decode()}


def _covered_run() -> RunResult:
    """GET /v0.3/conversations answered 200 with page_size and order, 503, and an undocumented
    418; a probe of it sent a cursor (probes do not count); POST sent a body with two fields."""
    events = []
    for number, (status, query) in enumerate(
        [(200, "?page_size=2&order=asc"), (503, "?page_size=1"), (418, "")]
    ):
        event = scenario(
            LIST,
            "fuzzing",
            {f"l{number}": case("GET", "/v0.3/conversations", VERIFYING_OK, answer(status))},
        )
        _sent(event, query)
        events.append(event)
    probe = scenario(
        LIST,
        "fuzzing",
        {
            "p0": case("GET", "/v0.3/conversations", VERIFYING_OK, answer(200)),
            "p1": case("GET", "/v0.3/conversations", [], answer(401), parent="p0"),
        },
    )
    probe[1]["recorder"]["interactions"]["p1"]["request"]["uri"] += "?cursor=abc"
    events.append(probe)
    created = scenario(
        CREATE, "examples", {"c": case("POST", "/v0.3/conversations", VERIFYING_OK, answer(201))}
    )
    _sent(created, body={"name": "n", "display_name": "d"})
    events.append(created)
    return Collector(VERIFYING_CHECKS).feed(typed(events))


def test_the_coverage_of_an_operation_is_its_listed_statuses_answered_and_parameters_sent() -> None:
    listed, created, legs = coverage(_covered_run(), (LIST, CREATE, "GET /v0.3/legs"))
    assert listed.statuses == ("200", "400", "401", "403", "404", "409", "429", "5XX")
    assert listed.seen == ("200", "5XX")  # 503 answers the spec's 5XX
    assert listed.undocumented == (418,)
    assert listed.parameters == ("date_start", "date_end", "page_size", "order", "cursor")
    assert listed.sent == ("page_size", "order")  # the probe's cursor is not the operation's
    assert listed.unsent == ("date_start", "date_end", "cursor")
    assert created.seen == ("201",)
    assert {"body.name", "body.display_name"} == set(created.sent)
    assert "body.callback" in created.unsent
    assert (legs.seen, legs.sent, legs.parameters) == ((), (), ("page_size", "record_index"))


def _summary(result: RunResult, operations: tuple[str, ...]) -> Summary:
    return Summary("T", result, judge(result, operations, VERIFYING), operations)


def test_the_report_and_the_junit_properties_carry_the_coverage(tmp_path: Path) -> None:
    result = _covered_run()
    buffer = io.StringIO()
    render(_summary(result, (LIST, CREATE)), console(file=buffer, width=120))
    text = buffer.getvalue()
    assert re.search(
        r"\nGET /v0.3/conversations +200 5XX \(2/8\) undocumented: 418 +page_size order \(2/5\)",
        text,
    )
    path = tmp_path / "r.xml"
    write_junit(path, _summary(result, (LIST, CREATE)))
    cases = {c.get("name"): c for c in ET.parse(path).getroot().iter("testcase")}
    properties = {p.get("name"): p.get("value") for p in cases[LIST].iter("property")}
    assert properties == {
        "coverage.statuses.listed": "200 400 401 403 404 409 429 5XX",
        "coverage.statuses.answered": "200 5XX",
        "coverage.statuses.undocumented": "418",
        "coverage.parameters.declared": "date_start date_end page_size order cursor",
        "coverage.parameters.sent": "page_size order",
    }


def test_the_verbose_table_of_every_check_on_every_operation_stays_readable_at_120_columns() -> (
    None
):
    result = Collector(VERIFYING_CHECKS).feed(
        typed(
            scenario(label, "fuzzing", {"a": case(*label.split(" ", 1), VERIFYING_OK, answer(200))})
            for label in ALL
        )
    )
    checks = [*SHORT_NAMES, "valid_token_accepted", "paging_covers_every_item_once"]
    for tally in result.operations.values():
        for name in checks:
            tally.check(name).passed += 1
    result.operations[LIST].check("use_after_free").failed = 2
    buffer = io.StringIO()
    render(_summary(result, ALL), console(file=buffer, width=120), verbose=True)
    table = buffer.getvalue().split("checks, by verdict", 1)[1].split("\n\n", 1)[0]
    lines = table.splitlines()
    assert max(len(line) for line in lines) <= 120
    rows = [line for line in lines if line[:1].isupper()]
    assert len(rows) == len(ALL)  # each operation whole, on a line of its own
    assert all(row.startswith(label + " ") for row, label in zip(rows, ALL, strict=True))
    assert re.search(r"\nGET /v0.3/conversations +FAIL 2: uaf; ok: ", table)
    assert "valid_token_accepted" in table
