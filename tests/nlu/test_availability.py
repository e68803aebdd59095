"""Tests for bot.nlu.availability."""

from __future__ import annotations

import pytest
from hypothesis import given

from bot.nlu.availability import SLOTS, parse_availability
from tests.support.text import ANY_TEXT, FUZZ

# ---------------------------------------------------------------------------
# parse_availability
# ---------------------------------------------------------------------------

AVAILABILITY_CASES = [
    ("lundi matin", ("weekday_morning",)),
    ("le matin", ("weekday_morning",)),
    ("matin", ("weekday_morning",)),
    ("plutôt le matin", ("weekday_morning",)),
    ("aprem", ("weekday_afternoon",)),
    ("l'aprèm", ("weekday_afternoon",)),
    ("apres midi", ("weekday_afternoon",)),
    ("l'après-midi", ("weekday_afternoon",)),
    ("ap-m", ("weekday_afternoon",)),
    ("après 17h", ("evening",)),
    ("le soir", ("evening",)),
    ("en soirée", ("evening",)),
    ("apres le taf", ("evening",)),
    ("après les cours", ("evening",)),
    ("samedi", ("saturday",)),
    ("sam", ("saturday",)),
    ("samedi matin", ("saturday",)),
    ("plutot le week-end", ("saturday",)),
    ("le we", ("saturday",)),
    ("weekend", ("saturday",)),
    ("quand tu veux", ("any",)),
    ("tout le temps", ("any",)),
    ("n'importe quand", ("any",)),
    ("dispo tout le temps", ("any",)),
    ("h24", ("any",)),
    ("peu importe", ("any",)),
    ("Quand tu veux 😊", ("any",)),
    ("mardi et jeudi aprem", ("weekday_afternoon",)),
    ("lundi matin ou mercredi aprem", ("weekday_morning", "weekday_afternoon")),
    ("10h", ("weekday_morning",)),
    ("14h", ("weekday_afternoon",)),
    ("18h30", ("evening",)),
    ("18:30", ("evening",)),
    ("vers 10h", ("weekday_morning",)),
    ("entre 9h et 11h", ("weekday_morning",)),
    ("de 9h à 17h", ("weekday_morning", "weekday_afternoon")),
    ("lundi", ("weekday_morning", "weekday_afternoon")),
    ("en semaine", ("weekday_morning", "weekday_afternoon")),
    ("le mercredi", ("weekday_morning", "weekday_afternoon")),
    ("les mardis", ("weekday_morning", "weekday_afternoon")),
    ("mecredi matin", ("weekday_morning",)),
    ("le matin ou le soir", ("weekday_morning", "evening")),
    ("lundi matin et aprem", ("weekday_morning", "weekday_afternoon")),
    ("samedi ou le soir", ("evening", "saturday")),
    ("dimanche ou samedi", ("saturday",)),
    ("dimanche ou lundi matin", ("weekday_morning",)),
    ("LUNDI MATIN", ("weekday_morning",)),
    ("  lundi   matin  ", ("weekday_morning",)),
    ("lundi soir", ("evening",)),
    ("vendredi aprem", ("weekday_afternoon",)),
    ("pas le matin", ("weekday_afternoon", "evening", "saturday")),
    ("le matin mais pas le lundi", ("weekday_morning",)),
    ("peu importe, plutôt le matin", ("weekday_morning",)),
    ("je bosse le matin donc l'aprem", ("weekday_afternoon",)),
    ("toute la journée", ("weekday_morning", "weekday_afternoon")),
    ("tout sauf le matin", ("weekday_afternoon", "evening", "saturday")),
    ("tout sauf le lundi", ("any",)),
    ("n'importe", ("any",)),
    ("dès que possible", ("any",)),
    ("je bosse la journée", ("evening", "saturday")),
    ("j'ai cours le matin", ("weekday_afternoon", "evening", "saturday")),
    ("2 jours par semaine le matin", ("weekday_morning",)),
    ("samdi", ("saturday",)),
    ("sam matin", ("saturday",)),
    ("9h-12h", ("weekday_morning",)),
    ("14h-18h", ("weekday_afternoon", "evening")),
    ("après 14h", ("weekday_afternoon", "evening")),
    ("avant midi", ("weekday_morning",)),
    ("le we ou le soir", ("evening", "saturday")),
    ("mercredi mais pas le matin", ("weekday_afternoon",)),
    ("vendredi 10h30", ("weekday_morning",)),
]

