"""The response readers are rendered at build time from the spec and the client's one fixes
table: each operation names its reader, each fix is rendered behind its trigger with its rule,
and the table is read from `_fixes.py` as the client itself holds it."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
from overlay_helpers import spec_document
from spec_pipeline.reader_plan import PlanError, read_fixes, response_schema_name
from spec_pipeline.words import snake
from vonage_conversation import _fixes
from vonage_conversation._generated import operations, readers
from vonage_conversation._operation import ListOperation, Operation


def test_the_fixes_table_read_at_build_time_is_the_client_s() -> None:
    """What the renderer read from `_fixes.py`'s source is the table the client holds."""
    found = read_fixes()
    assert {
        schema: [(fix.rule, fix.trigger, fix.function) for fix in fixes]
        for schema, fixes in found.objects.items()
    } == {
        schema: [(fix.rule, fix.trigger, fix.apply.__name__) for fix in fixes]
        for schema, fixes in _fixes.OBJECT_FIXES.items()
    }
    assert {key: (each.rule, each.function) for key, each in found.coercions.items()} == {
        key: (each.rule, each.read.__name__) for key, each in _fixes.VALUE_COERCIONS.items()
    }


def test_a_table_entry_the_renderer_cannot_read_is_a_clear_error(tmp_path: Path) -> None:
    source = Path(inspect.getfile(_fixes)).read_text(encoding="utf-8")
    edited = source.replace(
        'ObjectFix("legs-end-time", "start_end", fix_legs_end_time)',
        'ObjectFix("legs-end-time", trigger="start_end", apply=fix_legs_end_time)',
    )
    assert edited != source
    (tmp_path / "_fixes.py").write_text(edited, encoding="utf-8")
    with pytest.raises(PlanError, match=r"expected ObjectFix\(\.\.\.\) with literal names"):
        read_fixes(tmp_path / "_fixes.py")


@pytest.mark.parametrize(
    ("schema", "fix"),
    [(schema, fix) for schema, fixes in _fixes.OBJECT_FIXES.items() for fix in fixes],
    ids=lambda value: getattr(value, "rule", value),
)
def test_every_fix_is_rendered_behind_its_trigger_naming_its_rule(
    schema: str, fix: _fixes.ObjectFix
) -> None:
    reader = getattr(readers, f"read_{snake(schema)}")
    source = inspect.getsource(reader)
    test = f'    if "{fix.trigger}" in d:  # {fix.rule}\n'
    assert test + f"        {fix.apply.__name__}(d)\n" in source, source


def _spec_operations() -> dict[str, dict[str, object]]:
    return {
        op["operationId"]: op
        for item in spec_document()["paths"].values()
        for op in item.values()
        if isinstance(op, dict) and "operationId" in op
    }


def test_every_operation_names_the_reader_of_its_response_schema() -> None:
    """Chosen at render time: an operation's reader is its success schema's, a delete has none."""
    described = {
        each.operation_id: each
        for each in vars(operations).values()
        if isinstance(each, (Operation, ListOperation))
    }
    assert set(described) == set(_spec_operations())
    for operation_id, op in _spec_operations().items():
        schema = response_schema_name(op)
        read = described[operation_id].read
        if read is None:
            assert "delete" in operation_id.lower() or schema is None, operation_id
        else:
            assert schema is not None
            assert read is readers.MODEL_READERS[schema], operation_id
