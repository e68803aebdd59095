"""One SQLite file shared by the processes of one supervisor, and their live events relay.

The supervisor holds the folder lock (no other service uses the file) and has migrated the
file; each of its processes opens the file without the lock, and the leases in the file keep
them from working on the same conversation, reply or job. Live dashboard events travel
between those processes as Unix datagrams: each process binds `<folder>/live/<pid>.sock` and
sends each event it publishes to every other socket there. No database write per event, and
the folder is private (0700), as the file is.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import time
from collections.abc import Callable
from pathlib import Path

import structlog

from bot.errors import ConfigError
from bot.live import LiveEvent
from bot.store.sqlite import SQLiteStore

log = structlog.get_logger(__name__)

MAX_DATAGRAM = 64 * 1024
PEERS_SECONDS = 1.0  # how long a listing of the other processes' sockets is reused
# sockaddr_un holds 108 bytes with the final NUL.
MAX_SOCKET_PATH = 107


class SocketRelay:
    """LiveRelay between the processes on one host, through Unix datagram sockets."""

    mode = "unix datagrams"

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / f"{os.getpid()}.sock"
        self.dropped = 0
        self._sock: socket.socket | None = None
        self._deliver: Callable[[LiveEvent], None] = lambda _: None
        self._peers: list[str] = []
        self._peers_at = float("-inf")
        self._pending: list[list[object]] = []

    async def start(self, deliver: Callable[[LiveEvent], None]) -> None:
        self._deliver = deliver
        if len(os.fsencode(self.path)) > MAX_SOCKET_PATH:  # the kernel counts bytes
            raise ConfigError(
                f"MILOMOUV_DATA_DIR: the live events socket path {self.path} is longer than {MAX_SOCKET_PATH} "
                "bytes: choose a shorter MILOMOUV_DATA_DIR to run several processes"
            )
        self.folder.mkdir(mode=0o700, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()  # a dead process's socket with our pid: nobody else can own it
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        sock.setblocking(False)
        sock.bind(str(self.path))
        os.chmod(self.path, 0o600)
        self._sock = sock
        asyncio.get_running_loop().add_reader(sock.fileno(), self._receive)

    def _receive(self) -> None:
        assert self._sock is not None
        while True:
            try:
                data = self._sock.recv(MAX_DATAGRAM)
            except (BlockingIOError, InterruptedError):
                return
            try:
                events = [LiveEvent(str(kind), dict(payload)) for kind, payload in json.loads(data)]
            except (ValueError, TypeError):
                log.warning("live_event_unreadable", size=len(data))
                continue
            for event in events:
                self._deliver(event)

    def send(self, event: LiveEvent) -> None:
        """Queued, then sent with the others of this loop turn: one datagram per peer per turn.

        A receiving socket holds few datagrams (net.unix.max_dgram_qlen, as low as 10), so
        under load one datagram per event would overflow it where one per turn does not.
        """
        if self._sock is None:
            return
        if not self._pending:
            asyncio.get_running_loop().call_soon(self._flush)
        self._pending.append([event.kind, event.data])

    def _flush(self) -> None:
        pending, self._pending = self._pending, []
        if self._sock is None or not pending:
            return
        for chunk in _datagrams(pending):
            for peer in self._other_sockets():
                self._send_to(chunk, peer)

    def _send_to(self, data: bytes, peer: str) -> None:
        assert self._sock is not None
        try:
            self._sock.sendto(data, peer)
        except (BlockingIOError, InterruptedError):
            # That process is far behind: its dashboards recheck their lists on their own,
            # and this process must not wait for it. Logged at the first drop, then 1 in 100.
            if self.dropped % 100 == 0:
                log.warning("live_events_dropped", dropped=self.dropped + 1)
            self.dropped += 1
        except ConnectionRefusedError:
            # Nobody reads it: a process that died without removing its socket.
            with contextlib.suppress(FileNotFoundError):
                os.unlink(peer)
            self._peers_at = float("-inf")
        except FileNotFoundError:
            self._peers_at = float("-inf")
        except OSError as exc:
            log.warning("live_events_not_relayed", error=type(exc).__name__)

    def _other_sockets(self) -> list[str]:
        # A listing of a small private folder, at most once a second: not worth a thread.
        now = time.monotonic()
        if now - self._peers_at > PEERS_SECONDS:
            own = self.path.name
            with os.scandir(self.folder) as entries:
                self._peers = [
                    e.path for e in entries if e.name.endswith(".sock") and e.name != own
                ]
            self._peers_at = now
        return self._peers

    async def stop(self) -> None:
        if self._sock is None:
            return
        asyncio.get_running_loop().remove_reader(self._sock.fileno())
        self._sock.close()
        self._sock = None
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


def _datagrams(events: list[list[object]]) -> list[bytes]:
    """The events as JSON arrays, split so that each fits in one datagram."""
    data = json.dumps(events, default=str).encode()
    if len(data) <= MAX_DATAGRAM or len(events) == 1:
        return [data]  # one event too large for a datagram fails at sendto, and is logged
    half = len(events) // 2
    return _datagrams(events[:half]) + _datagrams(events[half:])


class SharedSQLiteStore(SQLiteStore):
    """The SQLite store opened by one of several processes whose supervisor holds the lock."""

    def __init__(self, data_dir: Path, filename: str) -> None:
        super().__init__(data_dir, filename=filename, exclusive=False)

    def live_relay(self) -> SocketRelay:
        """Live dashboard events shared with the supervisor's other processes."""
        return SocketRelay(self.path.parent / "live")


class SupervisorSQLiteStore(SQLiteStore):
    """The supervisor's hold on the file: the folder lock, migrations, dead processes' leases."""

    async def open(self) -> None:
        await super().open()  # takes the lock and voids the leases left in the file
        # No process of ours runs yet and the lock keeps other services out: sockets are stale.
        for stale in (self.path.parent / "live").glob("*.sock"):
            stale.unlink(missing_ok=True)

    async def void_leases_of(self, owner_prefix: str) -> None:
        """A dead process's leases, voided now so that the others take its work over at once."""
        n = len(owner_prefix)
        await self._write_each(
            (
                "UPDATE outbox SET lease_until = 0 WHERE status = 'sending' "
                "AND substr(lease_owner, 1, ?) = ?",
                (n, owner_prefix),
            ),
            (
                "UPDATE conversations SET lease_owner = NULL, lease_until = NULL "
                "WHERE substr(lease_owner, 1, ?) = ?",
                (n, owner_prefix),
            ),
            ("DELETE FROM leases WHERE substr(owner, 1, ?) = ?", (n, owner_prefix)),
        )
