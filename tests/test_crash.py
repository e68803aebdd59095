"""Crash safety: thousands of signed webhooks, the server SIGKILLed twice in the middle.

The real server (`python main.py`) runs as a child process against loopback fakes of the Graph
API and the Bot API. Youths on Messenger and Telegram each send a full intake; every webhook not
answered 200 is sent again, as the platforms do. The server is killed with SIGKILL at two
points and restarted on the same data. Afterwards, from the fakes' logs and the SQLite file:
every inbound event processed exactly once, every reply delivered in order, no ticket lost or
doubled. A reply in flight at the instant of a kill (delivered but not yet marked) may be sent
again after the restart: the server logs those as uncertain, and the test allows exactly
those, nothing more.

CI runs `CRASH_CONVERSATIONS` (default 200) conversations of 10 messages: 2,000 messages.
"""

from __future__ import annotations

import asyncio
import gc
import hashlib
import hmac
import itertools
import json
import os
import sqlite3
import time
from collections import Counter
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.support.fake_meta import APP_SECRET, FakeGraph
from tests.support.fake_telegram import SECRET, FakeTelegram
from tests.support.server import Server, platform_env

# The test's own HTTP client may lose a socket when a request's timeout cancels a connection
# being opened to a server that is being killed (aiohttp's connector, not the bot): the
# warning it leaves behind at garbage collection says nothing about the service under test.
SOCKET_LEAK_IN_CLIENT = (
    pytest.mark.filterwarnings("ignore:unclosed <socket.socket:ResourceWarning"),
    pytest.mark.filterwarnings(
        "ignore:Exception ignored in. <socket.socket:pytest.PytestUnraisableExceptionWarning"
    ),
)
pytestmark = [pytest.mark.slow, *SOCKET_LEAK_IN_CLIENT]


@pytest.fixture(autouse=True)
def _collect_leaked_sockets() -> Any:
    """Finalise such sockets within this test, so their warning is filtered here, not later."""
    yield
    gc.collect()


ROOT = Path(__file__).resolve().parents[1]
CONVERSATIONS = int(os.environ.get("CRASH_CONVERSATIONS", "200"))
KILL_AT = (0.3, 0.65)  # fractions of all messages acknowledged
PAGE_ID = "100200300400500"
# One intake, as a youth sends it: (kind, content). Each gets exactly one reply.
SCRIPT: list[tuple[str, str]] = [
    ("text", "salut"),
    ("button", "START"),
    ("text", "Lina"),
    ("text", "19 ans"),
    ("text", "stenay"),
    ("button", "NEED:job"),
    ("button", "CONTACT:chat"),
    ("text", "plutôt le soir"),
    ("button", "SUMMARY:ok"),
    ("text", "merci !"),
]
_ids = itertools.count(1)


def _meta_body(user: str, kind: str, content: str, mid: str) -> bytes:
    message: dict[str, Any] = {"mid": mid, "text": content}
    if kind == "button":
        message = {"mid": mid, "text": content.title(), "quick_reply": {"payload": content}}
    event = {
        "sender": {"id": user},
        "recipient": {"id": PAGE_ID},
        "timestamp": int(time.time() * 1000),
        "message": message,
    }
    payload = {
        "object": "page",
        "entry": [{"id": PAGE_ID, "time": event["timestamp"], "messaging": [event]}],
    }
    return json.dumps(payload).encode()


def _telegram_body(chat: int, kind: str, content: str, update_id: int) -> bytes:
    person = {"id": chat, "is_bot": False, "first_name": "Lina"}
    chat_obj = {"id": chat, "first_name": "Lina", "type": "private"}
    if kind == "button":
        update: dict[str, Any] = {
            "update_id": update_id,
            "callback_query": {
                "id": f"cb{update_id}",
                "from": person,
                "chat_instance": "42",
                "data": content,
                "message": {
                    "message_id": 1,
                    "date": int(time.time()),
                    "chat": chat_obj,
                    "text": "…",
                },
            },
        }
    else:
        update = {
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": int(time.time()),
                "from": person,
                "chat": chat_obj,
                "text": content,
            },
        }
    return json.dumps(update).encode()


