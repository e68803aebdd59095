"""Territories: the structures of the network, the communes and EPCIs each serves, its staff.

An area (a commune by INSEE code, or an EPCI by name) belongs to at most one structure:
giving it to a structure takes it from any other, in one change. A staff account belongs to
at most one structure.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, get_args

AreaKind = Literal["commune", "epci"]
AREA_KINDS: tuple[str, ...] = get_args(AreaKind)


@dataclass(frozen=True, slots=True)
class Structure:
    """A Mission locale or association that takes youths from its areas."""

    id: str  # a short slug, in URLs: "nord-meusien"
    name: str  # what a youth reads: "Mission locale du Nord meusien"
    contact: str  # its contact line: an address, a phone number of the structure
    communes: tuple[str, ...] = ()  # INSEE codes, sorted
    epcis: tuple[str, ...] = ()  # EPCI names, sorted
    seeded: bool = False  # still the default drawn at first start, never edited since
    updated_at: float = 0.0

    def areas(self, kind: str) -> tuple[str, ...]:
        return self.communes if kind == "commune" else self.epcis


class TerritoryStore(ABC):
    """Structures with their areas, and which staff account belongs to which."""

    @abstractmethod
    async def list_structures(self) -> list[Structure]:
        """Every structure with its areas, by id."""

    @abstractmethod
    async def get_structure(self, structure_id: str) -> Structure | None: ...

    @abstractmethod
    async def add_structure(self, structure: Structure) -> bool:
        """Insert a structure with its areas (taken from others); False when its id exists."""

    @abstractmethod
    async def update_structure(
        self, structure_id: str, name: str, contact: str, now: float
    ) -> Structure | None:
        """Rename a structure or change its contact line; None when there is no such id."""

    @abstractmethod
    async def remove_structure(self, structure_id: str) -> bool:
        """Delete a structure, its areas and its memberships; False when there was none."""

    @abstractmethod
    async def assign_areas(
        self, structure_id: str, kind: AreaKind, codes: Iterable[str], now: float
    ) -> Structure | None:
        """Give areas to a structure, taking them from any other; None when no such id."""

    @abstractmethod
    async def release_areas(
        self, structure_id: str, kind: AreaKind, codes: Iterable[str], now: float
    ) -> Structure | None:
        """Take areas from a structure (they serve no one then); None when no such id."""

    @abstractmethod
    async def set_membership(self, staff_id: int, structure_id: str | None) -> bool:
        """Put an account in a structure (None: in none); False when no such structure."""

    @abstractmethod
    async def memberships(self) -> dict[int, str]:
        """Staff id -> structure id, for every account in a structure."""
