"""Files on Messenger and Instagram: fetch the CDN link of an attachment, upload with the Send API.

Inbound, Meta gives `attachments[].payload.url`, a signed CDN link that expires: it is
downloaded soon after arrival, with no token. Outbound, the file goes as a multipart POST to
`/me/messages` (`recipient`, `message.attachment` with `is_reusable: false`, `filedata`), the
upload-and-send call of the Send API, so no public link to our files is ever needed.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import aiohttp
import structlog

from bot.channels.media_io import download, file_name
from bot.errors import SendError
from bot.events import OutboxItem
from bot.mediatypes import MediaRefused, kind_of

if TYPE_CHECKING:
    from bot.channels.meta import MetaChannel
    from bot.store.roles_media import Media

log = structlog.get_logger(__name__)

UPLOAD_TIMEOUT_SECONDS = 120.0
_REMEMBERED = 1000


async def fetch(channel: MetaChannel, url: str, max_bytes: int) -> bytes:
    if channel.session is None:
        raise MediaRefused("not_started")
    return await download(channel.session, url, max_bytes)


async def send_file(channel: MetaChannel, item: OutboxItem, media: Media, content: bytes) -> None:
    """The file, then the counsellor's words if any; a retry does not upload the file again."""
    key = (channel.name, item.id)
    if key not in _uploaded:
        form = aiohttp.FormData()
        form.add_field("recipient", json.dumps({"id": item.user_id}))
        for name, value in channel.routing(item).items():
            form.add_field(name, value)
        kind = kind_of(media.mime or "")
        attachment = {"attachment": {"type": kind, "payload": {"is_reusable": False}}}
        form.add_field("message", json.dumps(attachment))
        form.add_field(
            "filedata",
            content,
            filename=file_name(media.name, media.mime or ""),
            content_type=media.mime or "application/octet-stream",
        )
        try:
            await channel._post(None, form=form, timeout=UPLOAD_TIMEOUT_SECONDS)
        except SendError as exc:
            log.warning("meta_upload_error", channel=channel.name, outbox=item.id, code=exc.code)
            raise
        _uploaded[key] = None
        while len(_uploaded) > _REMEMBERED:
            del _uploaded[next(iter(_uploaded))]
    if item.reply.text.strip():
        await channel.send(item)
    _uploaded.pop(key, None)


# Outbox ids whose file is delivered while their text is not yet: in memory, like text parts.
_uploaded: dict[tuple[str, int], None] = {}
