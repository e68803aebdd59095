"""Shared inputs for the text-understanding tests: a fixed date, fuzz settings, ordinary answers."""

from __future__ import annotations

import datetime

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

TODAY = datetime.date(2025, 6, 15)

# Meuse communes, first names and ordinary answers that must never trigger
# a global command, a distress alert or a yes/no.
ORDINARY = [
    "Stenay",
    "Marie",
    "Saint-Mihiel",
    "Verdun",
    "Bar-le-Duc",
    "Commercy",
    "Dun-sur-Meuse",
    "Montmédy",
    "Étain",
    "Clermont-en-Argonne",
    "Lina",
    "Yanis",
    "Jean-Baptiste",
    "Kevin",
    "17 ans",
    "06 12 34 56 78",
    "je cherche du taf",
    "un taf dans la vente",
    "je cherche un logement",
    "le matin",
    "une formation en alternance",
    "lundi matin",
    "Personne",
]

# Very long / odd inputs used by the robustness tests.
HUGE_INPUTS = [
    "a" * 1_000_000,
    "😊" * 200_000,
    "0" * 500_000,
    "06 12 34 56 78 " * 50_000,
    "je veux mourir " * 50_000,
    "oui " * 100_000,
    "lundi matin " * 50_000,
    "\u0301" * 100_000,
    "\x00\n\t\r" * 10_000,
    "𝕃𝕚𝕟𝕒 ﬁ ẞ İ ß ① ½ ٣٤" * 10_000,
    "@" * 100_000,
    "/" * 100_000,
    "12/03/2006 " * 40_000,
    "é" * 100_000 + "?",
]

ANY_TEXT = st.text(max_size=3000)
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
