"""`python main.py` on MongoDB: it serves, or it stops with a message naming the setting."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

from tests.support.mongo import REAL_URL_ENV, drop_database, fresh_database_url, store_env
from tests.support.server import ROOT, Server, free_port


def run_to_end(tmp_path: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MILOMOUV_")}
    env.update(
        PYTHONPATH=str(ROOT),
        MILOMOUV_DATA_DIR=str(tmp_path / "data"),
        MILOMOUV_PORT=str(free_port()),
        MILOMOUV_LOG_FORMAT="json",
        **settings,
    )
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py")],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_an_unreachable_server_stops_start_up_naming_the_setting(tmp_path: Path) -> None:
    url = f"mongodb://milo:hunter2-secret@127.0.0.1:{free_port()}/milomouv?directConnection=true"
    result = run_to_end(tmp_path, MILOMOUV_STORE_URL=url)
    assert result.returncode == 2
    assert "MILOMOUV_STORE_URL" in result.stderr and "no MongoDB server answered" in result.stderr
    assert "Traceback" not in result.stderr and "hunter2" not in result.stderr


@pytest.mark.skipif(bool(os.environ.get(REAL_URL_ENV)), reason="the real server is a replica set")
def test_a_standalone_server_stops_start_up_saying_a_replica_set_is_needed(
    tmp_path: Path,
) -> None:
    url, _ = fresh_database_url()
    result = run_to_end(tmp_path, MILOMOUV_STORE_URL=url)
    assert result.returncode == 2
    assert "needs a replica set" in result.stderr
    assert "MILOMOUV_MONGODB_ALLOW_STANDALONE" in result.stderr
    assert "Traceback" not in result.stderr


async def test_the_service_runs_on_mongodb_and_says_how_live_events_travel(
    tmp_path: Path,
) -> None:
    env = store_env()
    server = Server(tmp_path, **env)
    async with aiohttp.ClientSession() as session:
        await server.start(session)
        try:
            async with session.get(f"{server.url}/healthz") as resp:
                health = await resp.json()
            assert resp.status == 200 and health["store"] == "ok"
        finally:
            assert server.stop() == 0
    await drop_database(env["MILOMOUV_STORE_URL"])
    (started,) = server.log_events("started")
    assert started["store"].startswith("mongodb://127.0.0.1:") or os.environ.get(REAL_URL_ENV)
    (live,) = server.log_events("live_events")
    assert live["relay"] in ("change stream", "polling")
