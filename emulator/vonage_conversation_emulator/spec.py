"""The spec the emulator serves, read from the generated client package so both share one copy.

Routing and validation both come from this document: an operation exists on the emulator
exactly when the spec has it, so the server cannot drift from the spec.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

import yaml
from openapi_core import Config, OpenAPI
from vonage_conversation_spec import operation_items, resolve

from .admin_spec import ADMIN_PATHS
from .compiled import CompiledOperation, compile_operations
from .errors import ApiError, ErrorKind
from .json_body import strict_json_loads

__all__ = ["Route", "ServedSpec", "load_api_document", "served_spec"]

SPEC_PACKAGE = "vonage_conversation_api"
SPEC_RESOURCE = "openapi.yaml"


def load_api_document() -> dict[str, Any]:
    """The Conversation API spec exactly as shipped in ``vonage_conversation_api``."""
    text = files(SPEC_PACKAGE).joinpath(SPEC_RESOURCE).read_text(encoding="utf-8")
    document: dict[str, Any] = yaml.safe_load(text)
    return document


@dataclass(frozen=True)
class Route:
    """One operation of the spec, as the router found it."""

    operation_id: str
    method: str
    template: str
    accepts_body: bool
    query_defaults: Mapping[str, Any]


class ServedSpec:
    """The spec as the emulator serves it: the API's paths plus the emulator-only ones,
    at the emulator's own origin, with the router and validator read from it."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        # Formats are jsonschema's own (``uri`` through rfc3986-validator, an emulator
        # dependency); only the JSON reader is the emulator's.
        config = Config(extra_media_type_deserializers={"application/json": strict_json_loads})
        self.openapi = OpenAPI.from_dict(document, config=config)
        self._routes: dict[tuple[str, str], Route] = {}
        for template, method, operation in operation_items(document):
            self._routes[template, method] = self._route(template, method, operation)
        self.compiled: dict[tuple[str, str], CompiledOperation | None] = compile_operations(
            document
        )
        """Each operation's checks compiled at start-up (None: openapi-core judges it)."""
        # openapi-core's matching, compiled: a path equal to one of the document's first (its
        # variables unread), then templates by fewer variables (in the document's order), a
        # variable being any run of non-slashes.
        self._concrete = set(document["paths"])
        templates = [t for t in document["paths"] if "{" in t]
        templates.sort(key=lambda t: t.count("{"))
        self._templates = [(_template_pattern(t), t) for t in templates]

    def _route(self, template: str, method: str, operation: Mapping[str, Any]) -> Route:
        defaults: dict[str, Any] = {}
        for reference in operation.get("parameters", []):
            parameter = resolve(self.document, reference)
            schema = resolve(self.document, parameter.get("schema", {}))
            if parameter["in"] == "query" and "default" in schema:
                defaults[parameter["name"]] = schema["default"]
        return Route(
            operation_id=operation["operationId"],
            method=method,
            template=template,
            accepts_body="requestBody" in operation,
            query_defaults=defaults,
        )

    @property
    def operation_ids(self) -> frozenset[str]:
        """Every operationId the served spec defines."""
        return frozenset(route.operation_id for route in self._routes.values())

    def route(self, method: str, path: str) -> Route:
        """The operation for ``method path`` (see ``match``)."""
        return self.match(method, path)[0]

    def match(self, method: str, path: str) -> tuple[Route, dict[str, str]]:
        """The operation for ``method path``, and the path's variables; ApiError 404 (no such
        path) or 405 (no such method on it, with ``Allow``).

        The path is matched first, as OpenAPI says (a concrete path such as ``.../members/me``
        before a templated one), and only then the method: PATCH ``.../members/me`` is a 405,
        not an update of a member whose id is ``me``.
        """
        template, variables = self.find_template(path)
        if template is None:
            raise ApiError(ErrorKind.ROUTE_NOT_FOUND, f"no operation at {path}")
        route = self._routes.get((template, method.lower()))
        if route is None:
            allowed = [m.upper() for t, m in self._routes if t == template]
            raise ApiError(
                ErrorKind.METHOD_NOT_ALLOWED,
                f"{method} is not allowed on {path}; allowed: {', '.join(allowed)}",
                headers={"Allow": ", ".join(allowed)},
            )
        return route, variables

    def find_template(self, path: str) -> tuple[str | None, dict[str, str]]:
        """The path template ``path`` matches, as openapi-core matches it, and the values of
        its variables; (None, {}) when none does."""
        if path in self._concrete:
            return path, {}
        for (pattern, names), template in self._templates:
            found = pattern.fullmatch(path)
            if found is not None:
                return template, dict(zip(names, found.groups(), strict=True))
        return None, {}


def _template_pattern(template: str) -> tuple[re.Pattern[str], tuple[str, ...]]:
    """A template as a regular expression, and its variables' names in order."""
    parts = re.split(r"\{([^}]*)\}", template)
    body = "".join(
        re.escape(part) if index % 2 == 0 else "([^/]*)" for index, part in enumerate(parts)
    )
    return re.compile(body), tuple(parts[1::2])


@functools.cache
def served_spec() -> ServedSpec:
    """The served spec, built once per process (reading and checking it takes a moment)."""
    document = copy.deepcopy(load_api_document())
    # The spec names the real server; the emulator answers the same paths at its own origin.
    document["servers"] = [{"url": "/"}]
    document["paths"].update(copy.deepcopy(ADMIN_PATHS))
    return ServedSpec(document)
