"""Compatibility shim: commune recognition moved to ``bot.nlu.communes``."""

from bot.nlu.communes import (
    DEFAULT_PATH,
    HOME_DEPARTEMENT,
    NO_MATCH,
    Commune,
    CommuneIndex,
    CommuneMatch,
)

__all__ = [
    "DEFAULT_PATH",
    "HOME_DEPARTEMENT",
    "NO_MATCH",
    "Commune",
    "CommuneIndex",
    "CommuneMatch",
]
