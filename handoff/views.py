"""How tickets, threads and accounts read for staff: plain JSON-ready dicts, no HTML.

Youth-written text is returned as data only; whoever shows it (the dashboard) renders it
inert. The same dicts serve the JSON API and the dashboard's server-side pages.
"""

from __future__ import annotations

from typing import Any, Literal

from bot.store.base import Conversation, Meeting, Note, QueuedTicket, Staff, ThreadEntry

# Blank means made only of these (JavaScript's `\s`), so the OpenAPI patterns and the server
# agree whatever regex engine checks them; Python's own idea of whitespace differs slightly.
BLANK = (
    "\t\n\v\f\r \u00a0\u1680"
    + "".join(map(chr, range(0x2000, 0x200B)))
    + ("\u2028\u2029\u202f\u205f\u3000\ufeff")
)
NOT_BLANK_PATTERN = "[^" + "".join(f"\\u{ord(c):04x}" for c in BLANK) + "]"
META_CHANNELS = frozenset({"messenger", "instagram"})
FREE_WINDOW_SECONDS = 24 * 3600  # Meta: free replies this long after the youth's last message
TAG_WINDOW_SECONDS = 7 * 24 * 3600  # then HUMAN_AGENT-tagged human replies, up to this

Window = Literal["open", "human_agent", "closed"]


def trim(text: str) -> str:
    """The text without blank characters at either end ('' when it is all blank)."""
    return text.strip(BLANK)


def reply_window(conversation: Conversation, now: float) -> Window:
    """Whether a counsellor can still write to the youth on their channel."""
    if conversation.channel not in META_CHANNELS:
        return "open"
    if conversation.last_inbound_at is None:
        return "closed"
    age = now - conversation.last_inbound_at
    if age > TAG_WINDOW_SECONDS:
        return "closed"
    return "human_agent" if age > FREE_WINDOW_SECONDS else "open"


def ticket_summary(
    queued: QueuedTicket, names: dict[int, str], now: float, *, alert: bool
) -> dict[str, Any]:
    """One queue line: who is waiting, for what, since when, where from."""
    t, snap = queued.ticket, queued.ticket.snapshot
    return {
        "id": t.id,
        "status": t.status,
        "priority": t.priority,
        "reason": t.reason,
        "first_name": snap.get("first_name"),
        "age": snap.get("age"),
        "commune": snap.get("commune"),
        "need": snap.get("need_label") or None,
        "channel": t.channel,
        "source": t.source,
        "territory": t.territory,
        "structure": snap.get("structure"),
        "created_at": t.created_at,
        "waiting_since": queued.waiting_since,
        "waiting_seconds": round(max(0.0, now - queued.waiting_since))
        if t.status == "waiting"
        else None,
        "claimed_at": t.claimed_at,
        "assigned_to": t.assigned_to,
        "holder": names.get(t.assigned_to) if t.assigned_to is not None else None,
        "first_reply_at": t.first_reply_at,
        "closed_at": t.closed_at,
        "outcome": t.outcome,
        "alert": alert,
        "alerted_at": t.alerted_at,
    }


def thread_line(entry: ThreadEntry, names: dict[int, str]) -> dict[str, Any]:
    return {
        "id": entry.id,
        "direction": entry.direction,
        "author": entry.author,
        "text": entry.text,
        "staff_id": entry.staff_id,
        "staff_name": names.get(entry.staff_id) if entry.staff_id is not None else None,
        "buttons": [{"title": title, "payload": payload} for title, payload in entry.buttons],
        "status": entry.status,
        "error": entry.error,
        "created_at": entry.created_at,
        "ticket_id": entry.ticket_id,
    }


def conversation_view(conversation: Conversation | None, now: float) -> dict[str, Any] | None:
    if conversation is None:
        return None
    return {
        "id": conversation.id,
        "channel": conversation.channel,
        "mode": conversation.mode,
        "state": conversation.state,
        "last_inbound_at": conversation.last_inbound_at,
        "reply_window": reply_window(conversation, now),
    }


def note_view(note: Note, names: dict[int, str]) -> dict[str, Any]:
    return {
        "id": note.id,
        "staff_id": note.staff_id,
        "staff_name": names.get(note.staff_id),
        "text": note.text,
        "created_at": note.created_at,
    }


def meeting_view(meeting: Meeting, names: dict[int, str]) -> dict[str, Any]:
    return {
        "id": meeting.id,
        "staff_id": meeting.staff_id,
        "staff_name": names.get(meeting.staff_id),
        "date": meeting.day,
        "time": meeting.time,
        "place": meeting.place,
        "message_id": meeting.message_id,
        "created_at": meeting.created_at,
    }


def staff_view(staff: Staff, *, full: bool) -> dict[str, Any]:
    """An account as a colleague sees it; `full` (coordinator) adds e-mail and status."""
    view: dict[str, Any] = {
        "id": staff.id,
        "display_name": staff.display_name,
        "role": staff.role,
        "territory": staff.territory,
    }
    if full:
        view.update(email=staff.email, active=staff.active, created_at=staff.created_at)
    return view
