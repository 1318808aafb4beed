"""Check a response body against the published OpenAPI schema (drf-spectacular's, generated in-process): the
documented schema of that path, method and status, with its $refs and OpenAPI's `nullable` read as JSON Schema."""
from functools import lru_cache

import jsonschema


def _json_schema(node):
    if isinstance(node, list):
        return [_json_schema(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {k: _json_schema(v) for k, v in node.items() if k not in ("nullable", "readOnly", "writeOnly", "example")}
    if node.get("nullable"):
        return {"anyOf": [out, {"type": "null"}]}
    return out


@lru_cache(maxsize=1)
def published() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


def documented(path: str, method: str, status: int) -> dict:
    """The response schema the reference publishes for `METHOD path` answering `status` (KeyError if none)."""
    operation = published()["paths"][path][method.lower()]
    return operation["responses"][str(status)]["content"]["application/json"]["schema"]


def assert_conforms(path: str, method: str, status: int, body) -> None:
    schema = published()
    root = {**_json_schema(documented(path, method, status)), "components": _json_schema(schema["components"])}
    jsonschema.Draft7Validator(root).validate(body)
