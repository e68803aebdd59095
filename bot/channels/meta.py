"""Meta's two channels, Messenger and Instagram: one signed webhook, the Send API, the windows.

The webhook (`/webhooks/meta`) is mounted once and routes each POST by its `object` to the
channel that owns it. Each channel turns Meta's messaging events into `InboundEvent`s and
renders neutral replies for the Send API; the platform modules only set their limits.
"""

from __future__ import annotations

import email.utils
import hashlib
import hmac
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

import aiohttp
import structlog
from aiohttp import web

from bot.channels import meta_media
from bot.channels.base import Channel, Inbox, split_text
from bot.channels.meta_reads import reads_of
from bot.errors import ConfigError, SendError
from bot.events import Button, InboundEvent, OutboxItem
from bot.jsonlimits import loads_limited
from bot.settings import Settings
from bot.store.base import Store, StoreUnavailable
from bot.store.roles_media import Media

log = structlog.get_logger(__name__)

WEBHOOK_PATH = "/webhooks/meta"
GET_STARTED = "GET_STARTED"  # the Get Started payload set in the Page's messenger_profile
GRAPH_TIMEOUT_SECONDS = 10.0
RESPONSE_WINDOW_SECONDS = 24 * 3600
HUMAN_AGENT_WINDOW_SECONDS = 7 * 24 * 3600
MAX_QUICK_REPLIES = 13
MAX_TITLE_CHARS = 20
MAX_PAYLOAD_CHARS = 1000
REMEMBERED_IDS = 10_000  # sent message ids kept to recognise our own echoes; parts in progress

_SOURCE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_KIND = re.compile(r"^[a-z_]{1,40}$")
_ATTACHMENT_KINDS = {
    "image": "image",
    "audio": "audio",
    "video": "video",
    "file": "file",
    "sticker": "sticker",
    "like_heart": "sticker",  # Instagram's heart
}
# Events that need nothing from us; anything else unknown is logged by its kind only.
_QUIET_KINDS = frozenset(
    {
        "read",
        "delivery",
        "messaging_seen",
        "reaction",
        "message_edit",
        "optin",
        "pass_thread_control",
        "take_thread_control",
        "request_thread_control",
        "app_roles",
        "policy_enforcement",
    }
)
_RATE_LIMIT_CODES = frozenset({4, 17, 32, 613})
_TEMPORARY_CODES = frozenset({1, 2})
_WINDOW_CLOSED_SUBCODE = 2018278


class MetaWebhook:
    """`GET/POST /webhooks/meta`: verification, signature check, routing by `object`."""

    def __init__(self, app_secret: str, verify_token: str) -> None:
        self._secret = app_secret.encode()
        self._verify_token = verify_token.encode()
        self.channels: dict[str, MetaChannel] = {}
        self._inbox: Inbox | None = None

    def add(self, channel: MetaChannel) -> None:
        self.channels[channel.webhook_object] = channel

    def register(self, app: web.Application, inbox: Inbox) -> None:
        """Add the route once per app, whichever of the channels asks first."""
        self._inbox = inbox
        if _WEBHOOK_KEY in app:
            return
        app[_WEBHOOK_KEY] = self
        app.router.add_get(WEBHOOK_PATH, self._verify)
        app.router.add_post(WEBHOOK_PATH, self._receive)

    def signed(self, raw: bytes, header: str) -> bool:
        """Whether `X-Hub-Signature-256` is the HMAC-SHA256 of these exact bytes."""
        expected = b"sha256=" + hmac.new(self._secret, raw, hashlib.sha256).hexdigest().encode()
        received = header.strip().lower().encode("utf-8", "surrogateescape")
        return hmac.compare_digest(expected, received)

    async def _verify(self, request: web.Request) -> web.Response:
        query = request.query
        token = query.get("hub.verify_token", "").encode("utf-8", "surrogateescape")
        if query.get("hub.mode") == "subscribe" and hmac.compare_digest(token, self._verify_token):
            log.info("meta_webhook_verified")
            return web.Response(text=query.get("hub.challenge", ""))
        log.warning("meta_webhook_verification_refused")
        return web.Response(status=403)

    async def _receive(self, request: web.Request) -> web.Response:
        raw = await request.read()
        header = request.headers.get("X-Hub-Signature-256", "")
        if not self.signed(raw, header):
            log.warning("meta_bad_signature", signature_present=bool(header))
            return web.Response(status=403)
        data = loads_limited(raw)
        if not isinstance(data, dict):
            log.warning("meta_malformed_body", size=len(raw))
            return web.Response(status=400)
        obj = data.get("object")
        channel = self.channels.get(obj) if isinstance(obj, str) else None
        if channel is None:
            log.info("meta_object_ignored", object=obj if _is_kind(obj) else "?")
            return web.Response(text="EVENT_RECEIVED")
        events, ignored = channel.parse_batch(data.get("entry"))
        new = 0
        if events:
            assert self._inbox is not None, "register() runs before any request"
            try:
                new = await self._inbox.ingest_many(events)
            except StoreUnavailable:
                log.warning("meta_store_unavailable", channel=channel.name, events=len(events))
                return web.Response(status=503)
        reads = reads_of(data.get("entry"))
        if reads:
            assert self._inbox is not None, "register() runs before any request"
            try:
                await self._inbox.seen(channel.name, reads)
            except StoreUnavailable:
                log.warning("meta_store_unavailable", channel=channel.name, reads=len(reads))
                return web.Response(status=503)
        log.info(
            "meta_webhook",
            channel=channel.name,
            events=len(events),
            new=new,
            kinds=dict(Counter(e.kind for e in events)),
            ignored=dict(ignored),
        )
        return web.Response(text="EVENT_RECEIVED")


