"""Read an OpenAPI 3.0 document: resolve its `$ref`s, walk it, list its operations.

One module for every package that reads the Conversation API spec (the pipeline that builds it,
the client's renderer, the emulator, conformance, the tests), so that "an operation", "its
parameters" and "its success response" mean the same thing everywhere. Standard library only;
it works on a document already loaded into dicts and lists.
"""

from __future__ import annotations

from .access import (
    HTTP_METHODS,
    JSON,
    Location,
    Node,
    Operation,
    Readable,
    SpecLookupError,
    find_operation,
    format_location,
    get_in,
    load_json,
    mappings,
    operation_at,
    operation_items,
    operations,
    parameter_objects,
    ref_location,
    ref_name,
    ref_to,
    resolve,
    schema_children,
    schemas,
    success_response,
)

__all__ = [
    "HTTP_METHODS",
    "JSON",
    "Location",
    "Node",
    "Operation",
    "Readable",
    "SpecLookupError",
    "find_operation",
    "format_location",
    "get_in",
    "load_json",
    "mappings",
    "operation_at",
    "operation_items",
    "operations",
    "parameter_objects",
    "ref_location",
    "ref_name",
    "ref_to",
    "resolve",
    "schema_children",
    "schemas",
    "success_response",
]
