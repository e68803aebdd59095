"""Telegram: our own webhook route in, a long-lived python-telegram-bot `Bot` out."""

from __future__ import annotations

import asyncio
import logging
import os
import re
import secrets
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from typing import Any, ClassVar, TypeVar

import structlog
from aiohttp import web
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import ChatAction
from telegram.error import (
    BadRequest,
    Forbidden,
    InvalidToken,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.request import HTTPXRequest

from bot.channels import telegram_media
from bot.channels.base import Channel, Inbox, split_text
from bot.errors import ConfigError, SendError
from bot.events import Button, EventKind, InboundEvent, OutboxItem
from bot.jsonlimits import loads_limited
from bot.settings import Settings
from bot.store.base import Store, StoreUnavailable
from bot.store.roles_media import Media

log = structlog.get_logger(__name__)
POOL_SIZE = 32

# Opt into PTB's coming behaviour (time periods as timedelta): without it, every RetryAfter
# it builds emits a deprecation warning. PTB reads the variable when it builds one.
os.environ.setdefault("PTB_TIMEDELTA", "true")

WEBHOOK_PATH = "/webhooks/telegram"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = ("message", "callback_query")
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
_TOKEN = re.compile(r"[0-9]{1,20}:[A-Za-z0-9_-]{1,200}")
_START_PAYLOAD = re.compile(r"[A-Za-z0-9_-]{1,64}")
_COMMAND = re.compile(r"/([A-Za-z0-9_]{1,32})(?:@[A-Za-z0-9_]{1,64})?")
CALLBACK_DATA_MAX_BYTES = 64
SHORT_TITLE = 16  # two buttons per row when every title is at most this long
START_ATTEMPTS = 3
T = TypeVar("T")


def _utf16_len(text: str) -> int:
    """Telegram measures text in UTF-16 code units: an emoji may count twice."""
    return len(text.encode("utf-16-le")) // 2


class TelegramChannel(Channel):
    """Private chats with the bot: webhook updates in, inline keyboards out."""

    name: ClassVar[str] = "telegram"
    max_buttons: ClassVar[int] = 13
    max_text: ClassVar[int] = 4096

    def __init__(
        self,
        token: str,
        secret: str,
        base_url: str,
        webhook_url: str | None = None,
        *,
        pace_seconds: float = 1.0,
        timeout: float = 10.0,
    ) -> None:
        self._token = token
        self._secret = secret.encode()
        self.base_url = base_url
        self.webhook_url = webhook_url
        self.pace_seconds = pace_seconds  # at most one message per second in one chat
        self.timeout = timeout
        self._bot: Bot | None = None
        self._inbox: Inbox | None = None
        self._last_send: dict[str, float] = {}
        self._parts_done: dict[int, int] = {}  # outbox id -> parts already delivered
        self._tasks: set[asyncio.Task[None]] = set()
        self._log_filter = _TokenFilter(token)

    @property
    def username(self) -> str | None:
        """The bot's username as getMe told it at start (None before)."""
        if self._bot is None:
            return None
        try:
            return self._bot.username
        except RuntimeError:  # getMe has not answered yet
            return None

    # --- lifecycle ---------------------------------------------------------------
    async def start(self) -> None:
        """Check the token with getMe, then register the webhook if asked; fail loudly."""
        self._log_filter.install()
        request = HTTPXRequest(
            connection_pool_size=POOL_SIZE,  # PTB's default is 1: every chat would queue behind one
            connect_timeout=self.timeout,
            read_timeout=self.timeout,
            write_timeout=self.timeout,
            pool_timeout=self.timeout,
        )
        self._bot = Bot(
            self._token,
            base_url=self.base_url,
            base_file_url=telegram_media.file_base_url(self.base_url),
            request=request,
        )
        try:
            await self._initialize(self._bot)
            if self.webhook_url:
                await self._set_webhook(self._bot, self.webhook_url)
        except BaseException:
            await self._close_bot()
            raise
        log.info("telegram_ready", bot=self._bot.username, webhook=bool(self.webhook_url))

    async def _initialize(self, bot: Bot) -> None:
        try:
            await _retrying(bot.initialize)
        except InvalidToken:  # its message holds the token: never chain or print it
            raise ConfigError(
                "TELEGRAM_BOT_TOKEN was rejected by the Bot API (getMe answered 401/404): "
                "check the token from @BotFather and TELEGRAM_API_BASE_URL "
                f"({self.base_url}, the token is appended to it)"
            ) from None
        except TelegramError as exc:
            raise ConfigError(
                f"TELEGRAM_API_BASE_URL: the Bot API at {self.base_url} did not answer getMe "
                f"for TELEGRAM_BOT_TOKEN ({type(exc).__name__}: {self._scrub(str(exc))})"
            ) from None

    async def _set_webhook(self, bot: Bot, url: str) -> None:
        secret = self._secret.decode()
        try:
            await _retrying(
                lambda: bot.set_webhook(
                    url, secret_token=secret, allowed_updates=list(ALLOWED_UPDATES)
                )
            )
        except TelegramError as exc:
            raise ConfigError(
                f"TELEGRAM_WEBHOOK_URL: setWebhook({url}) failed "
                f"({type(exc).__name__}: {self._scrub(str(exc))})"
            ) from None

    async def stop(self) -> None:
        await self.idle(timeout=2.0)
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._close_bot()

    async def _close_bot(self) -> None:
        if self._bot is not None:
            try:
                await self._bot.shutdown()
            finally:
                self._bot = None
                self._log_filter.remove()

    async def idle(self, timeout: float | None = None) -> None:
        """Wait for background work (callback answers) to finish."""
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=timeout)

    def _scrub(self, text: str) -> str:
        return text.replace(self._token, "[TELEGRAM_BOT_TOKEN]")

    # --- inbound -----------------------------------------------------------------
    def register(self, app: web.Application, inbox: Inbox) -> None:
        self._inbox = inbox
        app.router.add_post(WEBHOOK_PATH, self._webhook)

    async def _webhook(self, request: web.Request) -> web.Response:
        header = request.headers.get(SECRET_HEADER, "").encode("utf-8", "replace")
        if not secrets.compare_digest(header, self._secret):
            log.warning("telegram_webhook_rejected", reason="secret")
            return web.Response(status=401)
        if self._bot is None or self._inbox is None:
            return web.Response(status=503)
        data = loads_limited(await request.read())
        if data is None:
            return web.Response(status=400, text="invalid JSON")
        if not isinstance(data, dict) or type(data.get("update_id")) is not int:
            return web.Response(status=400, text="not an update")
        kind = next((key for key in data if key != "update_id"), "empty")
        try:
            update = Update.de_json(data, self._bot)
            event, callback_id = _normalise(update)
        except Exception as exc:  # a malformed update must answer 400, never 500
            log.warning("telegram_update_malformed", kind=kind, error=type(exc).__name__)
            return web.Response(status=400, text="malformed update")
        if event is not None:
            try:
                new = await self._inbox.ingest(event)
            except StoreUnavailable:
                log.warning("store_unavailable", during="telegram_webhook")
                return web.Response(status=503)
            log.info("telegram_update", update=update.update_id, kind=event.kind, new=new)
        else:
            log.info("telegram_update_ignored", update=update.update_id, kind=kind)
        if callback_id is not None:
            self._spawn(self._answer_callback(callback_id))
        return web.Response(status=200)

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _answer_callback(self, callback_id: str) -> None:
        """Stop the spinner on the youth's button; the reply itself comes from the outbox."""
        bot = self._bot
        if bot is None:
            return
        try:
            await bot.answer_callback_query(callback_id)
        except Exception as exc:
            log.warning(
                "telegram_callback_unanswered", callback=callback_id, error=type(exc).__name__
            )

    # --- outbound ----------------------------------------------------------------
    async def send(self, item: OutboxItem) -> None:
        """Send one reply, split at 4,096 characters, the keyboard on the last part."""
        bot = self._bot
        if bot is None:
            raise SendError("channel_not_started")
        text, buttons = self.fit_buttons(item.reply)
        markup = _keyboard(buttons)
        if buttons and markup is None:
            log.warning("telegram_buttons_as_text", outbox=item.id)
            text, buttons = self._numbered(item.reply.text, buttons), ()
        if not text.strip():
            if markup is None:
                return  # nothing a youth could read
            text = "👇"
        parts = split_text(text, self.max_text, _utf16_len)
        done = self._parts_done.get(item.id, 0)
        try:
            for index in range(done, len(parts)):
                last = index == len(parts) - 1
                await self._pace(item.user_id)
                await bot.send_message(
                    item.user_id,
                    parts[index],
                    reply_markup=markup if last else None,
                    link_preview_options=LinkPreviewOptions(is_disabled=True),
                )
                self._remember_progress(item.id, index + 1)
        except TelegramError as exc:
            error = _send_error(exc)
            if error.permanent:
                self._parts_done.pop(item.id, None)
            raise error from None
        self._parts_done.pop(item.id, None)

    async def typing(self, user_id: str) -> None:
        """`sendChatAction` typing: shown about 5 seconds, or until the next message."""
        if self._bot is None:
            raise SendError("channel_not_started")
        try:
            await self._bot.send_chat_action(user_id, ChatAction.TYPING)
        except TelegramError as exc:
            raise _send_error(exc) from None

    async def fetch_media(self, ref: str, max_bytes: int) -> bytes:
        return await telegram_media.fetch(self._bot, ref, max_bytes)

    async def send_media(self, item: OutboxItem, media: Media, content: bytes) -> None:
        """The file with its caption; a caption too long for Telegram follows as a message."""
        await self._pace(item.user_id)
        await telegram_media.send_file(self, self._bot, item, media, content)

    def _remember_progress(self, item_id: int, parts: int) -> None:
        """In memory only: a restart may resend the first parts of a split reply once."""
        self._parts_done[item_id] = parts
        if len(self._parts_done) > 1000:  # items the sender gave up on mid-way
            for old in sorted(self._parts_done)[:500]:
                del self._parts_done[old]

    @staticmethod
    def _numbered(text: str, buttons: tuple[Button, ...]) -> str:
        return "\n".join([text, "", *(f"{i}. {b.title}" for i, b in enumerate(buttons, 1))])

    async def _pace(self, chat_id: str) -> None:
        """Keep one message per `pace_seconds` in a chat; the slot is taken before waiting."""
        loop = asyncio.get_running_loop()
        now = loop.time()
        slot = max(now, self._last_send.get(chat_id, float("-inf")) + self.pace_seconds)
        self._last_send[chat_id] = slot
        if len(self._last_send) > 10_000:
            horizon = now - self.pace_seconds
            self._last_send = {c: t for c, t in self._last_send.items() if t > horizon}
        if slot > now:
            await asyncio.sleep(slot - now)


