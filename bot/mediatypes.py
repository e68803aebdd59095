"""What a file really is, read from its first bytes: the declared type is never trusted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

MediaKind = Literal["image", "audio", "video", "file"]

# Every type this module can recognise, with the kind it is shown as.
KNOWN_TYPES: dict[str, MediaKind] = {
    "image/jpeg": "image",
    "image/png": "image",
    "image/webp": "image",
    "image/gif": "image",
    "audio/ogg": "audio",
    "audio/mpeg": "audio",
    "audio/mp4": "audio",
    "audio/aac": "audio",
    "video/mp4": "video",
    "application/pdf": "file",
}
DEFAULT_TYPES = ",".join(KNOWN_TYPES)
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
SNIFF_BYTES = 16  # enough for every signature below
EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/gif": "gif",
    "audio/ogg": "ogg",
    "audio/mpeg": "mp3",
    "audio/mp4": "m4a",
    "audio/aac": "aac",
    "video/mp4": "mp4",
    "application/pdf": "pdf",
}
_AUDIO_BRANDS = (b"M4A ", b"M4B ", b"M4P ")


class MediaRefused(Exception):
    """A file we will not keep: `code` is too_big, bad_type, empty or gone (permanent)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def sniff(head: bytes) -> str | None:
    """The media type of a file from its first bytes, or None when none we know matches."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"OggS"):
        return "audio/ogg"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head[4:8] == b"ftyp":
        return "audio/mp4" if head[8:12] in _AUDIO_BRANDS else "video/mp4"
    if head.startswith(b"ID3"):
        return "audio/mpeg"
    if len(head) >= 2 and head[0] == 0xFF:
        if head[1] & 0xF6 == 0xF0:  # ADTS frame header: raw AAC
            return "audio/aac"
        if head[1] & 0xE0 == 0xE0:  # MPEG audio frame sync
            return "audio/mpeg"
    return None


def parse_types(value: str) -> frozenset[str]:
    """The allow-list setting: comma-separated types, each one we can recognise."""
    types = frozenset(t.strip().lower() for t in value.split(",") if t.strip())
    unknown = sorted(types - KNOWN_TYPES.keys())
    if unknown:
        raise ValueError(
            f"unknown media types {', '.join(unknown)}; known: {', '.join(KNOWN_TYPES)}"
        )
    return types


def check(content: bytes, allowed: frozenset[str], max_bytes: int) -> str:
    """The sniffed type of a whole file within the limits; MediaRefused otherwise."""
    if not content:
        raise MediaRefused("empty")
    if len(content) > max_bytes:
        raise MediaRefused("too_big")
    mime = sniff(content[:SNIFF_BYTES])
    if mime is None or mime not in allowed:
        raise MediaRefused("bad_type")
    return mime


def size_label(texts: Callable[..., str], size: int) -> str:
    """A size as people read it: "1,5 Mo", "300 ko" (units from the catalogue)."""
    if size >= 1024 * 1024:
        mb = f"{size / (1024 * 1024):.1f}".replace(".", ",").removesuffix(",0")
        return texts("media.size_mb", n=mb)
    return texts("media.size_kb", n=str(max(1, round(size / 1024))))


def kind_of(mime: str) -> MediaKind:
    return KNOWN_TYPES.get(mime, "file")


def shown_inline(mime: str | None) -> bool:
    """Images, audio and video play in the page; anything else is downloaded."""
    return bool(mime) and kind_of(mime or "") in ("image", "audio", "video")
