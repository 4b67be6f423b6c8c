"""The generated package imports, and offers the four call styles for every operation."""

from __future__ import annotations

import importlib
import pkgutil
import re
import subprocess
import sys
from importlib import resources
from typing import get_args

import vonage_conversation_api
import yaml
from spec_pipeline.build import MERGED_SPEC
from spec_pipeline.oas import operations
from vonage_conversation_api import api, models
from vonage_conversation_api.models.sort_order import SortOrder

SPEC = yaml.safe_load(MERGED_SPEC.read_text(encoding="utf-8"))
CALL_STYLES = ("sync", "sync_detailed", "asyncio", "asyncio_detailed")


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower().replace("v02", "_v02").replace("__", "_")


def _operation_modules() -> dict[str, object]:
    found = {}
    for tag in pkgutil.iter_modules(api.__path__):
        package = importlib.import_module(f"{api.__name__}.{tag.name}")
        for module in pkgutil.iter_modules(package.__path__):
            found[module.name] = importlib.import_module(f"{package.__name__}.{module.name}")
    return found


def test_every_operation_has_a_module_with_the_four_call_styles() -> None:
    modules = _operation_modules()
    expected = {_snake(op["operationId"]) for _, _, op in operations(SPEC)}
    assert set(modules) == expected
    for name, module in modules.items():
        missing = [style for style in CALL_STYLES if not callable(getattr(module, style, None))]
        assert missing == [], name


def test_every_named_schema_is_a_model() -> None:
    schemas = SPEC["components"]["schemas"]
    # Enums become Literal types and unions of kinds become type unions, not classes.
    plain = {
        name for name, schema in schemas.items() if "enum" not in schema and "anyOf" not in schema
    }
    for name in schemas:
        if name in plain:
            model = getattr(models, name)
            assert callable(model.from_dict) and callable(model.to_dict), name


def test_sort_order_keeps_both_cases() -> None:
    assert set(get_args(SortOrder)) == {"asc", "desc", "ASC", "DESC"}


def test_package_is_typed() -> None:
    assert (resources.files(vonage_conversation_api) / "py.typed").is_file()


def test_package_ships_the_spec_it_was_generated_from() -> None:
    shipped = (resources.files(vonage_conversation_api) / "openapi.yaml").read_text(
        encoding="utf-8"
    )
    assert shipped == MERGED_SPEC.read_text(encoding="utf-8")


def test_clients_are_exported() -> None:
    client = vonage_conversation_api.AuthenticatedClient(
        base_url="https://api.nexmo.com", token="t"
    )
    assert client.get_httpx_client().base_url.host == "api.nexmo.com"


def test_the_package_imports_alone_in_a_fresh_interpreter() -> None:
    """The generated package stands on its own: importing it (every model and operation
    module) imports nothing of the client package, which is built on it."""
    script = (
        "import sys, pkgutil, importlib, vonage_conversation_api as g\n"
        "for m in pkgutil.walk_packages(g.__path__, g.__name__ + '.'):\n"
        "    importlib.import_module(m.name)\n"
        "print(sorted(n for n in sys.modules if n.split('.')[0] == 'vonage_conversation'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
