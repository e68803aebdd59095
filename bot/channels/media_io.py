"""Files to and from the platforms: a bounded download, and the multipart parts of an upload."""

from __future__ import annotations

import aiohttp

from bot.mediatypes import EXTENSIONS, MediaRefused

DOWNLOAD_TIMEOUT_SECONDS = 60.0
_CHUNK = 64 * 1024
_GONE = frozenset({401, 403, 404, 410})  # an expired or withdrawn platform link


class FetchFailed(Exception):
    """A download that may work later (5xx, network): `code` names it, no URL, no data."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


async def download(session: aiohttp.ClientSession, url: str, max_bytes: int) -> bytes:
    """The body at `url`, refused past `max_bytes` without reading the rest."""
    timeout = aiohttp.ClientTimeout(total=DOWNLOAD_TIMEOUT_SECONDS)
    try:
        async with session.get(url, timeout=timeout) as resp:
            if resp.status in _GONE:
                raise MediaRefused("gone")
            if resp.status != 200:
                raise FetchFailed(f"http_{resp.status}")
            if resp.content_length is not None and resp.content_length > max_bytes:
                raise MediaRefused("too_big")
            body = bytearray()
            async for chunk in resp.content.iter_chunked(_CHUNK):
                body += chunk
                if len(body) > max_bytes:
                    raise MediaRefused("too_big")
            return bytes(body)
    except TimeoutError:
        raise FetchFailed("timeout") from None
    except aiohttp.ClientError as exc:
        raise FetchFailed(type(exc).__name__) from None


def file_name(name: str | None, mime: str) -> str:
    """A plain ASCII file name for an upload: the counsellor's name, else one from the type."""
    ext = EXTENSIONS.get(mime, "bin")
    stem = "".join(c for c in (name or "").rsplit(".", 1)[0] if c.isascii() and c.isalnum())
    return f"{stem[:40] or 'fichier'}.{ext}"
