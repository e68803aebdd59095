"""The gates between the classifier's guess and the reading: what a guess may add, and when."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.nlu import lexicon
from bot.nlu.faq import TOPICS
from bot.nlu.reading import Reader

# A small real model: each word below votes for one label (and topic), nothing else is known.
_PERSON_WORDS = ("humain", "conseillere")
_TOPIC_WORDS = {
    "bureau": "travel",
    "locale": "mission_locale",
    "mortel": "who",
    "combien": "free",
    "delai": "when_answer",
}


@pytest.fixture(scope="module")
def reader(tmp_path_factory: pytest.TempPathFactory) -> Reader:
    words = [*_PERSON_WORDS, *_TOPIC_WORDS]
    model = {
        "ngram_range": [2, 2],
        "word_ngram_range": [1, 1],
        "idf": {f"w:{w}": 1.0 for w in words},
        "binary": {
            "distress": {"w": {}, "b": -1.0},
            "stop": {"w": {}, "b": -1.0},
            "erase": {"w": {}, "b": -1.0},
            "person": {"w": {f"w:{w}": 3.0 for w in _PERSON_WORDS}, "b": -1.0},
            "question": {"w": {f"w:{w}": 3.0 for w in _TOPIC_WORDS}, "b": -1.0},
        },
        "topics": {
            "classes": list(TOPICS),
            "w": {
                f"w:{w}": [1.0 if t == topic else 0.0 for t in TOPICS]
                for w, topic in _TOPIC_WORDS.items()
            },
            "b": [0.0] * len(TOPICS),
        },
        "kinds": {"classes": ["suicide"], "w": {}, "b": [0.0]},
        "source_hash": "test",
    }
    path: Path = tmp_path_factory.mktemp("model") / "model.json"
    path.write_text(json.dumps(model), encoding="utf-8")
    return Reader.load(model=path)


def test_the_model_hears_what_the_tests_say(reader: Reader) -> None:
    assert reader.classifier is not None
    guess = reader.classifier.predict(lexicon.fold("file moi un humain"))
    assert guess.labels == {"person"} and guess.topic is None
    assert reader.classifier.predict(lexicon.fold("un bureau")).topic == "travel"


def test_a_bot_named_beside_a_person_request_does_not_cancel_it(reader: Reader) -> None:
    # The phrases hear the "who" question ("t'es un bot"); the classifier hears only a person.
    got = reader.read("bon t'es un bot, file moi un humain", "ask_age")
    assert got.has("person") and got.topic is None
    # The veto still holds over the part it is in: a question about us is no request.
    assert not reader.read("t'es un vrai humain ou pas", "ask_age").has("person")


def test_a_question_naming_someone_stays_a_question(reader: Reader) -> None:
    # The phrases hear a person ("se voir"); the classifier hears only the question, on travel.
    assert "person" in reader.requests("on peut se voir ailleurs que dans un bureau ?", "ask_age")
    got = reader.read("on peut se voir ailleurs que dans un bureau ?", "ask_age")
    assert got.topic == "travel" and not got.has("person")


def test_a_guessed_topic_is_weighed_against_a_person_the_phrases_name(reader: Reader) -> None:
    # The phrases hear a person ("avoir quelqu'un") and no topic; the classifier, a question.
    text = "ok. et le délai pour avoir quelqu'un en face de moi c'est quoi ?"
    assert "person" in reader.requests(text, "summary")
    assert reader.faq.topic(text, lexicon.fold(text)) is None
    got = reader.read(text, "summary")
    assert got.topic == "when_answer" and not got.has("person")


def test_when_the_classifier_hears_both_its_larger_margin_decides(reader: Reader) -> None:
    # "combien ça coûte" is the free question in the phrases; they name no person here.
    stronger_person = "combien ça coûte un humain conseillère"
    assert "person" not in reader.requests(stronger_person, "waiting")
    got = reader.read(stronger_person, "waiting")
    assert got.has("person") and got.topic is None
    as_strong = "combien ça coûte une conseillère"
    got = reader.read(as_strong, "waiting")
    assert got.topic == "free" and not got.has("person")


def test_when_the_classifier_hears_both_a_person_the_phrases_name_wins(reader: Reader) -> None:
    text = "je veux parler à une conseillère, combien ça coûte"
    assert "person" in reader.requests(text, "waiting")
    got = reader.read(text, "waiting")
    assert got.has("person") and got.topic is None


def test_a_person_guess_beside_a_plain_answer_counts_and_keeps_the_answer(reader: Reader) -> None:
    got = reader.read(
        "mercredi matin, mais je veux que ce soit une conseillère", "ask_availability"
    )
    assert got.has("person")
    assert got.slots.get("availability") == ["weekday_morning"]


def test_a_short_plain_answer_is_never_a_person_guess(reader: Reader) -> None:
    assert not reader.read("Léa Humain", "ask_name").intents
    assert not reader.read("mon numéro humain", "fix_which").intents


def test_a_topic_guess_without_a_question_cue_needs_the_topic_s_own_words(reader: Reader) -> None:
    got = reader.read("jai jamais compris ce que fait une mission locale", "ask_commune")
    assert got.topic == "mission_locale"
    # A guess alone, with none of the topic's words and no question: an idiom, no question.
    assert reader.read("c'est mortel tout ça franchement", "waiting").topic is None


def test_a_three_word_question_gets_its_topic_guessed(reader: Reader) -> None:
    assert reader.read("slt c combien", "welcome").topic == "free"
    assert reader.read("combien ?", "welcome").topic is None


def test_the_answer_beside_a_person_request_is_read_in_its_own_clause() -> None:
    phrases = Reader.load(model=None)
    text = "le mardi aprem mais je voudrais que ce soit une vraie conseillère qui me rappelle"
    got = phrases.read(text, "ask_availability")
    assert got.has("person")
    assert got.slots.get("availability") == ["weekday_afternoon"]


def test_an_answer_joined_by_et_beside_a_person_request_is_kept_whole(reader: Reader) -> None:
    # Issue 8: "et" joins parts of one answer; only "mais" / "sauf que" part it from a request.
    got = reader.read("lundi matin et mardi, mais je veux parler à quelqu'un", "ask_availability")
    assert got.has("person")
    assert got.slots.get("availability") == ["weekday_morning", "weekday_afternoon"]
