"""Tests for bot.nlu.need."""

from __future__ import annotations

import pytest
from hypothesis import given

from bot.nlu.need import NEEDS, parse_need
from tests.support.text import ANY_TEXT, FUZZ

# ---------------------------------------------------------------------------
# parse_need
# ---------------------------------------------------------------------------

NEED_CASES = [
    ("un taf", "job"),
    ("du taff", "job"),
    ("boulot", "job"),
    ("un boulot stp", "job"),
    ("travail", "job"),
    ("trouver du travail", "job"),
    ("emploi", "job"),
    ("un job", "job"),
    ("JOB", "job"),
    ("un cdi", "job"),
    ("de l'intérim", "job"),
    ("interim", "job"),
    ("je veux bosser", "job"),
    ("je suis en train de chercher un taf", "job"),
    ("pas besoin de formation, je veux un taf", "job"),
    ("formation", "training"),
    ("une formation", "training"),
    ("apprentissage", "job"),
    ("alternance", "job"),
    ("une alternance en cuisine", "job"),
    ("reprendre les études", "training"),
    ("reprendre les etudes", "training"),
    ("diplôme", "training"),
    ("passer mon CAP", "training"),
    ("une formation pour trouver un job", "training"),
    ("permis", "mobility"),
    ("le permis", "mobility"),
    ("le code", "mobility"),
    ("une voiture", "mobility"),
    ("un scooter", "mobility"),
    ("transport", "mobility"),
    ("me déplacer", "mobility"),
    ("bouger", "mobility"),
    ("passer le permis B", "mobility"),
    ("logement", "housing"),
    ("un appart", "housing"),
    ("hébergement", "housing"),
    ("foyer", "housing"),
    ("trouver un logement", "housing"),
    ("santé", "health"),
    ("un psy", "health"),
    ("médecin", "health"),
    ("mutuelle", "health"),
    ("le moral", "health"),
    ("stress", "health"),
    ("je suis stressé", "health"),
    ("jsp", "unsure"),
    ("je sais pas", "unsure"),
    ("je sais pas trop", "unsure"),
    ("aucune idée", "unsure"),
    ("bof", "unsure"),
    ("chais pas", "unsure"),
    ("un peu de tout", "unsure"),
    ("tout", "unsure"),
    ("jsp un taf peut-être", "job"),
    ("mes papiers", "other"),
    ("titre de séjour", "other"),
    ("j'ai des problèmes avec ma famille", "other"),
    ("je voudrais faire du sport", "other"),
    ("JE VEUX UN TAF", "job"),
    ("un taaaaf", "job"),
    ("la vente", "job"),
    ("mécanique", "job"),
    ("la cuisine en alternance", "job"),
    ("je veux passer le caces", "training"),
    ("arrêter de fumer", "health"),
    ("je veux bouger de chez mes parents", "housing"),
    ("des sous", "other"),
    ("un stage", "training"),
    ("le code de la route", "mobility"),
    ("je sais pas quoi faire de ma vie", "unsure"),
]

NEED_NONE = [
    "",
    "😊",
    "lol",
    "azerty qsdf wxcv",
    "lol mdr ptdr",
    "ok",
    "Stenay",
    "Marie",
    "17",
    "xxxxxxxxx yyyy zzzz",
]


@pytest.mark.parametrize(("text", "expected"), NEED_CASES)
def test_parse_need(text: str, expected: str) -> None:
    assert parse_need(text) == expected


@pytest.mark.parametrize("text", NEED_NONE)
def test_parse_need_none(text: str) -> None:
    assert parse_need(text) is None


@FUZZ
@given(ANY_TEXT)
def test_parse_need_property(text: str) -> None:
    result = parse_need(text)
    assert result is None or result in NEEDS
