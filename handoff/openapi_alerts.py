"""The watch's part of the OpenAPI document: alerts, absence, push devices, linked chats."""

from __future__ import annotations

import re
from collections.abc import Callable

from handoff.openapi_schemas import NUM, STR, Schema, nullable, obj

MAX_ENDPOINT = 1000  # a push service URL
MAX_KEY = 200  # a subscription key, base64url
CONVERSATION_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")
BOOL: Schema = {"type": "boolean"}
_TICKET: Schema = {
    "name": "id",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"},
}
_OTHER: Schema = {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"}
_ENDPOINT: Schema = {"type": "string", "maxLength": MAX_ENDPOINT}
_KEY: Schema = {"type": "string", "minLength": 1, "maxLength": MAX_KEY}
_CARD: Schema = {
    "conversation_id": STR,
    "channel": STR,
    "first_name": STR,
    "ticket_id": STR,
    "url": STR,
}
_LINE = obj(["author", "text", "at"], author=STR, text=STR, at=NUM)
_LINKED = obj(
    ["conversation_id", "channel", "thread"], **_CARD, thread={"type": "array", "items": _LINE}
)
_CANDIDATE = obj(
    ["conversation_id", "channel", "first_name", "ticket_id", "url", "same"],
    **_CARD,
    same={"type": "array", "items": {"enum": ["phone", "email"]}},
)
LINKS = obj(
    ["linked", "candidates"],
    linked={"type": "array", "items": _LINKED},
    candidates={"type": "array", "items": _CANDIDATE},
)
WATCH = obj(
    ["alerts", "absent", "absent_minutes", "push_key", "texts"],
    alerts={
        "type": "array",
        "items": obj(
            ["ticket_id", "step", "url", "text"],
            ticket_id=STR,
            step={"enum": ["holder", "coordinator"]},
            url=STR,
            text=STR,
        ),
    },
    absent=BOOL,
    absent_minutes={"type": "integer"},
    push_key=nullable("string"),
    texts={"type": "object", "additionalProperties": STR},
)


def paths(make: Callable[..., Schema]) -> Schema:
    """The watch's routes, built with `make` (the document's own operation helper)."""
    endpoint = obj(["endpoint"], endpoint=_ENDPOINT)
    subscription = obj(
        ["endpoint", "keys"],
        endpoint=_ENDPOINT,
        keys=obj(["p256dh", "auth"], p256dh=_KEY, auth=_KEY),
    )
    return {
        "/api/watch": {
            "get": make(
                "The caller's alerts on held tickets left unanswered, absence and push key",
                ok=(200, WATCH),
            )
        },
        "/api/me/absence": {
            "put": make(
                "Mark oneself absent (held tickets go back to the queue after a while) or back",
                auth="csrf",
                body=obj(["absent"], absent=BOOL),
                ok=(200, obj(["absent"], absent=BOOL)),
            )
        },
        "/api/push/subscriptions": {
            "post": make(
                "Receive pushes on this device (a browser's PushSubscription, https endpoint)",
                auth="csrf",
                body=subscription,
                ok=(201, obj(["subscribed"], subscribed=BOOL)),
            ),
            "delete": make(
                "Stop pushes to this device",
                auth="csrf",
                body=endpoint,
                ok=(200, obj(["removed"], removed=BOOL)),
            ),
        },
        "/api/tickets/{id}/links": {
            "get": make(
                "The youth's linked conversations (with their threads) and likely ones",
                ok=(200, LINKS),
                errors=(404,),
                params=[_TICKET],
            ),
            "post": make(
                "Link another conversation of the same youth, as confirmed by the counsellor",
                auth="csrf",
                body=obj(["conversation_id"], conversation_id=_OTHER),
                ok=(201, LINKS),
                errors=(404, 409),
                params=[_TICKET],
            ),
            "delete": make(
                "Undo a link between two conversations",
                auth="csrf",
                body=obj(["conversation_id"], conversation_id=_OTHER),
                ok=(200, LINKS),
                errors=(404, 409),
                params=[_TICKET],
            ),
        },
    }
