"""The shapes the handoff API sends and receives (OpenAPI 3.1 / JSON Schema 2020-12)."""

from __future__ import annotations

from typing import Any

from handoff.service import STATUSES, TEXT_MAX
from handoff.views import NOT_BLANK_PATTERN

Schema = dict[str, Any]


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(kind: str, **extra: Any) -> Schema:
    return {"type": [kind, "null"], **extra}


def obj(required: list[str], **properties: Schema) -> Schema:
    return {"type": "object", "required": required, "properties": properties}


def text(max_length: int = TEXT_MAX) -> Schema:
    """Free text that must hold something besides spaces."""
    return {"type": "string", "minLength": 1, "maxLength": max_length, "pattern": NOT_BLANK_PATTERN}


NUM, STR, INT = {"type": "number"}, {"type": "string"}, {"type": "integer"}
_STAFF_FIELDS = ["id", "display_name", "role", "territory"]
_SUMMARY_FIELDS = ["id", "status", "priority", "channel", "created_at", "waiting_since", "alert"]

_MODE = {"enum": ["bot", "waiting", "human", "paused"]}
_STORED_CONVERSATION = [
    "id",
    "channel",
    "user_id",
    "mode",
    "state",
    "source",
    "consent_at",
    "consent_version",
    "created_at",
    "updated_at",
]
_STORED_TICKET = ["id", "status", "priority", "reason", "snapshot", "created_at", "outcome"]


def _with_ticket(name: str) -> Schema:
    return {"allOf": [ref(name), obj(["ticket_id"], ticket_id=STR)]}


def _list(schema: Schema) -> Schema:
    return {"type": "array", "items": schema}


# What a coordinator downloads for a youth's right of access: everything held, as stored.
_EXPORT_SCHEMAS: dict[str, Schema] = {
    "StoredConversation": obj(
        _STORED_CONVERSATION,
        id=STR,
        channel=STR,
        user_id={"type": "string", "description": "the platform's id; 'erased:…' once erased"},
        mode=_MODE,
        state=STR,
        source=nullable("string"),
        consent_at=nullable("number"),
        consent_version=nullable("string"),
        ticket_id=nullable("string"),
        last_inbound_at=nullable("number"),
        created_at=NUM,
        updated_at=NUM,
    ),
    "StoredTicket": obj(
        _STORED_TICKET,
        id=STR,
        conversation_id=STR,
        status={"enum": list(STATUSES)},
        priority={"enum": ["urgent", "normal"]},
        reason=STR,
        snapshot={"type": "object", "description": "what the bot collected; {} once erased"},
        channel=STR,
        source=nullable("string"),
        territory=nullable("string"),
        created_at=NUM,
        claimed_at=nullable("number"),
        assigned_to=nullable("integer"),
        holder=nullable("string"),
        first_reply_at=nullable("number"),
        closed_at=nullable("number"),
        outcome=nullable("string"),
        acked={"type": "boolean"},
        alerted_at=nullable("number"),
    ),
    "AuditEntry": obj(
        ["id", "at", "actor", "action", "target", "details"],
        id=INT,
        at=NUM,
        actor={"type": "string", "description": "staff:<id>, bot or retention"},
        action=STR,
        target=nullable("string"),
        details={"type": "object", "description": "ids and counts, never personal data"},
    ),
    "DataExport": obj(
        [
            "exported_at",
            "ticket_id",
            "conversation",
            "profile",
            "tickets",
            "messages",
            "notes",
            "meetings",
            "audit",
        ],
        exported_at=NUM,
        ticket_id={"type": "string", "description": "the ticket the export was asked from"},
        conversation={"oneOf": [ref("StoredConversation"), {"type": "null"}]},
        profile={"type": "object", "description": "what the bot knows of the youth now"},
        tickets=_list(ref("StoredTicket")),
        messages=_list(ref("Message")),
        notes=_list(_with_ticket("Note")),
        meetings=_list(_with_ticket("Meeting")),
        audit=_list(ref("AuditEntry")),
    ),
}

SCHEMAS: dict[str, Schema] = {
    "Error": obj(["error"], error=STR, holder=nullable("string")),
    "Staff": obj(
        _STAFF_FIELDS,
        id=INT,
        display_name=STR,
        role={"enum": ["counsellor", "coordinator"]},
        territory=nullable("string"),
        email={"type": "string", "description": "coordinators, and one's own account"},
        active={"type": "boolean"},
        created_at=NUM,
    ),
    "SessionOpened": obj(["staff", "csrf_token"], staff=ref("Staff"), csrf_token=STR),
    "TicketSummary": obj(
        _SUMMARY_FIELDS,
        id=STR,
        status={"enum": list(STATUSES)},
        priority={"enum": ["urgent", "normal"]},
        reason=STR,
        first_name=nullable("string"),
        age=nullable("integer"),
        commune=nullable("string"),
        need=nullable("string"),
        channel=STR,
        source=nullable("string"),
        territory=nullable("string"),
        created_at=NUM,
        waiting_since=NUM,
        waiting_seconds=nullable("integer"),
        claimed_at=nullable("number"),
        assigned_to=nullable("integer"),
        holder=nullable("string"),
        first_reply_at=nullable("number"),
        closed_at=nullable("number"),
        outcome=nullable("string"),
        alert={"type": "boolean", "description": "waiting past the alert delay"},
        alerted_at=nullable("number"),
    ),
    "Message": obj(
        ["id", "direction", "author", "text", "status"],
        id=nullable("integer"),
        direction={"enum": ["in", "out"]},
        author={"enum": ["youth", "bot", "counsellor", "system"]},
        text={"type": "string", "description": "as written: render as text, never as HTML"},
        staff_id=nullable("integer"),
        staff_name=nullable("string"),
        buttons={"type": "array", "items": obj(["title", "payload"], title=STR, payload=STR)},
        status={"type": ["string", "null"], "description": "outgoing: pending, sent or failed"},
        error=nullable("string"),
        created_at=NUM,
        ticket_id=nullable("string"),
    ),
    "Note": obj(
        ["id", "staff_id", "text", "created_at"],
        id=INT,
        staff_id=INT,
        staff_name=nullable("string"),
        text=STR,
        created_at=NUM,
    ),
    "Meeting": obj(
        ["id", "date", "time", "place"],
        id=INT,
        staff_id=INT,
        staff_name=nullable("string"),
        date={"type": "string", "format": "date"},
        time=STR,
        place=STR,
        message_id=nullable("integer"),
        created_at=NUM,
    ),
    "Conversation": obj(
        ["id", "channel", "mode", "reply_window"],
        id=STR,
        channel=STR,
        mode=_MODE,
        state=STR,
        last_inbound_at=nullable("number"),
        reply_window={"enum": ["open", "human_agent", "closed"]},
    ),
    "TicketDetail": obj(
        ["ticket", "snapshot", "conversation", "messages", "notes", "meetings"],
        ticket=ref("TicketSummary"),
        snapshot={"type": "object", "description": "what the bot collected"},
        conversation={"oneOf": [ref("Conversation"), {"type": "null"}]},
        messages={"type": "array", "items": ref("Message")},
        notes={"type": "array", "items": ref("Note")},
        meetings={"type": "array", "items": ref("Meeting")},
    ),
    "CannedReply": obj(["title", "text"], title=text(80), text=text()),
    **_EXPORT_SCHEMAS,
}
