"""Rules that name what the sources leave unnamed: operations, bodies, shared parameters.

Names a person chose are data (openapi/tables.yaml: `operation-ids`, `parameters`); the rest is
derived by one documented rule each, with a warning naming what was derived. A derived name
that is taken stops the build: only there must a person choose.
"""

from __future__ import annotations

from .oas import (
    JSON,
    Location,
    Node,
    NormalisationError,
    get_in,
    operation_at,
    operations,
    ref_name,
    ref_to,
)
from .registry import Specs, rule
from .schema_ops import absorb, components, extract, resolve
from .spec_data import tables
from .words import pascal, singular

DERIVED_VERBS = {"post": "create", "put": "update", "patch": "update", "delete": "delete"}
REQUEST_BODY: Location = ("requestBody", "content", JSON, "schema")
TABLES = "openapi/tables.yaml"


def _is_page(document: Node, op: Node) -> bool:
    """Whether an operation answers with a page: a success body holding `_embedded` items."""
    for status, answer in op.get("responses", {}).items():
        schema = answer.get("content", {}).get(JSON, {}).get("schema")
        if not str(status).startswith("2") or not isinstance(schema, dict):
            continue
        if "_embedded" in resolve(document, schema).get("properties", {}):
            return True
    return False


def derived_operation_id(document: Node, method: str, path: str) -> str:
    """The operationId of an operation that has none: a verb, then the literal segments of its
    path after the version, each in PascalCase and singular where an id follows it (or where it
    is what a POST creates). The verb is `list` for a GET that answers with a page, `get` for
    any other GET, `create` for POST, `update` for PUT and PATCH, `delete` for DELETE.
    ``GET /v0.3/users/{user_id}`` -> ``getUser``; ``GET /v0.3/users/{user_id}/sessions`` ->
    ``listUserSessions``; ``POST /v0.3/conversations`` -> ``createConversation``."""
    segments = path.strip("/").split("/")[1:]  # the first names the version
    literals = [index for index, part in enumerate(segments) if not part.startswith("{")]
    nouns = []
    for index in literals:
        follows_id = index + 1 < len(segments) and segments[index + 1].startswith("{")
        created = method == "post" and index == literals[-1]
        nouns.append(
            pascal(singular(segments[index]) if follows_id or created else segments[index])
        )
    if method == "get":
        verb = "list" if _is_page(document, operation_at(document, method, path)) else "get"
    else:
        verb = DERIVED_VERBS.get(method, method)
    return verb + "".join(nouns)


@rule(
    "operation-ids",
    source="merged",
    fault="v0.3 operations have no operationId; v0.2's are kebab-case (`get-conversations`) and "
    "would clash with their v0.3 twins.",
    data=("operation-ids",),
)
def operation_ids(specs: Specs) -> None:
    """Give every operation an operationId: the one `operation-ids` names for it (clear
    camelCase ids; the v0.2 lists with v0.3 twins end in V02), else the one its source gives,
    else one derived from its method and path (see `derived_operation_id`; when that is taken,
    the path's version is added: `...V02`), with a warning naming it."""
    merged = specs.merged
    found = list(operations(merged))
    named = tables().operation_ids
    for path, method, op in found:
        if (method, path) in named:
            op["operationId"] = named[(method, path)]
    taken = {op["operationId"] for _, _, op in found if "operationId" in op}
    for path, method, op in found:
        if "operationId" in op:
            continue
        derived = derived_operation_id(merged, method, path)
        if derived in taken:
            derived += pascal(path.strip("/").split("/")[0])
        if derived in taken:
            raise NormalisationError(
                f"{method.upper()} {path} has no operationId and the one derived for it, "
                f"{derived!r}, is taken: add `{method.upper()} {path}: <operationId>` to "
                f"operation-ids in {TABLES}"
            )
        op["operationId"] = derived
        taken.add(derived)
        specs.warnings.append(
            f"{method.upper()} {path} has no operationId: derived {derived!r} (to choose "
            f"another, write one in the source or add it to operation-ids in {TABLES})"
        )
    present = {(method, path) for path, method, _ in found}
    for method, path in named:
        if (method, path) not in present:
            what = f"{method.upper()} {path}"
            specs.skip(f"operation-ids {what!r}", f"no operation {what}")
    # Bring each operation's id to the front, where a reader looks for it.
    for path, method, op in found:
        merged["paths"][path][method] = {"operationId": op.pop("operationId"), **op}


def _success_bodies(op: Node) -> list[tuple[str, Location]]:
    """Where an operation's request body and success response bodies are: (status, location
    below the operation); the request body's status is ``""``."""
    found: list[tuple[str, Location]] = []
    if JSON in op.get("requestBody", {}).get("content", {}):
        found.append(("", REQUEST_BODY))
    for status, answer in op.get("responses", {}).items():
        if str(status).startswith("2") and JSON in answer.get("content", {}):
            found.append((str(status), ("responses", status, "content", JSON, "schema")))
    return found


