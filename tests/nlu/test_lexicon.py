"""The phrase files: validated at load, their examples read as labelled, no hijacking."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.errors import ConfigError
from bot.nlu.distress import DistressLexicon
from bot.nlu.faq import FaqLexicon
from bot.nlu.intents import IntentLexicon
from bot.nlu.lexicon import DATA_DIR, LexiconError, Phrases, fold
from bot.nlu.reading import Reader, default_reader

READER = default_reader()


@pytest.mark.parametrize(
    ("phrase", "text", "found"),
    [
        ("un|une conseiller", "je veux un conseiller", True),
        ("[un|une] conseiller", "conseiller", True),
        ("(plus envie|pas envie) de vivre", "j ai plus envie de vivre", True),
        (
            "veux ... mourir",
            "je veux vraiment pas du tout mourir",
            False,
        ),  # a gap is 3 words at most
        ("veux ... mourir", "je veux juste mourir", True),
        ("suicid~", "idees suicidaires", True),
        ("suicid~", "asuicide", False),
        ("* danger", "en danger", True),
        ("danger", "dangereux", False),
    ],
)
def test_phrase_syntax(phrase: str, text: str, found: bool) -> None:
    assert (Phrases.compile([phrase]).search(text) is not None) is found


def test_fold_lowercases_strips_accents_and_squeezes() -> None:
    assert fold("J'ARRÊTE !!! stoooop") == "j arrete stop"


def _broken_copy(tmp_path: Path, name: str, old: str, new: str) -> Path:
    for path in DATA_DIR.glob("*.toml"):
        shutil.copy(path, tmp_path / path.name)
    target = tmp_path / name
    text = target.read_text(encoding="utf-8")
    assert old in text
    target.write_text(text.replace(old, new, 1), encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        ("intents.toml", '"jarrete"', '"j\'arrête"', r"intents.toml intent.stop.whole\[\d+\]"),
        ("intents.toml", "[intent.resume]", "[intent.resum]", "unknown intent 'resum'"),
        ("intents.toml", "examples = [", "exemples = [", "unknown field 'exemples'"),
        ("distress.toml", '"sdf"', '"SDF"', r"distress.toml kind.shelter.phrases\[\d+\]"),
        ("distress.toml", "[kind.shelter]", "[kind.homeless]", "kind.shelter"),
        ("faq.toml", "[topic.chantier]", "[topic.chantiers]", "topic.chantier"),
        ("faq.toml", "cues = [", 'cues = "', "not valid TOML"),
    ],
)
def test_a_bad_data_file_names_the_file_and_entry(
    tmp_path: Path, name: str, old: str, new: str, message: str
) -> None:
    folder = _broken_copy(tmp_path, name, old, new)
    with pytest.raises(ConfigError, match=message):
        Reader.load(folder)


def test_a_missing_data_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match=r"intents\.toml"):
        IntentLexicon.load(tmp_path)


def test_every_intent_example_reads_as_its_intent() -> None:
    lexicon = IntentLexicon.load()
    for name, rule in lexicon.rules.items():
        for example in rule.examples:
            norm = fold(example)
            assert name in lexicon.detect(norm, lexicon.trim(norm), "ask_need"), example


def test_every_faq_example_reads_as_its_topic() -> None:
    faq = FaqLexicon.load()
    for name, topic in faq.topics.items():
        for example in topic.examples:
            assert faq.topic(example, fold(example)) == name, example


@pytest.mark.parametrize(
    ("text", "at"),
    [
        ("je veux arrêter de fumer", "ask_need"),
        ("j'ai arrêté l'école", "ask_need"),
        ("Humain", "ask_name"),
        ("je veux devenir conseillère", "ask_need"),
        ("j'ai déjà un conseiller", "ask_need"),
        ("stop les galères", "ask_need"),
        ("appelez moi au 0612345678", "ask_contact"),
    ],
)
def test_no_request_is_read_into_an_ordinary_answer(text: str, at: str) -> None:
    assert not READER.read(text, at).intents & {"stop", "erase", "person"}


@pytest.mark.parametrize(
    "text",
    ["mort de rire", "je vais crever de chaud", "ça me tue", "j'ai hâte d'en finir avec ce stage",
     "je crève de faim", "je suis crevé"],
)  # fmt: skip
def test_idioms_never_raise_an_alarm(text: str) -> None:
    assert DistressLexicon.load().detect(text) is None


def test_crever_is_still_heard_when_it_is_no_idiom() -> None:
    assert DistressLexicon.load().detect("j'ai envie de crever") == "suicide"


def test_a_youth_known_to_be_a_minor_in_danger_is_a_minor_case() -> None:
    distress = DistressLexicon.load()
    assert distress.detect("mon père me frappe") == "violence"
    assert distress.detect("mon père me frappe", age=16) == "minor"


def test_distress_deep_in_a_long_message_is_found() -> None:
    assert READER.read("bla " * 2000 + "je veux mourir", "ask_need").distress == "suicide"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=3000), st.sampled_from(["welcome", "ask_age", "ask_need", "waiting"]))
def test_reading_is_total(text: str, at: str) -> None:
    reading = READER.read(text, at)
    assert reading.labels <= {"distress", "stop", "erase", "person", "question"}


@pytest.mark.parametrize("size", [10_000, 200_000])
def test_huge_messages_are_read_and_distress_still_found(size: int) -> None:
    text = ("je veux mourir " * size)[:size]
    reading = READER.read(text, "ask_need")
    assert reading.distress == "suicide"
