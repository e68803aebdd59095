"""The OpenAPI 3.1 description of /api/, written by hand to match `handoff.api` route for route."""

from __future__ import annotations

import copy
import functools

from bot.store.roles_search import SEARCH_STATUSES
from handoff import (
    openapi_alerts,
    openapi_media,
    openapi_settings,
    openapi_sources,
    openapi_territories,
    openapi_texts,
)
from handoff.auth import (
    CSRF_HEADER,
    EMAIL_MAX,
    EMAIL_PATTERN,
    PASSWORD_MAX,
    PASSWORD_MIN,
    SESSION_COOKIE,
)
from handoff.openapi_schemas import INT, SCHEMAS, STR, Schema, nullable, obj, ref, text
from handoff.openapi_search import SEARCH_PARAMETERS, SEARCH_STATUS_NOTE
from handoff.service import OUTCOMES, STATUSES

_ERRORS = {
    401: "Not logged in",
    403: "Wrong role (coordinator only), missing/wrong X-CSRF-Token, or a foreign Origin",
    404: "No such ticket or account",
    415: "The body is not declared application/json",
    409: "Lost the claim race, not the holder, or the ticket is closed",
    422: "Invalid input",
    429: "Too many failed logins",
    503: "The store is unavailable for a moment; nothing was changed, try again",
}


def _op(
    summary: str,
    *,
    auth: str | None = "session",
    body: Schema | None = None,
    ok: tuple[int, Schema | None] = (200, None),
    errors: tuple[int, ...] = (),
    params: list[Schema] | None = None,
) -> Schema:
    """One operation; `auth` is None (public), "session", or "csrf" (session + CSRF header)."""
    security: list[Schema] = []
    codes = [*errors, 503]  # every route needs the store
    if auth is not None:
        security = [{"session": [], "csrf": []}] if auth == "csrf" else [{"session": []}]
        codes = [401, *([403] if auth == "csrf" else []), *codes]
    if body is not None:
        codes.append(422)
    status, schema = ok
    responses: Schema = {
        str(status): {"description": "OK"}
        if schema is None
        else {"description": "OK", "content": {"application/json": {"schema": schema}}}
    }
    for code in sorted(set(codes)):
        responses[str(code)] = {"$ref": f"#/components/responses/E{code}"}
    op: Schema = {"summary": summary, "security": security, "responses": responses}
    if body is not None:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
    if params:
        op["parameters"] = params
    return op


_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}
_TICKET_ID = {
    "name": "id",
    "in": "path",
    "required": True,
    "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"},
}
_T = ref("TicketSummary")


def _wrap(key: str, schema: Schema) -> Schema:
    return obj([key], **{key: schema})


def _ticket_op(summary: str, body: Schema | None = None, ok: Schema | None = None) -> Schema:
    errors = (404, 409) if body is None else (404, 409, 422)
    return _op(
        summary,
        auth="csrf",
        body=body,
        ok=(200, ok or _wrap("ticket", _T)),
        errors=errors,
        params=[_TICKET_ID],
    )


def _export() -> Schema:
    op = _op(
        "Everything held about the youth behind a ticket, as a JSON download (coordinator)",
        ok=(200, ref("DataExport")),
        errors=(403, 404),
        params=[_TICKET_ID],
    )
    op["responses"]["200"]["headers"] = {
        "Content-Disposition": {
            "required": True,
            "schema": {
                "type": "string",
                "pattern": '^attachment; filename="milomouv-export-[0-9]+\\.json"$',
            },
        }
    }
    return op


