"""`send()` of the Meta channels against the fake Graph API: windows, rendering, errors."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from structlog.testing import capture_logs

from bot.channels import meta
from bot.channels.instagram import Instagram
from bot.channels.messenger import Messenger
from bot.channels.meta import MetaChannel, graph_error, shorten
from bot.errors import ConfigError, SendError
from bot.events import Button, OutboxItem, Reply
from tests.support.fake_meta import (
    IG_TOKEN,
    PAGE_TOKEN,
    Failure,
    FakeGraph,
    meta_settings,
)

HOUR = 3600.0
NOW = 1_795_000_000.0
USER = "6789012345678901"


@pytest.fixture
async def graph() -> AsyncIterator[FakeGraph]:
    async with FakeGraph() as fake:
        yield fake
        fake.assert_clean()


@pytest.fixture
async def channels(make_settings: Any, graph: FakeGraph) -> AsyncIterator[dict[str, MetaChannel]]:
    built = meta.build(make_settings(**meta_settings(graph)), store=None)  # type: ignore[arg-type]
    by_name: dict[str, MetaChannel] = {}
    for channel in built:
        assert isinstance(channel, MetaChannel)
        channel.clock = lambda: NOW
        await channel.start()
        by_name[channel.name] = channel
    yield by_name
    for channel in by_name.values():
        await channel.stop()


@pytest.fixture
def messenger(channels: dict[str, MetaChannel]) -> MetaChannel:
    return channels["messenger"]


@pytest.fixture
def instagram(channels: dict[str, MetaChannel]) -> MetaChannel:
    return channels["instagram"]


def item(
    text: str = "Salut 👋",
    *,
    buttons: tuple[Button, ...] = (),
    author: str = "bot",
    age: float | None = 60.0,
    channel: str = "messenger",
    item_id: int = 1,
) -> OutboxItem:
    return OutboxItem(
        id=item_id,
        conversation_id="c1",
        channel=channel,
        user_id=USER,
        reply=Reply(text, buttons, author=author),  # type: ignore[arg-type]
        last_inbound_at=None if age is None else NOW - age,
    )


# --- windows ------------------------------------------------------------------------
@pytest.mark.parametrize("author", ["bot", "counsellor"])
async def test_within_24h_is_a_response(
    messenger: MetaChannel, graph: FakeGraph, author: str
) -> None:
    await messenger.send(item(author=author, age=23.9 * HOUR))
    (call,) = graph.calls
    assert call.body["messaging_type"] == "RESPONSE" and "tag" not in call.body
    assert call.body["recipient"] == {"id": USER}
    assert call.message == {"text": "Salut 👋"}


@pytest.mark.parametrize("age_hours", [24.1, 6.9 * 24])
async def test_counsellor_after_24h_goes_with_the_human_agent_tag(
    messenger: MetaChannel, graph: FakeGraph, age_hours: float
) -> None:
    await messenger.send(item(author="counsellor", age=age_hours * HOUR))
    (call,) = graph.calls
    assert call.body["messaging_type"] == "MESSAGE_TAG"
    assert call.body["tag"] == "HUMAN_AGENT"


@pytest.mark.parametrize(
    ("author", "age_hours"),
    [("bot", 24.1), ("bot", 6 * 24), ("system", 30), ("counsellor", 7 * 24 + 0.1), ("bot", 900)],
)
async def test_outside_the_windows_nothing_is_sent(
    instagram: MetaChannel, graph: FakeGraph, author: str, age_hours: float
) -> None:
    with pytest.raises(SendError) as caught:
        await instagram.send(item(author=author, age=age_hours * HOUR))
    assert caught.value.code == "outside_window" and caught.value.permanent
    assert graph.calls == []


# --- rendering -----------------------------------------------------------------------
async def test_up_to_13_buttons_become_quick_replies(
    messenger: MetaChannel, graph: FakeGraph
) -> None:
    buttons = tuple(Button(f"Choix {i}", f"PICK:{i}") for i in range(13))
    await messenger.send(item("Choisis :", buttons=buttons))
    quick = graph.calls[0].message["quick_replies"]
    assert [q["payload"] for q in quick] == [f"PICK:{i}" for i in range(13)]
    assert all(q["content_type"] == "text" for q in quick)


async def test_more_than_13_buttons_become_numbered_text(
    messenger: MetaChannel, graph: FakeGraph
) -> None:
    buttons = tuple(Button(f"Commune {i}", f"COMMUNE:{i}") for i in range(14))
    await messenger.send(item("Laquelle ?", buttons=buttons))
    message = graph.calls[0].message
    assert "quick_replies" not in message
    assert "1. Commune 0" in message["text"] and "14. Commune 13" in message["text"]


async def test_long_titles_are_shortened_on_a_word(
    messenger: MetaChannel, graph: FakeGraph
) -> None:
    buttons = (
        Button("Oui, un conseiller humain s'il te plaît", "HUMAN:yes"),
        Button("Dommartin-la-Montagne-sur-Meuse", "COMMUNE:1"),
        Button("C'est parti 🚀", "START"),
    )
    await messenger.send(item("?", buttons=buttons))
    titles = [q["title"] for q in graph.calls[0].message["quick_replies"]]
    assert all(len(t) <= 20 for t in titles)
    assert titles[0] == "Oui, un conseiller…"
    assert titles[1].startswith("Dommartin-la-") and titles[1].endswith("…")
    assert titles[2] == "C'est parti 🚀"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Court", "Court"),
        ("x" * 20, "x" * 20),
        ("x" * 21, "x" * 19 + "…"),
        ("Je sais pas trop quoi faire", "Je sais pas trop…"),
        ("  espaces   en   trop  ", "espaces en trop"),
    ],
)
def test_shorten(title: str, expected: str) -> None:
    assert shorten(title, 20) == expected


LONG_FRENCH = " ".join(
    f"Phrase numéro {i} : ça déménage à Saint-Mihiel, été comme hiver 🚀🎉." for i in range(60)
)


async def test_instagram_splits_at_1000_bytes_with_quick_replies_on_the_last_part(
    instagram: MetaChannel, graph: FakeGraph
) -> None:
    assert len(LONG_FRENCH) < 6000 and len(LONG_FRENCH.encode()) > 4000
    buttons = (Button("Oui", "YES"), Button("Non", "NO"))
    await instagram.send(item(LONG_FRENCH, buttons=buttons, channel="instagram"))
    messages = [c.message for c in graph.calls]
    assert len(messages) >= 5
    assert all(len(m["text"].encode("utf-8")) <= 1000 for m in messages)
    assert all(m["text"].endswith("🎉.") for m in messages)  # cut between sentences
    assert " ".join(m["text"] for m in messages) == LONG_FRENCH
    assert ["quick_replies" in m for m in messages] == [False] * (len(messages) - 1) + [True]


async def test_messenger_splits_at_2000_characters(
    messenger: MetaChannel, graph: FakeGraph
) -> None:
    await messenger.send(item(LONG_FRENCH))
    messages = [c.message["text"] for c in graph.calls]
    assert len(messages) == 3
    assert all(len(m) <= 2000 for m in messages)
    assert " ".join(messages) == LONG_FRENCH


async def test_a_word_longer_than_the_limit_is_still_cut_safely(
    instagram: MetaChannel, graph: FakeGraph
) -> None:
    await instagram.send(item("é" * 1500, channel="instagram"))
    parts = [c.message["text"] for c in graph.calls]
    assert "".join(parts) == "é" * 1500
    assert all(len(p.encode()) <= 1000 for p in parts)


async def test_a_failed_later_part_resumes_where_it_stopped(
    instagram: MetaChannel, graph: FakeGraph
) -> None:
    outbox = item(LONG_FRENCH, channel="instagram", item_id=42)
    # The first part goes, the second is rate limited: the item must be tried again...
    graph.fail(Failure.ok(), Failure.graph(613))
    with pytest.raises(SendError) as caught:
        await instagram.send(outbox)
    assert caught.value.code == "rate_limited" and not caught.value.permanent
    # ...and the retry sends only what had not gone yet: every part exactly once.
    await instagram.send(outbox)
    delivered = graph.sent_texts(USER)
    assert " ".join(delivered) == LONG_FRENCH
    assert len(delivered) == len(set(delivered))


async def test_empty_text_is_refused(messenger: MetaChannel, graph: FakeGraph) -> None:
    with pytest.raises(SendError) as caught:
        await messenger.send(item("   "))
    assert caught.value.permanent and graph.calls == []


# --- errors -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("failure", "code", "permanent"),
    [
        (Failure.graph(613), "rate_limited", False),
        (Failure.graph(4), "rate_limited", False),
        (Failure.graph(2, status=500), "temporary", False),
        (Failure.graph(2), "temporary", False),
        (Failure.http(500), "http_500", False),
        (Failure.http(503), "http_503", False),
        (Failure.graph(551), "person_unavailable", True),
        (Failure.graph(10, subcode=2018278), "outside_window", True),
        (Failure.graph(10, subcode=2018065), "permission_denied", True),
        (Failure.graph(190), "bad_token", True),
        (Failure.graph(100, subcode=2018001), "graph_100", True),
    ],
)
async def test_graph_errors(
    messenger: MetaChannel, graph: FakeGraph, failure: Failure, code: str, permanent: bool
) -> None:
    graph.fail(failure)
    with pytest.raises(SendError) as caught:
        await messenger.send(item())
    assert (caught.value.code, caught.value.permanent) == (code, permanent)
    assert caught.value.retry_after is None


async def test_429_carries_retry_after(messenger: MetaChannel, graph: FakeGraph) -> None:
    graph.fail(Failure.too_many(retry_after="7"))
    with pytest.raises(SendError) as caught:
        await messenger.send(item())
    assert caught.value.code == "rate_limited" and not caught.value.permanent
    assert caught.value.retry_after == 7.0


def test_retry_after_as_an_http_date() -> None:
    when = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 30))
    error = graph_error(429, None, when)
    assert error.retry_after is not None and 25 <= error.retry_after <= 31
    assert graph_error(429, None, "soon").retry_after is None


async def test_bad_token_is_logged_as_an_error_without_the_token(
    make_settings: Any, graph: FakeGraph
) -> None:
    settings = make_settings(**meta_settings(graph, meta_page_access_token="revoked-token"))
    channel = meta.build(settings, store=None)[0]  # type: ignore[arg-type]
    assert isinstance(channel, MetaChannel)
    await channel.start()
    try:
        with capture_logs() as logs, pytest.raises(SendError) as caught:
            await channel.send(item(age=None))
    finally:
        await channel.stop()
    assert caught.value.code == "bad_token" and caught.value.permanent
    errors = [entry for entry in logs if entry["log_level"] == "error"]
    assert errors and errors[0]["event"] == "meta_bad_token"
    assert "revoked-token" not in repr(logs)


async def test_timeout_and_connection_errors_are_retryable(
    messenger: MetaChannel, graph: FakeGraph
) -> None:
    messenger.timeout = 0.2
    await messenger.stop()
    await messenger.start()
    graph.fail(Failure.hang(0.5))
    with pytest.raises(SendError) as caught:
        await messenger.send(item())
    assert caught.value.code == "timeout" and not caught.value.permanent
    await graph.stop()
    with pytest.raises(SendError) as caught:
        await messenger.send(item())
    assert caught.value.code == "network" and not caught.value.permanent


async def test_send_before_start_is_retryable(make_settings: Any) -> None:
    channel = meta.build(make_settings(**meta_settings()), store=None)[0]  # type: ignore[arg-type]
    with pytest.raises(SendError) as caught:
        await channel.send(item(age=None))
    assert caught.value.code == "not_started" and not caught.value.permanent


# --- tokens and URLs -------------------------------------------------------------------
async def test_tokens_travel_in_the_authorization_header_only(
    messenger: MetaChannel, instagram: MetaChannel, graph: FakeGraph
) -> None:
    await messenger.send(item())
    await instagram.send(item(channel="instagram"))
    for call in graph.calls:
        assert call.path == "/v25.0/me/messages" and call.query == {}
        assert call.authorization == f"Bearer {PAGE_TOKEN}"
        assert PAGE_TOKEN not in str(call.body)


async def test_instagram_uses_its_own_token_when_set(make_settings: Any, graph: FakeGraph) -> None:
    settings = make_settings(**meta_settings(graph, instagram_access_token=IG_TOKEN))
    channels = {c.name: c for c in meta.build(settings, store=None)}  # type: ignore[arg-type]
    for channel in channels.values():
        await channel.start()
    try:
        await channels["messenger"].send(item(age=None))
        await channels["instagram"].send(item(age=None, channel="instagram"))
    finally:
        for channel in channels.values():
            await channel.stop()
    assert [c.token for c in graph.calls] == [PAGE_TOKEN, IG_TOKEN]


# --- build ----------------------------------------------------------------------------------
def test_nothing_configured_mounts_nothing(make_settings: Any) -> None:
    assert meta.build(make_settings(), store=None) == []  # type: ignore[arg-type]


def test_empty_values_count_as_unset(make_settings: Any) -> None:
    settings = make_settings(meta_app_secret="", meta_verify_token="", meta_page_access_token="")
    assert meta.build(settings, store=None) == []  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("overrides", "missing"),
    [
        ({"meta_app_secret": "s3cr3t-value"}, ["META_VERIFY_TOKEN", "META_PAGE_ACCESS_TOKEN"]),
        (
            {"meta_app_secret": "s3cr3t-value", "meta_verify_token": "v3rify-value"},
            ["META_PAGE_ACCESS_TOKEN"],
        ),
        (
            {"meta_page_access_token": "p4ge-value", "meta_verify_token": "v3rify-value"},
            ["META_APP_SECRET"],
        ),
        (
            {"instagram_access_token": "ig-value"},
            ["META_APP_SECRET", "META_VERIFY_TOKEN", "META_PAGE_ACCESS_TOKEN"],
        ),
    ],
)
def test_half_configured_fails_naming_what_is_missing(
    make_settings: Any, overrides: dict[str, str], missing: list[str]
) -> None:
    with pytest.raises(ConfigError) as caught:
        meta.build(make_settings(**overrides), store=None)  # type: ignore[arg-type]
    message = str(caught.value)
    for name in missing:
        assert name in message
    for name in {"META_APP_SECRET", "META_VERIFY_TOKEN", "META_PAGE_ACCESS_TOKEN"} - set(missing):
        assert name not in message
    for value in overrides.values():
        assert value not in message


def test_fully_configured_mounts_messenger_and_instagram(make_settings: Any) -> None:
    built = meta.build(make_settings(**meta_settings()), store=None)  # type: ignore[arg-type]
    assert [type(c) for c in built] == [Messenger, Instagram]
    assert [c.name for c in built] == ["messenger", "instagram"]
    assert built[0].max_text == 2000 and built[1].max_text == 1000
    assert built[1].measure("é🚀") == 6 and built[0].measure("é🚀") == 2
