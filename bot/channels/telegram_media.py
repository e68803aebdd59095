"""Files on Telegram: `getFile` then the file download URL inbound; sendPhoto/sendDocument out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram import InputFile
from telegram.error import BadRequest, TelegramError

from bot.channels.media_io import FetchFailed, file_name
from bot.errors import SendError
from bot.events import OutboxItem
from bot.mediatypes import MediaRefused, kind_of

if TYPE_CHECKING:
    from telegram import Bot

    from bot.channels.base import Channel
    from bot.store.roles_media import Media

CAPTION_MAX = 1024  # Bot API limit of a photo or document caption


def file_base_url(base_url: str) -> str:
    """Where downloads live for an API base URL: `…/bot` becomes `…/file/bot`."""
    root = base_url.rstrip("/")
    return (root[: -len("/bot")] if root.endswith("/bot") else root) + "/file/bot"


async def fetch(bot: Bot | None, file_id: str, max_bytes: int) -> bytes:
    if bot is None:
        raise MediaRefused("not_started")
    try:
        found = await bot.get_file(file_id)
    except BadRequest as exc:  # unknown id, or over the Bot API's own download limit
        raise MediaRefused("too_big" if "too big" in exc.message.lower() else "gone") from None
    except TelegramError as exc:
        raise FetchFailed(type(exc).__name__) from None
    if found.file_size is not None and found.file_size > max_bytes:
        raise MediaRefused("too_big")
    try:
        content = bytes(await found.download_as_bytearray())
    except TelegramError as exc:
        raise FetchFailed(type(exc).__name__) from None
    if len(content) > max_bytes:
        raise MediaRefused("too_big")
    return content


async def send_file(
    channel: Channel, bot: Bot | None, item: OutboxItem, media: Media, content: bytes
) -> None:
    """sendPhoto or sendDocument with the caption; a longer text follows as a message."""
    if bot is None:
        raise SendError("channel_not_started")
    text = item.reply.text.strip()
    caption = text if len(text) <= CAPTION_MAX else None
    if item.id not in _sent:
        upload = InputFile(content, filename=file_name(media.name, media.mime or ""))
        try:
            if kind_of(media.mime or "") == "image" and media.mime != "image/gif":
                await bot.send_photo(item.user_id, upload, caption=caption or None)
            else:
                await bot.send_document(item.user_id, upload, caption=caption or None)
        except TelegramError as exc:
            from bot.channels.telegram import _send_error

            raise _send_error(exc) from None
        if caption is not None:
            return
        _sent[item.id] = None
        while len(_sent) > _REMEMBERED:
            del _sent[next(iter(_sent))]
    await channel.send(item)  # the text too long for a caption
    _sent.pop(item.id, None)


# Outbox ids whose file is out while their long text is not yet: a retry sends the text only.
_sent: dict[int, None] = {}
_REMEMBERED = 1000
