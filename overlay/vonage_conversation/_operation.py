"""What an operation is to the client: its arguments, how each is checked, its body, its pages.

The rendered ``vonage_conversation._generated.operations`` describes every operation of the
spec with these classes, naming the generated module that builds its request and the rendered
reader of its response; the rendered resources hand each method's arguments to one of them,
which checks them and returns the `Call` (or, for a list, the `Listing`) that the core sends.
How an argument is checked, and how a body is put together from ``data`` and keywords, is
written here once for every operation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import KW_ONLY, dataclass
from types import ModuleType
from typing import Any, Generic, Literal, TypeVar

from vonage_conversation_api.types import Unset

from . import _params
from ._core import Call, Reader
from ._options import NOT_GIVEN, Headers, NotGiven, RequestOptions, Timeout
from ._pagination import Listing

__all__ = ["Body", "Items", "ListOperation", "Operation", "Param"]

R = TypeVar("R")
T = TypeVar("T")

#: What the caller gave for the arguments: names (as the generated module takes them) to values;
#: None means "not given".
Arguments = Mapping[str, object]


@dataclass(frozen=True)
class Param:
    """A parameter or body field: its name and its check. A required one is checked even when
    not given (a path id), so that leaving it out is a clear error."""

    name: str
    check: _params.Checker
    required: bool = False


def _merge(models: tuple[type[Any], ...], data: object, fields: Arguments) -> dict[str, Any]:
    if data is None:
        merged: dict[str, Any] = {}
    elif isinstance(data, (Mapping, *models)):
        merged = _params.plain(data)
    else:
        names = " or a ".join(each.__name__ for each in models)
        raise TypeError(f"data must be a dict or a {names}, not {type(data).__name__}")
    # None (and UNSET, a model field without a value) mean "not given": nothing is sent.
    merged.update(
        {
            key: _params.plain(value)
            for key, value in fields.items()
            if value is not None and not isinstance(value, Unset)
        }
    )
    return merged


def _parse(model: type[Any], merged: dict[str, Any]) -> Any:
    try:
        return model.from_dict(merged)
    except KeyError as missing:
        name = missing.args[0]
        hint = " (from_=...)" if name == "from" else ""
        raise ValueError(f"{model.__name__} needs the field {name!r}{hint}") from None
    except (TypeError, ValueError, AttributeError) as error:
        raise ValueError(f"{model.__name__} cannot be built from what was given: {error}") from None


def _first_kind(models: tuple[type[Any], ...], merged: dict[str, Any]) -> type[Any]:
    for model in models[:-1]:
        try:
            model.from_dict(merged)
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
        return model
    return models[-1]  # parsed below, so that its error is the one raised


@dataclass(frozen=True)
class Body:
    """A request body: its model (or the models of an ``anyOf`` body's kinds), and the checks
    of its fields (the spec's enums)."""

    models: tuple[type[Any], ...]
    fields: tuple[Param, ...] = ()

    def build(self, operation_id: str, data: object, fields: Arguments) -> Any:
        """The body model from `data` (a dict or a model) with the keywords `fields` over it."""
        merged = _merge(self.models, data, fields)
        for field in self.fields:
            if field.name in merged:
                merged[field.name] = field.check(field.name, merged[field.name])
        if (check := _params.BODY_CHECKS.get(operation_id)) is not None:
            check(merged)
        if len(self.models) == 1:
            return _parse(self.models[0], merged)
        choose = _params.BODY_KINDS.get(operation_id)
        model = choose(merged) if choose is not None else _first_kind(self.models, merged)
        return _parse(model, merged)


@dataclass(frozen=True)
class _Described:
    operation_id: str
    module: ModuleType  # the generated ``vonage_conversation_api.api.<tag>.<operation>``
    _: KW_ONLY
    params: tuple[Param, ...] = ()
    body: Body | None = None

    def _kwargs(self, args: Arguments, data: object, fields: Arguments | None) -> dict[str, Any]:
        kwargs: dict[str, Any] = {}
        for param in self.params:
            value = args.get(param.name)
            if value is not None or param.required:
                kwargs[param.name] = param.check(param.name, value)
        if self.body is not None:
            kwargs["body"] = self.body.build(self.operation_id, data, fields or {})
        return kwargs


@dataclass(frozen=True, kw_only=True)
class Operation(_Described, Generic[R]):
    """An operation whose success is one `R` (a generated model, read by `read`; None for a
    delete, whose body is not read)."""

    read: Reader[R] | None = None

    def call(
        self,
        args: Arguments | None = None,
        *,
        data: object = None,
        fields: Arguments | None = None,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
    ) -> Call[R]:
        """The checked call: path and query arguments `args`, the body from `data` and `fields`."""
        return Call(
            self.operation_id,
            self.module,
            self._kwargs(args or {}, data, fields),
            read=self.read,
            options=RequestOptions.of(timeout, extra_headers),
        )


@dataclass(frozen=True)
class Items(Generic[T]):
    """Where a page keeps its items (``_embedded.<key>``, or v0.2's ``_embedded.data.<key>``),
    their generated model, and how pages follow one another."""

    key: str
    model: type[T]
    paging: Literal["cursor", "record_index"] = "cursor"


@dataclass(frozen=True, kw_only=True)
class ListOperation(_Described, Generic[T]):
    """An operation answering with a page of `T` items (each page read by `read`): sent page
    by page by a paginator."""

    items: Items[T]
    read: Reader[Any]

    def listing(
        self,
        args: Arguments | None = None,
        *,
        timeout: Timeout | NotGiven = NOT_GIVEN,
        extra_headers: Headers | None = None,
    ) -> Listing[T]:
        """How to page this list for the (checked) path and query arguments `args`."""
        call: Call[Any] = Call(
            self.operation_id,
            self.module,
            self._kwargs(args or {}, None, None),
            read=self.read,
            options=RequestOptions.of(timeout, extra_headers),
            page=True,
        )
        return Listing(call, self.items.key, paging=self.items.paging)