_WEBHOOK_KEY = web.AppKey("meta_webhook", MetaWebhook)


class MetaChannel(Channel):
    """What Messenger and Instagram share; subclasses set the name, object, limits and token."""

    webhook_object: ClassVar[str]
    max_buttons: ClassVar[int] = MAX_QUICK_REPLIES

    def __init__(
        self,
        settings: Settings,
        webhook: MetaWebhook,
        *,
        clock: Callable[[], float] = time.time,
        timeout: float = GRAPH_TIMEOUT_SECONDS,
    ) -> None:
        self.webhook = webhook
        self.clock = clock
        self.timeout = timeout
        self.app_id = settings.meta_app_id or None
        self.url = (
            f"{settings.meta_graph_base_url.rstrip('/')}/{settings.meta_graph_version}/me/messages"
        )
        self._token = self.access_token(settings)
        self._session: aiohttp.ClientSession | None = None
        self._sent_ids: dict[str, None] = {}  # insertion-ordered set, oldest first
        self._parts_done: dict[int, int] = {}  # outbox id -> parts of a long text already sent
        webhook.add(self)

    # --- what the platforms differ in ------------------------------------------
    @staticmethod
    def access_token(settings: Settings) -> str:
        """The token this channel sends with."""
        return secret_value(settings.meta_page_access_token)

    @staticmethod
    def measure(text: str) -> int:
        """Size of a text in the unit of `max_text`."""
        return len(text)

    # --- life ----------------------------------------------------------------
    def register(self, app: web.Application, inbox: Inbox) -> None:
        self.webhook.register(app, inbox)

    async def start(self) -> None:
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout))

    async def stop(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    # --- inbound -------------------------------------------------------------
    def parse_batch(self, entries: Any) -> tuple[list[InboundEvent], Counter[str]]:
        """Every event of a webhook POST, in order; and what was left out, counted by kind."""
        events: list[InboundEvent] = []
        ignored: Counter[str] = Counter()
        for entry in entries if isinstance(entries, list) else ():
            if not isinstance(entry, dict):
                ignored["malformed"] += 1
                continue
            for key in ("messaging", "standby"):
                for item in _dicts(entry.get(key)):
                    result = self.parse(item)
                    if isinstance(result, str):
                        ignored[result] += 1
                    else:
                        events.append(result)
        return events, ignored

    def parse(self, item: dict[str, Any]) -> InboundEvent | str:
        """One messaging event as an `InboundEvent`, or the kind it was ignored as."""
        sender = _id(item.get("sender"))
        recipient = _id(item.get("recipient"))
        raw_ts = item.get("timestamp")
        ts = raw_ts / 1000 if isinstance(raw_ts, int | float) else None
        if isinstance(item.get("message"), dict):
            return self._message(item["message"], sender, recipient, ts)
        if isinstance(item.get("postback"), dict):
            return self._postback(item["postback"], sender, raw_ts, ts)
        if isinstance(item.get("referral"), dict):
            source = _source(item["referral"].get("ref"))
            if not sender or source is None:
                return "referral_without_ref"
            event_id = f"ref:{sender}:{raw_ts}"
            return InboundEvent(
                self.name, sender, event_id, "referral", source=source, timestamp=ts
            )
        kind = next((k for k in item if k not in ("sender", "recipient", "timestamp")), "empty")
        kind = kind if _is_kind(kind) else "unknown"
        if kind not in _QUIET_KINDS:
            log.info("meta_event_unknown", channel=self.name, kind=kind)
        return kind

    def _message(
        self, msg: dict[str, Any], sender: str, recipient: str, ts: float | None
    ) -> InboundEvent | str:
        mid = _text(msg.get("mid"))
        if not mid:
            return "message_without_mid"
        found = list(_dicts(msg.get("attachments")))
        attachments = tuple(_attachment_kind(a) for a in found)
        refs = tuple(_attachment_url(a) for a in found)
        if msg.get("is_echo"):
            if mid in self._sent_ids or not self.app_id or str(msg.get("app_id")) == self.app_id:
                return "own_echo"
            if not recipient:
                return "malformed"
            # A person answered from Meta's inbox (or another app): the youth is the recipient.
            return InboundEvent(
                self.name,
                recipient,
                mid,
                "staff_echo",
                text=_text(msg.get("text")),
                attachments=attachments,
                timestamp=ts,
            )
        if msg.get("is_deleted"):
            return "message_deleted"
        if not sender:
            return "malformed"
        source = _source(_field(msg, "referral", "ref"))
        payload = _text(_field(msg, "quick_reply", "payload"))
        common: dict[str, Any] = {"source": source, "timestamp": ts}
        if payload:
            payload = payload[:MAX_PAYLOAD_CHARS]
            return InboundEvent(self.name, sender, mid, "button", payload=payload, **common)
        text = _text(msg.get("text"))
        if text.strip():
            return InboundEvent(
                self.name,
                sender,
                mid,
                "text",
                text=text,
                attachments=attachments,
                media_refs=refs,
                **common,
            )
        if not attachments and msg.get("is_unsupported"):
            attachments, refs = ("other",), ("",)
        if attachments:
            return InboundEvent(
                self.name,
                sender,
                mid,
                "attachment",
                attachments=attachments,
                media_refs=refs,
                **common,
            )
        return "message_empty"

    def _postback(
        self, postback: dict[str, Any], sender: str, raw_ts: Any, ts: float | None
    ) -> InboundEvent | str:
        payload = _text(postback.get("payload"))[:MAX_PAYLOAD_CHARS]
        if not sender or not payload:
            return "postback_empty"
        event_id = _text(postback.get("mid")) or f"pb:{sender}:{raw_ts}"
        source = _source(_field(postback, "referral", "ref"))
        if payload == GET_STARTED:
            return InboundEvent(self.name, sender, event_id, "start", source=source, timestamp=ts)
        return InboundEvent(
            self.name, sender, event_id, "button", payload=payload, source=source, timestamp=ts
        )

    # --- files ---------------------------------------------------------------
    @property
    def session(self) -> aiohttp.ClientSession | None:
        return self._session

    async def fetch_media(self, ref: str, max_bytes: int) -> bytes:
        return await meta_media.fetch(self, ref, max_bytes)

    async def send_media(self, item: OutboxItem, media: Media, content: bytes) -> None:
        await meta_media.send_file(self, item, media, content)

    # --- outbound ------------------------------------------------------------
    async def send(self, item: OutboxItem) -> None:
        """Send one reply, split into several messages if long; quick replies on the last.

        A long text goes as several messages. If a later part fails, the parts already
        delivered are remembered (in memory, per outbox id) and the retry resumes after them;
        only a restart in between can repeat a part.
        """
        routing = self.routing(item)
        text, buttons = self.fit_buttons(item.reply)
        if not text.strip():
            raise SendError("empty_message", permanent=True)
        parts = split_text(text, self.max_text, self.measure)
        quick_replies = [quick_reply(b) for b in buttons]
        try:
            for index in range(self._parts_done.get(item.id, 0), len(parts)):
                message: dict[str, Any] = {"text": parts[index]}
                if quick_replies and index == len(parts) - 1:
                    message["quick_replies"] = quick_replies
                await self._post({"recipient": {"id": item.user_id}, **routing, "message": message})
                if len(parts) > 1:
                    _remember(self._parts_done, item.id, index + 1)
        except SendError as exc:
            log.warning(
                "meta_send_error",
                channel=self.name,
                outbox=item.id,
                code=exc.code,
                detail=exc.detail,  # HTTP status and Graph codes only
                permanent=exc.permanent,
                parts_sent=self._parts_done.get(item.id, 0),
                parts=len(parts),
            )
            if exc.permanent:
                self._parts_done.pop(item.id, None)
            raise
        self._parts_done.pop(item.id, None)

    async def typing(self, user_id: str) -> None:
        """`sender_action: typing_on` (Messenger and Instagram alike); SendError on failure."""
        await self._post({"recipient": {"id": user_id}, "sender_action": "typing_on"})

    def routing(self, item: OutboxItem) -> dict[str, str]:
        """`messaging_type` (and tag) allowed now by Meta's windows; SendError when none is."""
        if item.last_inbound_at is None:
            return {"messaging_type": "RESPONSE"}  # unknown: Meta itself refuses if closed
        age = self.clock() - item.last_inbound_at
        if age <= RESPONSE_WINDOW_SECONDS:
            return {"messaging_type": "RESPONSE"}
        if age <= HUMAN_AGENT_WINDOW_SECONDS and item.reply.author == "counsellor":
            return {"messaging_type": "MESSAGE_TAG", "tag": "HUMAN_AGENT"}
        raise SendError("outside_window", permanent=True)

    async def _post(
        self,
        body: dict[str, Any] | None,
        *,
        form: aiohttp.FormData | None = None,
        timeout: float | None = None,
    ) -> None:
        """One Send API call: a JSON body, or a multipart `form` (a file upload)."""
        if self._session is None:
            raise SendError("not_started")
        headers = {"Authorization": f"Bearer {self._token}"}
        extra: dict[str, Any] = {"json": body} if form is None else {"data": form}
        if timeout is not None:
            extra["timeout"] = aiohttp.ClientTimeout(total=timeout)
        try:
            async with self._session.post(self.url, headers=headers, **extra) as resp:
                status, retry_after = resp.status, resp.headers.get("Retry-After")
                try:
                    data = await resp.json(content_type=None)
                except ValueError:
                    data = None
        except TimeoutError:
            raise SendError("timeout") from None
        except aiohttp.ClientError as exc:
            raise SendError("network", detail=type(exc).__name__) from None
        if 200 <= status < 300:
            message_id = data.get("message_id") if isinstance(data, dict) else None
            if isinstance(message_id, str):
                _remember(self._sent_ids, message_id, None)
            return
        error = graph_error(status, data, retry_after)
        if error.code == "bad_token":
            log.error("meta_bad_token", channel=self.name, hint="renew the access token")
        raise error


def graph_error(status: int, data: Any, retry_after: str | None = None) -> SendError:
    """A Graph API failure as a SendError: retryable unless retrying cannot help."""
    error = data.get("error") if isinstance(data, dict) else None
    error = error if isinstance(error, dict) else {}
    code, subcode = error.get("code"), error.get("error_subcode")
    detail = f"http {status}, code {code}, subcode {subcode}"
    if status == 429 or code in _RATE_LIMIT_CODES:
        return SendError("rate_limited", retry_after=_seconds(retry_after), detail=detail)
    if code in _TEMPORARY_CODES:
        return SendError("temporary", detail=detail)
    if code == 551:
        return SendError("person_unavailable", permanent=True, detail=detail)
    if code == 10 and subcode == _WINDOW_CLOSED_SUBCODE:
        return SendError("outside_window", permanent=True, detail=detail)
    if code == 190:
        return SendError("bad_token", permanent=True, detail=detail)
    if status >= 500:
        return SendError(f"http_{status}", detail=detail)
    if code == 10 or (isinstance(code, int) and 200 <= code < 300):
        return SendError("permission_denied", permanent=True, detail=detail)
    # Any other 4xx: the same request would be refused again.
    return SendError(f"graph_{code}" if code else f"http_{status}", permanent=True, detail=detail)


def quick_reply(button: Button) -> dict[str, str]:
    return {
        "content_type": "text",
        "title": shorten(button.title, MAX_TITLE_CHARS),
        "payload": button.payload[:MAX_PAYLOAD_CHARS],
    }


def shorten(title: str, limit: int) -> str:
    """A title within `limit` characters, cut on a word with "…" when it must be cut."""
    title = " ".join(title.split())
    if len(title) <= limit:
        return title
    cut = title[: limit - 1]
    space = cut.rfind(" ")
    if space >= limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,.;:-") + "…"


def build(settings: Settings, store: Store) -> list[Channel]:
    """Messenger and Instagram, or nothing when Meta is not configured at all."""
    from bot.channels.instagram import Instagram
    from bot.channels.messenger import Messenger

    required = {
        "META_APP_SECRET": secret_value(settings.meta_app_secret),
        "META_VERIFY_TOKEN": secret_value(settings.meta_verify_token),
        "META_PAGE_ACCESS_TOKEN": secret_value(settings.meta_page_access_token),
    }
    if not any(required.values()) and not secret_value(settings.instagram_access_token):
        return []
    missing = [name for name, value in required.items() if not value]
    if missing:
        raise ConfigError(
            "Messenger/Instagram channels are half-configured: set " + ", ".join(missing)
        )
    webhook = MetaWebhook(required["META_APP_SECRET"], required["META_VERIFY_TOKEN"])
    return [Messenger(settings, webhook), Instagram(settings, webhook)]


# --- small helpers ---------------------------------------------------------------
def secret_value(value: Any) -> str:
    """The plain text of an optional SecretStr setting ("" when unset)."""
    return value.get_secret_value() if value is not None else ""


def _dicts(value: Any) -> Iterable[dict[str, Any]]:
    return (v for v in value if isinstance(v, dict)) if isinstance(value, list) else ()


def _id(party: Any) -> str:
    value = party.get("id") if isinstance(party, dict) else None
    return str(value) if isinstance(value, str | int) and str(value) else ""


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _field(obj: dict[str, Any], key: str, sub: str) -> Any:
    inner = obj.get(key)
    return inner.get(sub) if isinstance(inner, dict) else None


def _source(ref: Any) -> str | None:
    return ref if isinstance(ref, str) and _SOURCE.match(ref) else None


def _is_kind(value: Any) -> bool:
    return isinstance(value, str) and bool(_KIND.match(value))


def _attachment_kind(attachment: dict[str, Any]) -> str:
    kind = _ATTACHMENT_KINDS.get(_text(attachment.get("type")), "other")
    if kind == "image" and _field(attachment, "payload", "sticker_id"):
        return "sticker"  # Messenger stickers (the thumbs-up too) are images with a sticker id
    return kind


def _attachment_url(attachment: dict[str, Any]) -> str:
    """The CDN address Meta gives for the file (it expires): "" for stickers and the like."""
    if _attachment_kind(attachment) not in ("image", "audio", "video", "file"):
        return ""
    url = _text(_field(attachment, "payload", "url"))
    return url if url.startswith(("https://", "http://")) and len(url) <= 4096 else ""


def _remember(memory: dict[Any, Any], key: Any, value: Any) -> None:
    memory.pop(key, None)
    memory[key] = value
    while len(memory) > REMEMBERED_IDS:
        del memory[next(iter(memory))]


def _seconds(retry_after: str | None) -> float | None:
    """Retry-After as seconds: a number, or an HTTP date."""
    if not retry_after:
        return None
    try:
        return max(float(retry_after), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(retry_after)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)
