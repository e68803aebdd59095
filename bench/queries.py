"""Scale check: the counsellors' queue queries on a store holding 1 M conversations.

The rows are generated straight into a SQLite file created by the store itself (so with the
current schema and indexes), then the real store code answers the queries the dashboard makes.
Each youth also wrote one line, so the search index (kept by the store's own triggers) is
filled as in production. Figures are measured here once their issue lands; until then they
are reported as not available rather than given made-up numbers.
"""

from __future__ import annotations

import asyncio
import json
import random
import secrets
import sqlite3
import time
from pathlib import Path
from typing import Any

from bench.report import NOT_AVAILABLE, percentile
from bot.store.base import TicketQuery
from bot.store.sqlite import SQLiteStore
from bot.store.sqlite.words import search_words

BATCH = 20_000
TICKET_SHARE = 0.4  # conversations that reached a counsellor
WAITING, ASSIGNED = 0.004, 0.006  # of those tickets, still in the queue or being handled
STAFF = 30
TERRITORIES = ("Verdun", "Stenay", "Montmédy", "Damvillers", "Dun-sur-Meuse", "Clermont")
PLACEHOLDERS = ("figures",)  # the queries another issue will bring
FIRST_NAMES = ("Lina", "Noah", "Inès", "Yanis", "Maëlys", "Enzo", "Chloé", "Théo", "Jade", "Lucas")
NEEDS = ("job", "training", "mobility", "housing", "health")
WORDS = ("CV", "permis", "apprentissage", "boulangerie", "garage", "stage", "BAFA", "logement")
PHONE = "+3361{:07d}"  # invented numbers, one per youth


def _rows(start: int, count: int, now: float, rng: random.Random) -> dict[str, list[Any]]:
    rows: dict[str, list[Any]] = {"conversations": [], "tickets": [], "messages": []}
    for n in range(start, start + count):
        cid = secrets.token_hex(12)
        created = now - rng.uniform(0, 365 * 86400)
        channel = ("messenger", "instagram", "telegram", "web")[n % 4]
        commune = TERRITORIES[n % len(TERRITORIES)]
        profile = {
            "first_name": FIRST_NAMES[n % len(FIRST_NAMES)],
            "age": 16 + n % 14,
            "commune": commune,
            "need": NEEDS[n % len(NEEDS)],
            "phone": PHONE.format(n),
        }
        row = (cid, channel, str(10**15 + n), json.dumps(profile), created, created)
        rows["conversations"].append(row)
        said = f"j'habite à {commune}, je cherche un {rng.choice(WORDS)} et un {rng.choice(WORDS)}"
        rows["messages"].append((cid, said, created + 60))
        if rng.random() >= TICKET_SHARE:
            continue
        draw = rng.random()
        status = (
            "waiting" if draw < WAITING else "assigned" if draw < WAITING + ASSIGNED else "closed"
        )
        staff = None if status == "waiting" else rng.randrange(1, STAFF + 1)
        rows["tickets"].append(
            (
                secrets.token_urlsafe(12),
                cid,
                status,
                "urgent" if rng.random() < 0.05 else "normal",
                json.dumps(profile),
                channel,
                TERRITORIES[n % len(TERRITORIES)],
                created + 600,
                None if staff is None else created + 3600,
                staff,
                created + 86400 if status == "closed" else None,
                created + 600,
            )
        )
    return rows


def generate(path: Path, conversations: int, deadline: float) -> int:
    """Fill the file with conversations and their tickets; how many were written in time."""
    rng = random.Random(12)  # noqa: S311 (the same shape on every run, not a secret)
    now = time.time()
    db = sqlite3.connect(path)
    db.create_function("search_words", 1, search_words, deterministic=True)  # the triggers
    db.execute("PRAGMA synchronous=OFF")  # a throw-away file: only its final shape matters
    written = 0
    try:
        while written < conversations and time.monotonic() < deadline:
            batch = min(BATCH, conversations - written)
            rows = _rows(written, batch, now, rng)
            with db:
                db.executemany(
                    "INSERT INTO conversations (id, channel, user_id, mode, state, profile, "
                    "created_at, updated_at) VALUES (?, ?, ?, 'bot', 'done', ?, ?, ?)",
                    rows["conversations"],
                )
                db.executemany(
                    "INSERT INTO messages (conversation_id, direction, author, text, created_at) "
                    "VALUES (?, 'in', 'youth', ?, ?)",
                    rows["messages"],
                )
                db.executemany(
                    "INSERT INTO tickets (id, conversation_id, status, priority, reason, "
                    "snapshot, channel, territory, created_at, claimed_at, assigned_to, "
                    "closed_at, queued_at) VALUES (?, ?, ?, ?, 'intake_done', ?, ?, ?, ?, ?, ?, "
                    "?, ?)",
                    rows["tickets"],
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
    try:
        counts = dict(await store._read_all("SELECT status, COUNT(*) FROM tickets GROUP BY status"))
        queries = {
            "waiting queue (urgent first, then oldest)": lambda: store.queued("waiting"),
            "one counsellor's tickets": lambda: store.queued("assigned", assigned_to=7),
            "all tickets being handled": lambda: store.queued("assigned"),
            "closed tickets, newest first": lambda: store.queued("closed"),
            "bot's waiting list": lambda: store.list_tickets("waiting"),
            **_searches(store, written),
        }
        timings = {name: await _time(call, repeats) for name, call in queries.items()}
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


def _searches(store: SQLiteStore, written: int) -> dict[str, Any]:
    """The searches a counsellor types, each a page of 50 results."""
    phone = PHONE.format(written // 2)[1:]  # one youth's number, as digits

    def find(text: str, **filters: Any) -> Any:
        return lambda: store.find_tickets(TicketQuery(text, **filters))

    return {
        "search: a phone number, every status": find(phone, status="all"),
        "search: a rare word, every status": find("bafa garage", status="all"),
        "search: a first name and a commune, open tickets": find("Maëlys Stenay"),
        "search: a commune (1 youth in 6), every status": find("Stenay", status="all"),
        "search: a commune, closed tickets, last 30 days": find(
            "Verdun", status="closed", since=time.time() - 30 * 86400
        ),
        "filters only: urgent open tickets of a territory": find(
            "", urgent=True, territory="Verdun"
        ),
    }


def markdown(r: dict[str, Any]) -> str:
    tickets = ", ".join(f"{n:,} {status}" for status, n in sorted(r["tickets"].items()))
    lines = [
        f"{r['conversations']:,} conversations generated (of {r['asked']:,} asked) in "
        f"{r['generated_in_s']} s into a {r['file_mib']:.0f} MiB SQLite file with the current "
        f"schema; tickets: {tickets}. Each query: 1 warm-up, then timed through the real store "
        "code (200 rows per page; 50 per search).",
        "",
        "| query at scale | p50 ms | p95 ms | p99 ms |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name, t in r["queries"].items():
        lines.append(f"| {name} | {t['p50_ms']:.2f} | {t['p95_ms']:.2f} | {t['p99_ms']:.2f} |")
    for name, value in r["not_available"].items():
        lines.append(f"| {name} | {value} | | |")
    return "\n".join(lines)
