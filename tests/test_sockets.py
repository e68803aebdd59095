"""Open files at start-up, and accept errors logged once a minute."""

from __future__ import annotations

import asyncio
import logging
import resource
import subprocess
import sys
from pathlib import Path

import pytest
import structlog

from bot.sockets import AcceptErrorHandler

ROOT = Path(__file__).resolve().parents[1]


def test_start_raises_the_soft_open_file_limit_to_the_hard_one() -> None:
    def low_soft_limit() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, 2048))

    code = "from bot.sockets import raise_open_file_limit as r; print(*r())"
    done = subprocess.run(
        [sys.executable, "-c", code],
        preexec_fn=low_soft_limit,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
        timeout=60,
    )
    assert done.stdout.split() == ["2048", "2048"]


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_accept_errors_are_logged_once_a_minute_with_a_count(
    caplog: pytest.LogCaptureFixture,
) -> None:
    loop = asyncio.get_running_loop()
    clock = Clock()
    handler = AcceptErrorHandler(clock)
    error = {
        "message": "socket.accept() out of system resource",
        "exception": OSError(24, "Too many open files"),
    }
    with structlog.testing.capture_logs() as logs:
        for _ in range(1000):
            handler(loop, error)
            clock.now += 0.01
        clock.now += 60
        handler(loop, error)
    logged = [e for e in logs if e["event"] == "accept_failed_out_of_descriptors"]
    assert len(logged) == 2
    assert logged[0]["errno"] == 24 and logged[1]["suppressed_since_last"] == 999
    with caplog.at_level(logging.ERROR, logger="asyncio"):
        handler(loop, {"message": "something else entirely"})
    assert "something else entirely" in caplog.text  # other loop errors as before
