"""What the rule tests share: the sources, the merged spec, and small ways to look into them."""

from __future__ import annotations

from typing import Any

from openapi_schema_validator import OAS30Validator
from spec_pipeline.build import MERGED_SPEC, V02_SOURCE, V03_SOURCE
from spec_pipeline.yamlio import load_yaml
from vonage_conversation_spec import find_operation

JSON = "application/json"
V03 = load_yaml(V03_SOURCE)
V02 = load_yaml(V02_SOURCE)
MERGED = load_yaml(MERGED_SPEC)
SCHEMAS = MERGED["components"]["schemas"]
PARAMETERS = MERGED["components"]["parameters"]


def op(operation_id: str) -> dict[str, Any]:
    return find_operation(MERGED, operation_id).node


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def body_schema(operation_id: str, status: str | None = None) -> Any:
    holder = (
        op(operation_id)["requestBody"] if status is None else op(operation_id)["responses"][status]
    )
    return holder["content"]["application/json"]["schema"]


def example(operation_id: str, status: str) -> Any:
    return op(operation_id)["responses"][status]["content"]["application/json"]["example"]


def v03_op(method: str, path: str) -> dict[str, Any]:
    return dict(V03["paths"][path][method])


def v03_response(method: str, path: str) -> dict[str, Any]:
    (found,) = v03_op(method, path)["responses"].values()
    return dict(found["content"]["application/json"])


def values(node: Any) -> list[Any]:
    """Every value anywhere in a document, depth first."""
    if isinstance(node, dict):
        return [node, *(item for value in node.values() for item in values(value))]
    if isinstance(node, list):
        return [node, *(item for value in node for item in values(value))]
    return [node]


def validator(name: str) -> OAS30Validator:
    return OAS30Validator({**SCHEMAS[name], "components": MERGED["components"]})
