"""Routing a youth to the structure serving their commune: the map, its refresh, its default.

The structures live in the store (`bot/store/roles_territories.py`); each process keeps a
read-only map of them for the pure intake flow, reloaded at most every REFRESH_SECONDS (an
edit on this instance reloads it at once; other instances follow within that delay).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

import structlog

from bot.nlu.communes import CommuneIndex
from bot.store.roles_territories import Structure, TerritoryStore

log = structlog.get_logger(__name__)

REFRESH_SECONDS = 30.0
PROFILE_KEY = "structure"  # the structure's id, in the profile and so in the ticket's card


@dataclass(frozen=True, slots=True)
class DefaultStructure:
    id: str
    name: str
    arrondissements: tuple[str, ...]


# The Meuse by arrondissement (551 Bar-le-Duc, 552 Commercy, 553 Verdun): a default to check.
MEUSE_DEFAULT = (
    DefaultStructure("nord-meusien", "Mission locale du Nord meusien", ("553",)),
    DefaultStructure("sud-meusien", "Mission locale du Sud meusien", ("551", "552")),
)


def default_structures(communes: CommuneIndex, now: float) -> list[Structure]:
    """The Meuse default: each structure with every commune of its arrondissements."""
    return [
        Structure(
            d.id,
            d.name,
            "",
            communes=tuple(
                sorted(c.code for a in d.arrondissements for c in communes.in_arrondissement(a))
            ),
            seeded=True,
            updated_at=now,
        )
        for d in MEUSE_DEFAULT
    ]


async def seed_default(store: TerritoryStore, communes: CommuneIndex, now: float) -> bool:
    """Add the Meuse default when no structure exists (first start); True when it was added."""
    if await store.list_structures():
        return False
    # Two instances starting together: the second's inserts find the ids taken, harmlessly.
    added = [await store.add_structure(s) for s in default_structures(communes, now)]
    if any(added):
        log.info("territories_default_seeded", structures=[d.id for d in MEUSE_DEFAULT])
    return any(added)


class Routing:
    """Which structure serves a commune: by its INSEE code first, then by its EPCI."""

    def __init__(self, structures: list[Structure] | None = None) -> None:
        self._lock = asyncio.Lock()
        self._loaded_at: float | None = None
        self._set(structures or [])

    def _set(self, structures: list[Structure]) -> None:
        self._by_id = {s.id: s for s in structures}
        self._by_commune = {code: s for s in structures for code in s.communes}
        self._by_epci = {name: s for s in structures for name in s.epcis}

    def route(self, commune_code: str | None, epci: str | None) -> Structure | None:
        if commune_code and commune_code in self._by_commune:
            return self._by_commune[commune_code]
        return self._by_epci.get(epci) if epci else None

    def get(self, structure_id: str | None) -> Structure | None:
        return self._by_id.get(structure_id) if structure_id else None

    def route_profile(self, profile: dict[str, Any]) -> Structure | None:
        """Record in the profile the structure serving its commune (or none)."""
        found = self.route(profile.get("commune_code"), profile.get("territory"))
        if found is None:
            profile.pop(PROFILE_KEY, None)
        else:
            profile[PROFILE_KEY] = found.id
        return found

    def _fresh(self, now: float) -> bool:
        # A clock set back (tests, a corrected host clock) counts as stale, never as fresh.
        return self._loaded_at is not None and 0 <= now - self._loaded_at < REFRESH_SECONDS

    def invalidate(self) -> None:
        """Reload at the next refresh: the structures were just edited."""
        self._loaded_at = None

    async def refresh(self, store: TerritoryStore, now: float) -> None:
        """Reload from the store when stale."""
        if self._fresh(now):
            return
        async with self._lock:
            if self._fresh(now):
                return
            self._set(await store.list_structures())
            self._loaded_at = now