AVAILABILITY_NONE = [
    "",
    "😊",
    "dimanche",
    "le dimanche",
    "dimanche matin",
    "je sais pas",
    "oui",
    "Stenay",
    "Martin",
    "17 ans",
    "bientôt",
    "demain",
    "2 fois par semaine",
    "pas le mercredi",
    "dimanche aprem",
    "dispo",
    "0h",
]


@pytest.mark.parametrize(("text", "expected"), AVAILABILITY_CASES)
def test_parse_availability(text: str, expected: tuple[str, ...]) -> None:
    assert parse_availability(text) == expected


# Answers inside chatter, with negations: what is denied is left out.
AVAILABILITY_CHATTER = [
    # "après 14h" is the afternoon and the evening; the morning is denied.
    ("jsuis pas dispo le matin, plutôt après 14h", ("weekday_afternoon", "evening")),
    ("pas le matin", ("weekday_afternoon", "evening", "saturday")),
    ("jamais le matin", ("weekday_afternoon", "evening", "saturday")),
    ("pas le samedi", ("weekday_morning", "weekday_afternoon", "evening")),
    ("tout sauf le samedi", ("weekday_morning", "weekday_afternoon", "evening")),
    ("tout sauf le soir", ("weekday_morning", "weekday_afternoon", "saturday")),
    # Slots are not per weekday: excluding Monday leaves any time.
    ("tout sauf le lundi", ("any",)),
    ("n'importe quand sauf le week-end", ("weekday_morning", "weekday_afternoon", "evening")),
    ("en semaine mais pas le matin", ("weekday_afternoon",)),
    ("je bosse le matin", ("weekday_afternoon", "evening", "saturday")),
    ("je taffe la journée donc le soir", ("evening",)),
    ("après 18h en semaine", ("evening",)),
    ("le soir en semaine", ("evening",)),
    ("le matin en semaine et le samedi", ("weekday_morning", "saturday")),
    ("jsp trop, le mardi aprem ça irait", ("weekday_afternoon",)),
    ("ouais le matin ça m'arrange", ("weekday_morning",)),
    ("je suis libre le samedi et le mercredi aprèm", ("weekday_afternoon", "saturday")),
    ("plutôt le soir après le taf", ("evening",)),
]


@pytest.mark.parametrize(("text", "expected"), AVAILABILITY_CHATTER)
def test_parse_availability_chatter_and_negation(text: str, expected: tuple[str, ...]) -> None:
    assert parse_availability(text) == expected


@pytest.mark.parametrize("text", AVAILABILITY_NONE)
def test_parse_availability_none(text: str) -> None:
    assert parse_availability(text) is None


@FUZZ
@given(ANY_TEXT)
def test_parse_availability_property(text: str) -> None:
    result = parse_availability(text)
    if result is not None:
        assert isinstance(result, tuple)
        assert result
        assert all(slot in SLOTS for slot in result)
        assert list(result) == sorted(set(result), key=SLOTS.index)
        assert "any" not in result or result == ("any",)


# A first-person clause after a time says what the youth does then: that time is given up
# when another is offered, kept when it is the only one or when "dispo", "je peux"... follow.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("l'aprem, le matin je garde mon petit frère", ("weekday_afternoon",)),
        ("le soir, a 8h du mat jsuis une loque", ("evening",)),
        ("le samedi jsuis au marché avec mon oncle donc en semaine le matin", ("weekday_morning",)),
        ("le matin chui a la salle, sinon le soir", ("evening",)),
        ("le matin je garde ma fille", ("weekday_morning",)),
        ("le soir je suis dispo", ("evening",)),
        ("le matin je peux, l'aprem je bosse", ("weekday_morning",)),
    ],
)
def test_a_time_followed_by_what_the_youth_does_then(text: str, expected: tuple[str, ...]) -> None:
    assert parse_availability(text) == expected


# "La journée" narrowed by the time said right after it; joined by a connector, both count.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jbosse la nuit donc la journée, plutôt l'aprem", ("weekday_afternoon",)),
        ("en journée le matin de préférence", ("weekday_morning",)),
        ("la journée et le soir", ("weekday_morning", "weekday_afternoon", "evening")),
    ],
)
def test_the_day_narrowed_by_the_time_after_it(text: str, expected: tuple[str, ...]) -> None:
    assert parse_availability(text) == expected


def test_but_narrows_the_day_rather_than_adding() -> None:
    assert parse_availability("en journée mais plutôt le matin") == ("weekday_morning",)


def test_a_subject_fused_with_its_verb() -> None:
    assert parse_availability("le soir, le matin jdors encore") == ("evening",)
    assert parse_availability("le soir jpeux") == ("evening",)