# --- translating at the border -------------------------------------------------
def _normalise(update: Update) -> tuple[InboundEvent | None, str | None]:
    """The neutral event of one update (None: ignored), and a callback query id to answer."""
    event_id = str(update.update_id)
    query = update.callback_query
    if query is not None:
        chat = query.message.chat if query.message is not None else None
        private = chat is None or chat.type == "private"
        if not private or not query.data:
            return None, query.id
        user_id = str(chat.id if chat is not None else query.from_user.id)
        return InboundEvent("telegram", user_id, event_id, "button", payload=query.data), query.id
    message = update.message
    if message is None or message.chat.type != "private":
        return None, None
    return _message_event(message, event_id), None


def _message_event(message: Message, event_id: str) -> InboundEvent | None:
    user_id = str(message.chat.id)
    at = message.date.timestamp()
    if message.text is not None:
        kind, text, source = _text(message.text)
        return InboundEvent(
            "telegram", user_id, event_id, kind, text=text, source=source, timestamp=at
        )
    attachment = _attachment(message)
    if attachment is None:
        return None  # service messages: someone joined, a pinned message...
    return InboundEvent(
        "telegram",
        user_id,
        event_id,
        "attachment",
        text=message.caption or "",
        attachments=(attachment,),
        timestamp=at,
        media_refs=(_file_id(message, attachment),),
    )


