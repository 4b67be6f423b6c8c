"""Read the two seed documents as they are: the scraped v0.2 YAML and the v0.3 reference page.

Tests use these readers to hold the restored and transcribed sources to the seeds, so they
parse the seed text directly and share nothing with the code under test.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "openapi" / "seeds"
V02_SEED = SEEDS / "v0.2-scraped-yaml.txt"
V03_SEED = SEEDS / "v0.3-reference-page.txt"
# Where the project's inputs live beside a checkout; the copies above must equal them.
SHARED_SEEDS = {
    V03_SEED: ROOT.parent / "shared" / "seeds" / "000_26e4e76d74456089.txt",
    V02_SEED: ROOT.parent / "shared" / "seeds" / "001_88f9fee2e9847479.txt",
}


# ---------------------------------------------------------------- the v0.2 scraped YAML


def v02_seed_lines() -> list[str]:
    """The seed's lines from `openapi:` on (the page header above it is not part of the file)."""
    lines = V02_SEED.read_text(encoding="utf-8").splitlines()
    return lines[lines.index("openapi: 3.0.0") :]


_KEY_LINE = re.compile(r'^(?P<key>"[^"]*"|[A-Za-z0-9_$./{}-]+):(?: (?P<value>.*))?$')


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return text[1:-1]
    return text


def _flow_scalars(text: str) -> list[str]:
    """The scalars of a one-line flow mapping such as `{ "my": "Custom Data" }`."""
    inner = text.strip()[1:-1]
    scalars = []
    for pair in inner.split(","):
        key, value = pair.split(":", 1)
        scalars += [_unquote(key.strip()), _unquote(value.strip())]
    return scalars


def v02_seed_scalars() -> list[str]:
    """Every scalar of the seed (keys and values), in order, read from its flat lines.

    A line is `- ` items, then a `key:` with an optional value; a `key: |` value is the
    literal block made of the following lines that are not themselves keys.
    """
    scalars: list[str] = []
    lines = v02_seed_lines()
    index = 0
    while index < len(lines):
        line = lines[index].strip()
        index += 1
        while line.startswith("- "):
            line = line[2:]
        match = _KEY_LINE.match(line)
        if match is None:
            scalars.append(_unquote(line))
            continue
        scalars.append(_unquote(match["key"]))
        value = match["value"]
        if value is None:
            continue
        if value == "|":
            block = []
            while index < len(lines) and not _KEY_LINE.match(lines[index].strip().lstrip("- ")):
                block.append(lines[index].strip())
                index += 1
            scalars.append("\n".join(block) + "\n")
        elif value.startswith("{"):
            scalars += _flow_scalars(value)
        else:
            scalars.append(_unquote(value))
    return scalars


# ---------------------------------------------------------------- the v0.3 reference page

METHOD_LINE = re.compile(r"^(get|post|put|patch|delete)https://api\.nexmo\.com/v0\.3(/\S*)$")
TYPE_LINE = re.compile(r"^(?:(string|number|integer|boolean|object|array)(?:\((\w+)\))?|Uno de)$")
NAME_LINE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
ATTRIBUTES = (("Requerido", "required"), ("Min", "min"), ("Max", "max"))


@dataclass
class PageField:
    """One field as the page lists it: the tree is flattened, in document order."""

    name: str
    type: str  # "string", "string(uri)", "Uno de", ...
    required: bool = False
    min: str | None = None
    max: str | None = None
    default: str | None = None
    example: str | None = None
    enum: str | None = None  # the page glues the values together: "ascdescASCDESC"
    description: str = ""


@dataclass
class PageOperation:
    """One operation of the page, with its fields, examples and texts."""

    method: str
    path: str  # with `{name}` parameters, as OpenAPI writes them
    title_lines: list[str]  # the two lines before the method line: [title?, description?]
    path_params: list[PageField] = field(default_factory=list)
    query_params: list[PageField] = field(default_factory=list)
    request_fields: list[PageField] = field(default_factory=list)
    request_example: Any = None
    response_description: str = ""
    response_fields: list[PageField] = field(default_factory=list)
    response_example: Any = None


def _fields(lines: list[str]) -> list[PageField]:
    """Parse a flattened field list: name, type, attributes, description, enum."""
    fields: list[PageField] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        starts_field = (
            NAME_LINE.match(line) and index + 1 < len(lines) and TYPE_LINE.match(lines[index + 1])
        )
        if starts_field:
            fields.append(PageField(name=line, type=lines[index + 1]))
            index += 2
            continue
        if not fields:
            raise ValueError(f"text before the first field: {line!r}")
        current = fields[-1]
        for label, attribute in ATTRIBUTES:
            if line.startswith(label) and (label == "Requerido") == (line == label):
                setattr(current, attribute, True if label == "Requerido" else line[len(label) :])
                break
        else:
            if line.startswith("Por defecto"):
                current.default = line[len("Por defecto") :]
            elif line.startswith("ejemplo"):
                current.example = line[len("ejemplo") :]
            elif line.startswith("Debe ser uno de:"):
                current.enum = line[len("Debe ser uno de:") :]
            else:
                current.description = " ".join(filter(None, [current.description, line]))
        index += 1
    return fields


def _json_after(text: str, label: str) -> Any:
    start = text.index(label) + len(label)
    brace = text.index("{", start)
    value, _ = json.JSONDecoder().raw_decode(text[brace:])
    return value


def _between(lines: list[str], start: str, stops: tuple[str, ...]) -> list[str]:
    if start not in lines:
        return []
    body = lines[lines.index(start) + 1 :]
    for index, line in enumerate(body):
        if line in stops:
            return body[:index]
    return body


SECTION_LABELS = (
    "Ruta Parámetros",
    "Consulta Parámetros",
    "Cuerpo de la solicitud",
    "Ejemplo Solicitar",
    "Respuestas",
    "Ejemplo Respuesta",
)


def v03_page_operations() -> list[PageOperation]:
    """The 18 operations of the page, each parsed from its method line to the next one."""
    raw = V03_SEED.read_text(encoding="utf-8").splitlines()
    starts = [index for index, line in enumerate(raw) if METHOD_LINE.match(line)]
    operations = []
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(raw)
        match = METHOD_LINE.match(raw[start])
        assert match is not None
        path = re.sub(r":(\w+)", r"{\1}", match[2])
        before = [line for line in raw[max(0, start - 6) : start] if line.strip()][-2:]
        section = raw[start:end]
        text = "\n".join(section)
        lines = [line for line in section if line.strip()]
        op = PageOperation(method=match[1], path=path, title_lines=before)
        op.path_params = _fields(_between(lines, "Ruta Parámetros", SECTION_LABELS))
        op.query_params = _fields(_between(lines, "Consulta Parámetros", SECTION_LABELS))
        body = _between(lines, "Cuerpo de la solicitud", SECTION_LABELS)
        if body:
            op.request_fields = _fields(body[2:])  # after "Tipo de contenido", the media type
            op.request_example = _json_after(text, "Ejemplo Solicitar")
        responses = _between(lines, "Respuestas", ("Ejemplo Respuesta",))
        if responses[:2] == ["Tipo de contenido", "application/json"]:
            op.response_description = responses[2]
            op.response_fields = _fields(responses[3:])
            op.response_example = _json_after(text, "Ejemplo Respuesta")
        else:  # no content: the lines after the description belong to what follows
            op.response_description = responses[0]
        operations.append(op)
    return operations
