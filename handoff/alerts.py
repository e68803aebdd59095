"""Tickets waiting too long: flagged once, announced live, and told to the staff Telegram group.

An urgent ticket alerts after MILOMOUV_URGENT_ALERT_MINUTES of wall-clock time; a normal one
after MILOMOUV_ALERT_MINUTES counted in office hours only. With TELEGRAM_STAFF_CHAT_ID set and
the Telegram channel mounted, new tickets and alerts are posted to the staff group, with a
first name at most: no other personal data leaves the service that way.
"""

from __future__ import annotations

import asyncio
import datetime
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING, Protocol

import aiohttp
import structlog

from bot.background import background
from bot.officehours import OfficeHours
from bot.store.base import QueuedTicket, Store, StoreUnavailable, Ticket
from handoff.auth import SESSION_IDLE_SECONDS, THROTTLE_WINDOW_SECONDS

if TYPE_CHECKING:
    from handoff.deps import HandoffDeps

log = structlog.get_logger(__name__)

CHECK_SECONDS = 30.0
PURGE_SECONDS = 3600.0
NOTIFY_TIMEOUT_SECONDS = 10.0


class AlertPolicy:
    """When a waiting ticket is overdue."""

    def __init__(self, urgent_minutes: int, normal_minutes: int, office: OfficeHours) -> None:
        self.urgent_seconds = urgent_minutes * 60
        self.normal_seconds = normal_minutes * 60
        self.office = office

    def due(self, priority: str, since: float, now: float) -> bool:
        if priority == "urgent":
            return now - since >= self.urgent_seconds
        tz = self.office.tz
        start = datetime.datetime.fromtimestamp(since, tz)
        end = datetime.datetime.fromtimestamp(now, tz)
        return self.office.business_seconds_between(start, end) >= self.normal_seconds


class StaffNotifier(Protocol):
    async def notify_staff(self, text: str) -> bool:
        """Post a short notice to the staff group; False when it could not be delivered."""


