"""The semantic checks enforce only what the sources say: every sentence they cite from the
API's documents is in the seed documents word for word, one from a standard (the token rules'
RFCs, of which the seeds hold no copy) names its section, and each check's docstring, failure
message and README entry quote it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from vonage_conversation_conformance.semantic import CHECKS
from vonage_conversation_conformance.semantic._sources import STANDARDS, V02, V03, Source

ROOT = Path(__file__).resolve().parents[2]
SEEDS = {
    V03: ROOT / "openapi" / "seeds" / "v0.3-reference-page.txt",
    V02: ROOT / "openapi" / "seeds" / "v0.2-scraped-yaml.txt",
}
EVERY = sorted(
    {source for check in CHECKS.values() for source in check.sources}, key=lambda s: s.text
)
CITED = [source for source in EVERY if source.document not in STANDARDS]
STANDARD = [source for source in EVERY if source.document in STANDARDS]


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("source", CITED, ids=[source.text[:40] for source in CITED])
def test_every_cited_sentence_is_in_its_source_document(source: Source) -> None:
    document = SEEDS[source.document].read_text(encoding="utf-8")
    assert _words(source.text) in _words(document)


@pytest.mark.parametrize("source", STANDARD, ids=[source.text[:40] for source in STANDARD])
def test_every_sentence_of_a_standard_names_its_section(source: Source) -> None:
    assert re.fullmatch(r"RFC \d{4}", source.document)
    assert re.match(r"section \d+(\.\d+)*\b", source.where)


def test_the_documents_cited_are_the_seeds_or_the_standards() -> None:
    assert {source.document for source in EVERY} <= {*SEEDS, *STANDARDS}
    assert STANDARD  # the token rules cite them


@pytest.mark.parametrize("name", list(CHECKS))
def test_each_check_quotes_its_sentences_in_its_docstring_and_the_readme(name: str) -> None:
    check = CHECKS[name]
    assert check.sources
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    entry = readme.split(f"- `{name}` (", 1)[1].split("\n- `", 1)[0]
    for source in check.sources:
        assert source.text in (check.run.__doc__ or "")
        assert source.text in entry
