"""The settings pages' part of the OpenAPI document: accounts, passwords, canned replies, audit."""

from __future__ import annotations

from collections.abc import Callable

from handoff.auth import EMAIL_MAX, NAME_MAX, PASSWORD_MAX, PASSWORD_MIN
from handoff.canned import ITEM_ID_MAX
from handoff.openapi_schemas import INT, NUM, STR, Schema, nullable, obj, ref, text
from handoff.service import CANNED_MAX, CANNED_TITLE_MAX

_ROLE = {"enum": ["counsellor", "coordinator"]}
_PASSWORD = {"type": "string", "minLength": PASSWORD_MIN, "maxLength": PASSWORD_MAX}
_STAFF_ID = {
    "name": "id",
    "in": "path",
    "required": True,
    "schema": {"type": "integer", "minimum": 1},
}
_ITEM_ID = {
    "name": "id",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "minLength": 1, "maxLength": ITEM_ID_MAX},
}
_POSITION = {"type": "integer", "minimum": 0, "maximum": CANNED_MAX - 1}

SCHEMAS: dict[str, Schema] = {
    "ResetLink": obj(
        ["link", "expires_at"],
        link={"type": "string", "description": "shown once: only its digest is stored"},
        expires_at=NUM,
    ),
    "CannedItem": obj(
        ["id", "title", "text", "position"],
        id=STR,
        title=text(CANNED_TITLE_MAX),
        text=text(),
        position={"type": "integer", "minimum": 0},
    ),
    "AuditLine": obj(
        ["id", "at", "actor", "actor_name", "action", "target", "details"],
        id=INT,
        at=NUM,
        actor={"type": "string", "description": "staff:<id>, cli or system"},
        actor_name=nullable("string"),
        action=STR,
        target=nullable("string"),
        details={"type": "object", "description": "ids and counts, never personal data"},
    ),
}


def _query(name: str, schema: Schema, description: str) -> Schema:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


def paths(make: Callable[..., Schema]) -> Schema:
    """The settings routes, built with `make` (the document's own operation helper)."""
    staff = obj(["staff"], staff=ref("Staff"))
    reset = obj(["reset"], reset=ref("ResetLink"))
    reply = obj(["reply"], reply=ref("CannedItem"))
    day = {"type": "string", "format": "date"}
    return {
        "/api/staff/invitations": {
            "post": make(
                "Create an account without a password, with the one-time link its owner sets "
                "one with (coordinator)",
                auth="csrf",
                body=obj(
                    ["display_name", "email", "role"],
                    display_name=text(NAME_MAX),
                    email={"type": "string", "maxLength": EMAIL_MAX},
                    role=_ROLE,
                ),
                ok=(201, obj(["staff", "reset"], staff=ref("Staff"), reset=ref("ResetLink"))),
                errors=(409,),
            )
        },
        "/api/staff/{id}/role": {
            "post": make(
                "Change an account's role (coordinator; not one's own)",
                auth="csrf",
                body=obj(["role"], role=_ROLE),
                ok=(200, staff),
                errors=(404,),
                params=[_STAFF_ID],
            )
        },
        "/api/staff/{id}/reset-link": {
            "post": make(
                "A new one-time link to choose a password (coordinator); earlier unused links "
                "of the account stop working",
                auth="csrf",
                ok=(201, reset),
                errors=(404, 409),
                params=[_STAFF_ID],
            )
        },
        "/api/password-reset": {
            "post": make(
                "Choose a password with a reset link's token; every session of the account ends",
                auth=None,
                body=obj(["token", "password"], token=STR, password=_PASSWORD),
                ok=(204, None),
                errors=(403, 415),
            )
        },
        "/api/me/password": {
            "post": make(
                "Change one's own password (the current one first, throttled like a login); "
                "the other sessions end",
                auth="csrf",
                body=obj(
                    ["current_password", "password"], current_password=STR, password=_PASSWORD
                ),
                ok=(204, None),
                errors=(429,),
            )
        },
        "/api/canned-replies/{id}": {
            "patch": make(
                "Change a canned reply's title, text and/or position (coordinator)",
                auth="csrf",
                body={
                    "type": "object",
                    "minProperties": 1,
                    "properties": {
                        "title": text(CANNED_TITLE_MAX),
                        "text": text(),
                        "position": _POSITION,
                    },
                },
                ok=(200, reply),
                errors=(404,),
                params=[_ITEM_ID],
            ),
            "delete": make(
                "Delete a canned reply (coordinator)",
                auth="csrf",
                ok=(204, None),
                errors=(404,),
                params=[_ITEM_ID],
            ),
        },
        "/api/audit": {
            "get": make(
                "The audit log, newest first, filtered and paged (coordinator)",
                ok=(
                    200,
                    obj(
                        ["entries", "next_before"],
                        entries={"type": "array", "items": ref("AuditLine")},
                        next_before=nullable("integer"),
                    ),
                ),
                errors=(403, 422),
                params=[
                    _query("actor", STR, "staff:<id>, cli or system"),
                    _query("action", STR, "an action name, as listed"),
                    _query("from", day, "YYYY-MM-DD, included"),
                    _query("to", day, "YYYY-MM-DD, included"),
                    _query("before", INT, "a line id: the page of older lines"),
                    _query(
                        "limit", {"type": "integer", "minimum": 1, "maximum": 200}, "50 by default"
                    ),
                ],
            )
        },
    }


def canned_post(make: Callable[..., Schema]) -> Schema:
    """POST /api/canned-replies, added beside the list's GET and PUT."""
    return make(
        "Add one canned reply, at the end or at `position` (coordinator)",
        auth="csrf",
        body=obj(["title", "text"], title=text(CANNED_TITLE_MAX), text=text(), position=_POSITION),
        ok=(201, obj(["reply"], reply=ref("CannedItem"))),
        errors=(409,),
    )
