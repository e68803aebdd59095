"""The bot texts' part of the OpenAPI document: paths and the TextEntry schema."""

from __future__ import annotations

from collections.abc import Callable

from handoff.openapi_schemas import INT, NUM, STR, Schema, nullable, obj, ref

_KEY = {
    "name": "key",
    "in": "path",
    "required": True,
    "description": "A catalogue key, section and name, e.g. welcome.text",
    "schema": {"type": "string", "pattern": "^[a-z0-9_]{1,64}\\.[a-z0-9_]{1,64}$"},
}
_ARRAY = {"type": "array"}
_SUMMARY = obj(
    ["key", "text", "edited", "button"],
    key=STR,
    text=STR,
    edited={"type": "boolean"},
    button={"type": "boolean"},
)
_VERSION = obj(
    ["version", "text", "is_default", "author_id", "author", "created_at"],
    version=INT,
    text=nullable("string"),
    is_default={"type": "boolean"},
    author_id=nullable("integer"),
    author=STR,
    created_at=NUM,
)
_PREVIEW = {
    "type": "object",
    "required": ["kind"],
    "description": "kind team: `text`; kind youth: `messenger` (parts, buttons, cut), "
    "`instagram_parts`, `telegram` (parts, keyboard rows), `web` (parts, buttons)",
    "properties": {"kind": {"enum": ["team", "youth"]}},
}

_REFUSED = {
    "description": "Refused: `error` is the first reason, `problems` every one (a refused text), in French",
    "content": {
        "application/json": {
            "schema": obj(["error"], error=STR, problems=_ARRAY | {"items": STR, "minItems": 1})
        }
    },
}

SCHEMAS: dict[str, Schema] = {
    "TextEntry": {
        "allOf": [
            _SUMMARY,
            obj(
                ["default", "placeholders", "limit", "history", "preview"],
                default=STR,
                placeholders=_ARRAY | {"items": STR},
                limit=INT,
                history=_ARRAY | {"items": _VERSION},
                preview=_PREVIEW,
            ),
        ]
    },
}


def paths(make: Callable[..., Schema]) -> Schema:
    """The /api/texts routes, built with `make` (the document's own operation helper)."""
    one = obj(["text"], text=ref("TextEntry"))
    sections = obj(
        ["sections"],
        sections=_ARRAY
        | {"items": obj(["section", "entries"], section=STR, entries=_ARRAY | {"items": _SUMMARY})},
    )
    query = {
        "name": "q",
        "in": "query",
        "required": False,
        "schema": {"type": "string", "maxLength": 100},
        "description": "Words found in the key, the live text or the file's text",
    }
    refused = "422: refused, with `problems`, every reason in French"
    put = make(
        f"Save a new version, live on every instance at once (coordinator). {refused}",
        auth="csrf",
        body=obj(["text"], text=STR),
        ok=(200, one),
        errors=(404,),
        params=[_KEY],
    )
    rollback = make(
        f"Bring back an earlier version (0: the file's text), saved as a new one (coordinator). "
        f"{refused}",
        auth="csrf",
        body=obj(["version"], version={"type": "integer", "minimum": 0}),
        ok=(200, one),
        errors=(404,),
        params=[_KEY],
    )
    for op in (put, rollback):
        op["responses"]["422"] = _REFUSED
    return {
        "/api/texts": {
            "get": make(
                "The editable bot texts by section, live (coordinator)",
                ok=(200, sections),
                errors=(403, 422),
                params=[query],
            )
        },
        "/api/texts/{key}": {
            "get": make(
                "One text: live, file default, placeholders, history, preview (coordinator)",
                ok=(200, one),
                errors=(403, 404),
                params=[_KEY],
            ),
            "put": put,
        },
        "/api/texts/{key}/preview": {
            "post": make(
                "How a text would look on each channel, and why it would be refused; not saved",
                auth="csrf",
                body=obj(["text"], text=STR),
                ok=(
                    200,
                    obj(
                        ["problems", "preview"], problems=_ARRAY | {"items": STR}, preview=_PREVIEW
                    ),
                ),
                errors=(404,),
                params=[_KEY],
            )
        },
        "/api/texts/{key}/rollback": {"post": rollback},
    }
