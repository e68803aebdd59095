"""Slot accuracy of the parsers over the labelled development corpus (tests/nlu/dev/slots.toml)."""

from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path

import pytest

from bot.nlu.communes import CommuneIndex
from bot.nlu.slots import SLOT_KEYS, STEPS, read_slots
from tests.support.text import TODAY

CORPUS = Path(__file__).resolve().parent / "dev" / "slots.toml"
MIN_ACCURACY = 0.95
MIN_CASES = 150


@pytest.fixture(scope="module")
def cases() -> list[dict[str, object]]:
    with CORPUS.open("rb") as handle:
        return tomllib.load(handle)["case"]


def test_corpus_is_well_formed(cases: list[dict[str, object]]) -> None:
    assert len(cases) >= MIN_CASES
    for case in cases:
        assert isinstance(case["text"], str) and case["text"], case
        assert case["at"] in STEPS, case
        assert case["intents"] == [], case
        assert set(case.get("slots", {})) <= SLOT_KEYS, case


def test_slot_accuracy_per_slot(cases: list[dict[str, object]]) -> None:
    index = CommuneIndex.load()
    total: Counter[str] = Counter()
    right: Counter[str] = Counter()
    misses: list[str] = []
    for case in cases:
        expected = case.get("slots", {})
        assert isinstance(expected, dict)
        got = read_slots(str(case["text"]), str(case["at"]), index, TODAY)
        for key, value in expected.items():
            total[key] += 1
            if got.get(key) == value:
                right[key] += 1
            else:
                misses.append(f"{key}: {case['text']!r} -> {got.get(key)!r}, want {value!r}")
    accuracy = {key: right[key] / total[key] for key in total}
    low = {key: round(score, 3) for key, score in accuracy.items() if score < MIN_ACCURACY}
    assert not low, (low, misses)
