"""One anonymous client holding sockets cannot take the service down (the real server, 1,024 files).

The finding: about 1,000 idle `/chat/ws` sockets from one address used up the usual 1,024
open files, `/healthz` and the login page timed out for everyone, and asyncio logged
"socket.accept() out of system resource" hundreds of thousands of times.
"""

from __future__ import annotations

import asyncio
import base64
import os
import time
from pathlib import Path

import aiohttp
import pytest

from tests.support.server import Server

pytestmark = pytest.mark.slow

OPEN_FILES = 1024
SOCKETS = 1100
ATTEMPTS = 5  # a loaded 2-core machine may stall one request: the best of a few must be quick


async def _upgrade(port: int) -> tuple[asyncio.StreamWriter, int]:
    """A WebSocket handshake by hand, then silence: the socket stays open as long as we wish."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    key = base64.b64encode(os.urandom(16)).decode()
    writer.write(
        (
            f"GET /chat/ws HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    try:
        line = await asyncio.wait_for(reader.readline(), 5)  # unanswered: left in the backlog
    except (TimeoutError, ConnectionError):
        return writer, 0
    return writer, int(line.split()[1]) if line else 0


async def _open_many(port: int) -> tuple[list[asyncio.StreamWriter], list[int]]:
    writers: list[asyncio.StreamWriter] = []
    statuses: list[int] = []
    for start in range(0, SOCKETS, 100):  # in waves, as a script would
        results = await asyncio.gather(
            *(_upgrade(port) for _ in range(start, min(SOCKETS, start + 100))),
            return_exceptions=True,
        )
        for result in results:
            if isinstance(result, BaseException):
                statuses.append(0)
            else:
                writers.append(result[0])
                statuses.append(result[1])
    return writers, statuses


async def _close(writers: list[asyncio.StreamWriter]) -> None:
    for writer in writers:
        writer.close()
    await asyncio.gather(*(w.wait_closed() for w in writers), return_exceptions=True)


async def _fastest(session: aiohttp.ClientSession, method: str, url: str, **kw: object) -> float:
    """Seconds of the quickest of a few answers; every one must come, and not be a 5xx."""
    best = float("inf")
    for _ in range(ATTEMPTS):
        started = time.monotonic()
        async with session.request(method, url, timeout=aiohttp.ClientTimeout(10), **kw) as r:
            await r.read()
            assert r.status < 500, (url, r.status)
        best = min(best, time.monotonic() - started)
    return best


async def _service_answers(server: Server) -> dict[str, float]:
    async with aiohttp.ClientSession() as session:
        timings = {
            "healthz": await _fastest(session, "GET", f"{server.url}/healthz"),
            "login_page": await _fastest(session, "GET", f"{server.url}/handoff/login"),
        }
        best = float("inf")
        for n in range(ATTEMPTS):  # other e-mails each time: every password is really checked
            login = {"email": f"personne{n}@example.org", "password": "pas-le-bon-mot-de-passe"}
            started = time.monotonic()
            async with session.post(f"{server.url}/api/session", json=login) as resp:
                assert resp.status == 401
            best = min(best, time.monotonic() - started)
        return timings | {"login_api": best}


async def test_eleven_hundred_idle_sockets_from_one_address_leave_the_service_up(
    tmp_path: Path,
) -> None:
    server = Server(tmp_path, open_files=OPEN_FILES)
    async with aiohttp.ClientSession() as session:
        await server.start(session)
    limit = server.log_events("open_file_limit")[0]
    assert limit["soft"] == OPEN_FILES  # the hard limit holds it: the test runs as on a server
    writers: list[asyncio.StreamWriter] = []
    try:
        writers, statuses = await _open_many(server.port)
        held = statuses.count(101)
        assert held == 30  # MILOMOUV_CHAT_MAX_SOCKETS_PER_ADDRESS's default
        assert statuses.count(429) == SOCKETS - held
        timings = await _service_answers(server)
        assert all(seconds < 1.0 for seconds in timings.values()), timings
    finally:
        await _close(writers)
        assert server.stop() == 0
    assert not server.log_events("accept_failed_out_of_descriptors")


@pytest.mark.parametrize("loop", ["asyncio", "uvloop"])
async def test_running_out_of_files_logs_once_a_minute_and_recovers(
    tmp_path: Path, loop: str
) -> None:
    # Limits lifted on purpose so that the sockets really exhaust the 1,024 files.
    server = Server(
        tmp_path,
        open_files=OPEN_FILES,
        MILOMOUV_CHAT_MAX_SOCKETS_PER_ADDRESS="5000",
        MILOMOUV_CHAT_MAX_SOCKETS="5000",
        MILOMOUV_EVENT_LOOP=loop,
    )
    async with aiohttp.ClientSession() as session:
        await server.start(session)
    writers: list[asyncio.StreamWriter] = []
    started = time.monotonic()
    try:
        writers, statuses = await _open_many(server.port)
        assert statuses.count(101) < SOCKETS  # the server did run out
        await asyncio.sleep(3)  # asyncio retries accept() every second meanwhile
        await _close(writers)
        writers = []
        timings = await _service_answers(server)  # and it comes back once they are gone
        assert all(seconds < 1.0 for seconds in timings.values()), timings
    finally:
        await _close(writers)
        assert server.stop() == 0
    minutes = (time.monotonic() - started) / 60
    logged = server.log_events("accept_failed_out_of_descriptors")
    assert len(logged) <= 1 + int(minutes)  # once a minute at most, however many failures
    if loop == "asyncio":
        assert logged  # asyncio reports each failed accept() to the loop's handler
    # uvloop never does: libuv closes a spare descriptor, accepts the connection and closes it
    # at once, so the excess is refused, silently, and the service stays up (asserted above).
    assert server.log_path.stat().st_size < 1_000_000
