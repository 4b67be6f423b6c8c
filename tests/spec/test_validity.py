"""Both sources and the merged spec are valid OpenAPI 3.0."""

from __future__ import annotations

import pytest
import yaml
from spec_pipeline.build import MERGED_SPEC, V02_SOURCE, V03_SOURCE, build_spec, check_valid
from spec_pipeline.oas import NormalisationError
from spec_pipeline.yamlio import load_yaml


@pytest.mark.parametrize("path", [V02_SOURCE, V03_SOURCE, MERGED_SPEC], ids=lambda p: p.name)
def test_document_is_valid_openapi(path) -> None:  # type: ignore[no-untyped-def]
    check_valid(load_yaml(path), path.name)


def test_the_committed_merged_spec_is_what_the_sources_build() -> None:
    assert yaml.safe_load(MERGED_SPEC.read_text(encoding="utf-8")) == build_spec()


def test_an_invalid_document_is_reported_in_one_line() -> None:
    with pytest.raises(NormalisationError, match=r"not valid OpenAPI: .* at /"):
        check_valid({"openapi": "3.0.3", "info": {}, "paths": {}}, "broken")