class TelegramStaffNotifier:
    """Bot API `sendMessage` to the staff group, with the bot's token and configurable base URL."""

    def __init__(self, base_url: str, token: str, chat_id: str) -> None:
        self.url = f"{base_url}{token}/sendMessage"
        self.chat_id = chat_id
        self._session: aiohttp.ClientSession | None = None

    async def start(self) -> None:
        timeout = aiohttp.ClientTimeout(total=NOTIFY_TIMEOUT_SECONDS)
        self._session = aiohttp.ClientSession(timeout=timeout)

    async def stop(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def notify_staff(self, text: str) -> bool:
        if self._session is None:
            return False
        payload = {"chat_id": self.chat_id, "text": text, "disable_web_page_preview": True}
        try:
            async with self._session.post(self.url, json=payload) as resp:
                if resp.status == 200:
                    return True
                log.warning("staff_notice_failed", status=resp.status)
        except (aiohttp.ClientError, TimeoutError) as exc:
            log.warning("staff_notice_failed", error=type(exc).__name__)
        return False


def build_notifier(deps: HandoffDeps) -> TelegramStaffNotifier | StaffNotifier | None:
    """The staff group notifier, when configured and the Telegram channel is mounted."""
    s = deps.settings
    channel = deps.channels.get("telegram")
    if not s.telegram_staff_chat_id or channel is None:
        return None
    if callable(getattr(channel, "notify_staff", None)):
        return channel  # type: ignore[return-value]  # the channel's own client, if it has one
    if s.telegram_bot_token is None:
        return None
    token = s.telegram_bot_token.get_secret_value()
    return TelegramStaffNotifier(s.telegram_api_base_url, token, s.telegram_staff_chat_id)


class Alerts:
    """The background loop: checks the queue every `interval` seconds and on each new ticket."""

    def __init__(
        self,
        deps: HandoffDeps,
        store: Store,
        notifier: StaffNotifier | None = None,
        *,
        interval: float = CHECK_SECONDS,
    ) -> None:
        self.deps = deps
        self.store = store
        self.notifier = notifier
        self.interval = interval
        self._last_purge = 0.0
        self._leader = False  # holds the "alerts" lease: the one instance that alerts and notifies

    @property
    def clock(self) -> Callable[[], float]:
        return self.deps.clock

    def policy(self) -> AlertPolicy:
        s = self.deps.settings
        return AlertPolicy(s.urgent_alert_minutes, s.alert_minutes, self.deps.flow.office)

    async def check(self) -> list[str]:
        """Flag every newly overdue waiting ticket; returns their ids."""
        now, policy = self.clock(), self.policy()
        alerted = []
        for queued in await self.store.queued("waiting", limit=10_000):
            t = queued.ticket
            if t.alerted_at is not None or not policy.due(t.priority, queued.waiting_since, now):
                continue
            if not await self.store.mark_alerted(t.id, now):
                continue  # claimed meanwhile, or another instance was first
            alerted.append(t.id)
            log.info("ticket_alert", ticket=t.id, priority=t.priority)
            self.deps.live.publish("ticket_alert", ticket_id=t.id, priority=t.priority)
            await self._tell("alert", queued, now)
        return alerted

    async def lead(self) -> bool:
        """Take or renew the "alerts" lease; only its holder checks, purges and notifies."""
        now = self.clock()
        until = now + 3 * self.interval
        self._leader = await self.store.try_lease("alerts", self.deps.instance, until, now)
        return self._leader

    async def announce(self, ticket_id: str) -> None:
        """Tell the staff group about a new ticket."""
        if not self._leader:
            return
        queued = await self.store.queued_one(ticket_id)
        if queued is not None and queued.ticket.status == "waiting":
            await self._tell("new_ticket", queued, self.clock())

    async def _tell(self, kind: str, queued: QueuedTicket, now: float) -> None:
        if self.notifier is None:
            return
        await self.notifier.notify_staff(
            self.notice(kind, queued.ticket, queued.waiting_since, now)
        )

    def notice(self, kind: str, ticket: Ticket, since: float, now: float) -> str:
        texts = self.deps.texts
        key = (
            f"staff_notice.{kind}_urgent" if ticket.priority == "urgent" else f"staff_notice.{kind}"
        )
        return texts(
            key,
            territory=ticket.territory or texts("staff_notice.no_territory"),
            first_name=ticket.snapshot.get("first_name") or texts("staff_notice.no_name"),
            waiting=self.duration(now - since),
            url=f"{self.deps.settings.public_url.rstrip('/')}/handoff/",
        )

    def duration(self, seconds: float) -> str:
        texts, minutes = self.deps.texts, int(seconds // 60)
        if minutes < 1:
            return texts("staff_notice.just_now")
        if minutes < 60:
            return texts("staff_notice.minutes", minutes=minutes)
        if minutes < 24 * 60:
            return texts("staff_notice.hours", hours=minutes // 60, minutes=minutes % 60)
        return texts("staff_notice.days", days=minutes // 1440, hours=minutes // 60 % 24)

    async def _purge(self) -> None:
        now = self.clock()
        if now - self._last_purge >= PURGE_SECONDS:
            self._last_purge = now
            await self.store.purge(now - SESSION_IDLE_SECONDS, now - THROTTLE_WINDOW_SECONDS)

    async def run(self) -> None:
        async with self.deps.live.subscribe() as events:
            while True:
                try:
                    if await self.lead():
                        await self.check()
                        await self._purge()
                    deadline = asyncio.get_running_loop().time() + self.interval
                    while (left := deadline - asyncio.get_running_loop().time()) > 0:
                        try:
                            # Not wait_for: on 3.11 it can swallow a cancel that lands as an
                            # event arrives, and the shutdown then waits forever.
                            async with asyncio.timeout(left):
                                event = await events.get()
                        except TimeoutError:
                            break
                        if event.kind == "ticket_opened":
                            await self.announce(str(event.data["ticket_id"]))
                except StoreUnavailable:
                    log.warning("store_unavailable", during="alerts")
                    await asyncio.sleep(1.0)
                except Exception as exc:  # a bug must not silence alerts: log by type, wait, go on
                    log.error("alerts_failed", error=type(exc).__name__)
                    await asyncio.sleep(self.interval)

    async def lifecycle(self, app: object) -> AsyncIterator[None]:
        """Cleanup context: start the notifier and the loop after the core, stop them first."""
        if self.notifier is None:
            self.notifier = build_notifier(self.deps)
        owned = self.notifier if isinstance(self.notifier, TelegramStaffNotifier) else None
        if owned is not None:
            await owned.start()
        try:
            async with background(self.run(), "handoff:alerts"):
                yield
        finally:
            if owned is not None:
                await owned.stop()
