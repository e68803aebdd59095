"""`/webhooks/meta` on its own: verification, signatures, and what each recorded payload becomes.

The channels are mounted on a bare aiohttp app whose inbox only records what it is given,
so each test sees exactly the batch the route saved (one `ingest_many` call per POST).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.channels import meta
from bot.events import InboundEvent
from bot.store.base import StoreUnavailable
from tests.support.fake_meta import (
    APP_SECRET,
    VERIFY_TOKEN,
    fixture_bytes,
    load_fixture,
    meta_settings,
    post_webhook,
    sign,
)

PSID = "6789012345678901"
IGSID = "5432109876543210"


class RecordingInbox:
    """An inbox that keeps each batch it is given, or fails like a store that is down."""

    def __init__(self) -> None:
        self.batches: list[list[InboundEvent]] = []
        self.reads: list[tuple[str, str, float]] = []
        self.down = False

    async def ingest(self, event: InboundEvent) -> bool:
        return bool(await self.ingest_many([event]))

    async def ingest_many(self, events: list[InboundEvent]) -> int:
        if self.down:
            raise StoreUnavailable("store is down")
        self.batches.append(list(events))
        return len(events)

    async def seen(self, channel: str, reads: list[tuple[str, float]]) -> None:
        if self.down:
            raise StoreUnavailable("store is down")
        self.reads.extend((channel, user, at) for user, at in reads)

    @property
    def events(self) -> list[InboundEvent]:
        return [e for batch in self.batches for e in batch]


@pytest.fixture
def inbox() -> RecordingInbox:
    return RecordingInbox()


@pytest.fixture
async def hook(aiohttp_client: Any, make_settings: Any, inbox: RecordingInbox) -> TestClient:
    app = web.Application()
    for channel in meta.build(make_settings(**meta_settings()), store=None):  # type: ignore[arg-type]
        channel.register(app, inbox)
    return await aiohttp_client(app)


async def post_fixture(client: TestClient, platform: str, name: str) -> int:
    raw = fixture_bytes(platform, name)
    resp = await post_webhook(client, raw)
    return resp.status


# --- verification ------------------------------------------------------------------
async def test_verification_answers_the_challenge_as_raw_text(hook: TestClient) -> None:
    params = {
        "hub.mode": "subscribe",
        "hub.verify_token": VERIFY_TOKEN,
        "hub.challenge": "1158201444",
    }
    resp = await hook.get("/webhooks/meta", params=params)
    assert resp.status == 200
    assert await resp.text() == "1158201444"
    assert resp.content_type == "text/plain"


@pytest.mark.parametrize(
    "params",
    [
        {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
        {"hub.mode": "unsubscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1"},
        {"hub.mode": "subscribe", "hub.challenge": "1"},
        {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN + "x", "hub.challenge": "1"},
        {"hub.mode": "subscribe", "hub.verify_token": "vérifié", "hub.challenge": "1"},
        {},
    ],
)
async def test_verification_refused(hook: TestClient, params: dict[str, str]) -> None:
    resp = await hook.get("/webhooks/meta", params=params)
    assert resp.status == 403
    assert "1" not in await resp.text()


# --- signatures ------------------------------------------------------------------------
async def test_wrong_signature_is_refused_and_nothing_saved(
    hook: TestClient, inbox: RecordingInbox
) -> None:
    raw = fixture_bytes("messenger", "text")
    resp = await post_webhook(hook, raw, signature=sign(raw, "another-secret"))
    assert resp.status == 403
    assert inbox.batches == []


async def test_missing_signature_is_refused(hook: TestClient, inbox: RecordingInbox) -> None:
    resp = await post_webhook(hook, fixture_bytes("messenger", "text"), signed=False)
    assert resp.status == 403
    assert inbox.batches == []


async def test_sha1_signature_alone_is_not_enough(hook: TestClient, inbox: RecordingInbox) -> None:
    raw = fixture_bytes("messenger", "text")
    resp = await hook.post(
        "/webhooks/meta", data=raw, headers={"X-Hub-Signature": "sha1=" + "0" * 40}
    )
    assert resp.status == 403
    assert inbox.batches == []


async def test_signature_covers_the_raw_bytes_not_a_reserialised_body(
    hook: TestClient, inbox: RecordingInbox
) -> None:
    raw = fixture_bytes("messenger", "text")  # escaped unicode, as Meta sends it
    reserialised = json.dumps(json.loads(raw), ensure_ascii=False).encode()
    assert reserialised != raw
    resp = await post_webhook(hook, raw, signature=sign(reserialised, APP_SECRET))
    assert resp.status == 403
    resp = await post_webhook(hook, raw)
    assert resp.status == 200
    assert inbox.events[0].text == "Salut, je cherche du boulot à Stenay été 2026 🙏"


async def test_signature_of_a_truncated_body_is_refused(hook: TestClient) -> None:
    raw = fixture_bytes("messenger", "text")
    resp = await post_webhook(hook, raw[:-1], signature=sign(raw, APP_SECRET))
    assert resp.status == 403


@pytest.mark.parametrize("raw", [b"{not json", b"[1, 2]", b'"page"', b"", b"\xff\xfe{}"])
async def test_malformed_body_under_a_valid_signature_is_400(
    hook: TestClient, inbox: RecordingInbox, raw: bytes
) -> None:
    resp = await post_webhook(hook, raw)
    assert resp.status == 400
    assert inbox.batches == []


async def test_unknown_object_is_acknowledged_and_ignored(
    hook: TestClient, inbox: RecordingInbox
) -> None:
    resp = await post_webhook(hook, {"object": "whatsapp_business_account", "entry": []})
    assert resp.status == 200 and await resp.text() == "EVENT_RECEIVED"
    assert inbox.batches == []


async def test_store_down_answers_503_so_meta_delivers_again(
    hook: TestClient, inbox: RecordingInbox
) -> None:
    inbox.down = True
    assert await post_fixture(hook, "messenger", "text") == 503
    inbox.down = False
    assert await post_fixture(hook, "messenger", "text") == 200
    assert len(inbox.events) == 1


# --- what each recorded payload becomes ----------------------------------------------
def ev(**fields: Any) -> dict[str, Any]:
    return fields


MESSENGER_CASES: list[tuple[str, list[dict[str, Any]]]] = [
    (
        "text",
        [ev(kind="text", user_id=PSID, text="Salut, je cherche du boulot à Stenay été 2026 🙏")],
    ),
    ("quick_reply", [ev(kind="button", user_id=PSID, payload="START", text="")]),
    (
        "postback_get_started_referral",
        [ev(kind="start", user_id=PSID, source="affiche-mairie-stenay", payload="")],
    ),
    (
        "referral",
        [
            ev(
                kind="referral",
                user_id=PSID,
                source="flyer-lycee-verdun",
                event_id=f"ref:{PSID}:1795000199500",
            )
        ],
    ),
    ("attachment_image", [ev(kind="attachment", attachments=("image",), text="")]),
    ("attachment_audio", [ev(kind="attachment", attachments=("audio",))]),
    ("sticker", [ev(kind="attachment", attachments=("sticker",))]),
    ("echo_own_app", []),
    (
        "echo_inbox",
        [
            ev(
                kind="staff_echo",
                user_id=PSID,
                text="Bonjour, c'est Claire de la Mission locale, je prends le relais 🙂",
            )
        ],
    ),
    (
        "standby_echo_inbox",
        [
            ev(kind="staff_echo", user_id=PSID, text="Tu es dispo jeudi à 14h ?"),
            ev(kind="text", user_id=PSID, text="oui jeudi ça marche"),
        ],
    ),
    ("read_delivery", []),
]

INSTAGRAM_CASES: list[tuple[str, list[dict[str, Any]]]] = [
    ("text", [ev(kind="text", user_id=IGSID, text="slt c pour un job à Verdun 😅")]),
    ("quick_reply", [ev(kind="button", user_id=IGSID, payload="NEED:job")]),
    ("postback", [ev(kind="button", user_id=IGSID, payload="WHAT")]),
    ("referral", [ev(kind="referral", user_id=IGSID, source="story-insta-oct")]),
    ("attachment_image", [ev(kind="attachment", attachments=("image",))]),
    ("attachment_audio", [ev(kind="attachment", attachments=("audio",))]),
    ("like_heart", [ev(kind="attachment", attachments=("sticker",))]),
    ("story_mention", [ev(kind="attachment", attachments=("other",))]),
    ("echo_own_app", []),
    (
        "echo_inbox",
        [
            ev(
                kind="staff_echo",
                user_id=IGSID,
                text="Coucou, c'est Karim, éducateur MiloMouv'. On se voit mardi ?",
            )
        ],
    ),
    ("messaging_seen", []),
]


@pytest.mark.parametrize(
    ("platform", "name", "expected"),
    [("messenger", n, e) for n, e in MESSENGER_CASES]
    + [("instagram", n, e) for n, e in INSTAGRAM_CASES],
)
async def test_recorded_payload_becomes_events(
    hook: TestClient,
    inbox: RecordingInbox,
    platform: str,
    name: str,
    expected: list[dict[str, Any]],
) -> None:
    assert await post_fixture(hook, platform, name) == 200
    events = inbox.events
    assert len(events) == len(expected)
    assert len(inbox.batches) == (1 if expected else 0)
    data = load_fixture(platform, name)
    items = [i for e in data["entry"] for k in ("messaging", "standby") for i in e.get(k, [])]
    for event, want, item in zip(events, expected, items, strict=False):
        assert event.channel == platform
        for key, value in want.items():
            assert getattr(event, key) == value, (name, key)
        assert event.timestamp == item["timestamp"] / 1000
        mid = (item.get("message") or item.get("postback") or {}).get("mid")
        if mid:
            assert event.event_id == mid


@pytest.mark.parametrize("platform", ["messenger", "instagram"])
async def test_batched_entries_are_saved_in_one_call(
    hook: TestClient, inbox: RecordingInbox, platform: str
) -> None:
    assert await post_fixture(hook, platform, "batch_entries") == 200
    assert len(inbox.batches) == 1
    data = load_fixture(platform, "batch_entries")
    mids = [
        (i.get("message") or i.get("postback"))["mid"]
        for e in data["entry"]
        for i in e["messaging"]
        if "message" in i or "postback" in i
    ]
    assert [e.event_id for e in inbox.batches[0]] == mids
    assert len({e.user_id for e in inbox.batches[0]}) >= 2


async def test_sources_keep_only_safe_refs(hook: TestClient, inbox: RecordingInbox) -> None:
    def referral(ref: Any, ts: int) -> dict[str, Any]:
        return {
            "sender": {"id": PSID},
            "recipient": {"id": "104859234567890"},
            "timestamp": ts,
            "referral": {"ref": ref, "source": "SHORTLINK", "type": "OPEN_THREAD"},
        }

    good = "a" * 64
    payload = {
        "object": "page",
        "entry": [
            {
                "id": "104859234567890",
                "time": 1,
                "messaging": [
                    referral(good, 1),
                    referral("a" * 65, 2),
                    referral("<script>", 3),
                    referral("affiche mairie", 4),
                    referral(12, 5),
                    referral("", 6),
                ],
            }
        ],
    }
    assert (await post_webhook(hook, payload)).status == 200
    assert [(e.kind, e.source) for e in inbox.events] == [("referral", good)]


async def test_unknown_and_malformed_events_are_skipped(
    hook: TestClient, inbox: RecordingInbox
) -> None:
    base = {"sender": {"id": PSID}, "recipient": {"id": "104859234567890"}, "timestamp": 7}
    payload = {
        "object": "page",
        "entry": [
            {
                "id": "104859234567890",
                "time": 1,
                "messaging": [
                    {**base, "brand_new_event": {"x": 1}},
                    {**base, "message": {"text": "no mid"}},
                    {**base, "message": {"mid": "m_empty"}},
                    {**base, "message": {"mid": "m_deleted", "is_deleted": True}},
                    {**base, "postback": {"mid": "m_pb", "title": "x"}},
                    {
                        "recipient": {"id": "1"},
                        "timestamp": 8,
                        "message": {"mid": "m_x", "text": "hi"},
                    },
                    "not an object",
                    {**base, "message": {"mid": "m_ok", "text": "ok"}},
                ],
            },
            "not an entry",
            {"id": "104859234567890", "time": 2, "messaging": "not a list"},
        ],
    }
    assert (await post_webhook(hook, payload)).status == 200
    assert [e.event_id for e in inbox.events] == ["m_ok"]


async def test_get_started_without_mid_gets_a_stable_id(
    hook: TestClient, inbox: RecordingInbox
) -> None:
    item = {
        "sender": {"id": PSID},
        "recipient": {"id": "104859234567890"},
        "timestamp": 1795000000900,
        "postback": {"title": "Démarrer", "payload": "GET_STARTED"},
    }
    payload = {"object": "page", "entry": [{"id": "1", "time": 1, "messaging": [item]}]}
    await post_webhook(hook, payload)
    await post_webhook(hook, payload)
    ids = [e.event_id for e in inbox.events]
    assert ids == [f"pb:{PSID}:1795000000900"] * 2  # the store drops the second


async def test_echo_of_another_app_needs_our_app_id_to_be_known(
    aiohttp_client: Any, make_settings: Any, inbox: RecordingInbox
) -> None:
    """Without META_APP_ID every echo is ours: we cannot tell a person's answer apart."""
    app = web.Application()
    settings = make_settings(**meta_settings(meta_app_id=None))
    for channel in meta.build(settings, store=None):  # type: ignore[arg-type]
        channel.register(app, inbox)
    client = await aiohttp_client(app)
    assert await post_fixture(client, "messenger", "echo_inbox") == 200
    assert inbox.events == []


@pytest.mark.parametrize(
    ("platform", "name", "expected"),
    [
        ("messenger", "read_delivery", [("messenger", PSID, 1795000798.0)]),
        # Instagram: the read of a mid at 1795001599 s, then a watermark form, older: the latest.
        ("instagram", "messaging_seen", [("instagram", IGSID, 1795001599.0)]),
    ],
)
async def test_recorded_read_events_become_watermarks(
    hook: TestClient,
    inbox: RecordingInbox,
    platform: str,
    name: str,
    expected: list[tuple[str, str, float]],
) -> None:
    assert await post_fixture(hook, platform, name) == 200
    assert inbox.reads == expected and inbox.events == []
    inbox.down = True
    assert await post_fixture(hook, platform, name) == 503  # Meta delivers it again later
