"""`MILOMOUV_PROCESSES`: several real server processes on one port and one SQLite file.

`python main.py` runs as an operator would start it; the youths write through signed
Messenger webhooks and the bot replies to the loopback fake of the Graph API.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bench.youths import META_PATH, SCRIPT, meta_body, meta_headers
from bot.errors import ConfigError
from bot.settings import load_settings
from tests.support.fake_meta import FakeGraph
from tests.support.mongo import drop_database, store_env
from tests.support.server import Server, free_port, platform_env
from tests.support.supervised import (
    Replies,
    alive,
    children,
    cpu_seconds,
    intake,
    run_main,
    two_processes,
    until,
)
from tests.test_multi_instance import PASSWORD, Counsellor

pytestmark = [pytest.mark.slow, pytest.mark.timeout(600)]

YOUTHS = 200
MONGO_YOUTHS = 30  # the test server of MongoDB's wire protocol is slower than SQLite


@pytest.fixture
def reaped() -> Iterator[list[Server]]:
    """Supervisors killed at the end with their children, whatever happened."""
    servers: list[Server] = []
    yield servers
    for server in servers:
        if server.proc is not None and server.proc.poll() is None:
            pids = children(server.proc.pid)
            server.kill()
            for pid in pids:
                if alive(pid):
                    os.kill(pid, signal.SIGKILL)


def test_a_bad_processes_value_names_the_setting() -> None:
    for bad in ("0", "65", "two"):
        with pytest.raises(ConfigError, match="MILOMOUV_PROCESSES"):
            load_settings(env_file=None, MILOMOUV_PROCESSES=bad)
    assert load_settings(env_file=None, MILOMOUV_PROCESSES="2").processes == 2


def test_main_refuses_a_bad_processes_value(tmp_path: Path) -> None:
    server = Server(tmp_path, MILOMOUV_PROCESSES="0")
    done = run_main(server.env)
    assert done.returncode == 2
    assert "MILOMOUV_PROCESSES" in done.stderr


async def test_two_processes_on_one_sqlite_file_lose_and_repeat_no_reply(
    tmp_path: Path, reaped: list[Server]
) -> None:
    async with FakeGraph() as graph, aiohttp.ClientSession() as session:
        server = await two_processes(tmp_path, session, reaped, **platform_env(graph=graph))
        assert server.proc is not None
        pids = children(server.proc.pid)
        await asyncio.sleep(2.0)
        cpu_before = {pid: cpu_seconds(pid) for pid in pids}

        replies = Replies(graph)
        users = [str(7_100_000_000_000_000 + n) for n in range(YOUTHS)]
        # Many connections, so that the kernel spreads them between the two processes.
        connector = aiohttp.TCPConnector(limit=YOUTHS, force_close=True)
        async with aiohttp.ClientSession(connector=connector) as youths:
            await asyncio.gather(*(intake(youths, server.url, u, replies) for u in users))

        await asyncio.sleep(3.0)  # a duplicate would arrive after the last awaited reply
        replies.refresh()
        for user in users:
            assert replies.count[user] == len(SCRIPT), (user, replies.count[user])
            texts = replies.texts[user]
            assert len(set(texts)) == len(texts), (user, "a reply sent twice")
        assert sum(replies.count.values()) == YOUTHS * len(SCRIPT)
        graph.assert_clean()
        # Both processes did a share of the work (each reply costs milliseconds of CPU).
        used = {pid: cpu_seconds(pid) - cpu_before[pid] for pid in pids}
        assert all(seconds > 0.5 for seconds in used.values()), used
        assert server.stop() == 0
    assert not any(alive(pid) for pid in pids)


async def test_a_killed_child_is_restarted_and_sigterm_stops_all(
    tmp_path: Path, reaped: list[Server]
) -> None:
    async with aiohttp.ClientSession() as session:
        server = await two_processes(tmp_path, session, reaped)
        assert server.proc is not None
        first = children(server.proc.pid)
        victim = min(first)
        os.kill(victim, signal.SIGKILL)

        def replaced() -> bool:
            now = children(server.proc.pid)  # type: ignore[union-attr]
            return len(now) == 2 and victim not in now

        await until(replaced, 30, "a new child in the dead one's place")
        second = children(server.proc.pid)
        assert first - {victim} <= second
        (newcomer,) = second - first
        exited = server.log_events("child_exited")
        assert [e["pid"] for e in exited] == [victim]
        started = [e["pid"] for e in server.log_events("child_started")]
        assert started[-1] == newcomer and len(started) == 3
        # The newcomer serves: until it does, only its sibling would answer on the port.
        await until(lambda: len(server.log_events("started")) == 3, 60, "the newcomer serving")
        async with session.get(f"{server.url}/healthz") as resp:
            assert resp.status == 200

        began = time.monotonic()
        assert server.stop() == 0
        assert time.monotonic() - began < 30
        assert not any(alive(pid) for pid in second)
        assert server.log_events("supervisor_stopped")[0]["restarts"] == 1


async def test_children_signalled_again_while_they_drain_send_no_reply_twice(
    tmp_path: Path, reaped: list[Server]
) -> None:
    """More SIGTERMs while the children stop (their control group signalled after the
    supervisor, say) are ignored: the replies in flight finish and are marked sent, so the
    restarted children do not send them again, and the service goes on."""
    async with FakeGraph() as graph, aiohttp.ClientSession() as session:
        server = await two_processes(tmp_path, session, reaped, **platform_env(graph=graph))
        assert server.proc is not None
        graph.delay = 2.0  # every reply is in flight for 2 s
        users = [str(7_400_000_000_000_000 + n) for n in range(6)]
        connector = aiohttp.TCPConnector(force_close=True)
        async with aiohttp.ClientSession(connector=connector) as youths:
            for user in users:
                kind, content = SCRIPT[0]
                body = meta_body(user, kind, content, f"m_{user}_0")
                headers = meta_headers(body)
                async with youths.post(f"{server.url}{META_PATH}", data=body, headers=headers) as r:
                    assert r.status == 200
        await asyncio.sleep(0.5)  # their first replies in flight
        first = children(server.proc.pid)
        for _ in range(20):
            for pid in first:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGTERM)
            await asyncio.sleep(0.01)
        await until(lambda: len(server.log_events("started")) == 4, 60, "both children replaced")
        await asyncio.sleep(2 * graph.delay + 1)  # what the newcomers would send again
        replies = Replies(graph)
        replies.refresh()
        assert [replies.count[u] for u in users] == [1] * len(users)
        assert server.stop() == 0


@pytest.mark.parametrize("backend", ["sqlite", "mongodb"])
async def test_a_first_start_prints_one_setup_link_and_it_works(
    tmp_path: Path, reaped: list[Server], backend: str
) -> None:
    """Not one link per process, each voiding the one printed before it; a restart of the
    service prints a fresh one at once (the printer lets go of the lease as it stops)."""
    env = store_env() if backend == "mongodb" else {}
    try:
        await _one_link_per_start(tmp_path, reaped, env)
    finally:
        if env:
            await drop_database(env["MILOMOUV_STORE_URL"])


async def _one_link_per_start(tmp_path: Path, reaped: list[Server], env: dict[str, str]) -> None:
    link = "no_staff_account_open_this_link_once"
    async with aiohttp.ClientSession() as session:
        server = await two_processes(tmp_path, session, reaped, **env)
        await until(lambda: server.log_events(link), 30, "a setup link")
        await asyncio.sleep(2.0)  # the other process has started its dashboard too
        assert len(server.log_events(link)) == 1
        assert server.stop() == 0

        await server.start(session)
        await until(lambda: len(server.log_events(link)) == 2, 30, "a fresh link")
        await asyncio.sleep(2.0)
        *_, printed = server.log_events(link)
        assert len(server.log_events(link)) == 2
        token = printed["setup_url"].rsplit("token=", 1)[1]
        statuses = []
        for email in ("coord@ml55.example", "other@ml55.example"):
            body = {"token": token, "email": email, "password": PASSWORD}
            async with session.post(
                f"{server.url}/api/setup", json=body, headers={"Origin": server.url}
            ) as resp:
                statuses.append(resp.status)
        assert statuses == [201, 403]  # it works, once
        assert server.stop() == 0


async def test_a_second_supervisor_on_the_same_folder_is_refused(
    tmp_path: Path, reaped: list[Server]
) -> None:
    async with aiohttp.ClientSession() as session:
        server = await two_processes(tmp_path, session, reaped)
        assert server.proc is not None
        done = run_main({**server.env, "MILOMOUV_PORT": str(free_port())})
        assert done.returncode == 2
        assert "MILOMOUV_DATA_DIR" in done.stderr
        assert server.stop() == 0


async def test_live_events_reach_the_dashboards_of_every_process(
    tmp_path: Path, reaped: list[Server]
) -> None:
    """Six dashboards' streams, on connections the kernel spreads between two processes.

    Each youth's webhooks go on new connections too, so that events are published on both
    processes: every stream must see every youth's ticket open, whichever process runs it.
    """
    async with FakeGraph() as graph, aiohttp.ClientSession() as session:
        server = await two_processes(tmp_path, session, reaped, **platform_env(graph=graph))
        email = "camille@ml55.example"
        server.command("user", "add", email, "--role", "counsellor", MILOMOUV_PASSWORD=PASSWORD)
        streams: list[list[tuple[str, dict[str, Any]]]] = [[] for _ in range(6)]
        counsellors = [Counsellor(server, email) for _ in streams]
        tasks: list[asyncio.Task[None]] = []
        try:
            for counsellor, events in zip(counsellors, streams, strict=True):
                await counsellor.login()
                tasks.append(asyncio.create_task(counsellor.listen(events)))
            await asyncio.sleep(1.0)  # every stream open before the first event

            replies = Replies(graph)
            users = [str(7_200_000_000_000_000 + n) for n in range(4)]
            connector = aiohttp.TCPConnector(force_close=True)
            async with aiohttp.ClientSession(connector=connector) as youths:
                await asyncio.gather(*(intake(youths, server.url, u, replies) for u in users))

            def every_stream_saw_every_ticket() -> bool:
                return all(
                    sum(kind == "ticket_opened" for kind, _ in events) == len(users)
                    for events in streams
                )

            await until(every_stream_saw_every_ticket, 15, "each ticket on each stream")
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            for counsellor in counsellors:
                await counsellor.session.close()
        assert server.stop() == 0


@pytest.mark.parametrize("backend", ["sqlite", "mongodb"])
async def test_every_web_chat_tab_gets_each_reply_live_whichever_process_sends_it(
    tmp_path: Path, reaped: list[Server], backend: str
) -> None:
    """Sixteen tabs of one web chat, on connections the kernel spreads between two processes.

    The youth writes from one tab; the bot's reply is sent by whichever process takes it, and
    every tab shows it without a reload, as on a single process.
    """
    env = store_env() if backend == "mongodb" else {}
    try:
        await _every_tab_sees_the_reply(tmp_path, reaped, env)
    finally:
        if env:
            await drop_database(env["MILOMOUV_STORE_URL"])


async def _every_tab_sees_the_reply(
    tmp_path: Path, reaped: list[Server], env: dict[str, str]
) -> None:
    async with aiohttp.ClientSession() as session:
        server = await two_processes(tmp_path, session, reaped, **env)
        connector = aiohttp.TCPConnector(force_close=True)
        async with aiohttp.ClientSession(connector=connector) as browser:
            tabs = [await browser.ws_connect(f"{server.url}/chat/ws")]
            token = (await tabs[0].receive_json(timeout=10))["conversation"]
            for _ in range(15):
                tab = await browser.ws_connect(
                    f"{server.url}/chat/ws", params={"conversation": token}
                )
                assert (await tab.receive_json(timeout=10))["type"] == "history"
                tabs.append(tab)
            await tabs[0].send_json({"type": "message", "text": "salut", "id": "m1"})

            async def first_reply(tab: aiohttp.ClientWebSocketResponse) -> dict[str, Any]:
                while True:
                    frame = await tab.receive_json(timeout=20)
                    if frame.get("type") == "message":
                        return frame

            replies = await asyncio.gather(*(first_reply(tab) for tab in tabs))
            assert {r["from"] for r in replies} == {"bot"}
            assert len({r["text"] for r in replies}) == 1  # the same reply on every tab
            for tab in tabs:
                await tab.close()
        assert server.stop() == 0


async def test_a_taken_port_stops_the_supervisor(tmp_path: Path) -> None:
    """A port held by another program (without SO_REUSEPORT): exit 2, no process left."""
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        server = Server(tmp_path, MILOMOUV_PROCESSES="2", MILOMOUV_PORT=str(port))
        done = await asyncio.to_thread(run_main, server.env)
    assert done.returncode == 2
    assert '"event": "child_cannot_start"' in done.stderr
    started = [line for line in done.stderr.splitlines() if '"child_started"' in line]
    assert len(started) == 2
    for line in started:
        assert not alive(json.loads(line)["pid"])


async def test_two_processes_on_mongodb_lose_and_repeat_no_reply(
    tmp_path: Path, reaped: list[Server]
) -> None:
    env = store_env()
    try:
        async with FakeGraph() as graph, aiohttp.ClientSession() as session:
            platforms = platform_env(graph=graph)
            server = await two_processes(tmp_path, session, reaped, **env, **platforms)
            assert not (tmp_path / "data" / "live").exists()  # the database relays live events
            replies = Replies(graph)
            users = [str(7_300_000_000_000_000 + n) for n in range(MONGO_YOUTHS)]
            connector = aiohttp.TCPConnector(force_close=True)
            async with aiohttp.ClientSession(connector=connector) as youths:
                await asyncio.gather(*(intake(youths, server.url, u, replies) for u in users))
            await asyncio.sleep(3.0)
            replies.refresh()
            assert all(replies.count[u] == len(SCRIPT) for u in users), replies.count
            graph.assert_clean()
            assert server.stop() == 0
    finally:
        await drop_database(env["MILOMOUV_STORE_URL"])


async def test_children_stop_when_their_supervisor_is_killed_while_they_start(
    tmp_path: Path, reaped: list[Server]
) -> None:
    """Killed before its children serve: they know its pid from their start, not from who
    their parent is by the time they look (then the process that adopted them)."""
    server = Server(tmp_path, MILOMOUV_PROCESSES="2")
    reaped.append(server)
    server.spawn()
    assert server.proc is not None
    await until(lambda: len(server.log_events("child_started")) == 2, 30, "both spawned")
    pids = children(server.proc.pid)
    server.kill()
    await until(lambda: not any(alive(pid) for pid in pids), 60, "the orphans gone")


async def test_children_stop_when_their_supervisor_is_killed(
    tmp_path: Path, reaped: list[Server]
) -> None:
    async with aiohttp.ClientSession() as session:
        server = await two_processes(tmp_path, session, reaped)
        assert server.proc is not None
        pids = children(server.proc.pid)
        assert len(pids) == 2
        server.kill()
        await until(
            lambda: not any(alive(pid) for pid in pids), 60, "the orphans gone"
        )  # a drain of up to 25 s on a loaded host
        assert len(server.log_events("supervisor_gone")) == 2


def test_a_data_folder_too_long_for_the_relay_names_the_setting(tmp_path: Path) -> None:
    """A Unix socket path holds 107 bytes: a longer folder is refused at start, by name."""
    deep = tmp_path / ("d" * 100)
    deep.mkdir()
    server = Server(deep, MILOMOUV_PROCESSES="2")
    done = run_main(server.env)
    assert done.returncode == 2
    assert "cannot start: MILOMOUV_DATA_DIR: the live events socket path" in done.stderr
