"""Helpers for tests of `MILOMOUV_PROCESSES`: processes in /proc, youths and their replies."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import aiohttp

from bench.youths import META_PATH, SCRIPT, meta_body, meta_headers
from tests.support.fake_meta import FakeGraph
from tests.support.server import ROOT, Server

REPLY_SECONDS = 60.0


def children(pid: int) -> set[int]:
    """The live child processes of `pid` (Linux's /proc task children list)."""
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return {int(p) for p in text.split()}


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped) counts as gone.
    return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"


async def until(condition: object, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return
        await asyncio.sleep(0.1)
    raise AssertionError(f"not within {seconds:.0f} s: {what}")


class Replies:
    """Counts the fake's delivered messages per recipient as they arrive."""

    def __init__(self, graph: FakeGraph) -> None:
        self.graph = graph
        self.count: Counter[str] = Counter()
        self.texts: dict[str, list[str]] = {}
        self._seen = 0

    def refresh(self) -> None:
        calls = self.graph.calls
        for call in calls[self._seen :]:
            if call.delivered and call.recipient and call.message:
                self.count[call.recipient] += 1
                self.texts.setdefault(call.recipient, []).append(call.message.get("text", ""))
        self._seen = len(calls)

    async def wait(self, user: str, n: int) -> None:
        deadline = time.monotonic() + REPLY_SECONDS
        while time.monotonic() < deadline:
            self.refresh()
            if self.count[user] >= n:
                return
            await asyncio.sleep(0.05)
        raise AssertionError(f"youth {user}: {self.count[user]} replies, expected {n}")


async def intake(session: aiohttp.ClientSession, url: str, user: str, replies: Replies) -> None:
    """The whole script, each message once its previous reply reached the fake."""
    for step, (kind, content) in enumerate(SCRIPT):
        body = meta_body(user, kind, content, f"m_{user}_{step}")
        for _ in range(5):  # a platform sends an unacknowledged webhook again, same id
            try:
                async with session.post(
                    f"{url}{META_PATH}", data=body, headers=meta_headers(body)
                ) as resp:
                    if resp.status == 200:
                        break
            except (TimeoutError, aiohttp.ClientError):
                pass
            await asyncio.sleep(0.5)
        else:
            raise AssertionError(f"youth {user}: message {step} never acknowledged")
        await replies.wait(user, step + 1)


def run_main(env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """`python main.py` to its end (a start-up that fails), its output captured."""
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py")],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


async def two_processes(
    tmp_path: Path, session: aiohttp.ClientSession, reaped: list[Server], **settings: str
) -> Server:
    """`python main.py` with MILOMOUV_PROCESSES=2, once both of its processes serve."""
    server = Server(tmp_path, MILOMOUV_PROCESSES="2")
    server.env.update(settings)
    reaped.append(server)
    await server.start(session)
    await until(lambda: len(server.log_events("started")) == 2, 60, "both serving")
    return server