def _text(text: str) -> tuple[EventKind, str, str | None]:
    """(kind, text, source): `/start PAYLOAD` is a start, `/aide` is the word "aide"."""
    first, _, rest = text.strip().partition(" ")
    command = _COMMAND.fullmatch(first)
    if command is None:
        return "text", text, None
    word, rest = command.group(1).lower(), rest.strip()
    if word == "start":
        return "start", "", rest if _START_PAYLOAD.fullmatch(rest) else None
    return "text", f"{word} {rest}".strip(), None


def _attachment(message: Message) -> str | None:
    if message.sticker is not None:
        return "sticker"
    if message.voice is not None:
        return "voice"
    if message.audio is not None:
        return "audio"
    if message.photo:
        return "image"
    if message.video is not None or message.video_note is not None:
        return "video"
    if message.animation is not None:  # a GIF also carries a `document`
        return "video"
    if message.document is not None:
        return "file"
    if any(
        getattr(message, f) is not None
        for f in ("location", "venue", "contact", "poll", "dice", "story", "game")
    ):
        return "other"
    return None


def _file_id(message: Message, kind: str) -> str:
    """The Bot API's `file_id` of the attachment to fetch: the largest photo size."""
    if kind == "image" and message.photo:
        return message.photo[-1].file_id
    for item in (message.voice, message.audio, message.video, message.video_note):
        if kind in ("voice", "audio", "video") and item is not None:
            return item.file_id
    if kind == "file" and message.document is not None:
        return message.document.file_id
    return ""  # stickers, GIFs, places: shown as a label only


