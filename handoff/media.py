"""Media in the handoff: files shown with their thread lines, and a file a counsellor sends."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any

from bot.channels.base import Channel
from bot.events import Reply
from bot.mediatypes import MediaRefused, check, kind_of, parse_types, size_label
from bot.store.base import Conflict, CounsellorReplied, UnitOfWork
from bot.store.roles_media import Media
from handoff import views
from handoff.errors import Invalid, Refused

if TYPE_CHECKING:
    from bot.store.base import Staff
    from handoff.service import Handoff

MEDIA_URL = "/handoff/media/{id}"
# What a counsellor may send: pictures and PDF documents (a flyer, a map, a form).
SENDABLE = frozenset({"image/jpeg", "image/png", "image/webp", "image/gif", "application/pdf"})
# Instagram takes PNG, JPEG and GIF images up to 8 MB, and PDF files (Meta's upload docs).
CHANNEL_TYPES = {
    "instagram": frozenset({"image/jpeg", "image/png", "image/gif", "application/pdf"})
}
CHANNEL_IMAGE_MAX = {"instagram": 8 * 1024 * 1024}
COMMIT_RETRIES = 5
NAME_MAX = 120
_NOTES = {"too_big": "media.note_too_big", "bad_type": "media.note_bad_type"}


def media_view(media: Media, limit: str) -> dict[str, Any]:
    """A media as the dashboard shows it: language-neutral, with the catalogue key of its note."""
    kind = kind_of(media.mime) if media.mime else "file"
    note = ""
    if media.status == "pending":
        note = "media.pending"
    elif media.status == "failed":
        note = _NOTES.get(media.error or "", "media.note_lost")
    size = media.size or 0
    return {
        "id": media.id,
        "url": MEDIA_URL.format(id=media.id),
        "status": media.status,
        "kind": kind,
        "mime": media.mime,
        "name": media.name or "",
        "size": size,
        "note_key": note,
        "limit": limit,
    }


async def attach(
    service: Handoff, conversation_id: str | None, lines: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The thread lines, each with the media sent with it (`media`, maybe empty)."""
    store, texts = service.store, service.deps.texts
    limit = size_label(texts, service.deps.settings.media_max_bytes)
    found = await store.conversation_media(conversation_id) if conversation_id else []
    by_line: dict[int, list[dict[str, Any]]] = {}
    for media in found:
        if media.message_id is not None:
            view = media_view(media, limit) | {"size_label": size_label(texts, media.size or 0)}
            by_line.setdefault(media.message_id, []).append(view)
    for line in lines:
        line["media"] = by_line.get(line["id"], [])
    return lines


def can_send_files(channel: Channel | None) -> bool:
    return channel is not None and type(channel).send_media is not Channel.send_media


async def send_file(
    service: Handoff, ticket_id: str, staff: Staff, name: str, content: bytes, caption: str
) -> int | None:
    """Store the file, then commit the reply carrying it; returns its thread line id."""
    deps = service.deps
    settings = deps.settings
    allowed = parse_types(settings.media_types) & SENDABLE
    try:
        mime = check(content, allowed, settings.media_max_bytes)
    except MediaRefused as exc:
        key = "media.error_too_big" if exc.code == "too_big" else "media.error_bad_type"
        if exc.code == "empty":
            key = "media.error_missing"
        raise Invalid(key, limit=size_label(deps.texts, settings.media_max_bytes)) from None
    media: Media | None = None
    for _ in range(COMMIT_RETRIES):
        ticket = (await service._queued(ticket_id)).ticket
        if not service._held(ticket, staff):
            raise await service._refusal(ticket)
        conversation = await service._conversation(ticket)
        if not can_send_files(deps.channels.get(conversation.channel)):
            raise Invalid("media.error_unsupported")
        _fits_channel(conversation.channel, mime, len(content), deps.texts)
        now = service.now()
        if views.reply_window(conversation, now) == "closed":
            raise Invalid("api.error_window_closed")
        if media is None:
            media = await service.store.add_media(
                conversation.id,
                conversation.channel,
                kind_of(mime),
                mime,
                name[:NAME_MAX],
                content,
                now,
            )
        reply = Reply(caption, author="counsellor", staff_id=staff.id, media_id=media.id)
        uow = UnitOfWork(
            conversation=dataclasses.replace(conversation, profile=dict(conversation.profile)),
            replies=[reply],
            ticket_changes=[CounsellorReplied(now)],
        )
        try:
            result = await deps.store.commit(uow, now)
        except Conflict:
            continue  # the youth wrote, or the ticket moved: check again from fresh state
        deps.wake_sender()
        line_id = await service.store.thread_id_of_outbox(result.outbox_ids[0])
        deps.live.publish(
            "message", conversation_id=conversation.id, ticket_id=ticket_id, message_ids=[line_id]
        )
        # Ids only: never the file's name or words in the audit log.
        await service.audit(
            staff, "media_sent", f"ticket:{ticket_id}", message_id=line_id, media_id=media.id
        )
        return line_id
    raise Refused("api.error_conversation_moved")


def _fits_channel(channel: str, mime: str, size: int, texts: Any) -> None:
    """What one platform accepts beyond our own limits."""
    if mime not in CHANNEL_TYPES.get(channel, SENDABLE):
        raise Invalid("media.error_bad_type")
    image_max = CHANNEL_IMAGE_MAX.get(channel)
    if image_max is not None and kind_of(mime) == "image" and size > image_max:
        raise Invalid("media.error_too_big", limit=size_label(texts, image_max))
