"""The sources' part of the OpenAPI document: paths and the Source schema."""

from __future__ import annotations

from collections.abc import Callable

from bot.store.roles_sources import SOURCE_KINDS
from handoff.openapi_schemas import INT, NUM, STR, Schema, nullable, obj, ref, text
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

_COUNTS = {"type": "object", "additionalProperties": INT}
_SPREAD = obj(
    ["count", "median", "p90"], count=INT, median=nullable("number"), p90=nullable("number")
)
_TIMES = obj(["raw", "office_hours"], raw=_SPREAD, office_hours=_SPREAD)

SCHEMAS: dict[str, Schema] = {
    "Figures": obj(
        ["period", "funnel", "times", "breakdowns", "goal"],
        period=obj(
            ["from", "to", "territory"], **{"from": STR, "to": STR}, territory=nullable("string")
        ),
        funnel={
            "type": "object",
            "required": ["started", "closed_by_outcome"],
            "properties": {
                **{
                    k: INT
                    for k in (
                        "started",
                        "consented",
                        "intake_completed",
                        "tickets",
                        "claimed",
                        "first_reply",
                        "closed",
                    )
                },
                "closed_by_outcome": _COUNTS,
            },
        },
        times=obj(["claim", "first_reply"], claim=_TIMES, first_reply=_TIMES),
        breakdowns={"type": "object", "additionalProperties": _COUNTS},
        goal=obj(
            ["year", "goal", "reached", "forecast"], year=INT, goal=INT, reached=INT, forecast=INT
        ),
    ),
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


def _day(name: str) -> Schema:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": {"type": "string", "format": "date"},
        "description": "YYYY-MM-DD, included; default: the month so far",
    }


def _territory() -> Schema:
    return {"name": "territory", "in": "query", "required": False, "schema": text(120)}


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
        "/api/stats": {
            "get": make(
                "Figures for a period and territory: funnel, times, breakdowns (coordinator)",
                ok=(200, ref("Figures")),
                errors=(403, 422),
                params=[_day("from"), _day("to"), _territory()],
            )
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
