"""The counsellors' dashboard: pages under /handoff/, rendered on the server, kept live by JS.

Pages read through the `Handoff` service (the same dicts as the JSON API) and are rendered by
jinja2 with autoescaping, so whatever a youth wrote is inert text. The small scripts in
`static/` call the JSON API with the session's CSRF token (a `<meta>` on every page) and follow
`/api/events`; they write data with `textContent` only. Every page forbids framing, inline
scripts and foreign origins through its headers.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import jinja2
import structlog
from aiohttp import web

from bot.proxy import same_site
from handoff import find, story
from handoff.auth import PASSWORD_MIN, digest
from handoff.errors import HandoffError, NotFound
from handoff.service import OUTCOMES
from handoff.territories import Territories

if TYPE_CHECKING:
    from bot.app import Runtime
    from bot.store.base import Staff
    from bot.texts import Texts
    from handoff.service import Handoff

log = structlog.get_logger(__name__)

HERE = Path(__file__).resolve().parent
STATIC_ROUTE = "handoff-static"
URLS = {
    "queue": "/handoff/",
    "mine": "/handoff/mine",
    "login": "/handoff/login",
    "setup": "/handoff/setup",
}
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
        "frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
FAILURE_ALIASES = {"invalid_token": "bad_token", "timeout": "network", "temporary": "network"}


def setup(app: web.Application, runtime: Runtime, service: Handoff) -> None:
    """Register the dashboard's pages and static files on the service's application."""
    dashboard = Dashboard(runtime, service)
    dashboard.register(app)
    find.register(app, dashboard)


class Dashboard:
    """Page handlers; each reads through the service and renders one template."""

    def __init__(self, runtime: Runtime, service: Handoff) -> None:
        self.runtime = runtime
        self.service = service
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(HERE / "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self._keys: tuple[object, frozenset[str]] = (None, frozenset())

    def register(self, app: web.Application) -> None:
        router = app.router
        router.add_get("/handoff", self._to_queue)
        router.add_get("/handoff/", self.queue_page)
        router.add_get("/handoff/mine", self.mine_page)
        router.add_get(r"/handoff/tickets/{ticket_id:[A-Za-z0-9_-]{1,64}}", self.ticket_page)
        router.add_get("/handoff/login", self.login_page)
        router.add_post("/handoff/login", self.login_form)
        router.add_get("/handoff/setup", self.setup_page)
        router.add_static(
            "/handoff/static/", HERE / "static", name=STATIC_ROUTE, append_version=True
        )
        app.on_response_prepare.append(_secure)

    @property
    def texts(self) -> Texts:
        return self.runtime.texts

    # --- pages ---------------------------------------------------------------------
    async def _to_queue(self, request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound(URLS["queue"])

    async def queue_page(self, request: web.Request) -> web.Response:
        return await self._list(request, "queue")

    async def mine_page(self, request: web.Request) -> web.Response:
        return await self._list(request, "mine")

    async def _list(self, request: web.Request, page: str) -> web.Response:
        """The queue or "my conversations": the same cards, kept live by list.js."""
        staff, frame, lists = await self._frame(request)
        t = self.texts
        tickets, scope = lists["waiting" if page == "queue" else "mine"], None
        if page == "queue":
            ordered = Territories(self.service).structure_first(
                staff, tickets, request.query.get("structure")
            )
            tickets, scope = await ordered
        blank = {"id": 0, "status": "waiting", "priority": "normal", "channel": "web"}
        return self._render(
            request,
            "list.html",
            page=page,
            heading=t(f"dashboard.{page}_title"),
            subtitle=t(f"dashboard.{page}_subtitle"),
            empty=t(f"dashboard.{page}_empty"),
            cards=[self._card(ticket) for ticket in tickets],
            blank_card=self._card(blank) | {"first_name": "", "url": "#"},
            find_options=await find.options(self) if page == "queue" else None,
            scope=scope,
            find_url=find.FIND_URL,
            **frame,
        )

    async def ticket_page(self, request: web.Request) -> web.Response:
        staff, frame, _ = await self._frame(request)
        ticket_id = request.match_info["ticket_id"]
        try:
            detail = await self.service.ticket_detail(ticket_id, staff)
        except NotFound:
            raise web.HTTPNotFound(
                text=self.texts("dashboard.error_not_found"), content_type="text/plain"
            ) from None
        colleagues = [s for s in await self.service.store.list_staff() if s.active]
        return self._render(
            request,
            "ticket.html",
            page="ticket",
            v=await self._ticket_view(detail, staff, colleagues),
            earlier=await story.earlier_tickets(self, ticket_id),
            blank_line=self._line({"id": 0, "author": "bot", "text": ""}, "") | {"time": ""},
            blank_note={"id": 0, "text": "", "author": "", "time": ""},
            **frame,
        )

    async def login_page(self, request: web.Request) -> web.Response:
        if await self.service.auth.identify(request) is not None:
            raise web.HTTPFound(URLS["queue"])
        notice = ""
        if "expired" in request.query:
            notice = self.texts("dashboard.session_expired")
        elif "bye" in request.query:
            notice = self.texts("dashboard.logged_out")
        elif await self.service.store.count_staff() == 0:
            notice = self.texts("dashboard.login_no_account")
        return self._login(request, notice)

    async def login_form(self, request: web.Request) -> web.StreamResponse:
        """The same sign-in without JavaScript: a plain form post, then a redirect."""
        if not same_site(request, self.runtime.settings.public_url):
            raise web.HTTPForbidden(text="origin", content_type="text/plain")
        form = await request.post()
        email, password = str(form.get("email", "")), str(form.get("password", ""))
        next_path = _safe_next(str(form.get("next", "")))
        try:
            login = await self.service.auth.login(email, password, request.remote or "unknown")
        except HandoffError as exc:
            return self._login(request, exc.message(self.texts), exc.status, next_path)
        response = web.HTTPSeeOther(next_path)
        self.service.auth.set_cookie(response, login.session_id)
        raise response

    def _login(
        self, request: web.Request, notice: str, status: int = 200, next_path: str | None = None
    ) -> web.Response:
        return self._render(
            request,
            "login.html",
            status=status,
            page="login",
            staff=None,
            csrf_token="",
            notice=notice,
            next=next_path or _safe_next(request.query.get("next", "")),
        )

    async def setup_page(self, request: web.Request) -> web.Response:
        token = request.query.get("token", "")[:200]
        valid = bool(token) and await self.service.store.setup_token_valid(
            digest(token), self.runtime.clock()
        )
        return self._render(
            request,
            "setup.html",
            status=200 if valid else 403,
            page="setup",
            staff=None,
            csrf_token="",
            token=token if valid else "",
            token_ok=valid,
            min_password=PASSWORD_MIN,
        )

    # --- identity and rendering ----------------------------------------------------------
    async def _frame(
        self, request: web.Request
    ) -> tuple[Staff, dict[str, Any], dict[str, list[dict[str, Any]]]]:
        """The signed-in person, what every signed-in page shows, and the two ticket lists."""
        found = await self.service.auth.identify(request)
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
            now=int(self.runtime.clock()),
            tz=self.runtime.settings.timezone,
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
        since = since or ticket.get("created_at") or self.runtime.clock()
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
        }

    def _since(self, ts: float) -> str:
        minutes = int(max(0.0, self.runtime.clock() - ts) // 60)
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
        return datetime.datetime.fromtimestamp(ts, self.runtime.deps.office.tz)

    def _day_label(self, day: datetime.date) -> str:
        t = self.texts
        today = self._local(self.runtime.clock()).date()
        if day == today:
            return t("dashboard.today")
        if day == today - datetime.timedelta(days=1):
            return t("dashboard.yesterday")
        weekday = t("meeting.weekdays").split()[day.weekday()]  # checked at start: 7 and 12
        month = t("meeting.months").split()[day.month - 1]
        text = t("dashboard.day_format", weekday=weekday, day=day.day, month=month)
        return text[:1].upper() + text[1:]

    def _failure(self, code: str | None) -> str:
        code = code or "?"
        key = FAILURE_ALIASES.get(code) or ("network" if code.startswith("http_5") else code)
        name = f"dashboard.failure_{key}"
        reason = (
            self.texts(name)
            if self._has(name)
            else self.texts("dashboard.failure_other", code=code)
        )
        return f"{self.texts('dashboard.delivery_failed')} : {reason}"

    def _line(self, m: dict[str, Any], youth: str, me: int | None = None) -> dict[str, Any]:
        t = self.texts
        kind = m.get("author") if m.get("author") in ("youth", "bot", "counsellor") else "system"
        if kind == "youth":
            who = youth
        elif kind == "counsellor":
            mine = me is not None and m.get("staff_id") == me
            who = t("dashboard.who_you") if mine else m.get("staff_name") or t("dashboard.who_team")
        else:
            who = t(f"dashboard.who_{kind}")
        failed = m.get("status") == "failed"
        pending = m.get("direction") == "out" and m.get("status") == "pending"
        state = ""
        if failed:
            state = t("dashboard.delivery_failed")
        elif kind == "counsellor":
            state = t("dashboard.sending") if pending else t("dashboard.sent")
        when = self._local(m.get("created_at") or self.runtime.clock())
        return {
            "id": m["id"],
            "kind": kind,
            "who": who,
            "text": m.get("text") or "",
            "buttons": [b["title"] for b in m.get("buttons") or ()],
            "failed": failed,
            "pending": pending,
            "status": state,
            "failure": self._failure(m.get("error")) if failed else "",
            "time": when.strftime("%H:%M"),
            "iso": when.isoformat(),
            "full_time": f"{self._day_label(when.date())} {when.strftime('%H:%M')}",
            "day": when.date().isoformat(),
            "day_label": self._day_label(when.date()),
            "new_day": False,
            "media": m.get("media") or [],
        }

    async def _ticket_view(
        self, detail: dict[str, Any], staff: Staff, colleagues: list[Staff]
    ) -> dict[str, Any]:
        t = self.texts
        ticket, snap = detail["ticket"], detail.get("snapshot") or {}
        conversation = detail.get("conversation") or {}
        card = self._card(ticket)
        name = card["first_name"]
        status = ticket["status"]
        mine = status == "assigned" and ticket.get("assigned_to") == staff.id
        lines = [self._line(m, name, staff.id) for m in detail.get("messages") or ()]
        previous = None
        for line in lines:
            line["new_day"] = line["day"] != previous
            previous = line["day"]
        if status == "waiting":
            pill, status_label = "waiting", t("dashboard.status_waiting")
            note = t("dashboard.reply_claim_first")
        elif status == "assigned":
            holder = ticket.get("holder") or t("dashboard.who_team")
            pill = "mine" if mine else "assigned"
            status_label = (
                t("dashboard.status_assigned_you")
                if mine
                else t("dashboard.status_assigned", name=holder)
            )
            note = t("dashboard.reply_not_yours", name=holder)
        else:
            pill, note = "closed", t("dashboard.reply_closed")
            outcome = ticket.get("outcome")
            status_label = (
                t("dashboard.status_closed_outcome", outcome=self._outcome(outcome))
                if outcome
                else t("dashboard.status_closed")
            )
        window = conversation.get("reply_window") or "open"
        today = self._local(self.runtime.clock()).date()
        return {
            "id": ticket["id"],
            "conversation_id": conversation.get("id") or "",
            "channel_code": ticket.get("channel") or "",
            "status": status,
            "holder_id": ticket.get("assigned_to"),
            "mine": mine,
            "first_name": name,
            "subtitle": " · ".join(x for x in (card["age"], card["commune"], card["channel"]) if x),
            "urgent": card["urgent"],
            "since": card["since"],
            "since_label": card["since_label"],
            "pill": pill,
            "status_label": status_label,
            "lines": lines,
            "can_reply": mine,
            "can_act": status != "closed" and (mine or staff.is_coordinator),
            "can_release": status == "assigned",
            "composer_note": note,
            "window": window,
            "window_warning": t(f"dashboard.window_{window}") if window != "open" else "",
            "profile": self._profile(ticket, snap, card),
            "canned": await self.service.canned_replies(),
            "colleagues": [
                {"id": s.id, "label": s.display_name + (f" — {s.territory}" if s.territory else "")}
                for s in colleagues
                if s.id != staff.id
            ],
            "territories": await self.service.store.territories(),
            "outcomes": [(code, self._outcome(code)) for code in OUTCOMES],
            "notes": [self._note(n, staff) for n in detail.get("notes") or ()],
            "meetings": [self._meeting(m) for m in detail.get("meetings") or ()],
            "today": today.isoformat(),
        }

    def _profile(
        self, ticket: dict[str, Any], snap: dict[str, Any], card: dict[str, Any]
    ) -> list[tuple[str, str, str]]:
        """(label, value, link) rows: a phone number or e-mail is a tap away on a phone."""
        t = self.texts
        commune = snap.get("commune") or ""
        if commune and snap.get("departement_name"):
            commune = f"{commune} ({snap['departement_name']})"
        created = self._local(ticket.get("created_at") or self.runtime.clock())
        rows = [
            ("first_name", snap.get("first_name")),
            ("age", card["age"]),
            ("commune", commune),
            ("territory", ticket.get("territory")),
            ("need", snap.get("need_label")),
            ("need_text", snap.get("need_text")),
            ("contact", snap.get("contact_label")),
            ("availability", snap.get("availability_label")),
            ("channel", card["channel"]),
            ("source", ticket.get("source")),
            ("reason", self._label("reason_", ticket.get("reason"), "reason_other")),
            ("opened", f"{self._day_label(created.date())} {created.strftime('%H:%M')}"),
        ]
        links = {"contact": _contact_link(snap)}
        return [
            (t(f"dashboard.profile_{key}"), str(value), links.get(key, ""))
            for key, value in rows
            if value
        ]

    def _note(self, note: dict[str, Any], staff: Staff) -> dict[str, Any]:
        when = self._local(note.get("created_at") or self.runtime.clock())
        author = (
            self.texts("dashboard.who_you")
            if note.get("staff_id") == staff.id
            else note.get("staff_name") or self.texts("dashboard.who_team")
        )
        return {
            "id": note["id"],
            "text": note.get("text") or "",
            "author": author,
            "time": f"{self._day_label(when.date())} {when.strftime('%H:%M')}",
        }

    def _meeting(self, meeting: dict[str, Any]) -> str:
        try:
            day = self._day_label(datetime.date.fromisoformat(meeting["date"]))
        except (KeyError, ValueError):
            day = str(meeting.get("date", ""))
        return self.texts(
            "dashboard.meeting_line",
            date=day,
            time=meeting.get("time", ""),
            place=meeting.get("place", ""),
        )


def _contact_link(snap: dict[str, Any]) -> str:
    phone = re.sub(r"[^+\d]", "", str(snap.get("phone") or ""))
    if phone:
        return f"tel:{phone}"
    email = str(snap.get("email") or "")
    return f"mailto:{email}" if "@" in email and ":" not in email else ""


def _safe_next(value: str) -> str:
    """Only a path of this dashboard: never send someone elsewhere after signing in."""
    if value.startswith("/handoff/") and "//" not in value and "\\" not in value:
        return value
    return URLS["queue"]


async def _secure(request: web.Request, response: web.StreamResponse) -> None:
    """Security headers on every dashboard response (pages and their static files)."""
    if request.path == "/handoff" or request.path.startswith("/handoff/"):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
