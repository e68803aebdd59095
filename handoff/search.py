"""Reading a search from the query string: `GET /api/tickets?q=…&status=…`, and the queue page.

Without any search parameter `GET /api/tickets` keeps its first meaning (a status list);
with one, the filters below apply and every status of the search is accepted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from zoneinfo import ZoneInfo

from bot.store.base import Staff, TicketQuery
from bot.store.roles_search import MAX_RESULTS, SEARCH_STATUSES
from handoff.errors import Invalid

SEARCH_PARAMS = ("q", "territory", "channel", "source", "need", "urgent", "from", "to", "structure")
CHANNELS = ("messenger", "instagram", "telegram", "web")
MAX_TEXT = 200
MAX_VALUE = 80


def is_search(query: Mapping[str, str]) -> bool:
    """True when the request asks for more than the plain status list."""
    return any(query.get(p) for p in SEARCH_PARAMS) or query.get("status") in (
        "mine",
        "open",
        "all",
    )


def parse(query: Mapping[str, str], staff: Staff, timezone: str) -> TicketQuery:
    """The search a query string asks for; Invalid naming the parameter when it is wrong."""
    status = query.get("status") or "open"
    if status == "assigned" and query.get("mine") == "true":
        status = "mine"
    if status not in SEARCH_STATUSES:
        raise Invalid("search.error_status")
    text = query.get("q", "")
    if len(text) > MAX_TEXT:
        raise Invalid("search.error_param", field="q")
    values = {}
    for name in ("territory", "channel", "source", "need", "structure"):
        value = query.get(name) or None
        if value is not None and (len(value) > MAX_VALUE or not value.strip()):
            raise Invalid("search.error_param", field=name)
        values[name] = value
    if values["channel"] is not None and values["channel"] not in CHANNELS:
        raise Invalid("search.error_param", field="channel")
    urgent = {"": None, "true": True, "false": False}.get(query.get("urgent", ""), "bad")
    if urgent == "bad":
        raise Invalid("search.error_param", field="urgent")
    limit = query.get("limit", "50")
    if not limit.isdigit() or not 1 <= int(limit) <= MAX_RESULTS:
        raise Invalid("search.error_param", field="limit")
    zone = ZoneInfo(timezone)
    since = _day(query.get("from"), "from", zone)
    until = _day(query.get("to"), "to", zone)
    return TicketQuery(
        text=text,
        status=status,  # type: ignore[arg-type]
        staff_id=staff.id,
        urgent=urgent,  # type: ignore[arg-type]
        since=since,
        until=None if until is None else until + 86400,  # the whole last day
        limit=int(limit),
        **values,
    )


def _day(raw: str | None, field: str, zone: ZoneInfo) -> float | None:
    """The start of a YYYY-MM-DD day in the service's time zone, as epoch seconds."""
    if not raw:
        return None
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        raise Invalid("search.error_param", field=field) from None
    return dt.datetime.combine(day, dt.time(), tzinfo=zone).timestamp()
