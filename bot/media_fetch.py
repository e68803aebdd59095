"""The media fetcher: downloads what youths sent soon after arrival, before the links expire.

Out of the webhook's path: the commit that records a message also records its pending
media; this job claims each with a lease in the store, so a crash loses nothing (the lease
expires, another try follows) and two instances never fetch the same file at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import time
from collections.abc import Callable, Mapping

import structlog

from bot.background import background
from bot.channels.base import Channel
from bot.events import Reply
from bot.live import LiveHub
from bot.mediatypes import MediaRefused, check, size_label
from bot.sender import backoff
from bot.store.base import Conflict, Store, StoreUnavailable, UnitOfWork
from bot.store.roles_media import Media
from bot.texts import Texts

log = structlog.get_logger(__name__)

POLL_SECONDS = 2.0
LEASE_SECONDS = 180.0  # longer than a download's own timeout
BATCH = 20
COMMIT_RETRIES = 5
# What the youth is told when their file cannot be kept, by refusal code.
_YOUTH_TEXT = {"too_big": "media.refused_too_big", "bad_type": "media.refused_bad_type"}


class MediaFetcher:
    """Claims pending media, fetches them through their channel, keeps or refuses them."""

    def __init__(
        self,
        store: Store,
        channels: Mapping[str, Channel],
        texts: Texts,
        live: LiveHub,
        *,
        max_bytes: int,
        types: frozenset[str],
        max_attempts: int = 6,
        clock: Callable[[], float] = time.time,
        owner: str = "media",
        after_commit: Callable[[], None] = lambda: None,
        poll_seconds: float = POLL_SECONDS,
    ) -> None:
        self.store = store
        self.channels = channels
        self.texts = texts
        self.live = live
        self.max_bytes = max_bytes
        self.types = types
        self.max_attempts = max_attempts
        self.clock = clock
        self.owner = owner
        self.after_commit = after_commit
        self.poll_seconds = poll_seconds
        self._wake = asyncio.Event()
        self.fetched = 0
        self.refused = 0

    def wake(self) -> None:
        self._wake.set()

    async def run_once(self) -> int:
        """Fetch every media due now that this instance could claim; returns how many."""
        now = self.clock()
        handled = 0
        for media in await self.store.media_due(now, BATCH):
            if await self.store.claim_media(media.id, self.owner, now + LEASE_SECONDS, now):
                await self._fetch(media)
                handled += 1
        return handled

    async def _fetch(self, media: Media) -> None:
        channel = self.channels.get(media.channel)
        try:
            if channel is None or not media.ref:
                raise MediaRefused("unsupported")
            content = await channel.fetch_media(media.ref, self.max_bytes)
            mime = check(content, self.types, self.max_bytes)
        except MediaRefused as exc:
            await self._give_up(media, exc.code)
            return
        except Exception as exc:  # network, 5xx, the platform's hiccups: later
            code = str(getattr(exc, "code", "")) or type(exc).__name__
            if media.attempts + 1 >= self.max_attempts:
                await self._give_up(media, "unreachable")
                return
            delay = backoff(media.attempts + 2)
            log.info("media_retry", media=media.id, channel=media.channel, code=code, delay=delay)
            await self.store.media_retry(media.id, self.owner, code, self.clock() + delay)
            return
        if await self.store.media_fetched(media.id, self.owner, mime, content, self.clock()):
            self.fetched += 1
            log.info("media_stored", media=media.id, channel=media.channel, mime=mime)
            self._announce(media)

    async def _give_up(self, media: Media, code: str) -> None:
        """A file we cannot keep: marked so for the counsellor, and the youth is answered."""
        if not await self.store.media_failed(media.id, self.owner, code, self.clock()):
            return  # erased meanwhile
        self.refused += 1
        log.info("media_refused", media=media.id, channel=media.channel, code=code)
        key = _YOUTH_TEXT.get(code, "media.refused_lost")
        text = self.texts(key, limit=size_label(self.texts, self.max_bytes))
        for _ in range(COMMIT_RETRIES):
            c = await self.store.get_conversation(media.conversation_id)
            if c is None or c.user_id.startswith("erased:"):
                break
            uow = UnitOfWork(
                conversation=dataclasses.replace(c, profile=dict(c.profile)),
                replies=[Reply(text)],
            )
            try:
                await self.store.commit(uow, self.clock())
            except Conflict:
                continue  # the youth wrote meanwhile: answer from the fresh state
            self.after_commit()
            break
        self._announce(media)

    def _announce(self, media: Media) -> None:
        self.live.publish(
            "media",
            conversation_id=media.conversation_id,
            message_id=media.message_id,
            media_id=media.id,
        )

    async def _loop(self) -> None:
        while True:
            self._wake.clear()
            try:
                busy = await self.run_once()
            except StoreUnavailable:
                log.warning("store_unavailable", during="media_fetch")
                busy = 0
            if not busy:
                # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow the stop's cancel.
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(self.poll_seconds):
                        await self._wake.wait()

    def running(self) -> contextlib.AbstractAsyncContextManager[object]:
        return background(self._loop(), "media_fetch")
