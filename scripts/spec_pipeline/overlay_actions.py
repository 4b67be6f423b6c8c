"""Apply OpenAPI Overlay 1.0 actions (https://spec.openapis.org/overlay/v1.0.0) to a document.

An action selects nodes with its `target`, a JSONPath expression, and merges its `update` into
each of them, or, with `remove: true`, removes them. Only the JSONPath the project's overlay
needs is read (no JSONPath library: the subset is a few lines, and a new dependency would be
more): the root `$`, child names (`.name`, `['name']`), wildcards (`.*`, `[*]`) and the
equality filter `[?@.key == 'value']` (a child whose `key` equals the quoted string). Anything
else is an error naming the action, not a silent miss.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .oas import Node, NormalisationError

# One step of a target, after the `$`: a wildcard, a name, or an equality filter.
_STEP = re.compile(
    r"""\.\*|\[\*\]
    |\.(?P<name>[A-Za-z_][A-Za-z0-9_-]*)
    |\[(?P<quote>['"])(?P<key>.*?)(?P=quote)\]
    |\[\?\(?\s*@\.(?P<field>[A-Za-z_][A-Za-z0-9_-]*)\s*==\s*(?P<q2>['"])(?P<value>.*?)(?P=q2)\s*\)?\]
    """,
    re.VERBOSE,
)


class OverlayError(NormalisationError):
    """An overlay document, or one of its actions, that this subset of Overlay 1.0 cannot read."""


@dataclass(frozen=True)
class Step:
    """One step of a target: every child (`kind` ``*``), the child `name`, or every child whose
    `name` field equals `value` (`kind` ``?``)."""

    kind: str  # "*", "name" or "?"
    name: str = ""
    value: str = ""


@dataclass(frozen=True)
class Action:
    """One overlay action: what it targets, what it does, and the rule that applies it."""

    index: int
    target: str
    steps: tuple[Step, ...]
    rule: str
    description: str
    update: Any = None
    remove: bool = False

    @property
    def label(self) -> str:
        """How messages name it: ``overlay actions[3] (<target>)``, as the overlay lists it."""
        return f"overlay actions[{self.index}] ({self.target})"


def parse_target(target: str) -> tuple[Step, ...]:
    """The steps of a JSONPath target; ValueError naming the part it cannot read."""
    if not target.startswith("$"):
        raise ValueError("must start with `$`")
    steps: list[Step] = []
    position = 1
    while position < len(target):
        found = _STEP.match(target, position)
        if found is None:
            readable = "`.name`, `['name']`, `.*`, `[*]`, `[?@.key == 'value']`"
            raise ValueError(f"cannot read {target[position:]!r} (this subset reads {readable})")
        if found["name"] is not None or found["key"] is not None:
            steps.append(Step("name", found["name"] or found["key"]))
        elif found["field"] is not None:
            steps.append(Step("?", found["field"], found["value"]))
        else:
            steps.append(Step("*"))
        position = found.end()
    return tuple(steps)


def parse_actions(document: Any, path: Path) -> tuple[Action, ...]:
    """The actions of an Overlay 1.0 document, each checked: OverlayError names the file and the
    action at fault. Each action must say which rule applies it (`x-rule`)."""

    def fail(where: str, problem: str) -> OverlayError:
        return OverlayError(f"{path}: {where} {problem}")

    if not isinstance(document, dict) or not str(document.get("overlay", "")).startswith("1."):
        raise fail("", "is no Overlay 1.x document (`overlay: 1.0.0`)")
    if not isinstance(document.get("info"), dict):
        raise fail("info", "is missing")
    actions = document.get("actions")
    if not isinstance(actions, list) or not actions:
        raise fail("actions", "must be a non-empty list")
    found = []
    for index, action in enumerate(actions):
        where = f"actions[{index}]"
        if not isinstance(action, dict) or not isinstance(action.get("target"), str):
            raise fail(where, "must be a mapping with a `target`")
        if ("update" in action) == bool(action.get("remove")):
            raise fail(where, "must have either `update` or `remove: true`")
        if not isinstance(action.get("x-rule"), str):
            raise fail(where, "must name the rule that applies it (`x-rule`)")
        try:
            steps = parse_target(action["target"])
        except ValueError as error:
            raise fail(f"{where}.target", str(error)) from error
        found.append(
            Action(
                index=index,
                target=action["target"],
                steps=steps,
                rule=action["x-rule"],
                description=str(action.get("description", "")),
                update=action.get("update"),
                remove=bool(action.get("remove")),
            )
        )
    return tuple(found)


def select(document: Any, steps: tuple[Step, ...]) -> list[tuple[Any, Any]]:
    """The (parent, key) of every node the steps select, in document order; the root has no
    parent (``(None, None)``)."""
    selected: list[tuple[Any, Any]] = [(None, None)]

    def node_at(parent: Any, key: Any) -> Any:
        return document if parent is None else parent[key]

    for step in steps:
        following: list[tuple[Any, Any]] = []
        for parent, key in selected:
            node = node_at(parent, key)
            children = (
                list(node.items()) if isinstance(node, dict)
                else list(enumerate(node)) if isinstance(node, list)
                else []
            )  # fmt: skip
            for child_key, child in children:
                if _selects(step, child_key, child):
                    following.append((node, child_key))
        selected = following
    return selected


def _selects(step: Step, key: Any, child: Any) -> bool:
    if step.kind == "?":
        return isinstance(child, dict) and child.get(step.name) == step.value
    return step.kind == "*" or key == step.name


def merge(target: Node, update: Node) -> None:
    """Merge update into target, as Overlay 1.0 says: an object merges into an object key by key
    (new keys after the old ones), anything else replaces the value (a list is appended to)."""
    for key, value in update.items():
        old = target.get(key)
        if isinstance(old, dict) and isinstance(value, dict):
            merge(old, value)
        elif isinstance(old, list) and isinstance(value, list):
            old.extend(copy.deepcopy(value))
        else:
            target[key] = copy.deepcopy(value)


def apply(document: Node, action: Action) -> int:
    """Apply one action to document (in place); how many nodes it changed (0: the target
    selects nothing, which Overlay 1.0 allows and the caller reports)."""
    selected = select(document, action.steps)
    for parent, key in reversed(selected) if action.remove else selected:
        if action.remove:
            if parent is None:
                raise OverlayError(f"{action.label}: cannot remove the whole document")
            del parent[key]
            continue
        node = document if parent is None else parent[key]
        if isinstance(node, dict) and isinstance(action.update, dict):
            merge(node, action.update)
        elif isinstance(node, list):
            node.append(copy.deepcopy(action.update))
        else:
            raise OverlayError(f"{action.label}: cannot update a {type(node).__name__}")
    return len(selected)
