"""Scale check: the counsellors' queue queries and the desk's figures at 1 M conversations.

The rows are generated straight into a SQLite file created by the store itself (so with the
current schema and indexes), then the real store code answers the queries the dashboard makes.
Search is measured here once its issue lands; until then it is reported as not available
rather than given a made-up number.
"""

from __future__ import annotations

import asyncio
import datetime
import json
import random
import secrets
import sqlite3
import time
from pathlib import Path
from typing import Any

from bench.report import NOT_AVAILABLE, percentile
from bot.officehours import OfficeHours
from bot.store.sqlite import SQLiteStore
from handoff.figures import Figures

BATCH = 20_000
TICKET_SHARE = 0.4  # conversations that reached a counsellor
WAITING, ASSIGNED = 0.004, 0.006  # of those tickets, still in the queue or being handled
STAFF = 30
TERRITORIES = ("Verdun", "Stenay", "Montmédy", "Damvillers", "Dun-sur-Meuse", "Clermont")
PLACEHOLDERS = ("search",)  # the queries other issues will bring
SOURCES = ("bq7k2m", "mairie-dun", "club-foot", "unknown-code", None)
OUTCOMES = ("registered", "appointment", "no_answer")
FIGURE_REPEATS = 5  # each figures call reads the whole period: fewer repeats


def _rows(start: int, count: int, now: float, rng: random.Random) -> tuple[list[Any], list[Any]]:
    conversations, tickets = [], []
    for n in range(start, start + count):
        cid = secrets.token_hex(12)
        created = now - rng.uniform(0, 365 * 86400)
        channel = ("messenger", "instagram", "telegram", "web")[n % 4]
        territory = TERRITORIES[n % len(TERRITORIES)]
        profile = {
            "first_name": "Lina",
            "age": 16 + n % 14,
            "need": ("job", "training", "housing")[n % 3],
            "commune": territory,
            "territory": territory,
        }
        source = SOURCES[n % len(SOURCES)]
        row = (
            cid,
            channel,
            str(10**15 + n),
            json.dumps(profile),
            source,
            created + 30,
            created,
            created,
        )
        conversations.append(row)
        if rng.random() >= TICKET_SHARE:
            continue
        draw = rng.random()
        status = (
            "waiting" if draw < WAITING else "assigned" if draw < WAITING + ASSIGNED else "closed"
        )
        staff = None if status == "waiting" else rng.randrange(1, STAFF + 1)
        tickets.append(
            (
                secrets.token_hex(8),
                cid,
                status,
                "urgent" if rng.random() < 0.05 else "normal",
                channel,
                source,
                territory,
                created + 600,
                created + 600,
                None if staff is None else created + 3600,
                staff,
                None if staff is None else created + 4200,
                created + 86400 if status == "closed" else None,
                OUTCOMES[n % len(OUTCOMES)] if status == "closed" else None,
            )
        )
    return conversations, tickets


def generate(path: Path, conversations: int, deadline: float) -> int:
    """Fill the file with conversations and their tickets; how many were written in time."""
    rng = random.Random(12)  # noqa: S311 (the same shape on every run, not a secret)
    now = time.time()
    db = sqlite3.connect(path)
    db.execute("PRAGMA synchronous=OFF")  # a throw-away file: only its final shape matters
    written = 0
    try:
        while written < conversations and time.monotonic() < deadline:
            batch = min(BATCH, conversations - written)
            convs, tickets = _rows(written, batch, now, rng)
            with db:
                db.executemany(
                    "INSERT INTO conversations (id, channel, user_id, mode, state, profile, "
                    "source, consent_at, created_at, updated_at) "
                    "VALUES (?, ?, ?, 'bot', 'done', ?, ?, ?, ?, ?)",
                    convs,
                )
                db.executemany(
                    "INSERT INTO tickets (id, conversation_id, status, priority, reason, "
                    "channel, source, territory, created_at, queued_at, claimed_at, "
                    "assigned_to, first_reply_at, closed_at, outcome) "
                    "VALUES (?, ?, ?, ?, 'intake_done', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    tickets,
                )
            written += batch
        db.execute("ANALYZE")
    finally:
        db.close()
    return written


async def _time(call: Any, repeats: int) -> dict[str, float]:
    await call()  # the first call warms the page cache
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        await call()
        samples.append(time.perf_counter() - started)
    return {f"p{q}_ms": percentile(samples, q) * 1000 for q in (50, 95, 99)}


async def run(tmp: Path, conversations: int, seconds: float, repeats: int = 50) -> dict[str, Any]:
    """Generate the rows (bounded by `seconds`), then time each queue query."""
    store = SQLiteStore(tmp / "data")
    await store.open()  # creates the file with the current schema
    await store.close()
    started = time.monotonic()
    written = await asyncio.to_thread(generate, store.path, conversations, started + seconds)
    generated_in = time.monotonic() - started
    await store.open()
    figures = Figures(store, OfficeHours.parse(), yearly_goal=300)
    now = time.time()
    today = datetime.datetime.fromtimestamp(now, figures.office.tz).date()
    try:
        counts = dict(await store._read_all("SELECT status, COUNT(*) FROM tickets GROUP BY status"))
        queries = {
            "waiting queue (urgent first, then oldest)": lambda: store.queued("waiting"),
            "one counsellor's tickets": lambda: store.queued("assigned", assigned_to=7),
            "all tickets being handled": lambda: store.queued("assigned"),
            "closed tickets, newest first": lambda: store.queued("closed"),
            "bot's waiting list": lambda: store.list_tickets("waiting"),
        }
        timings = {name: await _time(call, repeats) for name, call in queries.items()}
        periods = {
            "figures, the last 30 days": today - datetime.timedelta(days=30),
            "figures, the last 365 days": today - datetime.timedelta(days=365),
        }
        for name, start in periods.items():

            async def figures_call(start: datetime.date = start) -> Any:
                return await figures.compute(start, today, None, now)

            timings[name] = await _time(figures_call, min(repeats, FIGURE_REPEATS))
    finally:
        await store.close()
    return {
        "conversations": written,
        "asked": conversations,
        "generated_in_s": round(generated_in, 1),
        "tickets": counts,
        "file_mib": store.path.stat().st_size / 2**20,
        "queries": timings,
        "not_available": {name: NOT_AVAILABLE for name in PLACEHOLDERS},
    }


def markdown(r: dict[str, Any]) -> str:
    tickets = ", ".join(f"{n:,} {status}" for status, n in sorted(r["tickets"].items()))
    lines = [
        f"{r['conversations']:,} conversations generated (of {r['asked']:,} asked) in "
        f"{r['generated_in_s']} s into a {r['file_mib']:.0f} MiB SQLite file with the current "
        f"schema; tickets: {tickets}. Each query: 1 warm-up, then timed through the real store "
        "code (200 rows per page).",
        "",
        "| query at scale | p50 ms | p95 ms | p99 ms |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, t in r["queries"].items():
        lines.append(f"| {name} | {t['p50_ms']:.2f} | {t['p95_ms']:.2f} | {t['p99_ms']:.2f} |")
    for name, value in r["not_available"].items():
        lines.append(f"| {name} | {value} | | |")
    return "\n".join(lines)
