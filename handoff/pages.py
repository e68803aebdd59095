"""What every dashboard page shares: who is signed in, the frame around it, rendering, labels.

A page module subclasses `Pages`; its handlers read through the `Handoff` service (the same
dicts as the JSON API) and render a jinja2 template with autoescaping, so whatever a youth
wrote is inert text. Cards and thread lines are built here and in `handoff.lines`, and drawn
by the macros of `templates/_macros.html`, for whole pages and live fragments alike.
"""

from __future__ import annotations

import datetime
import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import jinja2
from aiohttp import web

if TYPE_CHECKING:
    from bot.store.base import Session, Staff
    from bot.texts import Texts
    from handoff.deps import HandoffDeps
    from handoff.service import Handoff

STAFF_KEY: web.RequestKey[tuple[Staff, Session]] = web.RequestKey("handoff_staff")
HERE = Path(__file__).resolve().parent
STATIC_ROUTE = "handoff-static"
URLS = {
    "queue": "/handoff/",
    "mine": "/handoff/mine",
    "login": "/handoff/login",
    "setup": "/handoff/setup",
}


@functools.cache
def environment() -> jinja2.Environment:
    """The dashboard's templates, autoescaped; one environment (and template cache) for all."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


class Pages:
    """Page handlers' base: the frame, rendering and the labels cards and lines use."""

    def __init__(self, deps: HandoffDeps, service: Handoff) -> None:
        self.deps = deps
        self.service = service
        self.env = environment()
        self._keys: tuple[object, frozenset[str]] = (None, frozenset())

    @property
    def texts(self) -> Texts:
        return self.deps.texts

    async def _frame(
        self, request: web.Request
    ) -> tuple[Staff, dict[str, Any], dict[str, list[dict[str, Any]]]]:
        """The signed-in person, what every signed-in page shows, and the two ticket lists."""
        found = request.get(STAFF_KEY) or await self.service.auth.identify(request)
        if found is None:
            raise web.HTTPFound(f"{URLS['login']}?next={quote(request.path_qs, safe='/')}")
        staff, session = found
        waiting = await self.service.queue("waiting")
        mine = await self.service.mine(staff)
        frame = {
            "staff": staff,
            "csrf_token": session.csrf_token,
            "counts": {"waiting": len(waiting), "mine": len(mine)},
        }
        return staff, frame, {"waiting": waiting, "mine": mine}

    def _render(
        self, request: web.Request, template: str, *, status: int = 200, **context: Any
    ) -> web.Response:
        router = request.app.router
        texts = self.texts

        def static(name: str) -> str:
            return str(router[STATIC_ROUTE].url_for(filename=name))

        html = self.env.get_template(template).render(
            t=texts,
            static=static,
            urls=URLS,
            now=int(self.deps.clock()),
            tz=self.deps.settings.timezone,
            js_texts=self._js_texts(),
            **context,
        )
        return web.Response(
            text=html,
            status=status,
            content_type="text/html",
            headers={"Cache-Control": "no-store"},
        )

    def _has(self, key: str) -> bool:
        if self._keys[0] is not self.texts:
            self._keys = (self.texts, frozenset(self.texts.keys()))
        return key in self._keys[1]

    def _js_texts(self) -> dict[str, str]:
        """The catalogue entries the scripts need, placeholders left for them to fill."""
        texts = self.texts
        found = {f"outcome_{k[8:]}": texts.raw(k) for k in texts.keys() if k.startswith("outcome.")}
        found.update(
            (k.partition(".")[2], texts.raw(k)) for k in texts.keys() if k.startswith("dashboard.")
        )
        return found

    # --- what a page shows -----------------------------------------------------------------
    def _outcome(self, code: str) -> str:
        for key in (f"outcome.{code}", f"dashboard.outcome_{code}"):
            if self._has(key):
                return self.texts(key)
        return code

    def _label(self, prefix: str, code: str | None, fallback: str | None = None) -> str:
        key = f"dashboard.{prefix}{code}"
        if code and self._has(key):
            return self.texts(key)
        return self.texts(f"dashboard.{fallback}") if fallback else code or ""

    def _card(self, ticket: dict[str, Any]) -> dict[str, Any]:
        t = self.texts
        status = ticket.get("status")
        since = ticket.get("waiting_since") if status == "waiting" else ticket.get("claimed_at")
        since = since or ticket.get("created_at") or self.deps.clock()
        reason = ticket.get("reason")
        return {
            "id": ticket["id"],
            "url": f"/handoff/tickets/{ticket['id']}",
            "first_name": ticket.get("first_name") or t("dashboard.no_first_name"),
            "age": t("dashboard.age_years", age=ticket["age"]) if ticket.get("age") else "",
            "need": ticket.get("need") or "—",
            "commune": ticket.get("commune") or "",
            "territory": ticket.get("territory") or t("dashboard.territory_none"),
            "channel": self._label("channel_", ticket.get("channel")),
            "source": ticket.get("source") or t("dashboard.source_none"),
            "reason": ""
            if not reason or reason == "intake_done"
            else self._label("reason_", reason, "reason_other"),
            "urgent": ticket.get("priority") == "urgent",
            "alert": bool(ticket.get("alert") or ticket.get("alerted_at")),
            "since": int(since),
            "since_label": self._since(since),
        } | self._notice(ticket)

    def _notice(self, ticket: dict[str, Any]) -> dict[str, str]:
        """What a browser notification says of a new ticket: a first name, no more detail."""
        t = self.texts
        name = ticket.get("first_name") or t("dashboard.no_first_name")
        age = t("dashboard.age_years", age=ticket["age"]) if ticket.get("age") else ""
        where = " · ".join(x for x in (age, ticket.get("commune") or "") if x)
        urgent = ticket.get("priority") == "urgent"
        return {
            "notify_title": t(
                "dashboard.notify_title_urgent" if urgent else "dashboard.notify_title"
            ),
            "notify_body": f"{name}{f' ({where})' if where else ''} — {ticket.get('need') or '—'}",
        }

    def _since(self, ts: float) -> str:
        minutes = int(max(0.0, self.deps.clock() - ts) // 60)
        t = self.texts
        if minutes < 1:
            return t("dashboard.since_now")
        if minutes < 60:
            return t("dashboard.since_minutes", minutes=minutes)
        hours = minutes // 60
        if hours < 24:
            return t("dashboard.since_hours", hours=hours, minutes=minutes % 60)
        return t("dashboard.since_days", days=hours // 24)

    def _local(self, ts: float) -> datetime.datetime:
        return datetime.datetime.fromtimestamp(ts, self.deps.flow.office.tz)

    def _day_label(self, day: datetime.date) -> str:
        t = self.texts
        today = self._local(self.deps.clock()).date()
        if day == today:
            return t("dashboard.today")
        if day == today - datetime.timedelta(days=1):
            return t("dashboard.yesterday")
        weekday = t("meeting.weekdays").split()[day.weekday()]  # checked at start: 7 and 12
        month = t("meeting.months").split()[day.month - 1]
        text = t("dashboard.day_format", weekday=weekday, day=day.day, month=month)
        return text[:1].upper() + text[1:]
