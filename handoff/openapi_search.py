"""The search parameters of `GET /api/tickets`, for the OpenAPI document."""

from __future__ import annotations

from typing import Any

from bot.store.roles_search import SEARCH_STATUSES
from handoff.search import CHANNELS, MAX_TEXT, MAX_VALUE

_ANY_TEXT = {"type": "string", "maxLength": MAX_VALUE}
_DAY = {"type": "string", "format": "date"}


def _param(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "schema": schema, "description": description}


SEARCH_STATUS_NOTE = (
    "With any search parameter (or status mine, open, all): "
    + ", ".join(SEARCH_STATUSES)
    + " (default open); without: waiting, assigned or closed (default waiting)."
)
SEARCH_PARAMETERS: list[dict[str, Any]] = [
    _param(
        "q",
        {"type": "string", "maxLength": MAX_TEXT},
        "Words to find, every one in one line, note or ticket card (first name, phone, "
        "e-mail, commune, need, source); accents and case ignored",
    ),
    _param("territory", _ANY_TEXT, "Only tickets of this territory"),
    _param("channel", {"enum": list(CHANNELS)}, "Only tickets from this channel"),
    _param("source", _ANY_TEXT, "Only tickets from this source (the link the youth followed)"),
    _param("need", _ANY_TEXT, "Only tickets with this need (job, training, …)"),
    _param("urgent", {"enum": ["true", "false"]}, "Only urgent, or only normal, tickets"),
    _param("from", _DAY, "Tickets created on or after this day (the service's time zone)"),
    _param("to", _DAY, "Tickets created on or before this day"),
    _param("structure", _ANY_TEXT, "Only tickets routed to this structure (its id)"),
]
