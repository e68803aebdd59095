"""The platforms' file sides on loopback: Meta's expiring CDN links and Send API uploads,
Telegram's getFile, file downloads, sendPhoto and sendDocument.

`FakeGraphMedia` is the fake Graph API plus a CDN: `host(data)` gives an URL that answers
403 once expired (as Meta's signed links do) and counts its downloads; multipart POSTs to
`/me/messages` are recorded as `uploads` with their bytes. `FakeTelegramMedia` serves files
put with `put(file_id, data)` through getFile and `/file/bot<token>/<path>`, and records the
files sent with sendPhoto/sendDocument.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import secrets
import struct
import time
import zlib
from collections import Counter
from dataclasses import dataclass
from typing import Any, ClassVar

from aiohttp import web

from tests.support.fake_meta import FakeGraph
from tests.support.fake_telegram import Call, FakeTelegram

_file_numbers = itertools.count(1)


def jpeg(marker: bytes = b"", size: int = 2048) -> bytes:
    """Bytes a sniffer reads as JPEG (not a decodable picture), padded to `size`."""
    head = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + marker
    return head + b"\x00" * max(0, size - len(head) - 2) + b"\xff\xd9"


def png(width: int = 40, height: int = 30, grey: int = 90) -> bytes:
    """A real, decodable grey PNG: a browser shows it."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\x00" + bytes([grey]) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def pdf(text: str = "Plan") -> bytes:
    return b"%PDF-1.4\n% " + text.encode() + b"\n" + b"0" * 1500 + b"\n%%EOF\n"


def ogg(size: int = 3000) -> bytes:
    return b"OggS\x00\x02" + b"\x00" * (size - 6)


@dataclass
class Upload:
    """One file a platform received from the bot."""

    platform_call: str  # messages (Meta), sendPhoto / sendDocument (Telegram)
    recipient: str
    fields: dict[str, Any]
    filename: str
    content_type: str
    data: bytes


class FakeGraphMedia(FakeGraph):
    """The fake Graph API with a CDN of expiring links and multipart uploads."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.files: dict[str, tuple[bytes, float, str]] = {}
        self.downloads: Counter[str] = Counter()
        self.uploads: list[Upload] = []
        self.cdn_failures = 0  # the next downloads answer 503
        self.cdn_delay = 0.0  # seconds each download takes

    async def start(self) -> FakeGraphMedia:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_get("/cdn/{key}", self._cdn)
        app.router.add_post(f"/{self.version}/me/messages", self._messages_or_upload)
        app.router.add_route("*", "/{tail:.*}", self._unexpected)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    def host(self, data: bytes, ttl: float = 300.0, content_type: str = "image/jpeg") -> str:
        """An URL serving `data` until `ttl` seconds from now, like Meta's signed CDN links."""
        key = secrets.token_hex(8)
        self.files[key] = (data, time.time() + ttl, content_type)
        return f"{self.base_url}/cdn/{key}?oe={int(time.time() + ttl):x}"

    async def _cdn(self, request: web.Request) -> web.StreamResponse:
        key = request.match_info["key"]
        self.downloads[key] += 1
        if self.cdn_delay:
            await asyncio.sleep(self.cdn_delay)
        found = self.files.get(key)
        if found is None:
            return web.Response(status=404, text="not found")
        if self.cdn_failures:
            self.cdn_failures -= 1
            return web.Response(status=503, text="try again")
        data, expires, content_type = found
        if time.time() > expires:
            return web.Response(status=403, text="URL signature expired")
        return web.Response(body=data, content_type=content_type)

    async def _messages_or_upload(self, request: web.Request) -> web.Response:
        if request.content_type != "multipart/form-data":
            return await self._messages(request)
        if request.headers.get("Authorization", "").removeprefix("Bearer ") not in self.tokens:
            return web.json_response({"error": {"code": 190, "message": "bad token"}}, status=400)
        form = await request.post()
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        filedata = form.get("filedata")
        try:
            recipient = json.loads(fields.get("recipient", "{}")).get("id", "")
            attachment = json.loads(fields.get("message", "{}"))["attachment"]
            assert attachment["type"] in ("image", "audio", "video", "file")
            assert attachment["payload"] == {"is_reusable": False}
            assert fields.get("messaging_type") in ("RESPONSE", "MESSAGE_TAG")
            assert isinstance(filedata, web.FileField)
        except (ValueError, KeyError, AssertionError, TypeError):
            self.invalid.append((None, "bad attachment upload"))  # type: ignore[arg-type]
            return web.json_response({"error": {"code": 100, "message": "bad upload"}}, status=400)
        self.uploads.append(
            Upload(
                "messages",
                recipient,
                {**fields, "message": json.loads(fields["message"])},
                filedata.filename,
                filedata.content_type,
                filedata.file.read(),
            )
        )
        return web.json_response(
            {"recipient_id": recipient, "message_id": f"m_upload{next(_file_numbers)}"}
        )


class FakeTelegramMedia(FakeTelegram):
    """The fake Bot API with files to download and uploads recorded whole."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.files: dict[str, tuple[str, bytes]] = {}  # file_id -> (file_path, bytes)
        self.downloads: Counter[str] = Counter()
        self.uploads: list[Upload] = []

    def put(self, file_id: str, data: bytes) -> None:
        self.files[file_id] = (f"documents/file_{next(_file_numbers)}", data)

    async def _handle(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        if path.startswith("file/"):
            return self._download(path)
        method = path.partition("/")[2]
        if method in ("sendPhoto", "sendDocument") and path.startswith(f"bot{self.token}/"):
            return await self._upload(request, method)
        return await super()._handle(request)

    def _download(self, path: str) -> web.Response:
        prefix = f"file/bot{self.token}/"
        if not path.startswith(prefix):
            self.problems.append("file download with a wrong token")
            return web.Response(status=401)
        wanted = path[len(prefix) :]
        for file_id, (file_path, data) in self.files.items():
            if file_path == wanted:
                self.downloads[file_id] += 1
                return web.Response(body=data, content_type="application/octet-stream")
        return web.Response(status=404)

    def _get_file(self, params: dict[str, Any]) -> Any:
        file_id = str(params.get("file_id", ""))
        found = self.files.get(file_id)
        if found is None:
            from tests.support.fake_telegram import _Refused

            raise _Refused("Bad Request: invalid file_id")
        return {
            "file_id": file_id,
            "file_unique_id": file_id[-8:],
            "file_size": len(found[1]),
            "file_path": found[0],
        }

    async def _upload(self, request: web.Request, method: str) -> web.Response:
        form = await request.post()
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        files = [v for v in form.values() if isinstance(v, web.FileField)]
        call = Call(method, dict(fields), time.monotonic(), status=200)
        self.calls.append(call)
        if len(files) != 1 or not fields.get("chat_id"):
            self.problems.append(f"{method}: expected one file and a chat_id")
            call.status = 400
            return web.json_response({"ok": False, "error_code": 400}, status=400)
        upload = files[0]
        self.uploads.append(
            Upload(
                method,
                fields["chat_id"],
                fields,
                upload.filename,
                upload.content_type,
                upload.file.read(),
            )
        )
        message = {
            "message_id": next(self._message_ids),
            "chat": {"id": int(fields["chat_id"]), "type": "private"},
            "date": int(time.time()),
        }
        return web.json_response({"ok": True, "result": message})

    _METHODS: ClassVar[dict[str, Any]] = {**FakeTelegram._METHODS, "getFile": _get_file}
