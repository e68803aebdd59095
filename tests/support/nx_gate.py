"""nx-27017 with the isolation a replica set gives transactions: `python -m tests.support.nx_gate`.

nx-27017 runs every session on one shared SQLite connection: two transactions open at once
nest as savepoints and a plain write lands inside whichever transaction is open. This
launcher lets one transaction run at a time, and nothing else while it is open, so the
MongoDB store is tested against the semantics it relies on (snapshot isolation, atomic
commit), not against that limitation. A transaction whose client stopped talking (an
instance killed mid-commit) is aborted after IDLE_ABORT seconds, as mongod does after
`transactionLifetimeLimitSeconds`. Same arguments as nx-27017; use it with `--threaded`.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import Any

from nx_27017 import handler as nx_handler
from nx_27017 import nx_27017 as nx_main
from nx_27017.wire_protocol import _extract_session_id

IDLE_ABORT = 10.0
# Change streams wait for events inside getMore: they neither wait for nor hold the gate.
UNGATED = ("getMore", "killCursors", "hello", "isMaster", "ismaster", "ping", "endSessions")


class TransactionGate:
    """One open transaction at a time; other commands wait for it to end."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.owner: str | None = None
        self.seen = 0.0
        self.active = 0  # commands under way outside the transaction

    def enter(self, handler: Any, lsid: str | None, starts: bool) -> bool:
        """Wait for our turn; True when the command belongs to the open transaction."""
        with self.cond:
            while True:
                mine = self.owner is not None and self.owner == lsid
                if mine:
                    break
                if self.owner is None and not (starts and self.active):
                    break
                if self.owner is not None and time.monotonic() - self.seen > IDLE_ABORT:
                    self._abort_abandoned(handler)
                    continue
                self.cond.wait(0.05)
            if starts:
                self.owner = lsid
                mine = True
            if mine:
                self.seen = time.monotonic()
            else:
                self.active += 1
            return mine

    def leave(self, mine: bool, ends: bool) -> None:
        with self.cond:
            if mine:
                self.seen = time.monotonic()
                if ends:
                    self.owner = None
            else:
                self.active -= 1
            self.cond.notify_all()

    def _abort_abandoned(self, handler: Any) -> None:
        owner, self.owner = self.owner, None
        assert owner is not None
        with handler._lock_for("admin"):
            for session in handler._tx_sessions(owner):
                session.abort_transaction()


GATE = TransactionGate()


def _body(msg: dict[str, Any]) -> dict[str, Any]:
    for kind, doc in msg.get("sections", ()):
        if kind == "body" and isinstance(doc, dict):
            return doc
    return {}


def _gated(method: Any) -> Any:
    def run(self: Any, msg: dict[str, Any]) -> Any:
        body = _body(msg)
        if next(iter(body), None) in UNGATED:
            return method(self, msg)
        lsid = _extract_session_id(body["lsid"]) if body.get("lsid") else None
        ends = "commitTransaction" in body or "abortTransaction" in body
        mine = GATE.enter(self, lsid, bool(body.get("startTransaction")))
        try:
            return method(self, msg)
        finally:
            GATE.leave(mine, ends)

    return run


def main() -> None:
    cls = nx_handler.NeoSQLiteHandler
    cls.handle_command = _gated(cls.handle_command)  # type: ignore[method-assign]
    cls.handle_insert = _gated(cls.handle_insert)  # type: ignore[method-assign]
    sys.argv[0] = "nx-27017"
    nx_main.main()


if __name__ == "__main__":
    main()
