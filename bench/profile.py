"""Where the bot's time goes at saturation: py-spy samples the bot process under load.

The bot runs as in the pipeline benchmark; while Messenger youths keep it saturated, py-spy
records the stacks of the threads holding the GIL (`--gil`: the Python CPU of the event loop
and of SQLite's connection threads, not their waits) as collapsed stacks, the input of any
flame-graph renderer. The samples are then summed by what the code was doing, from the first
matching rule of `CATEGORIES` along each stack, leaf first, and for a few functions of our
own by every sample they are on the stack of (`INCLUSIVE`).
"""

from __future__ import annotations

import asyncio
import shutil
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp

from bench import processes
from bench.load import Observer, Phase, closed_loop
from bench.report import phase_figures

# (label, fragments of a frame): the leaf-most frame matching a fragment names the sample.
IDLE = "idle: the loop in select(), a SQLite thread waiting for work"
CATEGORIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (IDLE, ("(selectors.py:", "(aiosqlite/core.py:59)")),
    # Line 63 runs the statement: sqlite3's C code, its disk I/O and fsync, GIL released.
    ("SQLite statement running in its thread (C code, I/O, fsync)", ("(aiosqlite/core.py:63)",)),
    ("SQLite hand-over between the loop and its threads", ("aiosqlite/",)),
    ("JSON encode/decode", ("json/", "orjson")),
    ("HMAC / hashing", ("hmac.py", "hashlib")),
    ("regular expressions", ("re/__init__", "re/_", "sre_")),
    ("logging (structlog)", ("structlog/", "logging/")),
    ("intake flow and parsers", ("bot/flows/",)),
    ("rapidfuzz / commune lookup", ("rapidfuzz",)),
    ("engine and units of work", ("bot/engine.py",)),
    ("store code on the event loop", ("bot/store/",)),
    ("dispatcher and sender", ("bot/dispatcher.py", "bot/sender.py")),
    ("Telegram client (python-telegram-bot, httpx)", ("telegram/", "httpx/", "httpcore/")),
    ("Meta channel and its HTTP client", ("bot/channels/meta.py", "aiohttp/client")),
    ("Telegram channel (webhook, parsing)", ("bot/channels/telegram.py",)),
    ("aiohttp server (requests, responses)", ("aiohttp/web", "aiohttp/http", "aiohttp/stream")),
    ("asyncio event loop and its I/O", ("asyncio/",)),
)
# (label, fragments of a frame): samples with one of these functions anywhere on their stack.
INCLUSIVE: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("engine: one event decided and committed", ("Engine.handle (",)),
    ("the reading of a message (NLU)", ("bot/nlu/",)),
    ("a request handled (webhooks: middlewares, receive, ingest)", ("._handle_request (aiohttp",)),
    ("the inbox's group commit", ("bot/store/sqlite/ingest.py",)),
    ("sender: one reply delivered", ("Sender._deliver (",)),
    ("Meta's Send API call (aiohttp client)", ("aiohttp/client.py",)),
    ("store reads on the loop", ("._read_one (bot/store", "._read_all (bot/store")),
    ("SQLite's connection threads", ("_connection_worker_thread",)),
    ("logging (structlog, logging)", ("structlog/", "logging/")),
    ("JSON encode/decode", ("json/",)),
)


def inclusive(collapsed: str) -> Counter[str]:
    """Samples on whose stack each `INCLUSIVE` function appears."""
    found: Counter[str] = Counter()
    for line in collapsed.splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            for label, fragments in INCLUSIVE:
                if any(fragment in stack for fragment in fragments):
                    found[label] += int(count)
    return found


def categorise(collapsed: str) -> tuple[Counter[str], Counter[str], int]:
    """Samples by category and by leaf function, and the total, from py-spy's raw output."""
    categories: Counter[str] = Counter()
    leaves: Counter[str] = Counter()
    total = 0
    for line in collapsed.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = stack.split(";")
        leaves[frames[-1]] += n
        categories[_category(frames)] += n
    return categories, leaves, total


def _category(frames: list[str]) -> str:
    for frame in reversed(frames):
        for label, fragments in CATEGORIES:
            if any(fragment in frame for fragment in fragments):
                return label
    return "other"


async def run(tmp: Path, seconds: float, concurrency: int) -> dict[str, Any]:
    """Saturate the bot with Messenger youths while py-spy records it for `seconds`."""
    spy = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")
    if spy is None:
        raise RuntimeError("py-spy is not installed: pip install -e '.[bench]'")
    fakes, addresses = await processes.start_fakes(tmp)
    bot, bot_url = processes.start_bot(tmp, addresses, None)
    output = tmp / "profile.collapsed.txt"
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
            await processes.wait_healthy(session, bot, bot_url)
            observer = Observer(addresses["control"])
            await observer.start(session)
            phase = Phase("profiled saturation")
            argv = [spy, "record", "--pid", str(bot.pid), "--duration", str(int(seconds))]
            argv += ["--rate", "200", "--format", "raw", "--threads", "--nonblocking", "--gil"]
            recorder = await asyncio.create_subprocess_exec(
                *argv,
                "-o",
                str(output),
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.PIPE,
            )
            load = closed_loop(
                session,
                bot_url,
                phase,
                seconds=seconds + 2,
                concurrency=concurrency,
                observer=observer,
                channel="messenger",
            )
            _, (_, err) = await asyncio.gather(load, recorder.communicate())
            await observer.stop()
    finally:
        bot.stop()
        fakes.stop()
    if recorder.returncode != 0 or not output.exists():
        raise RuntimeError(f"py-spy failed: {err.decode(errors='replace')[-500:]}")
    collapsed = output.read_text(encoding="utf-8")
    categories, leaves, total = categorise(collapsed)
    return {
        "seconds": seconds,
        "replies_per_s": phase_figures(phase)["replies_per_s"],
        "samples": total,
        "categories": dict(categories.most_common()),
        "leaves": dict(leaves.most_common(15)),
        "inclusive": {label: inclusive(collapsed)[label] for label, _ in INCLUSIVE},
        "collapsed_stacks": str(output),
    }


def markdown(r: dict[str, Any]) -> str:
    total = r["samples"] or 1
    busy = total - r["categories"].get(IDLE, 0) or 1
    lines = [
        f"py-spy, {r['seconds']:.0f} s at saturation ({r['replies_per_s']:,.0f} replies/s while "
        f"sampled), {r['samples']:,} samples of the bot's threads holding the GIL (py-spy "
        "`--gil`: Python CPU, of the event loop and of SQLite's connection threads).",
        "",
        "| where the samples fall (leaf-most match) | share of all | share of busy |",
        "| --- | ---: | ---: |",
    ]
    for name, n in r["categories"].items():
        lines.append(f"| {name} | {n / total:.1%} | {'—' if name == IDLE else f'{n / busy:.1%}'} |")
    lines += ["", "| on the stack of (inclusive) | share of all |", "| --- | ---: |"]
    lines += [f"| {name} | {n / total:.1%} |" for name, n in r.get("inclusive", {}).items()]
    lines += ["", "| hottest leaf functions | share |", "| --- | ---: |"]
    lines += [f"| `{name}` | {n / total:.1%} |" for name, n in r["leaves"].items()]
    return "\n".join(lines)
