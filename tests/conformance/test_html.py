"""Issue 20, part 5: `--html PATH`, one self-contained HTML file, opened in headless Chromium
(Debian's `chromium`, which .ci/run installs): one row per operation, and a failure's curl
command visible on the page. The page's screenshot is kept as a CI artifact at
build/artifacts/conformance-report.png."""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conformance_events import VERIFYING_OK, answer, case, failed, scenario, typed
from vonage_conversation_conformance._counting import Collector
from vonage_conversation_conformance._html import render_html, write_html
from vonage_conversation_conformance._options import spec_operations
from vonage_conversation_conformance._report import Summary
from vonage_conversation_conformance._results import VERIFYING_CHECKS
from vonage_conversation_conformance._verdict import judge
from vonage_conversation_conformance.cli import main

ARTIFACT = Path(__file__).resolve().parents[2] / "build" / "artifacts" / "conformance-report.png"
ALL = tuple(operation.label for operation in spec_operations())
LIST = "GET /v0.3/conversations"
# Run in the page (a copy of the report with this appended): what a reader sees, as JSON in
# the title, which `--dump-dom` prints.
_PROBE = """<script>
const rows = [...document.querySelectorAll("table.operations tbody tr")];
const curl = document.querySelector(".failure pre.curl");
const box = curl ? curl.getBoundingClientRect() : null;
document.title = JSON.stringify({
  rows: rows.map((row) => row.cells[0].innerText),
  curl: curl ? curl.innerText : null,
  curlVisible: !!curl && curl.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})
    && box.width > 0 && box.height > 0,
  verdict: document.querySelector(".verdict").innerText,
});
</script>"""


def _chromium() -> str:
    """Chromium's command, or the test fails in CI (CI=true) and skips elsewhere, saying why."""
    found = shutil.which("chromium")
    if found is None:
        reason = (
            "Debian's chromium is not installed (.ci/run installs it: apt-get install chromium)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return found


def _headless(chromium: str, profile: Path, *arguments: str) -> str:
    done = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",  # CI runs as root
            "--disable-gpu",
            f"--user-data-dir={profile}",
            *arguments,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout


def _summary() -> Summary:
    """Every operation verified, but GET /v0.3/conversations failing a check."""
    events = [
        scenario(label, "fuzzing", {"a": case(*label.split(" ", 1), VERIFYING_OK, answer(200))})
        for label in ALL
    ]
    broken = [*VERIFYING_OK, failed("not_a_server_error", "<500> & broke", title="Server error")]
    events.append(
        scenario(LIST, "coverage", {"b": case("GET", "/v0.3/conversations", broken, answer(500))})
    )
    result = Collector(VERIFYING_CHECKS).feed(typed(events))
    return Summary(
        "the embedded emulator", result, judge(result, ALL, frozenset(VERIFYING_CHECKS)), ALL
    )


def test_the_html_report_is_self_contained_and_escapes_the_runs_text() -> None:
    page = render_html(_summary())
    assert not re.search(r"<(script|link|img|iframe)\b|\bsrc=|@import|url\(", page)
    assert "&lt;500&gt; &amp; broke" in page and "<500>" not in page


def test_the_html_report_opened_in_chromium_shows_every_operation_and_the_failures_curl(
    tmp_path: Path,
) -> None:
    chromium = _chromium()
    report = tmp_path / "report.html"
    write_html(report, _summary())
    probe = tmp_path / "probe.html"
    probe.write_text(report.read_text(encoding="utf-8").replace("</body>", _PROBE + "</body>"))
    dom = _headless(chromium, tmp_path / "profile", "--dump-dom", probe.as_uri())
    title = re.search(r"<title>(.*?)</title>", dom, re.DOTALL)
    assert title is not None, dom[:500]
    seen = json.loads(html.unescape(title.group(1)))
    assert seen["rows"] == list(ALL)  # one row per operation, in the spec's order
    assert seen["curlVisible"]
    assert seen["curl"].splitlines() == [
        "export VONAGE_JWT=$(vonage-conversation token)",
        'curl -X GET -H "Authorization: Bearer $VONAGE_JWT" "http://x/v0.3/conversations"',
    ]
    assert seen["verdict"] == "the server does not conform: 1 failures"
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    _headless(
        chromium,
        tmp_path / "profile",
        f"--screenshot={ARTIFACT}",
        "--window-size=1400,3200",
        "--hide-scrollbars",
        report.as_uri(),
    )
    assert ARTIFACT.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_without_chromium_the_test_fails_in_ci_and_skips_elsewhere_saying_why(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="chromium is not installed"):
        _chromium()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="chromium is not installed"):
        _chromium()


def test_html_writes_the_report_of_a_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "shared" / "conformance.html"
    status = main(
        ["--phases", "semantic", "--operation-id", "listLegs", "--html", str(path)], environ={}
    )
    assert status == 0
    assert capsys.readouterr().out.rstrip().endswith(f"HTML report: {path}")
    page = path.read_text(encoding="utf-8")
    assert "<h1>Conformance of the embedded emulator</h1>" in page
    assert '<td class="op">GET /v0.3/legs</td>' in page
