"""`python main.py` as a child process: started, killed, restarted, on its own data folder."""

from __future__ import annotations

import asyncio
import json
import os
import resource
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def platform_env(graph: Any = None, telegram: Any = None) -> dict[str, str]:
    """Settings pointing the real clients at the loopback fakes."""
    from tests.support import fake_meta, fake_telegram

    env: dict[str, str] = {}
    if graph is not None:
        env.update(
            META_APP_SECRET=fake_meta.APP_SECRET,
            META_VERIFY_TOKEN=fake_meta.VERIFY_TOKEN,
            META_PAGE_ACCESS_TOKEN=fake_meta.PAGE_TOKEN,
            META_APP_ID=fake_meta.APP_ID,
            META_GRAPH_BASE_URL=graph.base_url,
            META_GRAPH_VERSION=graph.version,
        )
    if telegram is not None:
        env.update(
            TELEGRAM_BOT_TOKEN=fake_telegram.TOKEN,
            TELEGRAM_WEBHOOK_SECRET=fake_telegram.SECRET,
            TELEGRAM_API_BASE_URL=telegram.base_url,
        )
    return env


class Server:
    """The real service in a child process, as an operator (or a crash) would treat it."""

    def __init__(self, tmp: Path, *, open_files: int | None = None, **settings: str) -> None:
        self.open_files = open_files  # RLIMIT_NOFILE of the child, soft and hard
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = tmp / "server.log"
        inherited = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("MILOMOUV_", "META_", "TELEGRAM_", "INSTAGRAM_"))
        }
        self.env = {
            **inherited,
            "PYTHONPATH": str(ROOT),
            "MILOMOUV_DATA_DIR": str(tmp / "data"),
            "MILOMOUV_PORT": str(self.port),
            "MILOMOUV_LOG_FORMAT": "json",
            **settings,
        }
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def command(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        """`python main.py ARGS` on the same data (admin commands)."""
        return subprocess.run(
            [sys.executable, str(ROOT / "main.py"), *args],
            env={**self.env, **env},
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )

    def spawn(self) -> None:
        """`python main.py`, without waiting for it to serve."""
        with self.log_path.open("ab") as log:  # the child keeps its own descriptor
            self.proc = subprocess.Popen(
                [sys.executable, str(ROOT / "main.py")],
                env=self.env,
                stdout=log,
                stderr=log,
                preexec_fn=self._limit_open_files if self.open_files else None,
            )
        self.starts += 1

    async def start(self, session: aiohttp.ClientSession) -> None:
        self.spawn()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, self.log_path.read_text()[-3000:]
            try:
                async with session.get(f"{self.url}/healthz") as resp:
                    if resp.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.05)
        raise AssertionError("server did not start")

    def _limit_open_files(self) -> None:
        """In the child before exec: the usual 1,024 of a distribution, hard limit included."""
        assert self.open_files is not None
        resource.setrlimit(resource.RLIMIT_NOFILE, (self.open_files, self.open_files))

    def kill(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> int:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=60)

    def log_events(self, name: str) -> list[dict[str, Any]]:
        lines = self.log_path.read_text().splitlines()
        return [json.loads(line) for line in lines if f'"event": "{name}"' in line]

    def uncertain_resends(self) -> int:
        """Replies in flight at a kill, sent again after the restart (the server logs them)."""
        return sum(len(e["outbox_ids"]) for e in self.log_events("resending_uncertain"))