def _paths() -> Schema:
    login = obj(["email", "password"], email=STR, password=STR)
    email = {"type": "string", "maxLength": EMAIL_MAX, "pattern": EMAIL_PATTERN}
    password = {"type": "string", "minLength": PASSWORD_MIN, "maxLength": PASSWORD_MAX}
    setup = obj(["token", "email", "password"], token=STR, email=email, password=password)
    new_staff = obj(
        ["email", "password", "role"],
        email=email,
        password=password,
        role={"enum": ["counsellor", "coordinator"]},
        territory=nullable("string"),
        display_name=nullable("string"),
    )
    transfer = {
        "type": "object",
        "description": "exactly one of staff_id (a colleague) or territory (back to the queue)",
        "properties": {"staff_id": INT, "territory": text(120)},
        "oneOf": [{"required": ["staff_id"]}, {"required": ["territory"]}],
    }
    meeting = obj(
        ["date", "time", "place"],
        date={"type": "string", "format": "date", "description": "YYYY-MM-DD, today or later"},
        time={"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"},
        place=text(200),
    )
    text_body = obj(["text"], text=text())
    query = [
        {
            "name": "status",
            "in": "query",
            "schema": {"enum": list(dict.fromkeys([*STATUSES, *SEARCH_STATUSES]))},
            "description": SEARCH_STATUS_NOTE,
        },
        {"name": "mine", "in": "query", "schema": {"enum": ["true", "false"], "default": "false"}},
        {
            "name": "limit",
            "in": "query",
            "schema": {"type": "integer", "minimum": 1, "maximum": 500},
            "description": "At most 500 in a status list, 200 in a search",
        },
        *SEARCH_PARAMETERS,
    ]
    staff_list = _wrap("staff", {"type": "array", "items": ref("Staff")})
    return {
        "/api/openapi.json": {"get": _op("This document", auth=None, ok=(200, {"type": "object"}))},
        "/api/setup": {
            "post": _op(
                "Create the first coordinator with the first-start link's token",
                auth=None,
                body=setup,
                ok=(201, ref("SessionOpened")),
                errors=(403,),
            )
        },
        "/api/session": {
            "post": _op(
                "Log in (sets the session cookie)",
                auth=None,
                body=login,
                ok=(200, ref("SessionOpened")),
                errors=(401, 403, 415, 429),
            ),
            "delete": _op("Log out", auth="csrf", ok=(204, None)),
        },
        "/api/me": {"get": _op("Who is logged in", ok=(200, ref("SessionOpened")))},
        "/api/tickets": {
            "get": _op(
                "Tickets by status (waiting: urgent first, then oldest), or found by words "
                "and filters (newest first)",
                ok=(200, _wrap("tickets", {"type": "array", "items": _T})),
                errors=(422,),
                params=query,
            )
        },
        "/api/tickets/{id}": {
            "get": _op(
                "A ticket: profile, conversation, whole thread, notes, meetings",
                ok=(200, ref("TicketDetail")),
                errors=(404,),
                params=[_TICKET_ID],
            )
        },
        "/api/tickets/{id}/claim": {"post": _ticket_op("Take a waiting ticket (atomic)")},
        "/api/tickets/{id}/messages": {
            "post": _op(
                "Write to the youth on their channel (holder only)",
                auth="csrf",
                body=text_body,
                ok=(201, _wrap("message", ref("Message"))),
                errors=(404, 409),
                params=[_TICKET_ID],
            )
        },
        "/api/tickets/{id}/release": {"post": _ticket_op("Give the conversation back to the bot")},
        "/api/tickets/{id}/transfer": {
            "post": _ticket_op("Transfer to a colleague or a territory", transfer)
        },
        "/api/tickets/{id}/close": {
            "post": _ticket_op(
                "Close with an outcome", obj(["outcome"], outcome={"enum": list(OUTCOMES)})
            )
        },
        "/api/tickets/{id}/reopen": {
            "post": _ticket_op("Reopen a closed ticket, held by the caller (audited)")
        },
        "/api/tickets/{id}/typing": {
            "post": _op(
                "The holder is typing: Messenger, Instagram and Telegram show it to the youth",
                auth="csrf",
                ok=(204, None),
                errors=(404, 409),
                params=[_TICKET_ID],
            )
        },
        "/api/tickets/{id}/notes": {
            "post": _op(
                "Add a private note (staff only)",
                auth="csrf",
                body=text_body,
                ok=(201, _wrap("note", ref("Note"))),
                errors=(404,),
                params=[_TICKET_ID],
            )
        },
        "/api/tickets/{id}/meetings": {
            "post": _op(
                "Propose a meeting to the youth (holder only)",
                auth="csrf",
                body=meeting,
                ok=(
                    201,
                    obj(["meeting", "message"], meeting=ref("Meeting"), message=ref("Message")),
                ),
                errors=(404, 409),
                params=[_TICKET_ID],
            )
        },
        "/api/tickets/{id}/export": {"get": _export()},
        "/api/tickets/{id}/erase": {
            "post": _op(
                "Erase everything personal about the youth behind a ticket (coordinator); "
                "its tickets stay as anonymous counts, closed with outcome erased; the youth is "
                "not told",
                auth="csrf",
                body=obj(["confirm"], confirm={"const": True}),
                ok=(200, _wrap("ticket", _T)),
                errors=(404,),
                params=[_TICKET_ID],
            )
        },
        "/api/canned-replies": {
            "get": _op(
                "Canned replies",
                ok=(200, _wrap("replies", {"type": "array", "items": ref("CannedReply")})),
            ),
            "put": _op(
                "Replace the canned replies (coordinator)",
                auth="csrf",
                body=_wrap(
                    "replies", {"type": "array", "maxItems": 50, "items": ref("CannedReply")}
                ),
                ok=(200, _wrap("replies", {"type": "array", "items": ref("CannedReply")})),
            ),
        },
        "/api/staff": {
            "get": _op("Accounts (coordinator) or colleagues to transfer to", ok=(200, staff_list)),
            "post": _op(
                "Create an account (coordinator)",
                auth="csrf",
                body=new_staff,
                ok=(201, _wrap("staff", ref("Staff"))),
                errors=(409,),
            ),
        },
        "/api/staff/{id}/disable": {
            "post": _op(
                "Disable an account (not one's own); its tickets go back to the queue",
                auth="csrf",
                ok=(200, _wrap("staff", ref("Staff"))),
                errors=(404,),
                params=[_ID],
            )
        },
        "/api/territories": {
            "get": _op(
                "Known territories",
                ok=(200, _wrap("territories", {"type": "array", "items": STR})),
            )
        },
        "/api/events": {
            "get": _op(
                "Server-Sent Events of live changes, with a heartbeat comment every 15 s",
                ok=(200, None),
            )
        },
    }


