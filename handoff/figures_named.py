"""The named export: the period's tickets with first names, only on an explicit, audited request.

The counts-only CSV serves everyday reporting. A partner may need names (a funder's list of
youths met, for instance): the coordinator asks for it with a reason and a confirmation, the
audit log records who took it, when, for which period and how many lines (never the names).
"""

from __future__ import annotations

import csv
import datetime
import io
import secrets
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.store.roles_search import TicketQuery
from handoff.errors import Invalid
from handoff.figures import parse_period

if TYPE_CHECKING:
    from handoff.figures_pages import FiguresPages

ROUTE = "/figures/named.csv"
LINES_MAX = 10_000  # years of the network's volume; a larger period is refused, not cut
REASON_MAX = 200
COLUMNS = ("date", "prénom", "âge", "commune", "besoin", "canal", "source", "statut", "issue")


async def named_export(pages: FiguresPages, request: web.Request) -> web.Response:
    """POST, coordinator, CSRF: the CSV of the period's tickets with the youths' first names."""
    staff, frame = await pages.coordinator(request)
    form = await request.post()
    token = str(form.get("csrf", ""))
    if not secrets.compare_digest(token, frame["csrf_token"]):
        raise web.HTTPForbidden(text=pages.texts("api.error_csrf"), content_type="text/plain")
    reason = str(form.get("reason", "")).strip()
    if form.get("confirm") != "yes" or not reason or len(reason) > REASON_MAX:
        raise web.HTTPBadRequest(
            text=pages.texts("figures.named_refused"), content_type="text/plain"
        )
    deps = pages.deps
    office = deps.flow.office
    today = datetime.datetime.fromtimestamp(deps.clock(), office.tz).date()
    try:
        start, end, territory = parse_period(form, today)
    except Invalid as exc:
        raise web.HTTPBadRequest(text=exc.message(pages.texts), content_type="text/plain") from None
    since = datetime.datetime.combine(start, datetime.time(), office.tz).timestamp()
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time(), office.tz)
    query = TicketQuery(
        status="all",
        territory=territory,
        since=since,
        until=until.timestamp(),
        limit=LINES_MAX + 1,
    )
    found = await deps.store.find_tickets(query)
    if len(found) > LINES_MAX:
        raise web.HTTPBadRequest(
            text=pages.texts("figures.named_too_many"), content_type="text/plain"
        )
    rows = sorted((q.ticket for q in found), key=lambda t: t.created_at)
    period = f"period:{start.isoformat()}:{end.isoformat()}"
    await pages.service.audit(staff, "figures_named_export", period, lines=len(rows))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for ticket in rows:
        writer.writerow(_line(pages, ticket.snapshot, ticket, office.tz))
    name = f"milomouv-nominatif-{start.isoformat()}-{end.isoformat()}.csv"
    return web.Response(
        text=out.getvalue(),
        content_type="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


def _line(pages: FiguresPages, snap: dict[str, Any], ticket: Any, tz: Any) -> list[Any]:
    day = datetime.datetime.fromtimestamp(ticket.created_at, tz).date().isoformat()
    need = snap.get("need") or ""
    label = f"need.label_{need}"
    return [
        day,
        snap.get("first_name") or "",
        snap.get("age") or "",
        snap.get("commune") or "",
        pages.texts(label) if need and pages.has(label) else need,
        ticket.channel,
        ticket.source or "",
        ticket.status,
        ticket.outcome or "",
    ]
