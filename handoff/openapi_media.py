"""The media part of the OpenAPI document: the files listed with each thread message."""

from __future__ import annotations

from handoff.openapi_schemas import INT, STR, Schema, nullable, obj, ref

SCHEMAS: dict[str, Schema] = {
    "Media": obj(
        ["id", "url", "status", "kind"],
        id=STR,
        url={"type": "string", "description": "/handoff/media/{id}: the bytes, staff only"},
        status={"enum": ["pending", "stored", "failed"]},
        kind={"enum": ["image", "audio", "video", "file"]},
        mime=nullable("string"),
        name=STR,
        size=INT,
        size_label=STR,
        note_key={"type": "string", "description": "catalogue key of the note shown instead"},
        limit=STR,
    ),
}


def with_media(schemas: dict[str, Schema]) -> dict[str, Schema]:
    """The schemas, each thread message listing its files."""
    message = schemas["Message"]
    properties = {**message["properties"], "media": {"type": "array", "items": ref("Media")}}
    return {**schemas, **SCHEMAS, "Message": {**message, "properties": properties}}
