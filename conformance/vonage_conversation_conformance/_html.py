"""The run as one self-contained HTML file (`--html PATH`), to share: the verdict, the phases,
a row per operation with every check's verdict on it, the coverage, and every failure with the
curl command that sends its request again.

Self-contained: the style is inline, there is no script, and nothing is fetched, so the file
reads the same mailed, attached to a CI run, or opened offline. Every text from the run (a
server's message, a request body) is escaped.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from pathlib import Path

from ._coverage import coverage
from ._report import PHASE_WORDS, PREPARATION, SHORT_NAMES, Summary
from ._results import RESPONSE_CLASSES, CheckTally, OperationTally

__all__ = ["render_html", "write_html"]

_STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #1d2330; }
h1 { font-size: 1.4em; margin: 0 0 .2em; } h2 { font-size: 1.1em; margin: 1.6em 0 .4em; }
.verdict { font-size: 1.2em; padding: .5em .8em; border-radius: 4px; display: inline-block; }
.code-0 { background: #dcf5e3; } .code-1 { background: #fbdcdc; }
.code-2, .code-3 { background: #fdf1cf; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; }
th, td { padding: .2em .6em; border-bottom: 1px solid #e3e6ec; }
th { text-align: left; background: #f4f6f9; position: sticky; top: 0; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
td.ok { color: #1a7f37; } td.fail { color: #b42318; font-weight: 600; }
td.err { color: #9a6700; font-weight: 600; } td.none { color: #8c95a6; }
th.op, td.op { position: sticky; left: 0; background: #fff; white-space: nowrap; }
.failure { border-left: 4px solid #b42318; padding: .2em .8em; margin: .8em 0; }
pre { background: #f4f6f9; padding: .6em; overflow-x: auto; white-space: pre-wrap;
      word-break: break-all; margin: .3em 0; }
"""


