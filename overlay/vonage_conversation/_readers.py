"""The response plan compiled into code: one reader function per object schema, written once.

For every `ObjectPlan` (`_plan`) this module writes the Python source of two functions and
compiles them together, at first use:

- the **model reader** checks a decoded JSON object against its plan and builds the generated
  attrs model straight from it (the same instance ``Model.from_dict`` makes: same class,
  fields, ``UNSET`` for what is absent, undeclared fields in ``additional_properties``);
- the **JSON reader** checks the same and returns the JSON with the NORMALISATION fixes
  applied, copying an object only where its plan can change something (the input is never
  changed). The model of an event keeps its body as JSON: a member event's body is read so.

Why source code rather than a walk of the plan: a reader is straight-line code for its schema
(one ``dict.get`` and one ``type() is`` test per declared field, fixes only behind a test for
their trigger key), which is what lets a page of models cost little more than ``json.loads``.
A wrong value raises `SchemaMismatchError`; each enclosing reader adds its step to the error's path
on the way out, so a path is only ever built for an error.

Compiled with ``trace``, every visit is reported (``object``, ``scalar``, ``fix``): the tests
count what a plan visits with it; the readers the client uses carry no trace.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache
from typing import Any, Literal

import vonage_conversation_api.models as generated_models
from vonage_conversation_api.types import UNSET

from ._fixes import SchemaMismatchError, coerce_integer, coerce_number, describe
from ._plan import (
    Anything,
    Field,
    Free,
    Items,
    KindBody,
    Nested,
    Node,
    ObjectPlan,
    PlanError,
    Scalar,
    object_plans,
)
from ._timestamps import read_timestamp, read_timestamp_as_sent

__all__ = ["Mode", "Reader", "Readers", "Trace", "compile_readers", "readers"]

Mode = Literal["model", "json"]
Reader = Callable[..., Any]
#: Called with ("object", location), ("scalar", location, key) or ("fix", rule, location).
Trace = Callable[..., None]

_MISSING = object()
_UTC = timezone.utc


def _timestamp_slow(value: object, key: str | None) -> datetime:
    """A date-time `fromisoformat` could not read: `dateutil`'s reading, or a mismatch."""
    return _timestamp(value, key, read_timestamp)


def _timestamp_text(value: object, key: str | None) -> object:
    """`timestamps-date-time` in JSON: a readable date-time is kept as sent, one without a zone
    is written with UTC's; an unreadable one is a mismatch."""
    parsed = _timestamp(value, key, read_timestamp_as_sent)
    return value if parsed.tzinfo is not None else parsed.replace(tzinfo=_UTC).isoformat()


def _timestamp(value: object, key: str | None, read: Callable[[str], datetime]) -> datetime:
    steps = (key,) if key is not None else ()
    if not isinstance(value, str):
        raise SchemaMismatchError(f"expected a date-time string, got {describe(value)}", *steps)
    try:
        return read(value)
    except ValueError:
        raise SchemaMismatchError(f"not a date-time: {value!r}", *steps) from None


def _coerced(read: Callable[[object], Any], value: object, key: str | None) -> Any:
    try:
        return read(value)
    except SchemaMismatchError as error:
        if key is not None:
            error.within(key)
        raise


def _read_items(read: Reader, items: list[Any]) -> list[Any]:
    out: list[Any] = []
    append = out.append
    index = 0
    try:
        for item in items:
            append(read(item))
            index += 1
    except SchemaMismatchError as error:
        error.within(f"[{index}]")
        raise
    return out


