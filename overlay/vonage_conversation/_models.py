"""The generated models as the client reads them, by schema name.

Every call's reader is chosen when the pipeline renders its operation (``_generated.operations``
names it); `read_model` is the same readers looked up by schema name, for webhooks, tests and
anyone holding a decoded body. `field_of` reads a model's property by its JSON name (``_links``,
``next``), as the paginator does.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from vonage_conversation_api.types import Unset

from ._generated.model_shapes import MODEL_SHAPES
from ._generated.readers import MODEL_READERS

__all__ = ["field_of", "read_model"]


def read_model(data: Any, schema: str, *, page: bool = False) -> Any:
    """The generated model of `schema` read from decoded JSON `data`, checked against the spec
    and with every fix applied where its rule says. `data` is the caller's to give up: fixes
    repair its objects in place, and the model keeps parts of it (free-form objects).

    `page`: `data` is a list's page, whose envelope (the page and the objects of it that are not
    items: ``_embedded``, ``_links``) may leave out a field the spec requires (an empty page its
    ``_embedded`` or its items' array, a legs page its ``count``): such a field is then unset on
    the page model, for the paginator to do without; the items are read as strictly as any.

    Raises `SchemaMismatchError` (a ValueError) naming the field's path when `data` is not what the
    spec says, nor a source's form of it that a rule reads; KeyError for an unknown schema.
    """
    try:
        read = MODEL_READERS[schema]
    except KeyError:
        raise KeyError(f"no schema {schema!r} in the spec") from None
    return read(data, page)


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