@functools.cache
def _document() -> Schema:
    responses = {
        f"E{code}": {
            "description": text,
            "content": {"application/json": {"schema": ref("Error")}},
            **({"headers": {"Retry-After": {"schema": INT}}} if code in (429,) else {}),
        }
        for code, text in _ERRORS.items()
    }
    paths = _paths()
    paths.update(openapi_sources.paths(_op))
    paths.update(openapi_settings.paths(_op))
    paths["/api/canned-replies"]["post"] = openapi_settings.canned_post(_op)
    paths.update(openapi_territories.paths(_op))
    paths.update(openapi_alerts.paths(_op))
    paths.update(openapi_texts.paths(_op))
    paths["/api/events"]["get"]["responses"]["200"]["content"] = {
        "text/event-stream": {"schema": {"type": "string"}}
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "MiloMouv' handoff API",
            "version": "1",
            "description": "Counsellor dashboard API. State-changing requests need the session "
            f'cookie and the CSRF token in `{CSRF_HEADER}`. Errors: `{{"error": "…"}}` in French.',
        },
        "paths": paths,
        "components": {
            "schemas": openapi_media.with_media(
                SCHEMAS
                | openapi_settings.SCHEMAS
                | openapi_sources.SCHEMAS
                | openapi_territories.SCHEMAS
                | openapi_texts.SCHEMAS
            ),
            "responses": responses,
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": SESSION_COOKIE},
                "csrf": {"type": "apiKey", "in": "header", "name": CSRF_HEADER},
            },
        },
    }


def document() -> Schema:
    """The OpenAPI document (a fresh copy: callers may change it)."""
    return copy.deepcopy(_document())
