"""When one gentle reminder is due for a stalled intake: a pure policy, no scheduling.

The caller (a periodic task, not written yet) records that the nudge was sent, so that it is
never sent twice, even across a restart; it passes that record back as `already_nudged`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from bot.flows.machine import QUESTION_STATES

# Mid-intake: the youth started and has not finished. Not after stop (mode "paused"), erase
# (state "new"), a refusal or a hand-over (state "done", mode "waiting" or "human").
STALLABLE_STATES = frozenset({*QUESTION_STATES, "need_other", "summary", "fix_which"})
PARIS = ZoneInfo("Europe/Paris")
# Platforms that only allow a free message within a window after the youth's last message.
FREE_WINDOW_SECONDS = {"messenger": 24 * 3600.0, "instagram": 24 * 3600.0}


@dataclass(frozen=True, slots=True)
class NudgePolicy:
    """How long an intake must be idle, when a reminder may go out, and in which zone."""

    idle_seconds: float = 3 * 3600.0
    day_starts: datetime.time = datetime.time(9, 0)
    day_ends: datetime.time = datetime.time(20, 0)
    tz: ZoneInfo = PARIS
    # Keep the reminder clear of the window's edge: the youth must still be able to answer it.
    window_margin_seconds: float = 3600.0

    def due(
        self,
        *,
        channel: str,
        mode: str,
        state: str,
        consented: bool,
        last_inbound_at: float | None,
        already_nudged: bool,
        now: float,
    ) -> bool:
        """Whether the single reminder should be sent now."""
        if already_nudged or not consented or mode != "bot" or state not in STALLABLE_STATES:
            return False
        if last_inbound_at is None or now - last_inbound_at < self.idle_seconds:
            return False
        window = FREE_WINDOW_SECONDS.get(channel)
        if window is not None and now > last_inbound_at + window - self.window_margin_seconds:
            return False
        local = datetime.datetime.fromtimestamp(now, self.tz).time()
        return self.day_starts <= local < self.day_ends  # never at night
