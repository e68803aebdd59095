"""Slot readings found missing on round 3 and fixed in the parsers' mechanisms and data."""

from __future__ import annotations

from functools import cache

import pytest

from bot.nlu.availability import parse_availability
from bot.nlu.communes import CommuneIndex
from bot.nlu.early import extract_unasked
from bot.nlu.names import parse_first_name, stated_first_name


@cache
def _communes() -> CommuneIndex:
    return CommuneIndex.load()


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
    values = extract_unasked("Verdun, 23 ans", _communes())
    assert "first_name" not in values
    assert values["age"] == 23


# A time denied by what is said after it, busy until an hour, worn out.
AVAILABILITY = [
    ("le matin je bosse, l'aprem ça va", ("weekday_afternoon",)),
    ("le soir ouais, le matin je suis un zombie", ("evening",)),
    ("dispo le soir, la journée je suis mort de fatigue avec les enfants", ("evening",)),
    ("le samedi seulement, en semaine je bosse", ("saturday",)),
    ("jsuis KO, la semaine m'a achevé. dispo samedi sinon", ("saturday",)),
    ("le bus de 7h c'est la mort, plutot l'aprem", ("weekday_afternoon",)),
    ("je termine le taf à 18h, après je suis libre", ("evening",)),
    ("j'ai cours jusqu'a midi donc apres", ("weekday_afternoon",)),
    ("pas avant 14h", ("weekday_afternoon", "evening")),
    ("je suis mort de fatigue, le soir c mieux", ("evening",)),
    ("pas le samedi, en semaine la journée c'est bon", ("weekday_morning", "weekday_afternoon")),
    ("pas en semaine", ("evening", "saturday")),
    # Ordinary answers read as before.
    ("je bosse le matin", ("weekday_afternoon", "evening", "saturday")),
    ("le matin", ("weekday_morning",)),
    ("pas le matin", ("weekday_afternoon", "evening", "saturday")),
]


@pytest.mark.parametrize(("text", "slots"), AVAILABILITY)
def test_availability_denied_after_the_time(text: str, slots: tuple[str, ...]) -> None:
    assert parse_availability(text) == slots


@pytest.mark.parametrize(
    ("text", "slots"),
    [
        ("hello jcherche une alternance, jsuis dispo que le soir", ["evening"]),
        ("ici c bien, jsuis dispo le mardi matin", ["weekday_morning"]),
        ("je bosse le matin et je cherche un autre taf", None),
        ("jsuis dispo quand vous voulez", None),
    ],
)
def test_availability_stated_before_it_is_asked(text: str, slots: list[str] | None) -> None:
    assert extract_unasked(text, _communes()).get("availability") == slots


# Needs in youth words; a need denied as the answer opens; what is wanted beats what is named.
NEEDS = [
    ("pas une formation, un vrai travail payé", "job"),
    ("pas du taf tout de suite, d'abord une formation", "training"),
    ("pas de formation, j'en ai marre de l'ecole. du taf", "job"),
    ("pas de permis", "mobility"),
    ("l'interim ça me bouffe la vie, jveux une formation qui mène a qqch", "training"),
    ("ma conseillère pôle emploi m'a dit de vous contacter pour le permis", "mobility"),
    ("une formation pour trouver un job", "training"),
    ("j'en ai ma claque de chercher sur indeed", "job"),
    ("faire un BPJEPS pour etre animateur", "training"),
    ("aller mieux dans ma tete, jdors plus", "health"),
]


@pytest.mark.parametrize(("text", "need"), NEEDS)
def test_need_in_youth_words(text: str, need: str) -> None:
    from bot.nlu.need import parse_need

    assert parse_need(text) == need


@pytest.mark.parametrize(
    ("text", "need"),
    [
        ("slt un taf stp, jai 18 ans", "job"),
        ("un appart", "housing"),
        ("salut, jhabite a etain et jai pas de permis pour bosser", "mobility"),
        ("je vis à Vaucouleurs et je suis sans emploi depuis quatre ans", "job"),
        ("je bosse le matin", None),
        ("le soir après le boulot je suis libre", None),
    ],
)
def test_need_stated_before_it_is_asked(text: str, need: str | None) -> None:
    assert extract_unasked(text, _communes()).get("need") == need
