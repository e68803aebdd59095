"""Scale check: the bot's resident memory across 100k conversations.

Driven in-process, against the real app: each new conversation's first message goes through
`Resources.ingest` (the durable inbox), the dispatcher, the engine and its SQLite unit of work,
and the sender, which delivers the welcome through the real Messenger and Telegram clients to
the fakes, running in their own process. Only the webhook parsing is skipped (it keeps no
state). RSS is read from /proc/self/status after a warm-up, then every `SAMPLE` conversations.
"""

from __future__ import annotations

import asyncio
import gc
import os
import sqlite3
import time
from pathlib import Path
from typing import Any

import aiosqlite
from aiohttp import web

from bench import processes
from bot.app import create_app
from bot.events import InboundEvent
from bot.logs import setup_logging
from bot.settings import load_settings
from tests.support.resources import Resources
from tests.support.resources import of as resources_of

BATCH = 500  # conversations started together, then settled
WARM_UP = 2_000
SAMPLE = 10_000
_users = iter(range(10**9))


async def _settle(runtime: Resources, deadline: float) -> None:
    """Until every event is processed and every reply delivered (or the deadline passes)."""
    while time.monotonic() < deadline:
        await runtime.dispatcher.idle()
        if await runtime.store.outbox_backlog() == 0 and not runtime.dispatcher._workers:
            return
        await asyncio.sleep(0.01)


async def _conversations(runtime: Resources, count: int, deadline: float) -> None:
    events = []
    for _ in range(count):
        n = next(_users)
        channel = "messenger" if n % 2 else "telegram"
        user = str(7 * 10**15 + n) if channel == "messenger" else str(5 * 10**9 + n)
        events.append(InboundEvent(channel, user, f"rss-{n}", "text", "salut"))
    await asyncio.gather(*(runtime.ingest(event) for event in events))
    await _settle(runtime, deadline)


class RoundTrips:
    """Counts the store's calls into SQLite's threads (each one a hop there and back)."""

    def __init__(self) -> None:
        self.calls = 0
        self.commits = 0
        self.durable = 0
        self._original = aiosqlite.Connection._execute

    def __enter__(self) -> RoundTrips:
        original, counts = self._original, self

        async def counted(conn: Any, fn: Any, *args: Any, **kwargs: Any) -> Any:
            counts.calls += 1
            if args and isinstance(args[0], sqlite3.Connection):
                fn = counts._traced(fn)  # a whole transaction in one call: read its statements
            sql = args[0] if args and isinstance(args[0], str) else ""
            counts._statement(sql)
            return await original(conn, fn, *args, **kwargs)

        aiosqlite.Connection._execute = counted  # type: ignore[method-assign]
        return self

    def _statement(self, sql: str) -> None:
        self.commits += sql == "COMMIT"
        self.durable += sql == "PRAGMA synchronous=FULL"

    def _traced(self, fn: Any) -> Any:
        def traced(db: sqlite3.Connection, *args: Any) -> Any:
            db.set_trace_callback(self._statement)
            try:
                return fn(db, *args)
            finally:
                db.set_trace_callback(None)

        return traced

    def __exit__(self, *exc: object) -> None:
        aiosqlite.Connection._execute = self._original  # type: ignore[method-assign]


def _rss_mib() -> float:
    # This process runs the bot; its child is the fake platforms, which keep every message.
    return processes.rss_kib(os.getpid(), descendants=False) / 1024


async def run(tmp: Path, data_dir: Path, conversations: int, seconds: float) -> dict[str, Any]:
    """`conversations` first messages (bounded by `seconds`), RSS sampled along the way."""
    fakes, addresses = await processes.start_fakes(tmp)
    settings = load_settings(env_file=None, data_dir=data_dir, **processes.platform_env(addresses))
    setup_logging("json", "WARNING")  # 100k lines of INFO would measure the terminal
    runner = web.AppRunner(create_app(settings))
    await runner.setup()  # runs the app's start-up: store, channels, dispatcher, sender
    runtime = resources_of(runner.app)
    started = time.monotonic()
    deadline = started + seconds
    samples: list[tuple[int, float]] = []
    done = 0
    try:
        await _conversations(runtime, WARM_UP, deadline)
        with RoundTrips() as trips:  # over one batch: what one new conversation costs
            await _conversations(runtime, BATCH, deadline)
        gc.collect()
        samples.append((0, _rss_mib()))
        while done < conversations and time.monotonic() < deadline:
            await _conversations(runtime, min(BATCH, conversations - done), deadline)
            done += min(BATCH, conversations - done)
            if done % SAMPLE == 0 or done == conversations:
                gc.collect()
                samples.append((done, _rss_mib()))
        if samples[-1][0] != done:
            gc.collect()
            samples.append((done, _rss_mib()))
        delivered = await runtime.store._read_one(
            "SELECT COUNT(*) FROM outbox WHERE status = 'sent'"
        )
    finally:
        await runner.cleanup()
        fakes.stop()
    elapsed = time.monotonic() - started
    growth = samples[-1][1] - samples[0][1]
    return {
        "data_dir": str(data_dir),
        "asked": conversations,
        "conversations": done,
        "seconds": round(elapsed, 1),
        "per_second": done / elapsed if elapsed else 0.0,
        "replies_sent": int(delivered[0]) if delivered else 0,
        "rss_after_warm_up_mib": samples[0][1],
        "rss_end_mib": samples[-1][1],
        "growth_mib": growth,
        "growth_per_100k_mib": growth / done * 100_000 if done else 0.0,
        "samples": samples,
        "sqlite_calls_per_conversation": trips.calls / BATCH,
        "commits_per_conversation": trips.commits / BATCH,
        "durable_commits_per_conversation": trips.durable / BATCH,
    }


def markdown(r: dict[str, Any]) -> str:
    reached = r["conversations"] == r["asked"]
    lines = [
        f"{r['conversations']:,} new conversations (of {r['asked']:,} asked"
        f"{'' if reached else ', stopped by the time bound'}) in {r['seconds']} s "
        f"({r['per_second']:,.0f}/s), driven in-process through the real ingest, dispatcher, "
        f"engine, SQLite store and sender, the welcome delivered to the fake Messenger and "
        f"Telegram in their own process ({r['replies_sent']:,} replies sent, warm-up included). "
        f"SQLite file in {r['data_dir']}"
        + (
            " (tmpfs: fsync costs time, not memory)."
            if r["data_dir"].startswith("/dev/shm")  # noqa: S108 (a label, not a path)
            else "."
        ),
        "",
        "| figure | value |",
        "| --- | ---: |",
        f"| RSS after a {WARM_UP + BATCH:,}-conversation warm-up | {r['rss_after_warm_up_mib']:.1f} MiB |",
        f"| RSS at the end | {r['rss_end_mib']:.1f} MiB |",
        f"| growth | {r['growth_mib']:.1f} MiB |",
        f"| growth per 100k conversations (measured or extrapolated) | "
        f"{r['growth_per_100k_mib']:.1f} MiB |",
        f"| calls into SQLite's threads per new conversation (first message, its reply) | "
        f"{r['sqlite_calls_per_conversation']:.1f} |",
        f"| transactions per new conversation (of them fsync'd: synchronous=FULL) | "
        f"{r['commits_per_conversation']:.1f} ({r['durable_commits_per_conversation']:.2f}) |",
        "",
        "RSS by conversations: " + ", ".join(f"{n:,}: {mib:.1f} MiB" for n, mib in r["samples"]),
    ]
    return "\n".join(lines)