def _read_values(read: Reader, values: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        try:
            out[key] = read(value)
        except SchemaMismatchError as error:
            error.within(key)
            raise
    return out


@dataclass(frozen=True)
class _Site:
    """Where a value is read: the property's name (None for an array's item), the reader's
    mode, the location of the object holding it, and the indentation of the lines."""

    key: str | None
    mode: Mode
    where: str
    pad: str

    @property
    def steps(self) -> str:
        """The path step a mismatch of this value starts with, as source arguments."""
        return f", {self.key!r}" if self.key is not None else ""


class _Writer:
    """The source of every reader, and the namespace it runs in."""

    def __init__(self, plans: Mapping[str, ObjectPlan], trace: Trace | None) -> None:
        self.plans = plans
        self.trace = trace
        self.lines: list[str] = []
        self.names: dict[str, str] = {}  # location -> function suffix
        self.kind_tables: list[dict[str, Any]] = []
        self.namespace: dict[str, Any] = {
            "Mismatch": SchemaMismatchError,
            "describe": describe,
            "MISSING": _MISSING,
            "UNSET": UNSET,
            "new": object.__new__,
            "fromiso": datetime.fromisoformat,
            "UTC": _UTC,
            "timestamp_slow": _timestamp_slow,
            "timestamp_text": _timestamp_text,
            "coerced": _coerced,
            "coerce_integer": coerce_integer,
            "coerce_number": coerce_number,
            "read_items": _read_items,
            "read_values": _read_values,
            "trace": trace,
        }
        for index, location in enumerate(sorted(plans)):
            self.names[location] = str(index)

    def constant(self, prefix: str, value: object) -> str:
        """A name for `value` in the readers' namespace."""
        name = f"{prefix}{len(self.namespace)}"
        self.namespace[name] = value
        return name

    def model_class(self, class_name: str) -> str:
        cls = getattr(generated_models, class_name, None)
        if cls is None:
            raise PlanError(f"no model {class_name} in vonage_conversation_api.models")
        return self.constant("C", cls)

    def reader(self, location: str, mode: Mode) -> str:
        return ("m_" if mode == "model" else "j_") + self.names[location]

    # Values

    def value(self, node: Node, site: _Site) -> list[str]:
        """Lines that check (and read) the value in ``v``, leaving the result in ``v``."""
        if isinstance(node, Scalar):
            return self._scalar(node, site)
        if isinstance(node, Anything):
            return []
        if isinstance(node, Free):
            return self._type_check("dict", "an object", site) + self._free(node, site)
        if isinstance(node, Nested):
            # A page's leniency reaches the objects of its envelope (``_embedded``, ``_links``),
            # not its items: `read_items` calls each item's reader without it.
            arguments = "v, page" if site.mode == "model" else "v"
            return self._call(f"{self.reader(node.location, site.mode)}({arguments})", site)
        if isinstance(node, Items):
            lines = self._type_check("list", "an array", site)
            if node.items is not None:
                item = self._item_reader(node.items, site.mode, site.where)
                lines += self._call(f"read_items({item}, v)", site)
            return lines
        return self._kind_body(node, site)

    def _type_check(self, python: str, name: str, site: _Site) -> list[str]:
        pad = site.pad
        return [
            f"{pad}if type(v) is not {python}:",
            f'{pad}    raise Mismatch("expected {name}, got " + describe(v){site.steps})',
        ]

    def _free(self, node: Free, site: _Site) -> list[str]:
        if site.mode == "json":
            return []
        cls, pad = self.model_class(node.class_name), site.pad
        return [f"{pad}o = new({cls})", f"{pad}o.additional_properties = v", f"{pad}v = o"]

    def _call(self, expression: str, site: _Site) -> list[str]:
        pad = site.pad
        if site.key is None:
            return [f"{pad}v = {expression}"]
        return [
            f"{pad}try:",
            f"{pad}    v = {expression}",
            f"{pad}except Mismatch as error:",
            f"{pad}    error.within({site.key!r})",
            f"{pad}    raise",
        ]

    def _traced(self, pad: str, *args: str) -> list[str]:
        return [f"{pad}trace({', '.join(args)})"] if self.trace is not None else []

    def _scalar(self, node: Scalar, site: _Site) -> list[str]:
        pad = site.pad
        seen = self._traced(pad, '"scalar"', repr(site.where), repr(site.key))
        if node.kind == "date-time":
            return self._timestamp(site) + seen
        coercion = {"integer": "coerce_integer", "number": "coerce_number"}.get(node.kind)
        rule = "legs-count-integer"
        if node.coercion is not None:
            coercion, rule = self.constant("CO", node.coercion.read), node.coercion.rule
        test = {
            "string": "type(v) is not str",
            "integer": "type(v) is not int",
            "number": "type(v) is not int and type(v) is not float",
            "boolean": "type(v) is not bool",
        }[node.kind]
        lines = [f"{pad}if {test}:"]
        if coercion is None:
            expected = {"string": "a string", "boolean": "a boolean"}[node.kind]
            lines.append(
                f'{pad}    raise Mismatch("expected {expected}, got " + describe(v){site.steps})'
            )
        else:
            lines.append(f"{pad}    v = coerced({coercion}, v, {site.key!r})")
            lines += self._traced(pad + "    ", '"fix"', repr(rule), repr(site.where))
        if node.enum is not None:
            values = self.constant("E", node.enum)
            shown = ", ".join(sorted(node.enum))
            lines += [
                f"{pad}if v not in {values}:",
                f'{pad}    raise Mismatch("expected one of {shown}, got " + describe(v)'
                f"{site.steps})",
            ]
        return lines + seen

    def _timestamp(self, site: _Site) -> list[str]:
        pad, key = site.pad, site.key
        if site.mode == "json":
            return [f"{pad}v = timestamp_text(v, {key!r})"]
        fixed = self._traced(pad + "        ", '"fix"', '"timestamps-date-time"', repr(site.where))
        return [
            f"{pad}try:",
            f"{pad}    v = fromiso(v)",
            f"{pad}except (TypeError, ValueError):",
            f"{pad}    v = timestamp_slow(v, {key!r})",
            f"{pad}else:",
            f"{pad}    if v.tzinfo is None:",
            f"{pad}        v = v.replace(tzinfo=UTC)",
            *fixed,
        ]

    def _item_reader(self, node: Node, mode: Mode, where: str) -> str:
        if isinstance(node, Nested):
            return self.reader(node.location, mode)
        name = f"i_{mode}_{len(self.namespace)}_{len(self.lines)}"
        self.namespace[name] = None  # reserve the name
        body = self.value(node, _Site(None, mode, f"{where}/[]", "    "))
        self.lines += [f"def {name}(v):", *body, "    return v", ""]
        return name

    def _kind_body(self, node: KindBody, site: _Site) -> list[str]:
        lines = self._type_check("dict", "an object", site)
        if node.by_type:
            table = {value: self.reader(_location(kind), "json") for value, kind in node.by_type}
            self.kind_tables.append(table)  # names now, the functions once they are compiled
            kinds, pad = self.constant("KB", table), site.pad
            lines += [
                f"{pad}kind = {kinds}.get(kind_type)",
                f"{pad}if kind is not None:",
                f"{pad}    try:",
                f"{pad}        v = kind(v)",
                f"{pad}    except Mismatch:",
                f"{pad}        pass  # a body that does not fit its kind is kept as sent",
            ]
        return lines + self._free(node.default, site)

    # Objects

    def object_reader(self, plan: ObjectPlan, mode: Mode) -> None:
        where = plan.location
        copy = mode == "json" and plan.can_change
        signature = "d, page=False" if mode == "model" else "d"
        lines = [
            f"def {self.reader(where, mode)}({signature}):",
            f"    # {where}",
            "    if type(d) is not dict:",
            '        raise Mismatch("expected an object, got " + describe(d))',
            *self._traced("    ", '"object"', repr(where)),
        ]
        if copy:
            lines.append("    d = dict(d)")
        for fix in plan.fixes:
            apply = self.constant("F", fix.apply)
            lines.append(f"    if {fix.trigger!r} in d:")
            if self.trace is None:
                lines.append(f"        {apply}(d)")
            else:
                lines += [
                    "        before = repr(d)",
                    f"        {apply}(d)",
                    "        if repr(d) != before:",
                    f"            trace('fix', {fix.rule!r}, {where!r})",
                ]
        lines.append("    n = 0")
        for index, field in enumerate(_kind_first(plan)):
            lines += self._field(plan, index, field, mode, copy)
        lines += self._finish(plan, mode)
        self.lines += [*lines, ""]

    def _field(
        self, plan: ObjectPlan, index: int, field: Field, mode: Mode, copy: bool
    ) -> list[str]:
        absent = f"        a{index} = UNSET" if mode == "model" else "        pass"
        lines = [f"    v = d.get({field.key!r}, MISSING)", "    if v is MISSING:"]
        if field.required:
            if mode == "model":  # a page's envelope may leave out what the paginator can miss
                lines += ["        if page:", "    " + absent]
                lines.append("        else:")
                pad = "            "
            else:
                pad = "        "
            lines.append(f'{pad}raise Mismatch("missing (the spec requires it)", {field.key!r})')
        else:
            lines.append(absent)
            if field.key == "type" and isinstance(_body_node(plan), KindBody):
                lines.append("        kind_type = None")
        lines += ["    else:", "        n += 1"]
        lines += self.value(field.node, _Site(field.key, mode, plan.location, "        "))
        if mode == "model":
            lines.append(f"        a{index} = v")
        elif copy:
            lines.append(f"        d[{field.key!r}] = v")
        if field.key == "type" and isinstance(_body_node(plan), KindBody):
            lines.append("        kind_type = v")
        return lines

    def _finish(self, plan: ObjectPlan, mode: Mode) -> list[str]:
        declared = self.constant("K", frozenset(field.key for field in plan.fields))
        if plan.closed:
            lines = [
                "    if len(d) != n:",
                f"        undeclared = sorted(set(d) - {declared})",
                '        raise Mismatch(f"fields the spec does not allow here: {undeclared}")',
            ]
            return [*lines, *self._build(plan, mode, extra=None)]
        values = ""
        if plan.values is not None:
            values = self._item_reader(plan.values.values, mode, plan.location + "/{}")
        lines = [
            "    if len(d) == n:",
            "        x = {}",
            "    else:",
            f"        x = {{k: w for k, w in d.items() if k not in {declared}}}",
        ]
        if values:
            lines.append(f"        x = read_values({values}, x)")
        if mode == "json":
            if not values:
                return ["    return d"]
            keep = "        d.update(x)" if plan.can_change else "        pass  # nothing changed"
            return [*lines, keep, "    return d"]
        return [*lines, *self._build(plan, mode, extra="x")]

    def _build(self, plan: ObjectPlan, mode: Mode, extra: str | None) -> list[str]:
        if mode == "json":
            return ["    return d"]
        lines = [f"    o = new({self.model_class(plan.class_name)})"]
        for index, field in enumerate(_kind_first(plan)):
            lines.append(f"    o.{field.attribute} = a{index}")
        if extra is not None:
            lines.append(f"    o.additional_properties = {extra}")
        return [*lines, "    return o"]

    def compile(self) -> dict[str, Reader]:
        for mode in ("model", "json"):
            for location in sorted(self.plans):
                self.object_reader(self.plans[location], mode)
        source = "\n".join(self.lines)
        # The source is ours, written from the spec's plans just above: nothing from a response.
        exec(compile(source, "<vonage_conversation response readers>", "exec"), self.namespace)
        for table in self.kind_tables:
            table.update({value: self.namespace[name] for value, name in table.items()})
        return {
            f"{mode}:{location}": self.namespace[self.reader(location, mode)]
            for location in self.plans
            for mode in ("model", "json")
        }


def _location(node: Node) -> str:
    if not isinstance(node, Nested):
        raise PlanError(f"an event kind's body must have a plan of its own, not {node}")
    return node.location


def _body_node(plan: ObjectPlan) -> Node | None:
    return next((field.node for field in plan.fields if field.key == "body"), None)


def _kind_first(plan: ObjectPlan) -> tuple[Field, ...]:
    """The fields in the order they are read: an event's ``type`` before its ``body``."""
    fields = plan.fields
    if not isinstance(_body_node(plan), KindBody):
        return fields
    ordered = sorted(fields, key=lambda field: field.key != "type")
    if ordered[0].key != "type":
        raise PlanError(f"{plan.location}: an event body read by kind needs the event's type")
    return tuple(ordered)


class Readers:
    """The compiled readers of every object schema, in both modes."""

    def __init__(self, compiled: Mapping[str, Reader]) -> None:
        self._compiled = compiled

    def get(self, location: str, mode: Mode) -> Reader:
        """The reader of the object at `location` (a schema name, or an inline location)."""
        try:
            return self._compiled[f"{mode}:{location}"]
        except KeyError:
            raise KeyError(f"no schema {location!r} in the spec") from None


def compile_readers(trace: Trace | None = None) -> Readers:
    """Compile the readers of every plan (`trace`: report every visit, for the tests)."""
    return Readers(_Writer(object_plans(), trace).compile())


@cache
def readers() -> Readers:
    """The client's readers: compiled once, at first use."""
    return compile_readers()
