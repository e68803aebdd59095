"""The exported classifier: up to date with its sources, and read like scikit-learn reads."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.nlu.classifier import (
    MODEL_FILE,
    Classifier,
    char_wb_ngrams,
    source_hash,
    training_sources,
    word_ngrams,
)
from bot.nlu.lexicon import LexiconError, fold
from bot.nlu.reading import Reader

ROOT = Path(__file__).resolve().parents[2]


def test_the_model_is_trained_on_the_current_phrases_and_corpus() -> None:
    stale = Classifier.load().source_hash != source_hash(training_sources(ROOT))
    assert not stale, "phrases or dev corpus changed since the model was trained: make nlu-model"


def test_char_wb_ngrams_are_those_of_scikit_learn() -> None:
    # TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3)).build_analyzer()("a bc")
    grams = char_wb_ngrams("a bc", 2, 3)
    assert grams == {" a": 1, "a ": 1, " a ": 1, " b": 1, "bc": 1, "c ": 1, " bc": 1, "bc ": 1}


def test_word_ngrams_are_those_of_scikit_learn_prefixed() -> None:
    # TfidfVectorizer(analyzer="word", ngram_range=(1, 2), token_pattern=r"[a-z0-9]+")
    # .build_analyzer()("a bc a") == ["a", "bc", "a", "a bc", "bc a"]
    grams = word_ngrams("a bc a", 1, 2)
    assert grams == {"w:a": 2, "w:bc": 1, "w:a bc": 1, "w:bc a": 1}
    assert not word_ngrams("", 1, 2)


def test_a_model_without_word_ngrams_still_reads(tmp_path: Path) -> None:
    model = {
        "ngram_range": [2, 2],
        "idf": {" a": 1.0, "a ": 1.0},
        "binary": {"stop": {"w": {" a": 2.0}, "b": -0.5}},
        "topics": {"classes": ["free"], "w": {}, "b": [0.0]},
        "kinds": {"classes": ["suicide"], "w": {}, "b": [0.0]},
        "source_hash": "test",
    }
    path = tmp_path / "model.json"
    path.write_text(json.dumps(model), encoding="utf-8")
    classifier = Classifier.load(path)
    assert classifier.word_range is None
    assert "stop" in classifier.predict("a").labels  # -0.5 + 2 / sqrt(2) > 0
    assert classifier.predict("zz").labels == frozenset()


def test_a_broken_model_file_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "model.json"
    bad.write_text("{}", encoding="utf-8")
    with pytest.raises(LexiconError, match="not a valid model"):
        Classifier.load(bad)
    with pytest.raises(LexiconError, match="make nlu-model"):
        Classifier.load(tmp_path / "absent.json")


def test_the_classifier_hears_requests_the_phrases_do_not_list() -> None:
    model = Classifier.load(MODEL_FILE)
    assert "person" in model.predict(fold("vous avez pas un humain dispo")).labels
    assert model.predict(fold("c gratuit ?")).topic == "free"
    assert not model.predict(fold("Verdun")).labels


def test_the_reader_works_without_a_model() -> None:
    reader = Reader.load(model=None)
    assert reader.classifier is None
    assert reader.read("stop", "ask_age").has("stop")


def test_a_guess_never_overrules_a_plain_answer() -> None:
    reader = Reader.load()
    assert not reader.read("quand vous voulez", "ask_availability").topic
    assert not reader.read("Léa Humain", "ask_name").intents
    assert not reader.read("mon numéro", "fix_which").intents
