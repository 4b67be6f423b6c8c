"""The callbacks phase's checks cite only what their sources say: every sentence from the v0.3
page is in the seed document word for word; the one document outside the seeds they may cite
is named, with its address, and only the signature check cites it; each check's docstring
quotes its sentences."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from vonage_conversation_conformance.callbacks import CALLBACK_CHECKS
from vonage_conversation_conformance.callbacks._sources import EXTERNAL_DOCUMENTS, SIGNED_WEBHOOKS
from vonage_conversation_conformance.semantic._sources import V03, Source

SEED = Path(__file__).resolve().parents[2] / "openapi" / "seeds" / "v0.3-reference-page.txt"
CITED = sorted(
    {source for check in CALLBACK_CHECKS.values() for source in check.sources},
    key=lambda s: s.text,
)
FROM_SEEDS = [source for source in CITED if source.document not in EXTERNAL_DOCUMENTS]


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize("source", FROM_SEEDS, ids=[source.text[:40] for source in FROM_SEEDS])
def test_every_sentence_from_the_v03_page_is_in_the_seed(source: Source) -> None:
    assert source.document == V03
    assert _words(source.text) in _words(SEED.read_text(encoding="utf-8"))


def test_the_only_document_cited_outside_the_seeds_is_the_signed_webhooks_page() -> None:
    outside = {source.document for source in CITED} - {V03}
    assert outside == {SIGNED_WEBHOOKS} == set(EXTERNAL_DOCUMENTS)
    address = EXTERNAL_DOCUMENTS[SIGNED_WEBHOOKS]
    assert address.startswith("https://developer.vonage.com/")
    citing = {
        check.name
        for check in CALLBACK_CHECKS.values()
        for source in check.sources
        if source.document == SIGNED_WEBHOOKS
    }
    assert citing == {"callback_signature_verifies"}
    assert all(address in s.where for s in CITED if s.document == SIGNED_WEBHOOKS)


@pytest.mark.parametrize("name", list(CALLBACK_CHECKS))
def test_each_callback_check_quotes_its_sentences_in_its_docstring(name: str) -> None:
    check = CALLBACK_CHECKS[name]
    assert check.sources
    for source in check.sources:
        assert source.quote() in (check.run.__doc__ or "")


@pytest.mark.parametrize("name", list(CALLBACK_CHECKS))
def test_each_callback_check_is_in_the_readme_with_its_sentences(name: str) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    phase = readme.split("### The callbacks phase", 1)[1].split("\n## ", 1)[0]
    entry = phase.split(f"- `{name}`:", 1)[1].split("\n- `", 1)[0]
    for source in CALLBACK_CHECKS[name].sources:
        assert _words(source.text) in _words(entry)
