"""Placeholder until the telegram channel lands: mounts nothing."""

from __future__ import annotations

from bot.channels.base import Channel
from bot.settings import Settings
from bot.store.base import Store


def build(settings: Settings, store: Store) -> list[Channel]:
    return []
