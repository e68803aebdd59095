"""A youth on Telegram, end to end: real webhook route, real SQLite, fake Bot API on loopback."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp.test_utils import TestClient

from bot.app import create_app
from bot.store.base import StoreUnavailable
from tests.support.fake_telegram import (
    SECRET,
    FakeTelegram,
    TelegramYouth,
    load_update,
    payloads,
    post_update,
    settle,
    texts,
)
from tests.support.resources import of as resources_of


@pytest.fixture
async def fake() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake
    fake.check()


@pytest.fixture
async def client(
    aiohttp_client: Any, make_settings: Any, fake: FakeTelegram
) -> AsyncIterator[TestClient]:
    settings = make_settings(
        telegram_bot_token=fake.token,
        telegram_webhook_secret=SECRET,
        telegram_api_base_url=fake.base_url,
    )
    app = create_app(settings)
    resources_of(app).channels["telegram"].pace_seconds = 0.0  # type: ignore[attr-defined]
    client = await aiohttp_client(app)
    yield client
    await settle(client)
    await asyncio.sleep(
        0.05
    )  # let the sender reach its idle sleep: see the report on bot/sender.py


@pytest.fixture
def youth(client: TestClient, fake: FakeTelegram) -> TelegramYouth:
    return TelegramYouth(client, fake)


async def test_poster_deep_link_to_ticket(
    client: TestClient, fake: FakeTelegram, youth: TelegramYouth
) -> None:
    calls = await youth.start("affiche-pharmacie-verdun")
    assert payloads(calls) == ["START", "WHAT", "NO"]
    calls = await youth.tap("START")
    assert "prénom" in texts(calls)
    calls = await youth.say("Lina")
    assert "Lina" in texts(calls) and "âge" in texts(calls)
    calls = await youth.say("19")
    assert "commune" in texts(calls)
    calls = await youth.say("Stenay")
    assert "NEED:job" in payloads(calls)
    calls = await youth.tap("NEED:job")
    assert "CONTACT:chat" in payloads(calls)
    calls = await youth.say("06 12 34 56 78 par sms")
    assert "AVAIL:weekday_morning" in payloads(calls)
    calls = await youth.tap("AVAIL:weekday_morning")
    assert "Stenay" in texts(calls) and payloads(calls) == ["SUMMARY:ok", "SUMMARY:fix"]
    calls = await youth.tap("SUMMARY:ok")
    assert "J'ai transmis ta demande" in texts(calls)

    runtime = resources_of(client.app)
    [ticket] = await runtime.store.list_tickets("waiting")
    assert ticket.channel == "telegram"
    assert ticket.source == "affiche-pharmacie-verdun"
    assert ticket.snapshot["first_name"] == "Lina" and ticket.snapshot["age"] == 19
    assert ticket.snapshot["commune_code"] == "55502" and ticket.snapshot["need"] == "job"
    conversation = await runtime.store.get_conversation(ticket.conversation_id)
    assert conversation is not None and conversation.user_id == str(youth.chat_id)

    # Every tap was answered (no spinner left), each with its own callback query id.
    answered = fake.calls_to("answerCallbackQuery")
    assert len(answered) == 4 and all(c.status == 200 for c in answered)
    assert len({c.params["callback_query_id"] for c in answered}) == 4
    # Every keyboard Telegram received fits its limits: callback data of 1 to 64 bytes.
    keyboards = [c for c in fake.sent(youth.chat_id) if c.keyboard]
    assert keyboards
    for call in keyboards:
        assert all(1 <= len(p.encode()) <= 64 for p in call.payloads)
        assert all(1 <= len(row) <= 2 for row in call.keyboard)


async def test_wrong_or_missing_secret_is_401_and_stores_nothing(
    client: TestClient, fake: FakeTelegram, youth: TelegramYouth
) -> None:
    update = youth.text_update("salut")
    assert await youth.post(update, secret=None) == 401
    assert await youth.post(update, secret="not-the-secret") == 401
    assert await youth.post(update, secret=SECRET + "x") == 401
    assert await youth.post(update, secret="é-non-ascii") == 401
    await settle(client)
    runtime = resources_of(client.app)
    assert await runtime.store.find_conversation("telegram", str(youth.chat_id)) is None
    assert fake.calls_to("sendMessage") == []
    # The same update with the right secret is then processed normally.
    assert await youth.post(update) == 200
    await settle(client)
    assert len(fake.sent(youth.chat_id)) == 1


async def test_same_update_twice_gets_exactly_one_reply(
    client: TestClient, fake: FakeTelegram, youth: TelegramYouth
) -> None:
    update = youth.text_update("salut")
    assert await youth.post(update) == 200
    assert await youth.post(update) == 200
    await settle(client)
    assert await youth.post(update) == 200
    await settle(client)
    assert len(fake.sent(youth.chat_id)) == 1


async def test_callback_redelivered_is_processed_once_but_answered(
    client: TestClient, fake: FakeTelegram, youth: TelegramYouth
) -> None:
    await youth.start()
    tap = youth.tap_update("START")
    first = await youth.act(tap)
    again = await youth.act(tap)
    assert "prénom" in texts(first) and again == []
    ids = [c.params["callback_query_id"] for c in fake.calls_to("answerCallbackQuery")]
    assert ids == [tap["callback_query"]["id"]] * 2


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        ("sticker", "Tu peux me répondre par écrit"),
        ("voice", "Je ne peux pas écouter les messages vocaux"),
        ("photo", "Je ne peux pas voir les images"),
    ],
)
async def test_attachments_get_the_kind_answer(
    youth: TelegramYouth, fixture: str, expected: str
) -> None:
    await youth.start()
    calls = await youth.send(fixture)
    assert expected in texts(calls)


@pytest.mark.parametrize("fixture", ["edited_message", "group_message"])
async def test_other_updates_are_acknowledged_and_ignored(
    client: TestClient, fake: FakeTelegram, youth: TelegramYouth, fixture: str
) -> None:
    assert await youth.post(youth.update(fixture)) == 200
    await settle(client)
    runtime = resources_of(client.app)
    assert await runtime.store.find_conversation("telegram", str(youth.chat_id)) is None
    assert await runtime.store.find_conversation("telegram", "-1001987654321") is None
    assert fake.calls_to("sendMessage") == []


async def test_channel_posts_and_unknown_update_kinds_are_acknowledged(
    client: TestClient, fake: FakeTelegram
) -> None:
    post = load_update("group_message")
    channel_post = {"update_id": 731299001, "channel_post": dict(post["message"])}
    channel_post["channel_post"]["chat"] = {"id": -1001, "title": "Actus", "type": "channel"}
    del channel_post["channel_post"]["from"]
    for update in (channel_post, {"update_id": 731299002, "some_future_kind": {"x": 1}}):
        assert (await post_update(client, update)).status == 200
    await settle(client)
    assert fake.calls == [c for c in fake.calls if c.method == "getMe"]


BAD_BODIES = [
    b"not json",
    b"\xff\xfe",
    b"[1, 2]",
    b'"update"',
    b'{"message": {"text": "salut"}}',
    b'{"update_id": "12", "message": {}}',
    b'{"update_id": true, "message": {}}',
    b'{"update_id": 12, "message": "salut"}',
    b'{"update_id": 13, "message": {"message_id": 1, "text": "salut"}}',
    b'{"update_id": 14, "message": {"message_id": 1, "date": 1795694400, "chat": 5}}',
    b'{"update_id": 15, "callback_query": {"id": "1"}}',
]


async def test_bad_bodies_are_400_never_500(client: TestClient, fake: FakeTelegram) -> None:
    for body in BAD_BODIES:
        resp = await post_update(client, body)
        assert resp.status == 400, body
    await settle(client)
    assert fake.calls_to("sendMessage") == []
    assert await resources_of(client.app).store.pending_conversations() == []


async def test_store_down_answers_503_so_telegram_retries(
    client: TestClient, fake: FakeTelegram, youth: TelegramYouth, monkeypatch: Any
) -> None:
    runtime = resources_of(client.app)

    async def down(*args: Any, **kwargs: Any) -> Any:
        raise StoreUnavailable("disk full")

    tap = youth.tap_update("START")
    with monkeypatch.context() as patch:
        patch.setattr(runtime.store, "ingest", down)
        assert await youth.post(tap) == 503
        await settle(client)
    assert fake.calls_to("answerCallbackQuery") == []  # answered once it is saved
    assert await youth.post(tap) == 200
    await settle(client)
    assert len(fake.calls_to("answerCallbackQuery")) == 1


async def test_commands_reach_the_flow_as_words(youth: TelegramYouth) -> None:
    await youth.start()
    await youth.tap("START")
    calls = await youth.say("/aide")
    assert "prénom" in texts(calls)  # the help, then the pending question again
    assert len(calls) == 2
    calls = await youth.say("/stop")
    assert "reprendre" in texts(calls)
    assert await youth.say("Lina") == []  # paused: the bot keeps quiet
    calls = await youth.say("/start")
    assert "prénom" in texts(calls)


async def test_start_payload_must_be_a_clean_source(client: TestClient, fake: FakeTelegram) -> None:
    runtime = resources_of(client.app)
    cases = {
        111: ("/start partenaire_AFPA-2026", "partenaire_AFPA-2026"),
        112: ("/start " + "x" * 65, None),
        113: ("/start affiche verdun", None),
        114: ("/start <script>", None),
        115: ("/start@milomouv_test_bot affiche-gare", "affiche-gare"),
    }
    for chat_id, (text, _) in cases.items():
        youth = TelegramYouth(client, fake, chat_id=chat_id)
        calls = await youth.say(text)
        assert payloads(calls) == ["START", "WHAT", "NO"]
    for chat_id, (_, source) in cases.items():
        conversation = await runtime.store.find_conversation("telegram", str(chat_id))
        assert conversation is not None and conversation.source == source


async def test_a_later_start_payload_does_not_overwrite_the_source(
    client: TestClient, youth: TelegramYouth
) -> None:
    await youth.start("affiche-pharmacie-verdun")
    await youth.start("flyer-mairie-stenay")
    conversation = await resources_of(client.app).store.find_conversation(
        "telegram", str(youth.chat_id)
    )
    assert conversation is not None and conversation.source == "affiche-pharmacie-verdun"


async def test_a_slow_or_failing_callback_answer_never_delays_the_webhook(
    client: TestClient, fake: FakeTelegram, youth: TelegramYouth
) -> None:
    await youth.start()
    fake.slow("answerCallbackQuery", 1.0)
    started = time.monotonic()
    assert await youth.post(youth.tap_update("WHAT")) == 200
    assert time.monotonic() - started < 0.5
    await settle(client)
    assert payloads(fake.sent(youth.chat_id)) == ["START", "NO"]
    fake.fail("answerCallbackQuery", "bad_request")  # e.g. "query is too old"
    calls = await youth.tap("START")  # the tap itself still counts
    assert "prénom" in texts(calls)
    assert [c.status for c in fake.calls_to("answerCallbackQuery")] == [200, 400]
