"""One JUnit XML report from the reports of several schemathesis runs.

A conformance check is more than one schemathesis process (see `_runner.phase_groups`), and
CI wants one file: each run's `<testsuite>` goes into one `<testsuites>`, named after the
phases it ran, with the totals summed.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

# The counters JUnit readers total from `<testsuites>`.
TOTALS = ("tests", "failures", "errors", "skipped")


def merge(reports: Sequence[tuple[str, Path]], into: Path) -> None:
    """Write one report holding every `<testsuite>` of `reports` (each a suite-name suffix and
    a schemathesis JUnit file), named `schemathesis (<suffix>)`."""
    root = ET.Element("testsuites")
    totals = dict.fromkeys(TOTALS, 0)
    elapsed = 0.0
    for suffix, path in reports:
        for suite in ET.parse(path).getroot().iter("testsuite"):
            suite.set("name", f"{suite.get('name', 'schemathesis')} ({suffix})")
            for counter in TOTALS:
                totals[counter] += int(suite.get(counter, "0"))
            elapsed += float(suite.get("time", "0"))
            root.append(suite)
    for counter, total in totals.items():
        root.set(counter, str(total))
    root.set("time", f"{elapsed:.6f}")
    ET.indent(root)
    ET.ElementTree(root).write(into, encoding="utf-8", xml_declaration=True)
