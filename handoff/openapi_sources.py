"""The sources' part of the OpenAPI document: paths and the Source schema."""

from __future__ import annotations

from collections.abc import Callable

from bot.store.roles_sources import SOURCE_KINDS
from handoff.openapi_schemas import NUM, STR, Schema, nullable, obj, ref, text
from handoff.sources import COMMUNE_MAX, CONTACT_MAX, LABEL_MAX

_CODE = {
    "name": "id",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"},
}
_LINKS = {
    "type": "object",
    "description": "Deep links per channel; a channel without its account setting is absent",
    "required": ["web"],
    "properties": {k: STR for k in ("telegram", "messenger", "instagram", "web")},
}

SCHEMAS: dict[str, Schema] = {
    "Source": obj(
        ["code", "label", "kind", "commune", "contact", "archived", "created_at", "links"],
        code=STR,
        label=STR,
        kind={"enum": list(SOURCE_KINDS)},
        commune=STR,
        contact=nullable("string"),
        archived={"type": "boolean"},
        created_at=NUM,
        links=_LINKS,
    ),
}


def paths(make: Callable[..., Schema]) -> Schema:
    """The /api/sources routes, built with `make` (the document's own operation helper)."""
    one = obj(["source"], source=ref("Source"))
    new = obj(
        ["label", "kind", "commune"],
        label=text(LABEL_MAX),
        kind={"enum": list(SOURCE_KINDS)},
        commune=text(COMMUNE_MAX),
        contact=nullable("string", maxLength=CONTACT_MAX),
    )
    archived = {
        "name": "archived",
        "in": "query",
        "required": False,
        "schema": {"enum": ["true", "false"]},
        "description": "false: only the active sources",
    }
    return {
        "/api/sources": {
            "get": make(
                "Sources with their codes and links (coordinator)",
                ok=(200, obj(["sources"], sources={"type": "array", "items": ref("Source")})),
                errors=(403, 422),
                params=[archived],
            ),
            "post": make(
                "Create a source; it gets a short code and its links (coordinator)",
                auth="csrf",
                body=new,
                ok=(201, one),
            ),
        },
        "/api/sources/{id}/archive": {
            "post": make(
                "Archive a source; its figures stay (coordinator)",
                auth="csrf",
                ok=(200, one),
                errors=(404,),
                params=[_CODE],
            )
        },
    }
