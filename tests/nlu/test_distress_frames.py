"""Distress in other frames: jokes and games, threats in idioms' words, idioms of things."""

from __future__ import annotations

import pytest

from bot.nlu.distress import DistressLexicon
from bot.nlu.reading import Reader

LEXICON = DistressLexicon.load()


@pytest.fixture(scope="module")
def reader() -> Reader:
    return Reader.load()


@pytest.mark.parametrize(
    "text",
    [
        "jvais me jeter du toit si jdois encore remplir un cv 😂",
        "je vais me pendre au cou de ma conseillère si elle me trouve un taf mdr",
    ],
)
def test_a_phrase_inside_a_joke_waits_for_the_model(reader: Reader, text: str) -> None:
    assert LEXICON.detect(text) is not None  # the lexicon alone hears it
    assert reader.read(text, "ask_need").distress is None  # the model, trained on jokes, does not


def test_a_framed_cry_stands_when_the_model_hears_distress_too() -> None:
    reader = Reader.load()
    assert reader.classifier is not None
    reader.classifier.thresholds["distress"] = -1e9  # the model hears distress everywhere
    assert reader.read("j'ai envie de crever 😂", "ask_need").distress == "suicide"


def test_frames_are_jokes_games_and_heat_but_never_the_cold() -> None:
    assert LEXICON.figurative("jsuis mort mdrrr")
    assert LEXICON.figurative("il m'a tabassé à fifa")
    assert LEXICON.figurative("trop chaud dans ma chambre")
    assert not LEXICON.figurative("il fait froid et je dors dehors")
    assert not LEXICON.figurative("je veux mourir")


def test_a_classifier_guess_of_a_hyperbole_kind_never_stands_in_a_frame() -> None:
    assert LEXICON.guess_allowed("jme suis fait défoncer", "violence")
    assert not LEXICON.guess_allowed("jvais y rester ce soir à fortnite", "suicide")
    # A game lost is no beating: the violence veto, not a frame, says so.
    assert LEXICON.detect("jme suis fait tabasser à fifa par mon petit frère") is None
    assert not LEXICON.guess_allowed("jme suis fait défoncer au ping pong", "violence")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("jpeux pas parler, il va me tuer s'il m'entend", "danger"),
        ("si je parle aux éducateurs du foyer elle me tue", "danger"),
    ],
)
def test_a_threat_in_an_idioms_words_is_heard(text: str, kind: str) -> None:
    assert LEXICON.detect(text) == kind


@pytest.mark.parametrize(
    "text",
    [
        "ma mère va me tuer si elle voit que j'ai pas rappelé",
        "cette chaleur va me tuer",
        "je me flingue le dos à porter des palettes",
        "je me noie dans les démarches caf",
        "je crève la dalle en fin de mois",
        "j'ai envie de disparaître sous terre tellement j'ai honte",
        "j'en peux plus de vivre chez ma mère",
        "un apprentissage, j'ai le couteau dans le sang",
    ],
)
def test_idioms_of_things_and_bodies_raise_no_alarm(text: str) -> None:
    assert LEXICON.detect(text) is None


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("je vais me noyer", "suicide"),
        ("j'en peux plus de vivre", "suicide"),
        ("jcompte pas voir noel", "suicide"),
        ("je me suis ouvert les veines hier", "suicide"),
        ("ce sera mon dernier message", "suicide"),
        ("il m'a cassé le nez", "violence"),
        ("mon chef met sa main sur mes cuisses", "violence"),
        ("mon ex tambourine sur la fenêtre", "danger"),
    ],
)
def test_new_families_are_heard(text: str, kind: str) -> None:
    assert LEXICON.detect(text) == kind


def test_an_urge_a_thing_gives_is_no_alarm_but_a_life_that_gives_it_is() -> None:
    assert LEXICON.detect("ce stage me donne envie de me jeter par la fenêtre") is None
    assert LEXICON.detect("ma vie me donne envie de mourir") == "suicide"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mon moral est à la rue depuis lundi", None),
        ("je suis à la rue depuis hier soir", "shelter"),
        ("je vais me faire incendier par ma mère", None),
        ("si je meurs demain personne s'en rendra compte", "suicide"),
        ("je passe mes nuits aux urgences de l'hôpital pour être au chaud", "shelter"),
        ("ce soir je vais dormir sous la tente", "shelter"),
    ],
)
def test_the_subject_of_the_street_and_of_dying_decides(text: str, expected: str | None) -> None:
    assert LEXICON.detect(text) == expected


def test_a_chore_once_more_and_card_games_are_frames() -> None:
    assert LEXICON.figurative("je vais mourir si je dois encore remplir un formulaire")
    assert LEXICON.figurative("il s'est fait tabasser au poker")
    assert not LEXICON.figurative("je vais mourir si personne m'aide")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mon patron veut ma peau depuis que je suis arrivé", None),
        ("jsuis dans la merde pour payer le loyer", None),
        ("g plu la force de continuer", "suicide"),
        ("je suis au bord des rails", "suicide"),
    ],
)
def test_money_and_work_troubles_are_idioms_a_cry_in_sms_is_not(
    text: str, expected: str | None
) -> None:
    assert LEXICON.detect(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("j'arrête mes médocs et jvais tout avaler d'un coup", "suicide"),
        ("je regarde comment faire un noeud coulant", "suicide"),
        ("je suis enfermée dans ma bulle en ce moment", None),
    ],
)
def test_pills_said_before_the_plan_and_a_bubble_that_locks_no_one(
    text: str, expected: str | None
) -> None:
    assert LEXICON.detect(text) == expected


def test_a_festival_is_no_frame_but_a_night_outside_for_it_is_no_alarm() -> None:
    assert not LEXICON.figurative("on a dormi dehors pour le festival")
    assert LEXICON.detect("on a dormi dehors pour le festival") is None
