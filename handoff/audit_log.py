"""The audit log for the coordinator: filters read from a query, lines shown without data.

Lines hold actors, actions, target ids and counts only (the store's rule); the page names
staff actors by their display name, never a youth.
"""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.store.roles_settings import AuditQuery
from handoff.errors import Invalid

if TYPE_CHECKING:
    from bot.store.base import AuditEntry
    from handoff.service import Handoff

PAGE_SIZE, PAGE_MAX = 50, 200
_ACTOR = re.compile(r"[a-z]{1,16}(:[A-Za-z0-9_-]{1,64})?")
_ACTION = re.compile(r"[a-z_]{1,64}")


def _day(value: str, tz: datetime.tzinfo, *, next_day: bool = False) -> float:
    day = datetime.date.fromisoformat(value)
    if next_day:
        day += datetime.timedelta(days=1)
    return datetime.datetime.combine(day, datetime.time(), tz).timestamp()


def parse(query: Any, tz: datetime.tzinfo) -> AuditQuery:
    """actor, action, from/to (YYYY-MM-DD, both included), before (a line id), limit."""
    actor = query.get("actor") or None
    action = query.get("action") or None
    if actor is not None and not _ACTOR.fullmatch(actor):
        raise Invalid("settings.error_audit_filter")
    if action is not None and not _ACTION.fullmatch(action):
        raise Invalid("settings.error_audit_filter")
    try:
        since = _day(query["from"], tz) if query.get("from") else None
        until = _day(query["to"], tz, next_day=True) if query.get("to") else None
    except ValueError:
        raise Invalid("settings.error_audit_period") from None
    if since is not None and until is not None and until <= since:
        raise Invalid("settings.error_audit_period")
    before, limit = query.get("before") or None, query.get("limit") or str(PAGE_SIZE)
    if before is not None and not (before.isdigit() and 0 < int(before) <= 2**53):
        raise Invalid("settings.error_audit_filter")
    if not limit.isdigit() or not 1 <= int(limit) <= PAGE_MAX:
        raise Invalid("settings.error_audit_filter")
    return AuditQuery(actor, action, since, until, int(before) if before else None, int(limit))


def line(entry: AuditEntry, names: dict[int, str]) -> dict[str, Any]:
    """One line as the API sends it; `actor_name` for staff actors."""
    kind, _, ident = entry.actor.partition(":")
    name = names.get(int(ident)) if kind == "staff" and ident.isdigit() else None
    return {
        "id": entry.id,
        "at": entry.at,
        "actor": entry.actor,
        "actor_name": name,
        "action": entry.action,
        "target": entry.target,
        "details": entry.details,
    }


async def page(service: Handoff, wanted: AuditQuery) -> dict[str, Any]:
    """The lines of one page, and the id to ask for the next (older) one, if any."""
    found = await service.store.audit_log(
        AuditQuery(
            wanted.actor,
            wanted.action,
            wanted.since,
            wanted.until,
            wanted.before_id,
            wanted.limit + 1,
        )
    )
    names = {s.id: s.display_name for s in await service.store.list_staff()}
    shown = found[: wanted.limit]
    more = len(found) > wanted.limit
    return {
        "entries": [line(e, names) for e in shown],
        "next_before": shown[-1].id if more and shown else None,
    }


class AuditApi:
    """GET /api/audit (coordinator)."""

    def __init__(self, service: Handoff) -> None:
        self.service = service

    def register(self, app: web.Application) -> None:
        app.router.add_get("/audit", self.listing, allow_head=False)

    async def listing(self, request: web.Request) -> web.Response:
        from handoff.api import _json

        await self.service.auth.require(request, role="coordinator")
        tz = self.service.deps.flow.office.tz
        return _json(await page(self.service, parse(request.query, tz)))