def _inline_page_items(document: Node, page: Node) -> list[Location]:
    """Locations (below the page schema) of a page's item schemas that are still inline."""
    embedded = resolve(document, page).get("properties", {}).get("_embedded")
    if not isinstance(embedded, dict) or ref_name(embedded) is not None:
        return []
    base: Location = ("properties", "_embedded", "properties")
    lists = embedded.get("properties", {})
    if set(lists) == {"data"} and ref_name(lists["data"]) is None:
        base, lists = (*base, "data", "properties"), lists["data"].get("properties", {})
    return [
        (*base, key, "items")
        for key, sub in lists.items()
        if isinstance(sub, dict)
        and isinstance(sub.get("items"), dict)
        and ref_name(sub["items"]) is None
        and sub["items"].get("type") == "object"
    ]


def _name_inline(specs: Specs, name: str, where: Location, what: str) -> str:
    if name in components(specs.merged):
        raise NormalisationError(
            f"{what}, and its derived name {name!r} is taken: name it by adding "
            f"it to bodies (or parts) in {TABLES}"
        )
    extract(specs.merged, name, where)
    specs.warnings.append(f"{what}: named it {name!r}")
    return name


@rule(
    "bodies-named",
    source="merged",
    fault="A request or response body written inline, that `shared-schemas` does not name (one "
    "of an operation added to a source), would be generated as an anonymous model "
    "(`GetUserResponse200`) that the client cannot look up by schema name.",
)
def bodies_named(specs: Specs) -> None:
    """Name every request body and success response body still inline: `<OperationId>Request`
    and `<OperationId>Response` (`getUser` answers a `GetUserResponse`; a second success status
    adds its number), and the inline items of a page `<Page>Item`, each with a warning naming
    it. Structurally equal copies elsewhere become $refs to the new schema."""
    merged = specs.merged
    for path, method, op in list(operations(merged)):
        base = pascal(op["operationId"])
        what = f"{method.upper()} {path}"
        for status, below in _success_bodies(op):
            where: Location = ("paths", path, method, *below)
            schema = get_in(merged, where)
            if ref_name(schema) is None:
                name = base + ("Request" if not status else "Response")
                if status and name in components(merged):
                    name += status
                kind = "request body" if not status else f"{status} response"
                _name_inline(specs, name, where, f"{what}: the {kind} was inline")
            if status:
                page = ref_name(get_in(merged, where))
                for items in _inline_page_items(merged, get_in(merged, where)):
                    item_name = f"{page}Item"
                    _name_inline(
                        specs,
                        item_name,
                        ("components", "schemas", str(page), *items),
                        f"{what}: the items of {page} were inline",
                    )
    merged["components"]["schemas"] = dict(sorted(components(merged).items()))


def _parameter_name(key: tuple[str, str], taken: set[str]) -> str:
    location, name = key
    for candidate in (pascal(name), pascal(name) + pascal(location)):
        if candidate not in taken:
            return candidate
    raise NormalisationError(
        f"the {location} parameter {name!r} needs a name: add `{location} {name}: <Name>` to "
        f"parameters in {TABLES}"
    )


@rule(
    "shared-parameters",
    source="merged",
    fault="Every operation spells out its own copy of the same parameters (v0.3), and v0.2's "
    "copies disagree with v0.3's (`order` lowercase only, `page_size` without a minimum).",
    data=("parameters",),
)
def shared_parameters(specs: Specs) -> None:
    """Define each parameter once in `components/parameters`, from its first v0.3 use; v0.2
    uses are folded into it (the v0.3 constraints win: `page_size` 1..100, `order` in either
    case). The `order` values become the named schema `SortOrder`. A parameter the `parameters`
    table does not name is shared under its name in PascalCase (`user_id` -> `UserId`; with its
    location added, `UserIdQuery`, if that is taken), with a warning naming it."""
    merged = specs.merged
    shared: Node = {}
    names = dict(tables().parameters)
    for path, method, op in operations(merged):
        refs = []
        for param in op.get("parameters", []):
            key = (param["in"], param["name"])
            if key not in names:
                names[key] = _parameter_name(key, set(names.values()))
                specs.warnings.append(
                    f"{method.upper()} {path}: the {key[0]} parameter {key[1]!r} is shared as "
                    f"{names[key]!r} (to name it otherwise, add `{key[0]} {key[1]}: <Name>` to "
                    f"parameters in {TABLES})"
                )
            name = names[key]
            if name in shared:
                absorb(merged, shared[name]["schema"], param["schema"], f"parameter {name}")
                if "example" in param:
                    shared[name].setdefault("example", param["example"])
            else:
                shared[name] = param
            refs.append({"$ref": f"#/components/parameters/{name}"})
        if refs:
            op["parameters"] = refs
    for key, name in tables().parameters.items():
        if name not in shared:
            specs.skip(f"parameters '{key[0]} {key[1]}'", "no operation takes it")
    components(merged)["SortOrder"] = shared["Order"]["schema"]
    shared["Order"]["schema"] = ref_to("SortOrder")
    merged["components"]["parameters"] = dict(sorted(shared.items()))
    merged["components"]["schemas"] = dict(sorted(components(merged).items()))