def _keyboard(buttons: tuple[Button, ...]) -> InlineKeyboardMarkup | None:
    """An inline keyboard; None when a payload cannot be callback data (1-64 bytes)."""
    if not buttons:
        return None
    if any(not 0 < len(b.payload.encode()) <= CALLBACK_DATA_MAX_BYTES for b in buttons):
        return None
    keys = [InlineKeyboardButton(b.title, callback_data=b.payload) for b in buttons]
    per_row = 2 if all(len(b.title) <= SHORT_TITLE for b in buttons) else 1
    return InlineKeyboardMarkup([keys[i : i + per_row] for i in range(0, len(keys), per_row)])


def _send_error(exc: TelegramError) -> SendError:
    """Our retry policy for one Bot API failure. BadRequest and TimedOut are NetworkErrors."""
    if isinstance(exc, RetryAfter):
        wait = exc.retry_after
        seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
        return SendError("rate_limited", retry_after=seconds)
    if isinstance(exc, Forbidden):  # blocked by the youth, or account deleted
        return SendError("forbidden", permanent=True)
    if isinstance(exc, BadRequest):  # same request, same answer: retrying is useless
        code = "chat_not_found" if "chat not found" in exc.message.lower() else "bad_request"
        return SendError(code, permanent=True)
    if isinstance(exc, TimedOut):
        return SendError("timeout")
    if isinstance(exc, NetworkError):
        return SendError("network")
    if isinstance(exc, InvalidToken):
        log.error("telegram_token_rejected")
        return SendError("invalid_token")
    return SendError(type(exc).__name__)


async def _retrying(call: Callable[[], Awaitable[T]], attempts: int = START_ATTEMPTS) -> T:
    """A start-up call, retried briefly on network errors and short flood waits."""
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except RetryAfter as exc:
            error = _send_error(exc)
            if attempt == attempts or (error.retry_after or 0) > 5:
                raise
            await asyncio.sleep(error.retry_after or 0)
        except NetworkError as exc:  # TimedOut included; BadRequest would only repeat
            if isinstance(exc, BadRequest) or attempt == attempts:
                raise
            await asyncio.sleep(0.5 * attempt)
    raise AssertionError("unreachable")


# --- keeping the token out of the logs -------------------------------------------
_LIBRARY_LOGGERS = (
    "httpx",
    "telegram",
    "telegram.Bot",
    "telegram.request.BaseRequest",
    "telegram.request.HTTPXRequest",
)


class _TokenFilter(logging.Filter):
    """httpx logs request URLs (token inside) at INFO; PTB logs URLs and parameters (message
    texts) at DEBUG. Drop PTB's debug lines and mask the token anywhere else."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("telegram") and record.levelno < logging.INFO:
            return False
        try:
            message = record.getMessage()
        except Exception:
            return True
        if self.token in message:
            record.msg, record.args = message.replace(self.token, "[TELEGRAM_BOT_TOKEN]"), ()
        return True

    def install(self) -> None:
        for name in _LIBRARY_LOGGERS:
            logging.getLogger(name).addFilter(self)

    def remove(self) -> None:
        for name in _LIBRARY_LOGGERS:
            logging.getLogger(name).removeFilter(self)


# --- building from settings ---------------------------------------------------------
def _secret_value(value: Any) -> str:
    return value.get_secret_value().strip() if value is not None else ""


def build(settings: Settings, store: Store) -> list[Channel]:
    """The Telegram channel, or [] when neither its token nor its secret is set."""
    token = _secret_value(settings.telegram_bot_token)
    secret = _secret_value(settings.telegram_webhook_secret)
    if not token and not secret:
        return []
    if not token:
        raise ConfigError(
            "TELEGRAM_BOT_TOKEN is missing while TELEGRAM_WEBHOOK_SECRET is set "
            "(set both to mount Telegram, or neither)"
        )
    if not secret:
        raise ConfigError(
            "TELEGRAM_WEBHOOK_SECRET is missing while TELEGRAM_BOT_TOKEN is set "
            "(set both to mount Telegram, or neither)"
        )
    if not _SECRET.fullmatch(secret):
        raise ConfigError(
            "TELEGRAM_WEBHOOK_SECRET must be 1-256 characters among A-Z, a-z, 0-9, _ and -"
        )
    if not _TOKEN.fullmatch(token):
        raise ConfigError(
            "TELEGRAM_BOT_TOKEN does not look like a bot token (digits, a colon, then letters, "
            "digits, _ or -, as given by @BotFather)"
        )
    base_url = settings.telegram_api_base_url.strip()
    if not base_url.startswith(("https://", "http://")):
        raise ConfigError("TELEGRAM_API_BASE_URL must start with https:// (or http:// for tests)")
    webhook_url = (settings.telegram_webhook_url or "").strip() or None
    if webhook_url is not None and not webhook_url.startswith("https://"):
        raise ConfigError("TELEGRAM_WEBHOOK_URL must be an https:// address (Telegram requires it)")
    return [TelegramChannel(token, secret, base_url, webhook_url)]