class Youth:
    """One conversation: sends the script in order, each message until acknowledged."""

    def __init__(self, channel: str, n: int) -> None:
        self.channel = channel
        self.user = (
            f"{7_100_000_000_000_000 + n}" if channel == "messenger" else str(6_200_000_000 + n)
        )
        # Event ids are fixed per message: a resend is the same event, as on the platforms.
        self.bodies = [self._body(kind, content, i) for i, (kind, content) in enumerate(SCRIPT)]

    def _body(self, kind: str, content: str, i: int) -> bytes:
        if self.channel == "messenger":
            return _meta_body(self.user, kind, content, f"m_{self.user}_{i}")
        return _telegram_body(int(self.user), kind, content, int(self.user) * 100 + i)

    def headers(self, body: bytes) -> dict[str, str]:
        if self.channel == "messenger":
            digest = hmac.new(APP_SECRET.encode(), body, hashlib.sha256).hexdigest()
            return {"Content-Type": "application/json", "X-Hub-Signature-256": f"sha256={digest}"}
        return {"Content-Type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET}

    async def run(
        self, session: aiohttp.ClientSession, server: Server, progress: Counter[str]
    ) -> None:
        path = "/webhooks/meta" if self.channel == "messenger" else "/webhooks/telegram"
        for body in self.bodies:
            while True:
                try:
                    async with session.post(
                        server.url + path, data=body, headers=self.headers(body)
                    ) as resp:
                        if resp.status == 200:
                            break
                        progress["non_200"] += 1
                except (TimeoutError, aiohttp.ClientError):
                    progress["refused"] += 1
                await asyncio.sleep(0.1)
            progress["acked"] += 1


def _sent(graph: FakeGraph, telegram: FakeTelegram, youth: Youth) -> list[str]:
    if youth.channel == "messenger":
        return graph.sent_texts(youth.user)
    return telegram.sent_texts(youth.user)


def _collapse(texts: list[str]) -> tuple[list[str], int]:
    """The texts without consecutive repeats, and how many repeats were dropped."""
    out: list[str] = []
    for text in texts:
        if not out or out[-1] != text:
            out.append(text)
    return out, len(texts) - len(out)


async def test_nothing_lost_nothing_doubled_across_two_sigkills(tmp_path: Path) -> None:
    async with FakeGraph() as graph, FakeTelegram() as telegram:
        server = Server(tmp_path, **platform_env(graph, telegram))
        youths = [Youth("messenger" if n % 2 else "telegram", n) for n in range(CONVERSATIONS)]
        total = len(youths) * len(SCRIPT)
        progress: Counter[str] = Counter()
        timeout = aiohttp.ClientTimeout(total=20)
        connector = aiohttp.TCPConnector(limit=200)
        async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
            await server.start(session)
            started = time.monotonic()
            senders = asyncio.gather(*(y.run(session, server, progress) for y in youths))
            for fraction in KILL_AT:
                while progress["acked"] < fraction * total:
                    await asyncio.sleep(0.01)
                server.kill()
                await server.start(session)
            await senders
            acked_at = time.monotonic()

            def delivered() -> int:
                return len([c for c in graph.calls if c.delivered and c.message]) + len(
                    [c for c in telegram.calls_to("sendMessage") if c.status == 200]
                )

            async def drained() -> bool:
                async with session.get(f"{server.url}/healthz") as resp:
                    return (await resp.json())["outbox_backlog"] == 0

            deadline = time.monotonic() + 180
            while time.monotonic() < deadline and (delivered() < total or not await drained()):
                await asyncio.sleep(0.5)
            missing = {
                y.user: SCRIPT[len(_collapse(_sent(graph, telegram, y))[0]) :][:1]
                for y in youths
                if len(_collapse(_sent(graph, telegram, y))[0]) < len(SCRIPT)
            }
            assert not missing, (
                f"{len(missing)} conversations short of replies: {list(missing.items())[:5]}"
            )
            await asyncio.sleep(1.0)  # anything extra (a duplicate) would arrive now
            finished = time.monotonic()
            assert server.stop() == 0

        graph.assert_clean()
        telegram.check()
        uncertain = server.uncertain_resends()
        repeats = 0
        reference: dict[str, list[str]] = {}
        for youth in youths:
            collapsed, dropped = _collapse(_sent(graph, telegram, youth))
            repeats += dropped
            if len(collapsed) != len(SCRIPT):
                calls = (
                    [(c.status, c.text[:25]) for c in telegram.calls_to("sendMessage", youth.user)]
                    if youth.channel == "telegram"
                    else [
                        (c.status, c.message.get("text", "")[:25])
                        for c in graph.calls
                        if c.recipient == youth.user
                    ]
                )
                raise AssertionError(f"{youth.channel} {youth.user}: {calls}")
            expected = reference.setdefault(youth.channel, collapsed)
            assert collapsed == expected, (youth.user, collapsed)  # every reply, in order
        assert repeats <= uncertain, (repeats, uncertain)

        db = sqlite3.connect(tmp_path / "data" / "milomouv.sqlite3")
        inbox = dict(db.execute("SELECT status, COUNT(*) FROM inbox GROUP BY status").fetchall())
        assert inbox == {"done": total}  # every event saved once and processed once
        per_conversation = db.execute(
            "SELECT COUNT(*) FROM tickets GROUP BY conversation_id HAVING COUNT(*) != 1"
        ).fetchall()
        assert per_conversation == []
        assert db.execute("SELECT COUNT(*) FROM tickets").fetchone()[0] == len(youths)
        outbox = dict(db.execute("SELECT status, COUNT(*) FROM outbox GROUP BY status").fetchall())
        assert outbox == {"sent": total}
        db.close()

        report = {
            "conversations": len(youths),
            "messages": total,
            "kills": len(KILL_AT),
            "starts": server.starts,
            "resent_by_driver": progress["refused"] + progress["non_200"],
            "uncertain_resends": uncertain,
            "duplicate_deliveries": repeats,
            "seconds_to_acknowledge_all": round(acked_at - started, 1),
            "seconds_to_deliver_all": round(finished - started, 1),
        }
        print("crash report:", json.dumps(report))
        (tmp_path / "crash-report.json").write_text(json.dumps(report))
