"""Property-based tests over both webhooks: junk in, a clear status out, the store intact.

Signed (Meta) or authenticated (Telegram) bodies of arbitrary shape — unicode, huge strings,
missing fields, wrong types, nested junk — must get 200 or 400, never a 5xx, and never leave
a half-written state: afterwards, a normal message is still answered.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.app import create_app
from tests.support.fake_meta import FakeGraph, meta_settings, post_webhook
from tests.support.fake_meta import settle as meta_settle
from tests.support.fake_telegram import SECRET, FakeTelegram, post_update
from tests.support.resources import of as resources_of

PROPERTY = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False),
    st.text(max_size=50),
    st.text(min_size=5000, max_size=20000),
)
junk = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)
meta_event = st.fixed_dictionaries(
    {},
    optional={
        "sender": st.one_of(junk, st.fixed_dictionaries({"id": st.one_of(st.text(), junk)})),
        "recipient": junk,
        "timestamp": st.one_of(st.integers(-(10**15), 10**15), junk),
        "message": st.one_of(
            junk,
            st.fixed_dictionaries(
                {},
                optional={
                    "mid": st.one_of(st.text(max_size=30), junk),
                    "text": st.one_of(st.text(), junk),
                    "quick_reply": st.one_of(junk, st.fixed_dictionaries({"payload": junk})),
                    "attachments": st.one_of(junk, st.lists(junk, max_size=3)),
                    "is_echo": junk,
                    "app_id": junk,
                },
            ),
        ),
        "postback": st.one_of(junk, st.fixed_dictionaries({"payload": junk, "referral": junk})),
        "referral": junk,
    },
)
meta_body = st.fixed_dictionaries(
    {
        "object": st.one_of(st.sampled_from(["page", "instagram"]), junk),
        "entry": st.one_of(
            junk,
            st.lists(
                st.fixed_dictionaries(
                    {"id": junk, "messaging": st.one_of(junk, st.lists(meta_event, max_size=4))},
                    optional={"standby": st.lists(meta_event, max_size=2)},
                ),
                max_size=3,
            ),
        ),
    }
)
telegram_body = st.one_of(
    junk,
    st.fixed_dictionaries(
        {"update_id": st.one_of(st.integers(0, 2**40), junk)},
        optional={
            "message": st.one_of(
                junk,
                st.fixed_dictionaries(
                    {
                        "message_id": st.one_of(st.integers(0, 10**9), junk),
                        "date": st.one_of(st.integers(0, 2**31), junk),
                        "chat": st.one_of(
                            junk,
                            st.fixed_dictionaries(
                                {
                                    "id": st.integers(1, 10**12),
                                    "type": st.sampled_from(["private", "group"]),
                                }
                            ),
                        ),
                    },
                    optional={"text": st.one_of(st.text(), junk), "sticker": junk, "photo": junk},
                ),
            ),
            "callback_query": junk,
            "edited_message": junk,
        },
    ),
)


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraph]:
    async with FakeGraph() as fake:
        yield fake


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


@pytest.fixture
async def client(
    aiohttp_client: Any, make_settings: Any, graph: FakeGraph, telegram: FakeTelegram
) -> TestClient:
    settings_ = make_settings(
        **meta_settings(graph),
        telegram_bot_token=telegram.token,
        telegram_webhook_secret=SECRET,
        telegram_api_base_url=telegram.base_url,
    )
    return await aiohttp_client(create_app(settings_))


async def _still_answers(client: TestClient, graph: FakeGraph, user: str) -> None:
    event = {
        "sender": {"id": user},
        "recipient": {"id": "100200300"},
        "timestamp": int(time.time() * 1000),
        "message": {"mid": f"m_ok_{user}", "text": "salut"},
    }
    body = {"object": "page", "entry": [{"id": "100200300", "messaging": [event]}]}
    assert (await post_webhook(client, body)).status == 200
    await meta_settle(client)
    assert graph.sent_texts(user), "the bot no longer answers"


@PROPERTY
@given(body=meta_body)
async def test_signed_meta_junk_gets_200_or_400(
    client: TestClient, graph: FakeGraph, body: Any
) -> None:
    resp = await post_webhook(client, json.dumps(body).encode())
    assert resp.status in (200, 400), resp.status


async def test_meta_after_junk_still_works(client: TestClient, graph: FakeGraph) -> None:
    for raw in (b"", b"{", b"[]", b'{"object": "page", "entry": "x"}', b"\xff\xfe", b"1e999999"):
        assert (await post_webhook(client, raw)).status in (200, 400)
    await _still_answers(client, graph, "42424242")


@PROPERTY
@given(body=telegram_body)
async def test_authenticated_telegram_junk_gets_200_or_400(client: TestClient, body: Any) -> None:
    resp = await post_update(client, body)
    assert resp.status in (200, 400), resp.status


async def test_a_thousand_event_batch_is_saved_whole_and_answered(
    client: TestClient, graph: FakeGraph
) -> None:
    now = int(time.time() * 1000)
    events = [
        {
            "sender": {"id": f"9{n:06d}"},
            "recipient": {"id": "100200300"},
            "timestamp": now,
            "message": {"mid": f"m_batch_{n}", "text": "salut"},
        }
        for n in range(1000)
    ]
    body = {"object": "page", "entry": [{"id": "100200300", "time": now, "messaging": events}]}
    started = time.monotonic()
    resp = await post_webhook(client, body)
    acknowledged = time.monotonic() - started
    assert resp.status == 200
    assert acknowledged < 5.0, f"acknowledged after {acknowledged:.1f} s"
    await meta_settle(client, seconds=120)
    assert sum(1 for n in range(1000) if graph.sent_texts(f"9{n:06d}")) == 1000
    again = await post_webhook(client, body)  # Meta retries the same batch: nothing new
    assert again.status == 200
    await meta_settle(client)
    runtime = resources_of(client.app)
    assert await runtime.store.outbox_backlog() == 0
    assert len([c for c in graph.calls if c.delivered]) == 1000
    print(f"1,000-event batch acknowledged in {acknowledged:.2f} s")
