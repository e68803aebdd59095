"""Slot readings found missing on round 3 and fixed in the parsers' mechanisms and data."""

from __future__ import annotations

import pytest

from bot.nlu.names import parse_first_name, stated_first_name

# A surname after the first name is dropped; a compound first name stays whole.
FIRST_NAMES = [
    ("Bonjour, je m'appelle Inès Benali.", "Inès"),
    ("Léo Humain", "Léo"),
    ("mon nom c'est Léo Lhumain", "Léo"),
    ("c dylan wsh", "Dylan"),
    ("Killian 😂 oui comme le joueur qui tue tout", "Killian"),
    ("on m'appelle Lolo mais mon vrai prénom c'est Laurine", "Laurine"),
    ("Léa. et oui je sais mon nom est à mourir d'ennui", "Léa"),
    ("jean baptiste", "Jean Baptiste"),
    ("Marie Claire", "Marie Claire"),
]


@pytest.mark.parametrize(("text", "name"), FIRST_NAMES)
def test_first_name_without_surname(text: str, name: str) -> None:
    assert parse_first_name(text)[0] == name


# A message that opens with the name, before it is asked.
OPENINGS = [
    ("cc je suis Manel de bar le duc, je cherche un appart", "Manel"),
    ("yo c'est Enzo, jveux un job a st mihiel", "Enzo"),
    ("Lucie, 24 ans, Ligny, je cherche un emploi", "Lucie"),
    ("coucou c Manon de Dun sur Meuse", "Manon"),
    ("Kevin 23 ans Spincourt", "Kevin"),
    # Not a name: lower case and nothing about the youth after it, or a state of mind.
    ("salut je cherche un taf", None),
    ("c'est pour un appart", None),
    ("jsuis KO, la semaine m'a achevé", None),
    ("verdun", None),
]


@pytest.mark.parametrize(("text", "name"), OPENINGS)
def test_name_in_an_opening_message(text: str, name: str | None) -> None:
    assert stated_first_name(text) == name


def test_a_commune_opening_the_message_is_no_name() -> None:
    from bot.nlu.communes import CommuneIndex
    from bot.nlu.early import extract_unasked

    values = extract_unasked("Verdun, 23 ans", CommuneIndex.load())
    assert "first_name" not in values
    assert values["age"] == 23
