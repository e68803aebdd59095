"""The service's cleanup contexts, in start-up order; each sets the keys of what it creates.

aiohttp enters them in the order they were appended and leaves them in reverse, so the store
closes last and the workers stop first.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import AsyncIterator

import structlog
from aiohttp import web

from bot.channels.base import Channel
from bot.dispatcher import Dispatcher
from bot.engine import Engine
from bot.errors import ConfigError
from bot.flows.prompts import FlowDeps
from bot.headroom import Headroom
from bot.media_fetch import MediaFetcher
from bot.mediatypes import parse_types
from bot.nlu.communes import CommuneIndex
from bot.nlu.reading import default_reader
from bot.officehours import OfficeHours
from bot.reminders import Reminders
from bot.resources import (
    CHANNELS,
    CLOCK,
    DISPATCHER,
    ENGINE,
    FLOW,
    INSTANCE,
    LIVE,
    MEDIA,
    METRICS,
    REMINDERS,
    SENDER,
    SETTINGS,
    STORE,
    TEXTS,
    wake_sender,
)
from bot.retention import Retention
from bot.sender import Sender
from bot.store.base import StoreUnavailable
from bot.store.factory import setting_name
from bot.territories import seed_default
from bot.texts import Texts

log = structlog.get_logger(__name__)


@functools.cache
def _communes() -> CommuneIndex:
    return CommuneIndex.load()


def install(app: web.Application) -> None:
    """Append the core contexts; handoff's come after them, so they see every key set."""
    app.cleanup_ctx.extend((catalogue, store_open, channels_running, workers))


async def catalogue(app: web.Application) -> AsyncIterator[None]:
    """The text catalogue and the flow's dependencies (a bad file stops start-up here)."""
    s = app[SETTINGS]
    try:
        office = OfficeHours.parse(s.office_days, s.office_hours, s.timezone)
    except ValueError as exc:
        raise ConfigError(
            f"MILOMOUV_OFFICE_DAYS / MILOMOUV_OFFICE_HOURS / MILOMOUV_TIMEZONE: {exc}"
        ) from None
    texts = await asyncio.to_thread(Texts.load, s.texts_file)
    communes = await asyncio.to_thread(_communes)
    reader = await asyncio.to_thread(default_reader)
    app[TEXTS] = texts
    app[FLOW] = FlowDeps(
        texts=texts,
        communes=communes,
        office=office,
        privacy_url=s.privacy_link,
        mission_locale_contact=s.mission_locale_contact,
        mission_locale_finder_url=s.mission_locale_finder_url,
        retention_unfinished_days=s.retention_unfinished_days,
        retention_closed_days=s.retention_closed_days,
        reader=reader,
    )
    yield


async def store_open(app: web.Application) -> AsyncIterator[None]:
    """Open the store (created by the app factory) and close it last."""
    store = app[STORE]
    try:
        await store.open()
    except StoreUnavailable as exc:
        raise ConfigError(f"{setting_name(app[SETTINGS])}: {exc}") from None
    await seed_default(store, app[FLOW].communes, app[CLOCK]())
    # A store shared by several instances relays live events between them.
    relay = getattr(store, "live_relay", None)
    if relay is not None:
        app[LIVE].relay = relay()
    try:
        yield
    finally:
        await store.close()
        log.info("stopped")


async def channels_running(app: web.Application) -> AsyncIterator[None]:
    """Each platform's long-lived client, then the live hub."""
    started: list[Channel] = []
    channels: dict[str, Channel] = app[CHANNELS]
    try:
        for channel in channels.values():
            await channel.start()
            started.append(channel)
        s = app[SETTINGS]
        log.info(
            "started",
            store=app[STORE].location,
            channels=sorted(channels),
            listen=f"{s.host}:{s.port}",
        )
        await app[LIVE].start()
        yield
    finally:
        log.info("stopping")
        await app[LIVE].stop()
        for channel in reversed(started):
            await channel.stop()


async def workers(app: web.Application) -> AsyncIterator[None]:
    """The engine, the dispatcher and sender, retention, reminders and the media fetcher."""
    s, store, clock, owner = app[SETTINGS], app[STORE], app[CLOCK], app[INSTANCE]
    flow, live, wake = app[FLOW], app[LIVE], wake_sender(app)
    channels: dict[str, Channel] = app[CHANNELS]
    engine = Engine(
        store,
        flow,
        live,
        privacy_version=app[TEXTS]("meta.privacy_version"),
        clock=clock,
        after_commit=wake,
    )
    limit = s.max_concurrent_conversations
    headroom = Headroom()  # one admission queue: replies and sends give way to webhooks
    dispatcher = Dispatcher(store, engine, limit, app[METRICS], owner=owner, headroom=headroom)
    sender = Sender(
        store,
        channels,
        live,
        max_attempts=s.send_max_attempts,
        max_concurrent=limit,
        clock=clock,
        metrics=app[METRICS],
        owner=owner,
        headroom=headroom,
    )
    retention = Retention(
        store, s.retention_unfinished_days, s.retention_closed_days, clock, owner=owner
    )
    reminders = Reminders(store, flow, clock=clock, owner=owner, after_commit=wake)
    media = MediaFetcher(
        store,
        channels,
        app[TEXTS],
        live,
        max_bytes=s.media_max_bytes,
        types=parse_types(s.media_types),
        clock=clock,
        owner=owner,
        after_commit=wake,
    )
    app[ENGINE], app[DISPATCHER], app[SENDER], app[REMINDERS], app[MEDIA] = (
        engine,
        dispatcher,
        sender,
        reminders,
        media,
    )
    await dispatcher.start()
    await sender.start()
    try:
        async with retention.running(), reminders.running(), media.running():
            yield
    finally:
        await dispatcher.stop()
        await sender.stop()
