"""Read the source documents strictly and write the merged spec in one stable form."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class SpecSourceError(ValueError):
    """A source document cannot be read as the YAML its author meant."""


class _StrictLoader(yaml.SafeLoader):
    """A safe loader that refuses a mapping with the same key twice.

    PyYAML keeps the last of two equal keys without a word; in a restored document that is
    exactly the mistake (a key put at the wrong depth) we most need to hear about.
    """


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    mapping: dict[Any, Any] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            mark = key_node.start_mark
            raise SpecSourceError(
                f"{mark.name}:{mark.line + 1}:{mark.column + 1}: duplicate key {key!r}"
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
    return mapping


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


def unshare(node: Any) -> Any:
    """Copy a loaded document so that no two places share one object.

    YAML anchors load as shared objects; a rule that edits one place must not edit its aliases.
    """
    if isinstance(node, dict):
        return {key: unshare(value) for key, value in node.items()}
    if isinstance(node, list):
        return [unshare(item) for item in node]
    return node


def load_yaml(path: Path) -> Any:
    """Load one YAML document, refusing duplicate keys, with every alias expanded to a copy."""
    try:
        with path.open(encoding="utf-8") as stream:  # a named stream: errors name the file
            return unshare(yaml.load(stream, Loader=_StrictLoader))
    except OSError as error:
        raise SpecSourceError(f"{path}: cannot read: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise SpecSourceError(f"{path}: not valid YAML: {error}") from error


class _StableDumper(yaml.SafeDumper):
    """Block style everywhere, literal blocks for multi-line text, never anchors."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: _StableDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_StableDumper.add_representer(str, _represent_str)


def dump_yaml(document: Any) -> str:
    """Serialise a document the same way every time: key order kept, no line wrapping."""
    return yaml.dump(
        document,
        Dumper=_StableDumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=10_000,
    )
