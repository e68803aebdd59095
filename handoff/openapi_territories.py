"""The structures' part of the OpenAPI document: paths and the Structure schema."""

from __future__ import annotations

from collections.abc import Callable

from bot.store.roles_territories import AREA_KINDS
from handoff.openapi_schemas import INT, NUM, STR, Schema, obj, ref, text
from handoff.territories import AREA_MAX, AREAS_MAX, CONTACT_MAX, ID_PATTERN, NAME_MAX


def _path(name: str, schema: Schema) -> Schema:
    return {"name": name, "in": "path", "required": True, "schema": schema}


_ID = _path("id", {"type": "string", "pattern": ID_PATTERN.pattern})
_AREAS = {"type": "array", "maxItems": AREAS_MAX, "items": text(AREA_MAX)}

SCHEMAS: dict[str, Schema] = {
    "Structure": obj(
        ["id", "name", "contact", "communes", "epcis", "members", "default_to_check"],
        id=STR,
        name=STR,
        contact=STR,
        communes={"type": "array", "items": obj(["code", "name"], code=STR, name=STR)},
        epcis={"type": "array", "items": STR},
        members={"type": "array", "items": INT, "description": "staff ids"},
        default_to_check={
            "type": "boolean",
            "description": "still the Meuse default drawn at first start, never edited",
        },
        updated_at=NUM,
    ),
}


def paths(make: Callable[..., Schema]) -> Schema:
    """The /api/structures routes, built with `make` (the document's own operation helper)."""
    one = obj(["structure"], structure=ref("Structure"))
    ok = obj(["ok"], ok={"type": "boolean"})
    put = obj(
        ["name"],
        name=text(NAME_MAX),
        contact={"type": "string", "maxLength": CONTACT_MAX},
        communes={**_AREAS, "description": "INSEE codes or names; replaces the communes"},
        epcis={**_AREAS, "description": "EPCI names; replaces the EPCIs"},
    )
    area = obj(["area"], kind={"enum": list(AREA_KINDS)}, area=text(AREA_MAX))
    member = obj(["staff_id"], staff_id={**INT, "minimum": 1})
    return {
        "/api/structures": {
            "get": make(
                "Structures with their communes, EPCIs and staff (coordinator)",
                ok=(
                    200,
                    obj(["structures"], structures={"type": "array", "items": ref("Structure")}),
                ),
                errors=(403,),
            )
        },
        "/api/structures/{id}": {
            "get": make(
                "One structure (coordinator)", ok=(200, one), errors=(403, 404), params=[_ID]
            ),
            "put": make(
                "Create or replace a structure; areas given to it leave any other (coordinator)",
                auth="csrf",
                body=put,
                ok=(200, one),
                params=[_ID],
            ),
            "delete": make(
                "Delete a structure: its areas then serve no one (coordinator)",
                auth="csrf",
                ok=(200, ok),
                errors=(404,),
                params=[_ID],
            ),
        },
        "/api/structures/{id}/areas": {
            "post": make(
                "Give one commune (name or INSEE code) or EPCI to a structure (coordinator)",
                auth="csrf",
                body=area,
                ok=(200, one),
                errors=(404,),
                params=[_ID],
            )
        },
        "/api/structures/{id}/areas/remove": {
            "post": make(
                "Take a commune (INSEE code or name) or EPCI from a structure (coordinator)",
                auth="csrf",
                body=obj(["code"], kind={"enum": list(AREA_KINDS)}, code=text(AREA_MAX)),
                ok=(200, one),
                errors=(404,),
                params=[_ID],
            )
        },
        "/api/structures/{id}/members": {
            "put": make(
                "Put an account in this structure (and out of any other) (coordinator)",
                auth="csrf",
                body=member,
                ok=(200, ok),
                errors=(404,),
                params=[_ID],
            )
        },
        "/api/structures/{id}/members/remove": {
            "post": make(
                "Take an account out of this structure (coordinator)",
                auth="csrf",
                body=member,
                ok=(200, ok),
                errors=(404,),
                params=[_ID],
            )
        },
    }
