"""Instagram Direct: Instagram-scoped ids, texts up to 1,000 bytes of UTF-8."""

from __future__ import annotations

from typing import ClassVar

from bot.channels.meta import MetaChannel, secret_value
from bot.settings import Settings


class Instagram(MetaChannel):
    """The Instagram professional account linked to the Page (webhook object "instagram")."""

    name: ClassVar[str] = "instagram"
    webhook_object: ClassVar[str] = "instagram"
    max_text: ClassVar[int] = 1000  # bytes, see `measure`

    @staticmethod
    def access_token(settings: Settings) -> str:
        """INSTAGRAM_ACCESS_TOKEN when set, else the Page token (Instagram through the Page)."""
        return secret_value(settings.instagram_access_token) or secret_value(
            settings.meta_page_access_token
        )

    @staticmethod
    def measure(text: str) -> int:
        return len(text.encode("utf-8"))
