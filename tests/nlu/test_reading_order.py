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
