"""The restored v0.2 source is the scraped seed with its structure back, and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from seed_documents import SHARED_SEEDS, V02_SEED, v02_seed_lines, v02_seed_scalars
from spec_pipeline.build import V02_SOURCE
from spec_pipeline.yamlio import SpecSourceError, load_yaml


def _scalars_in_document_order(path: Path) -> list[str]:
    """Every key and value scalar of a YAML file, as written, in document order."""
    scalars: list[str] = []

    def visit(node: yaml.Node) -> None:
        if isinstance(node, yaml.ScalarNode):
            scalars.append(node.value)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                visit(item)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                visit(key)
                visit(value)

    visit(yaml.compose(path.read_text(encoding="utf-8"), Loader=yaml.SafeLoader))
    return scalars


def test_every_line_of_the_seed_is_kept_in_order_and_only_indentation_added() -> None:
    restored = V02_SOURCE.read_text(encoding="utf-8").splitlines()
    assert [line.strip() for line in restored] == [line.strip() for line in v02_seed_lines()]


def test_every_scalar_of_the_seed_loads_in_the_same_order_and_nothing_else() -> None:
    assert _scalars_in_document_order(V02_SOURCE) == v02_seed_scalars()


def test_the_page_header_above_openapi_is_the_only_thing_dropped() -> None:
    seed = V02_SEED.read_text(encoding="utf-8").splitlines()
    header = seed[: seed.index("openapi: 3.0.0")]
    assert "Skip to content" in header
    restored = {line.strip() for line in V02_SOURCE.read_text(encoding="utf-8").splitlines()}
    assert not restored & {line.strip() for line in header}


def test_multi_line_descriptions_are_literal_blocks() -> None:
    document = load_yaml(V02_SOURCE)
    description = document["paths"]["/conversations"]["get"]["description"]
    assert description.splitlines()[-1].startswith("[GET /conversations/:id]")
    assert document["components"]["parameters"]["cursor"]["description"].count("\n") == 2


def test_keys_sit_at_their_depth() -> None:
    """Spot checks where a wrong depth would still be valid YAML (the validator tests the rest)."""
    document = load_yaml(V02_SOURCE)
    page = document["paths"]["/conversations"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]["schema"]["properties"]
    assert set(page) == {"page_size", "cursor", "_embedded", "_links"}
    assert set(document["components"]["schemas"]["member"]["allOf"][1]["properties"]) == {
        "timestamp",
        "channel",
        "initiator",
        "media",
    }
    assert document["info"]["x-label"] == "Beta"
    assert document["components"]["parameters"]["start_id_parameter"]["example"] == 13


def test_loading_refuses_a_key_given_twice(tmp_path: Path) -> None:
    twice = tmp_path / "twice.yaml"
    twice.write_text("paths:\n  /a: {}\n  /a: {}\n", encoding="utf-8")
    with pytest.raises(SpecSourceError, match=r"twice.yaml:3:3: duplicate key '/a'"):
        load_yaml(twice)


def test_loading_a_missing_or_broken_file_says_which(tmp_path: Path) -> None:
    with pytest.raises(SpecSourceError, match="cannot read"):
        load_yaml(tmp_path / "absent.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("a: [1, 2\n", encoding="utf-8")
    with pytest.raises(SpecSourceError, match=r"broken\.yaml: not valid YAML"):
        load_yaml(broken)


def test_aliases_load_as_independent_copies(tmp_path: Path) -> None:
    aliased = tmp_path / "aliased.yaml"
    aliased.write_text("a: &x {k: 1}\nb: *x\n", encoding="utf-8")
    document = load_yaml(aliased)
    document["a"]["k"] = 2
    assert document["b"] == {"k": 1}


@pytest.mark.parametrize("copy", sorted(SHARED_SEEDS), ids=lambda path: path.name)
def test_the_committed_seed_copies_equal_the_shared_seeds(copy: Path) -> None:
    shared = SHARED_SEEDS[copy]
    if not shared.exists():
        pytest.skip(f"{shared} is not beside this checkout (a fresh clone alone)")
    assert copy.read_bytes() == shared.read_bytes()
