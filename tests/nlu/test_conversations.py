"""Multi-turn conversations from conversations.toml, run through the real flow step."""

from __future__ import annotations

import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.flows.intake import FlowInput, step

PARIS = ZoneInfo("Europe/Paris")
CONVERSATIONS = tomllib.loads(
    (Path(__file__).with_name("conversations.toml")).read_text(encoding="utf-8")
)["conversation"]


def _wording(deps: Any, key: str) -> str:
    """The fixed part of a catalogue text: what a reply from that key always contains."""
    return deps.texts.raw(key).split("{")[0].strip()[:60] or deps.texts.raw(key)[-40:]


def _input(turn: dict[str, Any], now: datetime) -> FlowInput:
    if "button" in turn:
        return FlowInput("button", payload=turn["button"], now=now)
    if "caption" in turn:
        return FlowInput("attachment", text=turn["caption"], attachments=("image",), now=now)
    return FlowInput("text", text=turn["say"], now=now)


@pytest.mark.parametrize("talk", CONVERSATIONS, ids=[c["name"] for c in CONVERSATIONS])
def test_conversation(deps: Any, talk: dict[str, Any]) -> None:
    state = talk.get("state", "new")
    consented = talk.get("consented", state not in ("new", "welcome"))
    profile, misses, scratch = dict(talk.get("profile", {})), 0, {}
    now = datetime.fromisoformat(talk.get("now", "2026-11-24T10:00")).replace(tzinfo=PARIS)
    for i, turn in enumerate(talk["turn"], 1):
        inp = _input(turn, now)
        result = step(deps, state, profile, misses, inp, consented=consented, scratch=scratch)
        where = f"turn {i}: {result.replies}"
        if "state" in turn:
            assert result.state == turn["state"], where
        if "replies" in turn:
            assert len(result.replies) == len(turn["replies"]), where
            for reply, key in zip(result.replies, turn["replies"], strict=True):
                assert _wording(deps, key) in reply.text, f"{where}: expected {key}"
        if "lead" in turn:
            lines = result.replies[0].text.splitlines()
            assert lines[0] == deps.texts("distress.intro"), where
            assert lines[1] == deps.texts(turn["lead"]), where
        if "effects" in turn:
            assert [e.kind for e in result.effects] == turn["effects"], where
        for key, value in turn.get("profile", {}).items():
            assert result.profile.get(key) == value, where
        for key in turn.get("absent", []):
            assert key not in result.profile, where
        consented = consented or any(e.kind == "consent" for e in result.effects)
        state, profile, misses = result.state, result.profile, result.misses
        scratch = result.scratch
