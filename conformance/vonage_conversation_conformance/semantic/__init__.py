"""Semantic conformance: the API's own rules, as its sources state them in words, checked on a
server after the schemathesis phases, with the same target, credentials, report and verdict.

Schemathesis checks what a schema can say (types, statuses, required fields); a server can pass
all of it with a cursor that is ignored or events in the wrong order. Each check here quotes the
sentence of the sources it enforces (`_sources`), in its docstring and its failure message.
"""

from .._api import Api
from . import checks_paging, checks_readback, checks_resources, checks_stateful, checks_tokens  # noqa: F401 - each module registers its checks
from ._registry import CHECKS, SemanticCheck
from ._run import PHASE, run_semantic

# Every semantic check's name, in the order they run.
SEMANTIC_CHECKS = tuple(CHECKS)

__all__ = ["CHECKS", "PHASE", "SEMANTIC_CHECKS", "Api", "SemanticCheck", "run_semantic"]
