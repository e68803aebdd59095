"""Signals that exclude each other in one message: the reading keeps the one the flow needs."""

from __future__ import annotations

import pytest

from bot.nlu.reading import Reader


@pytest.fixture(scope="module")
def phrases() -> Reader:
    return Reader.load(model=None)  # the mechanisms alone, without the classifier's help


@pytest.fixture(scope="module")
def reader() -> Reader:
    return Reader.load()


@pytest.mark.parametrize(
    ("text", "at"),
    [
        ("à quoi ça sert que je cherche un taf, jvais me tuer avant", "ask_need"),
        ("j'ai plus envie de rien, même plus d'être en vie", "ask_availability"),
        ("stop, de toute façon je veux plus vivre", "ask_age"),
    ],
)
def test_a_cry_for_help_is_read_alone(reader: Reader, text: str, at: str) -> None:
    got = reader.read(text, at)
    assert got.distress == "suicide"
    assert got.topic is None and not got.has("stop")


@pytest.mark.parametrize(
    "text",
    [
        "comment on arrête ce truc si j'ai plus envie ?",
        "on peut se désinscrire quand on veut ?",
        "je pourrai annuler plus tard ?",
    ],
)
def test_asking_how_to_stop_is_no_stop(phrases: Reader, reader: Reader, text: str) -> None:
    assert not phrases.read(text, "ask_age").has("stop")  # the phrases' veto, on its own
    got = reader.read(text, "ask_age")
    assert not got.has("stop")
    assert got.topic == "how_stop"


@pytest.mark.parametrize(
    "text", ["stop", "c bon j'ai plus envie", "laisse tomber", "vous pouvez arrêter de m'écrire"]
)
def test_a_stop_in_other_words_still_stops(phrases: Reader, text: str) -> None:
    assert phrases.read(text, "ask_age").has("stop")


def test_a_person_asked_for_in_so_many_words_is_no_question(reader: Reader) -> None:
    got = reader.read("c'est long, je peux parler à quelqu'un maintenant ?", "waiting")
    assert got.has("person") and got.topic is None


def test_a_listed_question_about_counsellors_is_no_person_request(reader: Reader) -> None:
    got = reader.read("le conseiller mission locale il va faire quoi avec moi ?", "waiting")
    assert got.topic == "mission_locale" and not got.has("person")


@pytest.mark.parametrize(
    ("text", "at", "intent"),
    [
        ("c'est trop long, fin", "ask_need", "stop"),
        ("bof... arrête", "ask_age", "stop"),
        ("trop de questions. humain", "ask_age", "person"),
        ("je sais pas quoi mettre. effacer", "ask_need", "erase"),
    ],
)
def test_a_request_said_whole_in_one_part_of_a_message_counts(
    phrases: Reader, text: str, at: str, intent: str
) -> None:
    assert phrases.read(text, at).has(intent)


def test_a_part_said_whole_still_obeys_the_step_and_the_vetoes(phrases: Reader) -> None:
    assert not phrases.read("Léa, Humain", "ask_name").has("person")  # a surname there
    assert not phrases.read("stop, je me suis trompé, j'ai 22 ans", "ask_age").has("stop")


def test_a_distress_guess_gives_way_to_a_question_the_phrases_name() -> None:
    reader = Reader.load()
    assert reader.classifier is not None
    reader.classifier.thresholds["distress"] = -1e9  # every message guessed in distress
    asked = reader.read("si j'écris ce soir on me répond quand ?", "welcome")
    assert asked.distress is None and asked.topic == "when_answer"
    # Without a question mark the guess stands, and a listed cry for help always does.
    assert reader.read("il vient quand il veut et je dis rien", "welcome").distress is not None
    heard = reader.read("je dors dehors ce soir, vous répondez quand ?", "welcome")
    assert heard.distress == "shelter"
