"""The stalled-intake reminder policy: once, in the day, inside the free window, mid-intake."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from bot.flows.nudge import NudgePolicy

PARIS = ZoneInfo("Europe/Paris")
POLICY = NudgePolicy()
LAST = datetime(2026, 11, 24, 10, 0, tzinfo=PARIS).timestamp()  # a Tuesday morning
HOUR = 3600.0


def due(**changes: object) -> bool:
    args: dict[str, object] = {
        "channel": "messenger", "mode": "bot", "state": "ask_commune", "consented": True,
        "last_inbound_at": LAST, "already_nudged": False, "now": LAST + 4 * HOUR,
    }  # fmt: skip
    args.update(changes)
    return POLICY.due(**args)  # type: ignore[arg-type]


def test_a_stalled_intake_gets_its_reminder_in_the_afternoon() -> None:
    assert due()


@pytest.mark.parametrize(
    "changes",
    [
        {"already_nudged": True},  # never twice
        {"mode": "paused"},  # after stop
        {"state": "new"},  # after erase
        {"mode": "waiting", "state": "done"},  # a person holds the conversation
        {"mode": "human"},
        {"state": "welcome", "consented": False},  # never started
        {"now": LAST + 1 * HOUR},  # not stalled yet
        {"now": LAST + 13 * HOUR},  # 23:00: night
        {"now": LAST + 22 * HOUR},  # 08:00 the next day: still night
        {"now": LAST + 23.5 * HOUR},  # 9:30 next day, but Messenger's window closes at 10:00
        {"last_inbound_at": None},
    ],
)
def test_no_reminder(changes: dict[str, object]) -> None:
    assert not due(**changes)


def test_telegram_has_no_window_so_the_next_morning_is_fine() -> None:
    assert due(channel="telegram", now=LAST + 23.5 * HOUR)
    assert not due(channel="instagram", now=LAST + 23.5 * HOUR)
