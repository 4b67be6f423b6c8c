"""Rebuild the merged spec and the generated client from openapi/sources/.

    python scripts/regenerate.py           normalise + merge, validate, generate, render the
                                           client's resources and response readers into
                                           overlay/vonage_conversation/_generated, format; write
                                           the client's sync twins from their async sources
                                           (spec_pipeline.unasync); render api.md, the
                                           client's reference (spec_pipeline.render_api)
    python scripts/regenerate.py --check   change nothing; exit 1 naming every file that a
                                           fresh run would write differently

Running it twice changes nothing: the output depends only on the sources, the rules in
scripts/spec_pipeline, its templates, generator-config.yaml, the pinned generator and
formatter, the client's fixes table (overlay/vonage_conversation/_fixes.py), the async
sources in overlay/vonage_conversation/_async, and (for api.md) the signatures and docstrings
of the client's hand-written helpers and exported functions.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

# The pipeline and the spec-access package it reads specs with, from this checkout (a copy of
# the repository regenerates with its own, not with the installed one).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "spec"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from spec_pipeline import unasync
from spec_pipeline.build import MERGED_SPEC, ROOT, RULES, render_spec
from spec_pipeline.client_model import ClientModelError
from spec_pipeline.docs import NORMALISATION_DOC, with_rules
from spec_pipeline.generate import (
    GENERATED,
    GenerationError,
    differing_files,
    generate,
    replace_tree,
)
from spec_pipeline.naming import NamingError
from spec_pipeline.oas import NormalisationError
from spec_pipeline.render_api import API_MD, render_api
from spec_pipeline.render_resources import CLIENT_GENERATED, RenderError, write_rendered
from spec_pipeline.yamlio import SpecSourceError, load_yaml


def _fresh_output(work: Path) -> tuple[str, Path, Path, str]:
    """Build the spec text, generate the package from it and render the client's modules, all
    under work; print what the rules decided on their own."""
    warnings: list[str] = []
    spec_text = render_spec(warnings)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    spec = work / MERGED_SPEC.name
    spec.write_text(spec_text, encoding="utf-8")
    package = work / GENERATED.name
    generate(spec, package)
    rendered = work / CLIENT_GENERATED.name
    document = load_yaml(spec)
    write_rendered(package, document, rendered)
    return spec_text, package, rendered, render_api(document)


def _fresh_doc() -> str:
    return with_rules(NORMALISATION_DOC.read_text(encoding="utf-8"), RULES)


def regenerate() -> None:
    with tempfile.TemporaryDirectory() as work:
        spec_text, package, rendered, api_text = _fresh_output(Path(work))
        doc_text = _fresh_doc()
        MERGED_SPEC.write_text(spec_text, encoding="utf-8")
        API_MD.write_text(api_text, encoding="utf-8")
        NORMALISATION_DOC.write_text(doc_text, encoding="utf-8")
        replace_tree(package, GENERATED)
        replace_tree(rendered, CLIENT_GENERATED)
    unasync.write()
    written = (MERGED_SPEC, NORMALISATION_DOC, GENERATED, CLIENT_GENERATED, unasync.TARGET, API_MD)
    print("wrote " + ", ".join(str(path.relative_to(ROOT)) for path in written))


def check() -> int:
    with tempfile.TemporaryDirectory() as work:
        spec_text, package, rendered, api_text = _fresh_output(Path(work))
        stale = []
        committed = MERGED_SPEC.read_text(encoding="utf-8") if MERGED_SPEC.exists() else None
        if committed != spec_text:
            stale.append(str(MERGED_SPEC.relative_to(ROOT)))
        if NORMALISATION_DOC.read_text(encoding="utf-8") != _fresh_doc():
            stale.append(str(NORMALISATION_DOC.relative_to(ROOT)))
        if not API_MD.is_file() or API_MD.read_text(encoding="utf-8") != api_text:
            stale.append(str(API_MD.relative_to(ROOT)))
        prefix = GENERATED.relative_to(ROOT)
        stale += [f"{prefix}/{name}" for name in differing_files(package, GENERATED)]
        prefix = CLIENT_GENERATED.relative_to(ROOT)
        stale += [f"{prefix}/{name}" for name in differing_files(rendered, CLIENT_GENERATED)]
        twins = unasync.TARGET.relative_to(ROOT)
        stale += [f"{twins}/{name}" for name in unasync.stale()]
    if stale:
        print("out of date (run `python scripts/regenerate.py`):", file=sys.stderr)
        for name in stale:
            print(f"  {name}", file=sys.stderr)
        return 1
    print(
        "up to date: the merged spec, NORMALISATION.md, generated/, the client's rendered "
        "modules, its sync twins and api.md match a fresh run"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    try:
        if args.check:
            return check()
        regenerate()
    except (
        SpecSourceError,
        NormalisationError,
        GenerationError,
        ClientModelError,
        NamingError,
        RenderError,
        unasync.UnasyncError,
    ) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
