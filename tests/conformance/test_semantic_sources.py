"""The semantic checks enforce only what the sources say: every sentence they cite is in the
seed documents word for word, and each check's docstring, failure message and README entry
quote it. The callbacks phase's checks too, but for the one document outside the seeds they may
cite, by name: Vonage's signed-webhooks page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from vonage_conversation_conformance.callbacks import CALLBACK_CHECKS
from vonage_conversation_conformance.semantic import CHECKS
from vonage_conversation_conformance.semantic._sources import (
    EXTERNAL_DOCUMENTS,
    SIGNED_WEBHOOKS,
    V02,
    V03,
    Source,
)

ROOT = Path(__file__).resolve().parents[2]
SEEDS = {
    V03: ROOT / "openapi" / "seeds" / "v0.3-reference-page.txt",
    V02: ROOT / "openapi" / "seeds" / "v0.2-scraped-yaml.txt",
}
EVERY_CHECK = {**CHECKS, **CALLBACK_CHECKS}
CITED = sorted(
    {source for check in EVERY_CHECK.values() for source in check.sources}, key=lambda s: s.text
)
FROM_SEEDS = [source for source in CITED if source.document not in EXTERNAL_DOCUMENTS]


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("source", FROM_SEEDS, ids=[source.text[:40] for source in FROM_SEEDS])
def test_every_cited_sentence_is_in_its_source_document(source: Source) -> None:
    document = SEEDS[source.document].read_text(encoding="utf-8")
    assert _words(source.text) in _words(document)


def test_the_only_document_cited_outside_the_seeds_is_the_signed_webhooks_page() -> None:
    outside = {source.document for source in CITED} - set(SEEDS)
    assert outside == {SIGNED_WEBHOOKS} == set(EXTERNAL_DOCUMENTS)
    assert EXTERNAL_DOCUMENTS[SIGNED_WEBHOOKS].startswith("https://developer.vonage.com/")
    cited = {
        check.name for check in EVERY_CHECK.values() for s in check.sources if s.document in outside
    }
    assert cited == {"callback_signature_verifies"}


@pytest.mark.parametrize("name", list(CALLBACK_CHECKS))
def test_each_callback_check_quotes_its_sentences_in_its_docstring(name: str) -> None:
    check = CALLBACK_CHECKS[name]
    assert check.sources
    for source in check.sources:
        assert source.quote() in (check.run.__doc__ or "")


@pytest.mark.parametrize("name", list(CHECKS))
def test_each_check_quotes_its_sentences_in_its_docstring_and_the_readme(name: str) -> None:
    check = CHECKS[name]
    assert check.sources
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    entry = readme.split(f"- `{name}` (", 1)[1].split("\n- `", 1)[0]
    for source in check.sources:
        assert source.text in (check.run.__doc__ or "")
        assert source.text in entry
