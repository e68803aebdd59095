"""A MongoDB for tests: one nx-27017 server per session, a fresh database per test.

With MILOMOUV_TEST_MONGODB_URL set (a real replica set), that server is used instead and
the standalone allowance stays off, so the suite proves the production path.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from tests.support.server import ROOT, free_port

REAL_URL_ENV = "MILOMOUV_TEST_MONGODB_URL"
START_TIMEOUT = 30.0


class NxServer:
    """`nx-27017 --db memory` (transactions isolated) as a child process on a free port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="milomouv-nx-"))
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"mongodb://127.0.0.1:{self.port}/?directConnection=true"

    def start(self) -> None:
        log = self.folder / "nx.log"
        with log.open("ab") as out:
            # nx-27017 behind a gate that isolates transactions (see tests/support/nx_gate.py).
            self.proc = subprocess.Popen(
                [
                    *[sys.executable, "-m", "tests.support.nx_gate", "--threaded"],
                    *["--db", "memory", "--host", "127.0.0.1", "-p", str(self.port)],
                    *["--log-file", str(log), "--pid-file", str(self.folder / "nx.pid")],
                ],
                cwd=ROOT,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
                stdout=out,
                stderr=out,
            )
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nx-27017 exited: {log.read_text()[-2000:]}")
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), 0.2),
            ):
                return
            time.sleep(0.05)
        raise RuntimeError("nx-27017 did not accept connections")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


_server: NxServer | None = None


def server_url() -> tuple[str, bool]:
    """(base URL, standalone allowed): the real replica set if configured, else nx-27017."""
    global _server
    real = os.environ.get(REAL_URL_ENV)
    if real:
        return real, False
    if _server is None:
        _server = NxServer()
        _server.start()  # about 0.2 s, once per session
        atexit.register(_server.stop)
    return _server.url, True


def with_database(url: str, name: str) -> str:
    """The same server URL pointing at another database."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def fresh_database_url() -> tuple[str, bool]:
    """A URL to a database no other test uses, and whether standalone must be allowed."""
    base, standalone = server_url()
    return with_database(base, f"milomouv_test_{uuid.uuid4().hex[:12]}"), standalone


def store_env() -> dict[str, str]:
    """Settings for an app process on a fresh database of the test server."""
    url, standalone = fresh_database_url()
    env = {"MILOMOUV_STORE_URL": url}
    if standalone:
        env["MILOMOUV_MONGODB_ALLOW_STANDALONE"] = "true"
    return env


async def drop_database(url: str) -> None:
    from pymongo import AsyncMongoClient

    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(url, serverSelectionTimeoutMS=3000)
    try:
        await client.drop_database(client.get_default_database())
    finally:
        await client.close()


@contextlib.asynccontextmanager
async def mongo_store(tmp_path: Path, **settings: Any) -> AsyncIterator[Any]:
    """An opened MongoDB store on a fresh database, dropped afterwards."""
    from bot.settings import load_settings
    from bot.store import mongo

    url, standalone = await asyncio.to_thread(fresh_database_url)
    conf = load_settings(
        env_file=None,
        MILOMOUV_DATA_DIR=str(tmp_path / "data"),
        MILOMOUV_STORE_URL=url,
        MILOMOUV_MONGODB_ALLOW_STANDALONE=standalone,
        **settings,
    )
    store = mongo.build(url, conf)
    await store.open()
    try:
        yield store
    finally:
        await store.close()
        await drop_database(url)
