"""Reading a response body of a schema: into its generated model, or into fixed JSON.

The entry points of the response plan (`_plan` decides what each schema's reader visits,
`_readers` compiles the readers, `_fixes` holds the NORMALISATION fixes they apply):
`read_model` is what the client does with every success body; `normalise` gives the fixed
JSON instead (the same checks and fixes), for tests and for anyone who wants JSON.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from functools import cache
from typing import Any

from vonage_conversation_api.resources.model_shapes import MODEL_SHAPES
from vonage_conversation_api.types import Unset

from ._plan import response_schema
from ._readers import readers
from ._timestamps import parse_timestamp

__all__ = ["field_of", "normalise", "parse_timestamp", "read_model", "response_schema"]


def read_model(data: Any, schema: str, *, page: bool = False) -> Any:
    """The generated model of `schema` read from decoded JSON `data`, checked against the spec
    and with every fix applied where its rule says. `data` is the caller's to give up: fixes
    repair its objects in place, and the model keeps parts of it (free-form objects).

    `page`: `data` is a list's page, whose envelope (the page and the objects of it that are not
    items: ``_embedded``, ``_links``) may leave out a field the spec requires (an empty page its
    ``_embedded`` or its items' array, a legs page its ``count``): such a field is then unset on
    the page model, for the paginator to do without; the items are read as strictly as any.

    Raises `SchemaMismatchError` (a ValueError) naming the field's path when `data` is not what the
    spec says, nor a source's form of it that a rule reads.
    """
    return readers().get(schema, "model")(data, page)


def normalise(data: Any, schema: str) -> Any:
    """A copy of JSON `data` of the named schema, checked, with every fix applied where its
    rule says (the input is not changed)."""
    return readers().get(schema, "json")(copy.deepcopy(data))


@cache
def _attributes() -> Mapping[str, Mapping[str, str]]:
    """Model class name -> property -> attribute, for every generated model of an object."""
    return {class_name: attributes for class_name, attributes in MODEL_SHAPES.values()}


def field_of(model: object, key: str) -> Any:
    """The value of the property `key` (its JSON name: ``_links``, ``next``) of a generated
    model, or None when `model` is None, has no such property, or the response left it out."""
    if model is None:
        return None
    attribute = _attributes().get(type(model).__name__, {}).get(key)
    value = getattr(model, attribute, None) if attribute is not None else None
    return None if isinstance(value, Unset) else value
