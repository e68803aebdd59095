"""The ticket page: the youth's card and profile, the whole thread, notes, meetings, actions."""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING, Any

from aiohttp import web

from handoff import story
from handoff.errors import NotFound
from handoff.pages import Pages
from handoff.service import OUTCOMES

if TYPE_CHECKING:
    from bot.store.base import Staff
    from handoff.deps import HandoffDeps
    from handoff.service import Handoff

FAILURE_ALIASES = {"invalid_token": "bad_token", "timeout": "network", "temporary": "network"}


def setup(pages: web.Application, deps: HandoffDeps, service: Handoff) -> None:
    view = TicketPage(deps, service)
    pages.router.add_get(r"/tickets/{ticket_id:[A-Za-z0-9_-]{1,64}}", view.ticket_page)


class TicketPage(Pages):
    """GET /handoff/tickets/{id}."""

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
            **frame,
        )

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

    def _line(
        self, m: dict[str, Any], youth: str, me: int | None = None, seen: float | None = None
    ) -> dict[str, Any]:
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
        elif kind == "counsellor" and pending:
            state = t("dashboard.sending")
        elif kind == "counsellor":
            read = seen is not None and (m.get("created_at") or 0) <= seen
            state = t("presence.seen") if read else t("dashboard.sent")
        when = self._local(m.get("created_at") or self.deps.clock())
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
        seen = await self.deps.store.seen_until(conversation["id"]) if conversation else None
        lines = [self._line(m, name, staff.id, seen) for m in detail.get("messages") or ()]
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
        today = self._local(self.deps.clock()).date()
        return {
            "id": ticket["id"],
            "conversation_id": conversation.get("id") or "",
            "channel_code": ticket.get("channel") or "",
            "status": status,
            "holder_id": ticket.get("assigned_to"),
            "holder_name": ticket.get("holder") or "",
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
        created = self._local(ticket.get("created_at") or self.deps.clock())
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
        when = self._local(note.get("created_at") or self.deps.clock())
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
