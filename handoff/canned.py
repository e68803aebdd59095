"""Canned replies one by one: validation, order and the audit line of every change."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NoReturn

from bot.store.roles_settings import CannedItem
from handoff.errors import Forbidden, Invalid, NotFound, Refused
from handoff.service import CANNED_MAX, CANNED_TITLE_MAX, TEXT_MAX
from handoff.views import trim

if TYPE_CHECKING:
    from bot.store.base import Staff
    from handoff.service import Handoff

ITEM_ID_MAX = 64


def view(item: CannedItem) -> dict[str, Any]:
    return {"id": item.id, "title": item.title, "text": item.text, "position": item.position}


def _field(data: dict[str, Any], field: str, limit: int, *, required: bool) -> str | None:
    value = data.get(field)
    if value is None and not required:
        return None
    if value is None:
        raise Invalid("api.error_field_missing", field=field)
    if not isinstance(value, str):
        raise Invalid("api.error_field_type", field=field)
    if not trim(value) or len(value) > limit:
        raise Invalid("settings.error_text", field=field, max=limit)
    return trim(value) if field == "title" else value


def _position(data: dict[str, Any]) -> int | None:
    value = data.get("position")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < CANNED_MAX:
        raise Invalid("settings.error_position", max=CANNED_MAX - 1)
    return value


class Canned:
    """Create, edit, move and delete canned replies (coordinator only)."""

    def __init__(self, service: Handoff) -> None:
        self.service = service
        self.store = service.store

    async def listed(self) -> list[dict[str, Any]]:
        return [view(i) for i in await self.store.canned_items()]

    async def create(self, staff: Staff, data: dict[str, Any]) -> dict[str, Any]:
        self._coordinator(staff)
        title = _field(data, "title", CANNED_TITLE_MAX, required=True)
        text = _field(data, "text", TEXT_MAX, required=True)
        position = _position(data)
        assert title is not None and text is not None
        if len(await self.store.canned_items()) >= CANNED_MAX:
            raise Refused("settings.error_canned_full", max=CANNED_MAX)
        item = await self.store.add_canned(title, text)
        if position is not None:
            item = await self.store.move_canned(item.id, position) or item
        return await self._done(staff, "canned_reply_created", item)

    async def edit(self, staff: Staff, item_id: str, data: dict[str, Any]) -> dict[str, Any]:
        """Change the title, the text and/or the position; absent fields stay as they are."""
        self._coordinator(staff)
        title = _field(data, "title", CANNED_TITLE_MAX, required=False)
        text = _field(data, "text", TEXT_MAX, required=False)
        position = _position(data)
        if title is None and text is None and position is None:
            raise Invalid("settings.error_canned_nothing")
        item = await self._item(item_id)
        if title is not None or text is not None:
            edited = await self.store.edit_canned(item.id, title or item.title, text or item.text)
            item = edited or self._gone()
            await self._done(staff, "canned_reply_edited", item)
        if position is not None and position != item.position:
            item = await self.store.move_canned(item.id, position) or self._gone()
            await self._done(staff, "canned_reply_moved", item, position=item.position)
        return view(item)

    async def delete(self, staff: Staff, item_id: str) -> None:
        self._coordinator(staff)
        if not await self.store.delete_canned(item_id[:ITEM_ID_MAX]):
            self._gone()
        await self.service.audit(staff, "canned_reply_deleted", f"canned:{item_id}")
        self.service.deps.live.publish("canned_replies_updated")

    async def _item(self, item_id: str) -> CannedItem:
        for item in await self.store.canned_items():
            if item.id == item_id:
                return item
        self._gone()

    async def _done(
        self, staff: Staff, action: str, item: CannedItem, **details: Any
    ) -> dict[str, Any]:
        await self.service.audit(staff, action, f"canned:{item.id}", **details)
        self.service.deps.live.publish("canned_replies_updated")
        return view(item)

    @staticmethod
    def _gone() -> NoReturn:
        raise NotFound("settings.error_canned_not_found")

    @staticmethod
    def _coordinator(staff: Staff) -> None:
        if not staff.is_coordinator:
            raise Forbidden()