def _table(css: str, headings: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    """A table: headings as given (escaped), cells as given (already HTML)."""
    head = "".join(
        f'<th class="op">{escape(h)}</th>' if i == 0 else f"<th>{escape(h)}</th>"
        for i, h in enumerate(headings)
    )
    body = "".join(f"<tr>{''.join(row)}</tr>" for row in rows)
    return (
        f'<div class="scroll"><table class="{css}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def _td(text: object, css: str = "") -> str:
    return f'<td class="{css}">{escape(str(text))}</td>' if css else f"<td>{escape(str(text))}</td>"


def _check_cell(tally: CheckTally | None) -> str:
    if tally is None or not tally.ran:
        return _td("-", "none")
    if tally.failed:
        return _td(f"FAIL {tally.failed}", "fail")
    if tally.errored:
        return _td(f"err {tally.errored}", "err")
    return _td("ok", "ok")


def _phases(summary: Summary) -> str:
    result = summary.result
    rows = [
        [
            _td(name, "op"),
            _td(PHASE_WORDS.get(name, name)),
            _td(status),
            _td(result.phase_requests[name], "n"),
        ]
        for name, status in result.phases.items()
        if name not in PREPARATION
    ]
    return _table("phases", ["phase", "what", "status", "requests"], rows)


def _operations(summary: Summary) -> str:
    """One row per operation: its counts, whether it was verified, then each check."""
    result, checks = summary.result, summary.result.checks()
    classes = [name for name in RESPONSE_CLASSES if name != "3xx"]
    empty = OperationTally()
    rows = []
    for operation in summary.operations:
        tally = result.operations.get(operation, empty)
        verified = "-" if not summary.verifies else "yes" if tally.verified_in else "NO"
        rows.append(
            [
                _td(operation, "op"),
                _td(tally.requests, "n"),
                *(_td(tally.responses[name], "n") for name in classes),
                _td(verified, "ok" if verified == "yes" else "fail" if verified == "NO" else ""),
                *(_check_cell(tally.checks.get(check)) for check in checks),
            ]
        )
    headings = ["operation", "sent", *classes, "verified", *(SHORT_NAMES.get(c, c) for c in checks)]
    return _table("operations", headings, rows)


def _coverage(summary: Summary) -> str:
    rows = [
        [
            _td(found.operation, "op"),
            _td(f"{' '.join(found.seen) or 'none'} ({len(found.seen)}/{len(found.statuses)})"),
            _td(" ".join(found.missing_statuses) or "-", "none"),
            _td(" ".join(map(str, found.undocumented)) or "-"),
            _td(f"{' '.join(found.sent) or 'none'} ({len(found.sent)}/{len(found.parameters)})"),
            _td(" ".join(found.unsent) or "-", "none"),
        ]
        for found in coverage(summary.result, summary.operations)
    ]
    headings = [
        "operation",
        "statuses answered",
        "never answered",
        "undocumented",
        "parameters sent",
        "never sent",
    ]
    return _table("coverage", headings, rows)


def _failures(summary: Summary) -> str:
    parts = []
    for number, failure in enumerate(summary.result.failures, start=1):
        lines = [f"<h3>{number}. {escape(failure.operation)}: {escape(failure.check)}</h3>"]
        lines.append(f"<p>{escape(failure.title)}; phase {escape(failure.phase)}")
        lines.append(f"; status {failure.status}</p>" if failure.status else "</p>")
        if failure.field:
            lines.append(f"<p>at fault: <code>{escape(failure.field)}</code></p>")
        if failure.message:
            lines.append(f'<pre class="message">{escape(failure.message.strip())}</pre>')
        if failure.request is not None:
            request = failure.request
            token = summary.token_command(failure.operation, request.sub)
            export = f"export VONAGE_JWT=$({token})\n" if request.uses_token else ""
            command = f"{export}{request.as_curl()}"
            lines.append(f'<p>reproduce:</p><pre class="curl">{escape(command)}</pre>')
        parts.append(f'<section class="failure">{"".join(lines)}</section>')
    return "".join(parts)


def _listing(title: str, items: list[str]) -> str:
    if not items:
        return ""
    return f"<h2>{escape(title)}</h2><ul>{''.join(f'<li>{escape(i)}</li>' for i in items)}</ul>"


def render_html(summary: Summary) -> str:
    """The whole report as one HTML document."""
    result, verdict = summary.result, summary.verdict
    verified = len(summary.operations) - len(verdict.unverified)
    checked = (
        f"{verified} of {len(summary.operations)} operations verified"
        if summary.verifies
        else "no response checked against the spec"
    )
    counts = (
        f"{checked}; {result.test_cases} test cases; {len(result.failures)} failures; "
        f"{len(result.errors)} errors"
    )
    seeds = ", ".join(str(seed) for seed in dict.fromkeys(result.seeds))
    shard = f"; shard {summary.shard[0]}/{summary.shard[1]}" if summary.shard else ""
    errors = [
        f"{error.operation or 'the run'}{f' ({error.phase})' if error.phase else ''}: "
        f"{error.kind}: {error.message}"
        for error in result.errors
    ]
    sections = [
        f"<h1>Conformance of {escape(summary.target)}</h1>",
        f'<p class="verdict code-{int(verdict.code)}">{escape(verdict.headline)}</p>',
        f"<p>{escape(counts)}{f'; seed {escape(seeds)}' if seeds else ''}{escape(shard)}"
        f"; exit status {int(verdict.code)}</p>",
        "<h2>Phases</h2>",
        _phases(summary),
        "<h2>Operations &times; checks</h2>",
        _operations(summary),
        *(["<h2>Coverage</h2>", _coverage(summary)] if summary.verifies else []),
        _listing("Not verified", [f"{i.operation}: {i.reason}" for i in verdict.unverified]),
        _listing("Checks that could not tell", [f"{o}: {c}: {r}" for o, c, r in result.skips]),
        _listing("Warnings", list(result.warnings)),
        _listing("Errors", errors),
        f"<h2>Failures</h2>{_failures(summary)}" if result.failures else "",
        f"<p>{escape(summary.note)}</p>" if summary.note else "",
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Conformance of {escape(summary.target)}: {escape(verdict.headline)}</title>"
        f"<style>{_STYLE}</style></head><body>{''.join(sections)}</body></html>\n"
    )


def write_html(path: Path, summary: Summary) -> None:
    """Write the HTML report of the run `summary` describes to `path`."""
    path.write_text(render_html(summary), encoding="utf-8")
