"""The response readers visit only what they must: the declared scalars (each checked once), the
declared objects holding them, and the fixes that apply; never a free-form object's contents
nor an undeclared field.

Counted with the readers rendered with a trace: the renderer (`render_readers(trace=True)`)
writes the client's readers with a ``TRACE(...)`` call at every visit, into a test folder, never
into the package; `test_the_traced_readers_are_the_client_s_own` shows that, without those
calls, they are the readers the client runs.
"""

from __future__ import annotations

import copy
import importlib.util
from collections import Counter
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import client_properties_support as support
import pytest
import vonage_conversation._generated
from hypothesis import HealthCheck, given, settings
from hypothesis_jsonschema import from_schema
from overlay_helpers import CONVERSATION, event, object_plans, page
from spec_pipeline.render_readers import render_readers
from vonage_conversation._models import read_model

VISITS = settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def _traced_module(folder: Path) -> ModuleType:
    """The readers rendered with a trace, imported from `folder` as a sibling of the client's
    rendered readers (their relative imports are the same)."""
    path = folder / "traced_readers.py"
    path.write_text(render_readers(object_plans(), trace=True), encoding="utf-8")
    name = f"{vonage_conversation._generated.__name__}.traced_readers"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Visits:
    """Readers that count what they visit."""

    def __init__(self, module: ModuleType) -> None:
        self.seen: list[tuple[Any, ...]] = []
        module.TRACE = self.record
        self.readers: Mapping[str, Any] = module.MODEL_READERS

    def record(self, *visit: Any) -> None:
        self.seen.append(visit)

    def read(self, document: Any, schema: str) -> Counter[str]:
        self.seen.clear()
        self.readers[schema](copy.deepcopy(document), False)
        return Counter(visit[0] for visit in self.seen)


@pytest.fixture(scope="module")
def visits(tmp_path_factory: pytest.TempPathFactory) -> Visits:
    return Visits(_traced_module(tmp_path_factory.mktemp("traced")))


def _untraced(source: str) -> str:
    """The traced source without its trace: the TRACE hook, its calls, and the before/after
    comparison around each fix."""
    head, _, rest = source.partition("def TRACE(")
    rest = rest.split("\n\n\n", 1)[1]
    kept = [
        line
        for line in (head + rest).splitlines()
        if "TRACE(" not in line
        and "before = repr(d)" not in line
        and "if repr(d) != before:" not in line
    ]
    return "\n".join(kept)


def test_the_traced_readers_are_the_client_s_own() -> None:
    """The counted readers differ from the rendering the package holds only by the trace."""
    plans = object_plans()
    traced = render_readers(plans, trace=True)
    assert traced.count("TRACE(") > len(plans)  # a visit is reported in every reader
    assert _untraced(traced).split() == render_readers(plans).split()


BIG_FREE_BODY = {
    "text": "hello",
    "nested": {"id": {}, "timestamp": "not-a-time", "count": "x", "list": list(range(50))},
    "is_system": "yes",
    "start_end": 5,
    "_links": {"href": 1},
}


def test_an_event_page_visits_its_declared_scalars_only(visits: Visits) -> None:
    """100 text events with a big free-form body and undeclared fields each: per event its 6
    declared scalars (id, type, from, timestamp, href, _links.self.href) and 3 objects (the
    event, its _links, their self), per page 4 scalars (page_size, 3 link hrefs) and 6
    objects; the bodies and the extra fields are never entered, and no fix applies."""
    events = [
        {**event(str(n), body=copy.deepcopy(BIG_FREE_BODY)), "extra": {"deep": [1, {"x": 2}]}}
        for n in range(1, 101)
    ]
    for each in events:
        each["_links"] = {"self": {"href": each["href"]}}
    body = page("events", events, next_href="https://api.nexmo.com/next?cursor=c")
    body["_links"]["first"] = {"href": "https://api.nexmo.com/first"}
    counted = visits.read(body, "EventPage")
    assert counted == Counter({"scalar": 6 * 100 + 4, "object": 3 * 100 + 6})


def test_a_conversation_visits_its_declared_scalars_only(visits: Visits) -> None:
    """The spec's example conversation: 10 declared scalars in 6 objects (``numbers``, whose
    values the spec types, is one, empty); its ``custom_data`` (free-form) is not entered; no
    fix applies."""
    counted = visits.read(CONVERSATION, "Conversation")
    assert counted == Counter({"scalar": 10, "object": 6})


def test_a_fix_is_counted_where_it_applies(visits: Visits) -> None:
    legs = {**CONVERSATION, "sequence_number": "7", "timestamp": {"created": "2018-01-01 10:00:00"}}
    assert visits.read(legs, "Conversation")["fix"] == 2
    assert [visit[1] for visit in visits.seen if visit[0] == "fix"] == [
        "legs-count-integer",
        "timestamps-date-time",
    ]


# Every response schema, on documents generated from the spec


def _declared(schema: Any, value: Any) -> Iterator[str]:
    """What a reader must visit in `value`, a document valid against `schema`: one "object"
    for each object the spec describes with properties, one "scalar" for each value of a
    declared scalar property (or of a typed additional property, or an array item); nothing
    inside an object the spec leaves free, nothing for an undeclared field. An event's body is
    its kind's (a member event's body is a `Member`), as the spec's kinds type events."""
    schema = support.resolve(support.typed_event(schema, value))
    branches = schema.get("anyOf") or schema.get("oneOf")
    if branches:  # the spec's only unions are open enums: a string
        yield "scalar"
        return
    kind = schema.get("type")
    if kind in ("string", "integer", "number", "boolean"):
        yield "scalar"
    elif kind == "array" and "items" in schema:
        for item in value:
            yield from _declared(schema["items"], item)
    elif kind == "object" and (schema.get("properties") or _typed_extra(schema)):
        yield "object"
        properties: Mapping[str, Any] = schema.get("properties", {})
        for key, item in value.items():
            if key in properties:
                yield from _declared(properties[key], item)
            elif _typed_extra(schema):
                yield from _declared(schema["additionalProperties"], item)


def _typed_extra(schema: Mapping[str, Any]) -> bool:
    extra = schema.get("additionalProperties")
    return isinstance(extra, Mapping) and bool(extra)


OBJECT_RESPONSE_SCHEMAS = [
    name
    for name in support.response_schema_names()
    if support.component_schemas()[name].get("type") == "object"
]


@pytest.mark.parametrize("name", OBJECT_RESPONSE_SCHEMAS)
def test_every_response_schema_visits_only_what_it_must(visits: Visits, name: str) -> None:
    """For documents valid against `name` (unbiased: no source spelling to fix), the reader
    visits exactly the declared scalars and objects they hold, applies no fix, and builds the
    model ``from_dict`` builds (same class, fields and additional properties)."""
    documents = from_schema(support.json_schema_document(name, biased=False))

    @VISITS
    @given(document=documents)
    def visits_what_it_must(document: Any) -> None:
        if support.documented_reading(support.component_ref(name), document) != document:
            return  # holds a source spelling that a fix reads: not a document needing no fix
        counted = visits.read(document, name)
        assert counted["fix"] == 0, visits.seen
        expected = Counter(_declared(support.component_ref(name), document))
        expected["object"] = max(expected["object"], 1)  # the body itself, even if free-form
        assert Counter({k: v for k, v in counted.items() if k != "fix"}) == expected
        # Built straight from the JSON, the model is the one the generated from_dict makes.
        model = support.generated_parser(name).from_json(copy.deepcopy(document))
        assert read_model(copy.deepcopy(document), name) == model

    visits_what_it_must()
