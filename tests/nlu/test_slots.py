"""Tests for bot.nlu.slots: the slot values one message gives at a step."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.nlu.communes import CommuneIndex
from bot.nlu.slots import SLOT_KEYS, STEPS, read_slots
from tests.support.text import ANY_TEXT, FUZZ, TODAY

INDEX = CommuneIndex.load()


@pytest.mark.parametrize(
    ("text", "at", "expected"),
    [
        ("Lina", "ask_name", {"first_name": "Lina"}),
        ("dix-neuf", "ask_age", {"age": 19}),
        ("j'habite vers Dun, à Doulcon en fait", "ask_commune", {"commune": "Doulcon"}),
        (
            "un taf, j'habite à Thierville",
            "ask_need",
            {"need": "job", "commune": "Thierville-sur-Meuse"},
        ),
        ("ici", "ask_contact", {"contact": "chat"}),
        ("06 12 34 56 78", "ask_contact", {"phone": "+33612345678"}),
        ("lina.m@gmail.com", "ask_contact", {"email": "lina.m@gmail.com"}),
        (
            "pas le matin",
            "ask_availability",
            {"availability": ["weekday_afternoon", "evening", "saturday"]},
        ),
        ("ouais", "welcome", {"yes": True}),
        ("nan", "summary", {"yes": False}),
        ("slt je cherche un taf vers Verdun", "welcome", {"need": "job", "commune": "Verdun"}),
        ("ah non j'ai 21 ans pas 20", "ask_commune", {"age": 21}),
        ("merci", "waiting", {}),
    ],
)
def test_read_slots(text: str, at: str, expected: dict[str, object]) -> None:
    assert read_slots(text, at, INDEX, TODAY) == expected


def test_the_step_answer_wins_over_an_early_guess() -> None:
    # At the age question a bare "20" is the age, whatever else the message says.
    assert read_slots("20", "ask_age", INDEX, TODAY) == {"age": 20}
    assert read_slots("j'ai 20 ans pas 19", "ask_age", INDEX, TODAY) == {"age": 20}


@FUZZ
@given(ANY_TEXT, st.sampled_from(STEPS))
def test_read_slots_never_raises(text: str, at: str) -> None:
    values = read_slots(text, at, INDEX, TODAY)
    assert set(values) <= SLOT_KEYS
