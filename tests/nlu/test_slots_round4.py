"""Slot mechanisms added on round 4's tuning part: each case is in new wording."""

from __future__ import annotations

import datetime

import pytest

from bot.nlu.age import parse_age, parse_own_age
from bot.nlu.communes import CommuneIndex
from bot.nlu.contact import parse_contact
from bot.nlu.early import extract_unasked, find_commune
from bot.nlu.names import parse_first_name
from bot.nlu.need import parse_need

TODAY = datetime.date(2026, 11, 24)


@pytest.fixture(scope="module")
def communes() -> CommuneIndex:
    return CommuneIndex.load()


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("19, g arrêté en 2nde", 19),  # a school year is a rank, not an age
        ("22 ans. j'ai lâché en 1ère", 22),
        ("vingt, jsuis sorti en 3e", 20),
        ("jai mis 16 dsl je voulais dire 26", 26),
        ("g tapé 13 au lieu de 31", 31),  # the intake then says 31 is past the age limit
        ("j'ai écrit 32 c'était 23", 23),
    ],
)
def test_ranks_and_mistyped_numbers_are_no_age(text: str, age: int | None) -> None:
    assert parse_age(text, TODAY) == age


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("jai 27 ans c encore bon ?", 27),
        ("moi 18 ans vous prenez ?", 18),
        ("vous prenez les 26 ans ?", None),  # asked about, not said of oneself
        ("ma soeur a 24 ans elle peut venir ?", None),
    ],
)
def test_own_age_inside_a_question(text: str, age: int | None) -> None:
    assert parse_own_age(text) == age


def test_own_age_inside_a_question_is_kept_before_its_step(communes: CommuneIndex) -> None:
    assert extract_unasked("jai 28 ans c mort pour moi ?", communes, TODAY) == {"age": 28}


@pytest.mark.parametrize(
    ("text", "need"),
    [
        ("un studio vers bar le duc ce serait top", "housing"),  # named before the wish
        ("le code ça m'aiderait trop", "mobility"),
        ("jsais vraiment pas quoi faire de ma vie", "unsure"),
        ("chui perdu, aucune idée de ce que je veux faire", "unsure"),
    ],
)
def test_needs_stated_before_their_question(communes: CommuneIndex, text: str, need: str) -> None:
    assert extract_unasked(text, communes, TODAY).get("need") == need


@pytest.mark.parametrize(
    ("text", "need"),
    [
        ("j'ai un scooter mais il me faut un toit avant l'hiver", "housing"),
        ("la picole c'est mon souci, jvoudrais arrêter de boire", "health"),
        ("jveux devenir auxiliaire de puériculture", "training"),
        ("jsais pas ce que jveux devenir", "unsure"),
    ],
)
def test_what_is_needed_and_what_to_become(text: str, need: str) -> None:
    assert parse_need(text) == need


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("ben c marqué sur mon compte, Yasmine", "Yasmine"),
        ("jprefere garder mon vrai prénom pour moi, notez Sam", "Sam"),
        ("Maçon c mon nom lol. prénom Kevin", "Kevin"),
        ("pas Mathis, Matis sans h", "Matis"),
        ("mettez juste Lou", "Lou"),
    ],
)
def test_a_name_ending_chatter(text: str, name: str) -> None:
    assert parse_first_name(text) == (name, None)


@pytest.mark.parametrize("text", ["non merci, bonne journée", "jsp, c quoi ce truc"])
def test_chatter_without_a_name(text: str) -> None:
    assert parse_first_name(text)[0] is None


@pytest.mark.parametrize(
    "text",
    [
        "ici, le téléphone je décroche jamais aux numéros inconnus",
        "par ici. mon tel est coupé depuis une semaine et jsais pas quand ça revient",
    ],
)
def test_the_chat_said_first_then_the_reason(text: str) -> None:
    assert parse_contact(text).kind == "chat"


def test_not_here_said_first_is_no_chat() -> None:
    assert parse_contact("pas ici, je préfère qu'on m'appelle c'est plus simple").kind != "chat"


@pytest.mark.parametrize(
    ("text", "commune"),
    [
        ("cariste. montmedy. 22 ans.", "Montmédy"),  # terse: lower case is enough
        ("marre. besoin taf.", None),  # an everyday word that is also a commune's name
        ("jsuis passé par stenay hier, c joli", None),  # a long clause needs a place word
    ],
)
def test_a_commune_alone_in_a_terse_message(
    communes: CommuneIndex, text: str, commune: str | None
) -> None:
    assert extract_unasked(text, communes, TODAY).get("commune") == commune


@pytest.mark.parametrize(
    ("text", "commune"),
    [
        ("jsuis chez mon cousin à vignot mais je viens de commercy à la base", "Vignot"),
        ("originaire de Verdun, jhabite a Stenay maintenant", "Stenay"),
    ],
)
def test_where_the_youth_comes_from_is_a_landmark(
    communes: CommuneIndex, text: str, commune: str
) -> None:
    assert extract_unasked(text, communes, TODAY).get("commune") == commune


def test_a_name_after_a_filler_ending_chatter() -> None:
    assert parse_first_name("jsais pas si faut le vrai... bah bon Zoé") == ("Zoé", None)


def test_a_commune_with_a_place_word_naming_none_is_read_whole(communes: CommuneIndex) -> None:
    # "sur" is a place word, but "Meuse" after it is no commune: the clause is the name.
    assert find_commune("Dugny sur meuse, c tout petit", communes) == "Dugny-sur-Meuse"


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("24 ans le mois prochain", 23),  # the age to come, said after it
        ("19 mais 20 dans 3 semaines", 19),
        ("jai 21, 22 en février", 21),
        ("20 ans depuis hier", 20),
    ],
)
def test_an_age_to_come_said_after_it(text: str, age: int) -> None:
    assert parse_age(text, TODAY) == age


def test_confidence_is_a_health_need() -> None:
    assert parse_need("reprendre confiance en soi avant tout") == "health"
