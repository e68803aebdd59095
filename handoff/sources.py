"""The coordinator's sources: validation, short codes and the deep links printed on posters."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from bot.store.roles_sources import SOURCE_KINDS, NewSource, Source
from handoff.errors import Invalid, NotFound
from handoff.views import BLANK

if TYPE_CHECKING:
    from bot.store.base import Staff
    from handoff.service import Handoff

# No 0/o, 1/l/i: a code may be typed from a printed poster.
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
CODE_LENGTH = 6
CODE_ATTEMPTS = 8
LABEL_MAX, COMMUNE_MAX, CONTACT_MAX = 120, 120, 200


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _text(data: dict[str, Any], field: str, limit: int, *, required: bool = True) -> str | None:
    value = data.get(field)
    if value is None and not required:
        return None
    if value is None:
        raise Invalid("api.error_field_missing", field=field)
    if not isinstance(value, str):
        raise Invalid("api.error_field_type", field=field)
    if len(value) > limit:
        raise Invalid("sources.error_text", field=field, max=limit)
    value = value.strip(BLANK)
    if not value and not required:
        return None
    if not value:
        raise Invalid("sources.error_text", field=field, max=limit)
    return value


class Sources:
    """Create, list and archive sources; every change is audited with the code only."""

    def __init__(self, service: Handoff) -> None:
        self.service = service
        self.store = service.store
        self.settings = service.deps.settings

    async def create(self, staff: Staff, data: dict[str, Any]) -> dict[str, Any]:
        label = _text(data, "label", LABEL_MAX)
        kind = data.get("kind")
        if kind not in SOURCE_KINDS:
            raise Invalid("sources.error_kind")
        commune = _text(data, "commune", COMMUNE_MAX)
        contact = _text(data, "contact", CONTACT_MAX, required=False)
        assert label is not None and commune is not None
        for _ in range(CODE_ATTEMPTS):
            new = NewSource(new_code(), label, kind, commune, contact)
            made = await self.store.create_source(new, self.service.now())
            if made is not None:
                await self.service.audit(staff, "source_created", f"source:{made.code}")
                return self.view(made)
        raise RuntimeError("no free source code after several draws")  # 31^6 codes: never

    async def listed(self, *, archived: bool = True) -> list[dict[str, Any]]:
        return [self.view(s) for s in await self.store.list_sources(archived=archived)]

    async def get(self, code: str) -> Source:
        found = await self.store.get_source(code) if _plausible(code) else None
        if found is None:
            raise NotFound("sources.error_not_found")
        return found

    async def archive(self, staff: Staff, code: str, archived: bool = True) -> dict[str, Any]:
        found = await self.store.set_source_archived(code, archived) if _plausible(code) else None
        if found is None:
            raise NotFound("sources.error_not_found")
        action = "source_archived" if archived else "source_restored"
        await self.service.audit(staff, action, f"source:{code}")
        return self.view(found)

    def links(self, code: str) -> dict[str, str]:
        """The deep links that start a conversation tagged with `code`, per channel."""
        c = quote(code, safe="")
        found: dict[str, str] = {}
        telegram = self.service.deps.channels.get("telegram")
        username = getattr(telegram, "username", None)
        if username:
            found["telegram"] = f"https://t.me/{username}?start={c}"
        if self.settings.messenger_page_name:
            found["messenger"] = f"https://m.me/{self.settings.messenger_page_name}?ref={c}"
        if self.settings.instagram_account_name:
            found["instagram"] = f"https://ig.me/m/{self.settings.instagram_account_name}?ref={c}"
        found["web"] = f"{self.settings.public_url.rstrip('/')}/?src={c}"
        return found

    def view(self, source: Source) -> dict[str, Any]:
        return {
            "code": source.code,
            "label": source.label,
            "kind": source.kind,
            "commune": source.commune,
            "contact": source.contact,
            "archived": source.archived,
            "created_at": source.created_at,
            "links": self.links(source.code),
        }


def _plausible(code: str) -> bool:
    return 1 <= len(code) <= 64 and all(
        ch.isascii() and (ch.isalnum() or ch in "_-") for ch in code
    )
