"""Keep openapi/NORMALISATION.md's list of rules in step with the rules themselves.

The entries between the markers are written from each rule's id, source, fault and docstring;
everything around them is prose maintained by hand.
"""

from __future__ import annotations

from .build import ROOT
from .oas import NormalisationError
from .registry import Rule

NORMALISATION_DOC = ROOT / "openapi" / "NORMALISATION.md"
# The tests of the sources' rules, and those of the merged spec's rules.
SOURCE_RULES_TESTS = "tests/spec/test_rules.py"
MERGED_RULES_TESTS = "tests/spec/test_rules_merged.py"
MERGED_RULE_MODULES = ("rules_merge", "rules_naming", "rules_finish")
START = "<!-- rules:start (written by scripts/regenerate.py from scripts/spec_pipeline) -->"
END = "<!-- rules:end -->"


def rule_test_file(each: Rule) -> str:
    """The file that holds a rule's test: by the module the rule is written in."""
    module = each.fix.__module__.rsplit(".", 1)[-1]
    return MERGED_RULES_TESTS if module in MERGED_RULE_MODULES else SOURCE_RULES_TESTS


def rule_test_name(each: Rule) -> str:
    """The test that covers a rule: one per rule, named after it."""
    return "test_" + each.id.replace("-", "_")


def _data_line(each: Rule) -> str:
    """Where a rule's data is: its tables of openapi/tables.yaml, its overlay actions."""
    if not each.data:
        return ""
    places = []
    if tables := [f"`{name}`" for name in each.data if name != "overlay"]:
        places.append(f"{', '.join(tables)} in `openapi/tables.yaml`")
    if "overlay" in each.data:
        places.append(f"its actions in `openapi/overlay.yaml` (`x-rule: {each.id}`)")
    return f"- **Data:** {'; '.join(places)}\n"


def render_rules(rules: tuple[Rule, ...]) -> str:
    entries = []
    for number, each in enumerate(rules, start=1):
        action = " ".join(each.action.split())
        entries.append(
            f"### {number}. `{each.id}`\n\n"
            f"- **Source:** {each.source}\n"
            f"- **Fault:** {each.fault}\n"
            f"- **Rule:** {action}\n"
            f"{_data_line(each)}"
            f"- **Test:** `{rule_test_file(each)}::{rule_test_name(each)}`\n"
        )
    return "\n".join(entries)


def with_rules(document: str, rules: tuple[Rule, ...]) -> str:
    """The document with the text between its markers replaced by the rules' entries."""
    if document.count(START) != 1 or document.count(END) != 1:
        raise NormalisationError(f"{NORMALISATION_DOC.name} must hold the rules markers once")
    head, rest = document.split(START)
    _, tail = rest.split(END)
    return f"{head}{START}\n\n{render_rules(rules)}\n{END}{tail}"
