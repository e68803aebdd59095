"""The coordinator's territories: structures, the areas they serve, their staff; queue order.

Every change is audited with ids and counts only, and reloads the bot's routing map at once
(other instances reload theirs within `bot.territories.REFRESH_SECONDS`).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from bot.store.roles_territories import AREA_KINDS, AreaKind, Structure
from handoff.errors import Invalid, NotFound
from handoff.views import BLANK

if TYPE_CHECKING:
    from bot.nlu.communes import CommuneIndex
    from bot.store.base import Staff
    from handoff.service import Handoff

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
NAME_MAX, CONTACT_MAX, AREA_MAX, AREAS_MAX = 120, 200, 120, 2000
ALL = "all"  # the queue's switch: every structure in arrival order


def _text(data: dict[str, Any], field: str, limit: int, *, required: bool) -> str:
    value = data.get(field, "" if not required else None)
    if value is None:
        raise Invalid("api.error_field_missing", field=field)
    if not isinstance(value, str):
        raise Invalid("api.error_field_type", field=field)
    value = value.strip(BLANK)
    if len(value) > limit or (required and not value):
        raise Invalid("territories.error_text", field=field, max=limit)
    return value


def _kind(kind: str) -> AreaKind:
    if kind == "commune":
        return "commune"
    if kind == "epci":
        return "epci"
    raise Invalid("territories.error_kind")


class Territories:
    """Read and edit the structures; order a counsellor's queue by their structure."""

    def __init__(self, service: Handoff) -> None:
        self.service = service
        self.store = service.store
        self.deps = service.deps

    @property
    def communes(self) -> CommuneIndex:
        return self.deps.flow.communes

    # --- reading -------------------------------------------------------------------------
    async def listed(self) -> list[dict[str, Any]]:
        members = await self.store.memberships()
        return [self.view(s, members) for s in await self.store.list_structures()]

    async def get(self, structure_id: str) -> Structure:
        found = (
            await self.store.get_structure(structure_id) if ID_PATTERN.match(structure_id) else None
        )
        if found is None:
            raise NotFound("territories.error_not_found")
        return found

    async def own(self, staff: Staff) -> Structure | None:
        """The structure this person belongs to, if any."""
        sid = (await self.store.memberships()).get(staff.id)
        return await self.store.get_structure(sid) if sid else None

    def view(self, s: Structure, members: dict[int, str]) -> dict[str, Any]:
        def commune(code: str) -> dict[str, str]:
            found = self.communes.by_code(code)
            return {"code": code, "name": found.name if found else code}

        return {
            "id": s.id,
            "name": s.name,
            "contact": s.contact,
            "communes": [commune(c) for c in s.communes],
            "epcis": list(s.epcis),
            "members": sorted(staff_id for staff_id, sid in members.items() if sid == s.id),
            "default_to_check": s.seeded,
            "updated_at": s.updated_at,
        }

    # --- editing -------------------------------------------------------------------------
    async def put(self, staff: Staff, structure_id: str, data: dict[str, Any]) -> dict[str, Any]:
        """Create or replace a structure: name, contact and (when given) its areas."""
        if not ID_PATTERN.match(structure_id):
            raise Invalid("territories.error_id")
        name = _text(data, "name", NAME_MAX, required=True)
        contact = _text(data, "contact", CONTACT_MAX, required=False)
        kinds = [_kind(k) for k in AREA_KINDS if f"{k}s" in data]
        wanted = {kind: self._areas(data, kind) for kind in kinds}
        now = self.service.now()
        created = await self.store.add_structure(
            Structure(structure_id, name, contact, updated_at=now)
        )
        if not created:
            await self.store.update_structure(structure_id, name, contact, now)
        current = await self.get(structure_id)
        for kind, codes in wanted.items():
            had = set(current.areas(kind))
            gone, new = sorted(had - codes), sorted(codes - had)
            if gone:
                await self.store.release_areas(structure_id, kind, gone, now)
            if new:
                await self.store.assign_areas(structure_id, kind, new, now)
        found = await self.get(structure_id)
        action = "structure_created" if created else "structure_changed"
        await self._changed(
            staff, action, structure_id, communes=len(found.communes), epcis=len(found.epcis)
        )
        return self.view(found, await self.store.memberships())

    async def add_area(
        self, staff: Staff, structure_id: str, kind: str, text: Any
    ) -> dict[str, Any]:
        """Give a commune (name or INSEE code) or an EPCI to a structure, taking it from others."""
        await self.get(structure_id)
        code = self._area(_kind(kind), text)
        found = await self.store.assign_areas(structure_id, _kind(kind), [code], self.service.now())
        if found is None:  # removed meanwhile
            raise NotFound("territories.error_not_found")
        await self._changed(staff, "structure_area_added", structure_id, kind=kind, code=code)
        return self.view(found, await self.store.memberships())

    async def remove_area(
        self, staff: Staff, structure_id: str, kind: str, code: str
    ) -> dict[str, Any]:
        area = self._area(_kind(kind), code)  # a commune by its code or its name
        found = await self.store.release_areas(
            structure_id, _kind(kind), [area], self.service.now()
        )
        if found is None:
            raise NotFound("territories.error_not_found")
        await self._changed(staff, "structure_area_removed", structure_id, kind=kind, code=area)
        return self.view(found, await self.store.memberships())

    async def remove(self, staff: Staff, structure_id: str) -> None:
        if not ID_PATTERN.match(structure_id) or not await self.store.remove_structure(
            structure_id
        ):
            raise NotFound("territories.error_not_found")
        await self._changed(staff, "structure_removed", structure_id)

    async def set_member(self, staff: Staff, staff_id: int, structure_id: str | None) -> None:
        """Put an account in a structure, or in none."""
        if await self.store.get_staff(staff_id) is None:
            raise NotFound("api.error_staff_not_found")
        if not await self.store.set_membership(staff_id, structure_id):
            raise NotFound("territories.error_not_found")
        await self.service.audit(
            staff, "structure_member_set", f"staff:{staff_id}", structure=structure_id
        )

    # --- the structure-first queue -------------------------------------------------------
    async def structure_first(
        self, staff: Staff, tickets: list[dict[str, Any]], asked: str | None
    ) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        """The queue with the person's structure first (kept in order), unless they asked all."""
        own = await self.own(staff)
        if own is None:
            return tickets, None
        first = asked != ALL
        if first:
            tickets = sorted(tickets, key=lambda t: t.get("structure") != own.id)
        return tickets, {"id": own.id, "name": own.name, "first": first}

    # --- helpers -------------------------------------------------------------------------
    def _areas(self, data: dict[str, Any], kind: AreaKind) -> set[str]:
        given = data.get(f"{kind}s")
        if not isinstance(given, list) or len(given) > AREAS_MAX:
            raise Invalid("api.error_field_type", field=f"{kind}s")
        return {self._area(kind, item) for item in given}

    def _area(self, kind: AreaKind, text: Any) -> str:
        """A commune's INSEE code from its code or its name; an EPCI's exact name."""
        if not isinstance(text, str) or not text.strip(BLANK) or len(text) > AREA_MAX:
            raise Invalid("territories.error_area", area=str(text)[:AREA_MAX])
        text = text.strip(BLANK)
        if kind == "epci":
            return text
        if self.communes.by_code(text) is not None:
            return text
        match = self.communes.match(text)
        if match.kind != "found":
            raise Invalid("territories.error_area", area=text)
        return match.communes[0].code

    async def _changed(self, staff: Staff, action: str, structure_id: str, **details: Any) -> None:
        self.deps.flow.routing.invalidate()
        await self.service.audit(staff, action, f"structure:{structure_id}", **details)
