"""Messenger: Page-scoped ids, texts up to 2,000 characters, the Page access token."""

from __future__ import annotations

from typing import ClassVar

from bot.channels.meta import MetaChannel


class Messenger(MetaChannel):
    """A Facebook Page's Messenger inbox (webhook object "page")."""

    name: ClassVar[str] = "messenger"
    webhook_object: ClassVar[str] = "page"
    max_text: ClassVar[int] = 2000
