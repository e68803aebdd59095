"""One service per SQLite data folder: a second one is refused, named, until the first is gone."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

from bot.store.base import StoreUnavailable
from bot.store.sqlite import SQLiteStore
from tests.support.server import ROOT, Server
from tests.support.store import event


async def test_a_second_store_on_the_folder_is_refused_until_the_first_closes(
    tmp_path: Path,
) -> None:
    first = SQLiteStore(tmp_path)
    await first.open()
    second = SQLiteStore(tmp_path)
    with pytest.raises(StoreUnavailable, match="MILOMOUV_DATA_DIR") as refused:
        await second.open()
    assert f"pid {os.getpid()}" in str(refused.value)
    await first.close()
    await second.open()
    assert await second.ping()
    await second.close()


async def test_an_admin_command_works_beside_the_running_service(tmp_path: Path) -> None:
    service = SQLiteStore(tmp_path)
    await service.open()
    saved = await service.ingest(event(1), 1.0)
    assert saved is not None
    admin = SQLiteStore(tmp_path, exclusive=False)
    await admin.open()
    assert await admin.get_conversation(saved[0]) is not None
    await admin.close()
    await service.close()


@pytest.mark.slow
async def test_a_second_process_is_refused_and_takes_over_after_a_kill(tmp_path: Path) -> None:
    first = Server(tmp_path)
    async with aiohttp.ClientSession() as session:
        await first.start(session)
        try:
            second = subprocess.run(
                [sys.executable, str(ROOT / "main.py")],
                env={**first.env, "MILOMOUV_PORT": "0"},
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert second.returncode == 2
            assert "MILOMOUV_DATA_DIR" in second.stderr
            assert "another process" in second.stderr and str(tmp_path / "data") in second.stderr
            # An account can still be made from the command line while the service runs.
            made = first.command(
                *("user", "add", "anne@ml.example", "--name", "Anne", "--role", "coordinator"),
                MILOMOUV_PASSWORD="correct horse battery staple",
            )
            assert "created coordinator" in made.stdout
        finally:
            first.kill()  # SIGKILL: no clean-up runs, the kernel drops the lock
        again = Server(tmp_path)
        await again.start(session)
        assert again.stop() == 0
