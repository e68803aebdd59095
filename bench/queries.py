"""Scale check: the counsellors' queue queries on a store holding 1 M conversations.

The rows are generated straight into a SQLite file created by the store itself (so with the
current schema and indexes), then the real store code answers the queries the dashboard makes.
Each youth also wrote one line, so the search index (kept by the store's own triggers) is
filled as in production. Conversations carry sources and consent, tickets their claim, first
reply and outcome, so the coordinator's figures (`GET /api/stats`) are timed on them too.
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

from bench.report import percentile
from bot.officehours import OfficeHours
from bot.store.base import TicketQuery
from bot.store.sqlite import SQLiteStore
from bot.store.sqlite.words import search_words
from handoff.figures import Figures

BATCH = 20_000
TICKET_SHARE = 0.4  # conversations that reached a counsellor
WAITING, ASSIGNED = 0.004, 0.006  # of those tickets, still in the queue or being handled
STAFF = 30
TERRITORIES = ("Verdun", "Stenay", "Montmédy", "Damvillers", "Dun-sur-Meuse", "Clermont")
SOURCES = ("boulangerie-verdun", "mairie-stenay", "fb-2026", "forum-emploi")  # and unknown
OUTCOMES = ("registered_mission_locale", "work_project", "meeting_set", "unreachable", "other")
FIGURE_REPEATS = 5  # a year's figures take seconds each: fewer samples
FIRST_NAMES = ("Lina", "Noah", "Inès", "Yanis", "Maëlys", "Enzo", "Chloé", "Théo", "Jade", "Lucas")
NEEDS = ("job", "training", "mobility", "housing", "health")
WORDS = ("CV", "permis", "apprentissage", "boulangerie", "garage", "stage", "BAFA", "logement")
PHONE = "+3361{:07d}"  # invented numbers, one per youth


def _rows(
    start: int, count: int, total: int, now: float, rng: random.Random
) -> dict[str, list[Any]]:
    rows: dict[str, list[Any]] = {"conversations": [], "tickets": [], "messages": []}
    for n in range(start, start + count):
        cid = secrets.token_hex(12)
        # Over the last year, in the order they started, as a live store fills.
        created = now - 365 * 86400 * (1 - (n + rng.random()) / total)
        channel = ("messenger", "instagram", "telegram", "web")[n % 4]
        commune = TERRITORIES[n % len(TERRITORIES)]
        profile = {
            "first_name": FIRST_NAMES[n % len(FIRST_NAMES)],
            "age": 16 + n % 14,
            "commune": commune,
            "territory": TERRITORIES[n % len(TERRITORIES)],
            "need": NEEDS[n % len(NEEDS)],
            "phone": PHONE.format(n),
        }
        source = (*SOURCES, "affiche-inconnue", None, None)[n % 7]
        consent = created + 30 if n % 10 else None
        row = (
            cid,
            channel,
            str(10**15 + n),
            json.dumps(profile),
            source,
            consent,
            created,
            created,
        )
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
        opened = created + 600
        # Claimed within minutes to days, so office hours fold nights and weekends in.
        claimed = None if staff is None else opened + rng.expovariate(1 / 30_000)
        replied = None if claimed is None or n % 5 == 0 else claimed + rng.uniform(60, 7200)
        rows["tickets"].append(
            (
                secrets.token_urlsafe(12),
                cid,
                status,
                "urgent" if rng.random() < 0.05 else "normal",
                json.dumps(profile),
                channel,
                source,
                TERRITORIES[n % len(TERRITORIES)],
                opened,
                claimed,
                staff,
                replied,
                created + 86400 if status == "closed" else None,
                rng.choice(OUTCOMES) if status == "closed" else None,
                opened,
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
            rows = _rows(written, batch, conversations, now, rng)
            with db:
                db.executemany(
                    "INSERT INTO conversations (id, channel, user_id, mode, state, profile, "
                    "source, consent_at, created_at, updated_at) "
                    "VALUES (?, ?, ?, 'bot', 'done', ?, ?, ?, ?, ?)",
                    rows["conversations"],
                )
                db.executemany(
                    "INSERT INTO messages (conversation_id, direction, author, text, created_at) "
                    "VALUES (?, 'in', 'youth', ?, ?)",
                    rows["messages"],
                )
                db.executemany(
                    "INSERT INTO tickets (id, conversation_id, status, priority, reason, "
                    "snapshot, channel, source, territory, created_at, claimed_at, assigned_to, "
                    "first_reply_at, closed_at, outcome, queued_at) "
                    "VALUES (?, ?, ?, ?, 'intake_done', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    rows["tickets"],
                )
            written += batch
        db.executemany(
            "INSERT INTO sources (code, label, kind, commune, created_at) VALUES (?, ?, ?, ?, ?)",
            [(code, code, "shop", "Verdun", now - 400 * 86400) for code in SOURCES],
        )
        db.commit()
        db.execute("ANALYZE")
    finally:
        db.close()
    return written


async def _time(call: Any, repeats: int) -> dict[str, float]:
    """p50/p95/p99 in milliseconds, after one warm-up call."""
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
        for name, call in _figures(store).items():
            timings[name] = await _time(call, min(repeats, FIGURE_REPEATS))
    finally:
        await store.close()
    return {
        "conversations": written,
        "asked": conversations,
        "generated_in_s": round(generated_in, 1),
        "tickets": counts,
        "file_mib": store.path.stat().st_size / 2**20,
        "queries": timings,
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


def _figures(store: SQLiteStore) -> dict[str, Any]:
    """The coordinator's figures (`GET /api/stats`) for the last 30 and 365 days."""
    figures = Figures(store, OfficeHours.parse(), yearly_goal=1000)

    def period(days: int, territory: str | None = None) -> Any:
        now = time.time()
        today = datetime.date.fromtimestamp(now)
        start = today - datetime.timedelta(days=days - 1)
        return lambda: figures.compute(start, today, territory, now)

    return {
        "figures: last 30 days (GET /api/stats)": period(30),
        "figures: last 365 days": period(365),
        "figures: last 365 days, one territory": period(365, "Verdun"),
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
    return "\n".join(lines)
