"""Support for `test_client_properties.py`: the client's requests, as openapi-core reads them,
checked against the shipped spec.

(A module of its own, not a conftest.py, with a name no other test folder uses.)
"""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass
from urllib.parse import parse_qsl

import httpx
from client_properties_support import load_spec
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict


@functools.cache
def openapi() -> OpenAPI:
    """openapi-core over the shipped spec, unchanged (its server is the client's default)."""
    return OpenAPI.from_dict(copy.deepcopy(load_spec()))


@dataclass
class CoreRequest:
    """An httpx request in the shape openapi-core's request protocol reads."""

    host_url: str
    path: str
    method: str
    parameters: RequestParameters
    body: bytes | None
    content_type: str


def core_request(request: httpx.Request) -> CoreRequest:
    """`request` (already read) for openapi-core: its query as a multi-dict, its headers, its
    body bytes, and its origin, which must be the spec's server for the path to match."""
    query = parse_qsl(request.url.query.decode("ascii"), keep_blank_values=True)
    return CoreRequest(
        host_url=f"{request.url.scheme}://{request.url.netloc.decode('ascii')}",
        path=request.url.path,
        method=request.method.lower(),
        parameters=RequestParameters(
            query=ImmutableMultiDict(query), header=Headers(list(request.headers.multi_items()))
        ),
        body=request.content or None,
        content_type=request.headers.get("content-type", ""),
    )


def request_errors(request: httpx.Request) -> list[str]:
    """What openapi-core finds wrong with `request` against the spec (nothing when it conforms),
    each error with the schema errors under it."""
    found = []
    for error in openapi().iter_request_errors(core_request(request)):
        cause = error.__cause__
        reasons = [str(e.message) for e in getattr(cause, "schema_errors", ())]
        found.append(f"{type(error).__name__}: {error}" + "".join(f"; {r}" for r in reasons))
    return found
