"""Settings from the environment (and a `.env` file), validated once at start-up."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import ConfigError

PACKAGE_DIR = Path(__file__).resolve().parent


def _setting(default: Any, env: str, description: str) -> Any:
    return Field(default, alias=env, description=description)


class Settings(BaseSettings):
    """Every setting of the service; the README's table is generated from these descriptions."""

    model_config = SettingsConfigDict(
        env_file=".env", extra="ignore", populate_by_name=True, frozen=True
    )

    # --- service ---------------------------------------------------------
    data_dir: Path = _setting(
        Path("./data"), "MILOMOUV_DATA_DIR", "Folder of the embedded SQLite store."
    )
    store_url: str | None = _setting(
        None,
        "MILOMOUV_STORE_URL",
        "Store backend: sqlite:///path/to/file.sqlite3, or mongodb://… (a replica set); "
        "unset: SQLite in MILOMOUV_DATA_DIR.",
    )
    host: str = _setting("127.0.0.1", "MILOMOUV_HOST", "Address the web server listens on.")
    port: int = _setting(8080, "MILOMOUV_PORT", "Port the web server listens on.")
    public_url: str = _setting(
        "http://127.0.0.1:8080",
        "MILOMOUV_PUBLIC_URL",
        "Public HTTPS address of the service (links in messages, cookies marked Secure on https).",
    )
    texts_file: Path = _setting(
        PACKAGE_DIR / "texts.fr.toml",
        "MILOMOUV_TEXTS_FILE",
        "The French text catalogue (every message a youth or counsellor reads).",
    )
    privacy_url: str = _setting(
        "",
        "MILOMOUV_PRIVACY_URL",
        "Link to the full privacy notice (default: the service's own /confidentialite page).",
    )
    mission_locale_contact: str = _setting(
        "l'accueil de la Mission locale du Nord meusien",
        "MILOMOUV_MISSION_LOCALE_CONTACT",
        "How to reach the Mission locale (shown to youths out of range and in the privacy notice).",
    )
    mission_locale_finder_url: str = _setting(
        "https://www.1jeune1solution.gouv.fr",
        "MILOMOUV_MISSION_LOCALE_FINDER_URL",
        "Where a youth outside the Meuse finds their own Mission locale.",
    )
    retention_unfinished_days: int = _setting(
        30, "MILOMOUV_RETENTION_UNFINISHED_DAYS", "Days before an unfinished intake is purged."
    )
    retention_closed_days: int = _setting(
        365, "MILOMOUV_RETENTION_CLOSED_DAYS", "Days before a closed ticket is anonymised."
    )
    log_format: Literal["auto", "json", "console"] = _setting(
        "auto", "MILOMOUV_LOG_FORMAT", "Log output: json, console, or auto (console on a terminal)."
    )
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = _setting(
        "INFO", "MILOMOUV_LOG_LEVEL", "Lowest log level written."
    )
    max_body_bytes: int = _setting(
        1_048_576, "MILOMOUV_MAX_BODY_BYTES", "Largest accepted request body (413 above)."
    )

    trusted_proxies: str = _setting(
        "",
        "MILOMOUV_TRUSTED_PROXIES",
        "Comma-separated networks of reverse proxies whose X-Forwarded-For/-Proto are believed.",
    )

    # --- website chat: limits per client address ---------------------------
    embed_origins: str = _setting(
        "",
        "MILOMOUV_EMBED_ORIGINS",
        "Comma-separated origins (https://site.example) allowed to embed the chat with widget.js.",
    )
    chat_max_sockets: int = _setting(
        600, "MILOMOUV_CHAT_MAX_SOCKETS", "Open chat WebSockets in total (more wait a moment)."
    )
    chat_max_sockets_per_address: int = _setting(
        30, "MILOMOUV_CHAT_MAX_SOCKETS_PER_ADDRESS", "Open chat WebSockets per client address."
    )
    chat_idle_seconds: int = _setting(
        900, "MILOMOUV_CHAT_IDLE_SECONDS", "A chat WebSocket silent this long is closed."
    )
    chat_messages_per_minute: int = _setting(
        60, "MILOMOUV_CHAT_MESSAGES_PER_MINUTE", "Chat messages per client address per minute."
    )
    chat_conversation_messages_per_10s: int = _setting(
        20,
        "MILOMOUV_CHAT_CONVERSATION_MESSAGES_PER_10S",
        "Chat messages per conversation per 10 seconds, all its tabs together.",
    )
    chat_new_conversations_per_minute: int = _setting(
        5,
        "MILOMOUV_CHAT_NEW_CONVERSATIONS_PER_MINUTE",
        "New chat conversations per client address per minute.",
    )
    chat_new_conversations_per_hour: int = _setting(
        20,
        "MILOMOUV_CHAT_NEW_CONVERSATIONS_PER_HOUR",
        "New chat conversations (so new tickets) per client address per hour.",
    )

    # --- office hours ----------------------------------------------------
    office_days: str = _setting(
        "mon-fri", "MILOMOUV_OFFICE_DAYS", "Days a counsellor answers, e.g. mon-fri."
    )
    office_hours: str = _setting(
        "09:00-17:00", "MILOMOUV_OFFICE_HOURS", "Opening hours on those days, e.g. 09:00-17:00."
    )
    timezone: str = _setting(
        "Europe/Paris", "MILOMOUV_TIMEZONE", "Time zone of office hours and of dates shown."
    )

    # --- pipeline --------------------------------------------------------
    max_concurrent_conversations: int = _setting(
        64,
        "MILOMOUV_MAX_CONCURRENT",
        "Conversations processed at once by the dispatcher and sender.",
    )
    send_max_attempts: int = _setting(
        12, "MILOMOUV_SEND_MAX_ATTEMPTS", "Attempts before a reply is marked failed."
    )
    event_loop: Literal["auto", "uvloop", "asyncio"] = _setting(
        "auto",
        "MILOMOUV_EVENT_LOOP",
        "Event loop: uvloop, asyncio, or auto (uvloop when installed, about 12 % less CPU).",
    )
    processes: int = _setting(
        1,
        "MILOMOUV_PROCESSES",
        "Server processes on the one port (1 to 64); above 1, a supervisor starts them, "
        "restarts one that dies and stops them together.",
    )

    @field_validator("processes")
    @classmethod
    def _processes(cls, value: int) -> int:
        if not 1 <= value <= 64:
            raise ValueError("must be between 1 and 64")
        return value

    @field_validator("metrics_allow", "trusted_proxies")
    @classmethod
    def _networks(cls, value: str) -> str:
        from bot.metrics import parse_networks

        parse_networks(value)
        return value

    @field_validator("store_url")
    @classmethod
    def _store_url(cls, value: str | None) -> str | None:
        from bot.store.factory import parse_store_url

        if value:
            parse_store_url(value)
        return value or None

    @field_validator("port")
    @classmethod
    def _port_range(cls, value: int) -> int:
        if not 0 <= value <= 65535:
            raise ValueError("must be between 0 and 65535")
        return value

    metrics_token: SecretStr | None = _setting(
        None, "MILOMOUV_METRICS_TOKEN", "Bearer token allowing /metrics from any address."
    )
    metrics_allow: str = _setting(
        "127.0.0.1/32,::1/128",
        "MILOMOUV_METRICS_ALLOW",
        "Comma-separated networks allowed to read /metrics without the token.",
    )

    # --- Meta: Messenger and Instagram ----------------------------------------
    meta_app_secret: SecretStr | None = _setting(
        None, "META_APP_SECRET", "Meta app secret: checks X-Hub-Signature-256 of every webhook."
    )
    meta_verify_token: SecretStr | None = _setting(
        None, "META_VERIFY_TOKEN", "Token Meta sends when it verifies the webhook URL."
    )
    meta_page_access_token: SecretStr | None = _setting(
        None, "META_PAGE_ACCESS_TOKEN", "Page access token for the Send API (Messenger)."
    )
    meta_app_id: str | None = _setting(
        None, "META_APP_ID", "Our Meta app id: echoes from another app mean a person answered."
    )
    instagram_access_token: SecretStr | None = _setting(
        None, "INSTAGRAM_ACCESS_TOKEN", "Token for Instagram sends (default: the page token)."
    )
    meta_graph_base_url: str = _setting(
        "https://graph.facebook.com", "META_GRAPH_BASE_URL", "Base URL of the Graph API."
    )
    meta_graph_version: str = _setting("v25.0", "META_GRAPH_VERSION", "Graph API version.")
    messenger_page_name: str = _setting(
        "",
        "MILOMOUV_MESSENGER_PAGE",
        "The Facebook page's username, for m.me links on posters (unset: no Messenger link).",
    )
    instagram_account_name: str = _setting(
        "",
        "MILOMOUV_INSTAGRAM_ACCOUNT",
        "The Instagram account's username, for ig.me links on posters (unset: no link).",
    )

    # --- Telegram --------------------------------------------------------------
    telegram_bot_token: SecretStr | None = _setting(
        None, "TELEGRAM_BOT_TOKEN", "Bot token from @BotFather."
    )
    telegram_webhook_secret: SecretStr | None = _setting(
        None,
        "TELEGRAM_WEBHOOK_SECRET",
        "Secret Telegram sends in X-Telegram-Bot-Api-Secret-Token (1-256 of A-Za-z0-9_-).",
    )
    telegram_webhook_url: str | None = _setting(
        None, "TELEGRAM_WEBHOOK_URL", "If set, the public HTTPS URL registered with setWebhook."
    )
    telegram_api_base_url: str = _setting(
        "https://api.telegram.org/bot",
        "TELEGRAM_API_BASE_URL",
        "Base URL of the Bot API (the token is appended).",
    )
    telegram_staff_chat_id: str | None = _setting(
        None, "TELEGRAM_STAFF_CHAT_ID", "Staff group chat id for new-ticket and alert notices."
    )

    # --- handoff -----------------------------------------------------------------
    urgent_alert_minutes: int = _setting(
        10, "MILOMOUV_URGENT_ALERT_MINUTES", "Minutes before an unclaimed urgent ticket alerts."
    )
    alert_minutes: int = _setting(
        120,
        "MILOMOUV_ALERT_MINUTES",
        "Office-hour minutes before an unclaimed normal ticket alerts.",
    )

    yearly_goal: int = _setting(
        300, "MILOMOUV_YEARLY_GOAL", "Youths the network aims to reach in a calendar year."
    )

    # --- MongoDB -------------------------------------------------------------------
    mongodb_allow_standalone: bool = _setting(
        False,
        "MILOMOUV_MONGODB_ALLOW_STANDALONE",
        "Accept a standalone MongoDB server instead of a replica set: for tests and trials only.",
    )

    # --- nobody waits unseen, and web push ------------------------------------------
    unanswered_alert_minutes: int = _setting(
        30,
        "MILOMOUV_UNANSWERED_ALERT_MINUTES",
        "Office-hour minutes a held ticket's youth waits for a human answer before its holder "
        "is alerted.",
    )
    unanswered_escalate_minutes: int = _setting(
        30,
        "MILOMOUV_UNANSWERED_ESCALATE_MINUTES",
        "Further office-hour minutes without an answer before the coordinators are alerted.",
    )
    away_requeue_minutes: int = _setting(
        60,
        "MILOMOUV_AWAY_REQUEUE_MINUTES",
        "Minutes a counsellor is away (signed out or marked absent) before their tickets go "
        "back to the queue.",
    )
    push_contact: str = _setting(
        "",
        "MILOMOUV_PUSH_CONTACT",
        "Contact given to push services with each Web Push (mailto: or https: address); "
        "unset: MILOMOUV_PUBLIC_URL.",
    )

    # --- media -----------------------------------------------------------------------
    media_max_bytes: int = _setting(
        20 * 1024 * 1024,
        "MILOMOUV_MEDIA_MAX_BYTES",
        "Largest file kept from a youth or sent by a counsellor (bytes).",
    )
    media_types: str = _setting(
        "image/jpeg,image/png,image/webp,image/gif,audio/ogg,audio/mpeg,audio/mp4,audio/aac,"
        "video/mp4,application/pdf",
        "MILOMOUV_MEDIA_TYPES",
        "Comma-separated file types kept, as read from the bytes (never the declared type).",
    )

    @field_validator("media_types")
    @classmethod
    def _media_types(cls, value: str) -> str:
        from bot.mediatypes import parse_types

        parse_types(value)
        return value

    @field_validator("embed_origins")
    @classmethod
    def _origins(cls, value: str) -> str:
        from bot.channels.embed import parse_origins

        parse_origins(value)
        return value

    @field_validator("messenger_page_name", "instagram_account_name")
    @classmethod
    def _account_name(cls, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z0-9._-]{0,100}", value):
            raise ValueError("only letters, digits, dots, dashes and underscores (no @, no URL)")
        return value

    @field_validator("push_contact")
    @classmethod
    def _push_contact(cls, value: str) -> str:
        if value and not re.fullmatch(r"(mailto:\S+@\S+|https://\S+)", value):
            raise ValueError("a mailto: or https:// address")
        return value

    @property
    def privacy_link(self) -> str:
        return self.privacy_url or f"{self.public_url.rstrip('/')}/confidentialite"

    @field_validator(
        "max_body_bytes",
        "max_concurrent_conversations",
        "send_max_attempts",
        "retention_unfinished_days",
        "retention_closed_days",
        "urgent_alert_minutes",
        "alert_minutes",
        "yearly_goal",
        "chat_max_sockets",
        "chat_max_sockets_per_address",
        "chat_idle_seconds",
        "chat_messages_per_minute",
        "chat_conversation_messages_per_10s",
        "chat_new_conversations_per_minute",
        "chat_new_conversations_per_hour",
        "unanswered_alert_minutes",
        "unanswered_escalate_minutes",
        "away_requeue_minutes",
        "media_max_bytes",
    )
    @classmethod
    def _positive(cls, value: int) -> int:
        if value < 1:
            raise ValueError("must be at least 1")
        return value


def load_settings(env_file: str | None = ".env", **overrides: Any) -> Settings:
    """Read and validate settings; a bad value raises ConfigError naming the variable."""
    try:
        return Settings(_env_file=env_file, **overrides)  # type: ignore[call-arg]
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            name = ".".join(str(p) for p in err["loc"]) or "settings"
            problems.append(f"{name}: {err['msg']}")
        raise ConfigError("invalid setting " + "; ".join(problems)) from None


def settings_table() -> list[tuple[str, str, str]]:
    """(variable, default, meaning) for each setting, for the README."""
    rows = []
    for field in Settings.model_fields.values():
        default = field.default
        if isinstance(default, Path) and default.is_absolute():
            default = default.relative_to(PACKAGE_DIR.parent)
        rows.append(
            (str(field.alias), "" if default is None else str(default), field.description or "")
        )
    return rows
