"""Which asyncio event loop the service runs on (MILOMOUV_EVENT_LOOP)."""

from __future__ import annotations

import asyncio
import importlib.util

from bot.errors import ConfigError


def choose(setting: str) -> str:
    """The loop to run for a setting value: `uvloop` or `asyncio`; ConfigError if unavailable."""
    available = importlib.util.find_spec("uvloop") is not None
    if setting == "asyncio":
        return "asyncio"
    if setting == "uvloop":
        if not available:
            raise ConfigError("invalid setting MILOMOUV_EVENT_LOOP: uvloop is not installed")
        return "uvloop"
    if setting == "auto":
        return "uvloop" if available else "asyncio"
    raise ConfigError(f"invalid setting MILOMOUV_EVENT_LOOP: unknown loop {setting!r}")


def install(setting: str) -> str:
    """Make new event loops of the chosen kind (before `run_app`); returns its name."""
    chosen = choose(setting)
    if chosen == "uvloop":
        import uvloop

        # A policy rather than `uvloop.run`: aiohttp's `run_app` creates the loop itself.
        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    return chosen
