"""Rules for faults both sources share."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from .oas import Node, parameters, schemas, transform_examples
from .registry import Specs, rule

RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def _both(specs: Specs) -> tuple[Node, Node]:
    return specs.v03, specs.v02


@rule(
    "schemas-declare-object-type",
    source="both",
    fault="Schemas with `properties` but no `type` (every v0.2 list response, the v0.3 "
    "`from`/`to` variants): JSON Schema then accepts any non-object value.",
)
def schemas_declare_object_type(specs: Specs) -> None:
    """Give `type: object` to every schema that lists properties without a type."""
    for document in _both(specs):
        for _, schema in schemas(document):
            if "properties" in schema and "type" not in schema:
                schema["type"] = "object"


@rule(
    "page-size-integer",
    source="v0.3",
    fault="`page_size` is typed `number` (query parameter and response field) where only whole "
    "numbers make sense; the v0.2 source and the v0.3 members/events lists say `integer`.",
)
def page_size_integer(specs: Specs) -> None:
    """Type every `page_size` parameter and response field as an integer."""
    for document in _both(specs):
        for param in parameters(document):
            if param["name"] == "page_size":
                param["schema"]["type"] = "integer"
        for _, schema in schemas(document):
            prop = schema.get("properties", {}).get("page_size")
            if prop is not None and prop.get("type") == "number":
                prop["type"] = "integer"


@rule(
    "date-filters-rfc3339",
    source="both",
    fault="`date_start`/`date_end` are `string(dateTime)` in v0.3 with examples like "
    '`2018-01-01 10:00:00` (a space, no zone), and untyped strings in v0.2 ("ISO8601 date").',
)
def date_filters_rfc3339(specs: Specs) -> None:
    """Make the date filters `format: date-time` (RFC 3339) with RFC 3339 examples."""
    for document in _both(specs):
        for param in parameters(document):
            if param["name"] not in ("date_start", "date_end"):
                continue
            schema = param["schema"]
            schema["format"] = "date-time"
            example = schema.get("example")
            if isinstance(example, str) and not RFC3339.match(example):
                schema["example"] = example.replace(" ", "T") + "Z"


def _timestamp_text(value: dt.datetime) -> str:
    return value.isoformat(timespec="milliseconds").replace("+00:00", "Z")


@rule(
    "timestamps-date-time",
    source="both",
    fault="Every timestamp (conversation, member, event, leg) is a bare `string`, so clients "
    "cannot parse it; v0.3 examples carry two fraction digits (`14:00:00.00Z`).",
)
def timestamps_date_time(specs: Specs) -> None:
    """Give `format: date-time` to every string schema whose example is an RFC 3339 instant."""
    for document in _both(specs):
        for _, schema in schemas(document):
            example = schema.get("example")
            if (
                schema.get("type") == "string"
                and isinstance(example, str)
                and RFC3339.match(example)
            ):
                schema["format"] = "date-time"


@rule(
    "example-types-match-schema",
    source="v0.2",
    fault="Examples whose YAML type differs from their schema: `start_id`/`end_id` examples "
    "`13`/`19` are integers on string parameters, and the unquoted event timestamp "
    "`2019-09-12T19:49:21.823Z` loads as a YAML timestamp, not a string.",
)
def example_types_match_schema(specs: Specs) -> None:
    """Quote numeric examples of string parameters; write timestamp examples as strings."""

    def as_text(value: Any) -> Any:
        return _timestamp_text(value) if isinstance(value, dt.datetime) else value

    for document in _both(specs):
        transform_examples(document, as_text)
        for param in parameters(document):
            example = param.get("example")
            if param["schema"].get("type") == "string" and isinstance(example, int):
                param["example"] = str(example)
