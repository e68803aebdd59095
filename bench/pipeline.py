"""The pipeline benchmark: the ceiling, the bot at saturation and at fixed offered loads."""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from bench import processes
from bench.load import Observer, Phase, closed_loop, open_loop
from bench.report import phase_figures
from bench.youths import Youth


@dataclass(frozen=True)
class PipelineConfig:
    """How long and how hard each phase runs; every phase is bounded in count and time."""

    bare_seconds: float = 10.0
    saturation_seconds: float = 30.0
    concurrency: int = 400
    # Messenger only at saturation, as in issue 12: Telegram paces each chat to one message a
    # second, so closed-loop Telegram youths would measure that pacing, not the pipeline.
    saturation_channel: str | None = "messenger"
    loads: tuple[int, ...] = (100, 500, 1000)
    load_seconds: float = 10.0
    max_in_flight: int = 5000
    reply_timeout: float = 30.0
    drain_seconds: float = 120.0
    store_url: str | None = None
    # False: only the fixed-rate phases (a quick look at one offered load's latencies).
    saturation: bool = True
    bot_settings: tuple[tuple[str, str], ...] = ()


async def run(config: PipelineConfig, tmp: Path) -> dict[str, Any]:
    """Start the fakes, the bare app and the bot, play every phase, stop them all."""
    fakes, addresses = await processes.start_fakes(tmp)
    bare, bare_url = processes.start_bare(tmp)
    bot, bot_url = processes.start_bot(
        tmp, addresses, config.store_url, settings=dict(config.bot_settings)
    )
    connector = aiohttp.TCPConnector(limit=config.max_in_flight + 100)
    timeout = aiohttp.ClientTimeout(total=config.reply_timeout)
    try:
        async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
            await processes.wait_healthy(session, bare, bare_url)
            await processes.wait_healthy(session, bot, bot_url)
            pids = {"bot": bot.pid, "fakes": fakes.pid, "load generator": os.getpid()}
            return await _phases(config, session, addresses["control"], bare_url, bot_url, pids)
    finally:
        for child in (bot, bare, fakes):
            child.stop()


async def _phases(
    config: PipelineConfig,
    session: aiohttp.ClientSession,
    control_url: str,
    bare_url: str,
    bot_url: str,
    pids: dict[str, int],
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "cpus": os.cpu_count(),
        "load_average_at_start": round(os.getloadavg()[0], 2),
        "store": "external (MILOMOUV_STORE_URL)" if config.store_url else "embedded SQLite",
        "rss_start_mib": processes.rss_kib(pids["bot"]) / 1024,
    }
    if config.saturation:
        bare = Phase("bare aiohttp")
        await closed_loop(
            session,
            bare_url,
            bare,
            seconds=config.bare_seconds,
            concurrency=config.concurrency,
            observer=None,
            channel=config.saturation_channel,
        )
        result["bare"] = phase_figures(bare)
    observer = Observer(control_url)
    await observer.start(session)
    youths: list[Youth] = []
    try:
        if config.saturation:
            saturation = Phase("saturation")
            cpu = _cpu(pids)
            await closed_loop(
                session,
                bot_url,
                saturation,
                seconds=config.saturation_seconds,
                concurrency=config.concurrency,
                observer=observer,
                reply_timeout=config.reply_timeout,
                youths=youths,
                channel=config.saturation_channel,
            )
            result["saturation"] = phase_figures(saturation)
            result["saturation_cpu_share"] = _cpu_share(pids, cpu)
        result["loads"] = []
        for rate in config.loads:
            phase = Phase(f"{rate} msg/s offered")
            cpu = _cpu(pids)
            await open_loop(
                session,
                bot_url,
                phase,
                rate=rate,
                seconds=config.load_seconds,
                observer=observer,
                max_in_flight=config.max_in_flight,
                reply_timeout=config.reply_timeout,
                youths=youths,
            )
            share = _cpu_share(pids, cpu)
            result["loads"].append({"rate": rate, **phase_figures(phase), "cpu_share": share})
        result.update(await _losses(session, control_url, bot_url, youths, config.drain_seconds))
        result["unexpected_replies"] = observer.unexpected
    finally:
        await observer.stop()
    result["rss_end_mib"] = processes.rss_kib(pids["bot"]) / 1024
    if config.saturation:
        bare_rate = result["bare"]["acked_per_s"]
        sat = result["saturation"]
        result["share_of_bare_replies"] = sat["replies_per_s"] / bare_rate if bare_rate else 0.0
        result["share_of_bare_acks"] = sat["acked_per_s"] / bare_rate if bare_rate else 0.0
    return result


def _cpu_of(pid: int) -> float:
    """CPU seconds of the bot or the fakes with their children; of this process alone."""
    # This process is the load generator and the parent of the others: not theirs to count.
    return processes.cpu_seconds(pid, descendants=(pid != os.getpid()))


def _cpu(pids: dict[str, int]) -> tuple[float, dict[str, float]]:
    """The wall clock and each process's CPU seconds, at a phase's start."""
    return time.monotonic(), {name: _cpu_of(pid) for name, pid in pids.items()}


def _cpu_share(pids: dict[str, int], start: tuple[float, dict[str, float]]) -> dict[str, float]:
    """Each process's CPU since `start`, as a share of one core (the drain included)."""
    wall = max(time.monotonic() - start[0], 1e-9)
    return {name: (_cpu_of(pid) - start[1][name]) / wall for name, pid in pids.items()}


async def _losses(
    session: aiohttp.ClientSession,
    control_url: str,
    bot_url: str,
    youths: list[Youth],
    drain_seconds: float,
) -> dict[str, Any]:
    """Once everything is sent: replies lost (acknowledged, never delivered) and duplicated."""
    expected = sum(y.acked for y in youths)
    deadline = time.monotonic() + drain_seconds
    summary = await _summary(session, control_url)
    while time.monotonic() < deadline:
        delivered = sum(summary["users"].get(y.key, [0, 0])[0] for y in youths)
        if delivered >= expected and await processes.outbox_backlog(session, bot_url) == 0:
            break
        await asyncio.sleep(0.5)
        summary = await _summary(session, control_url)
    await asyncio.sleep(1.0)  # a duplicate sent late would arrive now
    summary = await _summary(session, control_url)
    lost, duplicated = count_losses(youths, summary["users"])
    return {
        "expected_replies": expected,
        "lost_replies": lost,
        "duplicated_replies": duplicated,
        "platform_problems": summary["problems"][:20],
    }


def count_losses(youths: list[Youth], users: dict[str, list[int]]) -> tuple[int, int]:
    """(lost, duplicated) replies: each acknowledged message is owed exactly one reply.

    `users` maps a recipient to [replies delivered, replies equal to the one before them].
    """
    users = dict(users)
    lost = duplicated = 0
    for youth in youths:
        count, repeats = users.pop(youth.key, [0, 0])
        distinct = count - repeats
        lost += max(0, youth.acked - distinct)
        duplicated += repeats + max(0, distinct - youth.acked)
    duplicated += sum(count for count, _ in users.values())  # sent to nobody who wrote
    return lost, duplicated


async def _summary(session: aiohttp.ClientSession, control_url: str) -> dict[str, Any]:
    async with session.get(f"{control_url}/summary") as resp:
        data: dict[str, Any] = await resp.json()
        return data
