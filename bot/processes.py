"""`MILOMOUV_PROCESSES`: one server process, or a supervisor of several on the one port.

Each server process is `main.py serve --child`, listening with SO_REUSEPORT so that the kernel
spreads connections between them. The supervisor holds the SQLite store open (its folder lock,
migrations, and the leases of a dead process voided), restarts a process that dies, and on
SIGTERM or SIGINT stops them all, waiting for their graceful shutdown.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import signal
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import structlog
from aiohttp import web

from bot.errors import ConfigError
from bot.settings import Settings
from bot.store.base import Store, StoreUnavailable
from bot.store.factory import (
    build_store,
    open_for_supervisor,
    setting_name,
    void_process_leases,
)

log = structlog.get_logger(__name__)

MAIN = Path(__file__).resolve().parents[1] / "main.py"
CHILD_FLAG = "--child"
SHUTDOWN_SECONDS = 15.0
# A child gets its graceful shutdown, plus the time to close its store and exit.
STOP_SECONDS = SHUTDOWN_SECONDS + 10.0
# A child that cannot start (a bad configuration, the port taken) this soon stops them all.
START_SECONDS = 30.0
RESTART_DELAYS = (0.5, 1.0, 2.0, 5.0, 10.0, 30.0)  # for a child that keeps dying quickly
STABLE_SECONDS = 60.0  # a child that ran this long restarts at the first delay again
PARENT_CHECK_SECONDS = 1.0


def serve(settings: Settings, *, supervisor: int | None = None) -> int:
    """Serve until stopped (as a supervisor's child when its pid is given); the exit code."""
    if supervisor is not None or settings.processes == 1:
        _run_server(settings, supervisor=supervisor)
        return 0
    return asyncio.run(Supervisor(settings).run())


def _run_server(settings: Settings, *, supervisor: int | None) -> None:
    from bot.app import create_app  # here: the supervisor never loads the whole service

    shared = supervisor is not None
    app = create_app(settings, store=build_store(settings, shared=shared))
    if supervisor is not None:
        parent = supervisor or os.getppid()
        app.cleanup_ctx.append(functools.partial(_orphan_watch, parent=parent))
        app.on_startup.append(_first_signal_only)
    web.run_app(
        app,
        host=settings.host,
        port=settings.port,
        print=None,
        access_log=None,
        shutdown_timeout=SHUTDOWN_SECONDS,
        reuse_port=shared or None,
    )


async def _first_signal_only(app: web.Application) -> None:
    """A child stops gracefully on the first SIGTERM/SIGINT and ignores the next ones.

    aiohttp raises GracefulExit on every signal until its cleanup ends, and a second one (from
    systemd's control group after the supervisor's, say) would cancel the drain of replies in
    flight, which are then sent twice.
    """
    loop = asyncio.get_running_loop()

    def stop() -> None:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, lambda: None)
        raise web.GracefulExit()

    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop)


async def _orphan_watch(app: web.Application, *, parent: int) -> AsyncIterator[None]:
    """A child whose supervisor is gone (killed) stops itself rather than serve unsupervised.

    `parent` is the supervisor's pid, given on the command line: one killed while this
    process was starting is seen gone at the first look, not taken for the process that
    adopted us.
    """

    async def watch() -> None:
        while os.getppid() == parent:  # noqa: ASYNC110 (no event tells a parent's death)
            await asyncio.sleep(PARENT_CHECK_SECONDS)
        log.warning("supervisor_gone", parent=parent)
        os.kill(os.getpid(), signal.SIGTERM)

    task = asyncio.create_task(watch(), name="orphan-watch")
    yield
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task


class Child:
    """One server process: its slot, its OS process and when it started."""

    def __init__(self, slot: int, proc: asyncio.subprocess.Process, *, first: bool) -> None:
        self.slot = slot
        self.proc = proc
        self.first = first  # the slot's first process: the service's own start
        self.started = time.monotonic()
        self.exited: asyncio.Task[int] = asyncio.create_task(proc.wait(), name=f"child:{slot}")


class Supervisor:
    """Starts `settings.processes` children, restarts those that die, stops them together."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.children: dict[int, Child] = {}
        self.restarts = 0
        self._quick_deaths: dict[int, int] = {}
        self._stopping = asyncio.Event()
        self._store: Store | None = None

    async def run(self) -> int:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, self._stopping.set)
        try:
            await self._hold_store()
            for slot in range(self.settings.processes):
                await self._spawn(slot)
            log.info("supervising", processes=self.settings.processes, port=self.settings.port)
            return await self._watch()
        finally:
            await self._stop_all()
            if self._store is not None:
                await self._store.close()
            log.info("supervisor_stopped", restarts=self.restarts)

    async def _hold_store(self) -> None:
        """SQLite: the folder lock for the supervisor's life; the children share the file."""
        try:
            self._store = await open_for_supervisor(self.settings)
        except StoreUnavailable as exc:
            raise ConfigError(f"{setting_name(self.settings)}: {exc}") from None

    async def _spawn(self, slot: int) -> None:
        # Its own session: a Ctrl+C on the terminal reaches the supervisor only, which then
        # stops each child once.
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            str(MAIN),
            "serve",
            CHILD_FLAG,
            str(os.getpid()),
            env=dict(os.environ),
            start_new_session=True,
        )
        self.children[slot] = Child(slot, proc, first=slot not in self.children)
        log.info("child_started", slot=slot, pid=proc.pid)

    async def _watch(self) -> int:
        """Until a stop is asked (0) or a child cannot start (2)."""
        stop = asyncio.create_task(self._stopping.wait())
        try:
            while not self._stopping.is_set():
                exits = {c.exited: c for c in self.children.values()}
                done, _ = await asyncio.wait([stop, *exits], return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    if task is not stop and not self._stopping.is_set():
                        if not await self._replace(exits[task]):
                            return 2
            return 0
        finally:
            stop.cancel()

    async def _replace(self, child: Child) -> bool:
        """Start another process in a dead child's slot; False when it could not even start."""
        code = child.exited.result()
        ran = time.monotonic() - child.started
        log.error("child_exited", slot=child.slot, pid=child.proc.pid, code=code, ran=round(ran))
        # At the service's start a process that fails (port taken, bad texts) stops them all;
        # a replacement that fails (the store briefly away) is retried with a growing delay.
        if ran < START_SECONDS and child.first and code > 0:  # killed by a signal: < 0
            log.error("child_cannot_start", slot=child.slot)
            return False
        if self._store is not None:
            with contextlib.suppress(StoreUnavailable):
                await void_process_leases(self._store, child.proc.pid)
        quick = self._quick_deaths.get(child.slot, 0) if ran < STABLE_SECONDS else 0
        self._quick_deaths[child.slot] = quick + 1
        delay = RESTART_DELAYS[min(quick, len(RESTART_DELAYS) - 1)]
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stopping.wait(), delay)
        if not self._stopping.is_set():
            self.restarts += 1
            await self._spawn(child.slot)
        return True

    async def _stop_all(self) -> None:
        """SIGTERM to every child, SIGKILL to those still running after STOP_SECONDS."""
        running = [c for c in self.children.values() if c.proc.returncode is None]
        for child in running:
            with contextlib.suppress(ProcessLookupError):
                child.proc.send_signal(signal.SIGTERM)
        if not running:
            return
        _, late = await asyncio.wait([c.exited for c in running], timeout=STOP_SECONDS)
        for child in running:
            if child.exited in late:
                log.error("child_killed", slot=child.slot, pid=child.proc.pid)
                with contextlib.suppress(ProcessLookupError):
                    child.proc.kill()
        if late:
            await asyncio.wait(late)
