"""The benchmark's child processes: the fakes, the bare ceiling and the bot, on loopback only."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp

from tests.support import fake_meta, fake_telegram

ROOT = Path(__file__).resolve().parents[1]
START_SECONDS = 60.0
# MILOMOUV_PROCESSES of the bot under test (`python -m bench --processes N`).
bot_processes = 1


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def family(pid: int) -> list[int]:
    """A process and its descendants (the bot's supervisor and its server processes)."""
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except FileNotFoundError:
        return [pid]
    return [pid, *(p for kid in kids for p in family(int(kid)))]


def rss_kib(pid: int, *, descendants: bool = True) -> int:
    """Resident memory of a process (and its descendants), from /proc/<pid>/status (VmRSS)."""
    total = 0
    for member in family(pid) if descendants else [pid]:
        for line in Path(f"/proc/{member}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


def cpu_seconds(pid: int, *, descendants: bool = True) -> float:
    """User plus system CPU time a process (and its descendants) used so far (/proc/<pid>/stat)."""
    ticks = 0
    for member in family(pid) if descendants else [pid]:
        fields = Path(f"/proc/{member}/stat").read_text().rpartition(")")[2].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


class Child:
    """One child process with its output in a log file, stopped with SIGTERM then SIGKILL."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], log: Path) -> None:
        self.name = name
        self.log_path = log
        with log.open("ab") as out:  # the child keeps its own descriptor
            self.proc = subprocess.Popen(  # noqa: S603 (our own interpreter and scripts)
                argv, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=out
            )

    @property
    def pid(self) -> int:
        return self.proc.pid

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self, timeout: float = 30.0) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                return self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        return self.proc.wait()

    def tail(self, chars: int = 3000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:]


def _env(**extra: str) -> dict[str, str]:
    inherited = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("MILOMOUV_", "META_", "TELEGRAM_", "INSTAGRAM_"))
    }
    return {**inherited, "PYTHONPATH": str(ROOT), **extra}


async def start_fakes(tmp: Path) -> tuple[Child, dict[str, Any]]:
    """The fakes' process, and the addresses it printed."""
    child = Child("fakes", [sys.executable, "-m", "bench.fakes"], _env(), tmp / "fakes.log")
    assert child.proc.stdout is not None
    line = await asyncio.wait_for(asyncio.to_thread(child.proc.stdout.readline), START_SECONDS)
    if not line:
        raise RuntimeError("the fakes did not start:\n" + child.tail())
    return child, json.loads(line)


def start_bare(tmp: Path) -> tuple[Child, str]:
    port = free_port()
    argv = [sys.executable, "-m", "bench.bare", str(port)]
    return Child("bare", argv, _env(), tmp / "bare.log"), f"http://127.0.0.1:{port}"


def platform_env(fakes: dict[str, Any]) -> dict[str, str]:
    """The settings that mount Messenger and Telegram on the fakes, by variable name."""
    return {
        "META_APP_SECRET": fake_meta.APP_SECRET,
        "META_VERIFY_TOKEN": fake_meta.VERIFY_TOKEN,
        "META_PAGE_ACCESS_TOKEN": fake_meta.PAGE_TOKEN,
        "META_APP_ID": fake_meta.APP_ID,
        "META_GRAPH_BASE_URL": fakes["graph"],
        "META_GRAPH_VERSION": fakes["graph_version"],
        "TELEGRAM_BOT_TOKEN": fake_telegram.TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": fake_telegram.SECRET,
        "TELEGRAM_API_BASE_URL": fakes["telegram"],
    }


def start_bot(
    tmp: Path,
    fakes: dict[str, Any],
    store_url: str | None,
    wrapper: list[str] | None = None,
    settings: dict[str, str] | None = None,
) -> tuple[Child, str]:
    """`main.py` on a fresh data folder, its platforms pointed at the fakes.

    `settings`: more of the bot's settings (e.g. MILOMOUV_MAX_CONCURRENT), to compare them.
    """
    port = free_port()
    env = _env(
        MILOMOUV_DATA_DIR=str(tmp / "data"),
        MILOMOUV_PORT=str(port),
        MILOMOUV_LOG_FORMAT="json",
        **platform_env(fakes),
    )
    if store_url:
        env["MILOMOUV_STORE_URL"] = store_url
    if bot_processes > 1:
        env["MILOMOUV_PROCESSES"] = str(bot_processes)
    env.update(settings or {})
    argv = [*(wrapper or []), sys.executable, str(ROOT / "main.py")]
    return Child("bot", argv, env, tmp / "bot.log"), f"http://127.0.0.1:{port}"


async def wait_healthy(session: aiohttp.ClientSession, child: Child, url: str) -> None:
    """Until the child answers; for a bot of several processes, until each one serves."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if not child.alive():
            raise RuntimeError(f"{child.name} stopped at start:\n{child.tail()}")
        try:
            async with session.get(f"{url}/healthz") as resp:
                if resp.status == 200 and _all_serving(child):
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.05)
    raise RuntimeError(f"{child.name} did not start in {START_SECONDS:.0f} s")


def _all_serving(child: Child) -> bool:
    """The first process answers while the others still start, spending CPU the phases count."""
    if child.name != "bot" or bot_processes == 1:
        return True
    text = child.log_path.read_text(errors="replace")
    return text.count('"event": "started"') >= bot_processes


async def outbox_backlog(session: aiohttp.ClientSession, url: str) -> int:
    async with session.get(f"{url}/healthz") as resp:
        return int((await resp.json()).get("outbox_backlog", 0))
