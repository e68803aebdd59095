"""A frame softens only hyperboles of dying, in its own clause; a greeting is no stop."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.nlu import lexicon
from bot.nlu.distress import DistressLexicon
from bot.nlu.faq import TOPICS
from bot.nlu.intents import IntentLexicon
from bot.nlu.reading import Reader

LEXICON = DistressLexicon.load()


def _model(path: Path, votes: dict[str, tuple[str, ...]], kinds: tuple[str, ...]) -> Path:
    """A small real model: each word listed votes for its label, nothing else is known."""
    words = [w for ws in votes.values() for w in ws]
    model = {
        "ngram_range": [2, 2],
        "word_ngram_range": [1, 1],
        "idf": {f"w:{w}": 1.0 for w in words},
        "binary": {
            label: {"w": {f"w:{w}": 3.0 for w in votes.get(label, ())}, "b": -1.0}
            for label in ("distress", "stop", "erase", "person", "question")
        },
        "topics": {"classes": list(TOPICS), "w": {}, "b": [0.0] * len(TOPICS)},
        "kinds": {"classes": list(kinds), "w": {}, "b": [0.0] * len(kinds)},
        "source_hash": "test",
    }
    path.write_text(json.dumps(model), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def deaf(tmp_path_factory: pytest.TempPathFactory) -> Reader:
    """A reader whose model never hears distress: only the lexicon and its frames decide."""
    path = tmp_path_factory.mktemp("deaf") / "model.json"
    return Reader.load(model=_model(path, {}, ("suicide",)))


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("un animateur de colo m'a touché", "violence"),
        ("l'entraineur au foot m'a touché", "violence"),
        ("mon entraineur au foot me touche les fesses", "violence"),
        ("le moniteur du camp me tripote mdr c'est bizarre non", "violence"),
        ("jsuis a la rue mdr", "shelter"),
        ("je dors dehors depuis le festival 😅", "shelter"),
        ("je vais me tuer si je dois encore retourner chez mon père", "suicide"),
        ("si on me demande encore de rentrer chez lui je me tue", "suicide"),
    ],
)
def test_a_frame_never_cancels_violence_the_street_or_a_plain_killing_of_oneself(
    deaf: Reader, text: str, kind: str
) -> None:
    assert deaf.read(text, "ask_need").distress == kind


def test_a_frame_softens_a_hyperbole_of_dying_in_its_own_clause_only(deaf: Reader) -> None:
    assert deaf.read("j'ai envie de crever 😂", "ask_need").distress is None
    assert deaf.read("jvais crever mdr", "ask_need").distress is None
    # The game is another clause: the wish to die stands.
    assert deaf.read("je veux mourir. sinon j'ai gagné à fifa", "ask_need").distress == "suicide"


def test_a_chore_frames_dying_but_never_a_first_person_killing_of_oneself() -> None:
    assert LEXICON.softened("je vais mourir si je dois encore remplir un formulaire")
    assert not LEXICON.softened("je vais me tuer si je dois encore retourner chez mon père")
    assert not LEXICON.softened("si on me demande encore de rentrer chez lui je me tue")


def test_places_where_abuse_happens_and_the_cold_are_no_frames() -> None:
    for text in (
        "au foot",
        "mon coach",
        "en colo",
        "au festival",
        "on fait la teuf",
        "jdors dehors 🥶",
        "au club de hand",
    ):
        assert not LEXICON.figurative(text), text


def test_a_frame_rules_out_only_guesses_of_the_hyperbole_kinds() -> None:
    assert not LEXICON.guess_allowed("jvais y passer ce soir mdr", "suicide")
    assert LEXICON.guess_allowed("le mono de la colo est chelou avec moi mdr", "violence")
    assert LEXICON.guess_allowed("jsais plus ou aller ce soir lol", "shelter")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("mon coach au foot me frappe", "violence"),
        ("j'ai frappé le ballon trop fort au foot", None),
        ("jme suis fait défoncer à fifa par mon cousin", None),
        ("on a dormi dehors pour le festival c'était trop bien", None),
    ],
)
def test_a_sport_vetoes_a_ball_hit_not_a_youth_hit(text: str, kind: str | None) -> None:
    assert LEXICON.detect(text) == kind


@pytest.fixture(scope="module")
def chatty(tmp_path_factory: pytest.TempPathFactory) -> Reader:
    """A reader whose model hears a stop in "vous", "toi" and "continuer"."""
    path = tmp_path_factory.mktemp("chatty") / "model.json"
    return Reader.load(model=_model(path, {"stop": ("vous", "toi", "continuer")}, ("suicide",)))


@pytest.mark.parametrize(
    "text", ["ça va merci et vous ?", "bien et toi", "ça va et toi ?", "cc cv, tranquille et vous"]
)
def test_a_greeting_vetoes_a_stop_guess(chatty: Reader, text: str) -> None:
    assert chatty.classifier is not None
    assert "stop" in chatty.classifier.predict(lexicon.fold(text)).labels  # the model hears one
    assert "stop" not in chatty.read(text, "welcome").intents


def test_a_stop_beside_a_greeting_still_counts(chatty: Reader) -> None:
    assert "stop" in chatty.read("ça va, mais j'arrête là", "welcome").intents
    assert "stop" in chatty.read("ça va. je veux pas continuer avec vous", "welcome").intents


def test_the_greeting_veto_rules_out_guesses_only() -> None:
    intents = IntentLexicon.load()
    norm = lexicon.fold("ça va merci et vous")
    assert intents.vetoed("stop", norm, "welcome", guess=True)
    assert not intents.vetoed("stop", norm, "welcome")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("en colo on a dormi sous la tente c'était trop bien", None),
        ("au camping on dort dehors tout l'été avec mes potes", None),
        ("je dors dehors depuis le festival", "shelter"),
        ("mon frère m'a tapé dessus à mario kart lol", None),
        ("mon frère m'a tapé dessus hier soir lol", "violence"),
        ("je me suis pris une balle de tennis dans la tête", None),
        ("la colo c'était violent mdr", None),
        ("le mono de la colo était violent avec moi", "violence"),
    ],
)
def test_leisure_in_words_of_the_street_or_of_blows(text: str, kind: str | None) -> None:
    assert LEXICON.detect(text) == kind
