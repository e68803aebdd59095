"""Telegram updates become neutral events at the border: recorded shapes, one by one."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from telegram import Update

from bot.channels.telegram import _normalise
from bot.events import InboundEvent
from tests.support.fake_telegram import load_update

CHAT = "6123456789"


def normalise(data: dict[str, Any]) -> tuple[InboundEvent | None, str | None]:
    return _normalise(Update.de_json(data, None))


def with_message(**fields: Any) -> dict[str, Any]:
    """The recorded text update, its text replaced by other message fields."""
    data = copy.deepcopy(load_update("text"))
    del data["message"]["text"]
    data["message"].update(fields)
    return data


FILE = {"file_id": "BQACAgQAAxkBAAIEC", "file_unique_id": "AgADxBUAAqdk4FM"}


def test_text() -> None:
    event, callback = normalise(load_update("text"))
    assert event == InboundEvent(
        "telegram", CHAT, "731204501", "text", text="salut", timestamp=1795694400.0
    )
    assert callback is None


def test_start_with_a_poster_payload() -> None:
    event, _ = normalise(load_update("start_payload"))
    assert event is not None
    assert (event.kind, event.text, event.source) == ("start", "", "affiche-pharmacie-verdun")
    assert event.event_id == "731204500" and event.user_id == CHAT


@pytest.mark.parametrize(
    ("text", "kind", "words", "source"),
    [
        ("/start", "start", "", None),
        ("/start   ", "start", "", None),
        ("/start a-b_C9", "start", "", "a-b_C9"),
        ("/start " + "p" * 64, "start", "", "p" * 64),
        ("/start " + "p" * 65, "start", "", None),
        ("/start deux mots", "start", "", None),
        ("/start été", "start", "", None),
        ("/START affiche", "start", "", "affiche"),
        ("/start@milomouv_bot affiche", "start", "", "affiche"),
        ("/aide", "text", "aide", None),
        ("/stop", "text", "stop", None),
        ("/confidentialite", "text", "confidentialite", None),
        ("/aide@milomouv_bot", "text", "aide", None),
        ("/Stop maintenant", "text", "stop maintenant", None),
        ("/ pas une commande", "text", "/ pas une commande", None),
        ("/home/lina/cv.pdf", "text", "/home/lina/cv.pdf", None),
        ("salut /start", "text", "salut /start", None),
    ],
)
def test_commands(text: str, kind: str, words: str, source: str | None) -> None:
    data = copy.deepcopy(load_update("text"))
    data["message"]["text"] = text
    event, _ = normalise(data)
    assert event is not None
    assert (event.kind, event.text, event.source) == (kind, words, source)


def test_callback_query_is_a_button_to_answer() -> None:
    event, callback = normalise(load_update("callback_query"))
    assert event == InboundEvent("telegram", CHAT, "731204502", "button", payload="START")
    assert callback == "2630087145862712341"


def test_callback_on_a_message_too_old_to_read_still_counts() -> None:
    data = copy.deepcopy(load_update("callback_query"))
    data["callback_query"]["message"] = {
        "message_id": 1022,
        "chat": {"id": int(CHAT), "first_name": "Lina", "type": "private"},
        "date": 0,  # Telegram's mark of an inaccessible message
    }
    event, callback = normalise(data)
    assert event is not None and event.user_id == CHAT and event.payload == "START"
    assert callback is not None


def test_callback_without_data_is_only_answered() -> None:
    data = copy.deepcopy(load_update("callback_query"))
    del data["callback_query"]["data"]
    data["callback_query"]["game_short_name"] = "quiz"
    assert normalise(data) == (None, "2630087145862712341")


@pytest.mark.parametrize(
    ("fixture", "attachment"),
    [("sticker", "sticker"), ("voice", "voice"), ("photo", "image")],
)
def test_recorded_attachments(fixture: str, attachment: str) -> None:
    event, _ = normalise(load_update(fixture))
    assert event is not None
    assert (event.kind, event.attachments, event.text) == ("attachment", (attachment,), "")


@pytest.mark.parametrize(
    ("fields", "attachment"),
    [
        ({"audio": {**FILE, "duration": 200, "title": "son"}}, "audio"),
        ({"video": {**FILE, "duration": 5, "width": 640, "height": 360}}, "video"),
        ({"video_note": {**FILE, "duration": 5, "length": 240}}, "video"),
        (
            {
                "animation": {**FILE, "duration": 2, "width": 320, "height": 240},
                "document": {**FILE, "mime_type": "video/mp4"},
            },
            "video",
        ),
        ({"document": {**FILE, "file_name": "cv.pdf", "mime_type": "application/pdf"}}, "file"),
        ({"location": {"latitude": 49.4, "longitude": 5.18}}, "other"),
        ({"contact": {"phone_number": "+33612345678", "first_name": "Lina"}}, "other"),
    ],
)
def test_other_attachments(fields: dict[str, Any], attachment: str) -> None:
    event, _ = normalise(with_message(**fields))
    assert event is not None
    assert (event.kind, event.attachments) == ("attachment", (attachment,))


def test_caption_travels_with_the_attachment() -> None:
    data = copy.deepcopy(load_update("photo"))
    data["message"]["caption"] = "mon cv"
    event, _ = normalise(data)
    assert event is not None and event.text == "mon cv" and event.attachments == ("image",)


@pytest.mark.parametrize(
    "data",
    [
        load_update("edited_message"),
        load_update("group_message"),
        with_message(new_chat_title="Nouveau nom"),
        with_message(
            pinned_message={"message_id": 1, "date": 0, "chat": {"id": 1, "type": "private"}}
        ),
    ],
)
def test_ignored(data: dict[str, Any]) -> None:
    assert normalise(data) == (None, None)


def test_group_callback_is_answered_but_ignored() -> None:
    data = copy.deepcopy(load_update("callback_query"))
    data["callback_query"]["message"]["chat"] = {"id": -100123, "title": "G", "type": "group"}
    assert normalise(data) == (None, "2630087145862712341")
